#pragma once
/// A consistent copy of the SQLite database while `serve` may be writing to it (`mindset backup`),
/// made with SQLite's online backup API and checked before it is given its name.

#include <cstdint>
#include <filesystem>
#include <string>

#include "store/Sqlite.h"

namespace mindset::store {

/// Why a backup was not made; the message names the file or folder and what is wrong with it.
class BackupError : public StoreError {
public:
    enum class Cause {
        NoDatabase,         ///< the data folder or its database does not exist, or is not a database
        DestinationExists,  ///< the destination exists and replacing it was not asked for
        CannotWrite,        ///< the destination's folder is missing or not writable, or the disk is full
        CopyFailed,         ///< SQLite could not copy, or the copy failed its integrity check
    };
    BackupError(Cause cause, const std::string& message) : StoreError(message), cause_(cause) {}
    Cause cause() const { return cause_; }

private:
    Cause cause_;
};

/// What a finished backup holds.
struct BackupSummary {
    std::filesystem::path file;       ///< where the copy now is
    std::uintmax_t bytes = 0;         ///< its size
    std::int64_t responses = 0;       ///< responses it holds, in every survey
    std::int64_t releases = 0;        ///< releases it holds, in every survey
    int schemaVersion = 0;            ///< the migration it is at (PRAGMA user_version)
};

/// Copies `database` to `destination` as one snapshot: everything committed when the copy began,
/// nothing committed later, while other connections (a running `serve`) keep writing. The copy is
/// written to a temporary file beside `destination` (readable by its owner only), passes
/// PRAGMA integrity_check, is switched to a rollback journal so that it is one self-contained file,
/// and only then is renamed to `destination`: a failed backup leaves no file behind and never a
/// half-written one under the destination's name. Refuses an existing `destination` unless
/// `isReplacing`, and always refuses to write over `database` itself. Never changes `database`.
/// Throws BackupError.
BackupSummary backupDatabase(const std::filesystem::path& database, const std::filesystem::path& destination,
                             bool isReplacing);

}  // namespace mindset::store
