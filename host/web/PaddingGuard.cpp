#include "web/PaddingGuard.h"

#include <algorithm>
#include <stdexcept>

#include <sodium.h>

#include "analytics/Participation.h"

namespace mindset::web {

namespace {

/// For each question, the category `response` falls into (the one countRespondents counts once).
std::vector<std::size_t> categoriesOfResponse(const surveys::SurveyDefinition& survey, const surveys::EncodedResponse& response) {
    const std::vector<surveys::EncodedResponse> one{response};
    const auto counted = analytics::countRespondents(survey, analytics::responsesInMemory(one));
    std::vector<std::size_t> categories;
    for (const auto& breakdown : counted.breakdowns) {
        const auto found = std::find(breakdown.respondents.begin(), breakdown.respondents.end(), 1);
        categories.push_back(static_cast<std::size_t>(found - breakdown.respondents.begin()));
    }
    return categories;
}

}  // namespace

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

PaddingGuard::Reservation PaddingGuard::reserve(const surveys::SurveyDefinition& survey, const analytics::ResponseSource& responses,
                                                const surveys::EncodedResponse& response, const std::string& clientAddress) {
    if (survey.access == surveys::Access::AccessCodes) return {};  // one code, one response: nothing to pad with
    const auto categories = categoriesOfResponse(survey, response);
    std::lock_guard lock(mutex_);
    auto found = counts_.find(survey.storeId);
    if (found == counts_.end()) found = counts_.emplace(survey.storeId, analytics::countRespondents(survey, responses)).first;
    const auto& counts = found->second;
    const auto threshold = survey.reportingThreshold();
    bool isSmall = counts.responses < threshold;
    for (std::size_t q = 0; q < categories.size() && q < counts.breakdowns.size(); ++q)
        isSmall = isSmall || (categories[q] < counts.breakdowns[q].respondents.size() && counts.breakdowns[q].respondents[categories[q]] < threshold);
    if (!isSmall) return {};
    const auto key = keyOf(survey.storeId, clientAddress);
    if (!used_.contains(key)) makeRoom();
    auto& used = used_[key];
    if (used >= allowanceOf(survey)) return {false, false};
    ++used;
    return {true, true};
}

void PaddingGuard::finish(const surveys::SurveyDefinition& survey, const surveys::EncodedResponse& response, const std::string& clientAddress,
                          const Reservation& reservation, bool isStored) {
    if (survey.access == surveys::Access::AccessCodes || !reservation.isAllowed) return;
    const auto categories = isStored ? categoriesOfResponse(survey, response) : std::vector<std::size_t>{};
    std::lock_guard lock(mutex_);
    if (isStored) {
        if (auto found = counts_.find(survey.storeId); found != counts_.end()) {
            auto& counts = found->second;
            ++counts.responses;
            for (std::size_t q = 0; q < categories.size() && q < counts.breakdowns.size(); ++q)
                if (categories[q] < counts.breakdowns[q].respondents.size()) ++counts.breakdowns[q].respondents[categories[q]];
        }
        return;
    }
    if (!reservation.usesAllowance) return;
    if (auto used = used_.find(keyOf(survey.storeId, clientAddress)); used != used_.end() && used->second > 0) --used->second;
}

void PaddingGuard::makeRoom() {
    if (used_.size() < kMaxClients) return;
    const auto fewest = std::min_element(used_.begin(), used_.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    used_.erase(fewest);
}

}  // namespace mindset::web
