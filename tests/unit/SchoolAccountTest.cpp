#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <string_view>

#include "auth/Passwords.h"
#include "cli/Users.h"
#include "store/Store.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"
#include "web/DistrictData.h"

namespace mindset::embedded {
const std::map<std::string_view, std::string_view>& migrations();
}

using namespace mindset;

// School leaders' accounts (issue 11, item 5): stored by 013_school_accounts.sql, added with
// `mindset users add NAME --district SLUG --school ID`, and scoped by web/DistrictData.

namespace {

const std::vector<std::string> kDistricts{"brazos-valley-isd", "riverside-isd"};
const std::vector<std::string> kRiversideSchools{"cedar-elementary", "central-office", "lakeview-elementary", "maple-elementary"};

}  // namespace

TEST_CASE("a school account is stored with its district and school, and 013 keeps every earlier account as it was", "[unit][store][sqlite]") {
    testing::TempFolder folder;
    const auto file = (folder.path() / "mindset.sqlite").string();
    {
        // A database as the build before school accounts left it: migrations up to 012, two accounts.
        store::Connection old(file);
        for (const auto& [name, sql] : embedded::migrations()) {
            if (std::stoi(std::string(name.substr(0, 3))) > 12) break;
            old.exec(sql);
        }
        old.exec("PRAGMA user_version=12");
        old.exec("INSERT INTO accounts (username, password_hash, district_slug, created_on) VALUES "
                 "('lee', 'h1', 'riverside-isd', '2026-08-15'), ('ana', 'h2', NULL, '2026-08-16')");
    }
    store::Store store(file);
    CHECK(store.schemaVersion() >= 13);
    const auto lee = store.findAccountByUsername("lee");
    REQUIRE(lee);
    CHECK(lee->districtSlug == std::optional<std::string>("riverside-isd"));
    CHECK(lee->schoolSlug == std::nullopt);
    CHECK_FALSE(lee->isSchoolScoped());
    CHECK(store.findAccountByUsername("ana")->districtSlug == std::nullopt);

    REQUIRE(store.createAccount({0, "pat", "h3", std::string("riverside-isd"), "2026-12-03", std::string("lakeview-elementary")}));
    const auto pat = store.findAccountByUsername("pat");
    REQUIRE(pat);
    CHECK(pat->schoolSlug == std::optional<std::string>("lakeview-elementary"));
    CHECK(pat->districtSlug == std::optional<std::string>("riverside-isd"));
    CHECK(pat->isSchoolScoped());
    CHECK(store.listAccounts()[2].schoolSlug == std::optional<std::string>("lakeview-elementary"));  // ana, lee, pat: username order
}

TEST_CASE("the store refuses a school account without a district", "[unit][store]") {
    store::Store store(testing::storeLocation());
    CHECK_THROWS_AS(store.createAccount({0, "pat", "h", std::nullopt, "2026-12-03", std::string("lakeview-elementary")}), store::StoreError);
    CHECK(store.listAccounts().empty());
}

TEST_CASE("the store lists the schools its surveys give for a district", "[unit][store]") {
    store::Store store(testing::storeLocation());
    store.saveSurvey({"riverside-2026", "riverside-isd", "Riverside", {{"maple-elementary", "Maple"}, {"cedar-elementary", "Cedar"}}, "2026-2027", "{}", "{}"});
    store.saveSurvey({"brazos-2026", "brazos-valley-isd", "Brazos", {{"central-office", "Central office"}}, "2026-2027", "{}", "{}"});
    CHECK(store.schoolSlugs("riverside-isd") == std::vector<std::string>{"cedar-elementary", "maple-elementary"});
    CHECK(store.schoolSlugs("brazos-valley-isd") == std::vector<std::string>{"central-office"});
    CHECK(store.schoolSlugs("nowhere").empty());
}

TEST_CASE("mindset users add --school makes a school leader's account, and refuses a school the district does not have", "[unit][cli]") {
    store::Store store(testing::storeLocation());
    std::ostringstream out;
    const std::string password = "a long enough password";
    CHECK_THROWS_WITH(cli::addUser(out, store, "pat", std::string("riverside-isd"), kDistricts, password, "2026-12-03",
                                   std::string("lakeview-elementry"), kRiversideSchools),
                      "--school 'lakeview-elementry' is not a school of district 'riverside-isd'; did you mean 'lakeview-elementary'? "
                      "Schools of riverside-isd (of the survey files and the surveys stored): cedar-elementary, central-office, "
                      "lakeview-elementary, maple-elementary");
    CHECK_THROWS_WITH(cli::addUser(out, store, "pat", std::nullopt, kDistricts, password, "2026-12-03", std::string("lakeview-elementary"),
                                   kRiversideSchools),
                      "--school needs --district: name the district whose school 'lakeview-elementary' is");
    CHECK_THROWS_WITH(cli::addUser(out, store, "pat", std::string("riverside-isd"), kDistricts, password, "2026-12-03",
                                   std::string("Lakeview Elementary"), kRiversideSchools),
                      Catch::Contains("--school expects a school id"));
    CHECK_THROWS_WITH(cli::addUser(out, store, "pat", std::string("riverside-isd"), kDistricts, password, "2026-12-03",
                                   std::string("lakeview-elementary"), {}),
                      Catch::Contains("no survey file of the district lists schools"));
    // The scope is checked before the password: a short one is not what is reported first.
    CHECK_THROWS_WITH(cli::checkScope(std::string("riverside-isd"), kDistricts, std::string("oak"), kRiversideSchools),
                      Catch::StartsWith("--school 'oak' is not a school of district 'riverside-isd'."));
    CHECK(store.listAccounts().empty());

    cli::addUser(out, store, "Pat", std::string("riverside-isd"), kDistricts, password, "2026-12-03", std::string("lakeview-elementary"),
                 kRiversideSchools);
    CHECK_THAT(out.str(), Catch::Contains("Added account 'pat' for school 'lakeview-elementary' of district 'riverside-isd'."));
    const auto pat = store.findAccountByUsername("pat");
    REQUIRE(pat);
    CHECK(pat->schoolSlug == std::optional<std::string>("lakeview-elementary"));
    CHECK(auth::verifyPassword(password, pat->passwordHash));

    cli::addUser(out, store, "lee", std::string("riverside-isd"), kDistricts, password, "2026-12-03");
    std::ostringstream listing;
    cli::printUsers(listing, store);
    CHECK_THAT(listing.str(), Catch::Contains("school lakeview-elementary of district riverside-isd"));
    CHECK_THAT(listing.str(), Catch::Contains("district riverside-isd "));
}

TEST_CASE("a school account may see its own school only, and no district-wide results", "[unit][privacy]") {
    const store::Account school{0, "pat", "h", std::string("riverside-isd"), "2026-12-03", std::string("lakeview-elementary")};
    const store::Account district{0, "lee", "h", std::string("riverside-isd"), "2026-12-03"};
    const store::Account network{0, "ana", "h", std::nullopt, "2026-12-03"};
    CHECK_FALSE(web::maySeeDistrict(school, "riverside-isd"));
    CHECK(web::maySeeSchool(school, "riverside-isd", "lakeview-elementary"));
    CHECK_FALSE(web::maySeeSchool(school, "riverside-isd", "maple-elementary"));
    CHECK_FALSE(web::maySeeSchool(school, "brazos-valley-isd", "lakeview-elementary"));
    CHECK(web::maySeeSchool(district, "riverside-isd", "maple-elementary"));
    CHECK_FALSE(web::maySeeSchool(district, "brazos-valley-isd", "central-office"));
    CHECK(web::maySeeSchool(network, "brazos-valley-isd", "central-office"));
}
