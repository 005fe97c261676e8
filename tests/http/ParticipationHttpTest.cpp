#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "auth/Passwords.h"
#include "demo/DemoResponses.h"
#include "support/TestSite.h"
#include "web/handlers/ParticipationPages.h"

using namespace mindset;
using nlohmann::json;
using testing::TestSite;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kPage = "/leader/surveys/riverside-2026/participation";
const std::string kApi = "/api/surveys/riverside-2026/participation";

/// The demo survey (changed by `adjust`) with `responses` synthetic responses, signed in as an
/// account of `district` (none: the network).
std::unique_ptr<TestSite> signedInSite(std::optional<std::string> district, std::size_t responses = 300,
                                       std::function<void(surveys::SurveyDefinition&)> adjust = {}) {
    auto site = std::make_unique<TestSite>(std::move(adjust));
    std::vector<store::StoredResponse> rows;
    for (auto& r : demo::generateResponses(site->survey(), responses, 7)) rows.push_back({r.demographics, r.answers});
    site->store().insertResponses(site->survey().storeId, rows);
    REQUIRE(site->store().createAccount({0, "leader", auth::hashPassword(kPassword), district, "2026-08-15"}));
    REQUIRE(site->signIn("leader", kPassword).status == 303);
    return site;
}

const json& rowOf(const json& rows, const std::string& id) {
    for (const auto& row : rows)
        if (row["id"] == id) return row;
    FAIL("no row " << id);
    throw;
}

/// The rows of `rows` that carry no exact count must be none, or at least two that the district
/// count minus the rows shown (the most a reader can work out) puts at no less than `minimum`;
/// hidden rows carry no number about their responses. Returns how many were hidden.
int checkTableProtected(const json& data, const std::string& table, int minimum) {
    auto remainder = data["district"]["responded"].get<std::int64_t>();
    int hidden = 0;
    for (const auto& row : data[table]) {
        if (row.contains("responded")) {
            remainder -= row["responded"].get<std::int64_t>();
            continue;
        }
        ++hidden;
        // Small or hidden to protect a small one, a reader cannot tell: one word, no number.
        CHECK_FALSE(row.contains("rate"));
        CHECK_FALSE(row.contains("respondedFewerThan"));
        CHECK_FALSE(row.contains("rateBelow"));
        CHECK(row["hidden"] == "hidden");
    }
    INFO(table << ": " << hidden << " rows hidden, " << remainder << " respondents between them");
    CHECK((hidden == 0 ? remainder == 0 : hidden >= 2 && remainder >= minimum));
    return hidden;
}

}  // namespace

TEST_CASE("while the survey is open, participation shows counts and rates only in bands", "[http][participation][privacy]") {
    auto site = signedInSite("riverside-isd");
    const auto api = site->get(kApi);
    REQUIRE(api.status == 200);
    CHECK(api.header("Cache-Control") == "no-store");
    const auto data = json::parse(api.body);
    CHECK(data["window"] == "open");
    CHECK(data["live"] == true);
    CHECK(data["bandWidth"] == 10);
    CHECK(data["expectedFrom"] == "staff-counts");
    CHECK(data["district"]["respondedBand"] == json{{"low", 300}, {"high", 309}});
    CHECK(data["district"]["expected"] == 1609);
    CHECK(data["district"]["rateBand"] == json{{"low", 0.18}, {"high", 0.20}});  // 300/1609 = 18.6%, 309/1609 = 19.2%
    REQUIRE(data["schools"].size() == 6);
    for (const auto& table : {"schools", "roles"})
        for (const auto& row : data[table]) {
            INFO(row["id"]);
            CHECK_FALSE(row.contains("responded"));
            CHECK_FALSE(row.contains("rate"));
            CHECK(row["respondedBand"]["low"].get<int>() % 10 == 0);
            CHECK(row["respondedBand"]["high"].get<int>() == row["respondedBand"]["low"].get<int>() + 9);
        }
    CHECK(rowOf(data["schools"], "central-office")["respondedBand"] == json{{"low", 0}, {"high", 9}});

    const auto page = site->get(kPage);
    REQUIRE(page.status == 200);
    CHECK(page.contains("While the survey is open, counts show only in bands of 10, and each rate only as the range its band allows"));
    CHECK(page.contains("<th scope=\"row\">Central office</th><td>0–9</td><td>44</td>"));
    CHECK(page.contains("<caption>Responses by role, district-wide, against the staff in each role</caption>"));

    // One more response does not show: 301 is in the same band as 300.
    const auto extra = demo::generateResponses(site->survey(), 1, 99);
    site->store().insertResponse(site->survey().storeId, extra[0].demographics, extra[0].answers);
    CHECK(json::parse(site->get(kApi).body) == data);
    // Ten more do, as a band.
    for (const auto& response : demo::generateResponses(site->survey(), 10, 98))
        site->store().insertResponse(site->survey().storeId, response.demographics, response.answers);
    CHECK(json::parse(site->get(kApi).body)["district"]["respondedBand"]["low"] == 310);

    // The same section, for another page such as the district comparison: a fragment that names the survey.
    surveys::SurveyCatalog catalog;
    catalog.surveys.push_back(site->survey());
    const web::Site webSite{catalog, site->store(), [] { return testing::dayWhenDemoIsOpen(); }};
    const auto section = web::handlers::participationSection(webSite, catalog.surveys.front(), "en");
    CHECK(section.starts_with("<section class=\"participation\" aria-labelledby=\"participation-riverside-2026-title\">"));
    CHECK(section.find("<html") == std::string::npos);
    CHECK(section.find("Riverside ISD staff mindset survey, 2026–27 · Open until 2027-06-30") != std::string::npos);
    CHECK(section.find("<td>0–9</td><td>44</td>") != std::string::npos);

    // The profile page links here, in the reader's language.
    CHECK(site->get("/leader/surveys/riverside-2026?lang=es").contains("href=\"" + kPage + "?lang=es\""));
    CHECK(site->get(kPage + "?lang=es").contains("tramos de 10"));
}

TEST_CASE("once the survey has closed, participation shows its final release's protected counts", "[http][participation][privacy]") {
    auto site = signedInSite("riverside-isd");
    site->setToday(std::chrono::year_month_day{std::chrono::year{2027}, std::chrono::July, std::chrono::day{1}});
    const auto data = json::parse(site->get(kApi).body);
    CHECK(data["window"] == "closed");
    CHECK(data["live"] == false);
    CHECK(data["release"]["kind"] == "final");
    CHECK(data["district"]["responded"] == 300);
    // 300 demo responses leave the central office with 1 to 4: never published exactly.
    const auto& office = rowOf(data["schools"], "central-office");
    CHECK_FALSE(office.contains("responded"));
    CHECK_FALSE(office.contains("respondedFewerThan"));
    CHECK_FALSE(office.contains("rate"));
    CHECK(office["hidden"] == "hidden");
    // The district total minus the other schools would be the central office's count: another school is hidden too.
    CHECK(checkTableProtected(data, "schools", 5) >= 2);
    checkTableProtected(data, "roles", 5);
    const auto& eastside = rowOf(data["schools"], "eastside-high");
    CHECK(eastside["expected"] == 610);
    CHECK(eastside["rate"].get<double>() == Approx(eastside["responded"].get<double>() / 610));
    CHECK(rowOf(data["roles"], "teacher")["expected"] == 1000);

    // A late response (an import, say) changes nothing: the final release is what is read.
    const auto extra = demo::generateResponses(site->survey(), 1, 99);
    site->store().insertResponse(site->survey().storeId, extra[0].demographics, extra[0].answers);
    CHECK(json::parse(site->get(kApi).body)["district"]["responded"] == 300);

    const auto page = site->get(kPage);
    REQUIRE(page.status == 200);
    CHECK(page.contains("Counts of Release 1 (final)"));
    const std::string hiddenWords = "hidden (no group under 10 is shown, nor anything that would let one be worked out)";
    CHECK(page.contains("<th scope=\"row\">Central office</th><td>" + hiddenWords + "</td><td>44</td>"));
    CHECK_FALSE(page.contains("fewer than 5"));
    CHECK(page.contains("<th scope=\"row\">Eastside High School</th><td>" + std::to_string(eastside["responded"].get<int>()) +
                        "</td><td>610</td>"));
    for (const auto& row : data["schools"])
        if (row.contains("hidden"))  // on the page too: the same words, no count, no rate; the staff count stays
            CHECK(page.contains("<th scope=\"row\">" + row["label"].get<std::string>() + "</th><td>" + hiddenWords + "</td><td>" +
                                std::to_string(row["expected"].get<int>()) + "</td><td class=\"rate\"> —</td>"));
    CHECK(page.contains("another row is hidden too, and every hidden row reads the same"));
    CHECK(site->get(kPage + "?lang=es").contains("oculto (no se muestra ningún grupo de menos de 10, ni nada que permita deducirlo)"));
}

TEST_CASE("another district's account cannot see participation, and a visitor must sign in", "[http][participation][privacy]") {
    auto other = signedInSite("brazos-valley-isd");
    CHECK(other->get(kPage).status == 404);
    CHECK(other->get(kApi).status == 404);
    CHECK_FALSE(other->get(kApi).contains("eastside-high"));

    TestSite visitor;
    CHECK(visitor.get(kPage).status == 303);
    CHECK(visitor.get(kApi).status == 401);
}

TEST_CASE("with access codes, participation counts codes used against codes issued per school", "[http][participation]") {
    auto site = signedInSite(std::nullopt, 0, [](surveys::SurveyDefinition& survey) { survey.access = surveys::Access::AccessCodes; });
    std::vector<std::string> hashes;
    for (int i = 0; i < 4; ++i) hashes.push_back(std::string(64, static_cast<char>('a' + i)));
    site->store().addAccessCodes(site->survey().storeId, "maple-elementary", hashes);
    const auto data = json::parse(site->get(kApi).body);
    CHECK(data["expectedFrom"] == "access-codes");
    const auto& maple = rowOf(data["schools"], "maple-elementary");
    CHECK(maple["expected"] == 4);
    // Open: the band of 0 to 9 used codes, and the rate only as wide as that band allows.
    CHECK(maple["respondedBand"] == json{{"low", 0}, {"high", 9}});
    CHECK(maple["rateBand"] == json{{"low", 0.0}, {"high", 1.0}});
    CHECK_FALSE(maple.contains("responded"));
    CHECK_FALSE(rowOf(data["schools"], "eastside-high").contains("expected"));
    CHECK(site->get(kPage).contains("<th scope=\"row\">Maple Elementary School</th><td>0–9</td><td>4</td><td class=\"rate\"> 0–100%</td>"));
}
