#include "store/Backup.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store/DatabaseFiles.h"

namespace mindset::store {

namespace {

namespace fs = std::filesystem;

/// How long the copy keeps retrying while another connection holds a lock it needs (a checkpoint
/// or a recovery; in WAL mode ordinary writers never block a reader).
constexpr auto kBusyRetryFor = std::chrono::seconds(30);

void checkSource(const fs::path& database) {
    const auto folder = folderOf(database);
    std::error_code error;
    if (!fs::is_directory(folder, error))
        throw BackupError(BackupError::Cause::NoDatabase,
                          "no data folder " + quotedPath(folder) + ": give the folder `mindset serve` uses with --data-dir DIR");
    if (!fs::is_regular_file(database, error))
        throw BackupError(BackupError::Cause::NoDatabase,
                          "no database in " + quotedPath(folder) + ": " + quotedPath(database) + " does not exist");
}

void checkDestination(const fs::path& database, const fs::path& destination, bool isReplacing) {
    std::error_code error;
    const auto folder = folderOf(destination);
    if (!fs::is_directory(folder, error))
        throw BackupError(BackupError::Cause::CannotWrite, "cannot write " + quotedPath(destination) + ": the folder " +
                                                                quotedPath(folder) + " does not exist");
    if (!fs::exists(destination, error)) return;
    if (fs::is_directory(destination, error))
        throw BackupError(BackupError::Cause::CannotWrite,
                          quotedPath(destination) + " is a folder: give a file name, e.g. " +
                              quotedPath(destination / "mindset-backup.sqlite"));
    if (fs::equivalent(destination, database, error))
        throw BackupError(BackupError::Cause::DestinationExists,
                          quotedPath(destination) + " is the database being backed up: give another file name");
    if (!isReplacing)
        throw BackupError(BackupError::Cause::DestinationExists,
                          quotedPath(destination) + " already exists: give another file name, or add --force to replace it");
}

/// Creates the empty temporary file first, with the owner's permissions only, so that an
/// unwritable folder is reported with the system's reason and the copy is never readable by others.
TemporaryCopy createTemporaryFile(const fs::path& destination) {
    const auto path = destination.string() + ".partial-" + std::to_string(::getpid());
    const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
        throw BackupError(BackupError::Cause::CannotWrite,
                          "cannot write " + quotedPath(destination) + ": creating " + quotedPath(path) + " failed: " + std::strerror(errno));
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
                          "starting the copy into " + quotedPath(destination) + ": " + sqlite3_errmsg(copy.handle()));
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
        throw BackupError(BackupError::Cause::NoDatabase, quotedPath(database) + " is not a SQLite database (" + reason + ")");
    if ((result & 0xff) == SQLITE_FULL || (result & 0xff) == SQLITE_IOERR)
        throw BackupError(BackupError::Cause::CannotWrite, "writing " + quotedPath(destination) + ": " + reason);
    throw BackupError(BackupError::Cause::CopyFailed, "copying " + quotedPath(database) + ": " + reason);
}

std::int64_t countRows(Connection& copy, const std::string& table) {
    auto exists = copy.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    exists.bind(1, table);
    if (!exists.step()) return 0;  // an older schema, before releases existed
    return copy.queryInt64("SELECT COUNT(*) FROM " + table).value_or(0);
}

/// Checks the copy and says what it holds; throws BackupError when it is not sound.
BackupSummary checkCopy(Connection& copy, const fs::path& database) {
    const auto inspection = inspectDatabase(copy);
    if (!inspection.isSound())
        throw BackupError(BackupError::Cause::CopyFailed, "the copy of " + quotedPath(database) +
                                                              " failed PRAGMA integrity_check, so it was not kept: " + inspection.integrityProblems);
    if (!inspection.isMindset)
        throw BackupError(BackupError::Cause::NoDatabase,
                          quotedPath(database) + " is a SQLite database but not Mindset's: it has no responses table");
    BackupSummary summary;
    summary.responses = countRows(copy, "responses");
    summary.releases = countRows(copy, "releases");
    summary.schemaVersion = inspection.schemaVersion;
    return summary;
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
            throw BackupError(BackupError::Cause::CopyFailed, "checking the copy " + quotedPath(temporary.path()) + ": " + e.what());
        }
    }
    // Checked again: another backup may have taken the name while this one was copying.
    std::error_code error;
    if (!isReplacing && fs::exists(destination, error))
        throw BackupError(BackupError::Cause::DestinationExists,
                          quotedPath(destination) + " appeared while copying: give another file name, or add --force to replace it");
    fs::rename(temporary.path(), destination, error);
    if (error)
        throw BackupError(BackupError::Cause::CannotWrite,
                          "renaming " + quotedPath(temporary.path()) + " to " + quotedPath(destination) + ": " + error.message());
    temporary.keep();
    syncFolder(destination.parent_path().empty() ? fs::path(".") : destination.parent_path());
    summary.file = destination;
    summary.bytes = fs::file_size(destination, error);
    return summary;
}

}  // namespace mindset::store
