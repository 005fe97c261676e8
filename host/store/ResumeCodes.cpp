// The resume-code methods of Store (declared in Store.h): one code per draft, used once, deleted
// with its draft (ON DELETE CASCADE in 009_resume_codes.sql).
#include "store/Store.h"

namespace mindset::store {

bool Store::setResumeCode(const ResumeCodeRecord& record) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    auto draft = database_->prepare("SELECT 1 FROM drafts WHERE token_hash = ?1");
    draft.bind(1, record.draftTokenHash);
    if (!draft.step()) return false;
    draft.reset();
    database_->prepare("DELETE FROM resume_codes WHERE draft_token_hash = ?1").bind(1, record.draftTokenHash).run();
    database_->prepare("INSERT INTO resume_codes (code_hash, draft_token_hash, wrapped_token) VALUES (?1, ?2, ?3)")
        .bind(1, record.codeHash)
        .bind(2, record.draftTokenHash)
        .bindBlob(3, record.wrappedToken)
        .run();
    transaction.commit();
    return true;
}

std::optional<std::vector<std::uint8_t>> Store::takeResumeCode(std::int64_t surveyId, const std::string& codeHash,
                                                                const std::string& today) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);  // BEGIN IMMEDIATE: two devices typing the code at once get it once
    auto select = database_->prepare(
        "SELECT r.wrapped_token FROM resume_codes r JOIN drafts d ON d.token_hash = r.draft_token_hash "
        "WHERE r.code_hash = ?1 AND d.survey_id = ?2 AND d.expires_on > ?3");
    select.bind(1, codeHash).bind(2, surveyId).bind(3, today);
    if (!select.step()) return std::nullopt;
    auto wrapped = select.columnBlob(0);
    select.reset();
    database_->prepare("DELETE FROM resume_codes WHERE code_hash = ?1").bind(1, codeHash).run();
    transaction.commit();
    return wrapped;
}

std::int64_t Store::countResumeCodes(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    auto count = database_->prepare(
        "SELECT COUNT(*) FROM resume_codes r JOIN drafts d ON d.token_hash = r.draft_token_hash WHERE d.survey_id = ?1");
    count.bind(1, surveyId).step();
    return count.columnInt64(0);
}

}  // namespace mindset::store
