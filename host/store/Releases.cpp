// The release methods of Store (declared in Store.h): published releases are immutable, so there
// is an insert and reads, and no update or delete.
#include "store/Store.h"

namespace mindset::store {

namespace {

constexpr const char* kReleaseColumns =
    "survey_id, number, published_on, kind, responses, suppression_pattern, audit_report, profile_sha256, instrument_fingerprints";

ReleaseRecord releaseFrom(const Query& row) {
    return {row.columnInt64(0),
            static_cast<std::uint32_t>(row.columnInt64(1)),
            row.columnText(2),
            row.columnText(3) == "final" ? ReleaseKind::Final : ReleaseKind::Interim,
            row.columnInt64(4),
            row.columnText(5),
            row.columnText(6),
            row.columnText(7),
            row.columnText(8)};
}

}  // namespace

std::string releaseKindName(ReleaseKind kind) { return kind == ReleaseKind::Final ? "final" : "interim"; }

ReleaseResult Store::publishRelease(const NewRelease& release, ReleaseRecord* published) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);  // BEGIN IMMEDIATE: no submission lands between the count and the update
    auto state = database_->prepare(
        "SELECT (SELECT COUNT(*) FROM responses WHERE survey_id = ?1), "
        "(SELECT COUNT(*) FROM responses WHERE survey_id = ?1 AND release_number IS NULL), "
        "(SELECT COALESCE(MAX(number), 0) FROM releases WHERE survey_id = ?1), "
        "(SELECT COUNT(*) FROM releases WHERE survey_id = ?1 AND kind = 'final')");
    state.bind(1, release.surveyId).step();
    const auto total = state.columnInt64(0);
    const auto unreleased = state.columnInt64(1);
    const auto last = static_cast<std::uint32_t>(state.columnInt64(2));
    const bool hasFinal = state.columnInt64(3) > 0;
    state.reset();
    if (hasFinal) return ReleaseResult::AlreadyFinal;
    if (total == 0) return ReleaseResult::NoResponses;
    if (unreleased == 0 && (release.kind == ReleaseKind::Interim || last == 0)) return ReleaseResult::NothingChanged;
    if (unreleased != release.unreleasedRead) return ReleaseResult::ResponsesArrived;

    const ReleaseRecord record{release.surveyId,         last + 1,
                               release.publishedOn,      release.kind,
                               total,                    release.suppressionPatternJson,
                               release.auditReportJson,  release.profileSha256,
                               release.instrumentFingerprintsJson};
    database_
        ->prepare(std::string("INSERT INTO releases (") + kReleaseColumns + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
        .bind(1, record.surveyId)
        .bind(2, static_cast<std::int64_t>(record.number))
        .bind(3, record.publishedOn)
        .bind(4, releaseKindName(record.kind))
        .bind(5, record.responses)
        .bind(6, record.suppressionPatternJson)
        .bind(7, record.auditReportJson)
        .bind(8, record.profileSha256)
        .bind(9, record.instrumentFingerprintsJson)
        .run();
    database_->prepare("UPDATE responses SET release_number = ?2 WHERE survey_id = ?1 AND release_number IS NULL")
        .bind(1, release.surveyId)
        .bind(2, static_cast<std::int64_t>(record.number))
        .run();
    // The comments that came with those responses: written in the same transactions, so exactly these.
    database_->prepare("UPDATE comments SET release_number = ?2 WHERE survey_id = ?1 AND release_number IS NULL")
        .bind(1, release.surveyId)
        .bind(2, static_cast<std::int64_t>(record.number))
        .run();
    transaction.commit();
    if (published) *published = record;
    return ReleaseResult::Published;
}

std::vector<ReleaseRecord> Store::releases(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(std::string("SELECT ") + kReleaseColumns + " FROM releases WHERE survey_id = ?1 ORDER BY number");
    select.bind(1, surveyId);
    std::vector<ReleaseRecord> releases;
    while (select.step()) releases.push_back(releaseFrom(select));
    return releases;
}

std::optional<ReleaseRecord> Store::findRelease(std::int64_t surveyId, std::uint32_t number) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(std::string("SELECT ") + kReleaseColumns + " FROM releases WHERE survey_id = ?1 AND number = ?2");
    select.bind(1, surveyId).bind(2, static_cast<std::int64_t>(number));
    if (!select.step()) return std::nullopt;
    return releaseFrom(select);
}

std::int64_t Store::countUnreleasedResponses(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    auto count = database_->prepare("SELECT COUNT(*) FROM responses WHERE survey_id = ?1 AND release_number IS NULL");
    count.bind(1, surveyId).step();
    return count.columnInt64(0);
}

void Store::forEachReleaseResponse(
    std::int64_t surveyId, std::uint32_t upTo,
    const std::function<void(std::span<const std::uint8_t>, std::span<const std::uint8_t>, std::uint32_t)>& each) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(
        upTo == 0 ? "SELECT demographics, answers, COALESCE(release_number, 0) FROM responses WHERE survey_id = ?1"
                  : "SELECT demographics, answers, release_number FROM responses WHERE survey_id = ?1 AND release_number <= ?2");
    select.bind(1, surveyId);
    if (upTo != 0) select.bind(2, static_cast<std::int64_t>(upTo));
    while (select.step())
        each(select.columnBlobView(0), select.columnBlobView(1), static_cast<std::uint32_t>(select.columnInt64(2)));
}

}  // namespace mindset::store
