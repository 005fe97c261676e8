#include <catch2/catch.hpp>

#include "analytics/Participation.h"
#include "analytics/ReleasePattern.h"
#include "demo/DemoResponses.h"
#include "support/TestSite.h"
#include "web/PaddingGuard.h"

using namespace mindset;
using testing::TestSite;

namespace {

/// An open-link demo survey (minimum 5, shown at 10) with `responses` synthetic responses stored.
std::unique_ptr<TestSite> openLinkSite(std::size_t responses) {
    auto site = std::make_unique<TestSite>([](surveys::SurveyDefinition& survey) {
        survey.access = surveys::Access::OpenLink;
        survey.minGroupSize = 5;
        survey.openLinkMinGroupSize = 10;
    });
    std::vector<store::StoredResponse> rows;
    for (auto& r : demo::generateResponses(site->survey(), responses, 12)) rows.push_back({r.demographics, r.answers});
    site->store().insertResponses(site->survey().storeId, rows);
    return site;
}

/// Whether every group `response` lands in is shown by the release's pattern with at least `threshold`
/// of the release's responses (what the guard must treat as large), computed here from the counts.
bool isInShownLargeGroups(const surveys::SurveyDefinition& survey, const analytics::Profile& counts, const nlohmann::json& pattern,
                          const surveys::EncodedResponse& response, int threshold) {
    const auto categories = analytics::respondentCategories(survey, response.demographics);
    for (std::size_t q = 0; q < categories.size(); ++q) {
        const auto& breakdown = counts.breakdowns[q];
        if (breakdown.respondents[categories[q]] < threshold ||
            analytics::isHiddenByRelease(pattern, survey.demographics[q].id, breakdown.categories[categories[q]].id))
            return false;
    }
    return counts.responses >= threshold;
}

}  // namespace

TEST_CASE("before any release, one client adds at most the threshold gap to an open-link survey", "[unit][privacy]") {
    auto site = openLinkSite(600);  // large live groups, but no release shows them yet
    const auto& survey = site->survey();
    REQUIRE(web::PaddingGuard::allowanceOf(survey) == 5);
    const auto padding = demo::generateResponses(survey, 8, 11);
    web::PaddingGuard guard;

    for (int i = 0; i < 5; ++i) {
        const auto reservation = guard.reserve(survey, site->store(), padding[i], "203.0.113.7");
        REQUIRE(reservation.isAllowed);
        CHECK(reservation.usesAllowance);
        guard.finish(survey, "203.0.113.7", reservation, true);
    }
    // The sixth could let this client bring a group of fewer than 5 other people into view.
    CHECK_FALSE(guard.reserve(survey, site->store(), padding[5], "203.0.113.7").isAllowed);
    // Another address has its own allowance.
    const auto other = guard.reserve(survey, site->store(), padding[5], "198.51.100.2");
    CHECK(other.isAllowed);

    // A submission the store did not take (a double POST) gives its allowance back.
    guard.finish(survey, "198.51.100.2", other, false);
    for (int i = 0; i < 5; ++i) {
        const auto again = guard.reserve(survey, site->store(), padding[6], "198.51.100.2");
        REQUIRE(again.isAllowed);
        guard.finish(survey, "198.51.100.2", again, true);
    }
    CHECK_FALSE(guard.reserve(survey, site->store(), padding[7], "198.51.100.2").isAllowed);
}

TEST_CASE("after a release, responses into groups it shows as large are never limited, others share the allowance", "[unit][privacy]") {
    auto site = openLinkSite(600);
    const auto& survey = site->survey();
    const auto release = site->publishRelease();
    const auto pattern = nlohmann::json::parse(release.suppressionPatternJson);
    const auto stored = demo::generateResponses(survey, 600, 12);
    const auto counts = analytics::countRespondents(survey, analytics::responsesInMemory(stored));
    REQUIRE(counts.responses == release.responses);

    const surveys::EncodedResponse* large = nullptr;
    const surveys::EncodedResponse* small = nullptr;
    for (const auto& response : stored) {
        const bool isLarge = isInShownLargeGroups(survey, counts, pattern, response, 10);
        if (isLarge && !large) large = &response;
        if (!isLarge && !small) small = &response;
    }
    REQUIRE(large);
    REQUIRE(small);  // the case below is about a group the release does not show as large

    web::PaddingGuard guard;
    // A whole school answering from one NAT address on a PD day.
    for (int i = 0; i < 50; ++i) {
        const auto reservation = guard.reserve(survey, site->store(), *large, "192.0.2.10");
        REQUIRE(reservation.isAllowed);
        CHECK_FALSE(reservation.usesAllowance);
        guard.finish(survey, "192.0.2.10", reservation, true);
        site->store().insertResponses(survey.storeId, std::vector<store::StoredResponse>{{large->demographics, large->answers}});
    }
    // Into a group the release hides or shows small: the allowance, whatever the live counts say now.
    for (int i = 0; i < 5; ++i) {
        const auto reservation = guard.reserve(survey, site->store(), *small, "192.0.2.10");
        REQUIRE(reservation.isAllowed);
        CHECK(reservation.usesAllowance);
        guard.finish(survey, "192.0.2.10", reservation, true);
    }
    CHECK_FALSE(guard.reserve(survey, site->store(), *small, "192.0.2.10").isAllowed);
    CHECK(guard.reserve(survey, site->store(), *large, "192.0.2.10").isAllowed);
}

TEST_CASE("a survey with access codes needs no limit on submissions", "[unit][privacy]") {
    auto site = openLinkSite(0);
    auto survey = site->survey();
    survey.access = surveys::Access::AccessCodes;
    const auto response = demo::generateResponses(survey, 1, 3).front();
    web::PaddingGuard guard;
    for (int i = 0; i < 20; ++i) CHECK(guard.reserve(survey, site->store(), response, "192.0.2.10").isAllowed);
}
