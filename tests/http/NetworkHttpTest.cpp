#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>

#include "analytics/Trends.h"
#include "auth/Passwords.h"
#include "demo/DemoPlan.h"
#include "demo/DemoResponses.h"
#include "support/TestSite.h"

using namespace mindset;
using testing::TestSite;

// The network at a glance (issue 11, item 6) and numbers written by the page's language: what
// network staff and a Spanish-reading leader notice, checked against figures computed here from
// the releases' profiles, not through the page's own code.

namespace {

const std::string kPassword = "correct horse battery";

/// The demo network: Riverside's three school years with the plan's responses (2026-27 open, an
/// interim release), and the five other districts' 2026-27 surveys with `peerResponses` each
/// (Pecan Grove with `pecanResponses`), every survey published as a release. Accounts: "network"
/// (no district) and "leader" (Riverside).
std::unique_ptr<TestSite> demoNetwork(std::size_t peerResponses = 150, std::size_t pecanResponses = 150,
                                      const std::vector<std::string>& extraSurveys = {}) {
    const auto plan = demo::loadDemoPlan(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "demo" / "plan.json");
    std::vector<surveys::SurveyDefinition> definitions;
    std::vector<std::string> ids{"riverside-2024", "riverside-2025", "riverside-2026", "brazos-valley-2026", "cypress-bend-2026", "llano-springs-2026",
                                 "pecan-grove-2026", "trinity-falls-2026"};
    ids.insert(ids.end(), extraSurveys.begin(), extraSurveys.end());
    for (const auto& id : ids)
        definitions.push_back(surveys::loadSurveyFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / (id + ".json"),
                                                      testing::shippedInstruments()));
    auto site = TestSite::withSurveys(std::move(definitions));
    for (const auto& survey : site->catalog().surveys) {
        const auto planned = std::find_if(plan.surveys.begin(), plan.surveys.end(), [&](const demo::PlannedSurvey& p) { return p.surveyId == survey.id; });
        REQUIRE(planned != plan.surveys.end());
        const auto count = survey.districtId == "riverside-isd"      ? planned->responses
                           : survey.districtId == "pecan-grove-isd" ? pecanResponses
                                                                     : peerResponses;
        if (count == 0) continue;  // no response, no release
        std::vector<store::StoredResponse> rows;
        for (auto& r : demo::generateResponses(survey, count, planned->seed, plan.profileFor(*planned, survey.districtId)))
            rows.push_back({r.demographics, r.answers});
        site->store().insertResponses(survey.storeId, rows);
        site->publishRelease(survey.id);
    }
    REQUIRE(site->store().createAccount({0, "network", auth::hashPassword(kPassword), std::nullopt, "2026-08-15"}));
    REQUIRE(site->store().createAccount({0, "leader", auth::hashPassword(kPassword), std::string("riverside-isd"), "2026-08-15"}));
    return site;
}

void signInAs(TestSite& site, const std::string& username) {
    site.cookies().clear();
    REQUIRE(site.signIn(username, kPassword).status == 303);
}

/// A figure as a reader sees it: two decimals, a true minus sign, "," in Spanish (written here
/// with printf, independently of the page's own helper).
std::string shown(double x, bool isSigned = false, const std::string& language = "en") {
    char text[32];
    std::snprintf(text, sizeof text, isSigned ? "%+.2f" : "%.2f", x);
    std::string out = text;
    if (out == "-0.00" || out == "+0.00") out = "0.00";
    if (language == "es") std::replace(out.begin(), out.end(), '.', ',');
    if (out[0] == '-') out = "\u2212" + out.substr(1);
    return out;
}

/// The table row of a district (its row header holds the district's name).
std::string districtRow(const std::string& html, const std::string& name) {
    const auto at = html.find(">" + name + "</");
    if (at == std::string::npos) return "";
    const auto start = html.rfind("<tr", at);
    return html.substr(start, html.find("</tr>", at) - start);
}

/// The district names in the order the page's table lists them.
std::vector<std::string> districtOrder(const std::string& html) {
    std::vector<std::string> names;
    const std::regex rowHeader("<th scope=\"row\">(?:<a href=\"[^\"]*\">)?([^<]+)");
    const auto body = html.substr(html.find("<tbody>"), html.find("</tbody>") - html.find("<tbody>"));
    for (auto it = std::sregex_iterator(body.begin(), body.end(), rowHeader); it != std::sregex_iterator(); ++it) names.push_back((*it)[1]);
    return names;
}

/// The cells (<td>) of a row, their text without tags.
std::vector<std::string> cellsOf(const std::string& row) {
    std::vector<std::string> cells;
    const std::regex cell("<td[^>]*>([\\s\\S]*?)</td>");
    for (auto it = std::sregex_iterator(row.begin(), row.end(), cell); it != std::sregex_iterator(); ++it)
        cells.push_back(std::regex_replace(std::string((*it)[1]), std::regex("<[^>]*>"), ""));
    return cells;
}

/// Text a reader sees: tags removed (and with them SVG coordinates), the few entities decoded.
std::string visibleText(const std::string& html) {
    auto text = std::regex_replace(html, std::regex("<[^>]*>"), " ");
    return std::regex_replace(text, std::regex("&[a-z]+;|&#[0-9]+;"), " ");
}

/// Every number written with a decimal point ("4.08", "0.5"), leaving version numbers ("1.0.0",
/// "@0.9.0") aside: on a Spanish page each is a mistake.
std::vector<std::string> decimalPoints(const std::string& text) {
    std::vector<std::string> found;
    const std::regex figure("(^|[^0-9.@])([0-9]+\\.[0-9]+)(?![0-9]*\\.[0-9])");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), figure); it != std::sregex_iterator(); ++it) {
        const auto at = static_cast<std::size_t>(it->position(2));
        found.push_back(text.substr(at > 30 ? at - 30 : 0, 60));
    }
    return found;
}

/// The staff a survey file expects: the sum of its schools' staff counts.
std::int64_t staffOf(const surveys::SurveyDefinition& survey) {
    std::int64_t staff = 0;
    for (const auto& school : survey.schools) staff += school.staff.value_or(0);
    return staff;
}

}  // namespace

TEST_CASE("the network view is for network staff only", "[http][network][privacy]") {
    auto site = demoNetwork();
    CHECK(site->get("/network").status == 303);
    signInAs(*site, "leader");
    const auto refused = site->get("/network");
    CHECK(refused.status == 404);
    CHECK_FALSE(refused.contains("Brazos Valley"));
    signInAs(*site, "network");
    CHECK(site->get("/network").status == 200);
}

TEST_CASE("network staff see every district's latest release on one table, with change, rate, status and gap", "[http][network]") {
    auto site = demoNetwork();
    signInAs(*site, "network");
    const auto page = site->get("/network");
    REQUIRE(page.status == 200);
    const auto& html = page.body;

    // One table: one row per district, nothing per school year any more.
    CHECK(html.find("<table") == html.rfind("<table"));
    const auto order = districtOrder(html);
    CHECK(order == std::vector<std::string>{"Brazos Valley Independent School District", "Cypress Bend Independent School District",
                                            "Llano Springs Independent School District", "Pecan Grove Independent School District",
                                            "Riverside Independent School District", "Trinity Falls Independent School District"});

    // A district's name leads to its own summary, never to the anonymised peers page.
    CHECK(html.find("href=\"/leader/districts/riverside-isd/summary?lang=en\">Riverside Independent School District</a>") != std::string::npos);
    CHECK(html.find("/peers?") == std::string::npos);

    std::vector<std::shared_ptr<const analytics::Profile>> keep;
    const auto years = testing::latestReleaseYears(*site, "riverside-isd", keep);
    REQUIRE(years.size() == 3);
    const auto& latest = years.back();
    const auto row = districtRow(html, "Riverside Independent School District");
    REQUIRE_FALSE(row.empty());
    const auto cells = cellsOf(row);
    const auto& profile = *latest.profile;
    REQUIRE(cells.size() == 2 + profile.scales.size() + 1);  // status, rate, one per scale, gap

    // Status: the open survey and the release shown (interim: preliminary); the school year is the
    // caption's, so the row does not repeat it.
    CHECK(html.find("Latest release (2026\u201327 unless named)") != std::string::npos);
    CHECK(cells[0].find("open until 2027-06-30") == 0);
    CHECK(cells[0].find("Release 1 (interim), " + latest.release.publishedOn) != std::string::npos);

    // Response rate of the release: its respondents against the staff of the survey file.
    const double rate = static_cast<double>(latest.release.responses) / static_cast<double>(staffOf(*latest.survey));
    char percent[16];
    std::snprintf(percent, sizeof percent, "%.0f%%", 100 * rate);
    CHECK(cells[1].find(percent) == 0);
    CHECK(cells[1].find(std::to_string(latest.release.responses / 1000) + "," + std::to_string(latest.release.responses % 1000 + 1000).substr(1) +
                        " of 1,609") != std::string::npos);

    // Each scale: the release's mean, and the change since 2025-26 from the year-over-year test.
    const auto trends = analytics::buildTrends(years);
    std::size_t clearUp = 0;
    for (std::size_t g = 0; g < profile.scales.size(); ++g) {
        const auto& scale = profile.scales[g];
        INFO(scale.scaleId);
        const auto& cell = cells[2 + g];
        REQUIRE(scale.district);
        CHECK(cell.find(shown(*scale.district->summary.mean)) == 0);
        const analytics::ScaleTrend* trend = nullptr;
        for (const auto& instrument : trends.instruments)
            for (const auto& s : instrument.scales)
                if (scale.instrumentKey.rfind(instrument.instrumentId + "@", 0) == 0 && s.scaleId == scale.scaleId) trend = &s;
        REQUIRE(trend);
        const auto& change = trend->district.changes[1];
        if (!change) {
            CHECK(cell.find("new version") != std::string::npos);
            continue;
        }
        CHECK(cell.find(shown(*change->comparison.difference, true)) != std::string::npos);
        if (change->isRealChange()) {
            ++clearUp;
            CHECK(cell.find(*change->comparison.difference > 0 ? "\u25B2" : "\u25BC") != std::string::npos);
            CHECK(cell.find(*change->comparison.difference > 0 ? "clearly up since 2025\u201326" : "clearly down since 2025\u201326") != std::string::npos);
        } else {
            CHECK(cell.find("no clear change since 2025\u201326") != std::string::npos);
        }
    }
    CHECK(clearUp >= 1);  // the demo's story: some scales rise clearly

    // The largest clear gap by race/ethnicity, found here from the profile's own cells.
    const analytics::Breakdown* race = nullptr;
    for (const auto& breakdown : profile.breakdowns)
        if (breakdown.questionId == "race") race = &breakdown;
    REQUIRE(race);
    double largest = 0;
    std::string group, scaleTitle;
    int clearGaps = 0;
    for (std::size_t g = 0; g < profile.scales.size(); ++g)
        for (const auto& cell : race->cellsByScale[g]) {
            if (cell.gapHidden != analytics::HiddenBecause::Shown || cell.hidden != analytics::HiddenBecause::Shown || !cell.gap ||
                !cell.gap->difference || !cell.gapQValue || *cell.gapQValue >= 0.05)
                continue;
            ++clearGaps;
            if (std::abs(*cell.gap->difference) <= std::abs(largest)) continue;
            largest = *cell.gap->difference;
            group = race->categories[cell.category].label.in("en");
            const auto& definition = latest.survey->instruments[profile.scales[g].ref.instrument].definition();
            scaleTitle = definition.scales[profile.scales[g].ref.scale].title.in("en");
        }
    REQUIRE(clearGaps > 0);
    CHECK(cells.back().find(group + ": " + shown(largest, true) + " on " + scaleTitle) == 0);
    CHECK(cells.back().find("(" + std::to_string(clearGaps) + " clear in all)") != std::string::npos);  // for a screen reader

    // A peer district with a single year: its first year, closed or open as its survey is.
    const auto brazos = cellsOf(districtRow(html, "Brazos Valley Independent School District"));
    REQUIRE(brazos.size() == cells.size());
    CHECK(brazos[2].find("first year") != std::string::npos);
}

TEST_CASE("a district surveyed with other instruments gets a table of its own, not a row of empty cells", "[http][network]") {
    // The demo's REO readiness series (Riverside's central office) measures none of the staff
    // survey's scales: in the staff survey's table it would be a row of dashes and its ten scales
    // ten columns of dashes for everyone else.
    auto site = demoNetwork(150, 150, {"riverside-reo-2026"});
    signInAs(*site, "network");
    const auto html = site->get("/network").body;
    const auto firstTable = html.substr(html.find("<table"), html.find("</table>") - html.find("<table"));
    const auto secondStart = html.find("<table", html.find("</table>"));
    REQUIRE(secondStart != std::string::npos);
    const auto secondTable = html.substr(secondStart, html.find("</table>", secondStart) - secondStart);
    CHECK(html.find("<table", secondStart + 1) == std::string::npos);

    // The staff survey's table first (six districts), its caption naming its instruments.
    CHECK(districtOrder(firstTable).size() == 6);
    CHECK(firstTable.find("Riverside ISD Central Office") == std::string::npos);
    CHECK(firstTable.find("<caption>Latest release (2026\u201327 unless named) of Equity") != std::string::npos);
    CHECK(districtOrder(secondTable) == std::vector<std::string>{"Riverside ISD Central Office"});
    // Each table has the columns of its own instruments only: no cell says "not in this survey".
    for (const auto* table : {&firstTable, &secondTable}) CHECK(table->find("not in this district") == std::string::npos);
    const auto& reo = *std::find_if(site->catalog().surveys.begin(), site->catalog().surveys.end(),
                                    [](const surveys::SurveyDefinition& s) { return s.id == "riverside-reo-2026"; });
    const auto& reoScale = reo.instruments.front().definition().scales.front();
    CHECK(secondTable.find(">" + reoScale.title.in("en") + "<") != std::string::npos);
    CHECK(firstTable.find(">" + reoScale.title.in("en") + "<") == std::string::npos);

    // Sorting by a scale of one table orders that table; the other keeps its district order.
    const auto key = reo.instruments.front().definition().id + "." + reoScale.id;
    const auto sorted = site->get("/network?sort=" + key + "&order=desc");
    REQUIRE(sorted.status == 200);
    CHECK(districtOrder(sorted.body).front() == "Brazos Valley Independent School District");
}

TEST_CASE("a district or group a release hides says only \"hidden\" on the network view", "[http][network][privacy]") {
    auto site = demoNetwork(150, 3);  // Pecan Grove: 3 responses, below its minimum group size
    signInAs(*site, "network");
    for (const std::string language : {"en", "es"}) {
        INFO(language);
        const auto page = site->get("/network?lang=" + language);
        REQUIRE(page.status == 200);
        const auto cells = cellsOf(districtRow(page.body, "Pecan Grove Independent School District"));
        REQUIRE(cells.size() > 4);
        const std::string hidden = language == "es" ? "oculto" : "hidden";
        // Rate, every scale and the gap: the one word, no reason, no size.
        for (std::size_t i = 1; i < cells.size(); ++i) {
            INFO(i);
            CHECK(cells[i] == hidden);
        }
        CHECK(cells[0].find(language == "es" ? "Entrega 1" : "Release 1") != std::string::npos);  // the release shown, without its count
    }
}

TEST_CASE("a district with no release yet is listed without a figure, saying when its release comes", "[http][network]") {
    auto site = demoNetwork(150, 0);  // Pecan Grove: nobody has answered, nothing is released
    signInAs(*site, "network");
    const auto page = site->get("/network?sort=rate");
    REQUIRE(page.status == 200);
    const auto order = districtOrder(page.body);
    REQUIRE(order.size() == 6);
    CHECK(order.back() == "Pecan Grove Independent School District");  // after every district with figures, whatever the sort
    const auto cells = cellsOf(districtRow(page.body, "Pecan Grove Independent School District"));
    REQUIRE(cells.size() > 3);
    CHECK(cells[0] == "2026\u201327 · no release yet (final after 2027-06-30)");
    for (std::size_t i = 1; i < cells.size(); ++i) CHECK(cells[i] == "\u2014");
}

TEST_CASE("the network view sorts by server-side links, and says which sort is wrong", "[http][network]") {
    auto site = demoNetwork();
    signInAs(*site, "network");
    std::vector<std::shared_ptr<const analytics::Profile>> keep;
    std::vector<std::pair<double, std::string>> means;
    for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
             {"riverside-isd", "Riverside Independent School District"}, {"brazos-valley-isd", "Brazos Valley Independent School District"},
             {"cypress-bend-isd", "Cypress Bend Independent School District"}, {"llano-springs-isd", "Llano Springs Independent School District"},
             {"pecan-grove-isd", "Pecan Grove Independent School District"}, {"trinity-falls-isd", "Trinity Falls Independent School District"}}) {
        const auto years = testing::latestReleaseYears(*site, id, keep);
        const auto& profile = *years.back().profile;
        for (const auto& scale : profile.scales)
            if (scale.scaleId == "high-expectations") means.emplace_back(*scale.district->summary.mean, name);
    }
    REQUIRE(means.size() == 6);

    const auto page = site->get("/network?sort=equity-excellence.high-expectations&order=asc");
    REQUIRE(page.status == 200);
    std::sort(means.begin(), means.end());
    std::vector<std::string> expected;
    for (const auto& [mean, name] : means) expected.push_back(name);
    CHECK(districtOrder(page.body) == expected);
    // The sorted column says so to a screen reader, and its link now offers the other order.
    CHECK(page.contains("aria-sort=\"ascending\""));
    CHECK(page.contains("href=\"/network?lang=en&amp;sort=equity-excellence.high-expectations&amp;order=desc\""));

    const auto descending = site->get("/network?sort=equity-excellence.high-expectations&order=desc");
    std::reverse(expected.begin(), expected.end());
    CHECK(districtOrder(descending.body) == expected);

    // By response rate, highest first by default: Riverside's planned responses against its staff.
    const auto byRate = site->get("/network?sort=rate");
    REQUIRE(byRate.status == 200);
    CHECK(byRate.contains("aria-sort=\"descending\""));
    const auto rateOrder = districtOrder(byRate.body);
    REQUIRE(rateOrder.size() == 6);
    std::vector<double> rates;
    for (const auto& name : rateOrder) {
        const auto cell = cellsOf(districtRow(byRate.body, name))[1];
        rates.push_back(std::stod(cell.substr(0, cell.find('%'))));
    }
    CHECK(std::is_sorted(rates.rbegin(), rates.rend()));

    const auto wrong = site->get("/network?sort=banana");
    CHECK(wrong.status == 400);
    CHECK(wrong.contains("“sort” must be district, rate, gap or a scale shown on the page"));
    CHECK(wrong.contains("not “banana”"));
    const auto wrongOrder = site->get("/network?sort=rate&order=sideways");
    CHECK(wrongOrder.status == 400);
    CHECK(wrongOrder.contains("“order” must be asc or desc, not “sideways”"));
}

TEST_CASE("Spanish pages write every figure with a decimal comma, English ones with a point", "[http][network][numbers]") {
    auto site = demoNetwork();
    signInAs(*site, "network");
    const std::vector<std::string> pages{"/leader/districts/riverside-isd/summary",
                                         "/leader/districts/riverside-isd",
                                         "/leader/surveys/riverside-2024",
                                         "/leader/surveys/riverside-2025",
                                         "/leader/surveys/riverside-2026",
                                         "/leader/surveys/riverside-2025/participation",
                                         "/leader/districts/riverside-isd/peers",
                                         "/leader/districts/riverside-isd/goals",
                                         "/network"};
    for (const auto& path : pages) {
        INFO(path);
        const auto spanish = site->get(path + "?lang=es");
        REQUIRE(spanish.status == 200);
        const auto text = visibleText(spanish.body);
        const auto points = decimalPoints(text);
        INFO("first decimal point: " << (points.empty() ? std::string() : points.front()));
        CHECK(points.empty());
        if (path.find("/goals") == std::string::npos && path.find("/participation") == std::string::npos)
            CHECK(std::regex_search(text, std::regex("[0-9],[0-9][0-9]")));  // and it does write decimals

        const auto english = visibleText(site->get(path + "?lang=en").body);
        CHECK_FALSE(std::regex_search(english, std::regex("[0-9],[0-9]{1,2}(?![0-9])")));  // "1,234" groups; "4,08" would be wrong
    }
}
