#include <catch2/catch.hpp>

#include "support/TestSupport.h"
#include "surveys/ResponseEncoding.h"

using namespace mindset;
using surveys::FormFields;
using surveys::ProblemKind;

namespace {

/// A complete, valid answer to the demo survey: every item answered with `code`.
FormFields completeAnswers(const surveys::SurveyDefinition& survey, int code) {
    FormFields fields{{"d.school", "maple-elementary"}, {"d.role", "teacher"}, {"d.years", "3-5"},
                      {"d.race", "black"},              {"d.race", "hispanic"}};
    for (const auto& instrument : survey.instruments)
        for (const auto& item : instrument.definition().items)
            fields.emplace_back(surveys::itemFieldName(instrument, item), std::to_string(code));
    return fields;
}

ProblemKind onlyProblem(const surveys::ResponseCheck& check, const std::string& field) {
    REQUIRE(check.problems.size() == 1);
    CHECK(check.problems[0].field == field);
    return check.problems[0].kind;
}

}  // namespace

TEST_CASE("a complete response encodes to the stored layout and decodes back", "[unit]") {
    const auto survey = testing::demoSurvey();
    const auto check = surveys::checkResponse(survey, completeAnswers(survey, 4), {"lang"});
    REQUIRE(check.isValid());
    // school maple = choice 3 -> 3; role teacher = 1; years 3-5 = 2; race black (bit 2) + hispanic (bit 3) = 12
    const std::vector<std::uint8_t> demographics{3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 12, 0, 0, 0};
    CHECK(check.response.demographics == demographics);
    CHECK(check.response.answers == std::vector<std::uint8_t>(43, 4));

    const auto decoded = surveys::decodeResponse(survey, check.response);
    CHECK(decoded.demographics[0] == std::vector<std::string>{"maple-elementary"});
    CHECK(decoded.demographics[3] == std::vector<std::string>{"black", "hispanic"});
    CHECK(decoded.answers == std::vector<int>(43, 4));
}

TEST_CASE("unanswered optional questions and items are stored as no answer", "[unit]") {
    const auto survey = testing::demoSurvey();
    const auto check = surveys::checkResponse(
        survey, {{"d.school", "cedar-elementary"}, {"d.role", "prefer-not-to-say"}, {"d.years", ""}, {"lang", "es"}}, {"lang"});
    REQUIRE(check.isValid());
    CHECK(check.response.demographics == std::vector<std::uint8_t>{1, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    CHECK(check.response.answers == std::vector<std::uint8_t>(43, 0));
}

TEST_CASE("each malformed or incomplete field is named with its problem", "[unit]") {
    const auto survey = testing::demoSurvey();
    auto fields = completeAnswers(survey, 3);
    auto with = [&](const std::string& name, const std::string& value) {
        auto changed = fields;
        for (auto& [n, v] : changed)
            if (n == name) v = value;
        return surveys::checkResponse(survey, changed, {"lang"});
    };

    CHECK(onlyProblem(with("i.equity-excellence.ee01", "6"), "i.equity-excellence.ee01") == ProblemKind::InvalidChoice);
    CHECK(onlyProblem(with("i.equity-excellence.ee01", "0"), "i.equity-excellence.ee01") == ProblemKind::InvalidChoice);
    CHECK(onlyProblem(with("i.equity-excellence.ee01", "04"), "i.equity-excellence.ee01") == ProblemKind::InvalidChoice);
    CHECK(onlyProblem(with("i.equity-excellence.ee01", " 4"), "i.equity-excellence.ee01") == ProblemKind::InvalidChoice);
    CHECK(onlyProblem(with("d.role", "astronaut"), "d.role") == ProblemKind::InvalidChoice);
    CHECK(onlyProblem(with("d.school", ""), "d.school") == ProblemKind::Missing);

    auto unknown = fields;
    unknown.emplace_back("i.equity-excellence.ee99", "3");
    CHECK(onlyProblem(surveys::checkResponse(survey, unknown, {"lang"}), "i.equity-excellence.ee99") == ProblemKind::UnknownField);

    auto twice = fields;
    twice.emplace_back("i.shared-responsibility.sr01", "5");
    CHECK(onlyProblem(surveys::checkResponse(survey, twice, {"lang"}), "i.shared-responsibility.sr01") == ProblemKind::DuplicateField);

    auto twoRoles = fields;
    twoRoles.emplace_back("d.role", "paraprofessional");
    CHECK(onlyProblem(surveys::checkResponse(survey, twoRoles, {"lang"}), "d.role") == ProblemKind::DuplicateField);

    auto preferNot = fields;
    preferNot.emplace_back("d.race", "prefer-not-to-say");
    CHECK(onlyProblem(surveys::checkResponse(survey, preferNot, {"lang"}), "d.race") == ProblemKind::PreferNotToSayWithOthers);
}

TEST_CASE("a survey that requires every item names each unanswered item", "[unit]") {
    auto survey = testing::demoSurvey();
    survey.requiresEveryItem = true;
    auto fields = completeAnswers(survey, 2);
    std::erase_if(fields, [](const auto& f) { return f.first == "i.continuous-improvement.ci15"; });
    const auto check = surveys::checkResponse(survey, fields, {"lang"});
    CHECK(onlyProblem(check, "i.continuous-improvement.ci15") == ProblemKind::Missing);
}

TEST_CASE("stored bytes that do not fit the survey are refused when decoding", "[unit]") {
    const auto survey = testing::demoSurvey();
    CHECK_THROWS_AS(surveys::decodeResponse(survey, {{1, 0, 0, 0}, std::vector<std::uint8_t>(43, 1)}), std::invalid_argument);
}

TEST_CASE("each field is on the page that asks it, and names that only look like a field are on none", "[unit]") {
    const auto survey = testing::demoSurvey();
    for (const auto& question : survey.demographics) CHECK(surveys::pageOfField(survey, "d." + question.id) == 1);
    for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
        const auto& instrument = survey.instruments[i];
        for (const auto& item : instrument.definition().items) {
            INFO(surveys::itemFieldName(instrument, item));
            CHECK(surveys::pageOfField(survey, surveys::itemFieldName(instrument, item)) == 2 + i);
        }
    }
    const auto& first = survey.instruments.front().definition();
    const auto itemOfFirst = "i." + first.id + "." + first.items.front().id;
    for (const auto& notAField : {std::string("d."), std::string("d.nope"), std::string("d.role.x"), std::string("i."),
                                  "i." + first.id, "i." + first.id + ".", "i." + first.id + "x." + first.items.front().id,
                                  itemOfFirst + "x", "x" + itemOfFirst, std::string("c.nope"), std::string("role"), std::string()}) {
        INFO(notAField);
        CHECK(surveys::pageOfField(survey, notAField) == 0);
    }
}
