#pragma once
/// The PostgreSQL backend of Database, over libpq: several Mindset hosts share one database.
/// Statements are prepared once per connection (server-side) and reused; rows come back in binary
/// form, so responses are read without text decoding. Migrations come from
/// host/store/migrations/postgresql/ (the same numbers as SQLite's), the schema version from the
/// table mindset_schema_version. Write transactions serialize on one advisory lock, as SQLite's
/// BEGIN IMMEDIATE serializes writers: every read-then-write in Store keeps its meaning across hosts.

#include <string>
#include <unordered_map>

#include "store/Database.h"

struct pg_conn;

namespace mindset::store {

/// The advisory lock every write transaction holds (pg_advisory_xact_lock): "mind" in ASCII.
inline constexpr std::int64_t kWriteLockKey = 0x6d696e64;
/// The advisory lock a host holds while it migrates the database: "migr".
inline constexpr std::int64_t kMigrationLockKey = 0x6d696772;

/// `sql` with SQLite's `?N` placeholders written as PostgreSQL's `$N` (outside quotes and comments).
/// Throws StoreError for a bare `?`, which has no PostgreSQL spelling.
std::string postgresPlaceholders(std::string_view sql);

class PostgresDatabase final : public Database {
public:
    /// Connects to `uri` ("postgresql://user@host:port/database"); throws StoreError naming the
    /// location (without a password) and libpq's reason.
    explicit PostgresDatabase(const std::string& uri);
    ~PostgresDatabase() override;
    PostgresDatabase(const PostgresDatabase&) = delete;
    PostgresDatabase& operator=(const PostgresDatabase&) = delete;

    DatabaseKind kind() const override { return DatabaseKind::Postgresql; }
    void exec(std::string_view sql) override;
    Query prepare(std::string_view sql) override;
    std::int64_t changes() const override { return changes_; }
    void beginWrite() override;
    void commit() override;
    void rollback() override;
    int schemaVersion() override;
    void setSchemaVersion(int version) override;
    const std::map<std::string_view, std::string_view>& migrations() const override;
    /// A session-level advisory lock (kMigrationLockKey), taken outside any transaction: each
    /// migration's transaction then starts after the previous host's commit, and so sees the
    /// tables it made (a transaction that waited for a lock may still see an older catalog).
    void lockMigrations() override;
    void unlockMigrations() override;
    int probeSchemaVersion(int timeoutMs) override;
    /// PostgreSQL keeps a deleted row's old version until VACUUM reuses its space (and in its WAL
    /// until a checkpoint recycles the segment); nothing to do per commit (docs/postgresql.md).
    bool clearResidue() override { return true; }

    /// The server-side statement for `postgresSql` (prepared on first use on this connection) and
    /// how many parameters it takes. For PostgresDatabase's statements.
    struct Prepared {
        std::string name;
        int parameterCount = 0;
    };
    const Prepared& prepared(const std::string& postgresSql);
    pg_conn* handle() const { return connection_; }
    void setChanges(std::int64_t changes) { changes_ = changes; }
    /// Reconnects when the server dropped the connection (restarted, say); outside a transaction only.
    void reconnectIfLost();

private:
    std::string uri_;
    pg_conn* connection_ = nullptr;
    std::unordered_map<std::string, Prepared> prepared_;
    std::int64_t changes_ = 0;
    /// Between beginWrite and commit or rollback: a lost connection is then an error, never a
    /// silent reconnect (the transaction's work would be gone).
    bool isInTransaction_ = false;
};

}  // namespace mindset::store
