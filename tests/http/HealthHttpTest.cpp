#include <catch2/catch.hpp>

#include <filesystem>

#include "store/Sqlite.h"
#include "support/TestSite.h"
#include "web/Routes.h"

using namespace mindset;
using testing::TestSite;

TEST_CASE("/healthz says the process is alive and /readyz that it can serve, neither cached", "[http]") {
    TestSite site;
    const auto alive = site.get("/healthz");
    CHECK(alive.status == 200);
    CHECK(alive.body == "ok\n");
    CHECK(alive.header("Cache-Control") == "no-store");
    const auto ready = site.get("/readyz");
    CHECK(ready.status == 200);
    CHECK(ready.body == "ready\n");
    CHECK(ready.header("Cache-Control") == "no-store");
    CHECK(ready.header("Set-Cookie").empty());
}

TEST_CASE("/readyz answers 503 with the reason while the database file is gone, and 200 once it is back", "[http][sqlite]") {
    TestSite site;
    const auto database = site.databaseFile();
    const auto moved = std::filesystem::path(database.string() + ".moved");
    std::filesystem::rename(database, moved);
    const auto unready = site.get("/readyz");
    CHECK(unready.status == 503);
    CHECK(unready.body == "not ready: the database does not answer (unable to open database file)\n");
    CHECK(unready.header("Cache-Control") == "no-store");
    CHECK(!unready.contains(database.parent_path().string()));  // no paths for whoever asks
    CHECK(site.get("/healthz").status == 200);                   // alive all the same: a restart would not help

    std::filesystem::rename(moved, database);
    CHECK(site.get("/readyz").status == 200);
}

TEST_CASE("/readyz answers 503 when another program changed the database schema under the server", "[http][sqlite]") {
    TestSite site;
    const int version = site.store().schemaVersion();
    store::Connection other(site.databaseFile().string());
    other.exec("PRAGMA user_version=999");
    const auto unready = site.get("/readyz");
    CHECK(unready.status == 503);
    CHECK(unready.contains("not ready: the database schema is version 999, this program runs version " + std::to_string(version)));

    other.exec("PRAGMA user_version=" + std::to_string(version));
    CHECK(site.get("/readyz").status == 200);
}

TEST_CASE("/readyz answers 503 when no survey is served, as when no instrument plugin loaded", "[http]") {
    store::Store store(":memory:");
    const surveys::SurveyCatalog noSurveys;
    const web::Site website{noSurveys, store, web::localToday};
    TestSite site(web::buildRouter(website));
    const auto unready = site.get("/readyz");
    CHECK(unready.status == 503);
    CHECK(unready.body == "not ready: no survey is served (no instrument plugin loaded, or no valid survey file)\n");
    CHECK(site.get("/healthz").status == 200);
}
