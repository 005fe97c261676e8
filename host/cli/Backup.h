#pragma once
/// `mindset backup --data-dir DIR --out FILE`: a checked copy of the database, safe while `serve` runs.

#include <filesystem>
#include <ostream>

namespace mindset::cli {

/// The exit codes of `mindset backup` (sysexits.h), so that a backup script can tell them apart.
enum class BackupOutcome {
    Done = 0,
    NoDatabase = 66,         ///< EX_NOINPUT: no data folder, no database in it, or not a Mindset database
    CopyFailed = 70,         ///< EX_SOFTWARE: SQLite could not copy, or the copy failed its integrity check
    CannotWrite = 73,        ///< EX_CANTCREAT: the destination exists (without --force) or cannot be written
};

/// Backs up `database` to `destination` (store/Backup.h) and prints what the copy holds to `out`,
/// or why there is none to `err`, prefixed "mindset backup: ".
BackupOutcome backupDatabase(std::ostream& out, std::ostream& err, const std::filesystem::path& database,
                             const std::filesystem::path& destination, bool isReplacing);

}  // namespace mindset::cli
