#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "app/Startup.h"
#include "store/Store.h"
#include "support/TestSupport.h"
#include "surveys/Promises.h"
#include "support/TestDatabase.h"

using namespace mindset;
using testing::demoSurvey;

namespace {

/// The demo survey with its file's JSON changed by `change`, parsed again as a survey file.
surveys::SurveyDefinition changedSurvey(const std::function<void(nlohmann::json&)>& change) {
    const auto original = demoSurvey();
    auto root = nlohmann::json::parse(original.json);
    change(root);
    return surveys::parseSurvey(root.dump(2), original.file, testing::shippedInstruments());
}

/// Saves `survey` the way every command does; returns the catalog afterwards.
surveys::SurveyCatalog save(store::Store& store, surveys::SurveyDefinition survey) {
    surveys::SurveyCatalog catalog;
    catalog.surveys.push_back(std::move(survey));
    app::saveSurveys(catalog, store);
    return catalog;
}

/// A store holding the demo survey, saved from `survey`, with one response.
void storeWithResponse(store::Store& store, const surveys::SurveyDefinition& survey) {
    const auto catalog = save(store, survey);
    REQUIRE(catalog.surveys.size() == 1);
    const auto& saved = catalog.surveys.front();
    store.insertResponse(saved.storeId, std::vector<std::uint8_t>(saved.demographics.size() * 4, 0),
                         std::vector<std::uint8_t>(saved.answerCount(), 3));
}

}  // namespace

TEST_CASE("once responses exist, a lower minGroupSize is refused naming file, field, both values and what to do", "[unit]") {
    store::Store store(testing::storeLocation());
    const auto original = demoSurvey();
    storeWithResponse(store, original);
    const auto storedBefore = store.findSurvey(original.id)->definitionJson;

    const auto lowered = save(store, changedSurvey([](auto& root) { root["minGroupSize"] = 3; }));
    CHECK(lowered.surveys.empty());
    REQUIRE(lowered.invalid.size() == 1);
    const auto& refusal = lowered.invalid.front();
    CHECK(refusal.file() == original.file);
    CHECK(refusal.field() == "$.minGroupSize");
    CHECK_THAT(refusal.reason(), Catch::Contains("already has 1 responses, collected under $.minGroupSize = 5; this file says 3") &&
                                     Catch::Contains("keep minGroupSize at 5 or raise it") && Catch::Contains("new survey with a new id"));
    CHECK(store.findSurvey(original.id)->definitionJson == storedBefore);  // nothing stored changed

    // Raising the minimum keeps the promise.
    const auto raised = save(store, changedSurvey([](auto& root) { root["minGroupSize"] = 8; }));
    CHECK(raised.invalid.empty());
    CHECK(nlohmann::json::parse(store.findSurvey(original.id)->definitionJson)["minGroupSize"] == 8);
    // And now 8 is the promise: back to 5 is lowering it.
    CHECK(save(store, original).invalid.size() == 1);
}

TEST_CASE("once responses exist, changed demographic questions or categories are refused, each named", "[unit]") {
    store::Store store(testing::storeLocation());
    const auto original = demoSurvey();
    storeWithResponse(store, original);

    const auto fewerRaces = save(store, changedSurvey([](auto& root) {
        for (auto& question : root["demographics"])
            if (question["id"] == "race") question["choices"].erase(question["choices"].begin());
    }));
    REQUIRE(fewerRaces.invalid.size() == 1);
    CHECK(fewerRaces.invalid.front().field() == "$.demographics[race]");
    CHECK_THAT(fewerRaces.invalid.front().reason(), Catch::Contains("collected under $.demographics[race] = several of [") &&
                                                        Catch::Contains("field the changed questions as a new survey with a new id"));

    const auto withoutRace = save(store, changedSurvey([](auto& root) {
        auto& questions = root["demographics"];
        for (auto it = questions.begin(); it != questions.end(); ++it)
            if ((*it)["id"] == "race") {
                questions.erase(it);
                break;
            }
    }));
    REQUIRE(withoutRace.invalid.size() == 1);
    CHECK_THAT(withoutRace.invalid.front().reason(), Catch::Contains("this file says (removed)"));
}

TEST_CASE("once responses exist, moving from access codes to an open link is refused, the other way is allowed", "[unit]") {
    store::Store store(testing::storeLocation());
    const auto withCodes = changedSurvey([](auto& root) { root["access"] = "codes"; });
    storeWithResponse(store, withCodes);
    const auto open = save(store, changedSurvey([](auto& root) { root["access"] = "open"; }));
    REQUIRE(open.invalid.size() == 1);
    CHECK(open.invalid.front().field() == "$.access");
    CHECK_THAT(open.invalid.front().reason(), Catch::Contains("= \"codes\"; this file says \"open\"") &&
                                                  Catch::Contains("mindset codes issue"));

    store::Store other(testing::storeLocation());
    storeWithResponse(other, demoSurvey());
    CHECK(save(other, withCodes).invalid.empty());
}

TEST_CASE("before any response is stored, a survey's promises may still change", "[unit]") {
    store::Store store(testing::storeLocation());
    REQUIRE(save(store, demoSurvey()).invalid.empty());
    CHECK(save(store, changedSurvey([](auto& root) { root["minGroupSize"] = 3; })).invalid.empty());
}

TEST_CASE("mindset surveys and serve refuse the same files for the same reasons", "[unit]") {
    store::Store store(testing::storeLocation());
    storeWithResponse(store, demoSurvey());
    const auto lowered = changedSurvey([](auto& root) { root["minGroupSize"] = 4; });
    surveys::SurveyCatalog listed;  // what `mindset surveys` checks: no save
    listed.surveys.push_back(lowered);
    app::refuseBrokenPromises(listed, store);
    const auto served = save(store, lowered);  // what `serve` does
    REQUIRE(listed.invalid.size() == 1);
    REQUIRE(served.invalid.size() == 1);
    CHECK(std::string(listed.invalid.front().what()) == served.invalid.front().what());
}
