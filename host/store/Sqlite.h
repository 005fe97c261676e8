#pragma once
/// A thin RAII layer over the sqlite3 C API: connections, prepared statements, transactions.
/// Not thread-safe by itself: a Connection is used by one thread at a time (see Database).

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace mindset::store {

/// How long a statement waits for another connection's lock before failing with "busy".
inline constexpr int kBusyTimeoutMs = 5000;

/// A database failure; the message names the operation and SQLite's own explanation.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    /// Binds parameters by 1-based index; chainable.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    Statement& bindBlob(int index, std::span<const std::uint8_t> bytes);
    Statement& bindNull(int index);
    /// A REAL. Named apart from bind() so that an int argument is never ambiguous.
    Statement& bindDouble(int index, double value);

    /// Advances to the next row; false when done. Throws StoreError on failure.
    bool step();
    /// Runs a statement that returns no rows.
    void run();
    void reset();

    std::int64_t columnInt64(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    std::vector<std::uint8_t> columnBlob(int column) const;
    /// The blob without a copy; valid until the next step() or reset().
    std::span<const std::uint8_t> columnBlobView(int column) const;
    bool isNull(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

/// Whether opening a database may create its file.
enum class OpenMode {
    CreateIfMissing,  ///< a new, empty database when the file does not exist
    ExistingOnly,     ///< StoreError when the file does not exist (backups, health checks)
    ReadOnly,         ///< an existing file, never written to (a backup checked before it is restored)
};

class Connection {
public:
    /// Opens the database file (creating it unless `mode` says otherwise); ":memory:" for a private
    /// in-memory database.
    explicit Connection(const std::string& path, OpenMode mode = OpenMode::CreateIfMissing);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(db_, sql); }
    /// The single integer a query returns (e.g. a COUNT), or nullopt when it returns no row.
    std::optional<std::int64_t> queryInt64(std::string_view sql);
    std::int64_t lastInsertRowid() const;
    int changes() const;
    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK unless commit() was called.
class Transaction {
public:
    explicit Transaction(Connection& connection);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Connection& connection_;
    bool isDone_ = false;
};

}  // namespace mindset::store
