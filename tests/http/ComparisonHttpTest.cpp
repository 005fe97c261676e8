#include <catch2/catch.hpp>

#include <cstdio>
#include <regex>

#include <nlohmann/json.hpp>

#include "analytics/Goals.h"
#include "analytics/ProfileJson.h"
#include "analytics/Trends.h"
#include "analytics/TrendsJson.h"
#include "releases/Releases.h"
#include "auth/Passwords.h"
#include "demo/DemoResponses.h"
#include "support/TestSite.h"

using namespace mindset;
using nlohmann::json;
using testing::TestSite;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kPage = "/leader/districts/riverside-isd";
const std::string kApi = "/api/districts/riverside-isd/trends";
const std::string kCsv = "/leader/districts/riverside-isd/trends.csv";

/// Riverside's three school years (with demo responses that drift from year to year) and a
/// neighbouring district, signed in as an account of `district` (none: the network).
std::unique_ptr<TestSite> districtSite(std::optional<std::string> district, bool isSignedIn = true) {
    std::vector<surveys::SurveyDefinition> surveys;
    for (const auto* id : {"riverside-2024", "riverside-2025", "riverside-2026", "brazos-valley-2025"})
        surveys.push_back(surveys::loadSurveyFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / (std::string(id) + ".json"),
                                                  testing::shippedInstruments()));
    auto site = TestSite::withSurveys(std::move(surveys));
    for (std::size_t i = 0; i < site->catalog().surveys.size(); ++i) {
        const auto& survey = site->catalog().surveys[i];
        demo::DemoProfile profile;
        profile.yearIndex = static_cast<int>(i % 3);
        std::vector<store::StoredResponse> rows;
        for (auto& r : demo::generateResponses(survey, 250, 30 + i, profile)) rows.push_back({r.demographics, r.answers});
        site->store().insertResponses(survey.storeId, rows);
        site->publishRelease(survey.id);  // final for the closed years, interim for riverside-2026
    }
    REQUIRE(site->store().createAccount({0, "leader", auth::hashPassword(kPassword), district, "2026-08-15"}));
    if (isSignedIn) {
        REQUIRE(site->signIn("leader", kPassword).status == 303);
    }
    return site;
}

/// Riverside's years with the profiles of their latest releases, read from the store, oldest first.
analytics::DistrictYears riversideYears(TestSite& site, std::vector<std::shared_ptr<const analytics::Profile>>& keep) {
    return testing::latestReleaseYears(site, "riverside-isd", keep);
}

}  // namespace

TEST_CASE("the comparison page, its JSON and its CSV need a signed-in leader", "[http][trends][privacy]") {
    auto site = districtSite(std::nullopt, false);
    const auto page = site->get(kPage);
    CHECK(page.status == 303);
    CHECK(page.header("Location").rfind("/login?next=", 0) == 0);
    for (const auto& path : {kApi, kCsv}) {
        INFO(path);
        const auto reply = site->get(path);
        CHECK(reply.status == 401);
        CHECK_FALSE(reply.contains("high-expectations"));
    }
}

TEST_CASE("the comparison page, the trends JSON and CSV show the trends of the district's protected profiles", "[http][trends][privacy]") {
    auto site = districtSite("riverside-isd");
    std::vector<std::shared_ptr<const analytics::Profile>> profiles;
    const auto years = riversideYears(*site, profiles);
    REQUIRE(years.size() == 3);
    const auto trends = analytics::buildTrends(years);

    const auto api = site->get(kApi);
    REQUIRE(api.status == 200);
    CHECK(api.header("Content-Type") == "application/json; charset=utf-8");
    const auto served = json::parse(api.body);
    CHECK(served == analytics::trendsToJson(trends, years, "en"));
    CHECK(served["schoolYears"] == json::array({"2024-2025", "2025-2026", "2026-2027"}));
    CHECK(served["district"]["id"] == "riverside-isd");

    const auto csv = site->get(kCsv);
    REQUIRE(csv.status == 200);
    CHECK(csv.header("Content-Type") == "text/csv; charset=utf-8");
    CHECK(csv.header("Content-Disposition") == "attachment; filename=\"riverside-isd-trends.csv\"");
    CHECK(csv.body == analytics::trendsToCsv(trends, years));

    const auto page = site->get(kPage);
    REQUIRE(page.status == 200);
    CHECK(page.contains("<h1>Riverside Independent School District: years compared</h1>"));
    CHECK(page.contains("This page tests " + std::to_string(trends.testCount) + " changes at once"));
    // The district's mean each year, as its profile shows it, in the table beside the chart.
    for (const auto& point : trends.instruments[0].scales[0].district.points) {
        REQUIRE(point.state == analytics::PointState::Shown);
        char mean[16];
        std::snprintf(mean, sizeof mean, "%.2f", *point.figures->summary.mean);
        CHECK(page.contains(std::string("<td>") + mean + " <span class=\"meta\">"));
    }
    CHECK(page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-trend\""));
    CHECK(page.contains("aria-labelledby=\"trend-equity-excellence-high-expectations-title\""));
    // The groups are one scale at a time, on the scale's own page, which the overview links.
    CHECK_FALSE(page.contains("class=\"trend-breakdown\""));
    const auto scalePath = kPage + "?lang=en&scale=equity-excellence.high-expectations";
    CHECK(page.contains("href=\"" + std::regex_replace(scalePath, std::regex("&"), "&amp;") + "#by-equity-excellence-high-expectations-race\""));
    const auto scalePage = site->get(scalePath);
    REQUIRE(scalePage.status == 200);
    CHECK(scalePage.contains("<title>Riverside Independent School District: High expectations, years compared"));
    CHECK(scalePage.contains("id=\"by-equity-excellence-high-expectations-race\""));
    CHECK(scalePage.contains("changes the years compared test at once"));
    CHECK_FALSE(scalePage.contains("id=\"scale-equity-excellence-equitable-resourcing\""));  // no other scale
    // 250 responses a year leave small groups hidden: a hole in their lines. Riverside's surveys use an
    // open link, so their threshold is openLinkMinGroupSize, 10.
    CHECK(scalePage.contains("Hidden to protect groups of fewer than 10 people."));
    CHECK(scalePage.contains(">hidden</tspan>"));
    // The language switch keeps the scale; a scale the district never measured is a 404 that says so.
    CHECK(scalePage.contains("href=\"/leader/districts/riverside-isd?scale=equity-excellence.high-expectations&amp;lang=es\""));
    const auto unknown = site->get(kPage + "?scale=equity-excellence.no-such-scale");
    CHECK(unknown.status == 404);
    CHECK(unknown.contains("“equity-excellence.no-such-scale” is not a scale of this district"));

    const auto spanish = site->get(kPage + "?lang=es");
    CHECK(spanish.contains("<h1>Riverside Independent School District: comparación de años</h1>"));
    CHECK(json::parse(site->get(kApi + "?lang=es").body)["instruments"][0]["scales"][0]["title"] == "Expectativas altas");
}

TEST_CASE("an account of another district cannot see this district's comparison, the home page links only visible districts",
          "[http][trends][privacy]") {
    auto neighbour = districtSite("brazos-valley-isd");
    for (const auto& path : {kPage, kApi, kCsv}) {
        INFO(path);
        const auto reply = neighbour->get(path);
        CHECK(reply.status == 404);
        CHECK_FALSE(reply.contains("high-expectations"));
    }
    CHECK(neighbour->get("/leader/districts/brazos-valley-isd").status == 200);
    CHECK(neighbour->get("/leader/districts/no-such-district").status == 404);
    const auto home = neighbour->get("/leader");
    CHECK(home.contains("href=\"/leader/districts/brazos-valley-isd?lang=en\""));
    CHECK_FALSE(home.contains("/leader/districts/riverside-isd"));

    auto network = districtSite(std::nullopt);
    const auto networkHome = network->get("/leader");
    CHECK(networkHome.contains("href=\"/leader/districts/brazos-valley-isd?lang=en\""));
    CHECK(networkHome.contains("href=\"/leader/districts/riverside-isd?lang=en\""));
    CHECK(network->get(kPage).status == 200);
}

TEST_CASE("goals and trends cross the pilot instrument version only on the scales the new version declares comparable", "[http][trends][goals]") {
    // riverside-2024 used continuous-improvement@0.9.0; 1.0.0 declares data-informed-practice and
    // learning-from-mistakes comparable with it, not the reworked improvement-cycles.
    auto site = districtSite("riverside-isd");
    std::vector<std::shared_ptr<const analytics::Profile>> profiles;
    const auto years = riversideYears(*site, profiles);
    REQUIRE(years.size() == 3);
    REQUIRE(years[0].survey->instruments[2].key == "continuous-improvement@0.9.0");

    const auto progressOf = [&](const std::string& scaleId) {
        return analytics::goalProgress({"continuous-improvement", scaleId, analytics::GoalMeasure::Mean, std::nullopt, 4.5, "2028-2029", std::nullopt}, years);
    };
    const auto comparable = progressOf("data-informed-practice");
    CHECK(comparable[0].isBaseline);
    CHECK(comparable[1].value.has_value());
    CHECK(comparable[1].noData == analytics::GoalNoData::None);

    const auto reworked = progressOf("improvement-cycles");
    CHECK(reworked[0].isBaseline);
    CHECK_FALSE(reworked[1].value.has_value());
    CHECK(reworked[1].noData == analytics::GoalNoData::OtherVersion);
    CHECK(reworked[1].status == analytics::GoalStatus::NoData);

    const auto trends = analytics::buildTrends(years);
    for (const auto& instrument : trends.instruments) {
        if (instrument.instrumentId != "continuous-improvement") continue;
        for (const auto& scale : instrument.scales) {
            INFO(scale.scaleId);
            const bool isReworked = scale.scaleId == "improvement-cycles";
            CHECK((scale.links[0].state == analytics::LinkState::NotComparable) == isReworked);
            CHECK(scale.links[1].state != analytics::LinkState::NotComparable);
        }
    }
}
