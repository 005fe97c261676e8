// A plugin that fails while scoring fails alone (issue 10): its instrument's figures on the
// survey that pins it say what went wrong; every other instrument, survey and district, the peers,
// comparison and network pages keep answering 200.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "auth/Passwords.h"
#include "demo/DemoResponses.h"
#include "support/FixtureSurveys.h"
#include "support/TestSite.h"

using namespace mindset;
using nlohmann::json;
using testing::TestSite;

namespace {

const std::string kPassword = "correct horse battery";

/// The six districts of the demo network in 2026-27, each with 120 responses; Riverside's survey
/// also pins the three faulty fixture instruments. A network account "network".
std::unique_ptr<TestSite> networkWithFaultyPlugin() {
    std::vector<surveys::SurveyDefinition> definitions;
    definitions.push_back(testing::surveyWithInstruments(
        "riverside-2026.json", "riverside-2026",
        {"equity-excellence@1.0.0", "shared-responsibility@1.0.0", "continuous-improvement@1.0.0", "fixture-throws-map-at@1.0.0",
         "fixture-throws-int@1.0.0", "fixture-score-out-of-range@1.0.0"},
        true));
    for (const auto* name : {"brazos-valley", "cypress-bend", "llano-springs", "pecan-grove", "trinity-falls"})
        definitions.push_back(surveys::loadSurveyFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / (std::string(name) + "-2026.json"),
                                                      testing::instrumentsWithFixtures()));
    auto site = TestSite::withSurveys(std::move(definitions));
    std::uint64_t seed = 40;
    for (const auto& survey : site->catalog().surveys) {
        std::vector<store::StoredResponse> rows;
        for (auto& r : demo::generateResponses(survey, 120, ++seed)) rows.push_back({r.demographics, r.answers});
        site->store().insertResponses(survey.storeId, rows);
        site->publishRelease(survey.id);  // leaders read releases only
    }
    REQUIRE(site->store().createAccount({0, "network", auth::hashPassword(kPassword), std::nullopt, "2026-08-15"}));
    REQUIRE(site->signIn("network", kPassword).status == 303);
    return site;
}

}  // namespace

TEST_CASE("a plugin that throws or scores out of range while scoring fails alone", "[http][plugin][isolation]") {
    auto site = networkWithFaultyPlugin();
    const std::string base = "/leader/surveys/riverside-2026";

    const auto page = site->get(base);
    REQUIRE(page.status == 200);
    // The profile names each failed instrument, the hook and why.
    CHECK(page.contains("the plugin of instrument fixture-throws-map-at@1.0.0 failed in score() on this survey (std::out_of_range"));
    CHECK(page.contains("fixture-throws-int@1.0.0 failed in score() on this survey (an exception of type int (not a std::exception))"));
    CHECK(page.contains("fixture-score-out-of-range@1.0.0 failed in score() on this survey ("));
    CHECK(page.contains("outside its declared range 1 to 4"));

    const auto api = site->get("/api/surveys/riverside-2026/profile");
    REQUIRE(api.status == 200);
    const auto profile = json::parse(api.body);
    CHECK(profile["failures"].size() == 3);
    std::size_t failed = 0, withFigures = 0;
    for (const auto& scale : profile["scales"]) {
        if (scale["instrument"].get<std::string>().rfind("fixture-", 0) == 0) {
            CHECK(scale.contains("failed"));
            CHECK_FALSE(scale.contains("mean"));
            ++failed;
        } else if (scale.contains("mean")) {
            ++withFigures;
        }
    }
    CHECK(failed == 6);
    CHECK(withFigures >= 8);  // the shipped instruments' scales keep their figures
    for (const auto& key : profile["ranking"]) CHECK(key.get<std::string>().rfind("fixture-", 0) != 0);

    for (const auto& path : {base + "/tables/scales.csv", base + "/tables/items.csv", base + "/tables/breakdown-role.csv",
                             base + "/participation"}) {
        INFO(path);
        CHECK(site->get(path).status == 200);
    }

    // Every district's pages, Riverside's own comparison and peers pages, and the network page.
    for (const auto* district : {"riverside", "brazos-valley", "cypress-bend", "llano-springs", "pecan-grove", "trinity-falls"}) {
        const std::string d = district;
        for (const auto& path : {"/leader/surveys/" + d + "-2026", "/api/surveys/" + d + "-2026/profile", "/leader/districts/" + d + "-isd",
                                 "/leader/districts/" + d + "-isd/peers", "/api/districts/" + d + "-isd/peers",
                                 "/api/districts/" + d + "-isd/trends", "/leader/districts/" + d + "-isd/summary"}) {
            INFO(path);
            CHECK(site->get(path).status == 200);
        }
    }
    CHECK(site->get("/network").status == 200);
    // The summary says a failed instrument's scales have no result, and the others keep theirs.
    const auto summary = site->get("/leader/districts/riverside-isd/summary");
    CHECK(summary.contains("No result this year"));
    CHECK(summary.contains("High expectations</a></th>"));

    // Riverside's peers page says why the failed instrument's scales have no standing.
    const auto peers = json::parse(site->get("/api/districts/riverside-isd/peers").body);
    std::size_t failedScales = 0;
    for (const auto& scale : peers["years"][0]["scales"])
        if (scale["instrument"].get<std::string>().rfind("fixture-", 0) == 0) {
            CHECK(scale["withheld"] == "own-figure-failed");
            ++failedScales;
        }
    CHECK(failedScales == 6);
    CHECK(site->get("/leader/districts/riverside-isd/peers").contains(
        "because the plugin of instrument fixture-throws-int@1.0.0 failed while scoring your survey"));
}
