#include <catch2/catch.hpp>

#include <csignal>
#include <functional>

#include <sys/wait.h>
#include <unistd.h>

#include "store/Backup.h"
#include "store/Restore.h"
#include "store/Store.h"
#include "support/TestSupport.h"

using namespace mindset;
using store::RestoreError;

namespace {

namespace fs = std::filesystem;

/// A database holding `count` responses of one survey.
void addResponses(const fs::path& database, int count) {
    store::Store store(database.string());
    const auto surveyId = store.saveSurvey(
        {"survey-2026", "district", "District", {{"north", "North School"}}, "2026-2027", "{}", R"({"items":["x@1.0.0/a"]})"});
    store.insertResponses(surveyId, std::vector<store::StoredResponse>(static_cast<std::size_t>(count), {{1, 0, 0, 0}, {3, 4}}));
}

std::int64_t responsesIn(const fs::path& database) {
    store::Connection connection(database.string(), store::OpenMode::ReadOnly);
    return connection.queryInt64("SELECT COUNT(*) FROM responses").value_or(-1);
}

RestoreError::Cause causeOf(const std::function<void()>& restore) {
    try {
        restore();
    } catch (const RestoreError& e) {
        return e.cause();
    }
    FAIL("no RestoreError");
    return RestoreError::Cause::CannotWrite;
}

/// Every file of `folder` with its bytes: what "nothing changed" means.
std::map<std::string, std::string> contentsOf(const fs::path& folder) {
    std::map<std::string, std::string> contents;
    for (const auto& entry : fs::directory_iterator(folder))
        if (entry.is_regular_file()) contents[entry.path().filename().string()] = testing::readFile(entry.path());
    return contents;
}

/// A process that has `database` open through the Store, as `mindset serve` does, until it is
/// destroyed (which ends it by its own PID).
class OtherProcessUsing {
public:
    explicit OtherProcessUsing(const fs::path& database) {
        int ready[2];
        REQUIRE(::pipe(ready) == 0);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::close(ready[0]);
            {
                store::Store store(database.string());
                store.schemaVersion();
                (void)!::write(ready[1], "x", 1);
                ::pause();  // until the test ends this process
            }
            ::_exit(0);
        }
        ::close(ready[1]);
        char byte = 0;
        REQUIRE(::read(ready[0], &byte, 1) == 1);
        ::close(ready[0]);
    }
    ~OtherProcessUsing() { stop(); }
    OtherProcessUsing(const OtherProcessUsing&) = delete;
    OtherProcessUsing& operator=(const OtherProcessUsing&) = delete;
    pid_t pid() const { return pid_; }
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }

private:
    pid_t pid_ = -1;
};

}  // namespace

TEST_CASE("a restore puts the backup back and keeps the database it replaced, with its write-ahead log", "[unit][restore]") {
    testing::TempFolder folder;
    const auto database = folder.path() / "data" / "mindset.sqlite";
    const auto backup = folder.path() / "monday.sqlite";
    fs::create_directories(database.parent_path());
    addResponses(database, 40);
    store::backupDatabase(database, backup, false);
    addResponses(database, 5);  // after the backup: gone once it is restored
    // What a crash would leave beside the database: its log belongs to it, not to the restored file.
    testing::writeFile(fs::path(database.string() + "-wal"), "the old database's log");
    const auto backupBytes = testing::readFile(backup);

    const auto summary = store::restoreDatabase(backup, database);
    CHECK(summary.responses == 40);
    CHECK(summary.schemaVersion == store::newestSchemaVersion());
    REQUIRE(summary.keptAside);
    CHECK(*summary.keptAside == fs::path(database.string() + ".before-restore"));
    CHECK(responsesIn(database) == 40);
    CHECK(!fs::exists(database.string() + "-wal"));
    CHECK(testing::readFile(summary.keptAside->string() + "-wal") == "the old database's log");
    fs::remove(summary.keptAside->string() + "-wal");
    CHECK(responsesIn(*summary.keptAside) == 45);
    CHECK(testing::readFile(backup) == backupBytes);  // the backup is never changed
    CHECK(!fs::exists(database.string() + ".restoring"));

    {
        store::Store store(database.string());  // serve opens it as it opens any database
        CHECK(store.schemaVersion() == store::newestSchemaVersion());
    }
    SECTION("a second restore keeps the first one's database under another name") {
        const auto again = store::restoreDatabase(backup, database);
        REQUIRE(again.keptAside);
        CHECK(*again.keptAside == fs::path(database.string() + ".before-restore-2"));
        CHECK(responsesIn(*summary.keptAside) == 45);
    }
    SECTION("into a data folder that does not exist yet (a new machine)") {
        const auto fresh = folder.path() / "new-machine" / "data" / "mindset.sqlite";
        const auto restored = store::restoreDatabase(backup, fresh);
        CHECK(!restored.keptAside);
        CHECK(responsesIn(fresh) == 40);
    }
}

TEST_CASE("a restore is refused while another process has the database open, and changes nothing", "[unit][restore]") {
    testing::TempFolder folder;
    const auto database = folder.path() / "data" / "mindset.sqlite";
    const auto backup = folder.path() / "monday.sqlite";
    fs::create_directories(database.parent_path());
    addResponses(database, 12);
    store::backupDatabase(database, backup, false);
    addResponses(database, 3);

    OtherProcessUsing server(database);
    CHECK(store::processUsing(database) == server.pid());
    const auto before = contentsOf(database.parent_path());
    try {
        store::restoreDatabase(backup, database);
        FAIL("restored under a running server");
    } catch (const RestoreError& e) {
        CHECK(e.cause() == RestoreError::Cause::InUse);
        CHECK_THAT(e.what(), Catch::Contains("is in use by process " + std::to_string(server.pid())) &&
                                 Catch::Contains("stop it first") && Catch::Contains("nothing was restored"));
    }
    CHECK(contentsOf(database.parent_path()) == before);

    server.stop();
    CHECK(!store::processUsing(database));
    CHECK(store::restoreDatabase(backup, database).responses == 12);
}

TEST_CASE("a restore refuses a file that is not a sound Mindset backup, with the reason, and changes nothing", "[unit][restore]") {
    testing::TempFolder folder;
    const auto database = folder.path() / "data" / "mindset.sqlite";
    fs::create_directories(database.parent_path());
    addResponses(database, 7);
    const auto before = contentsOf(database.parent_path());
    const auto refusal = [&](const fs::path& backup) {
        try {
            store::restoreDatabase(backup, database);
        } catch (const RestoreError& e) {
            return std::make_pair(e.cause(), std::string(e.what()));
        }
        FAIL("restored " << backup);
        return std::make_pair(RestoreError::Cause::CannotWrite, std::string());
    };

    SECTION("a missing file") {
        const auto [cause, message] = refusal(folder.path() / "no-such.sqlite");
        CHECK(cause == RestoreError::Cause::NoBackup);
        CHECK_THAT(message, Catch::Contains("no backup file '" + (folder.path() / "no-such.sqlite").string() + "'"));
    }
    SECTION("a file that is not a SQLite database") {
        const auto notes = folder.path() / "notes.txt";
        testing::writeFile(notes, "district,responses\nriverside,40\n");
        const auto [cause, message] = refusal(notes);
        CHECK(cause == RestoreError::Cause::NotABackup);
        CHECK_THAT(message, Catch::Contains("is not a SQLite database"));
    }
    SECTION("a SQLite database that is not Mindset's") {
        const auto other = folder.path() / "other.sqlite";
        { store::Connection(other.string()).exec("CREATE TABLE recipes (name TEXT)"); }
        const auto [cause, message] = refusal(other);
        CHECK(cause == RestoreError::Cause::NotABackup);
        CHECK_THAT(message, Catch::Contains("not Mindset's: it has no responses table"));
    }
    SECTION("a damaged backup") {
        const auto damaged = folder.path() / "damaged.sqlite";
        store::backupDatabase(database, damaged, false);
        auto bytes = testing::readFile(damaged);
        REQUIRE(bytes.size() > 8192);
        for (std::size_t at = 4096 + 100; at < bytes.size(); at += 97) bytes[at] = static_cast<char>(0xA5);  // every page after the first
        testing::writeFile(damaged, bytes);
        const auto [cause, message] = refusal(damaged);
        CHECK(cause == RestoreError::Cause::NotABackup);
        CHECK_THAT(message, Catch::Contains("damaged") || Catch::Contains("cannot be read"));
    }
    SECTION("a backup made by a newer Mindset") {
        const auto newer = folder.path() / "newer.sqlite";
        store::backupDatabase(database, newer, false);
        store::Connection(newer.string(), store::OpenMode::ExistingOnly)
            .exec("PRAGMA user_version=" + std::to_string(store::newestSchemaVersion() + 1));
        const auto [cause, message] = refusal(newer);
        CHECK(cause == RestoreError::Cause::NewerSchema);
        CHECK_THAT(message, Catch::Contains("was made by a newer Mindset (schema version " +
                                            std::to_string(store::newestSchemaVersion() + 1)));
    }
    SECTION("the database itself") {
        CHECK(causeOf([&] { store::restoreDatabase(database, database); }) == RestoreError::Cause::NotABackup);
    }
    CHECK(contentsOf(database.parent_path()) == before);
    CHECK(responsesIn(database) == 7);
}
