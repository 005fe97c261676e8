#pragma once
/// `mindset migrate-store --to postgresql://…`: moves a SQLite data folder's database into an empty
/// PostgreSQL database, then proves the copy by counting and checksumming every table on both sides.

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace mindset::cli {

/// The exit codes of `mindset migrate-store` (sysexits.h).
enum class MigrateOutcome {
    Done = 0,
    NotEmpty = 65,     ///< EX_DATAERR: the PostgreSQL database already holds rows; nothing was copied
    NoDatabase = 66,   ///< EX_NOINPUT: no SQLite database in the data folder
    Mismatch = 70,     ///< EX_SOFTWARE: a table's count or checksum differs after copying (nothing kept)
    Unavailable = 69,  ///< EX_UNAVAILABLE: PostgreSQL could not be reached or refused the copy
};

/// One table as copied: its rows and the checksum both sides agree on.
struct CopiedTable {
    std::string name;
    std::int64_t rows = 0;
    std::string checksum;  ///< SHA-256 (hex) of the table's rows, independent of their order
};

/// Copies every table of the SQLite database `sqliteFile` (migrated to the current schema first)
/// into `postgres` (created to the same schema; it must hold no rows), in one transaction, then
/// compares each table's row count and checksum on both sides. On any difference the copy is
/// deleted again. Prints progress and the result to `out`, problems to `err` ("mindset migrate-store: ").
MigrateOutcome migrateStore(std::ostream& out, std::ostream& err, const std::filesystem::path& sqliteFile, const std::string& postgres);

}  // namespace mindset::cli
