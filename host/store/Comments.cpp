// The comment methods of Store (declared in Store.h): comments are written with their response but
// into a table of their own, under random ids, and read back only by release. No statement here
// reads a response (docs/privacy.md, R10).
#include "store/Store.h"

#include <sodium.h>

namespace mindset::store {

namespace {

/// A positive 63-bit id from libsodium's CSPRNG: the rows' id order is a shuffle nobody can predict.
std::int64_t randomCommentId() {
    std::uint64_t value = 0;
    randombytes_buf(&value, sizeof value);
    return static_cast<std::int64_t>(value >> 1) | 1;
}

}  // namespace

void Store::insertComments(std::int64_t surveyId, const std::vector<CommentRecord>& comments) {
    if (comments.empty()) return;
    auto insert = database_->prepare(
        "INSERT INTO comments (id, survey_id, question_id, group_key, text) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING");
    for (const auto& comment : comments) {
        // A collision of two random 63-bit ids is astronomically rare: draw again.
        do {
            insert.bind(1, randomCommentId()).bind(2, surveyId).bind(3, comment.questionId).bind(4, comment.groupKey).bind(5, comment.text).run();
        } while (database_->changes() == 0);
    }
}

std::vector<CommentRecord> Store::releaseComments(std::int64_t surveyId, std::uint32_t upTo) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(
        "SELECT question_id, group_key, text FROM comments WHERE survey_id = ?1 AND release_number <= ?2 ORDER BY id");
    select.bind(1, surveyId).bind(2, static_cast<std::int64_t>(upTo));
    std::vector<CommentRecord> comments;
    while (select.step()) comments.push_back({select.columnText(0), select.columnText(1), select.columnText(2)});
    return comments;
}

std::int64_t Store::countComments(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    auto count = database_->prepare("SELECT COUNT(*) FROM comments WHERE survey_id = ?1");
    count.bind(1, surveyId).step();
    return count.columnInt64(0);
}

}  // namespace mindset::store
