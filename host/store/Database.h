#pragma once
/// What Store needs of a database, whichever holds the data: embedded SQLite (the default, one file)
/// or PostgreSQL (several hosts sharing one database). Store's SQL is written once, portable to both
/// (`?1` placeholders, `ON CONFLICT`, `RETURNING`); what differs (opening, locking, schema version,
/// what a commit leaves behind) is behind this interface, in SqliteDatabase and PostgresDatabase.
/// Not thread-safe: one thread at a time (Store holds its mutex).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/Sqlite.h"

namespace mindset::store {

/// Which kind of database a location names.
enum class DatabaseKind { Sqlite, Postgresql };

/// PostgreSQL for "postgresql://…" or "postgres://…" (a libpq connection URI), SQLite otherwise
/// (a file path, or ":memory:").
DatabaseKind databaseKindOf(const std::string& location);

/// `location` as messages and logs may show it: a PostgreSQL URI without its password.
std::string displayLocation(const std::string& location);

/// One prepared statement of either backend. Parameters are 1-based, as written in the SQL (`?1`).
class PreparedStatement {
public:
    virtual ~PreparedStatement() = default;
    virtual void bind(int index, std::int64_t value) = 0;
    virtual void bind(int index, std::string_view text) = 0;
    virtual void bindBlob(int index, std::span<const std::uint8_t> bytes) = 0;
    virtual void bindNull(int index) = 0;
    virtual void bindDouble(int index, double value) = 0;
    /// Runs the statement on the first call; advances to the next row; false when there is none.
    virtual bool step() = 0;
    /// Forgets the rows and the bindings, so that the statement can run again.
    virtual void reset() = 0;
    virtual std::int64_t columnInt64(int column) const = 0;
    virtual double columnDouble(int column) const = 0;
    virtual std::string columnText(int column) const = 0;
    /// The bytes without a copy; valid until the next step() or reset().
    virtual std::span<const std::uint8_t> columnBlobView(int column) const = 0;
    virtual bool isNull(int column) const = 0;
};

/// A prepared statement as Store uses it: chainable binds, run() for statements without rows.
class Query {
public:
    explicit Query(std::unique_ptr<PreparedStatement> statement) : statement_(std::move(statement)) {}

    Query& bind(int index, std::int64_t value) { statement_->bind(index, value); return *this; }
    Query& bind(int index, std::string_view text) { statement_->bind(index, text); return *this; }
    Query& bindBlob(int index, std::span<const std::uint8_t> bytes) { statement_->bindBlob(index, bytes); return *this; }
    Query& bindNull(int index) { statement_->bindNull(index); return *this; }
    /// Named apart from bind() so that an int argument is never ambiguous.
    Query& bindDouble(int index, double value) { statement_->bindDouble(index, value); return *this; }

    bool step() { return statement_->step(); }
    /// Runs a statement that returns no rows, then resets it.
    void run() { statement_->step(); statement_->reset(); }
    void reset() { statement_->reset(); }

    std::int64_t columnInt64(int column) const { return statement_->columnInt64(column); }
    double columnDouble(int column) const { return statement_->columnDouble(column); }
    std::string columnText(int column) const { return statement_->columnText(column); }
    std::vector<std::uint8_t> columnBlob(int column) const {
        const auto bytes = statement_->columnBlobView(column);
        return {bytes.begin(), bytes.end()};
    }
    std::span<const std::uint8_t> columnBlobView(int column) const { return statement_->columnBlobView(column); }
    bool isNull(int column) const { return statement_->isNull(column); }

private:
    std::unique_ptr<PreparedStatement> statement_;
};

/// Resets a kept statement when the scope ends, however it ends: its read is over and its bindings
/// are cleared, so that a statement kept for reuse never holds a snapshot of the database open.
class ResetOnExit {
public:
    explicit ResetOnExit(Query& query) : query_(query) {}
    ~ResetOnExit() { query_.reset(); }
    ResetOnExit(const ResetOnExit&) = delete;
    ResetOnExit& operator=(const ResetOnExit&) = delete;

private:
    Query& query_;
};

/// A connection to the store's database.
class Database {
public:
    virtual ~Database() = default;
    virtual DatabaseKind kind() const = 0;

    /// Runs SQL without parameters or rows (one statement or several separated by ';').
    virtual void exec(std::string_view sql) = 0;
    virtual Query prepare(std::string_view sql) = 0;
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    virtual std::int64_t changes() const = 0;

    /// Starts a write transaction that excludes every other writer of the database, in this process
    /// or another, until it ends (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN and a transaction-level
    /// advisory lock): a read followed by a write inside it sees no other writer's change in between.
    virtual void beginWrite() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;

    /// The number of the last migration applied (0 for an empty database).
    virtual int schemaVersion() = 0;
    /// Records `version` as applied, inside the migration's transaction.
    virtual void setSchemaVersion(int version) = 0;
    /// Held from before the schema version is read until migrations end, so that hosts starting
    /// together migrate one after the other (SQLite: nothing; its write transactions suffice).
    virtual void lockMigrations() {}
    virtual void unlockMigrations() {}
    /// The migrations for this kind of database, by file name ("001_initial.sql").
    virtual const std::map<std::string_view, std::string_view>& migrations() const = 0;

    /// The schema version read over a connection of its own that waits at most `timeoutMs` (about
    /// that long, at least 2 s to connect to PostgreSQL); throws StoreError with the reason.
    virtual int probeSchemaVersion(int timeoutMs) = 0;

    /// After a commit that deleted or overwrote something a respondent left (a draft, an unused
    /// code): removes old copies the database keeps beside the live rows, where it can (SQLite:
    /// truncates the write-ahead log). False, without waiting, when it could not yet.
    virtual bool clearResidue() = 0;
};

/// Opens the database `location` names (see databaseKindOf); a SQLite file is created if missing.
/// Throws StoreError naming the location (without a password) and the reason.
std::unique_ptr<Database> openDatabase(const std::string& location);

/// A write transaction (Database::beginWrite), rolled back unless commit() was called.
class WriteTransaction {
public:
    explicit WriteTransaction(Database& database) : database_(database) { database_.beginWrite(); }
    ~WriteTransaction() {
        if (isDone_) return;
        try {
            database_.rollback();
        } catch (...) {
            // The transaction is already gone (the database rolled it back itself); nothing to undo.
        }
    }
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    void commit() {
        database_.commit();
        isDone_ = true;
    }

private:
    Database& database_;
    bool isDone_ = false;
};

}  // namespace mindset::store
