#include "store/PostgresDatabase.h"

#include <charconv>
#include <cstring>
#include <endian.h>

#include <libpq-fe.h>

namespace mindset::embedded {
const std::map<std::string_view, std::string_view>& postgresqlMigrations();
}

namespace mindset::store {

namespace {

// Type oids from PostgreSQL's catalog (pg_type.dat): what a binary result column holds.
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kTextOid = 25,
              kFloat4Oid = 700, kFloat8Oid = 701, kVarcharOid = 1043, kBpcharOid = 1042, kNameOid = 19;

/// libpq's message without its trailing newline.
std::string reasonOf(const char* message) {
    std::string reason = message ? message : "unknown error";
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    return reason;
}

/// Owns a PGresult.
struct Result {
    PGresult* result = nullptr;
    explicit Result(PGresult* r) : result(r) {}
    ~Result() { PQclear(result); }
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
};

void ignoreNotice(void*, const char*) {}

pg_conn* connect(const std::string& uri) {
    pg_conn* connection = PQconnectdb(uri.c_str());
    if (!connection || PQstatus(connection) != CONNECTION_OK) {
        const auto reason = connection ? reasonOf(PQerrorMessage(connection)) : std::string("out of memory");
        PQfinish(connection);
        throw StoreError("opening database " + displayLocation(uri) + ": " + reason);
    }
    // "relation already exists, skipping" and the like are not for the server's log.
    PQsetNoticeProcessor(connection, ignoreNotice, nullptr);
    return connection;
}

int schemaVersionOf(pg_conn* connection) {
    auto query = [&](const char* sql) {
        Result result(PQexec(connection, sql));
        if (PQresultStatus(result.result) != PGRES_TUPLES_OK)
            throw StoreError(std::string("reading the schema version: ") + reasonOf(PQresultErrorMessage(result.result)));
        return PQntuples(result.result) == 0 || PQgetisnull(result.result, 0, 0) ? std::string() : std::string(PQgetvalue(result.result, 0, 0));
    };
    if (query("SELECT to_regclass('mindset_schema_version') IS NOT NULL") != "t") return 0;
    const auto version = query("SELECT MAX(version) FROM mindset_schema_version");
    return version.empty() ? 0 : std::stoi(version);
}

class PostgresPreparedStatement final : public PreparedStatement {
public:
    PostgresPreparedStatement(PostgresDatabase& database, std::string sql) : database_(database), sql_(std::move(sql)) {
        parameterCount_ = database_.prepared(sql_).parameterCount;
        values_.resize(static_cast<std::size_t>(parameterCount_));
        isNull_.assign(static_cast<std::size_t>(parameterCount_), true);
        formats_.assign(static_cast<std::size_t>(parameterCount_), 0);
    }

    void bind(int index, std::int64_t value) override { setText(index, std::to_string(value)); }
    void bind(int index, std::string_view text) override { setText(index, std::string(text)); }
    void bindBlob(int index, std::span<const std::uint8_t> bytes) override {
        auto& slot = slotFor(index);
        slot.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        isNull_[static_cast<std::size_t>(index - 1)] = false;
        formats_[static_cast<std::size_t>(index - 1)] = 1;
    }
    void bindNull(int index) override {
        slotFor(index).clear();
        isNull_[static_cast<std::size_t>(index - 1)] = true;
    }
    void bindDouble(int index, double value) override {
        char text[64];
        const auto end = std::to_chars(text, text + sizeof text, value).ptr;  // shortest text that reads back exactly
        setText(index, std::string(text, end));
    }

    bool step() override {
        if (!result_) execute();
        return ++row_ < PQntuples(result_);
    }

    void reset() override {
        PQclear(result_);
        result_ = nullptr;
        row_ = -1;
        for (std::size_t i = 0; i < values_.size(); ++i) {
            values_[i].clear();
            isNull_[i] = true;
            formats_[i] = 0;
        }
    }

    ~PostgresPreparedStatement() override { PQclear(result_); }

    std::int64_t columnInt64(int column) const override {
        if (isNull(column)) return 0;
        const char* value = PQgetvalue(result_, row_, column);
        switch (PQftype(result_, column)) {
            case kInt8Oid: { std::uint64_t v; std::memcpy(&v, value, 8); return static_cast<std::int64_t>(be64toh(v)); }
            case kInt4Oid: { std::uint32_t v; std::memcpy(&v, value, 4); return static_cast<std::int32_t>(be32toh(v)); }
            case kInt2Oid: { std::uint16_t v; std::memcpy(&v, value, 2); return static_cast<std::int16_t>(be16toh(v)); }
            case kBoolOid: return value[0] != 0;
            case kFloat8Oid: case kFloat4Oid: return static_cast<std::int64_t>(columnDouble(column));
            default: return std::stoll(columnText(column));
        }
    }

    double columnDouble(int column) const override {
        if (isNull(column)) return 0;
        const char* value = PQgetvalue(result_, row_, column);
        switch (PQftype(result_, column)) {
            case kFloat8Oid: { std::uint64_t v; std::memcpy(&v, value, 8); v = be64toh(v); double d; std::memcpy(&d, &v, 8); return d; }
            case kFloat4Oid: { std::uint32_t v; std::memcpy(&v, value, 4); v = be32toh(v); float f; std::memcpy(&f, &v, 4); return f; }
            case kInt8Oid: case kInt4Oid: case kInt2Oid: case kBoolOid: return static_cast<double>(columnInt64(column));
            default: return std::stod(columnText(column));
        }
    }

    std::string columnText(int column) const override {
        if (isNull(column)) return {};
        switch (PQftype(result_, column)) {
            case kTextOid: case kVarcharOid: case kBpcharOid: case kNameOid: case kByteaOid:
                return std::string(PQgetvalue(result_, row_, column), static_cast<std::size_t>(PQgetlength(result_, row_, column)));
            case kInt8Oid: case kInt4Oid: case kInt2Oid: case kBoolOid: return std::to_string(columnInt64(column));
            case kFloat8Oid: case kFloat4Oid: {
                char text[64];
                return std::string(text, std::to_chars(text, text + sizeof text, columnDouble(column)).ptr);
            }
            default:
                throw StoreError("reading column " + std::to_string(column + 1) + " of `" + sql_ + "`: type " +
                                 std::to_string(PQftype(result_, column)) + " is not one the store reads; cast it in the SQL");
        }
    }

    std::span<const std::uint8_t> columnBlobView(int column) const override {
        if (isNull(column)) return {};
        return {reinterpret_cast<const std::uint8_t*>(PQgetvalue(result_, row_, column)),
                static_cast<std::size_t>(PQgetlength(result_, row_, column))};
    }

    bool isNull(int column) const override { return PQgetisnull(result_, row_, column) != 0; }

private:
    std::string& slotFor(int index) {
        if (index < 1 || index > parameterCount_)
            throw StoreError("binding parameter " + std::to_string(index) + " of `" + sql_ + "`, which takes " +
                             std::to_string(parameterCount_));
        return values_[static_cast<std::size_t>(index - 1)];
    }

    void setText(int index, std::string text) {
        slotFor(index) = std::move(text);
        isNull_[static_cast<std::size_t>(index - 1)] = false;
        formats_[static_cast<std::size_t>(index - 1)] = 0;
    }

    void execute() {
        const auto& prepared = database_.prepared(sql_);
        std::vector<const char*> values(values_.size());
        std::vector<int> lengths(values_.size());
        for (std::size_t i = 0; i < values_.size(); ++i) {
            values[i] = isNull_[i] ? nullptr : values_[i].c_str();
            lengths[i] = static_cast<int>(values_[i].size());
        }
        result_ = PQexecPrepared(database_.handle(), prepared.name.c_str(), parameterCount_, values.data(), lengths.data(),
                                 formats_.data(), 1);
        const auto status = PQresultStatus(result_);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            const auto reason = reasonOf(PQresultErrorMessage(result_));
            PQclear(result_);
            result_ = nullptr;
            throw StoreError("running `" + sql_ + "`: " + reason);
        }
        const std::string_view command = PQcmdStatus(result_);
        if (command.starts_with("INSERT") || command.starts_with("UPDATE") || command.starts_with("DELETE"))
            database_.setChanges(std::atoll(PQcmdTuples(result_)));
        row_ = -1;
    }

    PostgresDatabase& database_;
    std::string sql_;  ///< in PostgreSQL's spelling
    int parameterCount_ = 0;
    std::vector<std::string> values_;
    std::vector<bool> isNull_;
    std::vector<int> formats_;  ///< 0 text, 1 binary (blobs)
    PGresult* result_ = nullptr;
    int row_ = -1;
};

}  // namespace

std::string postgresPlaceholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size());
    char quote = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (quote) {
            if (c == quote) quote = 0;
            out += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            out += c;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const auto end = sql.find('\n', i);
            out.append(sql.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i));
            if (end == std::string_view::npos) break;
            i = end - 1;
        } else if (c == '?') {
            if (i + 1 >= sql.size() || sql[i + 1] < '0' || sql[i + 1] > '9')
                throw StoreError("`" + std::string(sql) + "`: a bare ? has no PostgreSQL spelling; number it (?1)");
            out += '$';
        } else {
            out += c;
        }
    }
    return out;
}

PostgresDatabase::PostgresDatabase(const std::string& uri) : uri_(uri), connection_(connect(uri)) {}

PostgresDatabase::~PostgresDatabase() { PQfinish(connection_); }

void PostgresDatabase::reconnectIfLost() {
    if (PQstatus(connection_) == CONNECTION_OK) return;
    PQreset(connection_);
    prepared_.clear();  // server-side statements died with the old session
    if (PQstatus(connection_) != CONNECTION_OK)
        throw StoreError("reconnecting to database " + displayLocation(uri_) + ": " + reasonOf(PQerrorMessage(connection_)));
}

void PostgresDatabase::exec(std::string_view sql) {
    if (!isInTransaction_) reconnectIfLost();
    Result result(PQexec(connection_, std::string(sql).c_str()));
    const auto status = PQresultStatus(result.result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw StoreError("executing SQL: " + reasonOf(PQresultErrorMessage(result.result)));
}

Query PostgresDatabase::prepare(std::string_view sql) {
    return Query(std::make_unique<PostgresPreparedStatement>(*this, postgresPlaceholders(sql)));
}

const PostgresDatabase::Prepared& PostgresDatabase::prepared(const std::string& postgresSql) {
    if (!isInTransaction_) reconnectIfLost();
    if (const auto found = prepared_.find(postgresSql); found != prepared_.end()) return found->second;
    Prepared entry{"mindset_" + std::to_string(prepared_.size() + 1), 0};
    {
        Result result(PQprepare(connection_, entry.name.c_str(), postgresSql.c_str(), 0, nullptr));
        if (PQresultStatus(result.result) != PGRES_COMMAND_OK)
            throw StoreError("preparing `" + postgresSql + "`: " + reasonOf(PQresultErrorMessage(result.result)));
    }
    Result description(PQdescribePrepared(connection_, entry.name.c_str()));
    if (PQresultStatus(description.result) != PGRES_COMMAND_OK)
        throw StoreError("preparing `" + postgresSql + "`: " + reasonOf(PQresultErrorMessage(description.result)));
    entry.parameterCount = PQnparams(description.result);
    return prepared_.emplace(postgresSql, std::move(entry)).first->second;
}

void PostgresDatabase::beginWrite() {
    // READ COMMITTED, not REPEATABLE READ: each statement after the lock sees everything the previous
    // holder committed; a snapshot taken before the lock was granted would not.
    try {
        exec("BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(" + std::to_string(kWriteLockKey) + ")");
    } catch (const StoreError&) {
        Result rollback(PQexec(connection_, "ROLLBACK"));  // the BEGIN may have opened it before the lock failed
        throw;
    }
    isInTransaction_ = true;
}

void PostgresDatabase::commit() {
    isInTransaction_ = false;
    Result result(PQexec(connection_, "COMMIT"));
    if (PQresultStatus(result.result) != PGRES_COMMAND_OK)
        throw StoreError("committing: " + reasonOf(PQresultErrorMessage(result.result)));
    // COMMIT of a transaction that failed part-way answers ROLLBACK without an error.
    if (std::string_view(PQcmdStatus(result.result)) != "COMMIT")
        throw StoreError("committing: the database rolled the transaction back after an earlier error");
}

void PostgresDatabase::rollback() {
    isInTransaction_ = false;
    Result result(PQexec(connection_, "ROLLBACK"));
}

void PostgresDatabase::lockMigrations() { exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")"); }

void PostgresDatabase::unlockMigrations() {
    Result result(PQexec(connection_, ("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")").c_str()));
}

int PostgresDatabase::schemaVersion() { return schemaVersionOf(connection_); }

void PostgresDatabase::setSchemaVersion(int version) {
    exec("CREATE TABLE IF NOT EXISTS mindset_schema_version (version INTEGER NOT NULL); DELETE FROM mindset_schema_version; "
         "INSERT INTO mindset_schema_version (version) VALUES (" + std::to_string(version) + ")");
}

const std::map<std::string_view, std::string_view>& PostgresDatabase::migrations() const {
    return embedded::postgresqlMigrations();
}

int PostgresDatabase::probeSchemaVersion(int timeoutMs) {
    const char* keywords[] = {"dbname", "connect_timeout", nullptr};
    // libpq's shortest connect timeout is 2 s.
    const auto connectSeconds = std::to_string(std::max(2, (timeoutMs + 999) / 1000));
    const char* values[] = {uri_.c_str(), connectSeconds.c_str(), nullptr};
    pg_conn* probe = PQconnectdbParams(keywords, values, 1);
    struct Closer {
        pg_conn* connection;
        ~Closer() { PQfinish(connection); }
    } closer{probe};
    if (!probe || PQstatus(probe) != CONNECTION_OK)
        throw StoreError("opening database: " + (probe ? reasonOf(PQerrorMessage(probe)) : std::string("out of memory")));
    Result timeout(PQexec(probe, ("SET statement_timeout = " + std::to_string(timeoutMs)).c_str()));
    return schemaVersionOf(probe);
}

}  // namespace mindset::store
