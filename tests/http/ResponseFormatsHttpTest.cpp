// A survey that mixes a shipped 5-point agreement instrument with instruments on a 4-point
// implementation scale, a 7-point agreement scale and a 5-point frequency scale, and one with
// custom scoring and item tags reported as sub-scores (issue 10):
// every output answers 200 and reads each instrument on its own options, range and rule.
#include <catch2/catch.hpp>
#include <regex>

#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analytics/RawExport.h"
#include "analytics/ResponseFormat.h"
#include "app/Startup.h"
#include "auth/Passwords.h"
#include "cli/Report.h"
#include "demo/DemoResponses.h"
#include "support/FixtureSurveys.h"
#include "support/TestSite.h"

using namespace mindset;
using nlohmann::json;
using testing::TestSite;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kPage = "/leader/surveys/mixed-formats-2026";
const std::string kApi = "/api/surveys/mixed-formats-2026/profile";

std::unique_ptr<TestSite> mixedFormatsSite() {
    std::vector<surveys::SurveyDefinition> definitions;
    definitions.push_back(testing::surveyWithInstruments(
        "riverside-2026.json", "mixed-formats-2026",
        {"equity-excellence@1.0.0", "fixture-stages@1.0.0", "fixture-agreement7@1.0.0", "fixture-frequency@1.0.0", "fixture-tags-custom@1.0.0"}));
    auto site = TestSite::withSurveys(std::move(definitions));
    std::vector<store::StoredResponse> rows;
    for (auto& r : demo::generateResponses(site->survey(), 300, 11)) rows.push_back({r.demographics, r.answers});
    site->store().insertResponses(site->survey().storeId, rows);
    site->publishRelease();  // leaders read releases only
    REQUIRE(site->store().createAccount({0, "leader", auth::hashPassword(kPassword), std::nullopt, "2026-08-15"}));
    REQUIRE(site->signIn("leader", kPassword).status == 303);
    return site;
}

/// The page's text without its tags, runs of white space as one space: a chart wraps a long
/// axis label onto two lines of an SVG <text>.
std::string textOf(const std::string& html) {
    std::string text;
    bool isInTag = false;
    for (const char c : html) {
        if (c == '<') isInTag = true;
        const bool isSpace = isInTag || c == ' ' || c == '\n';
        if (c == '>') isInTag = false;
        if (isSpace) {
            if (!text.empty() && text.back() != ' ') text += ' ';
        } else {
            text += c;
        }
    }
    return text;
}

const json& scaleOf(const json& profile, const std::string& instrument, const std::string& scale) {
    for (const auto& s : profile["scales"])
        if (s["instrument"] == instrument && s["scale"] == scale) return s;
    FAIL("no scale " << instrument << "/" << scale);
    throw;
}

}  // namespace

TEST_CASE("a survey mixing 4-, 5- and 7-point and frequency instruments shows each on its own format", "[http][formats]") {
    auto site = mixedFormatsSite();

    // Regression: this page answered 500 with "expected one count per option (4), got 5" (a
    // 4-point instrument after a 5-point one) and "expected 1 to 5 response options, got 7".
    const auto page = site->get(kPage);
    REQUIRE(page.status == 200);
    // Each instrument's own range and end labels, on its charts' axes and in its reading.
    const auto text = textOf(page.body);
    CHECK(text.find("Mean score (1 = Strongly disagree, 5 = Strongly agree)") != std::string::npos);
    CHECK(text.find("Mean score (1 = Not started, 4 = Established)") != std::string::npos);
    CHECK(text.find("Mean score (1 = Strongly disagree, 7 = Strongly agree)") != std::string::npos);
    CHECK(text.find("Mean score (1 = Never, 5 = Always)") != std::string::npos);
    CHECK(page.contains("Each scale runs from 1 (Not started) to 4 (Established). Favorable means a score of 3 or more."));
    CHECK(page.contains("Each scale runs from 1 (Never) to 5 (Always). Favorable means a score of 4 or more."));
    CHECK(page.contains("Each scale runs from 1 (Strongly disagree) to 7 (Strongly agree), after reverse-keyed statements are "
                        "turned around. Favorable means a score of 5 or more."));
    CHECK_FALSE(page.contains("from 1 (strongly disagree) to 5 (strongly agree)"));
    // Each scale's page heads the columns of its statements' table with the instrument's own options.
    std::string scalePages;
    const std::regex scaleLink("href=\"(/leader/surveys/[^\"?]+\\?lang=en&amp;scale=[^\"#]+)\"");
    for (auto it = std::sregex_iterator(page.body.begin(), page.body.end(), scaleLink); it != std::sregex_iterator(); ++it) {
        const auto scalePage = site->get(std::regex_replace(it->str(1), std::regex("&amp;"), "&"));
        REQUIRE(scalePage.status == 200);
        scalePages += scalePage.body;
    }
    CHECK(scalePages.find("<th scope=\"col\">Developing</th>") != std::string::npos);
    CHECK(scalePages.find("<th scope=\"col\">Somewhat agree</th>") != std::string::npos);
    CHECK(scalePages.find("<th scope=\"col\">Rarely</th>") != std::string::npos);
    // Seven options take the eleven-colour scale, each option its own colour.
    CHECK(scalePages.find("chart-seg11-11") != std::string::npos);
    // Strengths and growth are ranked on a figure that means the same on every format, and say so.
    CHECK(page.contains("Ranked by % favorable"));
    // The custom-scored instrument's tags are sub-scores after its scales, marked as such, each with a page of its statements.
    CHECK(page.contains(">Focus: Students</a><br><span class=\"meta\">sub-score by Focus"));
    CHECK(scalePages.find("Every student can reach high standards.") != std::string::npos);
    // Its custom figure is labelled as the instrument's own computation, on its own range, in its table and on its page.
    CHECK(page.contains(">Beliefs: Top answers</a><br><span class=\"meta\">the instrument&apos;s own figure, 0 to 1</span>"));
    CHECK(scalePages.find("A custom figure, computed by the instrument&apos;s own code:") != std::string::npos);
    CHECK(textOf(scalePages).find("custom figure (0 to 1)") != std::string::npos);  // its breakdown charts' axis

    const auto spanish = site->get(kPage + "?lang=es");
    REQUIRE(spanish.status == 200);
    CHECK(textOf(spanish.body).find("Puntuación media (1 = No iniciado, 4 = Establecido)") != std::string::npos);
    CHECK(spanish.contains("Cada escala va de 1 (Nunca) a 5 (Siempre). Favorable significa una puntuación de 4 o más."));

    const auto api = site->get(kApi);
    REQUIRE(api.status == 200);
    const auto profile = json::parse(api.body);
    const auto& stages = scaleOf(profile, "fixture-stages@1.0.0", "vision");
    CHECK(stages["scoreRange"] == json::array({1, 4}));
    CHECK(stages["options"][3]["label"] == "Established");
    CHECK(stages["items"][0]["counts"].size() == 4);
    const auto& seven = scaleOf(profile, "fixture-agreement7@1.0.0", "belonging");
    CHECK(seven["scoreRange"] == json::array({1, 7}));
    CHECK(seven["items"][0]["counts"].size() == 7);
    CHECK(seven["items"][0]["counts"].contains("7"));
    CHECK(seven["mean"].get<double>() >= 1);
    CHECK(seven["mean"].get<double>() <= 7);
    const auto& topShare = scaleOf(profile, "fixture-tags-custom@1.0.0", "beliefs~top-share");
    CHECK(topShare["scoreRange"] == json::array({0.0, 1.0}));
    CHECK(topShare["customFigureOf"]["figure"] == "top-share");
    CHECK(topShare["mean"].get<double>() >= 0);
    CHECK(topShare["mean"].get<double>() <= 1);
    const auto& students = scaleOf(profile, "fixture-tags-custom@1.0.0", "focus:students");
    CHECK(students["subScoreOf"]["value"] == "students");
    CHECK(students["n"].get<int>() > 0);
    CHECK(students["items"].size() == 3);
    const auto& frequency = scaleOf(profile, "fixture-frequency@1.0.0", "practices");
    CHECK(frequency["options"][0]["label"] == "Never");
    CHECK(profile["rankedBy"] == "favorableShare");
    // The ranking follows the share favorable, not the mean.
    double previous = 2;
    for (const auto& key : profile["ranking"]) {
        const auto slash = key.get<std::string>().find('/');
        const auto& scale = scaleOf(profile, key.get<std::string>().substr(0, slash), key.get<std::string>().substr(slash + 1));
        const double share = scale["favorable"]["share"].get<double>();
        CHECK(share <= previous);
        previous = share;
    }

    const auto items = site->get(kPage + "/tables/items.csv");
    REQUIRE(items.status == 200);
    CHECK(items.contains("fixture-agreement7@1.0.0,belonging,b1,0,7,"));
    CHECK(items.contains("fixture-stages@1.0.0,vision,v1,0,4,"));
    CHECK_FALSE(items.contains("fixture-stages@1.0.0,vision,v1,0,5,"));
    const auto scalesCsv = site->get(kPage + "/tables/scales.csv");
    REQUIRE(scalesCsv.status == 200);
    CHECK(scalesCsv.contains("fixture-tags-custom@1.0.0,focus:adults,"));
    for (const auto& question : {"school", "role", "race"}) CHECK(site->get(kPage + "/tables/breakdown-" + std::string(question) + ".csv").status == 200);

    // The operator's export (`mindset export`; leaders get tables only) and its codebook.
    std::ostringstream exported, codebook;
    const auto summary = analytics::writeRawExport(site->survey(), app::storedResponses(site->store(), site->survey()), exported);
    analytics::writeCodebook(site->survey(), summary, codebook);
    CHECK(exported.str().find("fixture-agreement7.b3") != std::string::npos);
    CHECK(codebook.str().find("1 = Not started") != std::string::npos);
    CHECK(codebook.str().find("7 = Strongly agree") != std::string::npos);
    CHECK(codebook.str().find("1 = Never") != std::string::npos);
}

TEST_CASE("the text report reads each instrument on its format and lists no scale as both strength and growth",
          "[http][formats]") {
    auto site = mixedFormatsSite();
    const auto profile = analytics::buildProfile(site->survey(), app::storedResponses(site->store(), site->survey()));
    std::ostringstream out;
    cli::printReport(out, profile, site->survey(), "en");
    const auto report = out.str();
    CHECK(report.find("Fixture: implementation stages: Each scale runs from 1 (Not started) to 4 (Established).") != std::string::npos);
    CHECK(report.find("(1 to 7)") != std::string::npos);
    CHECK(report.find("(0 to 1)") != std::string::npos);  // the custom figure, on its own range
    CHECK(report.find("Strengths (highest % favorable):") != std::string::npos);

    // Every scale listed under the two headings is listed once.
    const auto strengths = report.find("Strengths (highest % favorable):");
    const auto growth = report.find("Areas for growth (lowest % favorable):");
    const auto end = report.find("Ranked by % favorable", growth);
    REQUIRE(end != std::string::npos);
    std::multiset<std::string> listed;
    std::istringstream lines(report.substr(strengths, end - strengths));
    for (std::string line; std::getline(lines, line);)
        if (line.rfind("  ", 0) == 0) listed.insert(line.substr(2, line.rfind("  ") - 2));
    CHECK(listed.size() == 6);  // 9 ranked scales (sub-scores and custom figures are not): three and three
    for (const auto& title : listed) CHECK(listed.count(title) == 1);
}
