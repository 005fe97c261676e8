#include <catch2/catch.hpp>

#include <regex>

#include <nlohmann/json.hpp>

#include "imports/ImportMapping.h"
#include "support/ImportFixtures.h"

using namespace mindset;
using imports::MappingProblem;
using nlohmann::json;

namespace {

json formsMapping() { return json::parse(testing::readFile(testing::importFixture("riverside-2024-forms.mapping.json"))); }

std::vector<MappingProblem> problemsOfText(std::string_view text, const surveys::SurveyDefinition& survey) {
    try {
        imports::parseMapping(text, survey);
    } catch (const imports::MappingError& e) {
        return e.problems();
    }
    return {};
}

std::vector<MappingProblem> problemsOf(const json& mapping, const surveys::SurveyDefinition& survey) {
    return problemsOfText(mapping.dump(), survey);
}

/// The only problem, or fails.
MappingProblem onlyProblem(const std::vector<MappingProblem>& problems) {
    INFO(imports::MappingError(problems).what());
    REQUIRE(problems.size() == 1);
    return problems[0];
}

}  // namespace

TEST_CASE("the example mappings read every question and item of riverside-2024", "[unit][import]") {
    const auto survey = testing::riverside2024();
    const auto forms = imports::parseMapping(testing::readFile(testing::importFixture("riverside-2024-forms.mapping.json")), survey);
    CHECK(forms.surveyId == "riverside-2024");
    CHECK(forms.extraHeaderRows == 0);
    CHECK(forms.unmapped.empty());
    REQUIRE(forms.sources.size() == survey.demographics.size() + survey.answerCount());  // 4 + 43
    CHECK(forms.sources[0].field == "d.school");
    CHECK(forms.sources[0].column == "Which school do you work at most of the time?");
    CHECK(forms.sources[0].values.at("cedar elementary school") == "cedar-elementary");  // compared without case
    CHECK(forms.sources[3].field == "d.race");
    CHECK(forms.sources[3].separator == ", ");
    CHECK(forms.sources[4].field == "i.equity-excellence.ee01");
    CHECK(forms.sources[4].values.at("strongly agree") == "5");
    CHECK(forms.sources.back().field == "i.continuous-improvement.cip14");

    const auto qualtrics = imports::parseMapping(testing::readFile(testing::importFixture("riverside-2024-qualtrics.mapping.json")), survey);
    CHECK(qualtrics.extraHeaderRows == 2);
    CHECK(qualtrics.sources[3].separator == ",");
    CHECK(qualtrics.sources[4].column == "Q5_1");
    CHECK(qualtrics.sources[4].values.at("-99").empty());  // null: no answer
}

TEST_CASE("a mapping may leave out optional questions and items, which are then unanswered", "[unit][import]") {
    const auto survey = testing::riverside2024();
    auto mapping = formsMapping();
    mapping["demographics"].erase("years");
    mapping["items"].erase("equity-excellence.ee14");
    const auto parsed = imports::parseMapping(mapping.dump(), survey);
    CHECK(parsed.unmapped == std::vector<std::string>{"question years", "item equity-excellence.ee14"});
}

TEST_CASE("each mistake in a mapping is named by its field", "[unit][import]") {
    const auto survey = testing::riverside2024();
    auto mapping = formsMapping();

    SECTION("an item the survey does not have") {
        mapping["items"]["equity-excellence.ee99"] = "Extra question";
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.items[\"equity-excellence.ee99\"]");
        CHECK(problem.reason == "instrument equity-excellence@1.0.0 has no item 'ee99' (its items: ee01, ee02, ee03, ee04, ee05, ee06, ee07, ee08, ee09, ee10, ee11, ee12, ee13, ee14)");
    }
    SECTION("an instrument the survey does not have") {
        mapping["items"]["growth-mindset.gm01"] = "Extra question";
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.items[\"growth-mindset.gm01\"]");
        CHECK(problem.reason ==
              "survey 'riverside-2024' has no instrument 'growth-mindset' (its instruments: equity-excellence, "
              "shared-responsibility, continuous-improvement)");
    }
    SECTION("an item named without its instrument") {
        mapping["items"]["ee01"] = "Extra question";
        CHECK(onlyProblem(problemsOf(mapping, survey)).reason == "expected <instrument>.<item>, such as equity-excellence.ee01");
    }
    SECTION("a required question left out") {
        mapping["demographics"].erase("school");
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.demographics.school");
        CHECK(problem.reason == "required question 'school' has no column; every response needs an answer to it");
    }
    SECTION("a question the survey does not ask") {
        mapping["demographics"]["gender"] = {{"column", "Gender"}, {"values", {{"Woman", "woman"}}}};
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.demographics.gender");
        CHECK(problem.reason == "survey 'riverside-2024' has no demographic question 'gender' (its questions: school, role, years, race)");
    }
    SECTION("two items reading one column") {
        mapping["items"]["equity-excellence.ee02"] = mapping["items"]["equity-excellence.ee01"];
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.items[\"equity-excellence.ee02\"]");
        CHECK(problem.reason ==
              "column 'Equity and excellence [I believe every student at my school can reach high academic standards.]' is already "
              "read for item equity-excellence.ee01; one column can answer only one question or item");
    }
    SECTION("a question and an item reading one column, written differently") {
        mapping["items"]["equity-excellence.ee01"] = "  WHAT IS YOUR ROLE?";
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.items[\"equity-excellence.ee01\"]");
        CHECK_THAT(problem.reason, Catch::StartsWith("column '  WHAT IS YOUR ROLE?' is already read for question 'role'"));
    }
    SECTION("a value that is not one of the question's choices") {
        mapping["demographics"]["role"]["values"]["Custodian"] = "custodian";
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.demographics.role.values.Custodian");
        CHECK(problem.reason ==
              "'custodian' is not a choice of question 'role' (its choices: teacher, paraprofessional, school-leader, "
              "student-support, central-office, other-staff, prefer-not-to-say)");
    }
    SECTION("an answer code the response scale does not have, named once for the three instruments sharing it") {
        mapping["answers"]["Very strongly agree"] = 6;
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.answers[\"Very strongly agree\"]");
        CHECK(problem.reason == "6 is not a code of response scale 'agreement-5' (codes 1 to 5)");
    }
    SECTION("an item's own answers") {
        mapping["items"]["equity-excellence.ee04"] = {{"column", mapping["items"]["equity-excellence.ee04"]}, {"answers", {{"Yes", 0}}}};
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.items[\"equity-excellence.ee04\"].answers.Yes");
        CHECK(problem.reason == "0 is not a code of response scale 'agreement-5' (codes 1 to 5)");
    }
    SECTION("no answers to read the items with") {
        mapping.erase("answers");
        const auto problems = problemsOf(mapping, survey);
        CHECK(problems.size() == survey.answerCount());
        CHECK(problems[0].field == "$.items[\"equity-excellence.ee01\"]");
        CHECK(problems[0].reason == "no answers to read it with: add \"answers\" here, or a shared \"answers\" at the top");
    }
    SECTION("declining an item on a survey that does not offer it") {
        mapping["answers"]["Prefer not to answer"] = "prefer-not-to-answer";
        CHECK(onlyProblem(problemsOf(mapping, survey)).reason ==
              "survey 'riverside-2024' does not offer \"Prefer not to answer\" on items; use null for no answer");
    }
    SECTION("a separator on a question that takes one choice") {
        mapping["demographics"]["role"]["separator"] = ";";
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.demographics.role.separator");
        CHECK(problem.reason == "question 'role' takes one choice; only a multiple-choice question has a separator");
    }
    SECTION("two texts that differ only in case") {
        mapping["answers"]["AGREE"] = 5;
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.answers.Agree");  // nlohmann reads keys in sorted order: "AGREE" first
        CHECK(problem.reason == "the same text as another entry once case and surrounding spaces are ignored");
    }
    SECTION("an empty text") {
        mapping["answers"][" "] = nullptr;
        CHECK(onlyProblem(problemsOf(mapping, survey)).reason == "an empty cell always means no answer; leave this entry out");
    }
    SECTION("a mapping for another survey") {
        mapping["survey"] = "riverside-2025";
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.survey");
        CHECK(problem.reason == "the mapping is for survey 'riverside-2025', not 'riverside-2024'");
    }
    SECTION("an unknown field") {
        mapping["demographics"]["race"]["seperator"] = ";";
        const auto problem = onlyProblem(problemsOf(mapping, survey));
        CHECK(problem.field == "$.demographics.race.seperator");
        CHECK(problem.reason == "unknown field (expected one of: column, values, separator)");
    }
    SECTION("header rows out of range") {
        mapping["extraHeaderRows"] = -1;
        CHECK(onlyProblem(problemsOf(mapping, survey)).field == "$.extraHeaderRows");
    }
}

TEST_CASE("a choice text may contain the separator (the Census wording), and the pilot's item ids are named with the valid ones",
          "[unit][import]") {
    const auto survey = testing::riverside2024();
    auto mapping = formsMapping();
    mapping["demographics"]["race"]["values"]["Hispanic, Latino, or Spanish origin"] = "hispanic";
    CHECK(problemsOf(mapping, survey).empty());

    // A mapping written for the pilot (continuous-improvement@0.9.0: cip01-cip14) against a survey
    // that pins 1.0.0: each item names the ids 1.0.0 has.
    const auto pilotIds = json::parse(testing::readFile(testing::importFixture("riverside-2025-pilot-ids.mapping.json")));
    const auto problems = problemsOf(pilotIds, testing::riverside2025());
    REQUIRE(problems.size() == 14);
    CHECK(problems[0].field == "$.items[\"continuous-improvement.cip01\"]");
    CHECK(problems[0].reason ==
          "instrument continuous-improvement@1.0.0 has no item 'cip01' (its items: ci01, ci02, ci03, ci04, ci05, ci06, ci07, ci08, "
          "ci09, ci10, ci11, ci12, ci13, ci14, ci15)");
}

TEST_CASE("every problem of a mapping is listed at once", "[unit][import]") {
    const auto survey = testing::riverside2024();
    auto mapping = formsMapping();
    mapping["demographics"].erase("role");
    mapping["items"]["equity-excellence.ee99"] = "Extra";
    mapping["answers"]["Totally"] = 9;
    const auto problems = problemsOf(mapping, survey);
    REQUIRE(problems.size() == 3);
    try {
        imports::parseMapping(mapping.dump(), survey);
    } catch (const imports::MappingError& e) {
        const std::string text = e.what();
        CHECK_THAT(text, Catch::StartsWith("the mapping cannot be used:\n  $.demographics.role: required question 'role' has no column"));
        CHECK_THAT(text, Catch::Contains("\n  $.answers.Totally: 9 is not a code of response scale 'agreement-5'"));
        CHECK_THAT(text, Catch::Contains("\n  $.items[\"equity-excellence.ee99\"]: instrument equity-excellence@1.0.0 has no item 'ee99' (its items: ee01, "));
    }
}

TEST_CASE("a key written twice in a mapping is a problem, not a silent choice of the last", "[unit][import]") {
    const auto survey = testing::riverside2024();
    auto text = formsMapping().dump(2);
    const std::string agree = "\"Agree\": 4,";
    REQUIRE(text.find(agree) != std::string::npos);
    text.replace(text.find(agree), agree.size(), agree + " \"Agree\": 5,");
    const auto problem = onlyProblem(problemsOfText(text, survey));
    CHECK(problem.field == "$.answers.Agree");
    CHECK(problem.reason == "appears twice in one object; only one of them can count");

    CHECK(onlyProblem(problemsOfText("{\"survey\": ", survey)).reason.starts_with("not valid JSON: "));
    CHECK(onlyProblem(problemsOfText("[1, 2]", survey)).reason == "expected an object");
}

TEST_CASE("a survey that requires every item needs a column for every item", "[unit][import]") {
    auto survey = testing::riverside2024();
    survey.requiresEveryItem = true;
    auto mapping = formsMapping();
    mapping["items"].erase("shared-responsibility.sr07");
    const auto problem = onlyProblem(problemsOf(mapping, survey));
    CHECK(problem.field == "$.items[\"shared-responsibility.sr07\"]");
    CHECK(problem.reason == "survey 'riverside-2024' requires every item, so every item needs a column");
}

TEST_CASE("the mappings shown in docs/importing.md are the tested example files", "[unit][import]") {
    const auto doc = testing::readFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "docs" / "importing.md");
    std::vector<std::string> blocks;
    const std::regex block("```json\n([\\s\\S]*?)```");
    for (auto it = std::sregex_iterator(doc.begin(), doc.end(), block); it != std::sregex_iterator(); ++it)
        blocks.push_back((*it)[1].str());
    REQUIRE(blocks.size() >= 2);
    CHECK(blocks[0] == testing::readFile(testing::importFixture("riverside-2024-forms.mapping.json")));
    CHECK(blocks[1] == testing::readFile(testing::importFixture("riverside-2024-qualtrics.mapping.json")));
}
