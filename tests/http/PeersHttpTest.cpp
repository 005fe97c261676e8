#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "analytics/Csv.h"
#include "analytics/Peers.h"
#include "app/Startup.h"
#include "auth/Passwords.h"
#include "demo/DemoResponses.h"
#include "imports/CsvReader.h"
#include "support/TestSite.h"
#include "web/handlers/PeerPages.h"

using namespace mindset;
using nlohmann::json;
using testing::Reply;
using testing::TestSite;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kRiversidePeers = "/leader/districts/riverside-isd/peers";
const std::string kRiversideApi = "/api/districts/riverside-isd/peers";
const std::string kRiversideCsv = "/leader/districts/riverside-isd/peers.csv";

/// The districts of the demo network other than Riverside: how each may be named in a page.
const std::vector<std::string> kOtherDistricts{"brazos", "cypress", "llano", "pecan", "trinity"};

/// A site holding the named surveys of surveys/ (2026-2027), each with that many demo responses
/// published as an interim release, a Riverside leader account ("riverside") and a network account ("network").
std::unique_ptr<TestSite> networkSite(const std::vector<std::pair<std::string, std::size_t>>& surveyResponses) {
    std::vector<surveys::SurveyDefinition> definitions;
    for (const auto& [id, responses] : surveyResponses)
        definitions.push_back(surveys::loadSurveyFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / (id + ".json"),
                                                      testing::shippedInstruments()));
    auto site = TestSite::withSurveys(std::move(definitions), testing::dayWhenDemoIsOpen());
    std::uint64_t seed = 100;
    for (const auto& [id, responses] : surveyResponses) {
        const auto* survey = site->catalog().find(id);
        REQUIRE(survey);
        std::vector<store::StoredResponse> rows;
        for (auto& r : demo::generateResponses(*survey, responses, ++seed)) rows.push_back({r.demographics, r.answers});
        if (rows.empty()) continue;
        site->store().insertResponses(survey->storeId, rows);
        site->publishRelease(id);  // peers read releases only
    }
    REQUIRE(site->store().createAccount({0, "riverside", auth::hashPassword(kPassword), std::string("riverside-isd"), "2026-08-15"}));
    REQUIRE(site->store().createAccount({0, "network", auth::hashPassword(kPassword), std::nullopt, "2026-08-15"}));
    return site;
}

/// Adds responses to a survey and publishes them as its next release.
void addResponses(TestSite& site, const std::string& surveyId, std::size_t count, std::uint64_t seed) {
    const auto* survey = site.catalog().find(surveyId);
    std::vector<store::StoredResponse> rows;
    for (auto& r : demo::generateResponses(*survey, count, seed)) rows.push_back({r.demographics, r.answers});
    site.store().insertResponses(survey->storeId, rows);
    site.publishRelease(surveyId);
}

void signInAs(TestSite& site, const std::string& username) {
    site.cookies().clear();
    REQUIRE(site.signIn(username, kPassword).status == 303);
}

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

const std::vector<std::pair<std::string, std::size_t>> kSixDistricts{
    {"riverside-2026", 150},      {"brazos-valley-2026", 150}, {"cypress-bend-2026", 150},
    {"llano-springs-2026", 150}, {"pecan-grove-2026", 150},   {"trinity-falls-2026", 150}};

/// Each survey's protected profile, as the site builds it.
std::map<std::string, analytics::Profile> profiles(TestSite& site) {
    std::map<std::string, analytics::Profile> result;
    for (const auto& survey : site.catalog().surveys)
        result.emplace(survey.districtId, analytics::buildProfile(survey, app::storedResponses(site.store(), survey)));
    return result;
}

std::string twoDecimals(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", x);
    return text;
}

}  // namespace

TEST_CASE("peer pages need a signed-in account", "[http][privacy][peers]") {
    auto site = networkSite({{"riverside-2026", 0}});
    CHECK(site->get(kRiversidePeers).status == 303);
    CHECK(site->get("/network").status == 303);
    CHECK(site->get(kRiversideApi).status == 401);
}

TEST_CASE("a district leader sees where the district stands, and nothing of any other district", "[http][privacy][peers]") {
    auto site = networkSite(kSixDistricts);
    signInAs(*site, "riverside");
    const auto byDistrict = profiles(*site);

    const auto api = site->get(kRiversideApi);
    REQUIRE(api.status == 200);
    CHECK(api.header("Content-Type") == "application/json; charset=utf-8");
    const auto data = json::parse(api.body);
    CHECK(data["district"]["id"] == "riverside-isd");
    CHECK(data["minPeerDistricts"] == 5);
    REQUIRE(data["years"].size() == 1);
    const auto& scales = data["years"][0]["scales"];
    REQUIRE(scales.size() == byDistrict.at("riverside-isd").scales.size());

    for (std::size_t g = 0; g < scales.size(); ++g) {
        const auto& scale = scales[g];
        INFO(scale["scale"]);
        // Only these keys exist, so no other district's figure can ride along (scoreRange is the
        // instrument's own response range, the same for every district).
        for (const auto& [key, value] : scale.items())
            CHECK((key == "instrument" || key == "instrumentTitle" || key == "scale" || key == "title" || key == "scoreRange" ||
                   key == "peers" || key == "own"));
        CHECK(scale["scoreRange"] == json::array({1, 5}));
        REQUIRE(scale.contains("peers"));
        CHECK(scale["peers"].size() == 3);
        CHECK(scale["peers"]["districts"] == 6);
        std::vector<double> means, shares;
        for (const auto& [district, profile] : byDistrict) {
            means.push_back(*profile.scales[g].district->summary.mean);
            shares.push_back(*profile.scales[g].district->favorable.share);
        }
        auto published = [](const std::vector<double>& x, double p) { return analytics::roundAsR(analytics::quantileType7(x, p), 2); };
        CHECK(scale["peers"]["mean"] == json({{"p25", published(means, 0.25)}, {"median", published(means, 0.5)}, {"p75", published(means, 0.75)}}));
        CHECK(scale["peers"]["favorable"]["median"].get<double>() == published(shares, 0.5));
        // Rounded: no exact share k/n that would give away a district's number of respondents.
        for (const auto& measure : {"mean", "favorable"})
            for (const auto& [q, value] : scale["peers"][measure].items()) CHECK(value.get<double>() == analytics::roundAsR(value.get<double>(), 2));
        const auto& own = *byDistrict.at("riverside-isd").scales[g].district;
        CHECK(scale["own"]["mean"].get<double>() == *own.summary.mean);
        CHECK(scale["own"]["favorable"].get<double>() == *own.favorable.share);
        CHECK(scale["own"].size() == 4);
    }

    const auto page = site->get(kRiversidePeers);
    REQUIRE(page.status == 200);
    CHECK(page.contains("Riverside Independent School District among peer districts"));
    CHECK(page.contains("chart-band-chart"));
    CHECK(page.contains("<td>" + twoDecimals(scales[0]["peers"]["mean"]["median"].get<double>()) + "</td>"));
    CHECK(page.contains("<strong>" + twoDecimals(scales[0]["own"]["mean"].get<double>()) + "</strong>"));

    // No other district's name, slug or survey id, in any case, in the page or the JSON.
    for (const auto* body : {&page.body, &api.body})
        for (const auto& other : kOtherDistricts) {
            INFO(other);
            CHECK(lowercase(*body).find(other) == std::string::npos);
        }
    // No other district's own mean in a table cell or a chart label, unless it is also a figure
    // the page publishes (a quartile that happens to round to the same two decimals).
    std::set<std::string> published;
    for (const auto& scale : scales) {
        published.insert(twoDecimals(scale["own"]["mean"].get<double>()));
        for (const auto* q : {"p25", "median", "p75"}) published.insert(twoDecimals(scale["peers"]["mean"][q].get<double>()));
    }
    std::size_t checked = 0;
    for (const auto& [district, profile] : byDistrict) {
        if (district == "riverside-isd") continue;
        for (const auto& scale : profile.scales) {
            const auto text = twoDecimals(*scale.district->summary.mean);
            if (published.count(text)) continue;
            ++checked;
            CHECK_FALSE(page.contains("<td>" + text + "</td>"));
            CHECK_FALSE(page.contains(">" + text + "</text>"));
        }
    }
    CHECK(checked > 20);

    // Spanish too, with the same rule.
    const auto es = site->get(kRiversidePeers + "?lang=es");
    REQUIRE(es.status == 200);
    CHECK(es.contains("entre distritos pares"));
}

TEST_CASE("a district account gets 404 for the network and for another district's peers", "[http][privacy][peers]") {
    auto site = networkSite(kSixDistricts);
    signInAs(*site, "riverside");
    for (const auto& path : {std::string("/network"), std::string("/leader/districts/brazos-valley-isd/peers"),
                             std::string("/api/districts/brazos-valley-isd/peers"), std::string("/leader/districts/nowhere-isd/peers")}) {
        INFO(path);
        const auto reply = site->get(path);
        CHECK(reply.status == 404);
        CHECK(lowercase(reply.body).find("llano") == std::string::npos);
    }
    const auto home = site->get("/leader");
    CHECK(home.contains("href=\"" + kRiversidePeers + "?lang=en\""));
    CHECK_FALSE(home.contains("href=\"/network"));
}

TEST_CASE("a network account sees every district's figures and the network median", "[http][peers]") {
    auto site = networkSite(kSixDistricts);
    signInAs(*site, "network");
    CHECK(site->get("/leader").contains("href=\"/network?lang=en\""));
    const auto page = site->get("/network");
    REQUIRE(page.status == 200);
    for (const auto& name : {"Riverside", "Brazos Valley", "Cypress Bend", "Llano Springs", "Pecan Grove", "Trinity Falls"}) {
        INFO(name);
        CHECK(page.contains(name));
    }
    const auto byDistrict = profiles(*site);
    std::vector<double> means;
    for (const auto& [district, profile] : byDistrict) {
        const auto& figures = *profile.scales[0].district;
        means.push_back(*figures.summary.mean);
        INFO(district);
        CHECK(page.contains("<span class=\"figure\">" + twoDecimals(*figures.summary.mean) + "</span>"));
    }
    CHECK(page.contains("<td>" + twoDecimals(analytics::quantileType7(means, 0.5)) + "</td>"));  // the network median
    CHECK(page.contains("yes, 6 districts"));
    CHECK(page.contains("<span class=\"meta\">150 of "));  // responses per district, against its staff
    CHECK(page.contains("/leader/surveys/riverside-2026?lang=en\">Release 1 (interim), 2026-11-24</a>"));
    // Network staff may open any district's peers page too.
    CHECK(site->get("/leader/districts/pecan-grove-isd/peers").status == 200);
}

TEST_CASE("the peer minimum of 5 holds end to end", "[http][privacy][peers]") {
    SECTION("four districts: every comparison is withheld, with the reason") {
        auto site = networkSite({{"riverside-2026", 150}, {"brazos-valley-2026", 150}, {"cypress-bend-2026", 150}, {"llano-springs-2026", 150}});
        signInAs(*site, "riverside");
        const auto data = json::parse(site->get(kRiversideApi).body);
        for (const auto& scale : data["years"][0]["scales"]) {
            CHECK(scale["withheld"] == "too-few-districts");
            CHECK(scale["districtsNeeded"] == 1);
            CHECK_FALSE(scale.contains("peers"));
            CHECK_FALSE(scale.contains("own"));
        }
        const auto page = site->get(kRiversidePeers);
        CHECK(page.contains("Not shown for this school year: fewer than 5 districts have a published result on any scale (1 more needed)."));
        CHECK_FALSE(page.contains("chart-band-chart"));
    }

    SECTION("a fifth district whose result is hidden does not count until it has enough responses") {
        auto site = networkSite({{"riverside-2026", 150}, {"brazos-valley-2026", 150}, {"cypress-bend-2026", 150},
                                 {"llano-springs-2026", 150}, {"pecan-grove-2026", 3}});
        signInAs(*site, "riverside");
        auto data = json::parse(site->get(kRiversideApi).body);
        CHECK(data["years"][0]["scales"][0]["withheld"] == "too-few-districts");
        CHECK(data["years"][0]["scales"][0]["districtsNeeded"] == 1);

        signInAs(*site, "network");
        auto network = site->get("/network");
        CHECK(network.contains("no: 4 of 5 needed"));
        // Pecan Grove's 3 responses are not shown either: its rate and figures say only "hidden".
        const auto pecan = network.body.substr(network.body.find(">Pecan Grove"), network.body.find("</tr>", network.body.find(">Pecan Grove")) - network.body.find(">Pecan Grove"));
        CHECK(pecan.find("<td class=\"rate heat-hidden\"><span class=\"figure\">hidden</span>") != std::string::npos);

        addResponses(*site, "pecan-grove-2026", 150, 7);
        network = site->get("/network");
        CHECK(network.contains("yes, 5 districts"));
        signInAs(*site, "riverside");
        data = json::parse(site->get(kRiversideApi).body);
        for (const auto& scale : data["years"][0]["scales"]) CHECK(scale["peers"]["districts"] == 5);
        CHECK(site->get(kRiversidePeers).contains("chart-band-chart"));
    }
}

TEST_CASE("a district whose own results are hidden sees no peers, while the others do", "[http][privacy][peers]") {
    auto surveys = kSixDistricts;
    surveys[0].second = 3;  // Riverside: below its minimum group size of 5
    auto site = networkSite(surveys);
    signInAs(*site, "riverside");
    const auto data = json::parse(site->get(kRiversideApi).body);
    for (const auto& scale : data["years"][0]["scales"]) {
        CHECK(scale["withheld"] == "own-figure-hidden");
        CHECK_FALSE(scale.contains("peers"));
    }
    CHECK(site->get(kRiversidePeers).contains("Not shown for this school year: your district&apos;s own results are hidden on every scale"));
    signInAs(*site, "network");
    CHECK(site->get("/network").contains("yes, 5 districts"));
}

TEST_CASE("the years-compared page leads to the peers page instead of repeating it", "[http][peers]") {
    auto site = networkSite(kSixDistricts);
    signInAs(*site, "riverside");
    const auto html = site->get("/leader/districts/riverside-isd?lang=es").body;
    CHECK(html.find("<a href=\"/leader/districts/riverside-isd/peers?lang=es\">Comparar con distritos pares</a>") != std::string::npos);
    CHECK(html.find("class=\"peer-year\"") == std::string::npos);
    CHECK(lowercase(html).find("brazos") == std::string::npos);
}

TEST_CASE("the peers CSV holds the JSON's figures, and nothing of any other district", "[http][privacy][peers]") {
    auto site = networkSite(kSixDistricts);
    CHECK(site->get(kRiversideCsv).status == 401);  // signed out
    signInAs(*site, "riverside");
    const auto reply = site->get(kRiversideCsv);
    REQUIRE(reply.status == 200);
    CHECK(reply.header("Content-Type") == "text/csv; charset=utf-8");
    CHECK(reply.header("Content-Disposition") == "attachment; filename=\"riverside-isd-peers.csv\"");
    const auto table = imports::readCsv(reply.body);
    CHECK(table.header == std::vector<std::string>{"school_year", "measure", "instrument", "scale", "districts", "districts_needed",
                                                   "withheld", "p25", "median", "p75", "own", "quarter"});
    const auto data = json::parse(site->get(kRiversideApi).body);
    const auto& scales = data["years"][0]["scales"];
    REQUIRE(table.records.size() == 2 * scales.size());
    for (std::size_t r = 0; r < table.records.size(); ++r) {
        const auto& fields = table.records[r].fields;
        REQUIRE_FALSE(table.records[r].problem);
        const std::string measure = r < scales.size() ? "mean" : "favorable";
        const auto& scale = scales[r % scales.size()];
        INFO(measure << " " << scale["scale"]);
        CHECK(fields[0] == "2026-2027");
        CHECK(fields[1] == measure);
        CHECK(fields[2] == scale["instrument"]);
        CHECK(fields[3] == scale["scale"]);
        CHECK(fields[4] == "6");
        CHECK(fields[6].empty());
        // The same doubles as the JSON: the rounded quartiles and the district's own exact figure.
        CHECK(std::stod(fields[7]) == scale["peers"][measure]["p25"].get<double>());
        CHECK(std::stod(fields[8]) == scale["peers"][measure]["median"].get<double>());
        CHECK(std::stod(fields[9]) == scale["peers"][measure]["p75"].get<double>());
        CHECK(std::stod(fields[10]) == scale["own"][measure].get<double>());
        CHECK(fields[11] == scale["own"][measure + "Quarter"]);
    }
    for (const auto& other : kOtherDistricts) CHECK(lowercase(reply.body).find(other) == std::string::npos);
    // No other district's own mean, unless it equals a published figure.
    std::set<double> published;
    for (const auto& record : table.records)
        for (std::size_t f = 7; f <= 10; ++f) published.insert(std::stod(record.fields[f]));
    for (const auto& [district, profile] : profiles(*site)) {
        if (district == "riverside-isd") continue;
        for (const auto& scale : profile.scales)
            if (!published.count(*scale.district->summary.mean))
                CHECK(reply.body.find(analytics::shortestNumber(*scale.district->summary.mean)) == std::string::npos);
    }

    const auto page = site->get(kRiversidePeers);
    CHECK(page.contains("<a href=\"" + kRiversideCsv + "\">These figures (CSV)</a>"));
    CHECK(site->get(kRiversidePeers + "?lang=es").contains("Estas cifras (CSV)"));
}

TEST_CASE("the peers CSV of another district is not found, and a withheld comparison has only its reason", "[http][privacy][peers]") {
    auto site = networkSite({{"riverside-2026", 150}, {"brazos-valley-2026", 150}, {"cypress-bend-2026", 150}, {"llano-springs-2026", 150}});
    signInAs(*site, "riverside");
    const auto other = site->get("/leader/districts/brazos-valley-isd/peers.csv");
    CHECK(other.status == 404);
    CHECK(lowercase(other.body).find("high-expectations") == std::string::npos);
    const auto table = imports::readCsv(site->get(kRiversideCsv).body);
    REQUIRE_FALSE(table.records.empty());
    for (const auto& record : table.records) {
        CHECK(record.fields[4].empty());
        CHECK(record.fields[5] == "1");
        CHECK(record.fields[6] == "too-few-districts");
        for (std::size_t f = 7; f < record.fields.size(); ++f) CHECK(record.fields[f].empty());
    }
}
