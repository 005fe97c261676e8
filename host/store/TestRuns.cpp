// The Store methods that let a coordinator try a survey and take things back (issue 14, declared in
// Store.h): import batches listed and undone, the survey's test link, and its test responses, which
// live in their own table so that nothing reading `responses` ever counts one.
#include "store/Store.h"

#include <chrono>
#include <cstdio>


namespace mindset::store {

namespace {

std::string todayUtc() {
    const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(today.year()), static_cast<unsigned>(today.month()),
                  static_cast<unsigned>(today.day()));
    return text;
}

}  // namespace

Store::NewImportBatch Store::addImportBatch(std::int64_t surveyId, const std::string& importedOn, std::int64_t rowCount) {
    auto last = database_->prepare("SELECT COALESCE(MAX(number), 0) FROM import_batches WHERE survey_id = ?1");
    last.bind(1, surveyId).step();
    const auto number = static_cast<std::uint32_t>(last.columnInt64(0) + 1);
    last.reset();
    auto insert = database_->prepare(
        "INSERT INTO import_batches (survey_id, number, imported_on, row_count) VALUES (?1, ?2, ?3, ?4) RETURNING id");
    insert.bind(1, surveyId).bind(2, static_cast<std::int64_t>(number)).bind(3, importedOn.empty() ? todayUtc() : importedOn).bind(4, rowCount);
    insert.step();
    return {insert.columnInt64(0), number};
}

std::vector<ImportBatch> Store::importBatches(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(
        "SELECT b.number, b.imported_on, b.row_count, COUNT(r.id), COUNT(r.release_number) FROM import_batches b "
        "LEFT JOIN responses r ON r.import_batch_id = b.id WHERE b.survey_id = ?1 GROUP BY b.id ORDER BY b.number");
    select.bind(1, surveyId);
    std::vector<ImportBatch> batches;
    while (select.step())
        batches.push_back({static_cast<std::uint32_t>(select.columnInt64(0)), select.columnText(1), select.columnInt64(2),
                           select.columnInt64(3), select.columnInt64(4)});
    return batches;
}

UndoImportResult Store::undoImport(std::int64_t surveyId, std::uint32_t number, ImportBatch& batch) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);  // no release can be published between the check and the delete
    auto select = database_->prepare(
        "SELECT b.id, b.imported_on, b.row_count, COUNT(r.id), COUNT(r.release_number) FROM import_batches b "
        "LEFT JOIN responses r ON r.import_batch_id = b.id WHERE b.survey_id = ?1 AND b.number = ?2 GROUP BY b.id");
    select.bind(1, surveyId).bind(2, static_cast<std::int64_t>(number));
    if (!select.step()) return UndoImportResult::UnknownBatch;
    const auto batchId = select.columnInt64(0);
    batch = {number, select.columnText(1), select.columnInt64(2), select.columnInt64(3), select.columnInt64(4)};
    select.reset();
    if (batch.released > 0) return UndoImportResult::Released;
    if (batch.remaining == 0) return UndoImportResult::AlreadyUndone;
    database_->prepare("DELETE FROM responses WHERE import_batch_id = ?1 AND release_number IS NULL").bind(1, batchId).run();
    transaction.commit();
    return UndoImportResult::Removed;
}

void Store::setTestLink(std::int64_t surveyId, const std::string& tokenHash) {
    std::lock_guard lock(mutex_);
    database_->prepare("INSERT INTO test_links (survey_id, token_hash) VALUES (?1, ?2) "
                        "ON CONFLICT (survey_id) DO UPDATE SET token_hash = excluded.token_hash")
        .bind(1, surveyId)
        .bind(2, tokenHash)
        .run();
}

bool Store::isTestToken(std::int64_t surveyId, const std::string& tokenHash) {
    if (tokenHash.empty()) return false;
    std::lock_guard lock(mutex_);
    auto select = database_->prepare("SELECT 1 FROM test_links WHERE survey_id = ?1 AND token_hash = ?2");
    select.bind(1, surveyId).bind(2, tokenHash);
    return select.step();
}

std::int64_t Store::countTestResponses(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    auto count = database_->prepare("SELECT COUNT(*) FROM test_responses WHERE survey_id = ?1");
    count.bind(1, surveyId).step();
    return count.columnInt64(0);
}

std::int64_t Store::removeTestResponses(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    database_->prepare("DELETE FROM test_responses WHERE survey_id = ?1").bind(1, surveyId).run();
    const auto removed = database_->changes();
    transaction.commit();
    return removed;
}

}  // namespace mindset::store
