#pragma once
/// What `mindset backup` and `mindset restore` share about database files: naming them in
/// messages, a temporary copy that is removed unless it is kept, making a rename durable, and
/// checking that a file is a sound Mindset database.

#include <filesystem>
#include <string>

#include "store/Sqlite.h"

namespace mindset::store {

/// A path as messages name it: in single quotes.
std::string quotedPath(const std::filesystem::path& path);

/// `path` with `suffix` appended to its file name ("-wal", ".before-restore").
std::filesystem::path withSuffix(const std::filesystem::path& path, const std::string& suffix);

/// The folder a file is in ("." for a bare file name).
std::filesystem::path folderOf(const std::filesystem::path& file);

/// Makes a rename in `folder` durable: without it a power cut right after may bring back the old name.
void syncFolder(const std::filesystem::path& folder);

/// A temporary database file, removed (with any journal, WAL or shm SQLite left beside it) unless kept.
class TemporaryCopy {
public:
    explicit TemporaryCopy(std::filesystem::path path) : path_(std::move(path)) {}
    ~TemporaryCopy();
    TemporaryCopy(const TemporaryCopy&) = delete;
    TemporaryCopy& operator=(const TemporaryCopy&) = delete;
    TemporaryCopy(TemporaryCopy&& other) noexcept : path_(std::move(other.path_)), isKept_(other.isKept_) { other.isKept_ = true; }
    const std::filesystem::path& path() const { return path_; }
    /// The file was renamed into place: leave it.
    void keep() { isKept_ = true; }

private:
    std::filesystem::path path_;
    bool isKept_ = false;
};

/// What a check of a database file found.
struct DatabaseInspection {
    std::string integrityProblems;  ///< PRAGMA integrity_check's lines joined with "; ", "ok" when sound
    bool isMindset = false;         ///< it has Mindset's responses table
    int schemaVersion = 0;          ///< the migration it is at (PRAGMA user_version)

    bool isSound() const { return integrityProblems == "ok"; }
};

/// Runs PRAGMA integrity_check on `database` and reads whether it is Mindset's and its schema version.
DatabaseInspection inspectDatabase(Connection& database);

}  // namespace mindset::store
