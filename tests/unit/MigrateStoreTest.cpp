// `mindset migrate-store` (cli/MigrateStore.h): a SQLite data folder moved into PostgreSQL. The
// hidden [.postgresql] cases need a server (MINDSET_TEST_POSTGRESQL; ctest -L postgresql starts one).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "cli/MigrateStore.h"
#include "store/Store.h"
#include "store/Tokens.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

using namespace mindset;

namespace {

store::SurveyRecord surveyRecord() {
    return {"survey-2026", "district", "District", {{"north", "North School"}, {"south", "South School"}}, "2026-2027",
            "{}", R"({"items":["x@1.0.0/a"]})"};
}

/// The stored responses as comparable values, in a fixed order.
std::vector<std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>>> sorted(const std::vector<store::StoredResponse>& rows) {
    std::vector<std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>>> values;
    for (const auto& row : rows) values.emplace_back(row.demographics, row.answers);
    std::sort(values.begin(), values.end());
    return values;
}

std::vector<std::string> usernames(store::Store& store) {
    std::vector<std::string> names;
    for (const auto& account : store.listAccounts()) names.push_back(account.username + "|" + account.districtSlug.value_or(""));
    return names;
}

}  // namespace

TEST_CASE("migrate-store copies every table into PostgreSQL, checks it, and refuses a database that is not empty", "[.postgresql][cli]") {
    INFO("set MINDSET_TEST_POSTGRESQL to a postgresql:// URI, or run through ctest -L postgresql");
    REQUIRE(testing::isTestingPostgresql());
    testing::TempFolder folder;
    const auto sqliteFile = folder.path() / "mindset.sqlite";
    std::int64_t surveyId = 0;
    {
        store::Store sqlite(sqliteFile.string());
        surveyId = sqlite.saveSurvey(surveyRecord());
        for (std::uint8_t i = 0; i < 40; ++i) sqlite.insertResponse(surveyId, std::vector<std::uint8_t>{1, i, 0, 0}, std::vector<std::uint8_t>{static_cast<std::uint8_t>(i % 5 + 1)});
        sqlite.addAccessCodes(surveyId, "north", {store::sha256Hex("CODE-ONE"), store::sha256Hex("CODE-TWO")});
        REQUIRE(sqlite.createAccount({0, "ana", "$argon2id$not-a-real-hash", std::nullopt, "2026-08-15"}));
        REQUIRE(sqlite.createAccount({0, "lee", "$argon2id$not-a-real-hash", std::string("district"), "2026-08-15"}));
        REQUIRE(sqlite.createDraft({store::sha256Hex("draft-token"), surveyId, std::vector<std::uint8_t>{9, 8, 7, 0, 255}}, "2027-06-30", 100));
    }
    store::Store original(sqliteFile.string());
    const auto postgres = testing::storeLocation();

    std::ostringstream out, err;
    REQUIRE(cli::migrateStore(out, err, sqliteFile, postgres) == cli::MigrateOutcome::Done);
    INFO(out.str() << err.str());
    CHECK(out.str().find("responses: 40 rows, checksum ") != std::string::npos);
    CHECK(out.str().find("(matches)") != std::string::npos);
    CHECK(out.str().find("DIFFERS") == std::string::npos);

    // What a host on PostgreSQL reads is what the SQLite host read.
    store::Store moved(postgres);
    CHECK(moved.schemaVersion() == original.schemaVersion());
    CHECK(sorted(moved.responses(surveyId)) == sorted(original.responses(surveyId)));
    CHECK(usernames(moved) == usernames(original));
    const auto draft = moved.findDraft(surveyId, store::sha256Hex("draft-token"), "2026-12-01");
    REQUIRE(draft);
    CHECK(draft->sealed == std::vector<std::uint8_t>{9, 8, 7, 0, 255});
    // Rows made after the move take fresh ids (the identity sequences follow the copied ones).
    CHECK(moved.createAccount({0, "pat", "$argon2id$not-a-real-hash", std::nullopt, "2026-08-15"}));
    CHECK(moved.saveSurvey(surveyRecord()) == surveyId);

    // A second run finds rows there and copies nothing.
    std::ostringstream again, againErr;
    CHECK(cli::migrateStore(again, againErr, sqliteFile, postgres) == cli::MigrateOutcome::NotEmpty);
    CHECK(againErr.str().find("already holds") != std::string::npos);
    CHECK(againErr.str().find("migrate-store copies into an empty database only") != std::string::npos);
    CHECK(moved.responses(surveyId).size() == 40);
    CHECK(moved.listAccounts().size() == 3);
}

TEST_CASE("migrate-store says when the data folder has no database", "[unit][cli]") {
    testing::TempFolder folder;
    std::ostringstream out, err;
    CHECK(cli::migrateStore(out, err, folder.path() / "mindset.sqlite", "postgresql://nobody@127.0.0.1:1/none") == cli::MigrateOutcome::NoDatabase);
    CHECK(err.str() == "mindset migrate-store: no database at " + (folder.path() / "mindset.sqlite").string() + " (give the data folder with --data-dir)\n");
    CHECK_FALSE(std::filesystem::exists(folder.path() / "mindset.sqlite"));
}
