#include <catch2/catch.hpp>

#include <set>

#include "store/Store.h"
#include "support/TestDatabase.h"

using namespace mindset;
using store::Store;
using store::StoredResponse;

namespace {

store::SurveyRecord record(const std::string& slug) {
    return {slug, "district", "District", {{"north", "North School"}}, "2026-2027", "{}", R"({"items":["x@1.0.0/a"]})"};
}

/// Responses told apart by their bytes: demographics hold `i`, answers hold `i % 5 + 1`.
std::vector<StoredResponse> numberedResponses(std::size_t count) {
    std::vector<StoredResponse> responses;
    for (std::size_t i = 0; i < count; ++i) {
        const auto n = static_cast<std::uint32_t>(i);
        responses.push_back({{static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8),
                              static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 24)},
                             {static_cast<std::uint8_t>(i % 5 + 1)}});
    }
    return responses;
}

std::multiset<std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>>> contents(const std::vector<StoredResponse>& responses) {
    std::multiset<std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>>> result;
    for (const auto& r : responses) result.emplace(r.demographics, r.answers);
    return result;
}

}  // namespace

TEST_CASE("many responses stored at once read back exactly, across several transactions", "[unit]") {
    Store store(testing::storeLocation());
    const auto surveyId = store.saveSurvey(record("survey-2026"));
    const auto otherId = store.saveSurvey(record("other-2026"));
    store.insertResponse(otherId, std::vector<std::uint8_t>{9, 9, 9, 9}, std::vector<std::uint8_t>{1});

    const auto responses = numberedResponses(120'001);  // more than two batches of 50,000
    store.insertResponses(surveyId, responses);
    CHECK(store.countResponses(surveyId) == 120'001);
    CHECK(store.countResponses(otherId) == 1);
    CHECK(contents(store.responses(surveyId)) == contents(responses));

    store.insertResponses(surveyId, {});  // nothing to store is not an error
    CHECK(store.countResponses(surveyId) == 120'001);
}

TEST_CASE("responses stored at once do not come back in the order they were given", "[unit]") {
    Store store(testing::storeLocation());
    const auto surveyId = store.saveSurvey(record("survey-2026"));
    const auto responses = numberedResponses(1000);
    store.insertResponses(surveyId, responses);
    const auto stored = store.responses(surveyId);  // in id order
    REQUIRE(stored.size() == responses.size());
    std::size_t samePlace = 0;
    for (std::size_t i = 0; i < stored.size(); ++i) samePlace += stored[i].demographics == responses[i].demographics;
    CHECK(samePlace < 20);  // random ids: about one response in a thousand by chance
}

TEST_CASE("storing many responses for a survey that does not exist fails and stores nothing", "[unit]") {
    Store store(testing::storeLocation());
    const auto surveyId = store.saveSurvey(record("survey-2026"));
    CHECK_THROWS_AS(store.insertResponses(surveyId + 100, numberedResponses(10)), store::StoreError);
    CHECK(store.countResponses(surveyId + 100) == 0);
}
