#include "web/PaddingGuard.h"

#include <algorithm>
#include <stdexcept>

#include <sodium.h>

#include "analytics/Participation.h"
#include "analytics/ReleasePattern.h"
#include "releases/Releases.h"

namespace mindset::web {

PaddingGuard::PaddingGuard() : hashKey_(crypto_generichash_KEYBYTES, '\0') {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialized (sodium_init failed)");
    randombytes_buf(hashKey_.data(), hashKey_.size());
}

int PaddingGuard::allowanceOf(const surveys::SurveyDefinition& survey) {
    return std::max(1, survey.openLinkMinGroupSize - survey.minGroupSize);
}

std::string PaddingGuard::keyOf(std::int64_t surveyId, const std::string& clientAddress) const {
    const auto input = std::to_string(surveyId) + "|" + clientAddress;
    std::string hash(16, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(hash.data()), hash.size(), reinterpret_cast<const unsigned char*>(input.data()),
                       input.size(), reinterpret_cast<const unsigned char*>(hashKey_.data()), hashKey_.size());
    return hash;
}

std::shared_ptr<const PaddingGuard::LargeGroups> PaddingGuard::largeGroupsOf(const surveys::SurveyDefinition& survey, store::Store& store) {
    std::shared_ptr<const LargeGroups> known;
    {
        std::lock_guard lock(mutex_);
        if (auto found = largeGroups_.find(survey.storeId); found != largeGroups_.end()) known = found->second;
    }
    // Releases only ever follow one another: the known one stays the latest until release + 1 exists.
    auto latest = store.findRelease(survey.storeId, known ? known->release + 1 : 1);
    if (!latest && known) return known;
    if (latest)
        while (auto next = store.findRelease(survey.storeId, latest->number + 1)) latest = std::move(next);

    auto large = std::make_shared<LargeGroups>();
    if (latest) {
        // The release's own counts and pattern: what it shows, and nothing live.
        const auto counts = analytics::countRespondents(survey, releases::releaseResponses(store, survey, latest->number));
        const auto pattern = nlohmann::json::parse(latest->suppressionPatternJson);
        const auto threshold = survey.reportingThreshold();
        large->release = latest->number;
        large->isDistrictLarge = counts.responses >= threshold;
        for (std::size_t q = 0; q < survey.demographics.size() && q < counts.breakdowns.size(); ++q) {
            const auto& breakdown = counts.breakdowns[q];
            auto& isLarge = large->isCategoryLarge.emplace_back(breakdown.categories.size(), false);
            for (std::size_t c = 0; c < breakdown.categories.size(); ++c)
                isLarge[c] = breakdown.respondents[c] >= threshold &&
                             !analytics::isHiddenByRelease(pattern, survey.demographics[q].id, breakdown.categories[c].id);
        }
    }
    std::lock_guard lock(mutex_);
    auto& cached = largeGroups_[survey.storeId];
    if (!cached || cached->release <= large->release) cached = large;
    return cached;
}

PaddingGuard::Reservation PaddingGuard::reserve(const surveys::SurveyDefinition& survey, store::Store& store,
                                                const surveys::EncodedResponse& response, const std::string& clientAddress) {
    if (survey.access == surveys::Access::AccessCodes) return {};  // one code, one response: nothing to pad with
    const auto large = largeGroupsOf(survey, store);
    bool isIntoLargeGroups = large->isDistrictLarge;
    const auto categories = analytics::respondentCategories(survey, response.demographics);
    for (std::size_t q = 0; q < categories.size() && isIntoLargeGroups; ++q)
        isIntoLargeGroups = q < large->isCategoryLarge.size() && categories[q] < large->isCategoryLarge[q].size() &&
                            large->isCategoryLarge[q][categories[q]];
    if (isIntoLargeGroups) return {};
    const auto key = keyOf(survey.storeId, clientAddress);
    std::lock_guard lock(mutex_);
    if (!used_.contains(key)) makeRoom();
    auto& used = used_[key];
    if (used >= allowanceOf(survey)) return {false, false};
    ++used;
    return {true, true};
}

void PaddingGuard::finish(const surveys::SurveyDefinition& survey, const std::string& clientAddress, const Reservation& reservation,
                          bool isStored) {
    if (isStored || !reservation.usesAllowance) return;
    std::lock_guard lock(mutex_);
    if (auto used = used_.find(keyOf(survey.storeId, clientAddress)); used != used_.end() && used->second > 0) --used->second;
}

void PaddingGuard::makeRoom() {
    if (used_.size() < kMaxClients) return;
    const auto fewest = std::min_element(used_.begin(), used_.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    used_.erase(fewest);
}

}  // namespace mindset::web
