#pragma once
/// `mindset restore --from FILE --data-dir DIR`: a backup put back in place of the database, only
/// while `serve` is stopped.

#include <filesystem>
#include <ostream>

namespace mindset::cli {

/// The exit codes of `mindset restore` (sysexits.h), so that a script can tell them apart.
enum class RestoreOutcome {
    Done = 0,
    NotABackup = 65,   ///< EX_DATAERR: not a SQLite database, not Mindset's, damaged, or from a newer Mindset
    NoBackup = 66,     ///< EX_NOINPUT: the backup file does not exist
    CannotWrite = 73,  ///< EX_CANTCREAT: the data folder cannot be written
    InUse = 75,        ///< EX_TEMPFAIL: a running `mindset serve` (or a backup) has the database open
};

/// Restores `backup` over `database` (store/Restore.h) and prints what is now in place and where
/// the old database was kept to `out`, or why nothing changed to `err`, prefixed "mindset restore: ".
RestoreOutcome restoreDatabase(std::ostream& out, std::ostream& err, const std::filesystem::path& backup,
                               const std::filesystem::path& database);

}  // namespace mindset::cli
