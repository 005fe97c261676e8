// The access-code methods of Store (declared in Store.h): codes issued in numbered batches, found
// by their hash, voided one by one or by batch, and counted per school. No statement here reads or
// writes a response: nothing links a code to one (docs/privacy.md).
#include "store/Store.h"

#include <algorithm>


namespace mindset::store {

namespace {

CodeState stateOf(bool isUsed, bool isVoided) {
    if (isUsed) return CodeState::Used;
    return isVoided ? CodeState::Voided : CodeState::Unused;
}

}  // namespace

std::uint32_t Store::addAccessCodes(std::int64_t surveyId, const std::string& schoolSlug, const std::vector<std::string>& codeHashes,
                                    const std::string& issuedOn) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    auto school = database_->prepare(
        "SELECT sc.id FROM schools sc JOIN surveys su ON su.district_id = sc.district_id WHERE su.id = ?1 AND sc.slug = ?2");
    school.bind(1, surveyId).bind(2, schoolSlug);
    if (!school.step()) throw StoreError("the survey's district has no school '" + schoolSlug + "'");
    const auto schoolId = school.columnInt64(0);
    school.reset();

    auto last = database_->prepare("SELECT COALESCE(MAX(number), 0) FROM access_code_batches WHERE survey_id = ?1");
    last.bind(1, surveyId).step();
    const auto number = static_cast<std::uint32_t>(last.columnInt64(0) + 1);
    last.reset();
    auto batch = database_->prepare(
        "INSERT INTO access_code_batches (survey_id, number, school_id, issued_on) VALUES (?1, ?2, ?3, ?4) RETURNING id");
    batch.bind(1, surveyId).bind(2, static_cast<std::int64_t>(number)).bind(3, schoolId);
    if (issuedOn.empty()) batch.bindNull(4);
    else batch.bind(4, issuedOn);
    batch.step();
    const auto batchId = batch.columnInt64(0);
    batch.reset();

    auto insert = database_->prepare("INSERT INTO access_codes (code_hash, survey_id, school_id, batch_id) VALUES (?1, ?2, ?3, ?4)");
    for (const auto& hash : codeHashes) insert.bind(1, hash).bind(2, surveyId).bind(3, schoolId).bind(4, batchId).run();
    transaction.commit();
    return number;
}

std::optional<AccessCodeRecord> Store::findAccessCode(std::int64_t surveyId, const std::string& codeHash) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(
        "SELECT ac.is_used, ac.is_voided, sc.slug, COALESCE(b.number, 0) FROM access_codes ac "
        "JOIN schools sc ON sc.id = ac.school_id LEFT JOIN access_code_batches b ON b.id = ac.batch_id "
        "WHERE ac.code_hash = ?1 AND ac.survey_id = ?2");
    select.bind(1, codeHash).bind(2, surveyId);
    if (!select.step()) return std::nullopt;
    return AccessCodeRecord{stateOf(select.columnInt64(0) != 0, select.columnInt64(1) != 0), select.columnText(2),
                            static_cast<std::uint32_t>(select.columnInt64(3))};
}

CodeState Store::accessCodeState(std::int64_t surveyId, const std::string& codeHash) {
    const auto code = findAccessCode(surveyId, codeHash);
    return code ? code->state : CodeState::Unknown;
}

std::vector<CodeCount> Store::accessCodeCounts(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(
        "SELECT sc.slug, sc.name, COUNT(ac.code_hash), COALESCE(SUM(ac.is_used), 0), COALESCE(SUM(ac.is_voided), 0) "
        "FROM schools sc JOIN surveys su ON su.district_id = sc.district_id "
        "LEFT JOIN access_codes ac ON ac.school_id = sc.id AND ac.survey_id = su.id "
        "WHERE su.id = ?1 GROUP BY sc.id ORDER BY sc.name");
    select.bind(1, surveyId);
    std::vector<CodeCount> counts;
    while (select.step())
        counts.push_back({select.columnText(0), select.columnText(1), select.columnInt64(2), select.columnInt64(3), select.columnInt64(4)});
    return counts;
}

std::vector<CodeBatch> Store::accessCodeBatchesLocked(std::int64_t surveyId, std::uint32_t number) {
    auto select = database_->prepare(
        "SELECT b.number, sc.slug, sc.name, COALESCE(b.issued_on, ''), COUNT(ac.code_hash), COALESCE(SUM(ac.is_used), 0), "
        "COALESCE(SUM(ac.is_voided), 0) FROM access_code_batches b JOIN schools sc ON sc.id = b.school_id "
        "LEFT JOIN access_codes ac ON ac.batch_id = b.id "
        "WHERE b.survey_id = ?1 AND (?2 = 0 OR b.number = ?2) GROUP BY b.id, sc.id ORDER BY b.number");
    select.bind(1, surveyId).bind(2, static_cast<std::int64_t>(number));
    std::vector<CodeBatch> batches;
    while (select.step())
        batches.push_back({static_cast<std::uint32_t>(select.columnInt64(0)), select.columnText(1), select.columnText(2),
                           select.columnText(3), select.columnInt64(4), select.columnInt64(5), select.columnInt64(6)});
    return batches;
}

std::vector<CodeBatch> Store::accessCodeBatches(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    return accessCodeBatchesLocked(surveyId, 0);
}

std::vector<CodeState> Store::voidAccessCodes(std::int64_t surveyId, const std::vector<std::string>& codeHashes) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);  // BEGIN IMMEDIATE: no submission burns a code between the read and the update
    auto select = database_->prepare("SELECT is_used, is_voided FROM access_codes WHERE code_hash = ?1 AND survey_id = ?2");
    std::vector<CodeState> before;
    for (const auto& hash : codeHashes) {
        select.bind(1, hash).bind(2, surveyId);
        before.push_back(select.step() ? stateOf(select.columnInt64(0) != 0, select.columnInt64(1) != 0) : CodeState::Unknown);
        select.reset();
    }
    if (std::find(before.begin(), before.end(), CodeState::Unknown) != before.end()) return before;  // rolled back: nothing voided
    auto update = database_->prepare("UPDATE access_codes SET is_voided = 1 WHERE code_hash = ?1 AND survey_id = ?2 AND is_used = 0");
    for (const auto& hash : codeHashes) update.bind(1, hash).bind(2, surveyId).run();
    transaction.commit();
    return before;
}

std::optional<CodeBatch> Store::voidAccessCodeBatch(std::int64_t surveyId, std::uint32_t number) {
    if (number == 0) return std::nullopt;
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    auto batches = accessCodeBatchesLocked(surveyId, number);
    if (batches.empty()) return std::nullopt;
    database_
        ->prepare("UPDATE access_codes SET is_voided = 1 WHERE is_used = 0 AND batch_id = "
                 "(SELECT id FROM access_code_batches WHERE survey_id = ?1 AND number = ?2)")
        .bind(1, surveyId)
        .bind(2, static_cast<std::int64_t>(number))
        .run();
    transaction.commit();
    return batches.front();
}

}  // namespace mindset::store
