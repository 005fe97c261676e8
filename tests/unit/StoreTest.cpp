#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <string_view>

#include "store/Store.h"
#include "support/TestSupport.h"
#include "support/TestDatabase.h"

namespace mindset::embedded {
const std::map<std::string_view, std::string_view>& migrations();
}

using namespace mindset;
using store::Store;
using store::SurveyRecord;

namespace {

SurveyRecord record(const std::string& layout = R"({"items":["x@1.0.0/a"]})") {
    return {"survey-2026", "district", "District", {{"north", "North School"}, {"south", "South School"}}, "2026-2027",
            "{}", layout};
}

const std::vector<std::uint8_t> kDemographics{1, 0, 0, 0};
const std::vector<std::uint8_t> kAnswers{5};
/// The number of the last migration (its file name's prefix; a number may be skipped).
const int kLatestSchema = std::stoi(std::string(embedded::migrations().rbegin()->first.substr(0, 3)));

}  // namespace

TEST_CASE("a new database is migrated to the latest schema", "[unit]") {
    Store store(testing::storeLocation());
    CHECK(store.schemaVersion() == kLatestSchema);
}

TEST_CASE("drafts kept in clear before sealed drafts are deleted by the migration, and their bytes overwritten", "[unit][sqlite]") {
    testing::TempFolder folder;
    const auto file = (folder.path() / "mindset.sqlite").string();
    const std::string clearDraft = R"({"d.role":["school-leader"],"d.race":["distinctive-marker"]})";
    {
        // A database as the build before sealed drafts left it: migrations up to 004, one draft in clear.
        store::Connection old(file);
        old.exec("PRAGMA journal_mode=WAL");
        for (const auto& [name, sql] : embedded::migrations()) {
            if (std::stoi(std::string(name.substr(0, 3))) > 4) break;
            old.exec(sql);
        }
        old.exec("PRAGMA user_version=4");
        old.exec("INSERT INTO districts (slug, name) VALUES ('d', 'D')");
        old.exec("INSERT INTO surveys (slug, district_id, school_year, definition, answer_layout) VALUES ('s', 1, '2026-2027', '{}', '{}')");
        old.prepare("INSERT INTO drafts (token_hash, survey_id, expires_on, code_hash, fields) VALUES ('t', 1, '2027-01-01', 'c', ?1)")
            .bind(1, clearDraft)
            .run();
        old.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    REQUIRE(testing::readFile(file).find("distinctive-marker") != std::string::npos);
    {
        Store store(file);
        CHECK(store.schemaVersion() == kLatestSchema);
        CHECK(store.countDrafts(1) == 0);
    }
    // secure_delete: the dropped table's pages were zeroed, and the log was folded in and removed.
    std::string bytes = testing::readFile(file);
    if (std::filesystem::exists(file + "-wal")) bytes += testing::readFile(file + "-wal");
    CHECK(bytes.find("distinctive-marker") == std::string::npos);
}

TEST_CASE("codes issued before batches were kept get one batch per school, and stay valid", "[unit][sqlite]") {
    testing::TempFolder folder;
    const auto file = (folder.path() / "mindset.sqlite").string();
    {
        // A database as the build before code batches left it: migrations up to 007, three codes.
        store::Connection old(file);
        for (const auto& [name, sql] : embedded::migrations()) {
            if (std::stoi(std::string(name.substr(0, 3))) > 7) break;
            old.exec(sql);
        }
        old.exec("PRAGMA user_version=7");
        old.exec("INSERT INTO districts (slug, name) VALUES ('d', 'D')");
        old.exec("INSERT INTO schools (district_id, slug, name) VALUES (1, 'north', 'North School'), (1, 'south', 'South School')");
        old.exec("INSERT INTO surveys (slug, district_id, school_year, definition, answer_layout) VALUES ('s', 1, '2026-2027', '{}', '{}')");
        old.exec("INSERT INTO access_codes (code_hash, survey_id, school_id, is_used) VALUES ('a', 1, 1, 0), ('b', 1, 1, 1), ('c', 1, 2, 0)");
    }
    Store store(file);
    CHECK(store.schemaVersion() == kLatestSchema);
    const auto batches = store.accessCodeBatches(1);
    REQUIRE(batches.size() == 2);
    CHECK((batches[0].number == 1 && batches[0].schoolSlug == "north" && batches[0].issued == 2 && batches[0].used == 1));
    CHECK((batches[1].number == 2 && batches[1].schoolSlug == "south" && batches[1].issued == 1 && batches[1].issuedOn.empty()));
    CHECK(store.accessCodeState(1, "a") == store::CodeState::Unused);
    CHECK(store.findAccessCode(1, "c")->batch == 2);
    // The next batch is numbered after them.
    CHECK(store.addAccessCodes(1, "south", {"d"}, "2026-12-02") == 3);
}

TEST_CASE("responses survive closing and reopening the database file", "[unit]") {
    testing::TempFolder folder;
    const auto file = testing::storeLocation((folder.path() / "mindset.sqlite").string());
    std::int64_t surveyId = 0;
    {
        Store store(file);
        surveyId = store.saveSurvey(record());
        store.insertResponse(surveyId, kDemographics, kAnswers);
        store.insertResponse(surveyId, kDemographics, std::vector<std::uint8_t>{3});
    }
    Store reopened(file);
    CHECK(reopened.schemaVersion() == kLatestSchema);
    CHECK(reopened.saveSurvey(record()) == surveyId);  // saving again finds the same survey
    const auto responses = reopened.responses(surveyId);
    REQUIRE(responses.size() == 2);
    std::multiset<std::uint8_t> answers{responses[0].answers[0], responses[1].answers[0]};
    CHECK(answers == std::multiset<std::uint8_t>{3, 5});
}

TEST_CASE("a survey whose questions changed after responses were stored is refused and nothing changes", "[unit]") {
    Store store(testing::storeLocation());
    const auto surveyId = store.saveSurvey(record());
    CHECK_NOTHROW(store.saveSurvey(record(R"({"items":["x@1.0.0/a","x@1.0.0/b"]})")));  // no responses yet: fine
    store.insertResponse(surveyId, kDemographics, kAnswers);
    CHECK_THROWS_WITH(store.saveSurvey(record(R"({"items":["x@2.0.0/a"]})")),
                      Catch::Contains("already has 1 responses stored under different questions"));
    CHECK(store.countResponses(surveyId) == 1);
    CHECK_NOTHROW(store.saveSurvey(record(R"({"items":["x@1.0.0/a","x@1.0.0/b"]})")));  // the stored layout still fits
}

TEST_CASE("nothing stored with a response can link it to a person, a code, an address or a time", "[unit][sqlite]") {
    testing::TempFolder folder;
    const auto file = (folder.path() / "mindset.sqlite").string();
    Store store(file);
    const auto surveyId = store.saveSurvey(record());
    for (int i = 0; i < 50; ++i) store.insertResponse(surveyId, kDemographics, kAnswers);

    store::Connection inspect(file);
    auto columns = inspect.prepare("SELECT name FROM pragma_table_info('responses') ORDER BY cid");
    std::vector<std::string> names;
    while (columns.step()) names.push_back(columns.columnText(0));
    // release_number (005_releases.sql) is as coarse as the releases: NULL until the next one;
    // import_batch_id (012) names only the `mindset import` that stored a row: its day, never an answer's.
    CHECK(names == std::vector<std::string>{"id", "survey_id", "demographics", "answers", "release_number", "import_batch_id"});
    CHECK(inspect.queryInt64("SELECT COUNT(*) FROM responses WHERE release_number IS NOT NULL") == 0);

    // Row ids are random, so their order says nothing about the order of submission.
    auto ids = inspect.prepare("SELECT id FROM responses ORDER BY rowid");
    std::vector<std::int64_t> rowIds;
    while (ids.step()) rowIds.push_back(ids.columnInt64(0));
    testing::checkIdsRevealNoOrder(rowIds, 50);

    // No trigger or default adds a time behind our back.
    CHECK(inspect.queryInt64("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'") == 0);
}

TEST_CASE("the database file runs in WAL mode", "[unit][sqlite]") {
    testing::TempFolder folder;
    const auto file = (folder.path() / "mindset.sqlite").string();
    Store store(file);
    store::Connection inspect(file);
    auto mode = inspect.prepare("PRAGMA journal_mode");
    REQUIRE(mode.step());
    CHECK(mode.columnText(0) == "wal");
}
