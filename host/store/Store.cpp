#include "store/Store.h"

#include <map>
#include <random>
#include <string_view>

#include <sqlite3.h>

namespace mindset::embedded {
const std::map<std::string_view, std::string_view>& migrations();
}

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

std::int64_t randomRowId() {
    // Positive 63-bit ids: row order reveals nothing about submission order.
    thread_local std::mt19937_64 generator{std::random_device{}()};
    return static_cast<std::int64_t>(generator() >> 1) | 1;
}

}  // namespace

Store::Store(const std::string& path) : connection_(path) {
    connection_.exec("PRAGMA journal_mode=WAL");
    // FULL: in WAL mode NORMAL may lose the last commits on power loss; an acknowledged response must not.
    connection_.exec("PRAGMA synchronous=FULL");
    connection_.exec("PRAGMA foreign_keys=ON");
    migrate();
}

int Store::schemaVersion() {
    std::lock_guard lock(mutex_);
    return static_cast<int>(connection_.queryInt64("PRAGMA user_version").value_or(0));
}

void Store::migrate() {
    const int current = static_cast<int>(connection_.queryInt64("PRAGMA user_version").value_or(0));
    int expected = 1;
    for (const auto& [fileName, sql] : embedded::migrations()) {  // map: sorted by name, so by number
        const int number = migrationNumber(fileName);
        if (number != expected)
            throw StoreError("migration " + std::string(fileName) + ": expected number " + std::to_string(expected));
        ++expected;
        if (number <= current) continue;
        Transaction transaction(connection_);
        connection_.exec(sql);
        connection_.exec("PRAGMA user_version=" + std::to_string(number));
        transaction.commit();
    }
    if (current >= expected)
        throw StoreError("database schema version " + std::to_string(current) + " is newer than this build knows (" +
                         std::to_string(expected - 1) + "); use a newer Mindset");
}

std::int64_t Store::saveSurvey(const SurveyRecord& survey) {
    std::lock_guard lock(mutex_);
    Transaction transaction(connection_);

    auto upsertDistrict = connection_.prepare(
        "INSERT INTO districts (slug, name) VALUES (?1, ?2) "
        "ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id");
    upsertDistrict.bind(1, survey.districtSlug).bind(2, survey.districtName);
    upsertDistrict.step();
    const auto districtId = upsertDistrict.columnInt64(0);
    upsertDistrict.reset();  // a statement still stepping would block the COMMIT

    auto upsertSchool = connection_.prepare(
        "INSERT INTO schools (district_id, slug, name) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (district_id, slug) DO UPDATE SET name = excluded.name");
    for (const auto& [slug, name] : survey.schools) upsertSchool.bind(1, districtId).bind(2, slug).bind(3, name).run();

    auto existing = connection_.prepare(
        "SELECT s.id, s.answer_layout, s.district_id, (SELECT COUNT(*) FROM responses r WHERE r.survey_id = s.id) "
        "FROM surveys s WHERE s.slug = ?1");
    existing.bind(1, survey.slug);
    std::int64_t surveyId = 0;
    if (existing.step()) {
        surveyId = existing.columnInt64(0);
        const auto storedLayout = existing.columnText(1);
        const auto storedDistrict = existing.columnInt64(2);
        const auto responseCount = existing.columnInt64(3);
        existing.reset();
        if (responseCount > 0 && storedLayout != survey.answerLayout)
            throw SurveyConflict("survey '" + survey.slug + "' already has " + std::to_string(responseCount) +
                                 " responses stored under different questions or instruments; give the changed "
                                 "survey a new id instead of editing this one");
        if (responseCount > 0 && storedDistrict != districtId)
            throw SurveyConflict("survey '" + survey.slug + "' already has responses for another district");
        connection_.prepare(
                       "UPDATE surveys SET district_id = ?2, school_year = ?3, definition = ?4, answer_layout = ?5 "
                       "WHERE id = ?1")
            .bind(1, surveyId)
            .bind(2, districtId)
            .bind(3, survey.schoolYear)
            .bind(4, survey.definitionJson)
            .bind(5, survey.answerLayout)
            .run();
    } else {
        connection_.prepare(
                       "INSERT INTO surveys (slug, district_id, school_year, definition, answer_layout) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)")
            .bind(1, survey.slug)
            .bind(2, districtId)
            .bind(3, survey.schoolYear)
            .bind(4, survey.definitionJson)
            .bind(5, survey.answerLayout)
            .run();
        surveyId = connection_.lastInsertRowid();
    }
    transaction.commit();
    return surveyId;
}

void Store::insertResponse(std::int64_t surveyId, std::span<const std::uint8_t> demographics,
                           std::span<const std::uint8_t> answers) {
    std::lock_guard lock(mutex_);
    Transaction transaction(connection_);
    auto insert = connection_.prepare("INSERT INTO responses (id, survey_id, demographics, answers) VALUES (?1, ?2, ?3, ?4)");
    for (int attempt = 0;; ++attempt) {
        insert.bind(1, randomRowId()).bind(2, surveyId).bindBlob(3, demographics).bindBlob(4, answers);
        try {
            insert.run();
            break;
        } catch (const StoreError&) {
            const bool isIdCollision = sqlite3_extended_errcode(connection_.handle()) == SQLITE_CONSTRAINT_PRIMARYKEY;
            insert.reset();
            // A collision of two random 63-bit ids is astronomically rare; anything else is real.
            if (!isIdCollision || attempt == 3) throw;
        }
    }
    transaction.commit();
}

std::int64_t Store::countResponses(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    auto count = connection_.prepare("SELECT COUNT(*) FROM responses WHERE survey_id = ?1");
    count.bind(1, surveyId).step();
    const auto n = count.columnInt64(0);
    return n;
}

std::vector<StoredResponse> Store::responses(std::int64_t surveyId) {
    std::lock_guard lock(mutex_);
    auto select = connection_.prepare("SELECT demographics, answers FROM responses WHERE survey_id = ?1");
    select.bind(1, surveyId);
    std::vector<StoredResponse> result;
    while (select.step()) result.push_back({select.columnBlob(0), select.columnBlob(1)});
    return result;
}

}  // namespace mindset::store
