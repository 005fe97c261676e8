// definition() is plugin code like any hook (issue 10, item 5): the loader calls it under its
// guard at load time, twice, and keeps what it returned; after that the host reads the kept
// definition and never calls the plugin's definition() again, so a plugin whose definition()
// throws after loading cannot take down a form, a profile, a release or a fingerprint.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "auth/Passwords.h"
#include "demo/DemoResponses.h"
#include "loader/Fingerprint.h"
#include "support/FixtureSurveys.h"
#include "support/TestSite.h"

using namespace mindset;
using Catch::Matchers::Contains;
using nlohmann::json;
using testing::TestSite;

namespace {
const std::string kKey = "fixture-definition-throws-later@1.0.0";
const std::string kPassword = "correct horse battery";
}  // namespace

TEST_CASE("a plugin whose definition() throws after loading is never called for it again", "[http][plugin][isolation]") {
    const auto& registry = testing::instrumentsWithFixtures();
    const auto* instrument = registry.find(kKey);
    REQUIRE(instrument);
    const auto* kept = registry.definitionOf(kKey);
    REQUIRE(kept);
    CHECK(kept->key() == kKey);
    // The fixture really does throw now: a direct call is refused through the boundary, named.
    CHECK_THROWS_WITH(loader::fingerprintOf(*instrument), Contains("failed in definition()") && Contains("deliberately failed"));
    CHECK(loader::fingerprintOf(*instrument, *kept).size() == 64);

    std::vector<surveys::SurveyDefinition> definitions;
    definitions.push_back(testing::surveyWithInstruments("riverside-2026.json", "late-throw-2026", {"equity-excellence@1.0.0", kKey}));
    auto site = TestSite::withSurveys(std::move(definitions));  // start-up fingerprints every pinned instrument
    const auto& survey = site->survey();
    CHECK(&survey.instruments[1].definition() == kept);

    const auto form = site->get("/surveys/late-throw-2026/all");
    REQUIRE(form.status == 200);
    CHECK(form.contains("A one."));

    std::vector<store::StoredResponse> rows;
    for (auto& r : demo::generateResponses(survey, 60, 3)) rows.push_back({r.demographics, r.answers});
    site->store().insertResponses(survey.storeId, rows);
    const auto release = site->publishRelease();
    CHECK(json::parse(release.instrumentFingerprintsJson)[kKey] == loader::fingerprintOf(*instrument, *kept));
    REQUIRE(site->store().createAccount({0, "leader", auth::hashPassword(kPassword), std::nullopt, "2026-08-15"}));
    REQUIRE(site->signIn("leader", kPassword).status == 303);
    const auto api = site->get("/api/surveys/late-throw-2026/profile");
    REQUIRE(api.status == 200);
    const auto data = json::parse(api.body);
    CHECK(data["failures"].empty());  // nothing failed: its score() works, and definition() was not asked
    bool hasFigures = false;
    for (const auto& scale : data["scales"])
        if (scale["instrument"] == kKey && scale.contains("mean")) hasFigures = true;
    CHECK(hasFigures);
    const auto page = site->get("/leader/surveys/late-throw-2026");
    CHECK(page.status == 200);
    CHECK_FALSE(page.contains("deliberately failed"));
    const std::string base = "/leader/surveys/late-throw-2026";
    const std::string district = "/leader/districts/" + survey.districtId;
    for (const auto& path : {base + "?lang=es", base + "/tables/scales.csv", base + "/tables/items.csv", base + "/participation",
                             district, district + "/summary", district + "/peers", "/api/districts/" + survey.districtId + "/trends",
                             std::string("/surveys/late-throw-2026/all?lang=es")}) {
        INFO(path);
        CHECK(site->get(path).status == 200);
    }
}
