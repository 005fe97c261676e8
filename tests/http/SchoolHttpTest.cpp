#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "auth/Passwords.h"
#include "demo/DemoPlan.h"
#include "demo/DemoResponses.h"
#include "support/TestSite.h"
#include "web/Routes.h"

using namespace mindset;
using nlohmann::json;
using testing::Reply;
using testing::TestSite;

// School leaders (issue 11, item 5): a school-scoped account reads its own school's report, made of
// the school's row of the district release's breakdown by school, and gets 404 everywhere else.

namespace {

const std::string kPassword = "correct horse battery";
const std::string kSchool = "lakeview-elementary";

std::string schoolPage(const std::string& survey, const std::string& school = kSchool) {
    return "/leader/surveys/" + survey + "/schools/" + school;
}

/// Riverside's three school years with the demo plan's responses (2024-25 and 2025-26 closed with
/// final releases, 2026-27 open with an interim one) and Brazos Valley's 2026-27, which has a school
/// with the same id as Riverside's ("central-office"). Accounts: a school leader of Lakeview
/// Elementary, a Riverside district leader, a Brazos Valley district leader, a network account.
std::unique_ptr<TestSite> schoolSite() {
    const auto plan = demo::loadDemoPlan(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "demo" / "plan.json");
    std::vector<surveys::SurveyDefinition> definitions;
    for (const auto* id : {"riverside-2024", "riverside-2025", "riverside-2026", "brazos-valley-2026"})
        definitions.push_back(surveys::loadSurveyFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / (std::string(id) + ".json"),
                                                      testing::shippedInstruments()));
    auto site = TestSite::withSurveys(std::move(definitions));
    for (const auto& survey : site->catalog().surveys) {
        const auto planned = std::find_if(plan.surveys.begin(), plan.surveys.end(), [&](const demo::PlannedSurvey& p) { return p.surveyId == survey.id; });
        REQUIRE(planned != plan.surveys.end());
        const auto count = survey.districtId == "riverside-isd" ? planned->responses : 150;
        std::vector<store::StoredResponse> rows;
        for (auto& r : demo::generateResponses(survey, count, planned->seed, plan.profileFor(*planned, survey.districtId)))
            rows.push_back({r.demographics, r.answers});
        site->store().insertResponses(survey.storeId, rows);
        site->publishRelease(survey.id);
    }
    const auto hash = auth::hashPassword(kPassword);
    REQUIRE(site->store().createAccount({0, "principal", hash, std::string("riverside-isd"), "2026-08-15", kSchool}));
    REQUIRE(site->store().createAccount({0, "office", hash, std::string("riverside-isd"), "2026-08-15", std::string("central-office")}));
    REQUIRE(site->store().createAccount({0, "leader", hash, std::string("riverside-isd"), "2026-08-15"}));
    REQUIRE(site->store().createAccount({0, "brazos", hash, std::string("brazos-valley-isd"), "2026-08-15"}));
    REQUIRE(site->store().createAccount({0, "network", hash, std::nullopt, "2026-08-15"}));
    return site;
}

void signInAs(TestSite& site, const std::string& username) {
    site.cookies().clear();
    REQUIRE(site.signIn(username, kPassword).status == 303);
}

/// As the page writes a figure in English: two decimals, a true minus sign.
std::string shown(double x, bool isSigned = false) {
    char text[32];
    std::snprintf(text, sizeof text, isSigned ? "%+.2f" : "%.2f", x);
    std::string out = text;
    if (out == "-0.00" || out == "+0.00") out = "0.00";
    if (out[0] == '-') out = "\u2212" + out.substr(1);
    return out;
}

std::string percentText(double share) {
    char text[16];
    std::snprintf(text, sizeof text, "%.0f%%", 100 * share);
    return text;
}

std::string countText(std::int64_t n) {
    auto digits = std::to_string(n);
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<std::size_t>(at), ",");
    return digits;
}

/// The HTML of the table row whose row header is `label`, from `from` on; empty if none.
std::string rowOf(const std::string& html, const std::string& label, std::size_t from = 0) {
    const auto header = html.find("<th scope=\"row\">" + label + "</th>", from);
    if (header == std::string::npos) return "";
    const auto start = html.rfind("<tr", header);
    return html.substr(start, html.find("</tr>", header) - start);
}

/// Every <tbody> of the tables with class `tableClass`, tags removed: where the page's figures are.
std::string tableBodiesText(const std::string& html, const std::string& tableClass) {
    std::string text;
    for (auto at = html.find("<table class=\"" + tableClass + "\">"); at != std::string::npos;
         at = html.find("<table class=\"" + tableClass + "\">", at + 1)) {
        const auto body = html.find("<tbody>", at);
        text += html.substr(body, html.find("</tbody>", body) - body) + "\n";
    }
    return std::regex_replace(text, std::regex("<[^>]*>"), " ");
}

/// One group's figures on one scale, computed here from the stored responses with the instruments'
/// published scoring rule (mean of the answered items after reverse keying, when at least
/// minAnswered are answered; favorable at or above favorableAtLeast), not with the product's code.
struct Independent {
    std::vector<double> scores;
    double mean() const {
        double sum = 0;
        for (double s : scores) sum += s;
        return sum / static_cast<double>(scores.size());
    }
    double favorableShare(double atLeast) const {
        return static_cast<double>(std::count_if(scores.begin(), scores.end(), [&](double s) { return s >= atLeast - 1e-9; })) /
               static_cast<double>(scores.size());
    }
};

/// Per scale ("instrument@version/scale"): the school's scores, the rest of the district's and everyone's.
struct ScaleScores {
    Independent school, rest, district;
    double favorableAtLeast = 0;
    std::string title;
};

std::map<std::string, ScaleScores> scoresBySchool(TestSite& site, const surveys::SurveyDefinition& survey, const std::string& schoolId) {
    std::map<std::string, ScaleScores> out;
    std::size_t schoolQuestion = 0;
    while (!survey.demographics[schoolQuestion].isFromSchools) ++schoolQuestion;
    for (const auto& stored : site.store().responses(survey.storeId)) {
        const auto decoded = surveys::decodeResponse(survey, {stored.demographics, stored.answers});
        const auto& school = decoded.demographics[schoolQuestion];
        const bool isSchool = school.size() == 1 && school[0] == schoolId;
        for (const auto& instrument : survey.instruments) {
            const auto& d = instrument.definition();
            for (const auto& scale : d.scales) {
                double sum = 0;
                int answered = 0;
                for (std::size_t i = 0; i < d.items.size(); ++i) {
                    const int code = decoded.answers[instrument.firstAnswerIndex + i];
                    if (d.items[i].scaleId != scale.id || code == 0 || d.responseScale.isUnscoredCode(code)) continue;
                    sum += d.items[i].isReverseKeyed ? d.responseScale.minCode() + d.responseScale.maxCode() - code : code;
                    ++answered;
                }
                auto& scores = out[instrument.key + "/" + scale.id];
                scores.favorableAtLeast = scale.favorableAtLeast;
                scores.title = scale.title.in("en");
                if (answered < scale.minAnswered) continue;
                const double score = sum / answered;
                scores.district.scores.push_back(score);
                (isSchool ? scores.school : scores.rest).scores.push_back(score);
            }
        }
    }
    return out;
}

/// Every figure a district leader can read of a release and of the district's trends, written as
/// pages write figures: what a school page may show, and all it may show.
void collectFigures(const json& value, std::set<std::string>& figures) {
    if (value.is_object() || value.is_array()) {
        for (const auto& child : value) collectFigures(child, figures);
        return;
    }
    if (!value.is_number()) return;
    const double x = value.get<double>();
    figures.insert(shown(x));
    figures.insert(shown(x, true));
    if (x >= 0 && x <= 1) figures.insert(percentText(x));
    if (value.is_number_integer()) figures.insert(countText(value.get<std::int64_t>()));
}

std::vector<std::string> figureTokens(const std::string& text) {
    // The minus sign is three bytes in UTF-8: an alternation, not a character class.
    static const std::regex number("(?:\\+|\u2212)?[0-9]+(?:,[0-9]{3})*(?:\\.[0-9]+)?%?");
    std::vector<std::string> tokens;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), number); it != std::sregex_iterator(); ++it) tokens.push_back(it->str());
    return tokens;
}

}  // namespace

TEST_CASE("a school leader's home lists their school's reports and nothing of the district", "[http][school]") {
    auto site = schoolSite();
    signInAs(*site, "principal");
    const auto home = site->get("/leader");
    REQUIRE(home.status == 200);
    CHECK(home.contains("<h2 id=\"school-reports\">Lakeview Elementary School</h2>"));
    for (const auto* survey : {"riverside-2024", "riverside-2025", "riverside-2026"}) {
        INFO(survey);
        CHECK(home.contains("href=\"" + schoolPage(survey) + "?lang=en\""));
    }
    CHECK_FALSE(home.contains("/leader/districts/"));
    CHECK_FALSE(home.contains("href=\"/leader/surveys/riverside-2026?"));
    CHECK_FALSE(home.contains("/network"));
    CHECK_FALSE(home.contains("maple-elementary"));

    const auto spanish = site->get("/leader?lang=es");
    CHECK(spanish.contains("Esta cuenta lee el informe de Lakeview Elementary School"));
}

TEST_CASE("a school leader's report shows the school's figures of the release, as computed independently", "[http][school]") {
    auto site = schoolSite();
    signInAs(*site, "principal");
    const auto* survey = site->catalog().find("riverside-2025");
    const auto page = site->get(schoolPage("riverside-2025"));
    REQUIRE(page.status == 200);
    const auto& html = page.body;
    CHECK(html.find("<h1>Lakeview Elementary School, 2025–26</h1>") != std::string::npos);
    const auto record = site->store().releases(survey->storeId).back();
    CHECK(page.contains("Release " + std::to_string(record.number) + " (final), published " + record.publishedOn));

    const auto results = html.find("id=\"results-title\"");
    REQUIRE(results != std::string::npos);
    const auto scores = scoresBySchool(*site, *survey, kSchool);
    REQUIRE(scores.size() == 9);
    std::size_t clear = 0;
    for (const auto& [key, scale] : scores) {
        INFO(key);
        REQUIRE(scale.school.scores.size() >= 30);  // large enough to be shown
        const auto row = rowOf(html, scale.title, results);
        REQUIRE_FALSE(row.empty());
        const auto schoolMean = scale.school.mean();
        CHECK(row.find("<strong>" + shown(schoolMean) + "</strong> · " + percentText(scale.school.favorableShare(scale.favorableAtLeast)) +
                       " favorable") != std::string::npos);
        CHECK(row.find("n " + countText(static_cast<std::int64_t>(scale.school.scores.size()))) != std::string::npos);
        CHECK(row.find(shown(scale.district.mean()) + " · " + percentText(scale.district.favorableShare(scale.favorableAtLeast)) +
                       "<br><span class=\"meta\">n " + countText(static_cast<std::int64_t>(scale.district.scores.size()))) != std::string::npos);
        CHECK(row.find(shown(schoolMean - scale.rest.mean(), true) + " · ") != std::string::npos);
        clear += row.find("<strong>clearly ") != std::string::npos;
    }
    INFO("scales where Lakeview differs clearly from the rest of the district: " << clear);

    // Over the years: the school's line from each year's latest release, 2024-25 to 2026-27.
    const auto years = html.find("id=\"years-title\"");
    REQUIRE(years != std::string::npos);
    CHECK(html.find("<th scope=\"col\">2024–25</th><th scope=\"col\">2025–26</th><th scope=\"col\">2026–27</th>", years) != std::string::npos);
    // A scale of an instrument asked in the same version both years (continuous-improvement was a pilot in 2024-25).
    const auto key = std::find_if(scores.begin(), scores.end(), [](const auto& s) { return s.first.starts_with("equity-excellence@"); })->first;
    const auto& first = scores.at(key);
    const auto yearRow = rowOf(html, first.title, years);
    CHECK(yearRow.find("<strong>" + shown(first.school.mean()) + "</strong>") != std::string::npos);
    const auto earlier = scoresBySchool(*site, *site->catalog().find("riverside-2024"), kSchool).at(key);
    CHECK(yearRow.find("<strong>" + shown(earlier.school.mean()) + "</strong>") < yearRow.find("<strong>" + shown(first.school.mean()) + "</strong>"));
    CHECK(yearRow.find("Change: " + shown(first.school.mean() - earlier.school.mean(), true)) != std::string::npos);

    // What it does not show, said in plain words; and no statistics jargon.
    CHECK(page.contains("Results by role or by race/ethnicity within Lakeview Elementary School."));
    CHECK(page.contains("this account reads this school"));
    for (const auto* jargon : {"Hedges", "Benjamini", "Cronbach", "q-value", "Welch", "@1.0.0"}) {
        INFO(jargon);
        CHECK_FALSE(page.contains(jargon));
    }

    // The same page in Spanish, figures with a decimal comma.
    const auto spanish = site->get(schoolPage("riverside-2025") + "?lang=es");
    REQUIRE(spanish.status == 200);
    CHECK(spanish.contains("<html lang=\"es\">"));
    CHECK(spanish.contains("Todo el distrito"));
    auto comma = shown(scores.begin()->second.school.mean());
    std::replace(comma.begin(), comma.end(), '.', ',');
    CHECK(spanish.contains("<strong>" + comma + "</strong>"));
}

TEST_CASE("a school account gets 404 for every other school, district page, API and export, as for an address that does not exist",
          "[http][school][privacy]") {
    auto site = schoolSite();
    signInAs(*site, "principal");
    const auto unknown = site->get("/leader/no-such-page");
    REQUIRE(unknown.status == 404);
    const std::vector<std::string> refused{
        schoolPage("riverside-2025", "maple-elementary"),
        schoolPage("riverside-2025", "central-office"),
        schoolPage("brazos-valley-2026", "central-office"),  // the same school id in another district
        schoolPage("brazos-valley-2026", kSchool),
        "/leader/surveys/riverside-2025",
        "/leader/surveys/riverside-2025?release=1",
        "/api/surveys/riverside-2025/profile",
        "/leader/surveys/riverside-2025/tables/scales.csv",
        "/leader/surveys/riverside-2025/tables/items.csv",
        "/leader/surveys/riverside-2025/tables/breakdown-school.csv",
        "/leader/surveys/riverside-2026/participation",
        "/api/surveys/riverside-2026/participation",
        "/leader/surveys/riverside-2025/comments",
        "/leader/districts/riverside-isd",
        "/leader/districts/riverside-isd/summary",
        "/leader/districts/riverside-isd/goals",
        "/leader/districts/riverside-isd/peers",
        "/leader/districts/riverside-isd/trends.csv",
        "/leader/districts/riverside-isd/goals.csv",
        "/leader/districts/riverside-isd/peers.csv",
        "/api/districts/riverside-isd/trends",
        "/api/districts/riverside-isd/goals",
        "/api/districts/riverside-isd/peers",
        "/leader/districts/brazos-valley-isd/summary",
        "/leader/surveys/brazos-valley-2026",
        "/network",
    };
    for (const auto& path : refused) {
        INFO(path);
        const auto reply = site->get(path);
        CHECK(reply.status == 404);
        CHECK(reply.body == unknown.body);  // not even "this account may not see it"
        CHECK(reply.header("Content-Type") == unknown.header("Content-Type"));
    }
    // Publishing a release is a district leader's act: refused, and nothing is published.
    const auto* open = site->catalog().find("riverside-2026");
    const auto before = site->store().releases(open->storeId).size();
    const auto publish = site->post("/leader/surveys/riverside-2026/releases", "csrf=" + site->csrf() + "&lang=en");
    CHECK(publish.status == 404);
    CHECK(site->store().releases(open->storeId).size() == before);

    // Central, not route by route: every signed-in route but the two a school account is served
    // answers it 404, so a route added later (a PDF, say) is closed to it until it says otherwise.
    std::size_t checked = 0;
    const auto router = web::buildRouter(*site->site());
    for (const auto& route : router.routes()) {
        auto path = route.pattern;
        if (!(path.starts_with("/leader") || path.starts_with("/api") || path.starts_with("/network"))) continue;
        if (path == "/leader" || path == "/leader/surveys/{survey}/schools/{school}") continue;
        for (const auto& [name, value] : std::map<std::string, std::string>{
                 {"{survey}", "riverside-2025"}, {"{district}", "riverside-isd"}, {"{table}", "scales.csv"}, {"{goal}", "1"}})
            if (const auto at = path.find(name); at != std::string::npos) path.replace(at, name.size(), value);
        INFO(route.method << " " << path);
        const auto reply = route.method == "GET" ? site->get(path) : site->post(path, "csrf=" + site->csrf() + "&lang=en");
        CHECK(reply.status == 404);
        CHECK(reply.body == unknown.body);
        ++checked;
    }
    CHECK(checked >= 20);
    CHECK(site->get(schoolPage("riverside-2025")).status == 200);
}

TEST_CASE("district and network leaders may read any school's report of districts they see; others get 404", "[http][school][privacy]") {
    auto site = schoolSite();
    signInAs(*site, "leader");
    CHECK(site->get(schoolPage("riverside-2025", "maple-elementary")).status == 200);
    const auto page = site->get(schoolPage("riverside-2025"));
    REQUIRE(page.status == 200);
    CHECK(page.contains("/leader/districts/riverside-isd/summary"));  // the district's own navigation
    CHECK_FALSE(page.contains("this account reads this school"));
    CHECK(site->get(schoolPage("riverside-2025", "no-such-school")).status == 404);
    CHECK(site->get(schoolPage("brazos-valley-2026", "central-office")).status == 404);
    signInAs(*site, "brazos");
    CHECK(site->get(schoolPage("riverside-2025")).status == 404);
    CHECK(site->get(schoolPage("brazos-valley-2026", "central-office")).status == 200);
    signInAs(*site, "network");
    CHECK(site->get(schoolPage("riverside-2025")).status == 200);
    CHECK(site->get(schoolPage("brazos-valley-2026", "central-office")).status == 200);
}

TEST_CASE("a school's report shows no figure that the district release and trends do not publish, and hides what they hide",
          "[http][school][privacy][attack]") {
    auto site = schoolSite();
    // What a district leader can download: every release's JSON and the district's trends.
    signInAs(*site, "leader");
    std::set<std::string> published;
    std::map<std::string, json> releaseJson;
    for (const auto* id : {"riverside-2024", "riverside-2025", "riverside-2026"}) {
        const auto reply = site->get("/api/surveys/" + std::string(id) + "/profile");
        REQUIRE(reply.status == 200);
        releaseJson[id] = json::parse(reply.body);
        collectFigures(releaseJson[id], published);
    }
    const auto trends = site->get("/api/districts/riverside-isd/trends");
    REQUIRE(trends.status == 200);
    collectFigures(json::parse(trends.body), published);

    std::size_t hiddenCells = 0, shownCells = 0, tokens = 0;
    for (const auto& school : site->catalog().find("riverside-2026")->schools) {
        // Each school's own leader, as the adversary who also holds the district release.
        const auto username = "principal-" + school.id;
        REQUIRE(site->store().createAccount({0, username, auth::hashPassword(kPassword), std::string("riverside-isd"), "2026-08-15", school.id}));
        signInAs(*site, username);
        for (const auto* id : {"riverside-2024", "riverside-2025", "riverside-2026"}) {
            INFO(school.id << " " << id);
            const auto page = site->get(schoolPage(id, school.id));
            REQUIRE(page.status == 200);
            for (const auto* tableClass : {"school-table", "school-years"})
                for (const auto& token : figureTokens(tableBodiesText(page.body, tableClass))) {
                    INFO(tableClass << ": " << token);
                    CHECK(published.count(token) == 1);
                    ++tokens;
                }
            // Where the release hides the school, the page has no figure of it: only "hidden".
            const auto& data = releaseJson[id];
            const auto& breakdown = data["breakdowns"][0];
            REQUIRE(breakdown["question"] == "school");
            for (std::size_t g = 0; g < data["scales"].size(); ++g) {
                const auto& scale = data["scales"][g];
                if (scale.contains("hidden") || scale.contains("failed")) continue;
                for (const auto& cell : breakdown["scales"][g]["cells"]) {
                    if (cell["category"] != school.id) continue;
                    const auto row = rowOf(page.body, scale["title"].get<std::string>(), page.body.find("id=\"results-title\""));
                    REQUIRE_FALSE(row.empty());
                    const auto value = row.substr(row.find("class=\"school-value\""), row.find("</td>", row.find("class=\"school-value\"")) -
                                                                                       row.find("class=\"school-value\""));
                    if (cell.contains("hidden")) {
                        ++hiddenCells;
                        CHECK(value.find("Hidden to protect groups of fewer than") != std::string::npos);
                        CHECK(value.find("<strong>") == std::string::npos);
                        CHECK(row.find("beyond noise") == std::string::npos);
                        CHECK(row.find("clearly") == std::string::npos);
                    } else if (!cell.value("empty", false)) {
                        ++shownCells;
                        CHECK(value.find("<strong>" + shown(cell["mean"].get<double>()) + "</strong>") != std::string::npos);
                    }
                }
            }
        }
    }
    INFO("school cells shown " << shownCells << ", hidden " << hiddenCells << ", figures checked " << tokens);
    CHECK(shownCells > 0);
    CHECK(hiddenCells > 0);  // the demo hides the central office (and with it another school) in some year
    CHECK(tokens > 100);
}
