#include "web/DraftLimits.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include <sodium.h>

namespace mindset::web {

std::int64_t maxDraftsFor(const surveys::SurveyDefinition& survey) {
    std::int64_t staff = 0;
    for (const auto& school : survey.schools) {
        if (!school.staff) return kMaxDraftsPerSurvey;
        staff += *school.staff;
    }
    if (survey.schools.empty()) return kMaxDraftsPerSurvey;
    return std::clamp<std::int64_t>(3 * staff, 1, kMaxDraftsPerSurvey);
}

NewDraftLimit::NewDraftLimit(int draftsPerHour, std::function<Clock::time_point()> clock)
    : draftsPerHour_(draftsPerHour), clock_(std::move(clock)), hashKey_(crypto_generichash_KEYBYTES, '\0') {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialized (sodium_init failed)");
    randombytes_buf(hashKey_.data(), hashKey_.size());
}

std::string NewDraftLimit::keyOf(const std::string& clientAddress) const {
    std::string hash(16, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(hash.data()), hash.size(),
                       reinterpret_cast<const unsigned char*>(clientAddress.data()), clientAddress.size(),
                       reinterpret_cast<const unsigned char*>(hashKey_.data()), hashKey_.size());
    return hash;
}

bool NewDraftLimit::tryStart(const std::string& clientAddress) {
    const auto key = keyOf(clientAddress);
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    auto it = windows_.find(key);
    if (it == windows_.end()) {
        makeRoom(now);
        it = windows_.emplace(key, Window{now, 0}).first;
    }
    auto& window = it->second;
    if (now - window.start >= kWindow) window = {now, 0};
    if (window.drafts >= draftsPerHour_) return false;
    ++window.drafts;
    return true;
}

std::size_t NewDraftLimit::rememberedCount() {
    std::lock_guard lock(mutex_);
    return windows_.size();
}

void NewDraftLimit::makeRoom(Clock::time_point now) {
    if (windows_.size() < kMaxClients) return;
    std::erase_if(windows_, [now](const auto& item) { return now - item.second.start >= kWindow; });
    if (windows_.size() < kMaxClients) return;
    // Still full within the hour (a flood from many addresses): forget the address with the fewest
    // drafts, which is the furthest from being refused. One at its limit is forgotten last.
    auto fewest = std::min_element(windows_.begin(), windows_.end(),
                                   [](const auto& a, const auto& b) { return a.second.drafts < b.second.drafts; });
    windows_.erase(fewest);
}

}  // namespace mindset::web
