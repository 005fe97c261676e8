// Comments (issue 12 item 5): comment questions in survey files, the text as it is kept (tidied,
// counted in characters, contact details masked), and which comments a release shows.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "analytics/ReleaseComments.h"
#include "demo/DemoResponses.h"
#include "support/TestSupport.h"
#include "surveys/Comments.h"
#include "surveys/ContactMasking.h"
#include "surveys/Promises.h"
#include "surveys/ResponseEncoding.h"

using namespace mindset;
using surveys::maskContacts;
using nlohmann::json;

namespace {

json demoJson() {
    return json::parse(testing::readFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2026.json"));
}

std::vector<std::string> problemsIn(const json& survey) {
    std::vector<std::string> lines;
    try {
        surveys::parseSurvey(survey.dump(2), "survey.json", testing::shippedInstruments());
    } catch (const surveys::SurveyError& e) {
        for (const auto& problem : e.problems()) lines.push_back(problem.field + ": " + problem.reason);
    }
    return lines;
}

}  // namespace

TEST_CASE("masking: e-mail addresses as written in English and Spanish", "[unit][comments][privacy]") {
    CHECK(maskContacts("Write to ana.ruiz@riverside.org please") == "Write to [email] please");
    CHECK(maskContacts("Mi correo: JOSE_P+pd@escuela.edu.mx.") == "Mi correo: [email].");
    CHECK(maskContacts("escríbame a jose arroba escuela punto mx") == "escríbame a [email]");
    CHECK(maskContacts("ana (at) riverside (dot) org") == "[email]");
    CHECK(maskContacts("ana [at] riverside [dot] org and more") == "[email] and more");
}

TEST_CASE("masking: web addresses, with or without a scheme", "[unit][comments][privacy]") {
    CHECK(maskContacts("see https://forms.example.com/x?y=1.") == "see [web].");
    CHECK(maskContacts("(http://blog.example.net/a/b)") == "([web])");
    CHECK(maskContacts("visite www.escuela.mx, gracias") == "visite [web], gracias");
    CHECK(maskContacts("my page is riverside-teachers.com/ana now") == "my page is [web] now");
    CHECK(maskContacts("sitio: colegio.es") == "sitio: [web]");
}

TEST_CASE("masking: telephone numbers in US, Mexican and Spanish formats", "[unit][comments][privacy]") {
    CHECK(maskContacts("call (512) 555-0134 today") == "call [phone] today");
    CHECK(maskContacts("512-555-0134") == "[phone]");
    CHECK(maskContacts("512.555.0134") == "[phone]");
    CHECK(maskContacts("+1 512 555 0134") == "[phone]");
    CHECK(maskContacts("text 5125550134") == "text [phone]");
    CHECK(maskContacts("llame al +52 55 1234 5678") == "llame al [phone]");
    CHECK(maskContacts("55 1234 5678") == "[phone]");
    CHECK(maskContacts("(55) 1234-5678") == "[phone]");
    CHECK(maskContacts("móvil 612 34 56 78") == "móvil [phone]");
    CHECK(maskContacts("+34 612 345 678") == "[phone]");
    CHECK(maskContacts("ext. 555-0134") == "ext. [phone]");
}

TEST_CASE("masking keeps what is not a contact detail: years, dates, counts, times, accents", "[unit][comments]") {
    for (const std::string text : {"In 2024-2025 we had 5 new teachers.", "Desde 2024/25 somos 12.", "on 2025-03-01 and 03/01/2025",
                                   "1,500 students, 3:15 meeting, room 101 and 102", "e.g. this, i.e. that", "María, José y Ñandú",
                                   "We scored 4.5 out of 5", "the 10 15 minute breaks"}) {
        INFO(text);
        CHECK(maskContacts(text) == text);
    }
}

TEST_CASE("masking a long comment neither crashes nor leaves a contact", "[unit][comments]") {
    const std::string url = "https://example.org/" + std::string(1980, 'a');
    CHECK(maskContacts(url) == "[web]");
    std::string many;
    for (int i = 0; i < 100; ++i) many += "ana" + std::to_string(i) + "@example.org 512-555-01" + std::to_string(10 + i % 90) + " ";
    const auto masked = maskContacts(many);
    CHECK(masked.find('@') == std::string::npos);
    CHECK(masked.find("555") == std::string::npos);
}

TEST_CASE("a comment is counted in characters and tidied", "[unit][comments]") {
    CHECK(surveys::utf8Length("abc") == 3u);
    CHECK(surveys::utf8Length("año ñandú 😀") == 11u);
    CHECK_FALSE(surveys::utf8Length(std::string("caf\xC3", 4)));
    CHECK_FALSE(surveys::utf8Length("\xC0\xAF"));          // overlong
    CHECK_FALSE(surveys::utf8Length("\xED\xA0\x80"));      // a surrogate
    CHECK(surveys::tidyComment("  one\r\ntwo\rthree\x01\x7F  \n") == "one\ntwo\nthree");
    CHECK(surveys::tidyComment(" \t\r\n ").empty());
}

TEST_CASE("survey files declare comment questions strictly", "[unit][comments]") {
    auto survey = demoJson();
    const auto parsed = surveys::parseSurvey(survey.dump(), "survey.json", testing::shippedInstruments());
    REQUIRE(parsed.comments.size() == 1);
    CHECK(parsed.comments[0].id == "anything-else");
    CHECK(parsed.comments[0].maxLength == 2000);
    CHECK(parsed.commentMinGroupSize == 10);

    SECTION("the default threshold is at least 10 and never below the survey's smallest group shown") {
        survey.erase("commentMinGroupSize");
        survey["minGroupSize"] = 8;
        CHECK(surveys::parseSurvey(survey.dump(), "s.json", testing::shippedInstruments()).commentMinGroupSize == 16);
        survey["commentMinGroupSize"] = 12;
        CHECK(problemsIn(survey) == std::vector<std::string>{
                                        "$.commentMinGroupSize: expected a whole number from the smallest group shown (16) to 1000, got 12"});
    }
    SECTION("every problem named") {
        survey["comments"] = json::array({{{"id", "Bad Id"}, {"label", {{"en", "Anything?"}}}, {"maxLength", 5000}, {"maxLenght", 3}},
                                          {{"id", "x"}, {"label", {{"en", "More?"}, {"es", "¿Más?"}}}},
                                          {{"id", "x"}, {"label", {{"en", "Again?"}, {"es", "¿Otra?"}}}}});
        const auto problems = problemsIn(survey);
        CHECK(std::find(problems.begin(), problems.end(), "$.comments[0].maxLenght: unknown field \"maxLenght\" in a comment question; did you mean \"maxLength\"?") != problems.end());
        CHECK(std::find(problems.begin(), problems.end(), "$.comments[0].id: expected lowercase letters, digits, - or _ (1-64 chars), got 'Bad Id'") != problems.end());
        CHECK(std::find(problems.begin(), problems.end(), "$.comments[0].maxLength: expected a whole number of characters from 1 to 2000, got 5000") != problems.end());
        CHECK(std::find(problems.begin(), problems.end(), "$.comments[2].id: duplicate comment question id 'x'") != problems.end());
        CHECK(std::find(problems.begin(), problems.end(),
                        "$.comments[0].label: no Spanish (\"es\") text for \"Anything?\", and the survey offers \"es\" in $.languages") != problems.end());
    }
    SECTION("at most three questions") {
        json question{{"id", "q"}, {"label", {{"en", "Q?"}, {"es", "¿P?"}}}};
        survey["comments"] = json::array();
        for (int i = 0; i < 4; ++i) {
            question["id"] = "q" + std::to_string(i);
            survey["comments"].push_back(question);
        }
        CHECK(problemsIn(survey) == std::vector<std::string>{"$.comments: a survey may ask at most 3 comment questions, got 4"});
    }
}

TEST_CASE("a comment is checked on the last page and carries only its text, masked", "[unit][comments]") {
    const auto survey = testing::demoSurvey();
    const surveys::FormFields fields{{"d.school", "eastside-high"}, {"d.role", "teacher"}, {"c.anything-else", " Call 512-555-0134 \r\n"}};
    auto check = surveys::checkResponse(survey, fields, {});
    REQUIRE(check.isValid());
    REQUIRE(check.response.comments.size() == 1);
    CHECK(check.response.comments[0].text == "Call [phone]");
    CHECK(surveys::commentGroupKey(survey, check.response.demographics) == "eastside-high");
    CHECK(surveys::pageOfField(survey, "c.anything-else") == survey.pageCount());
    CHECK(surveys::checkPage(survey, 1, fields, {}).problems.size() == 1);  // not a field of page 1
    CHECK(surveys::unansweredFields(survey, {}).size() == survey.demographics.size() + survey.answerCount());

    const auto unanswered = surveys::checkResponse(survey, {{"d.role", "teacher"}, {"c.anything-else", "x"}}, {});
    CHECK(surveys::commentGroupKey(survey, unanswered.response.demographics) == "no-answer");
    const auto tooLong = surveys::checkResponse(survey, {{"d.school", "eastside-high"}, {"d.role", "teacher"}, {"c.anything-else", std::string(2001, 'x')}}, {});
    REQUIRE(tooLong.problems.size() == 1);
    CHECK(tooLong.problems[0].kind == surveys::ProblemKind::TooLong);
    CHECK(tooLong.problems[0].value == "2001");
}

TEST_CASE("a release shows a school's comments only when final and shown at the comment threshold on every scale", "[unit][comments][privacy]") {
    auto survey = testing::demoSurvey();
    survey.commentMinGroupSize = 20;
    auto responses = demo::generateResponses(survey, 400, 3);
    const auto profile = analytics::buildProfile(survey, analytics::responsesInMemory(responses));
    const auto& schools = profile.breakdowns[0];  // the school question is the demo's first
    REQUIRE(schools.questionId == "school");

    std::vector<analytics::StoredCommentText> comments;
    for (const auto& category : schools.categories) comments.push_back({"anything-else", category.id, "about " + category.id});
    comments.push_back({"removed-question", schools.categories[0].id, "kept out"});

    CHECK(analytics::releaseComments(survey, profile, false, comments).questions.empty());
    const auto shown = analytics::releaseComments(survey, profile, true, comments);
    REQUIRE(shown.questions.size() == 1);
    REQUIRE(shown.questions[0].groups.size() == schools.categories.size());
    for (std::size_t c = 0; c < schools.categories.size(); ++c) {
        const auto& group = shown.questions[0].groups[c];
        INFO(group.key);
        bool isLargeEverywhere = true;
        for (const auto& cells : schools.cellsByScale)
            isLargeEverywhere = isLargeEverywhere && cells[c].hidden == analytics::HiddenBecause::Shown && cells[c].size >= 20;
        CHECK(group.isShown == isLargeEverywhere);
        CHECK(group.texts == (isLargeEverywhere ? std::vector<std::string>{"about " + group.key} : std::vector<std::string>{}));
    }
    // The demo has both: some schools shown, and "no answer" (nobody skipped it) hidden.
    CHECK(std::any_of(shown.questions[0].groups.begin(), shown.questions[0].groups.end(), [](const auto& g) { return g.isShown; }));
    CHECK_FALSE(shown.questions[0].groups.back().isShown);

    const auto csv = analytics::commentsCsv(shown);
    CHECK(csv.starts_with("question,school,comment\r\n"));
    CHECK(csv.find("kept out") == std::string::npos);
    CHECK(csv.find("no-answer") == std::string::npos);
}

TEST_CASE("the comments export keeps a spreadsheet from running a comment as a formula", "[unit][comments]") {
    analytics::ReleaseComments comments;
    comments.isFinalRelease = true;
    comments.questions.push_back({"q", {}, {{"a-school", {}, true, {"=HYPERLINK(\"x\")", "fine, \"quoted\""}}}});
    CHECK(analytics::commentsCsv(comments) ==
          "question,school,comment\r\nq,a-school,\"'=HYPERLINK(\"\"x\"\")\"\r\nq,a-school,\"fine, \"\"quoted\"\"\"\r\n");
}

TEST_CASE("once responses exist, a lower commentMinGroupSize is refused; raising it is fine", "[unit][comments]") {
    const auto change = [](int minimum) {
        auto root = demoJson();
        root["commentMinGroupSize"] = minimum;
        return surveys::parseSurvey(root.dump(2), "riverside-2026.json", testing::shippedInstruments());
    };
    auto stored = change(15);
    CHECK(surveys::brokenPromises(stored.json, stored.answerLayout(), change(20)).empty());
    const auto broken = surveys::brokenPromises(stored.json, stored.answerLayout(), change(12));
    REQUIRE(broken.size() == 1);
    CHECK(broken[0].field == "$.commentMinGroupSize");
    CHECK(broken[0].stored == "15");
    CHECK(broken[0].updated == "12");
    // A file that did not name it promised the default, max(10, the open link's 10).
    auto root = demoJson();
    root.erase("commentMinGroupSize");
    const auto implicit = surveys::parseSurvey(root.dump(2), "riverside-2026.json", testing::shippedInstruments());
    CHECK(surveys::brokenPromises(implicit.json, implicit.answerLayout(), change(10)).empty());
}
