#include <catch2/catch.hpp>

#include <atomic>
#include <cstring>
#include <set>
#include <thread>

#include "store/Backup.h"
#include "store/Store.h"
#include "support/TestSupport.h"

using namespace mindset;
using store::BackupError;

namespace {

store::SurveyRecord surveyRecord() {
    return {"survey-2026", "district", "District", {{"north", "North School"}}, "2026-2027", "{}", R"({"items":["x@1.0.0/a"]})"};
}

/// A response whose answers are its sequence number, so that a copy shows exactly which ones it holds.
std::vector<std::uint8_t> numbered(std::uint32_t number) {
    std::vector<std::uint8_t> bytes(4);
    std::memcpy(bytes.data(), &number, 4);
    return bytes;
}

std::set<std::uint32_t> numbersIn(const std::filesystem::path& file) {
    store::Connection copy(file.string(), store::OpenMode::ExistingOnly);
    std::set<std::uint32_t> numbers;
    auto rows = copy.prepare("SELECT answers FROM responses WHERE length(answers) = 4");
    while (rows.step()) {
        std::uint32_t number = 0;
        std::memcpy(&number, rows.columnBlobView(0).data(), 4);
        numbers.insert(number);
    }
    return numbers;
}

std::string integrityOf(const std::filesystem::path& file) {
    store::Connection copy(file.string(), store::OpenMode::ExistingOnly);
    auto check = copy.prepare("PRAGMA integrity_check");
    check.step();
    return check.columnText(0);
}

BackupError::Cause causeOf(const std::function<void()>& backup) {
    try {
        backup();
    } catch (const BackupError& e) {
        return e.cause();
    }
    FAIL("no BackupError");
    return BackupError::Cause::CopyFailed;
}

bool hasPartialFiles(const std::filesystem::path& folder) {
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.path().filename().string().find(".partial-") != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("a backup taken while responses are being submitted holds every response committed before it began", "[unit]") {
    testing::TempFolder folder;
    const auto database = folder.path() / "mindset.sqlite";
    store::Store store(database.string());
    const auto surveyId = store.saveSurvey(surveyRecord());
    // Enough pages that the copy takes a while, with responses the numbered ones must not be confused with.
    std::vector<store::StoredResponse> filler(20000, store::StoredResponse{{1, 2, 3}, {9, 9, 9, 9, 9, 9}});
    store.insertResponses(surveyId, filler);

    // Submissions go one after another, so "committed" is always the numbers 0 .. committed-1.
    std::atomic<std::uint32_t> committed{0};
    std::atomic<bool> isStopping{false};
    std::thread respondents([&] {
        for (std::uint32_t number = 0; !isStopping; ++number) {
            store::Submission submission;
            submission.surveyId = surveyId;
            submission.demographics = {1, 0, 0, 0};
            submission.answers = numbered(number);
            submission.submissionTokenHash = "token-" + std::to_string(number);
            REQUIRE(store.submit(std::move(submission)) == store::SubmitResult::Stored);
            committed = number + 1;
        }
    });
    while (committed < 20) std::this_thread::yield();

    // Writes must really continue during a backup; on a fast machine one copy may slip between
    // two commits, so try a few.
    bool didOverlap = false;
    for (int attempt = 0; attempt < 5 && !didOverlap; ++attempt) {
        const auto copyFile = folder.path() / ("backup-" + std::to_string(attempt) + ".sqlite");
        const auto committedBefore = committed.load();
        const auto summary = store::backupDatabase(database, copyFile, false);
        const auto committedAfter = committed.load();
        didOverlap = committedAfter > committedBefore;

        CHECK(integrityOf(copyFile) == "ok");
        const auto numbers = numbersIn(copyFile);
        REQUIRE(!numbers.empty());
        // Every response committed before the backup began, and a consistent snapshot: no gaps.
        CHECK(*numbers.begin() == 0);
        CHECK(*numbers.rbegin() + 1 == numbers.size());
        CHECK(numbers.size() >= committedBefore);
        CHECK(numbers.size() <= committedAfter + 1);  // the one in flight may have committed before its counter moved
        CHECK(summary.responses == static_cast<std::int64_t>(filler.size() + numbers.size()));
        CHECK(summary.releases == 0);
        CHECK(summary.bytes == std::filesystem::file_size(copyFile));
        CHECK(summary.schemaVersion == store.schemaVersion());
    }
    isStopping = true;
    respondents.join();
    CHECK(didOverlap);
    CHECK(!hasPartialFiles(folder.path()));
    // The copy is one file: no write-ahead log needed beside it.
    CHECK(!std::filesystem::exists(folder.path() / "backup-0.sqlite-wal"));
}

TEST_CASE("a backup is refused, with what is wrong, when there is nothing to copy or nowhere to write", "[unit]") {
    testing::TempFolder folder;
    const auto database = folder.path() / "data" / "mindset.sqlite";
    const auto destination = folder.path() / "backup.sqlite";

    SECTION("no data folder") {
        try {
            store::backupDatabase(database, destination, false);
            FAIL("backed up a missing data folder");
        } catch (const BackupError& e) {
            CHECK(e.cause() == BackupError::Cause::NoDatabase);
            CHECK_THAT(e.what(), Catch::Contains("no data folder '" + database.parent_path().string() + "'"));
        }
        CHECK(!std::filesystem::exists(destination));
    }
    std::filesystem::create_directories(database.parent_path());
    SECTION("a data folder without a database") {
        CHECK(causeOf([&] { store::backupDatabase(database, destination, false); }) == BackupError::Cause::NoDatabase);
        CHECK(!std::filesystem::exists(database));  // not created by looking
    }
    SECTION("a file that is not a database") {
        const auto notADatabase = folder.path() / "mindset.sqlite";
        testing::writeFile(notADatabase, "these are not the pages you are looking for, not even one of them\n");
        CHECK(causeOf([&] { store::backupDatabase(notADatabase, destination, false); }) == BackupError::Cause::NoDatabase);
        CHECK(!std::filesystem::exists(destination));
        CHECK(!hasPartialFiles(folder.path()));
    }
    { store::Store store(database.string()); }
    SECTION("a destination folder that does not exist") {
        try {
            store::backupDatabase(database, folder.path() / "missing" / "backup.sqlite", false);
            FAIL("wrote into a missing folder");
        } catch (const BackupError& e) {
            CHECK(e.cause() == BackupError::Cause::CannotWrite);
            CHECK_THAT(e.what(), Catch::Contains("does not exist"));
        }
    }
    SECTION("a destination that is a folder") {
        CHECK(causeOf([&] { store::backupDatabase(database, folder.path(), false); }) == BackupError::Cause::CannotWrite);
    }
    SECTION("the database itself, even with --force") {
        CHECK(causeOf([&] { store::backupDatabase(database, database, true); }) == BackupError::Cause::DestinationExists);
        CHECK(integrityOf(database) == "ok");
    }
    SECTION("an existing file without --force is left as it was; with --force it is replaced") {
        testing::writeFile(destination, "last week's backup");
        try {
            store::backupDatabase(database, destination, false);
            FAIL("replaced an existing file");
        } catch (const BackupError& e) {
            CHECK(e.cause() == BackupError::Cause::DestinationExists);
            CHECK_THAT(e.what(), Catch::Contains("already exists") && Catch::Contains("--force"));
        }
        CHECK(testing::readFile(destination) == "last week's backup");
        CHECK(!hasPartialFiles(folder.path()));
        store::backupDatabase(database, destination, true);
        CHECK(integrityOf(destination) == "ok");
    }
}
