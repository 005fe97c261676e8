#include "releases/Releases.h"

#include <cstdio>

#include "analytics/ProfileJson.h"
#include "loader/Fingerprint.h"
#include "store/Tokens.h"

namespace mindset::releases {

namespace {

/// Why publishing `next` after `previous` would let a reader see a few people by differencing the
/// two releases (docs/privacy.md, R1): the district, or a group shown in both, grew by 1 to
/// minimum - 1 responses on some scale. Empty when no such group exists.
std::string smallGrowth(const analytics::Profile& previous, const analytics::Profile& next) {
    const auto minimum = next.minGroupSize;
    auto isSmall = [&](std::int64_t before, std::int64_t after) { return after - before > 0 && after - before < minimum; };
    if (isSmall(previous.responses, next.responses))
        return "only " + std::to_string(next.responses - previous.responses) + " responses arrived since the last release; at least " +
               std::to_string(minimum) + " are needed, or comparing the two releases would show those few people's answers";
    auto compareCells = [&](const std::vector<analytics::Cell>& before, const std::vector<analytics::Cell>& after,
                            const std::string& what) -> std::string {
        for (std::size_t i = 0; i < before.size() && i < after.size(); ++i) {
            const bool isShownInBoth = before[i].hidden == analytics::HiddenBecause::Shown && after[i].hidden == analytics::HiddenBecause::Shown;
            if (isShownInBoth && isSmall(before[i].size, after[i].size))
                return "a group of " + what + " grew by fewer than " + std::to_string(minimum) +
                       " responses since the last release, so comparing the two releases would show those few people's answers";
        }
        return "";
    };
    for (std::size_t g = 0; g < previous.scales.size() && g < next.scales.size(); ++g) {
        if (isSmall(previous.scales[g].size, next.scales[g].size))
            return "the district grew by fewer than " + std::to_string(minimum) + " scored responses on scale '" + next.scales[g].scaleId +
                   "' since the last release";
        for (std::size_t q = 0; q < previous.breakdowns.size() && q < next.breakdowns.size(); ++q)
            if (auto reason = compareCells(previous.breakdowns[q].cellsByScale[g], next.breakdowns[q].cellsByScale[g],
                                           "the breakdown by '" + next.breakdowns[q].questionId + "'");
                !reason.empty())
                return reason;
        if (previous.pair && next.pair)
            if (auto reason = compareCells(previous.pair->cellsByScale[g], next.pair->cellsByScale[g], "the crossed table"); !reason.empty())
                return reason;
    }
    return "";
}

std::string refusalFor(store::ReleaseResult result, store::Store& store, const surveys::SurveyDefinition& survey) {
    const auto earlier = store.releases(survey.storeId);
    const auto last = earlier.empty() ? std::string() : "release " + std::to_string(earlier.back().number) + " (" +
                                                            releaseKindName(earlier.back().kind) + ", published " +
                                                            earlier.back().publishedOn + ")";
    switch (result) {
        case store::ReleaseResult::NoResponses:
            return "survey '" + survey.id + "' has no responses yet: there is nothing to release";
        case store::ReleaseResult::NothingChanged:
            return "no response has arrived in survey '" + survey.id + "' since " + last +
                   ": a new release would show nothing new";
        case store::ReleaseResult::AlreadyFinal:
            return "survey '" + survey.id + "' already has its final release, " + last + "; a closed survey's results do not change";
        case store::ReleaseResult::ResponsesArrived:
            return "responses kept arriving in survey '" + survey.id + "' while the release was being prepared; try again";
        case store::ReleaseResult::Published: break;
    }
    return {};
}

}  // namespace

std::string isoDate(std::chrono::year_month_day day) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                  static_cast<unsigned>(day.day()));
    return text;
}

std::string profileSha256(const analytics::Profile& profile, const surveys::SurveyDefinition& survey) {
    return store::sha256Hex(analytics::profileToJson(profile, survey, "en").dump());
}

analytics::ResponseSource releaseResponses(store::Store& store, const surveys::SurveyDefinition& survey, std::uint32_t number) {
    return [&store, surveyId = survey.storeId, number](const std::function<void(const analytics::ResponseBytes&)>& each) {
        store.forEachReleaseResponse(surveyId, number,
                                     [&each](std::span<const std::uint8_t> demographics, std::span<const std::uint8_t> answers,
                                             std::uint32_t releaseNumber) { each({demographics, answers, releaseNumber}); });
    };
}

analytics::ProfileOptions readingOptions(const store::ReleaseRecord& record) {
    analytics::ProfileOptions options;
    auto pattern = nlohmann::json::parse(record.suppressionPatternJson, nullptr, false);
    // Until the audit stores a pattern, a release holds none ("null"): the profile protects itself as it always did.
    if (!pattern.is_discarded() && !pattern.is_null()) options.fixedPattern = std::move(pattern);
    return options;
}

Release readRelease(store::Store& store, const surveys::SurveyDefinition& survey, const store::ReleaseRecord& record) {
    Release release{record, analytics::buildProfile(survey, releaseResponses(store, survey, record.number), readingOptions(record)), true, {}, false};
    release.isMatchingPublished = profileSha256(release.profile, survey) == record.profileSha256;
    if (release.isMatchingPublished) return release;
    // Say what changed: an instrument (by its fingerprint), or, when every one is as recorded, the host.
    const auto recorded = nlohmann::json::parse(record.instrumentFingerprintsJson, nullptr, false);
    if (!recorded.is_object() || recorded.empty()) return release;
    release.hasRecordedFingerprints = true;
    const auto now = instrumentFingerprints(survey);
    for (const auto& [key, fingerprint] : recorded.items())
        if (!now.contains(key) || now[key] != fingerprint) release.changedInstruments.push_back(key);
    for (const auto& [key, fingerprint] : now.items())
        if (!recorded.contains(key)) release.changedInstruments.push_back(key);
    return release;
}

analytics::ReleaseComments readComments(store::Store& store, const surveys::SurveyDefinition& survey, const Release& release) {
    const bool isFinal = release.record.kind == store::ReleaseKind::Final;
    std::vector<analytics::StoredCommentText> comments;
    // Read only for the final release: an interim release shows none, so nothing is read for it.
    if (isFinal)
        for (auto& comment : store.releaseComments(survey.storeId, release.record.number))
            comments.push_back({std::move(comment.questionId), std::move(comment.groupKey), std::move(comment.text)});
    return analytics::releaseComments(survey, release.profile, isFinal, comments);
}

nlohmann::json instrumentFingerprints(const surveys::SurveyDefinition& survey) {
    auto fingerprints = nlohmann::json::object();
    for (const auto& instrument : survey.instruments) fingerprints[instrument.key] = loader::fingerprintOf(*instrument.instrument, instrument.definition());
    return fingerprints;
}

PublishOutcome publishRelease(store::Store& store, const surveys::SurveyDefinition& survey, store::ReleaseKind kind,
                              std::chrono::year_month_day today) {
    constexpr int kAttempts = 5;
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        const auto earlier = store.releases(survey.storeId);
        const auto unreleased = store.countUnreleasedResponses(survey.storeId);
        // Refusals the store would give anyway, before reading every response for nothing.
        if (!earlier.empty() && earlier.back().kind == store::ReleaseKind::Final)
            return {std::nullopt, refusalFor(store::ReleaseResult::AlreadyFinal, store, survey)};
        if (unreleased == 0 && (kind == store::ReleaseKind::Interim || earlier.empty()))
            return {std::nullopt, refusalFor(earlier.empty() ? store::ReleaseResult::NoResponses : store::ReleaseResult::NothingChanged,
                                             store, survey)};

        analytics::ProfileOptions options;
        for (const auto& release : earlier) {
            auto pattern = nlohmann::json::parse(release.suppressionPatternJson, nullptr, false);
            options.earlierPatterns.push_back(pattern.is_discarded() ? nlohmann::json() : std::move(pattern));
        }
        // Count and read are two statements: the store compares the count again when it commits.
        std::int64_t unreleasedRead = 0;
        const auto source = releaseResponses(store, survey, 0);
        const auto profile = analytics::buildProfile(
            survey,
            [&](const std::function<void(const analytics::ResponseBytes&)>& each) {
                source([&](const analytics::ResponseBytes& response) {
                    unreleasedRead += response.releaseNumber == 0;
                    each(response);
                });
            },
            options);
        if (!profile.isAuditPassed)
            return {std::nullopt, "the release of survey '" + survey.id + "' was not published: " + profile.auditFailure};
        if (!earlier.empty())
            if (const auto growth = smallGrowth(readRelease(store, survey, earlier.back()).profile, profile); !growth.empty())
                return {std::nullopt, "the release of survey '" + survey.id + "' was not published: " + growth + "."};

        store::NewRelease release{survey.storeId,
                                  isoDate(today),
                                  kind,
                                  unreleasedRead,
                                  profile.suppressionPattern.dump(),
                                  profile.auditReport.dump(),
                                  profileSha256(profile, survey),
                                  instrumentFingerprints(survey).dump()};
        store::ReleaseRecord published;
        const auto result = store.publishRelease(release, &published);
        if (result == store::ReleaseResult::Published) return {published, ""};
        if (result != store::ReleaseResult::ResponsesArrived) return {std::nullopt, refusalFor(result, store, survey)};
    }
    return {std::nullopt, refusalFor(store::ReleaseResult::ResponsesArrived, store, survey)};
}

bool hasClosed(const surveys::SurveyDefinition& survey, std::chrono::year_month_day today) { return today > survey.closes; }

store::ReleaseKind kindFor(const surveys::SurveyDefinition& survey, std::chrono::year_month_day today) {
    return hasClosed(survey, today) ? store::ReleaseKind::Final : store::ReleaseKind::Interim;
}

std::optional<PublishOutcome> publishFinalIfDue(store::Store& store, const surveys::SurveyDefinition& survey,
                                                std::chrono::year_month_day today) {
    if (!hasClosed(survey, today)) return std::nullopt;
    const auto earlier = store.releases(survey.storeId);
    if (!earlier.empty() && earlier.back().kind == store::ReleaseKind::Final) return std::nullopt;
    if (store.countUnreleasedResponses(survey.storeId) == 0 && earlier.empty()) return std::nullopt;
    return publishRelease(store, survey, store::ReleaseKind::Final, today);
}

}  // namespace mindset::releases
