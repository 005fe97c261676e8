// The embedded SQLite backend of Database (store/Database.h): one file in WAL mode, every commit
// fsynced, deleted rows overwritten, the write-ahead log truncated after a commit that left residue.
#include "store/SqliteDatabase.h"

#include <sqlite3.h>

namespace mindset::embedded {
const std::map<std::string_view, std::string_view>& migrations();
}

namespace mindset::store {

namespace {

class SqlitePreparedStatement final : public PreparedStatement {
public:
    SqlitePreparedStatement(Connection& connection, std::string_view sql) : statement_(connection.prepare(sql)) {}
    void bind(int index, std::int64_t value) override { statement_.bind(index, value); }
    void bind(int index, std::string_view text) override { statement_.bind(index, text); }
    void bindBlob(int index, std::span<const std::uint8_t> bytes) override { statement_.bindBlob(index, bytes); }
    void bindNull(int index) override { statement_.bindNull(index); }
    void bindDouble(int index, double value) override { statement_.bindDouble(index, value); }
    bool step() override { return statement_.step(); }
    void reset() override { statement_.reset(); }
    std::int64_t columnInt64(int column) const override { return statement_.columnInt64(column); }
    double columnDouble(int column) const override { return statement_.columnDouble(column); }
    std::string columnText(int column) const override { return statement_.columnText(column); }
    std::span<const std::uint8_t> columnBlobView(int column) const override { return statement_.columnBlobView(column); }
    bool isNull(int column) const override { return statement_.isNull(column); }

private:
    Statement statement_;
};

}  // namespace

SqliteDatabase::SqliteDatabase(const std::string& path) : path_(path), connection_(path) {
    connection_.exec("PRAGMA journal_mode=WAL");
    // FULL: in WAL mode NORMAL may lose the last commits on power loss; an acknowledged response must not.
    connection_.exec("PRAGMA synchronous=FULL");
    connection_.exec("PRAGMA foreign_keys=ON");
    // Deleted rows (drafts, sessions) are overwritten with zeros, not left in free space.
    connection_.exec("PRAGMA secure_delete=ON");
}

void SqliteDatabase::exec(std::string_view sql) { connection_.exec(sql); }

Query SqliteDatabase::prepare(std::string_view sql) {
    return Query(std::make_unique<SqlitePreparedStatement>(connection_, sql));
}

std::int64_t SqliteDatabase::changes() const { return connection_.changes(); }

void SqliteDatabase::beginWrite() { connection_.exec("BEGIN IMMEDIATE"); }
void SqliteDatabase::commit() { connection_.exec("COMMIT"); }
void SqliteDatabase::rollback() { connection_.exec("ROLLBACK"); }

int SqliteDatabase::schemaVersion() { return static_cast<int>(connection_.queryInt64("PRAGMA user_version").value_or(0)); }

void SqliteDatabase::setSchemaVersion(int version) { connection_.exec("PRAGMA user_version=" + std::to_string(version)); }

const std::map<std::string_view, std::string_view>& SqliteDatabase::migrations() const { return embedded::migrations(); }

int SqliteDatabase::probeSchemaVersion(int timeoutMs) {
    if (path_ == ":memory:" || path_.empty()) return schemaVersion();  // a private database: no other connection can see it
    // ExistingOnly: a database file removed under a running server is a failure, not a fresh start.
    Connection probe(path_, OpenMode::ExistingOnly);
    sqlite3_busy_timeout(probe.handle(), timeoutMs);
    return static_cast<int>(probe.queryInt64("PRAGMA user_version").value_or(0));
}

bool SqliteDatabase::clearResidue() {
    // This connection is the only one in the server and the store's mutex is held, so normally no
    // reader holds an old snapshot and every frame is copied. Another process reading (a
    // `mindset export` running alongside) would make a TRUNCATE checkpoint wait for it; rather than
    // hold up submissions, try without waiting and let the next commit try again.
    sqlite3_busy_timeout(connection_.handle(), 0);
    const int status = sqlite3_wal_checkpoint_v2(connection_.handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    sqlite3_busy_timeout(connection_.handle(), kBusyTimeoutMs);
    if (status == SQLITE_OK) return true;
    if (status == SQLITE_BUSY || status == SQLITE_LOCKED) return false;
    throw StoreError(std::string("could not checkpoint the write-ahead log: ") + sqlite3_errmsg(connection_.handle()));
}

}  // namespace mindset::store
