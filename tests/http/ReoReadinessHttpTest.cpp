// The shipped Racial Equity Office readiness instrument in its demo survey,
// surveys/riverside-reo-2026.json (issue 10, item 8): the form offers the four implementation
// labels and "Don't know" in both languages, and the profile of a small hand-made data set gives
// the mean and favorable share computed by hand, "don't know" left out of both.
#include <catch2/catch.hpp>

#include <array>

#include <nlohmann/json.hpp>

#include "auth/Passwords.h"
#include "support/FixtureSurveys.h"
#include "support/FormMarkup.h"
#include "support/TestSite.h"
#include "surveys/ResponseEncoding.h"

using namespace mindset;
using nlohmann::json;
using testing::TestSite;

namespace {

const std::string kSurvey = "riverside-reo-2026";
const std::string kPassword = "correct horse battery";

/// The demo survey file as shipped (its own id and instrument list).
std::unique_ptr<TestSite> reoSite(const std::string& instrumentKey = "reo-readiness@1.0.0") {
    std::vector<surveys::SurveyDefinition> definitions;
    definitions.push_back(testing::surveyWithInstruments("riverside-reo-2026.json", kSurvey, {instrumentKey}));
    return TestSite::withSurveys(std::move(definitions));
}

/// Stores one response per row of `answers` (one department and role; `answers[r][k]` for the
/// items from `firstItem` on, every other item "Developing"), publishes a release and signs in a leader.
template <std::size_t N>
void fieldAndPublish(TestSite& site, std::size_t firstItem, const std::vector<std::array<int, N>>& answers) {
    const auto& survey = site.survey();
    const auto& instrument = survey.instruments.front();
    std::vector<store::StoredResponse> rows;
    for (const auto& row : answers) {
        surveys::FormFields fields{{"d.school", "curriculum-instruction"}, {"d.role", "specialist"}};
        for (std::size_t i = 0; i < instrument.definition().items.size(); ++i)
            fields.emplace_back(surveys::itemFieldName(instrument, instrument.definition().items[i]),
                                std::to_string(i >= firstItem && i < firstItem + N ? row[i - firstItem] : 3));
        const auto check = surveys::checkResponse(survey, fields, {});
        INFO((check.problems.empty() ? std::string() : check.problems.front().field + " = '" + check.problems.front().value + "'"));
        REQUIRE(check.isValid());
        rows.push_back({check.response.demographics, check.response.answers});
    }
    site.store().insertResponses(survey.storeId, rows);
    site.publishRelease();
    REQUIRE(site.store().createAccount({0, "leader", auth::hashPassword(kPassword), std::nullopt, "2026-08-15"}));
    REQUIRE(site.signIn("leader", kPassword).status == 303);
}

}  // namespace

TEST_CASE("the REO readiness demo survey offers Not started to Established and Don't know, in English and Spanish",
          "[http][formats]") {
    auto site = reoSite();
    const auto page = site->get("/surveys/" + kSurvey + "/all");
    REQUIRE(page.status == 200);
    CHECK(page.contains("Curriculum &amp; Instruction"));  // the units are central-office departments
    const auto first = testing::fieldsetOf(page.body, "i.reo-readiness.reo01");
    REQUIRE_FALSE(first.empty());
    std::size_t previous = 0;
    for (const auto& label : {"Not started", "Beginning", "Developing", "Established"}) {
        INFO(label);
        const auto at = first.find(std::string("> <span>") + label + "</span>");
        REQUIRE(at != std::string::npos);
        CHECK(at > previous);
        previous = at;
    }
    // Four points, four columns: the grid does not leave an empty fifth column beside them.
    CHECK(first.find(R"(<div class="scale points-4">)") != std::string::npos);
    const auto dontKnow = first.find(R"(<label class="choice aside"><input type="radio" name="i.reo-readiness.reo01" value="9"> <span>Don)");
    REQUIRE(dontKnow != std::string::npos);
    CHECK(dontKnow > previous);

    const auto spanish = site->get("/surveys/" + kSurvey + "/all?lang=es");
    REQUIRE(spanish.status == 200);
    const auto primero = testing::fieldsetOf(spanish.body, "i.reo-readiness.reo01");
    REQUIRE_FALSE(primero.empty());
    for (const auto& label : {"No iniciado", "Inicial", "En desarrollo", "Consolidado"})
        CHECK(primero.find(std::string("> <span>") + label + "</span>") != std::string::npos);
    CHECK(primero.find(R"(value="9"> <span>No sé</span>)") != std::string::npos);
    CHECK(spanish.contains("Currículo e Instrucción"));
}

TEST_CASE("the profile of a hand-made REO readiness data set gives the hand-computed mean, don't know left out",
          "[http][formats]") {
    auto site = reoSite();
    // Vision and policy (reo01-reo03, minAnswered 2); 9 = don't know. Scores by hand:
    //   4, 3, 3 (2 and 4), 1.5, none (one answer), 3.5, 2, 1, 10/3, 2.5, 4, none, 10/3, 2.5
    // -> 12 scores, sum 27 + 20/3 = 101/3, mean 101/36; favorable (>= 3): 7 of 12.
    const std::vector<std::array<int, 3>> vision{{4, 4, 4}, {3, 3, 3}, {2, 9, 4}, {1, 2, 9}, {9, 9, 3}, {4, 3, 9}, {2, 2, 2},
                                                 {1, 1, 1}, {3, 4, 3}, {9, 2, 3}, {4, 4, 9}, {3, 9, 9}, {3, 3, 4}, {2, 3, 9}};
    fieldAndPublish(*site, 0, vision);

    const auto api = site->get("/api/surveys/" + kSurvey + "/profile");
    REQUIRE(api.status == 200);
    const auto data = json::parse(api.body);
    const json* visionPolicy = nullptr;
    for (const auto& s : data["scales"])
        if (s["instrument"] == "reo-readiness@1.0.0" && s["scale"] == "vision-policy") visionPolicy = &s;
    REQUIRE(visionPolicy);
    CHECK((*visionPolicy)["scoreRange"] == json::array({1, 4}));
    CHECK((*visionPolicy)["mean"].get<double>() == Approx(101.0 / 36.0).epsilon(1e-9));
    CHECK((*visionPolicy)["favorable"]["share"].get<double>() == Approx(7.0 / 12.0).epsilon(1e-9));
    const auto& reo01 = (*visionPolicy)["items"][0];
    CHECK(reo01["item"] == "reo01");
    CHECK(reo01["unscoredCounts"] == json::array({2}));  // respondents 5 and 10
    CHECK(reo01["counts"] == json{{"1", 2}, {"2", 3}, {"3", 4}, {"4", 3}});

    const auto page = site->get("/leader/surveys/" + kSurvey + "?lang=es&scale=reo-readiness.vision-policy");
    REQUIRE(page.status == 200);
    CHECK(page.contains(R"(<th scope="col" class="unscored">No sé</th>)"));
}

TEST_CASE("REO readiness 1.1.0 shows each phase as a sub-score of the implementation scale, with the hand-computed mean",
          "[http][formats][tags]") {
    auto site = reoSite("reo-readiness@1.1.0");
    // Naming the goals: reo17 and reo18 (items 17 and 18), a sub-score from one answer on; 9 = don't know.
    //   4, 3, 2, 1.5, none, 3.5, 2, 1, 3.5, 2, 4, 3, 3, 2.5 -> 13 scores, sum 35, mean 35/13; favorable (>= 3): 7 of 13.
    const std::vector<std::array<int, 2>> goals{{4, 4}, {3, 3}, {2, 9}, {1, 2}, {9, 9}, {4, 3}, {2, 2},
                                                {1, 1}, {3, 4}, {9, 2}, {4, 4}, {3, 9}, {3, 3}, {2, 3}};
    fieldAndPublish(*site, 16, goals);

    const auto data = json::parse(site->get("/api/surveys/" + kSurvey + "/profile").body);
    const json* naming = nullptr;
    for (const auto& s : data["scales"])
        if (s["scale"] == "phase:naming-the-goals") naming = &s;
    REQUIRE(naming);
    CHECK((*naming)["subScoreOf"]["group"] == "phase");
    CHECK((*naming)["n"] == 13);
    CHECK((*naming)["mean"].get<double>() == Approx(35.0 / 13.0).epsilon(1e-9));
    CHECK((*naming)["favorable"]["share"].get<double>() == Approx(7.0 / 13.0).epsilon(1e-9));
    REQUIRE((*naming)["items"].size() == 2);
    CHECK((*naming)["items"][0]["item"] == "reo17");
    CHECK((*naming)["items"][0]["unscoredCounts"] == json::array({2}));
    // Ranked: the five scales only.
    CHECK(data["ranking"].size() == 5);

    // The overview lists it under the instrument's scales, marked as a sub-score; its page shows its statements.
    const auto overview = site->get("/leader/surveys/" + kSurvey);
    REQUIRE(overview.status == 200);
    CHECK(overview.contains(">Phase: Naming the goals</a><br><span class=\"meta\">sub-score by Phase</span>"));
    CHECK(overview.contains("Sub-scores by Phase average the statements tagged with each"));  // said once, under the table
    const auto spanish = site->get("/leader/surveys/" + kSurvey + "?lang=es");
    CHECK(spanish.contains(">Fase: Definición de las metas</a><br><span class=\"meta\">subpuntuación por Fase</span>"));
    const auto detail = site->get("/leader/surveys/" + kSurvey + "?scale=reo-readiness.phase:naming-the-goals");
    REQUIRE(detail.status == 200);
    CHECK(detail.contains("The district has named specific, measurable goals for racial equity."));
    CHECK(detail.contains("Central-office staff know which racial equity goals apply to their department."));
}
