#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "app/Startup.h"
#include "cli/DemoSeeding.h"
#include "demo/DemoPlan.h"
#include "support/TestSupport.h"
#include "support/TestDatabase.h"

using namespace mindset;

namespace {

const std::filesystem::path kPlanFile = std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "demo" / "plan.json";

/// Every survey of surveys/, saved in `store`.
surveys::SurveyCatalog shippedSurveys(store::Store& store) {
    auto catalog = surveys::loadSurveyFolder(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys", testing::shippedInstruments());
    REQUIRE(catalog.invalid.empty());
    app::saveSurveys(catalog, store);
    return catalog;
}

const demo::PlannedSurvey& planned(const demo::DemoPlan& plan, const std::string& surveyId) {
    const auto found = std::find_if(plan.surveys.begin(), plan.surveys.end(), [&](const auto& p) { return p.surveyId == surveyId; });
    REQUIRE(found != plan.surveys.end());
    return *found;
}

std::string planError(const std::string& json) {
    try {
        demo::parseDemoPlan(json, "plan.json");
    } catch (const demo::DemoPlanError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("the demo plan fills every shipped survey, and with --if-empty leaves filled surveys alone", "[unit][demo]") {
    store::Store store(testing::storeLocation());
    const auto catalog = shippedSurveys(store);
    const auto plan = demo::loadDemoPlan(kPlanFile);
    REQUIRE(plan.surveys.size() == catalog.surveys.size());  // the survey folder holds no *.json from demo/

    // A data folder from an earlier version held only the demo district's current survey.
    const auto& current = *catalog.find("riverside-2026");
    std::vector<store::StoredResponse> earlier(40, {std::vector<std::uint8_t>(4 * current.demographics.size(), 0),
                                                    std::vector<std::uint8_t>(current.answerCount(), 0)});
    store.insertResponses(current.storeId, earlier);

    std::ostringstream out;
    const auto seeded = cli::seedDemoPlan(out, store, catalog, plan, true, testing::dayWhenDemoIsOpen());
    REQUIRE(seeded.size() == catalog.surveys.size());
    for (const auto& survey : catalog.surveys) {
        INFO(survey.id);
        const auto& entry = planned(plan, survey.id);
        const auto stored = store.countResponses(survey.storeId);
        if (survey.id == "riverside-2026") {
            CHECK(stored == 40);
        } else if (survey.id == "riverside-reo-2026") {
            // A central office of 170 staff: fewer responses than a district, never more than its staff.
            CHECK(stored == static_cast<std::int64_t>(entry.responses));
            std::int64_t staff = 0;
            for (const auto& school : survey.schools) staff += school.staff.value_or(0);
            CHECK(staff == 170);
            CHECK(entry.responses >= 100);
            CHECK(static_cast<std::int64_t>(entry.responses) <= staff);
        } else {
            CHECK(stored == static_cast<std::int64_t>(entry.responses));
            CHECK(entry.responses >= 250);  // every view of a peer district has groups to show
            CHECK(entry.responses <= 1500);
        }
    }
    CHECK(out.str().find("riverside-2026: already has 40 responses; left as it is") != std::string::npos);
    // Leaders read releases only: every closed survey has its final release, every open one an interim release.
    for (const auto& survey : catalog.surveys) {
        INFO(survey.id);
        const auto releases = store.releases(survey.storeId);
        REQUIRE(releases.size() == 1);
        const bool isClosed = survey.closes < testing::dayWhenDemoIsOpen();
        CHECK(releases[0].kind == (isClosed ? store::ReleaseKind::Final : store::ReleaseKind::Interim));
        CHECK(releases[0].responses == store.countResponses(survey.storeId));
    }
    CHECK(out.str().find("riverside-2024: published release 1 (final), published 2026-") != std::string::npos);
    CHECK(out.str().find("riverside-2026: published release 1 (interim), published 2026-") != std::string::npos);

    // Run again, as every `bash .ci/serve` does: nothing changes.
    std::ostringstream again;
    for (const auto& result : cli::seedDemoPlan(again, store, catalog, plan, true, testing::dayWhenDemoIsOpen())) CHECK(result.added == 0);
    CHECK(store.countResponses(catalog.find("riverside-2024")->storeId) == 900);
    for (const auto& survey : catalog.surveys) CHECK(store.releases(survey.storeId).size() == 1);  // no second release

    // Without --if-empty the plan adds its responses again.
    std::ostringstream more;
    cli::seedDemoPlan(more, store, catalog, demo::DemoPlan{{}, {plan.surveys.front()}}, false, testing::dayWhenDemoIsOpen());
    CHECK(store.countResponses(catalog.find(plan.surveys.front().surveyId)->storeId) == 2 * 900);
}

TEST_CASE("the demo plan holds three years of the demo district and peers with their own adjustments", "[unit][demo]") {
    const auto plan = demo::loadDemoPlan(kPlanFile);
    CHECK(planned(plan, "riverside-2024").yearIndex == 0);
    CHECK(planned(plan, "riverside-2025").yearIndex == 1);
    CHECK(planned(plan, "riverside-2026").yearIndex == 2);
    CHECK(planned(plan, "brazos-valley-2026").yearIndex == 1);

    // A district's shift moves every scale; its own effects replace the built-in ones.
    const auto built = demo::DemoProfile{};
    const auto brazos = plan.profileFor(planned(plan, "brazos-valley-2026"), "brazos-valley-isd");
    REQUIRE(brazos.scaleLevels.size() == built.scaleLevels.size());
    for (std::size_t s = 0; s < built.scaleLevels.size(); ++s) CHECK(brazos.scaleLevels[s].mean > built.scaleLevels[s].mean);
    const auto riverside = plan.profileFor(planned(plan, "riverside-2026"), "riverside-isd");
    CHECK(riverside.yearIndex == 2);
    const auto whiteResourcing = std::count_if(riverside.effects.begin(), riverside.effects.end(), [](const demo::GroupEffect& e) {
        return e.questionId == "race" && e.choiceId == "white" && e.scaleId == "equitable-resourcing" && e.shiftPerYearSd > 0;
    });
    CHECK(whiteResourcing == 1);
    // A district the plan does not adjust gets the built-in profile.
    CHECK(plan.profileFor(plan.surveys[0], "elsewhere-isd").scaleLevels.front().mean == built.scaleLevels.front().mean);
}

TEST_CASE("a demo plan that cannot be used names the field and the reason", "[unit][demo]") {
    CHECK(planError("{").find("plan.json: $: not valid JSON") == 0);
    CHECK(planError(R"({"surveys": []})") == "plan.json: $.surveys: expected a non-empty array of planned surveys");
    CHECK(planError(R"({"surveys": [{"survey": "a", "responses": 0, "seed": 1, "yearIndex": 0}]})") ==
          "plan.json: $.surveys[0].responses: expected a whole number from 1 to 2000000, got 0");
    CHECK(planError(R"({"surveys": [{"survey": "a", "responses": 5, "seed": 1, "yearIndex": 0, "years": 2}]})") ==
          "plan.json: $.surveys[0].years: unknown field (expected one of: survey, responses, seed, yearIndex, about)");
    CHECK(planError(R"({"surveys": [{"survey": "a", "responses": 5, "seed": 1, "yearIndex": 0},
                                     {"survey": "a", "responses": 5, "seed": 2, "yearIndex": 1}]})") ==
          "plan.json: $.surveys[1].survey: survey 'a' is planned twice");
    CHECK(planError(R"({"districts": {"d": {"effects": [{"question": "race", "choice": "white", "shiftSd": 9}]}},
                        "surveys": [{"survey": "a", "responses": 5, "seed": 1, "yearIndex": 0}]})") ==
          "plan.json: $.districts.d.effects[0].shiftSd: expected a number from -3 to 3, got 9");

    store::Store store(testing::storeLocation());
    const auto catalog = shippedSurveys(store);
    const auto plan = demo::parseDemoPlan(R"({"surveys": [{"survey": "riverside-2024", "responses": 5, "seed": 1, "yearIndex": 0},
                                                          {"survey": "nowhere-2026", "responses": 5, "seed": 1, "yearIndex": 0}]})",
                                          "plan.json");
    std::ostringstream out;
    CHECK_THROWS_WITH(cli::seedDemoPlan(out, store, catalog, plan, true, testing::dayWhenDemoIsOpen()),
                      "the demo plan names survey 'nowhere-2026', which is not a valid survey here");
    CHECK(store.countResponses(catalog.find("riverside-2024")->storeId) == 0);  // nothing added
}
