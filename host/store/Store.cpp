#include "store/Store.h"
#include "store/Tokens.h"

#include <algorithm>
#include <map>
#include <random>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

namespace mindset::store {

namespace {

int migrationNumber(std::string_view fileName) {
    int number = 0;
    std::size_t i = 0;
    for (; i < fileName.size() && fileName[i] >= '0' && fileName[i] <= '9'; ++i) number = number * 10 + (fileName[i] - '0');
    if (i == 0 || i >= fileName.size() || fileName[i] != '_')
        throw StoreError("migration file " + std::string(fileName) + ": expected a name like 001_what.sql");
    return number;
}

// ON CONFLICT (id): a random id already taken changes nothing (and, unlike an error, leaves a
// PostgreSQL transaction usable), so insertResponseRow can draw another.
constexpr std::string_view kInsertResponseSql =
    "INSERT INTO responses (id, survey_id, demographics, answers) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING";
constexpr std::string_view kInsertImportedResponseSql =
    "INSERT INTO responses (id, survey_id, demographics, answers, import_batch_id) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (id) DO NOTHING";
constexpr std::string_view kInsertTestResponseSql =
    "INSERT INTO test_responses (id, survey_id, demographics, answers) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING";

std::int64_t randomRowId() {
    // Positive 63-bit ids: row order reveals nothing about submission order.
    thread_local std::mt19937_64 generator{std::random_device{}()};
    return static_cast<std::int64_t>(generator() >> 1) | 1;
}

}  // namespace

Store::Store(const std::string& location) : path_(location), database_(openDatabase(location)) {
    migrate();
    writer_ = std::thread([this] { runWriter(); });
}

Store::~Store() {
    {
        std::lock_guard lock(queueMutex_);
        isStopping_ = true;
    }
    queueChanged_.notify_all();
    writer_.join();
}

Query& Store::reused(std::string_view sql) {
    auto found = reused_.find(sql);
    if (found == reused_.end()) found = reused_.emplace(std::string(sql), database_->prepare(sql)).first;
    return found->second;
}

int Store::schemaVersion() {
    std::lock_guard lock(mutex_);
    return database_->schemaVersion();
}

std::optional<std::string> Store::readinessProblem() {
    std::int64_t version = 0;
    try {
        // Other databases are probed over a connection of their own, without waiting for the store's;
        // a private one (":memory:") can only be read over the store's connection.
        std::unique_lock lock(mutex_, std::defer_lock);
        if (path_ == ":memory:" || path_.empty()) lock.lock();
        version = database_->probeSchemaVersion(kReadinessTimeoutMs);
    } catch (const StoreError& e) {
        const std::string message = e.what();
        // The opening message names the file's path; the probe's answer is public, so keep only the database's reason.
        const auto reason = message.rfind(": ");
        return "the database does not answer (" + (reason == std::string::npos ? message : message.substr(reason + 2)) + ")";
    }
    if (version != latestMigration_)
        return "the database schema is version " + std::to_string(version) + ", this program runs version " +
               std::to_string(latestMigration_) + " (another Mindset changed it; run one version on one database)";
    return std::nullopt;
}

void Store::migrate() {
    database_->lockMigrations();
    struct Unlock {
        Database& database;
        ~Unlock() { database.unlockMigrations(); }
    } unlock{*database_};
    const int current = database_->schemaVersion();
    int expected = 1;
    for (const auto& [fileName, sql] : database_->migrations()) {  // map: sorted by name, so by number
        const int number = migrationNumber(fileName);
        // Numbers only increase; one may be skipped, because branches developed side by side reserve
        // their numbers ahead (005 for releases).
        if (number < expected)
            throw StoreError("migration " + std::string(fileName) + ": expected a number from " + std::to_string(expected));
        expected = number + 1;
        if (number <= current) continue;
        WriteTransaction transaction(*database_);
        // Read again under the write lock: another host sharing the database may have just applied it.
        if (number <= database_->schemaVersion()) continue;
        database_->exec(sql);
        database_->setSchemaVersion(number);
        transaction.commit();
    }
    latestMigration_ = expected - 1;
    if (current >= expected)
        throw StoreError("database schema version " + std::to_string(current) + " is newer than this build knows (" +
                         std::to_string(expected - 1) + "); use a newer Mindset");
}

void Store::refuseChangedInstruments(std::int64_t surveyId, const SurveyRecord& survey, std::int64_t responseCount) {
    auto stored = database_->prepare("SELECT fingerprint FROM instrument_fingerprints WHERE survey_id = ?1 AND instrument_key = ?2");
    for (const auto& [key, fingerprint] : survey.instrumentFingerprints) {
        stored.bind(1, surveyId).bind(2, key);
        const auto before = stored.step() ? std::optional<std::string>(stored.columnText(0)) : std::nullopt;
        stored.reset();
        if (!before || *before == fingerprint) continue;  // none recorded yet (an older database): recorded now
        const auto version = key.substr(key.find('@') + 1);
        throw SurveyConflict("survey '" + survey.slug + "' has " + std::to_string(responseCount) + " responses under instrument " + key +
                             ", which has changed since they were given (its items, texts, keys, options, favorable rules or scoring: "
                             "fingerprint " + before->substr(0, 12) + " then, " + fingerprint.substr(0, 12) +
                             " now). A published version must never change; restore " + key +
                             " as it was, publish the change as a new version (e.g. after " + version +
                             ") that declares \"comparableWith\" " + version +
                             " for the scales that still compare, and pin the new version in a new survey");
    }
}

void Store::recordFingerprints(std::int64_t surveyId, const SurveyRecord& survey, bool isReplacing) {
    auto record = database_->prepare(std::string("INSERT INTO instrument_fingerprints (survey_id, instrument_key, fingerprint) "
                                                 "VALUES (?1, ?2, ?3) ON CONFLICT (survey_id, instrument_key) ") +
                                     (isReplacing ? "DO UPDATE SET fingerprint = excluded.fingerprint" : "DO NOTHING"));
    for (const auto& [key, fingerprint] : survey.instrumentFingerprints) record.bind(1, surveyId).bind(2, key).bind(3, fingerprint).run();
}

std::int64_t Store::saveSurvey(const SurveyRecord& survey) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);

    auto upsertDistrict = database_->prepare(
        "INSERT INTO districts (slug, name) VALUES (?1, ?2) "
        "ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id");
    upsertDistrict.bind(1, survey.districtSlug).bind(2, survey.districtName);
    upsertDistrict.step();
    const auto districtId = upsertDistrict.columnInt64(0);
    upsertDistrict.reset();  // a statement still stepping would block the COMMIT

    auto upsertSchool = database_->prepare(
        "INSERT INTO schools (district_id, slug, name) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (district_id, slug) DO UPDATE SET name = excluded.name");
    for (const auto& [slug, name] : survey.schools) upsertSchool.bind(1, districtId).bind(2, slug).bind(3, name).run();

    auto existing = database_->prepare(
        "SELECT s.id, s.answer_layout, s.district_id, (SELECT COUNT(*) FROM responses r WHERE r.survey_id = s.id) "
        "FROM surveys s WHERE s.slug = ?1");
    existing.bind(1, survey.slug);
    std::int64_t surveyId = 0;
    bool hasResponses = false;
    if (existing.step()) {
        surveyId = existing.columnInt64(0);
        const auto storedLayout = existing.columnText(1);
        const auto storedDistrict = existing.columnInt64(2);
        const auto responseCount = existing.columnInt64(3);
        hasResponses = responseCount > 0;
        existing.reset();
        // Before the layout: an instrument edited in place (an item added, say) changes both, and
        // this is the message that says what to do.
        if (responseCount > 0) refuseChangedInstruments(surveyId, survey, responseCount);
        if (responseCount > 0 && storedLayout != survey.answerLayout)
            throw SurveyConflict("survey '" + survey.slug + "' already has " + std::to_string(responseCount) +
                                 " responses stored under different questions or instruments; give the changed "
                                 "survey a new id instead of editing this one");
        if (responseCount > 0 && storedDistrict != districtId)
            throw SurveyConflict("survey '" + survey.slug + "' already has responses for another district");
        database_->prepare(
                       "UPDATE surveys SET district_id = ?2, school_year = ?3, definition = ?4, answer_layout = ?5 "
                       "WHERE id = ?1")
            .bind(1, surveyId)
            .bind(2, districtId)
            .bind(3, survey.schoolYear)
            .bind(4, survey.definitionJson)
            .bind(5, survey.answerLayout)
            .run();
    } else {
        auto insert = database_->prepare(
            "INSERT INTO surveys (slug, district_id, school_year, definition, answer_layout) "
            "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id");
        insert.bind(1, survey.slug).bind(2, districtId).bind(3, survey.schoolYear).bind(4, survey.definitionJson).bind(5, survey.answerLayout);
        insert.step();
        surveyId = insert.columnInt64(0);
        insert.reset();
    }
    // Without responses nothing is stored under the old fingerprints yet: the current ones count.
    recordFingerprints(surveyId, survey, !hasResponses);
    transaction.commit();
    return surveyId;
}

std::optional<StoredSurvey> Store::findSurvey(const std::string& slug) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(
        "SELECT s.id, s.definition, s.answer_layout, (SELECT COUNT(*) FROM responses r WHERE r.survey_id = s.id) "
        "FROM surveys s WHERE s.slug = ?1");
    select.bind(1, slug);
    if (!select.step()) return std::nullopt;
    return StoredSurvey{select.columnInt64(0), select.columnText(1), select.columnText(2), select.columnInt64(3)};
}

void Store::insertResponse(std::int64_t surveyId, std::span<const std::uint8_t> demographics,
                           std::span<const std::uint8_t> answers) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    insertResponseRow(surveyId, demographics, answers);
    transaction.commit();
}

void Store::insertResponses(std::int64_t surveyId, std::span<const StoredResponse> responses) {
    // Large enough that commits (each an fsync) cost little, small enough that a submission
    // waiting for the connection is held up for well under a second.
    constexpr std::size_t kBatchRows = 50'000;
    for (std::size_t begin = 0; begin < responses.size(); begin += kBatchRows) {
        std::lock_guard lock(mutex_);
        WriteTransaction transaction(*database_);
        insertInIdOrder(surveyId, responses.subspan(begin, std::min(kBatchRows, responses.size() - begin)));
        transaction.commit();
    }
}

std::int64_t Store::importResponses(std::int64_t surveyId, std::span<const StoredResponse> responses, bool isAppending,
                                   const std::string& importedOn, std::uint32_t* batchNumber) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);  // BEGIN IMMEDIATE: no other writer can add responses between count and insert
    auto count = database_->prepare("SELECT COUNT(*) FROM responses WHERE survey_id = ?1");
    count.bind(1, surveyId).step();
    const auto before = count.columnInt64(0);
    count.reset();
    if (before > 0 && !isAppending)
        throw ImportRefused("the survey already has " + std::to_string(before) +
                            " responses; importing into it again would count them twice (append deliberately to add more)");
    const auto batch = addImportBatch(surveyId, importedOn, static_cast<std::int64_t>(responses.size()));
    insertInIdOrder(surveyId, responses, batch.id);
    transaction.commit();
    if (batchNumber) *batchNumber = batch.number;
    return before + static_cast<std::int64_t>(responses.size());
}

void Store::insertInIdOrder(std::int64_t surveyId, std::span<const StoredResponse> responses, std::int64_t importBatchId) {
    // Inserting in id order walks the table's B-tree once instead of jumping around it: less
    // than half the time at a million rows. The ids stay random, so nothing about the order
    // of `responses` is kept.
    std::vector<std::pair<std::int64_t, std::size_t>> order;  // random id, index in `responses`
    order.reserve(responses.size());
    for (std::size_t i = 0; i < responses.size(); ++i) order.emplace_back(randomRowId(), i);
    std::sort(order.begin(), order.end());
    auto insert = database_->prepare(importBatchId == 0 ? kInsertResponseSql : kInsertImportedResponseSql);
    for (const auto& [id, i] : order)
        insertResponseRow(insert, id, surveyId, responses[i].demographics, responses[i].answers, importBatchId);
}

void Store::insertResponseRow(std::int64_t surveyId, std::span<const std::uint8_t> demographics,
                              std::span<const std::uint8_t> answers) {
    auto insert = database_->prepare(kInsertResponseSql);
    insertResponseRow(insert, randomRowId(), surveyId, demographics, answers);
}

void Store::insertResponseRow(Query& insert, std::int64_t id, std::int64_t surveyId, std::span<const std::uint8_t> demographics,
                              std::span<const std::uint8_t> answers, std::int64_t importBatchId) {
    for (int attempt = 0;; ++attempt) {
        insert.bind(1, attempt == 0 ? id : randomRowId()).bind(2, surveyId).bindBlob(3, demographics).bindBlob(4, answers);
        if (importBatchId != 0) insert.bind(5, importBatchId);
        insert.run();
        if (database_->changes() > 0) return;
        // A collision of two random 63-bit ids is astronomically rare: draw again, a few times.
        if (attempt == 3) throw StoreError("storing a response: four random ids in a row were taken");
    }
}

SubmitResult Store::submit(Submission submission) {
    std::future<SubmitResult> result;
    {
        std::lock_guard lock(queueMutex_);
        if (isStopping_) throw StoreError("the store is shutting down; the response was not stored");
        queue_.push_back({std::move(submission), {}});
        result = queue_.back().result.get_future();
    }
    queueChanged_.notify_one();
    return result.get();
}

void Store::runWriter() {
    // At most this many submissions share a commit: enough to amortize the fsync, few enough
    // that the first one in a batch does not wait long.
    constexpr std::size_t kMaxBatch = 512;
    for (;;) {
        std::vector<PendingSubmission> batch;
        {
            std::unique_lock lock(queueMutex_);
            queueChanged_.wait(lock, [this] { return isStopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and nothing left to write
            while (!queue_.empty() && batch.size() < kMaxBatch) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        std::vector<SubmitResult> results;
        try {
            std::lock_guard lock(mutex_);
            bool isLeavingResidue = false;  // a code burned or a draft deleted in this batch
            {
                WriteTransaction transaction(*database_);
                for (const auto& pending : batch) {
                    // A savepoint per submission: one refused submission leaves the others in the batch.
                    database_->exec("SAVEPOINT submission");
                    const auto result = applySubmission(pending.submission);
                    const bool isStored = result == SubmitResult::Stored;
                    database_->exec(isStored ? "RELEASE submission" : "ROLLBACK TO submission; RELEASE submission");
                    // A comment's page beside its response's page in the log would link the two.
                    isLeavingResidue |= isStored && (!pending.submission.codeHash.empty() || !pending.submission.draftTokenHash.empty() ||
                                                     !pending.submission.comments.empty());
                    results.push_back(result);
                }
                transaction.commit();
            }
            // Before anyone is told: once a respondent sees the thanks, the log no longer holds
            // their draft or their code next to the page their response went to.
            if (isLeavingResidue || isResidueInWal_) isResidueInWal_ = !database_->clearResidue();
        } catch (...) {
            for (auto& pending : batch) pending.result.set_exception(std::current_exception());
            continue;
        }
        for (std::size_t i = 0; i < batch.size(); ++i) batch[i].result.set_value(results[i]);
    }
}

void Store::deleteDraftLocked(const std::string& tokenHash) {
    // From memory first: if the transaction rolls back, the next read finds the draft in the database.
    if (draftCache_) draftCache_->erase(tokenHash);
    database_->prepare("DELETE FROM drafts WHERE token_hash = ?1").bind(1, tokenHash).run();
}

SubmitResult Store::applySubmission(const Submission& s) {
    auto token = database_->prepare("INSERT INTO used_submissions (token_hash, survey_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
    token.bind(1, s.submissionTokenHash).bind(2, s.surveyId).run();
    if (database_->changes() == 0) return SubmitResult::AlreadySubmitted;

    // A test goes apart from the responses, burns no code and locks nothing; its comments are not
    // kept (the comments table feeds the final release).
    if (s.isTest) {
        auto insert = database_->prepare(kInsertTestResponseSql);
        insertResponseRow(insert, randomRowId(), s.surveyId, s.demographics, s.answers);
        if (!s.draftTokenHash.empty()) deleteDraftLocked(s.draftTokenHash);
        return SubmitResult::Stored;
    }
    if (!s.codeHash.empty()) {
        auto burn = database_->prepare(
            "UPDATE access_codes SET is_used = 1 WHERE code_hash = ?1 AND survey_id = ?2 AND is_used = 0 AND is_voided = 0");
        burn.bind(1, s.codeHash).bind(2, s.surveyId).run();
        if (database_->changes() == 0) {
            auto exists = database_->prepare("SELECT is_voided FROM access_codes WHERE code_hash = ?1 AND survey_id = ?2");
            exists.bind(1, s.codeHash).bind(2, s.surveyId);
            if (!exists.step()) return SubmitResult::CodeUnknown;
            return exists.columnInt64(0) ? SubmitResult::CodeVoided : SubmitResult::CodeUsed;
        }
    }

    insertResponseRow(s.surveyId, s.demographics, s.answers);
    insertComments(s.surveyId, s.comments);
    if (!s.draftTokenHash.empty()) deleteDraftLocked(s.draftTokenHash);
    return SubmitResult::Stored;
}

bool Store::createDraft(const Draft& draft, const std::string& expiresOn, std::int64_t maxDrafts) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);  // BEGIN IMMEDIATE: the count and the insert see the same drafts
    auto count = database_->prepare("SELECT COUNT(*) FROM drafts WHERE survey_id = ?1");
    count.bind(1, draft.surveyId).step();
    const auto drafts = count.columnInt64(0);
    count.reset();
    if (drafts >= maxDrafts) return false;
    database_->prepare("INSERT INTO drafts (token_hash, survey_id, expires_on, sealed) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, draft.tokenHash)
        .bind(2, draft.surveyId)
        .bind(3, expiresOn)
        .bindBlob(4, draft.sealed)
        .run();
    transaction.commit();
    if (draftCache_) draftCache_->put(draft.tokenHash, {draft.surveyId, expiresOn, draft.sealed});
    return true;
}

void Store::keepDraftsInMemory() {
    std::lock_guard lock(mutex_);
    // Several hosts write one PostgreSQL server's drafts: none of them may trust its memory.
    if (database_->kind() != DatabaseKind::Sqlite) throw std::logic_error("drafts are kept in memory only for a SQLite store");
    if (!draftCache_) draftCache_ = std::make_unique<DraftCache>();
}

std::optional<Draft> Store::findDraft(std::int64_t surveyId, const std::string& tokenHash, const std::string& today) {
    // Read on every request of a respondent's form (bench: issue 12): from memory when kept there,
    // otherwise by a statement prepared once.
    if (draftCache_)
        if (auto sealed = draftCache_->find(tokenHash, surveyId, today)) return Draft{tokenHash, surveyId, std::move(*sealed)};
    std::lock_guard lock(mutex_);
    auto& select = reused("SELECT sealed, expires_on FROM drafts WHERE token_hash = ?1 AND survey_id = ?2 AND expires_on > ?3");
    const ResetOnExit resetAfterwards(select);
    select.bind(1, tokenHash).bind(2, surveyId).bind(3, today);
    if (!select.step()) return std::nullopt;
    Draft draft{tokenHash, surveyId, select.columnBlob(0)};
    if (draftCache_) draftCache_->put(tokenHash, {surveyId, select.columnText(1), draft.sealed});
    return draft;
}

void Store::saveDraft(const std::string& tokenHash, const std::vector<std::uint8_t>& sealed) {
    std::lock_guard lock(mutex_);
    database_->prepare("UPDATE drafts SET sealed = ?2 WHERE token_hash = ?1").bind(1, tokenHash).bindBlob(2, sealed).run();
    if (draftCache_) draftCache_->replaceSealed(tokenHash, sealed);
}

std::int64_t Store::countDrafts(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    auto count = database_->prepare("SELECT COUNT(*) FROM drafts WHERE survey_id = ?1");
    count.bind(1, surveyId).step();
    return count.columnInt64(0);
}

std::int64_t Store::deleteExpiredDrafts(const std::string& today) {
    std::lock_guard lock(mutex_);
    database_->prepare("DELETE FROM drafts WHERE expires_on <= ?1").bind(1, today).run();
    const auto deleted = database_->changes();
    if (draftCache_) draftCache_->eraseExpired(today);
    if (deleted > 0 || isResidueInWal_) isResidueInWal_ = !database_->clearResidue();
    return deleted;
}

bool Store::isSubmissionUsed(const std::string& submissionTokenHash) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare("SELECT 1 FROM used_submissions WHERE token_hash = ?1");
    select.bind(1, submissionTokenHash);
    return select.step();
}

std::int64_t Store::countResponses(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    auto count = database_->prepare("SELECT COUNT(*) FROM responses WHERE survey_id = ?1");
    count.bind(1, surveyId).step();
    return count.columnInt64(0);
}

void Store::forEachResponse(std::int64_t surveyId,
                            const std::function<void(std::span<const std::uint8_t>, std::span<const std::uint8_t>)>& each) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare("SELECT demographics, answers FROM responses WHERE survey_id = ?1");
    select.bind(1, surveyId);
    while (select.step()) each(select.columnBlobView(0), select.columnBlobView(1));
}

std::vector<StoredResponse> Store::responses(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare("SELECT demographics, answers FROM responses WHERE survey_id = ?1");
    select.bind(1, surveyId);
    std::vector<StoredResponse> result;
    while (select.step()) result.push_back({select.columnBlob(0), select.columnBlob(1)});
    return result;
}

namespace {

/// The columns accountFrom reads, in its order.
constexpr const char* kAccountColumns =
    "a.id, a.username, a.password_hash, a.district_slug, a.created_on, a.school_slug, a.sso_issuer, a.sso_subject";

Account accountFrom(const Query& row, int first = 0) {
    Account account{row.columnInt64(first), row.columnText(first + 1), row.columnText(first + 2), std::nullopt,
                    row.columnText(first + 4)};
    if (!row.isNull(first + 3)) account.districtSlug = row.columnText(first + 3);
    if (!row.isNull(first + 5)) account.schoolSlug = row.columnText(first + 5);
    if (!row.isNull(first + 6)) account.ssoIssuer = row.columnText(first + 6);
    if (!row.isNull(first + 7)) account.ssoSubject = row.columnText(first + 7);
    return account;
}

}  // namespace

std::optional<std::int64_t> Store::createAccount(const Account& account) {
    std::lock_guard lock(mutex_);
    auto insert = database_->prepare(
        "INSERT INTO accounts (username, password_hash, district_slug, created_on, school_slug) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (username) DO NOTHING RETURNING id");
    insert.bind(1, account.username).bind(2, account.passwordHash).bind(4, account.createdOn);
    if (account.districtSlug) insert.bind(3, *account.districtSlug);
    else insert.bindNull(3);
    if (account.schoolSlug) insert.bind(5, *account.schoolSlug);
    else insert.bindNull(5);
    if (!insert.step()) return std::nullopt;  // the username is taken
    return insert.columnInt64(0);
}

std::optional<Account> Store::findAccountByUsername(const std::string& username) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(std::string("SELECT ") + kAccountColumns + " FROM accounts a WHERE a.username = ?1");
    select.bind(1, username);
    if (!select.step()) return std::nullopt;
    return accountFrom(select);
}

bool Store::deleteAccount(const std::string& username) {
    std::lock_guard lock(mutex_);
    database_->prepare("DELETE FROM accounts WHERE username = ?1").bind(1, username).run();  // sessions cascade
    return database_->changes() > 0;
}

std::vector<Account> Store::listAccounts() {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(std::string("SELECT ") + kAccountColumns + " FROM accounts a ORDER BY a.username");
    std::vector<Account> accounts;
    while (select.step()) accounts.push_back(accountFrom(select));
    return accounts;
}

bool Store::setAccountPassword(const std::string& username, const std::string& passwordHash) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    database_->prepare("UPDATE accounts SET password_hash = ?2 WHERE username = ?1").bind(1, username).bind(2, passwordHash).run();
    if (database_->changes() == 0) return false;
    database_->prepare("DELETE FROM sessions WHERE account_id = (SELECT id FROM accounts WHERE username = ?1)").bind(1, username).run();
    transaction.commit();
    return true;
}

std::optional<Account> Store::saveSingleSignOnAccount(const Account& account) {
    if (!account.ssoIssuer || !account.ssoSubject) throw StoreError("saveSingleSignOnAccount: the account has no issuer and subject");
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    auto find = database_->prepare("SELECT id FROM accounts WHERE sso_issuer = ?1 AND sso_subject = ?2");
    find.bind(1, *account.ssoIssuer).bind(2, *account.ssoSubject);
    std::optional<std::int64_t> id;
    if (find.step()) id = find.columnInt64(0);
    find.reset();
    // The username belongs to another account (ids are never 0, so 0 stands for "none yet").
    auto taken = database_->prepare("SELECT 1 FROM accounts WHERE username = ?1 AND id <> ?2");
    taken.bind(1, account.username).bind(2, id.value_or(0));
    const bool isTaken = taken.step();
    taken.reset();
    if (isTaken) return std::nullopt;

    auto save = database_->prepare(
        id ? "UPDATE accounts SET username = ?1, district_slug = ?2, school_slug = ?3 WHERE id = ?4 RETURNING id"
           : "INSERT INTO accounts (username, password_hash, district_slug, school_slug, created_on, sso_issuer, sso_subject) "
             "VALUES (?1, '', ?2, ?3, ?4, ?5, ?6) RETURNING id");
    save.bind(1, account.username);
    if (account.districtSlug) save.bind(2, *account.districtSlug);
    else save.bindNull(2);
    if (account.schoolSlug) save.bind(3, *account.schoolSlug);
    else save.bindNull(3);
    if (id) {
        save.bind(4, *id);  // numbered without gaps: PostgreSQL must know every parameter's type
    } else {
        save.bind(4, account.createdOn).bind(5, *account.ssoIssuer).bind(6, *account.ssoSubject);
    }
    if (!save.step()) throw StoreError("saveSingleSignOnAccount: saving the account returned no row");
    id = save.columnInt64(0);
    save.reset();
    auto select = database_->prepare(std::string("SELECT ") + kAccountColumns + " FROM accounts a WHERE a.id = ?1");
    select.bind(1, *id);
    if (!select.step()) throw StoreError("saveSingleSignOnAccount: account " + std::to_string(*id) + " vanished");
    auto saved = accountFrom(select);
    select.reset();
    transaction.commit();
    return saved;
}

std::vector<std::string> Store::districtSlugs() {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare("SELECT slug FROM districts ORDER BY slug");
    std::vector<std::string> slugs;
    while (select.step()) slugs.push_back(select.columnText(0));
    return slugs;
}

std::vector<std::string> Store::schoolSlugs(const std::string& districtSlug) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(
        "SELECT s.slug FROM schools s JOIN districts d ON d.id = s.district_id WHERE d.slug = ?1 ORDER BY s.slug");
    select.bind(1, districtSlug);
    std::vector<std::string> slugs;
    while (select.step()) slugs.push_back(select.columnText(0));
    return slugs;
}

void Store::createSession(const std::string& tokenHash, std::int64_t accountId, std::int64_t expiresAt) {
    std::lock_guard lock(mutex_);
    database_->prepare("INSERT INTO sessions (token_hash, account_id, expires_at) VALUES (?1, ?2, ?3)")
        .bind(1, tokenHash)
        .bind(2, accountId)
        .bind(3, expiresAt)
        .run();
}

std::optional<Session> Store::findSession(const std::string& tokenHash, std::int64_t now) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(std::string("SELECT s.expires_at, ") + kAccountColumns +
                                      " FROM sessions s JOIN accounts a ON a.id = s.account_id "
                                      "WHERE s.token_hash = ?1 AND s.expires_at > ?2");
    select.bind(1, tokenHash).bind(2, now);
    if (!select.step()) return std::nullopt;
    return Session{tokenHash, accountFrom(select, 1), select.columnInt64(0)};
}

void Store::deleteSession(const std::string& tokenHash) {
    std::lock_guard lock(mutex_);
    database_->prepare("DELETE FROM sessions WHERE token_hash = ?1").bind(1, tokenHash).run();
}

std::int64_t Store::deleteExpiredSessions(std::int64_t now) {
    std::lock_guard lock(mutex_);
    database_->prepare("DELETE FROM sessions WHERE expires_at <= ?1").bind(1, now).run();
    return database_->changes();
}

// login_failures keys a username by its SHA-256: a password typed into the username field by mistake
// is then not kept readable in the database for the hour a failure is remembered.
int Store::countLoginFailure(const std::string& username, std::int64_t now, std::int64_t forgetAfter) {
    const auto key = sha256Hex(username);
    std::lock_guard lock(mutex_);
    database_->prepare("DELETE FROM login_failures WHERE last_failure <= ?1 AND locked_until <= ?2 AND username_hash <> ?3")
        .bind(1, now - forgetAfter)
        .bind(2, now)
        .bind(3, key)
        .run();
    // One statement, so that two hosts counting at once both count.
    auto count = database_->prepare(
        "INSERT INTO login_failures (username_hash, failures, last_failure) VALUES (?1, 1, ?2) "
        "ON CONFLICT (username_hash) DO UPDATE SET "
        "failures = CASE WHEN ?2 - login_failures.last_failure >= ?3 THEN 1 ELSE login_failures.failures + 1 END, "
        "last_failure = ?2 RETURNING failures");
    count.bind(1, key).bind(2, now).bind(3, forgetAfter);
    if (!count.step()) throw std::runtime_error("counting a sign-in failure returned no row");
    const auto failures = static_cast<int>(count.columnInt64(0));
    count.reset();
    return failures;
}

void Store::lockLogin(const std::string& username, std::int64_t until) {
    const auto key = sha256Hex(username);
    std::lock_guard lock(mutex_);
    database_->prepare("UPDATE login_failures SET locked_until = ?2 WHERE username_hash = ?1 AND locked_until < ?2").bind(1, key).bind(2, until).run();
}

std::optional<std::int64_t> Store::loginLockedUntil(const std::string& username, std::int64_t now) {
    const auto key = sha256Hex(username);
    std::lock_guard lock(mutex_);
    auto query = database_->prepare("SELECT locked_until FROM login_failures WHERE username_hash = ?1 AND locked_until > ?2");
    query.bind(1, key).bind(2, now);
    if (!query.step()) return std::nullopt;
    return query.columnInt64(0);
}

void Store::clearLoginFailures(const std::string& username) {
    const auto key = sha256Hex(username);
    std::lock_guard lock(mutex_);
    database_->prepare("DELETE FROM login_failures WHERE username_hash = ?1").bind(1, key).run();
}

std::string goalToJson(const GoalRecord& goal) {
    nlohmann::json group = nullptr;
    if (!goal.groupQuestion.empty()) group = {{"question", goal.groupQuestion}, {"category", goal.groupCategory}};
    return nlohmann::json{{"instrument", goal.instrumentId},
                          {"scale", goal.scaleId},
                          {"measure", goal.measure},
                          {"group", group},
                          {"target", goal.targetValue},
                          {"targetYear", goal.targetYear},
                          {"baselineYear", goal.baselineYear.empty() ? nlohmann::json() : nlohmann::json(goal.baselineYear)},
                          {"removed", goal.isRemoved}}
        .dump();
}

namespace {

/// The columns goalFrom reads, in its order.
constexpr const char* kGoalColumns =
    "id, district_slug, instrument_id, scale_id, measure, group_question, group_category, target_value, target_year, "
    "baseline_year, is_removed";

GoalRecord goalFrom(const Query& row) {
    return {row.columnInt64(0), row.columnText(1), row.columnText(2), row.columnText(3),  row.columnText(4),
            row.columnText(5),  row.columnText(6), row.columnDouble(7), row.columnText(8), row.columnText(9),
            row.columnInt64(10) != 0};
}

/// Binds an empty text as NULL: the schema keeps "no group" and "no baseline" as NULL.
void bindOptionalText(Query& statement, int index, const std::string& text) {
    if (text.empty()) statement.bindNull(index);
    else statement.bind(index, text);
}

}  // namespace

std::int64_t Store::createGoal(const GoalRecord& goal, const std::string& username, const std::string& changedAt) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    auto insert = database_->prepare(
        "INSERT INTO goals (district_slug, instrument_id, scale_id, measure, group_question, group_category, target_value, "
        "target_year, baseline_year) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id");
    insert.bind(1, goal.districtSlug).bind(2, goal.instrumentId).bind(3, goal.scaleId).bind(4, goal.measure);
    bindOptionalText(insert, 5, goal.groupQuestion);
    bindOptionalText(insert, 6, goal.groupCategory);
    insert.bindDouble(7, goal.targetValue).bind(8, goal.targetYear);
    bindOptionalText(insert, 9, goal.baselineYear);
    insert.step();
    auto stored = goal;
    stored.id = insert.columnInt64(0);
    insert.reset();
    stored.isRemoved = false;
    addGoalChange({0, stored.id, goal.districtSlug, username, "created", "", goalToJson(stored), changedAt});
    transaction.commit();
    return stored.id;
}

GoalUpdate Store::updateGoal(const GoalRecord& goal, const std::string& username, const std::string& changedAt) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    // Read inside the transaction, so that "before" is what this change replaced even when two
    // leaders save the same goal at once.
    const auto before = findGoalLocked(goal.districtSlug, goal.id);
    if (!before) return GoalUpdate::NotFound;
    auto after = goal;
    after.isRemoved = false;
    if (after == *before) return GoalUpdate::Unchanged;
    auto update = database_->prepare(
        "UPDATE goals SET instrument_id = ?3, scale_id = ?4, measure = ?5, group_question = ?6, group_category = ?7, "
        "target_value = ?8, target_year = ?9, baseline_year = ?10 WHERE id = ?1 AND district_slug = ?2");
    update.bind(1, goal.id).bind(2, goal.districtSlug).bind(3, goal.instrumentId).bind(4, goal.scaleId).bind(5, goal.measure);
    bindOptionalText(update, 6, goal.groupQuestion);
    bindOptionalText(update, 7, goal.groupCategory);
    update.bindDouble(8, goal.targetValue).bind(9, goal.targetYear);
    bindOptionalText(update, 10, goal.baselineYear);
    update.run();
    addGoalChange({0, goal.id, goal.districtSlug, username, "changed", goalToJson(*before), goalToJson(after), changedAt});
    transaction.commit();
    return GoalUpdate::Changed;
}

bool Store::removeGoal(const std::string& districtSlug, std::int64_t goalId, const std::string& username,
                       const std::string& changedAt) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    auto goal = findGoalLocked(districtSlug, goalId);
    if (!goal) return false;
    database_->prepare("UPDATE goals SET is_removed = 1 WHERE id = ?1").bind(1, goalId).run();
    const auto before = goalToJson(*goal);
    goal->isRemoved = true;
    addGoalChange({0, goalId, districtSlug, username, "removed", before, goalToJson(*goal), changedAt});
    transaction.commit();
    return true;
}

std::vector<GoalRecord> Store::goals(const std::string& districtSlug) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(std::string("SELECT ") + kGoalColumns +
                                      " FROM goals WHERE district_slug = ?1 AND is_removed = 0 ORDER BY id");
    select.bind(1, districtSlug);
    std::vector<GoalRecord> goals;
    while (select.step()) goals.push_back(goalFrom(select));
    return goals;
}

std::optional<GoalRecord> Store::findGoal(const std::string& districtSlug, std::int64_t goalId) {
    std::lock_guard lock(mutex_);
    return findGoalLocked(districtSlug, goalId);
}

std::optional<GoalRecord> Store::findGoalLocked(const std::string& districtSlug, std::int64_t goalId) {
    auto select = database_->prepare(std::string("SELECT ") + kGoalColumns +
                                      " FROM goals WHERE id = ?1 AND district_slug = ?2 AND is_removed = 0");
    select.bind(1, goalId).bind(2, districtSlug);
    if (!select.step()) return std::nullopt;
    return goalFrom(select);
}

void Store::addGoalChange(const GoalChange& change) {
    auto insert = database_->prepare(
        "INSERT INTO goal_changes (goal_id, district_slug, username, action, before_json, after_json, changed_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    insert.bind(1, change.goalId).bind(2, change.districtSlug).bind(3, change.username).bind(4, change.action);
    bindOptionalText(insert, 5, change.beforeJson);
    insert.bind(6, change.afterJson).bind(7, change.changedAt);
    insert.run();
}

std::vector<GoalChange> Store::goalChanges(const std::string& districtSlug) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(
        "SELECT id, goal_id, district_slug, username, action, before_json, after_json, changed_at FROM goal_changes "
        "WHERE district_slug = ?1 ORDER BY id DESC");
    select.bind(1, districtSlug);
    std::vector<GoalChange> changes;
    while (select.step())
        changes.push_back({select.columnInt64(0), select.columnInt64(1), select.columnText(2), select.columnText(3),
                           select.columnText(4), select.columnText(5), select.columnText(6), select.columnText(7)});
    return changes;
}

}  // namespace mindset::store
