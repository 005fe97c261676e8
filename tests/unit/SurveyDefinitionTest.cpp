#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/TestSupport.h"
#include "surveys/SurveyCatalog.h"

using namespace mindset;
using mindset::testing::shippedInstruments;
using nlohmann::json;

namespace {

json demoJson() {
    return json::parse(testing::readFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2026.json"));
}

/// The SurveyError a changed demo survey raises, as "field: reason".
std::string problemWith(const json& survey) {
    try {
        surveys::parseSurvey(survey.dump(), "changed.json", shippedInstruments());
    } catch (const surveys::SurveyError& e) {
        CHECK(e.file() == "changed.json");
        return e.field() + ": " + e.reason();
    }
    return "(valid)";
}

}  // namespace

TEST_CASE("the demo survey pins the three shipped instruments and asks the four demographic questions", "[unit]") {
    const auto survey = testing::demoSurvey();
    CHECK(survey.id == "riverside-2026");
    REQUIRE(survey.instruments.size() == 3);
    CHECK(survey.instruments[0].key == "equity-excellence@1.0.0");
    CHECK(survey.instruments[1].firstAnswerIndex == survey.instruments[0].definition().items.size());
    CHECK(survey.answerCount() == 43);
    REQUIRE(survey.demographics.size() == 4);
    CHECK(survey.demographics[0].choices.size() == survey.schools.size());
    const auto& race = survey.demographics[3];
    CHECK(race.id == "race");
    CHECK(race.isMultiple);
    CHECK(race.choices.back().isPreferNotToSay);
    CHECK(race.choices.back().label.in("es") == "Prefiero no decirlo");
    CHECK(survey.minGroupSize == 5);
    CHECK(survey.isOpenOn(testing::dayWhenDemoIsOpen()));
    CHECK_FALSE(survey.isOpenOn(std::chrono::year_month_day{std::chrono::year(2027), std::chrono::month(7), std::chrono::day(1)}));
}

TEST_CASE("an invalid survey names the field and the reason", "[unit]") {
    auto survey = demoJson();
    SECTION("an instrument that is not loaded") {
        survey["instruments"][1] = "shared-responsibility@9.9.9";
        CHECK(problemWith(survey) ==
              "$.instruments[1]: instrument shared-responsibility@9.9.9 is not loaded (loaded: "
              "continuous-improvement@0.9.0, continuous-improvement@1.0.0, equity-excellence@1.0.0, reo-readiness@1.0.0, reo-readiness@1.1.0, "
              "shared-responsibility@1.0.0)");
    }
    SECTION("an instrument without a version") {
        survey["instruments"][0] = "equity-excellence";
        CHECK(problemWith(survey) == "$.instruments[0]: expected a pinned version \"id@version\", got 'equity-excellence'");
    }
    SECTION("a missing field") {
        survey.erase("schoolYear");
        CHECK(problemWith(survey) == "$.schoolYear: required field is missing");
    }
    SECTION("a date that does not exist") {
        survey["opens"] = "2026-02-30";
        CHECK(problemWith(survey) == "$.opens: expected a date as YYYY-MM-DD, got '2026-02-30'");
    }
    SECTION("closing before opening") {
        survey["closes"] = "2026-08-01";
        CHECK(problemWith(survey) == "$.closes: the survey closes before it opens");
    }
    SECTION("a duplicate school") {
        survey["schools"][1]["id"] = survey["schools"][0]["id"];
        CHECK(problemWith(survey) == "$.schools[1].id: duplicate school id 'cedar-elementary'");
    }
    SECTION("a minimum group size too small to protect anyone") {
        survey["minGroupSize"] = 1;
        CHECK(problemWith(survey) == "$.minGroupSize: expected a whole number from 3 to 100, got 1");
    }
    SECTION("an unsupported language") {
        survey["languages"].push_back("fr");
        CHECK(problemWith(survey) == "$.languages[2]: expected \"en\" or \"es\", got \"fr\"");
    }
    SECTION("a question without English text") {
        survey["demographics"][1]["label"] = json{{"es", "¿Cuál es su función?"}};
        CHECK(problemWith(survey) == "$.demographics[1].label.en: English text is required");
    }
    SECTION("not JSON at all") {
        CHECK_THROWS_WITH(surveys::parseSurvey("{ not json", "broken.json", shippedInstruments()),
                          Catch::StartsWith("broken.json: $: not valid JSON"));
    }
}

TEST_CASE("a survey folder reports invalid files and still loads the valid ones", "[unit]") {
    testing::TempFolder folder;
    testing::writeFile(folder.path() / "a-good.json", demoJson().dump());
    auto broken = demoJson();
    broken["id"] = "broken";
    broken["instruments"] = json::array({"nope@1.0.0"});
    testing::writeFile(folder.path() / "b-broken.json", broken.dump());
    testing::writeFile(folder.path() / "c-same-id.json", demoJson().dump());
    testing::writeFile(folder.path() / "notes.txt", "not a survey");

    const auto catalog = surveys::loadSurveyFolder(folder.path(), shippedInstruments());
    REQUIRE(catalog.surveys.size() == 1);
    CHECK(catalog.find("riverside-2026") != nullptr);
    REQUIRE(catalog.invalid.size() == 2);
    CHECK(catalog.invalid[0].file() == folder.path() / "b-broken.json");
    CHECK(catalog.invalid[0].field() == "$.instruments[0]");
    CHECK(catalog.invalid[1].file() == folder.path() / "c-same-id.json");
    CHECK(catalog.invalid[1].reason() == "survey id 'riverside-2026' is already used by " + (folder.path() / "a-good.json").string());
}
