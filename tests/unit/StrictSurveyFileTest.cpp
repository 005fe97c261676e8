// Strict survey files (issue 14): unknown fields refused with the nearest known name, every problem
// of a file listed at once, missing translations, file names in any case, nothing skipped silently,
// JSON syntax errors in plain words.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/TestSupport.h"
#include "surveys/JsonSyntax.h"
#include "surveys/SurveyCatalog.h"
#include "surveys/SurveyFields.h"

using namespace mindset;
using mindset::testing::shippedInstruments;
using nlohmann::json;

namespace {

json demoJson() {
    return json::parse(testing::readFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2026.json"));
}

/// Every problem a survey file text raises, as "field: reason" lines; empty when it is valid.
std::vector<std::string> problemsIn(const std::string& text) {
    std::vector<std::string> lines;
    try {
        surveys::parseSurvey(text, "survey.json", shippedInstruments());
    } catch (const surveys::SurveyError& e) {
        for (const auto& problem : e.problems()) lines.push_back(problem.field + ": " + problem.reason);
    }
    return lines;
}

std::vector<std::string> problemsIn(const json& survey) { return problemsIn(survey.dump(2)); }

/// The one problem of a text that is not valid JSON.
std::string syntaxProblem(const std::string& text) {
    const auto problems = problemsIn(text);
    REQUIRE(problems.size() == 1);
    return problems.front();
}

}  // namespace

TEST_CASE("a misspelled survey field is refused with the known field it is closest to", "[unit][surveys]") {
    auto survey = demoJson();
    SECTION("\"acess\" would otherwise turn a code survey into an open link") {
        survey["acess"] = "codes";
        CHECK(problemsIn(survey) ==
              std::vector<std::string>{"$.acess: unknown field \"acess\" in the survey; did you mean \"access\"?"});
    }
    SECTION("another naming style") {
        survey["min_group_size"] = survey["minGroupSize"];
        survey.erase("minGroupSize");
        const auto problems = problemsIn(survey);
        REQUIRE(problems.size() == 2);
        CHECK(problems[0] == "$.min_group_size: unknown field \"min_group_size\" in the survey; did you mean \"minGroupSize\"?");
        CHECK(problems[1] == "$.minGroupSize: required field is missing");
    }
    SECTION("inside a demographic question") {
        survey["demographics"][1]["requried"] = true;
        CHECK(problemsIn(survey) == std::vector<std::string>{"$.demographics[1].requried: unknown field \"requried\" in a "
                                                             "demographic question; did you mean \"required\"?"});
    }
    SECTION("inside a school, a choice and a text") {
        survey["schools"][2]["staf"] = 40;
        survey["demographics"][1]["choices"][0]["lable"] = "Teacher";
        survey["title"]["ES"] = "Encuesta";
        CHECK(problemsIn(survey) == std::vector<std::string>{
                                        "$.title.ES: unknown field \"ES\" in a text (languages); did you mean \"es\"?",
                                        "$.schools[2].staf: unknown field \"staf\" in a school; did you mean \"staff\"?",
                                        "$.demographics[1].choices[0].lable: unknown field \"lable\" in a choice; did you "
                                        "mean \"label\"?"});
    }
    SECTION("a name close to nothing lists the fields there are") {
        survey["district"]["state"] = "TX";
        CHECK(problemsIn(survey) ==
              std::vector<std::string>{"$.district.state: unknown field \"state\" in the district (its fields are: id, name)"});
    }
}

TEST_CASE("nearestName allows a few slips and ignores case and separators, nothing more", "[unit][surveys]") {
    const std::vector<std::string_view> known{"access", "required", "minGroupSize", "schools"};
    CHECK(surveys::nearestName("acess", known) == "access");
    CHECK(surveys::nearestName("requried", known) == "required");
    CHECK(surveys::nearestName("MIN-GROUP-SIZE", known) == "minGroupSize");
    CHECK(surveys::nearestName("school", known) == "schools");
    CHECK(surveys::nearestName("axe", known).empty());
    CHECK(surveys::nearestName("districts", known).empty());
}

TEST_CASE("every problem of a survey file is listed at once, not only the first", "[unit][surveys]") {
    auto survey = demoJson();
    survey["acess"] = "codes";
    survey["opens"] = "2026-02-30";
    survey["minGroupSize"] = 1;
    survey["instruments"][1] = "shared-responsibility@9.9.9";
    survey["demographics"][1]["choices"][2]["label"].erase("es");
    const auto problems = problemsIn(survey);
    REQUIRE(problems.size() == 5);
    CHECK(problems[0] == "$.acess: unknown field \"acess\" in the survey; did you mean \"access\"?");
    CHECK(problems[1] == "$.opens: expected a date as YYYY-MM-DD, got '2026-02-30'");
    CHECK(problems[2] == "$.minGroupSize: expected a whole number from 3 to 100, got 1");
    CHECK_THAT(problems[3], Catch::StartsWith("$.instruments[1]: instrument shared-responsibility@9.9.9 is not loaded"));
    CHECK_THAT(problems[4], Catch::StartsWith("$.demographics[1].choices[2].label: no Spanish (\"es\") text for \""));

    try {
        surveys::parseSurvey(survey.dump(), "survey.json", shippedInstruments());
        FAIL("the survey was accepted");
    } catch (const surveys::SurveyError& e) {
        CHECK_THAT(e.what(), Catch::StartsWith("survey.json: 5 problems:\n  $.acess: unknown field"));
    }
}

TEST_CASE("a survey offering Spanish needs Spanish text for every question, hint and choice", "[unit][surveys]") {
    auto survey = demoJson();
    SECTION("a choice label without Spanish") {
        const std::string english = survey["demographics"][1]["choices"][0]["label"]["en"];
        survey["demographics"][1]["choices"][0]["label"].erase("es");
        CHECK(problemsIn(survey) == std::vector<std::string>{"$.demographics[1].choices[0].label: no Spanish (\"es\") text for \"" +
                                                             english + "\", and the survey offers \"es\" in $.languages"});
    }
    SECTION("a question label given as English only, and an empty Spanish hint") {
        survey["demographics"][2]["label"] = "How many years?";
        survey["demographics"][3]["hint"]["es"] = "";
        const auto problems = problemsIn(survey);
        REQUIRE(problems.size() == 2);
        CHECK(problems[0] == "$.demographics[2].label: no Spanish (\"es\") text for \"How many years?\", and the survey offers "
                             "\"es\" in $.languages");
        CHECK_THAT(problems[1], Catch::StartsWith("$.demographics[3].hint.es: no Spanish (\"es\") text for"));
    }
    SECTION("the title without English") {
        survey["title"].erase("en");
        CHECK(problemsIn(survey) == std::vector<std::string>{"$.title.en: English text is required"});
    }
    SECTION("an English-only survey needs no Spanish") {
        survey["languages"] = json::array({"en"});
        survey["demographics"][1]["choices"][0]["label"].erase("es");
        CHECK(problemsIn(survey).empty());
    }
}

TEST_CASE("JSON syntax errors are told in plain words with line and column", "[unit][surveys]") {
    SECTION("a comma after the last element") {
        CHECK(syntaxProblem("{\n  \"languages\": [\"en\", \"es\",],\n  \"id\": \"x\"\n}") ==
              "$: not valid JSON: line 2, column 27: a comma after the last element, before the ] at line 2, column 28; "
              "JSON allows no comma there: remove it");
        CHECK_THAT(syntaxProblem("{\n  \"id\": \"x\",\n}"), Catch::StartsWith("$: not valid JSON: line 2, column 12: a comma after the last element, before the }"));
    }
    SECTION("curly quotes, shown as the characters they are") {
        CHECK_THAT(syntaxProblem("{\n  \"access\": \u201Ccodes\u201D\n}"),
                   Catch::StartsWith("$: not valid JSON: line 2, column 13: \u201C is a curly (typographic) quote; JSON needs "
                                     "straight double quotes (\")"));
        CHECK_THAT(syntaxProblem("{\n  \u201Caccess\u201D: \"codes\"\n}"),
                   Catch::StartsWith("$: not valid JSON: line 2, column 3: \u201C is a curly"));
    }
    SECTION("a text never closed") {
        CHECK(syntaxProblem("{\n  \"id\": \"riverside,\n  \"title\": \"x\"\n}") ==
              "$: not valid JSON: line 2, column 9: this text is never closed: add the closing \" (a text cannot run past "
              "the end of its line; write \\n for a line break inside it)");
    }
    SECTION("a missing comma") {
        CHECK_THAT(syntaxProblem("{\n  \"id\": \"x\"\n  \"title\": \"y\"\n}"),
                   Catch::StartsWith("$: not valid JSON: line 3, column 3: a comma is missing before this text"));
    }
    SECTION("the file ends too early, or is empty") {
        CHECK_THAT(syntaxProblem("{\n  \"languages\": [\"en\"\n"), Catch::Contains("the file ends before every { and [ is closed"));
        CHECK(syntaxProblem("  \n") == "$: not valid JSON: the file is empty: a survey file is one JSON object, { ... }");
    }
    SECTION("a missing colon, a missing value") {
        CHECK(syntaxProblem("{\n  \"id\" \"x\"\n}") ==
              "$: not valid JSON: line 2, column 8: a colon (:) is missing between a field's name and its value");
        CHECK(syntaxProblem("{\n  \"id\": ,\n}") == "$: not valid JSON: line 2, column 9: a value is missing before this comma");
    }
    SECTION("a word without quotes") {
        CHECK_THAT(syntaxProblem("{\n  \"access\": codes\n}"),
                   Catch::StartsWith("$: not valid JSON: line 2, column 13: not a JSON value: a text needs double quotes"));
    }
    SECTION("columns count characters, not bytes") {
        CHECK(surveys::positionOf("{\n  \"t\": \"Año\", x", 17).column == 15);
    }
}

TEST_CASE("a survey folder reads .JSON in any case and reports what it does not read", "[unit][surveys]") {
    testing::TempFolder folder;
    auto upper = demoJson();
    upper["id"] = "upper-case-name";
    testing::writeFile(folder.path() / "Riverside.JSON", upper.dump());
    testing::writeFile(folder.path() / "riverside.json.txt", demoJson().dump());
    testing::writeFile(folder.path() / "notes.md", "# notes");
    std::filesystem::create_directory(folder.path() / "archive");

    const auto catalog = surveys::loadSurveyFolder(folder.path(), shippedInstruments());
    REQUIRE(catalog.surveys.size() == 1);
    CHECK(catalog.surveys[0].id == "upper-case-name");
    CHECK(catalog.invalid.empty());
    REQUIRE(catalog.skipped.size() == 3);
    CHECK(catalog.skipped[0].path == folder.path() / "archive");
    CHECK_THAT(catalog.skipped[0].reason, Catch::StartsWith("a folder: survey files are read only from the survey folder itself"));
    CHECK(catalog.skipped[1].path == folder.path() / "notes.md");
    CHECK(catalog.skipped[1].reason == "only names ending in .json are survey files");
    CHECK(catalog.skipped[2].path == folder.path() / "riverside.json.txt");
    CHECK_THAT(catalog.skipped[2].reason, Catch::EndsWith("rename it to end in .json if it is one"));
}

TEST_CASE("every shipped survey file passes the strict checks", "[unit][surveys]") {
    const auto catalog = surveys::loadSurveyFolder(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys", shippedInstruments());
    for (const auto& error : catalog.invalid) FAIL(error.what());
    CHECK(catalog.surveys.size() == 12);  // 11 district staff surveys and riverside-reo-2026
}
