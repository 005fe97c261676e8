#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analytics/ProfileJson.h"
#include "app/Startup.h"
#include "auth/Passwords.h"
#include "demo/DemoResponses.h"
#include "support/TestSite.h"

using namespace mindset;
using nlohmann::json;
using testing::Reply;
using testing::TestSite;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kPage = "/leader/surveys/riverside-2026";
const std::string kApi = "/api/surveys/riverside-2026/profile";

/// Adds `count` synthetic responses to the site's demo survey.
void addResponses(TestSite& site, std::size_t count, std::uint64_t seed) {
    std::vector<store::StoredResponse> rows;
    for (auto& r : demo::generateResponses(site.survey(), count, seed)) rows.push_back({r.demographics, r.answers});
    site.store().insertResponses(site.survey().storeId, rows);
}

/// A site whose demo survey holds 300 synthetic responses, published as release 1 (unless not
/// `isReleased`), signed in as `district` (none: network).
std::unique_ptr<TestSite> signedInSite(std::optional<std::string> district = std::nullopt, bool isSignedIn = true,
                                       bool isReleased = true) {
    auto site = std::make_unique<TestSite>();
    addResponses(*site, 300, 7);
    if (isReleased) site->publishRelease();
    REQUIRE(site->store().createAccount({0, "leader", auth::hashPassword(kPassword), district, "2026-08-15"}));
    if (isSignedIn) {
        REQUIRE(site->signIn("leader", kPassword).status == 303);
    }
    return site;
}

std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool isQuoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (isQuoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
            else if (c == '"') isQuoted = false;
            else field += c;
        } else if (c == '"') isQuoted = true;
        else if (c == ',') rows.back().push_back(field), field.clear();
        else if (c == '\n') {
            rows.back().push_back(field), field.clear();
            rows.emplace_back();
        } else field += c;
    }
    if (rows.back().empty()) rows.pop_back();
    return rows;
}

}  // namespace

TEST_CASE("profile pages, the API and exports need a signed-in leader", "[http][privacy]") {
    auto site = signedInSite(std::nullopt, false);
    const auto page = site->get(kPage);
    CHECK(page.status == 303);
    CHECK(page.header("Location").rfind("/login?next=", 0) == 0);
    for (const auto& path : {kApi, kPage + "/tables/scales.csv", kPage + "/tables/breakdown-school.csv"}) {
        INFO(path);
        const auto reply = site->get(path);
        CHECK(reply.status == 401);
        CHECK_FALSE(reply.contains("riverside-middle"));
    }
}

TEST_CASE("the profile page, the API and the CSV tables show the same protected figures", "[http][privacy]") {
    auto site = signedInSite();
    const auto expected = analytics::profileToJson(
        analytics::buildProfile(site->survey(), app::storedResponses(site->store(), site->survey())), site->survey(), "en");

    const auto api = site->get(kApi);
    REQUIRE(api.status == 200);
    CHECK(api.header("Content-Type") == "application/json; charset=utf-8");
    auto served = json::parse(api.body);
    CHECK(served["release"]["number"] == 1);
    CHECK(served["release"]["kind"] == "interim");
    CHECK(served["release"]["responses"] == 300);
    CHECK(served["release"]["matchesPublished"] == true);
    CHECK(served["release"]["label"].get<std::string>().ends_with(", 300 responses"));
    CHECK(served["releases"].size() == 1);
    served.erase("release");
    served.erase("releases");
    CHECK(served == expected);

    const auto page = site->get(kPage);
    REQUIRE(page.status == 200);
    CHECK(page.contains("Where staff stand"));
    char mean[16];
    std::snprintf(mean, sizeof mean, "%.2f", expected["scales"][0]["mean"].get<double>());
    CHECK(page.contains(std::string("<td>") + mean + "</td>"));

    // Every hidden cell is hidden everywhere: no figures in JSON, none in the CSV, its reason on the page.
    std::size_t hiddenCells = 0;
    for (const auto& breakdown : served["breakdowns"]) {
        const auto question = breakdown["question"].get<std::string>();
        const auto csv = parseCsv(site->get(kPage + "/tables/breakdown-" + question + ".csv").body);
        // The overview links each breakdown's page, which has every scale's groups.
        CHECK(page.contains("href=\"" + kPage + "?lang=en&amp;by=" + question + "\""));
        const auto breakdownPage = site->get(kPage + "?by=" + question);
        REQUIRE(breakdownPage.status == 200);
        REQUIRE(csv.size() > 1);
        REQUIRE(csv[0][2] == "n");
        for (std::size_t g = 0; g < breakdown["scales"].size(); ++g)
            for (const auto& cell : breakdown["scales"][g]["cells"]) {
                if (!cell.contains("hidden")) continue;
                ++hiddenCells;
                CHECK_FALSE(cell.contains("n"));
                CHECK_FALSE(cell.contains("mean"));
                CHECK_FALSE(cell.contains("favorable"));
                for (const auto& row : csv)
                    if (row[0] == breakdown["scales"][g]["scale"].get<std::string>().substr(breakdown["scales"][g]["scale"].get<std::string>().find('/') + 1) &&
                        row[1] == cell["category"]) {
                        CHECK(row[2].empty());
                        CHECK(row[3].empty());
                        CHECK(row[8] == cell["hidden"].get<std::string>());
                    }
                CHECK(breakdownPage.contains("<th scope=\"row\">" + cell["label"].get<std::string>() + "</th><td colspan=\"7\">" +
                                    cell["hiddenExplanation"].get<std::string>()));
            }
    }
    CHECK(hiddenCells > 0);  // 300 demo responses include groups below the minimum
}

TEST_CASE("the profile shows its overview, one scale or one breakdown at a time; each is reached by a link", "[http]") {
    auto site = signedInSite();
    const auto served = json::parse(site->get(kApi).body);
    const auto overview = site->get(kPage);
    REQUIRE(overview.status == 200);
    // The overview: every scale's figures, and the way to its details, but no statement or group tables.
    CHECK_FALSE(overview.contains("class=\"scale-detail\""));
    CHECK_FALSE(overview.contains("class=\"breakdown\""));
    const auto& first = served["scales"][0];
    const auto key = first["instrument"].get<std::string>().substr(0, first["instrument"].get<std::string>().find('@')) + "." + first["scale"].get<std::string>();
    CHECK(overview.contains("<a href=\"" + kPage + "?lang=en&amp;scale=" + key + "\">" + first["title"].get<std::string>() + "</a>"));

    // A scale: its statements with every option's count, and its groups in every breakdown, charts included.
    const auto scalePage = site->get(kPage + "?scale=" + key);
    REQUIRE(scalePage.status == 200);
    CHECK(scalePage.contains("class=\"scale-detail\""));
    for (const auto& item : first["items"]) CHECK(scalePage.contains(item["text"].get<std::string>()));
    for (const auto& breakdown : served["breakdowns"]) CHECK(scalePage.contains("id=\"by-" + breakdown["question"].get<std::string>() + "\""));
    CHECK(scalePage.contains("chart-interval"));
    CHECK(scalePage.contains("<a href=\"" + kPage + "?lang=en\">"));  // back to the overview
    // Only that scale: another scale's statements are not on it.
    CHECK_FALSE(scalePage.contains(served["scales"][1]["items"][0]["text"].get<std::string>()));
    // The language switch and the release keep the part being read.
    CHECK(scalePage.contains("href=\"" + kPage + "?scale=" + key + "&amp;lang=es\""));
    CHECK(site->get(kPage + "?release=1&scale=" + key).contains("href=\"" + kPage + "?release=1&amp;scale=" + key + "&amp;lang=es\""));

    // A breakdown: a table of groups for every scale, each scale's name leading to its page.
    const auto question = served["breakdowns"][0]["question"].get<std::string>();
    const auto breakdownPage = site->get(kPage + "?by=" + question);
    REQUIRE(breakdownPage.status == 200);
    for (const auto& scale : served["scales"])
        if (!scale.contains("hidden")) CHECK(breakdownPage.contains("<caption>" + scale["title"].get<std::string>() + ": "));
    CHECK(breakdownPage.contains("href=\"" + kPage + "?lang=en&amp;scale=" + key + "#by-" + question + "\""));

    // Names the page does not know are 404s that say what is wrong.
    const auto noScale = site->get(kPage + "?scale=equity-excellence.nope");
    CHECK(noScale.status == 404);
    CHECK(noScale.contains("This survey has no scale “equity-excellence.nope”"));
    const auto noBreakdown = site->get(kPage + "?by=shoe-size");
    CHECK(noBreakdown.status == 404);
    CHECK(noBreakdown.contains("This survey has no breakdown by “shoe-size”"));
}

TEST_CASE("signed-in leaders get tables, never one row per respondent", "[http][privacy]") {
    // Rows of answers beside exact group figures let a reader solve which rows make up a group
    // (docs/privacy.md, "Who may learn what"): row-level data leaves only through `mindset export`.
    auto site = signedInSite();
    const auto page = site->get(kPage);
    REQUIRE(page.status == 200);
    CHECK_FALSE(page.contains("export.csv"));
    CHECK_FALSE(page.contains("codebook.csv"));
    CHECK(page.contains("/tables/scales.csv"));
    for (const auto& path : {kPage + "/export.csv", kPage + "/codebook.csv"}) {
        INFO(path);
        CHECK(site->get(path).status == 404);
    }
}

TEST_CASE("a district account sees only its own district's surveys", "[http][privacy]") {
    auto site = signedInSite("another-district");
    CHECK(site->get(kPage).status == 404);
    CHECK(site->get(kApi).status == 404);
    auto own = signedInSite("riverside-isd");
    CHECK(own->get(kPage).status == 200);
}
