#pragma once
/// The embedded SQLite backend of Database: one file in WAL mode (synchronous=FULL, foreign keys,
/// secure_delete), migrations from host/store/migrations/, the schema version in PRAGMA user_version.

#include <string>

#include "store/Database.h"
#include "store/Sqlite.h"

namespace mindset::store {

class SqliteDatabase final : public Database {
public:
    /// Opens or creates the database file at `path` (":memory:" for a private in-memory database).
    explicit SqliteDatabase(const std::string& path);

    DatabaseKind kind() const override { return DatabaseKind::Sqlite; }
    void exec(std::string_view sql) override;
    Query prepare(std::string_view sql) override;
    std::int64_t changes() const override;
    void beginWrite() override;
    void commit() override;
    void rollback() override;
    int schemaVersion() override;
    void setSchemaVersion(int version) override;
    const std::map<std::string_view, std::string_view>& migrations() const override;
    int probeSchemaVersion(int timeoutMs) override;
    /// A TRUNCATE checkpoint: copies the write-ahead log into the database and truncates it to zero
    /// bytes, so that no old version of a page (a deleted draft, a code before it was burned)
    /// lingers in it. False, without waiting, when another process's reader holds an older snapshot.
    bool clearResidue() override;

private:
    std::string path_;
    Connection connection_;
};

}  // namespace mindset::store
