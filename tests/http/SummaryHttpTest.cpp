#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>
#include <sstream>

#include <Poco/InflatingStream.h>
#include <Poco/StreamCopier.h>
#include <nlohmann/json.hpp>

#include "analytics/Peers.h"
#include "analytics/Trends.h"
#include "auth/Passwords.h"
#include "demo/DemoPlan.h"
#include "demo/DemoResponses.h"
#include "releases/Releases.h"
#include "support/TestSite.h"

using namespace mindset;
using nlohmann::json;
using testing::Reply;
using testing::TestSite;

// The district summary (issue 11): its first-screen findings against the analytics they come from,
// its heatmap, the shared navigation of the results pages, gzip, and keyboard-reachable tables.

namespace {

const std::string kPassword = "correct horse battery";
const std::string kSummary = "/leader/districts/riverside-isd/summary";

/// The demo network as surveys/demo/plan.json makes it: Riverside's three school years with the
/// plan's responses (its story: some scales rise clearly, White staff's gap on equitable resourcing
/// narrows; 2026-27 open, with an interim release) and the five other districts' 2026-27 surveys
/// (150 responses each, enough to be peers).
std::unique_ptr<TestSite> summarySite() {
    const auto plan = demo::loadDemoPlan(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "demo" / "plan.json");
    std::vector<surveys::SurveyDefinition> definitions;
    for (const auto* id : {"riverside-2024", "riverside-2025", "riverside-2026", "brazos-valley-2026", "cypress-bend-2026", "llano-springs-2026",
                           "pecan-grove-2026", "trinity-falls-2026"})
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
    REQUIRE(site->store().createAccount({0, "leader", auth::hashPassword(kPassword), std::string("riverside-isd"), "2026-08-15"}));
    REQUIRE(site->store().createAccount({0, "brazos", auth::hashPassword(kPassword), std::string("brazos-valley-isd"), "2026-08-15"}));
    return site;
}

void signInAs(TestSite& site, const std::string& username) {
    site.cookies().clear();
    REQUIRE(site.signIn(username, kPassword).status == 303);
}

/// Riverside's years with the profiles of their latest releases, read from the store, oldest first.
analytics::DistrictYears riversideYears(TestSite& site, std::vector<std::shared_ptr<const analytics::Profile>>& keep) {
    return testing::latestReleaseYears(site, "riverside-isd", keep);
}

/// As a reader sees a figure: two decimals, a true minus sign, "," in Spanish.
std::string shown(double x, bool isSigned = false, const std::string& language = "en") {
    char text[32];
    std::snprintf(text, sizeof text, isSigned ? "%+.2f" : "%.2f", x);
    std::string out = text;
    if (out == "-0.00" || out == "+0.00") out = "0.00";
    if (language == "es") std::replace(out.begin(), out.end(), '.', ',');
    if (out[0] == '-') out = "\u2212" + out.substr(1);
    return out;
}

std::string percentText(double share) {
    char text[16];
    std::snprintf(text, sizeof text, "%.0f%%", 100 * share);
    return text;
}

/// The HTML of the first table row from `from` on whose row header is `label`; empty if none.
std::string rowOf(const std::string& html, const std::string& label, std::size_t from) {
    const auto header = html.find("<th scope=\"row\">" + label + "</th>", from);
    if (header == std::string::npos) return "";
    const auto start = html.rfind("<tr", header);
    return html.substr(start, html.find("</tr>", header) - start);
}

/// The row of the summary table for a scale (its header is a link to the years-compared page).
std::string scaleRowOf(const std::string& html, const std::string& title) {
    const auto at = html.find("\">" + title + "</a></th>");
    if (at == std::string::npos) return "";
    const auto start = html.rfind("<tr", at);
    return html.substr(start, html.find("</tr>", at) - start);
}

std::string gunzip(const std::string& bytes) {
    std::istringstream in(bytes);
    Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
    std::string out;
    Poco::StreamCopier::copyToString(inflater, out);
    return out;
}

/// Text between tags, tags removed.
std::string textOf(std::string html) { return std::regex_replace(html, std::regex("<[^>]*>"), ""); }

}  // namespace

TEST_CASE("the district summary needs a signed-in leader of the district", "[http][summary][privacy]") {
    auto site = summarySite();
    const auto page = site->get(kSummary);
    CHECK(page.status == 303);
    CHECK(page.header("Location").rfind("/login?next=", 0) == 0);
    signInAs(*site, "brazos");
    const auto other = site->get(kSummary);
    CHECK(other.status == 404);
    CHECK_FALSE(other.contains("High expectations"));
    CHECK(site->get("/leader/districts/brazos-valley-isd/summary").status == 200);
}

TEST_CASE("the summary's first part has every scale's latest figure, change verdict and peer position from the analytics",
          "[http][summary]") {
    auto site = summarySite();
    signInAs(*site, "leader");
    const auto page = site->get(kSummary);
    REQUIRE(page.status == 200);
    const auto& html = page.body;

    std::vector<std::shared_ptr<const analytics::Profile>> keep;
    const auto years = riversideYears(*site, keep);
    const auto trends = analytics::buildTrends(years);
    const auto latest = trends.schoolYears.size() - 1;
    REQUIRE(trends.schoolYears.back() == "2026-2027");

    // The open survey is marked preliminary at the top, before any figure, with the release it reads.
    const auto preliminary = html.find("Preliminary.");
    REQUIRE(preliminary != std::string::npos);
    CHECK(preliminary < html.find("<table"));
    CHECK(html.find("still open until 2027-06-30") != std::string::npos);
    const auto record = site->store().releases(site->catalog().find("riverside-2026")->storeId).back();
    CHECK(html.find("Release " + std::to_string(record.number) + " (interim), published " + record.publishedOn) < html.find("<table"));

    // Peer standings as the peers API gives them (analytics::peerStandings).
    const auto peers = json::parse(site->get("/api/districts/riverside-isd/peers").body);
    std::map<std::string, std::string> quarterByScale;
    for (const auto& scale : peers["years"][0]["scales"])
        if (scale.contains("own")) quarterByScale[scale["scale"]] = scale["own"]["meanQuarter"];
    REQUIRE(peers["years"][0]["schoolYear"] == "2026-2027");
    REQUIRE(quarterByScale.size() == 9);
    const std::map<std::string, std::string> quarterWords{
        {"highest", "Top quarter of 6 districts"}, {"third", "Upper middle of 6 districts"},
        {"second", "Lower middle of 6 districts"}, {"lowest", "Bottom quarter of 6 districts"}};

    std::size_t rows = 0, clearChanges = 0;
    for (const auto& instrument : trends.instruments)
        for (const auto& scale : instrument.scales) {
            const auto& point = scale.district.points[latest];
            if (point.state == analytics::PointState::NotMeasured) continue;
            const auto title = scale.title.in("en");
            INFO(title);
            const auto row = scaleRowOf(html, title);
            REQUIRE_FALSE(row.empty());
            ++rows;
            REQUIRE(point.state == analytics::PointState::Shown);
            CHECK(row.find("<strong>" + shown(*point.figures->summary.mean) + "</strong> · " + percentText(*point.figures->favorable.share)) !=
                  std::string::npos);
            const auto& change = scale.district.changes[latest - 1];
            if (change) {
                const auto words = !change->isRealChange() ? "no clear change" : *change->comparison.difference > 0 ? "clearly up" : "clearly down";
                CHECK(textOf(row).find(shown(*change->comparison.difference, true) + " · " + words) != std::string::npos);
                clearChanges += change->isRealChange();
            } else {
                CHECK(textOf(row).find("Not comparable with 2025–26") != std::string::npos);
            }
            CHECK(textOf(row).find(quarterWords.at(quarterByScale.at(scale.scaleId))) != std::string::npos);
        }
    CHECK(rows == 9);
    CHECK(clearChanges > 0);  // the demo drifts: some change is beyond noise, and the page says so in words
    // Plain words only: no statistical jargon and no instrument@version on the summary.
    for (const auto* jargon : {"Hedges", "Benjamini", "Cronbach", "q-value", "p-value", "@1.0.0", "@0.9.0", "Welch", "α"}) {
        INFO(jargon);
        CHECK(html.find(jargon) == std::string::npos);
    }
}

TEST_CASE("the summary names the largest clear gaps between racial/ethnic groups with their line and whether they close", "[http][summary]") {
    auto site = summarySite();
    signInAs(*site, "leader");
    const auto html = site->get(kSummary).body;
    std::vector<std::shared_ptr<const analytics::Profile>> keep;
    const auto trends = analytics::buildTrends(riversideYears(*site, keep));
    const auto latest = trends.schoolYears.size() - 1;

    // Hand-picked from the trends: the largest gap beyond noise (q < 0.05) of a race group this year.
    const analytics::GroupTrend* largest = nullptr;
    const analytics::ScaleTrend* largestScale = nullptr;
    double largestSize = 0;
    for (const auto& instrument : trends.instruments)
        for (const auto& scale : instrument.scales)
            for (const auto& breakdown : scale.breakdowns)
                if (breakdown.questionId == "race")
                    for (const auto& group : breakdown.groups) {
                        const auto& gap = group.gaps[latest];
                        if (gap.state != analytics::PointState::Shown || !gap.qValue || *gap.qValue >= 0.05) continue;
                        if (std::abs(*gap.gap->difference) > largestSize) largestSize = std::abs(*gap.gap->difference), largest = &group, largestScale = &scale;
                    }
    REQUIRE(largest);
    const auto difference = *largest->gaps[latest].gap->difference;
    const auto sentence = largest->label.in("en") + ": " + shown(largestSize) + " points " + (difference < 0 ? "below" : "above") +
                          " the rest of the district on " + largestScale->title.in("en");
    INFO(sentence);
    const auto gapsStart = html.find("Largest gaps between racial/ethnic groups, 2026–27");
    REQUIRE(gapsStart != std::string::npos);
    const auto first = html.find("<li>", gapsStart);
    const auto item = textOf(html.substr(first, html.find("</li>", first) - first));
    CHECK(item.rfind(sentence, 0) == 0);
    // Its line, year by year, and the verdict on its last step in words.
    CHECK(item.find(shown(difference, true) + " (2026–27)") != std::string::npos);
    const auto& change = largest->gapChanges[latest - 1];
    if (change) {
        const std::map<analytics::GapDirection, std::string> words{{analytics::GapDirection::Closing, "Closing since 2025–26"},
                                                                   {analytics::GapDirection::Widening, "Widening since 2025–26"},
                                                                   {analytics::GapDirection::Reversed, "Reversed since 2025–26"},
                                                                   {analytics::GapDirection::WithinNoise, "No clear change in the gap since 2025–26"}};
        CHECK(item.find(words.at(change->direction)) != std::string::npos);
    }
    // It links to its evidence: the scale's page of the years compared, at the group's gap trend.
    const auto link = html.find("href=\"/leader/districts/riverside-isd?lang=en&amp;scale=", first);
    REQUIRE(link < html.find("</li>", first));
    const auto href = html.substr(link + 6, html.find('"', link + 6) - link - 6);
    const auto fragment = href.find('#');
    REQUIRE(fragment != std::string::npos);
    const auto evidence = site->get(std::regex_replace(href.substr(0, fragment), std::regex("&amp;"), "&"));
    CHECK(evidence.contains("id=\"" + href.substr(fragment + 1) + "\""));
}

TEST_CASE("the heatmap shows each group's gap with its clarity, and a hidden group only as hidden", "[http][summary][privacy]") {
    auto site = summarySite();
    signInAs(*site, "leader");
    const auto html = site->get(kSummary).body;
    std::vector<std::shared_ptr<const analytics::Profile>> keep;
    const auto years = riversideYears(*site, keep);
    const auto& profile = *years.back().profile;
    const auto heat = html.find("<table class=\"heatmap\">");
    REQUIRE(heat != std::string::npos);
    CHECK(html.find("Every group against the rest of the district, 2026–27") < heat);

    std::size_t hiddenRows = 0, checkedCells = 0;
    for (const auto& breakdown : profile.breakdowns) {
        const auto groupHeader = html.find(">" + breakdown.label.in("en") + "</a></th></tr>", heat);
        REQUIRE(groupHeader != std::string::npos);
        for (std::size_t c = 0; c < breakdown.categories.size(); ++c) {
            const auto label = breakdown.categories[c].label.in("en");
            INFO(breakdown.questionId << " / " << label);
            bool hasAnyone = false, isAllHidden = true;
            for (std::size_t g = 0; g < profile.scales.size(); ++g) {
                hasAnyone = hasAnyone || breakdown.cellsByScale[g][c].size > 0;
                isAllHidden = isAllHidden && breakdown.cellsByScale[g][c].hidden != analytics::HiddenBecause::Shown;
            }
            auto row = rowOf(html, label, groupHeader);
            // A row further down belongs to the next breakdown, not to this one.
            const auto nextGroup = html.find("<tr class=\"group-row\">", groupHeader + 1);
            if (!row.empty() && nextGroup != std::string::npos && html.find(row, groupHeader) > nextGroup) row.clear();
            if (!hasAnyone) {
                CHECK(row.empty());
                continue;
            }
            REQUIRE_FALSE(row.empty());
            std::vector<std::string> cells;
            const std::regex cell("<td class=\"heat heat-([a-z-]+)\">(.*?)</td>");
            for (auto it = std::sregex_iterator(row.begin(), row.end(), cell); it != std::sregex_iterator(); ++it)
                cells.push_back((*it)[1].str() + "|" + textOf((*it)[2].str()));
            REQUIRE(cells.size() == profile.scales.size());
            if (isAllHidden) {
                ++hiddenRows;
                // A hidden group says "hidden" and nothing else: no figure, no size.
                for (const auto& text : cells) CHECK((text == "hidden|hidden" || text.rfind("none|", 0) == 0));
                CHECK_FALSE(std::regex_search(textOf(row).substr(label.size()), std::regex("[0-9]")));
                continue;
            }
            for (std::size_t g = 0; g < profile.scales.size(); ++g) {
                const auto& figures = breakdown.cellsByScale[g][c];
                if (figures.hidden != analytics::HiddenBecause::Shown || figures.gapHidden != analytics::HiddenBecause::Shown || !figures.gap) continue;
                const auto d = *figures.gap->difference;
                const bool isClear = figures.gapQValue && *figures.gapQValue < 0.05;
                const auto kind = isClear ? (d > 0 ? "clear-above" : "clear-below") : (std::abs(d) < 0.005 ? "even" : d > 0 ? "above" : "below");
                const auto words = isClear ? (d > 0 ? " clearly above" : " clearly below") : " no clear difference";
                CHECK(cells[g] == std::string(kind) + "|" + (isClear ? (d > 0 ? "▲ " : "▼ ") : "") + shown(d, true) + words);
                ++checkedCells;
            }
        }
    }
    CHECK(hiddenRows > 0);  // the demo's smallest race/ethnicity groups and the central office
    CHECK(checkedCells > 50);
}

TEST_CASE("the summary reads in Spanish with decimal commas", "[http][summary]") {
    auto site = summarySite();
    signInAs(*site, "leader");
    const auto page = site->get(kSummary + "?lang=es");
    REQUIRE(page.status == 200);
    CHECK(page.contains("<html lang=\"es\">"));
    CHECK(page.contains("Riverside Independent School District: resumen"));
    CHECK(page.contains("Preliminar."));
    CHECK(page.contains("Cambio desde 2025–26"));
    CHECK(page.contains("Mayores brechas entre grupos raciales o étnicos, 2026–27"));
    CHECK(page.contains("Cómo leer esta página"));
    CHECK(page.contains(">oculto<"));
    CHECK(std::regex_search(page.body, std::regex("<strong>[1-5],[0-9]{2}</strong>")));
    CHECK_FALSE(std::regex_search(page.body, std::regex("<strong>[1-5]\\.[0-9]{2}</strong>")));
    CHECK_FALSE(page.contains("Preliminary."));
}

TEST_CASE("every results page of a leader shares one navigation, a language switch and a logo to the leader's home", "[http][summary]") {
    auto site = summarySite();
    signInAs(*site, "leader");
    const std::vector<std::string> pages{kSummary,
                                         "/leader/districts/riverside-isd",
                                         "/leader/surveys/riverside-2024",
                                         "/leader/surveys/riverside-2025",
                                         "/leader/surveys/riverside-2026",
                                         "/leader/surveys/riverside-2026/participation",
                                         "/leader/districts/riverside-isd/goals",
                                         "/leader/districts/riverside-isd/peers"};
    for (const auto& path : pages) {
        INFO(path);
        const auto page = site->get(path + "?lang=en");
        REQUIRE(page.status == 200);
        CHECK(page.contains("<a class=\"site-name\" href=\"/leader?lang=en\">"));
        CHECK(page.contains("<nav class=\"results-nav\" aria-label=\"Results pages of Riverside Independent School District\">"));
        // Every results page is one click away, the page itself marked as the current one.
        for (const auto& other : pages) CHECK(page.contains("href=\"" + other + "?lang=en\""));
        CHECK(page.contains("<a href=\"" + path + "?lang=en\" aria-current=\"page\">"));
        CHECK(page.contains("hreflang=\"es\""));
        const auto spanish = site->get(path + "?lang=es");
        CHECK(spanish.contains("<a class=\"site-name\" href=\"/leader?lang=es\">"));
        CHECK(spanish.contains(">Resumen</a>"));
    }
    // The profile's language switch keeps the release being read.
    CHECK(site->get("/leader/surveys/riverside-2026?release=1").contains("href=\"/leader/surveys/riverside-2026?release=1&amp;lang=es\""));
    // The leader's home leads to each district's summary first; public pages keep the public logo.
    const auto home = site->get("/leader");
    CHECK(home.contains("<a class=\"site-name\" href=\"/leader?lang=en\">"));
    CHECK(home.body.find(kSummary + "?lang=en") < home.body.find("/leader/districts/riverside-isd?lang=en"));
    CHECK(site->get("/").contains("<a class=\"site-name\" href=\"/?lang=en\">"));
}

TEST_CASE("every sideways-scrolling table of the results pages is reachable by keyboard and named", "[http][summary]") {
    auto site = summarySite();
    signInAs(*site, "leader");
    const std::regex scroller("<div class=\"table-scroll\"[^>]*>");
    std::size_t checked = 0;
    for (const auto* path : {"/leader/districts/riverside-isd/summary", "/leader/districts/riverside-isd",
                             "/leader/districts/riverside-isd?scale=equity-excellence.equitable-resourcing", "/leader/surveys/riverside-2026",
                             "/leader/surveys/riverside-2026?scale=equity-excellence.equitable-resourcing", "/leader/surveys/riverside-2026?by=race",
                             "/leader/surveys/riverside-2026/participation", "/leader/districts/riverside-isd/peers"}) {
        INFO(path);
        const auto body = site->get(path).body;
        for (auto it = std::sregex_iterator(body.begin(), body.end(), scroller); it != std::sregex_iterator(); ++it) {
            const auto tag = it->str();
            INFO(tag);
            CHECK(tag.find("tabindex=\"0\"") != std::string::npos);
            CHECK(tag.find("role=\"region\"") != std::string::npos);
            CHECK(std::regex_search(tag, std::regex("aria-label(ledby)?=\"[^\"]+\"")));
            ++checked;
        }
    }
    CHECK(checked > 30);
    // Printed, a heading keeps to what follows it.
    const auto css = site->get("/static/mindset.css").body;
    CHECK(css.find("h1, h2, h3, h4, h5, caption, .instrument-row, .group-row { break-after: avoid-page; break-inside: avoid; }") != std::string::npos);
}

TEST_CASE("pages and JSON go gzip-compressed to a client that accepts it, and plain to one that does not", "[http][summary][gzip]") {
    auto site = summarySite();
    signInAs(*site, "leader");
    for (const auto* path : {"/leader/districts/riverside-isd", "/leader/districts/riverside-isd/summary", "/api/districts/riverside-isd/trends",
                             "/leader/surveys/riverside-2026", "/leader/surveys/riverside-2026?scale=equity-excellence.equitable-resourcing",
                             "/api/surveys/riverside-2026/profile", "/"}) {
        INFO(path);
        const auto plain = site->get(path);
        REQUIRE(plain.status == 200);
        CHECK(plain.header("Content-Encoding").empty());
        CHECK(plain.header("Vary") == "Accept-Encoding");
        const auto packed = site->send("GET", path, "", "", {{"Accept-Encoding", "gzip, deflate, br"}});
        REQUIRE(packed.status == 200);
        CHECK(packed.header("Content-Encoding") == "gzip");
        CHECK(packed.header("Content-Length") == std::to_string(packed.body.size()));
        if (plain.body.size() > 40000) CHECK(packed.body.size() * 5 < plain.body.size());
        else CHECK(packed.body.size() < plain.body.size());
        // The same page: the leader pages are rendered afresh, so compare all but the CSRF token.
        const std::regex token("name=\"csrf\" value=\"[^\"]*\"");
        CHECK(std::regex_replace(gunzip(packed.body), token, "") == std::regex_replace(plain.body, token, ""));
    }
    // The client's preferences are read as RFC 9110 says.
    for (const auto& [header, isGzip] : std::vector<std::pair<std::string, bool>>{{"gzip;q=0", false},
                                                                                 {"identity", false},
                                                                                 {"deflate, gzip;q=0.5", true},
                                                                                 {"*", true},
                                                                                 {"gzip;q=0, *", false},
                                                                                 {"GZIP", true},
                                                                                 {"x-gzip", true}}) {
        INFO(header);
        const auto reply = site->send("GET", "/leader/districts/riverside-isd/summary", "", "", {{"Accept-Encoding", header}});
        CHECK((reply.header("Content-Encoding") == "gzip") == isGzip);
        CHECK(reply.contains("<!doctype html>") != isGzip);
    }
}
