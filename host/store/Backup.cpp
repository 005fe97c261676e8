#include "store/Backup.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

namespace mindset::store {

namespace {

namespace fs = std::filesystem;

/// How long the copy keeps retrying while another connection holds a lock it needs (a checkpoint
/// or a recovery; in WAL mode ordinary writers never block a reader).
constexpr auto kBusyRetryFor = std::chrono::seconds(30);

/// The temporary file, removed (with any journal SQLite left beside it) unless it was renamed.
class TemporaryCopy {
public:
    explicit TemporaryCopy(fs::path path) : path_(std::move(path)) {}
    ~TemporaryCopy() {
        if (isKept_) return;
        std::error_code ignored;
        for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path_.string() + suffix, ignored);
    }
    TemporaryCopy(const TemporaryCopy&) = delete;
    TemporaryCopy& operator=(const TemporaryCopy&) = delete;
    const fs::path& path() const { return path_; }
    void keep() { isKept_ = true; }

private:
    fs::path path_;
    bool isKept_ = false;
};

std::string named(const fs::path& path) { return "'" + path.string() + "'"; }

void checkSource(const fs::path& database) {
    const auto folder = database.parent_path().empty() ? fs::path(".") : database.parent_path();
    std::error_code error;
    if (!fs::is_directory(folder, error))
        throw BackupError(BackupError::Cause::NoDatabase,
                          "no data folder " + named(folder) + ": give the folder `mindset serve` uses with --data-dir DIR");
    if (!fs::is_regular_file(database, error))
        throw BackupError(BackupError::Cause::NoDatabase,
                          "no database in " + named(folder) + ": " + named(database) + " does not exist");
}

void checkDestination(const fs::path& database, const fs::path& destination, bool isReplacing) {
    std::error_code error;
    const auto folder = destination.parent_path().empty() ? fs::path(".") : destination.parent_path();
    if (!fs::is_directory(folder, error))
        throw BackupError(BackupError::Cause::CannotWrite, "cannot write " + named(destination) + ": the folder " +
                                                                named(folder) + " does not exist");
    if (!fs::exists(destination, error)) return;
    if (fs::is_directory(destination, error))
        throw BackupError(BackupError::Cause::CannotWrite,
                          named(destination) + " is a folder: give a file name, e.g. " +
                              named(destination / "mindset-backup.sqlite"));
    if (fs::equivalent(destination, database, error))
        throw BackupError(BackupError::Cause::DestinationExists,
                          named(destination) + " is the database being backed up: give another file name");
    if (!isReplacing)
        throw BackupError(BackupError::Cause::DestinationExists,
                          named(destination) + " already exists: give another file name, or add --force to replace it");
}

/// Creates the empty temporary file first, with the owner's permissions only, so that an
/// unwritable folder is reported with the system's reason and the copy is never readable by others.
TemporaryCopy createTemporaryFile(const fs::path& destination) {
    const auto path = destination.string() + ".partial-" + std::to_string(::getpid());
    const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
        throw BackupError(BackupError::Cause::CannotWrite,
                          "cannot write " + named(destination) + ": creating " + named(path) + " failed: " + std::strerror(errno));
    ::close(fd);
    return TemporaryCopy(path);
}

/// Copies every page of `source` in one step, that is from one read transaction: a consistent
/// snapshot. Copying in several steps would restart whenever another connection commits between
/// them, and might never finish under a steady stream of submissions.
void copyPages(Connection& source, Connection& copy, const fs::path& database, const fs::path& destination) {
    sqlite3_backup* backup = sqlite3_backup_init(copy.handle(), "main", source.handle(), "main");
    if (!backup)
        throw BackupError(BackupError::Cause::CopyFailed,
                          "starting the copy into " + named(destination) + ": " + sqlite3_errmsg(copy.handle()));
    const auto giveUpAt = std::chrono::steady_clock::now() + kBusyRetryFor;
    int result = SQLITE_OK;
    do {
        result = sqlite3_backup_step(backup, -1);
        if ((result == SQLITE_BUSY || result == SQLITE_LOCKED) && std::chrono::steady_clock::now() < giveUpAt)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        else
            break;
    } while (true);
    sqlite3_backup_finish(backup);
    if (result == SQLITE_DONE) return;
    const std::string reason = sqlite3_errstr(result);
    if (result == SQLITE_NOTADB)
        throw BackupError(BackupError::Cause::NoDatabase, named(database) + " is not a SQLite database (" + reason + ")");
    if ((result & 0xff) == SQLITE_FULL || (result & 0xff) == SQLITE_IOERR)
        throw BackupError(BackupError::Cause::CannotWrite, "writing " + named(destination) + ": " + reason);
    throw BackupError(BackupError::Cause::CopyFailed, "copying " + named(database) + ": " + reason);
}

std::int64_t countRows(Connection& copy, const std::string& table) {
    auto exists = copy.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    exists.bind(1, table);
    if (!exists.step()) return 0;  // an older schema, before releases existed
    return copy.queryInt64("SELECT COUNT(*) FROM " + table).value_or(0);
}

/// Checks the copy and says what it holds; throws BackupError when it is not sound.
BackupSummary checkCopy(Connection& copy, const fs::path& database) {
    std::string problems;
    auto check = copy.prepare("PRAGMA integrity_check");
    while (check.step()) problems += (problems.empty() ? "" : "; ") + check.columnText(0);
    if (problems != "ok")
        throw BackupError(BackupError::Cause::CopyFailed, "the copy of " + named(database) +
                                                              " failed PRAGMA integrity_check, so it was not kept: " + problems);
    auto isMindset = copy.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'responses'");
    if (!isMindset.step())
        throw BackupError(BackupError::Cause::NoDatabase,
                          named(database) + " is a SQLite database but not Mindset's: it has no responses table");
    BackupSummary summary;
    summary.responses = countRows(copy, "responses");
    summary.releases = countRows(copy, "releases");
    summary.schemaVersion = static_cast<int>(copy.queryInt64("PRAGMA user_version").value_or(0));
    return summary;
}

/// Makes the rename itself durable: without this a power cut right after it may bring back the old name.
void syncFolder(const fs::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

BackupSummary backupDatabase(const fs::path& database, const fs::path& destination, bool isReplacing) {
    checkSource(database);
    checkDestination(database, destination, isReplacing);
    auto temporary = createTemporaryFile(destination);
    BackupSummary summary;
    {
        std::optional<Connection> source;
        try {
            source.emplace(database.string(), OpenMode::ExistingOnly);
        } catch (const StoreError& e) {
            throw BackupError(BackupError::Cause::NoDatabase, e.what());
        }
        Connection copy(temporary.path().string(), OpenMode::ExistingOnly);
        copyPages(*source, copy, database, destination);
        source.reset();  // the snapshot is taken: let the live database checkpoint freely again
        try {
            // The source is in WAL mode and the pages copied say so; a backup is better one file.
            copy.exec("PRAGMA journal_mode=DELETE");
            summary = checkCopy(copy, database);
        } catch (const BackupError&) {
            throw;
        } catch (const StoreError& e) {
            throw BackupError(BackupError::Cause::CopyFailed, "checking the copy " + named(temporary.path()) + ": " + e.what());
        }
    }
    // Checked again: another backup may have taken the name while this one was copying.
    std::error_code error;
    if (!isReplacing && fs::exists(destination, error))
        throw BackupError(BackupError::Cause::DestinationExists,
                          named(destination) + " appeared while copying: give another file name, or add --force to replace it");
    fs::rename(temporary.path(), destination, error);
    if (error)
        throw BackupError(BackupError::Cause::CannotWrite,
                          "renaming " + named(temporary.path()) + " to " + named(destination) + ": " + error.message());
    temporary.keep();
    syncFolder(destination.parent_path().empty() ? fs::path(".") : destination.parent_path());
    summary.file = destination;
    summary.bytes = fs::file_size(destination, error);
    return summary;
}

}  // namespace mindset::store
