#include <catch2/catch.hpp>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "auth/Passwords.h"
#include "demo/DemoResponses.h"
#include "store/Sqlite.h"
#include "support/TestSite.h"

using namespace mindset;
using namespace std::chrono;
using nlohmann::json;
using testing::Reply;
using testing::TestSite;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kPage = "/leader/surveys/riverside-2026";
const std::string kApi = "/api/surveys/riverside-2026/profile";
const std::string kPublish = "/leader/surveys/riverside-2026/releases";
const std::string kParticipationApi = "/api/surveys/riverside-2026/participation";
const std::string kTrendsApi = "/api/districts/riverside-isd/trends";
const std::string kGoalsApi = "/api/districts/riverside-isd/goals";
const std::string kPeersApi = "/api/districts/riverside-isd/peers";

/// The demo survey with `responses` synthetic responses and no release, signed in as `district` (none: network).
std::unique_ptr<TestSite> site(std::optional<std::string> district, std::size_t responses = 300) {
    auto site = std::make_unique<TestSite>();
    site->trustProxies({"127.0.0.1"});  // respondents' addresses come from X-Forwarded-For (submitOne)
    std::vector<store::StoredResponse> rows;
    for (auto& r : demo::generateResponses(site->survey(), responses, 7)) rows.push_back({r.demographics, r.answers});
    site->store().insertResponses(site->survey().storeId, rows);
    REQUIRE(site->store().createAccount({0, "leader", auth::hashPassword(kPassword), district, "2026-08-15"}));
    REQUIRE(site->signIn("leader", kPassword).status == 303);
    return site;
}

/// Submits one complete response through the one-page form, as a respondent would, each from an
/// address of its own (one address may add only a few responses to groups a release hides).
void submitOne(TestSite& site, const std::string& token) {
    static int respondent = 0;
    auto fields = testing::completeResponse(site.survey());
    fields.insert(fields.begin(), {{"csrf", site.csrf()}, {"submission", token}, {"lang", "en"}});
    const auto address = "192.0.2." + std::to_string(1 + ++respondent % 250);
    REQUIRE(site.send("POST", "/surveys/riverside-2026/responses", testing::encodeForm(fields), "application/x-www-form-urlencoded",
                      {{"X-Forwarded-For", address}})
                .status == 303);
}

/// Presses the profile page's publish button.
Reply pressPublish(TestSite& site, const std::string& csrf) {
    return site.post(kPublish, testing::encodeForm({{"csrf", csrf}, {"lang", "en"}}));
}

/// Everything a leader can download about the survey, keyed by path.
std::map<std::string, std::string> downloads(TestSite& site, const std::string& query = "") {
    std::map<std::string, std::string> bodies;
    for (const auto& path : {kApi, kPage + "/tables/scales.csv", kPage + "/tables/items.csv", kPage + "/tables/breakdown-race.csv",
                             kTrendsApi, kGoalsApi, kPeersApi}) {
        const auto reply = site.get(path + query);
        INFO(path);
        REQUIRE(reply.status == 200);
        auto body = reply.body;
        if (path == kApi) {  // the list of releases grows; the release's own figures must not
            auto data = json::parse(body);
            data.erase("releases");
            body = data.dump();
        }
        bodies[path] = body;
    }
    return bodies;
}

}  // namespace

TEST_CASE("before its first release, a survey shows no figure anywhere, and says when results will come", "[http][releases][privacy]") {
    auto leader = site("riverside-isd");
    const auto page = leader->get(kPage);
    REQUIRE(page.status == 200);
    CHECK(page.contains("No results have been released for this survey yet. The final release is published when the survey closes on 2027-06-30"));
    CHECK_FALSE(page.contains("tables/scales.csv"));
    CHECK_FALSE(page.contains("Where staff stand"));
    CHECK(page.contains("Publish an interim release now"));

    const auto api = json::parse(leader->get(kApi).body);
    CHECK(api["release"].is_null());
    CHECK(api["releases"].empty());
    CHECK_FALSE(api.contains("scales"));
    CHECK_FALSE(api.contains("responses"));
    CHECK(api["explanation"].get<std::string>().find("2027-06-30") != std::string::npos);

    for (const auto& path : {kPage + "/tables/scales.csv", kPage + "/tables/items.csv"}) {
        INFO(path);
        const auto reply = leader->get(path);
        CHECK(reply.status == 404);
        CHECK(reply.contains("No results have been released for this survey yet"));
    }
    CHECK(json::parse(leader->get(kTrendsApi).body)["surveys"].empty());
    CHECK(leader->get(kPage + "?release=1").status == 404);
    CHECK(leader->get(kPage + "?release=first").status == 400);
}

TEST_CASE("a response submitted after a release changes no output until the next release", "[http][releases][privacy]") {
    auto leader = site("riverside-isd");
    const auto csrf = leader->csrf();
    const auto first = pressPublish(*leader, csrf);
    REQUIRE(first.status == 303);
    CHECK(first.header("Location") == kPage + "?lang=en&release=1");
    const auto before = downloads(*leader);
    const auto participationBefore = json::parse(leader->get(kParticipationApi).body);
    CHECK(json::parse(before.at(kApi))["release"]["number"] == 1);
    CHECK(json::parse(before.at(kApi))["responses"] == 300);
    CHECK(leader->get(kPage).contains("Release 1 (interim), published 2026-"));
    CHECK(leader->get(kPage).contains("300 responses"));

    submitOne(*leader, "0123456789abcdef0123456789abcdef");
    REQUIRE(leader->storedResponses() == 301);
    CHECK(downloads(*leader) == before);
    // Live participation shows bands only: 300 and 301 are both "300–309".
    CHECK(json::parse(leader->get(kParticipationApi).body) == participationBefore);

    // One new response: comparing two releases would show that person's answers, so none is made.
    const auto refused = pressPublish(*leader, csrf);
    CHECK(refused.status == 409);
    CHECK(refused.contains("district grew by fewer than 10 respondents since release 1"));
    CHECK(downloads(*leader) == before);
    for (int i = 1; i < 10; ++i) {
        char token[33];
        std::snprintf(token, sizeof token, "%032x", i);
        submitOne(*leader, token);
    }
    REQUIRE(leader->storedResponses() == 310);

    const auto second = pressPublish(*leader, csrf);
    REQUIRE(second.status == 303);
    CHECK(second.header("Location") == kPage + "?lang=en&release=2");
    const auto after = downloads(*leader);
    CHECK(json::parse(after.at(kApi))["release"]["number"] == 2);
    CHECK(json::parse(after.at(kApi))["responses"] == 310);
    CHECK(after.at(kApi) != before.at(kApi));

    // ?release=1 still shows exactly what release 1 published, everywhere.
    auto earlier = downloads(*leader, "?release=1");
    for (const auto& latestOnly : {kTrendsApi, kGoalsApi, kPeersApi}) {  // these read each year's latest release
        CHECK(earlier.at(latestOnly) == after.at(latestOnly));
        earlier[latestOnly] = before.at(latestOnly);
    }
    CHECK(json::parse(after.at(kPeersApi))["years"][0]["survey"]["release"]["number"] == 2);
    CHECK(json::parse(after.at(kTrendsApi))["surveys"][0]["release"]["responses"] == 310);
    CHECK(earlier == before);
    const auto earlierPage = leader->get(kPage + "?release=1");
    CHECK(earlierPage.contains("This is an earlier release."));
    CHECK(earlierPage.contains("href=\"/api/surveys/riverside-2026/profile?lang=en&amp;release=1\""));
    CHECK(leader->get(kPage + "?release=3").status == 404);
    const auto listed = json::parse(leader->get(kApi).body)["releases"];
    REQUIRE(listed.size() == 2);
    CHECK(listed[0]["responses"] == 300);
    CHECK(listed[1]["responses"] == 310);
}

TEST_CASE("the publish button refuses with the reason when nothing changed, and needs the form's token", "[http][releases]") {
    auto leader = site("riverside-isd");
    CHECK(pressPublish(*leader, "not-the-token").status == 403);
    CHECK(leader->store().releases(leader->survey().storeId).empty());

    REQUIRE(pressPublish(*leader, leader->csrf()).status == 303);
    const auto refused = pressPublish(*leader, leader->csrf());
    CHECK(refused.status == 409);
    CHECK(refused.contains("No release was published"));
    CHECK(refused.contains("No response has arrived in survey &apos;riverside-2026&apos; since release 1 (interim, published"));
    CHECK(leader->store().releases(leader->survey().storeId).size() == 1);
}

TEST_CASE("other districts' accounts can neither read nor publish a release, network accounts can", "[http][releases][privacy]") {
    auto neighbour = site("brazos-valley-isd");
    CHECK(pressPublish(*neighbour, neighbour->csrf()).status == 404);
    CHECK(neighbour->store().releases(neighbour->survey().storeId).empty());
    neighbour->publishRelease();
    for (const auto& path : {kPage, kApi, kPage + "?release=1", kPage + "/tables/scales.csv?release=1"}) {
        INFO(path);
        CHECK(neighbour->get(path).status == 404);
    }

    auto network = site(std::nullopt);
    REQUIRE(pressPublish(*network, network->csrf()).status == 303);
    CHECK(json::parse(network->get(kApi).body)["release"]["number"] == 1);

    TestSite visitor;
    CHECK(visitor.post(kPublish, testing::encodeForm({{"csrf", visitor.csrf()}, {"lang", "en"}})).status == 303);  // to the sign-in page
    CHECK(visitor.store().releases(visitor.survey().storeId).empty());
}

TEST_CASE("a closed survey gets its final release when a leader first opens it", "[http][releases]") {
    auto leader = site("riverside-isd");
    leader->setToday(2027y / July / 2d);
    const auto page = leader->get(kPage);
    REQUIRE(page.status == 200);
    CHECK(page.contains("Release 1 (final), published 2027-07-02, 300 responses"));
    CHECK_FALSE(page.contains("Publish an interim release now"));
    CHECK(leader->get(kPage).contains("Release 1 (final)"));
    CHECK(leader->store().releases(leader->survey().storeId).size() == 1);
    // Exact (protected) participation from the final release, no longer bands.
    const auto participation = json::parse(leader->get(kParticipationApi).body);
    CHECK(participation["release"]["kind"] == "final");
    CHECK(participation["district"]["responded"] == 300);
}

TEST_CASE("a release whose figures would now differ says so instead of passing them off as published", "[http][releases][sqlite]") {
    auto leader = site("riverside-isd");
    leader->publishRelease();
    {
        // As if Mindset's computation had changed since: the stored profile hash no longer matches,
        // while every instrument's fingerprint does.
        store::Connection connection(leader->databaseFile().string());
        connection.exec("UPDATE releases SET profile_sha256 = 'changed'");
    }
    CHECK(leader->get(kPage).contains("These figures no longer match what was published on"));
    CHECK(leader->get(kPage).contains("although every instrument is as it was then"));
    CHECK(leader->get(kPage).contains("own computation has changed (an upgrade)"));
    auto data = json::parse(leader->get(kApi).body);
    CHECK(data["release"]["matchesPublished"] == false);
    CHECK(data["release"]["changedInstruments"] == json::array());

    // As if an instrument had changed (another site: a release once read is kept in memory): its
    // recorded fingerprint is not the one it has now.
    leader = site("riverside-isd");
    leader->publishRelease();
    auto fingerprints = json::parse(leader->store().releases(leader->survey().storeId).front().instrumentFingerprintsJson);
    REQUIRE_FALSE(fingerprints.empty());
    const auto key = fingerprints.begin().key();
    fingerprints[key] = "0";
    {
        store::Connection connection(leader->databaseFile().string());
        connection.exec("UPDATE releases SET profile_sha256 = 'changed', instrument_fingerprints = '" + fingerprints.dump() + "'");
    }
    CHECK(leader->get(kPage).contains("the questions or the scoring of " + key + " changed since"));
    CHECK(leader->get(kPage + std::string("?lang=es")).contains("las preguntas o la puntuación de " + key + " han cambiado"));
    CHECK(json::parse(leader->get(kApi).body)["release"]["changedInstruments"] == json::array({key}));
}
