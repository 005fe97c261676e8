#pragma once
/// Puts a copy made by `mindset backup` back in place of the database (`mindset restore`), only
/// while no process uses the database, keeping the database it replaces beside it.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <sys/types.h>

#include "store/Sqlite.h"

namespace mindset::store {

/// Why nothing was restored; the message names the file and what is wrong with it. When it is
/// thrown, the database and everything beside it are as they were.
class RestoreError : public StoreError {
public:
    enum class Cause {
        NoBackup,      ///< the backup file does not exist
        NotABackup,    ///< not a SQLite database, not Mindset's, damaged, or the database itself
        NewerSchema,   ///< made by a newer Mindset than this one
        InUse,         ///< another process (a running `mindset serve`, a backup) has the database open
        CannotWrite,   ///< the data folder cannot be created or written, or the disk is full
    };
    RestoreError(Cause cause, const std::string& message) : StoreError(message), cause_(cause) {}
    Cause cause() const { return cause_; }

private:
    Cause cause_;
};

/// What a finished restore put in place.
struct RestoreSummary {
    std::int64_t responses = 0;  ///< responses in the restored database, in every survey
    std::int64_t releases = 0;   ///< releases in it, in every survey
    int schemaVersion = 0;       ///< its migration (PRAGMA user_version); `serve` migrates an older one
    /// Where the database it replaced now is (with its -wal and -shm, if it had them); none when
    /// there was no database.
    std::optional<std::filesystem::path> keptAside;
};

/// The newest schema version (migration number) this build knows.
int newestSchemaVersion();

/// The process, other than this one, that holds a lock on `database` or on its shared-memory file:
/// every SQLite connection to a database in WAL mode does for as long as it is open, so a running
/// `mindset serve` always shows. nullopt when there is none (or no such file).
std::optional<pid_t> processUsing(const std::filesystem::path& database);

/// Replaces `database` with a copy of `backup`. First checks, without writing anything, that
/// `backup` is a sound Mindset database (SQLite header, PRAGMA integrity_check, a responses table,
/// a schema this build knows) and that no other process has `database` open; then copies it with
/// SQLite's backup API to a temporary file beside `database` (checked again, with the old file's
/// owner and permissions), moves the old database and its -wal and -shm aside to
/// `database.before-restore` (or -2, -3, ...), and renames the copy into place. Creates the data
/// folder when it does not exist. Never changes `backup`. Throws RestoreError.
RestoreSummary restoreDatabase(const std::filesystem::path& backup, const std::filesystem::path& database);

}  // namespace mindset::store
