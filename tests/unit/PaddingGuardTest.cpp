#include <catch2/catch.hpp>

#include "analytics/Participation.h"
#include "demo/DemoResponses.h"
#include "support/TestSupport.h"
#include "web/PaddingGuard.h"

using namespace mindset;

namespace {

/// A stored response whose every category already holds at least `threshold` of `stored`.
surveys::EncodedResponse responseInLargeGroups(const surveys::SurveyDefinition& survey, const std::vector<surveys::EncodedResponse>& stored,
                                               int threshold) {
    const auto counts = analytics::countRespondents(survey, analytics::responsesInMemory(stored));
    for (const auto& candidate : stored) {
        const std::vector<surveys::EncodedResponse> one{candidate};
        const auto mine = analytics::countRespondents(survey, analytics::responsesInMemory(one));
        bool isLarge = true;
        for (std::size_t q = 0; q < mine.breakdowns.size(); ++q)
            for (std::size_t c = 0; c < mine.breakdowns[q].respondents.size(); ++c)
                isLarge = isLarge && (mine.breakdowns[q].respondents[c] == 0 || counts.breakdowns[q].respondents[c] >= threshold);
        if (isLarge) return candidate;
    }
    FAIL("no response of the demo data lies in large groups only");
    return {};
}

}  // namespace

TEST_CASE("one client adds at most the threshold gap to small groups of an open-link survey", "[unit][privacy]") {
    auto survey = testing::demoSurvey();
    survey.access = surveys::Access::OpenLink;
    survey.minGroupSize = 5;
    survey.openLinkMinGroupSize = 10;
    REQUIRE(web::PaddingGuard::allowanceOf(survey) == 5);
    const std::vector<surveys::EncodedResponse> nothingStored;
    const auto padding = demo::generateResponses(survey, 8, 11);
    web::PaddingGuard guard;

    // Nothing stored: every group is small, so every response counts against the allowance.
    for (int i = 0; i < 5; ++i) {
        const auto reservation = guard.reserve(survey, analytics::responsesInMemory(nothingStored), padding[i], "203.0.113.7");
        REQUIRE(reservation.isAllowed);
        CHECK(reservation.usesAllowance);
        guard.finish(survey, padding[i], "203.0.113.7", reservation, true);
    }
    // The sixth would let this client bring a group of fewer than 5 other people into view.
    CHECK_FALSE(guard.reserve(survey, analytics::responsesInMemory(nothingStored), padding[5], "203.0.113.7").isAllowed);
    // Another address has its own allowance.
    const auto other = guard.reserve(survey, analytics::responsesInMemory(nothingStored), padding[5], "198.51.100.2");
    CHECK(other.isAllowed);

    // A submission the store did not take (a double POST) gives its allowance back.
    guard.finish(survey, padding[5], "198.51.100.2", other, false);
    for (int i = 0; i < 5; ++i) {
        const auto again = guard.reserve(survey, analytics::responsesInMemory(nothingStored), padding[6], "198.51.100.2");
        REQUIRE(again.isAllowed);
        guard.finish(survey, padding[6], "198.51.100.2", again, true);
    }
    CHECK_FALSE(guard.reserve(survey, analytics::responsesInMemory(nothingStored), padding[7], "198.51.100.2").isAllowed);
}

TEST_CASE("responses into large groups are never limited, and access codes need no limit", "[unit][privacy]") {
    auto survey = testing::demoSurvey();
    survey.access = surveys::Access::OpenLink;
    survey.minGroupSize = 5;
    survey.openLinkMinGroupSize = 10;
    const auto stored = demo::generateResponses(survey, 600, 12);
    const auto large = responseInLargeGroups(survey, stored, 10);
    web::PaddingGuard guard;
    // A whole school answering from one NAT address on a PD day.
    for (int i = 0; i < 50; ++i) {
        const auto reservation = guard.reserve(survey, analytics::responsesInMemory(stored), large, "192.0.2.10");
        REQUIRE(reservation.isAllowed);
        CHECK_FALSE(reservation.usesAllowance);
        guard.finish(survey, large, "192.0.2.10", reservation, true);
    }

    survey.access = surveys::Access::AccessCodes;
    const std::vector<surveys::EncodedResponse> nothingStored;
    for (int i = 0; i < 20; ++i) CHECK(guard.reserve(survey, analytics::responsesInMemory(nothingStored), large, "192.0.2.10").isAllowed);
}
