#include "store/Restore.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <string_view>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/Backup.h"
#include "store/DatabaseFiles.h"

namespace mindset::embedded {
const std::map<std::string_view, std::string_view>& migrations();
}

namespace mindset::store {

namespace {

namespace fs = std::filesystem;

/// Checks everything about `backup` that can be checked without writing anything.
void checkBackup(const fs::path& backup, const fs::path& database) {
    std::error_code error;
    if (!fs::exists(backup, error))
        throw RestoreError(RestoreError::Cause::NoBackup, "no backup file " + quotedPath(backup) + ": give a file `mindset backup --out FILE` wrote");
    if (fs::is_directory(backup, error))
        throw RestoreError(RestoreError::Cause::NotABackup,
                           quotedPath(backup) + " is a folder: give the file `mindset backup --out FILE` wrote");
    if (fs::exists(database, error) && fs::equivalent(backup, database, error))
        throw RestoreError(RestoreError::Cause::NotABackup,
                           quotedPath(backup) + " is the database itself: give a copy made by `mindset backup`");

    static constexpr std::string_view kHeader{"SQLite format 3\0", 16};
    std::array<char, kHeader.size()> header{};
    std::ifstream file(backup, std::ios::binary);
    if (!file.read(header.data(), header.size()) || std::string_view(header.data(), header.size()) != kHeader)
        throw RestoreError(RestoreError::Cause::NotABackup,
                           quotedPath(backup) + " is not a SQLite database (it does not begin with SQLite's header): give a file "
                                           "`mindset backup` wrote; nothing was restored");

    DatabaseInspection inspection;
    try {
        Connection copy(backup.string(), OpenMode::ReadOnly);
        inspection = inspectDatabase(copy);
    } catch (const StoreError& e) {
        throw RestoreError(RestoreError::Cause::NotABackup, quotedPath(backup) + " cannot be read as a database (" + e.what() +
                                                                "); nothing was restored");
    }
    if (!inspection.isSound())
        throw RestoreError(RestoreError::Cause::NotABackup, quotedPath(backup) + " is damaged (PRAGMA integrity_check: " +
                                                                inspection.integrityProblems + "); nothing was restored: use another backup");
    if (!inspection.isMindset)
        throw RestoreError(RestoreError::Cause::NotABackup,
                           quotedPath(backup) + " is a SQLite database but not Mindset's: it has no responses table; nothing was restored");
    if (inspection.schemaVersion > newestSchemaVersion())
        throw RestoreError(RestoreError::Cause::NewerSchema,
                           quotedPath(backup) + " was made by a newer Mindset (schema version " + std::to_string(inspection.schemaVersion) +
                               "; this one knows up to " + std::to_string(newestSchemaVersion()) +
                               "): restore it with that version; nothing was restored");
}

void refuseIfInUse(const fs::path& database) {
    const auto user = processUsing(database);
    if (!user) return;
    throw RestoreError(RestoreError::Cause::InUse,
                       quotedPath(database) + " is in use by " + (*user > 0 ? "process " + std::to_string(*user) : "another process") +
                           " (a running `mindset serve`, or a backup): stop it first (e.g. `systemctl stop mindset`), then restore; "
                           "nothing was restored");
}

/// The copy gets the owner, group and permissions of the database it replaces (with none, the
/// data folder's owner and group), so that the user `serve` runs as can open it even when the
/// restore ran as root.
void takeOwnershipOf(const fs::path& copy, const fs::path& database) {
    struct stat old {};
    const bool hasDatabase = ::stat(database.c_str(), &old) == 0;
    const auto& owner = hasDatabase ? database : folderOf(database);
    if (!hasDatabase && ::stat(owner.c_str(), &old) != 0) return;
    if (::chown(copy.c_str(), old.st_uid, old.st_gid) != 0)
        throw RestoreError(RestoreError::Cause::CannotWrite,
                           "cannot give the restored copy the owner of " + quotedPath(owner) + " (user " + std::to_string(old.st_uid) +
                               ", group " + std::to_string(old.st_gid) + "): " + std::strerror(errno) +
                               "; run the restore as root or as that user; nothing was restored");
    if (hasDatabase) ::chmod(copy.c_str(), old.st_mode & 07777);
}

/// The first of database.before-restore, -2, -3, ... that is free together with its -wal and -shm.
fs::path asideName(const fs::path& database) {
    std::error_code error;
    for (int number = 1;; ++number) {
        const auto candidate = withSuffix(database, number == 1 ? ".before-restore" : ".before-restore-" + std::to_string(number));
        if (!fs::exists(candidate, error) && !fs::exists(withSuffix(candidate, "-wal"), error) &&
            !fs::exists(withSuffix(candidate, "-shm"), error))
            return candidate;
    }
}

}  // namespace

int newestSchemaVersion() {
    const auto& all = embedded::migrations();  // sorted by name, so by number
    return all.empty() ? 0 : std::stoi(std::string(all.rbegin()->first));
}

std::optional<pid_t> processUsing(const fs::path& database) {
    for (const auto& file : {database, withSuffix(database, "-shm")}) {
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        struct flock probe {};
        probe.l_type = F_WRLCK;  // conflicts with any lock another process holds on any byte
        probe.l_whence = SEEK_SET;
        probe.l_start = 0;
        probe.l_len = 0;
        const bool isLocked = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
        ::close(fd);
        if (isLocked) return probe.l_pid;
    }
    return std::nullopt;
}

RestoreSummary restoreDatabase(const fs::path& backup, const fs::path& database) {
    checkBackup(backup, database);
    const auto folder = folderOf(database);
    std::error_code error;
    fs::create_directories(folder, error);
    if (error)
        throw RestoreError(RestoreError::Cause::CannotWrite, "cannot create the data folder " + quotedPath(folder) + ": " + error.message());
    refuseIfInUse(database);

    TemporaryCopy copy(withSuffix(database, ".restoring"));
    BackupSummary copied;
    try {
        copied = backupDatabase(backup, copy.path(), true);
    } catch (const BackupError& e) {
        const auto cause = e.cause() == BackupError::Cause::CannotWrite || e.cause() == BackupError::Cause::DestinationExists
                               ? RestoreError::Cause::CannotWrite
                               : RestoreError::Cause::NotABackup;
        throw RestoreError(cause, std::string(e.what()) + "; nothing was restored");
    }
    takeOwnershipOf(copy.path(), database);
    refuseIfInUse(database);  // a server started while the copy was being made

    RestoreSummary summary{copied.responses, copied.releases, copied.schemaVersion, std::nullopt};
    std::vector<std::pair<fs::path, fs::path>> moved;  // what was moved aside, to move back on failure
    const auto moveBack = [&] {
        std::error_code ignored;
        for (const auto& [from, to] : moved) fs::rename(to, from, ignored);
        if (summary.keptAside) fs::remove(*summary.keptAside, ignored);
    };
    if (fs::exists(database, error)) {
        const auto aside = asideName(database);
        // A second name for the old file: the database keeps its name until the copy replaces it
        // in one rename, so there is never a moment with no database for `serve` to find.
        fs::create_hard_link(database, aside, error);
        if (error)
            throw RestoreError(RestoreError::Cause::CannotWrite,
                               "cannot keep the current database as " + quotedPath(aside) + ": " + error.message() + "; nothing was restored");
        summary.keptAside = aside;
        // Its write-ahead log belongs to it, and would damage the restored file if left beside it.
        for (const char* suffix : {"-wal", "-shm"}) {
            const auto from = withSuffix(database, suffix);
            if (!fs::exists(from, error)) continue;
            fs::rename(from, withSuffix(aside, suffix), error);
            if (error) {
                const auto reason = error.message();
                moveBack();
                throw RestoreError(RestoreError::Cause::CannotWrite,
                                   "cannot move " + quotedPath(from) + " aside: " + reason + "; nothing was restored");
            }
            moved.emplace_back(from, withSuffix(aside, suffix));
        }
    }
    fs::rename(copy.path(), database, error);
    if (error) {
        const auto reason = error.message();
        moveBack();
        throw RestoreError(RestoreError::Cause::CannotWrite,
                           "cannot put the copy in place of " + quotedPath(database) + ": " + reason + "; nothing was restored");
    }
    copy.keep();
    syncFolder(folder);
    return summary;
}

}  // namespace mindset::store
