#pragma once
/// The durable record of districts, schools, surveys and anonymous responses (SQLite, WAL).
/// Knows nothing of plugins or HTTP: it stores what it is given, as plain values.
/// Thread-safe: one connection behind a mutex; every write is one transaction, committed
/// (synchronous=FULL) before the call returns.

#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "store/Sqlite.h"

namespace mindset::store {

/// What the store keeps of a survey definition.
struct SurveyRecord {
    std::string slug;
    std::string districtSlug;
    std::string districtName;
    std::vector<std::pair<std::string, std::string>> schools;  ///< slug, name
    std::string schoolYear;
    std::string definitionJson;
    std::string answerLayout;  ///< what each stored byte means; fixed once responses exist
};

/// One stored response, exactly as kept: nothing else exists about it.
struct StoredResponse {
    std::vector<std::uint8_t> demographics;
    std::vector<std::uint8_t> answers;
};

/// Thrown when a survey file would change the meaning of responses already stored.
class SurveyConflict : public StoreError {
public:
    using StoreError::StoreError;
};

class Store {
public:
    /// Opens or creates the database at `path` (":memory:" for tests) and applies migrations.
    explicit Store(const std::string& path);

    /// The schema version after migrations (the number of the last migration applied).
    int schemaVersion();

    /// Creates or updates the survey, its district and schools; returns the survey's row id.
    /// Throws SurveyConflict, changing nothing, if responses exist and the answer layout differs.
    std::int64_t saveSurvey(const SurveyRecord& survey);

    /// Stores one response in its own committed transaction.
    void insertResponse(std::int64_t surveyId, std::span<const std::uint8_t> demographics,
                        std::span<const std::uint8_t> answers);

    std::int64_t countResponses(std::int64_t surveyId);
    std::vector<StoredResponse> responses(std::int64_t surveyId);

private:
    void migrate();

    std::mutex mutex_;
    Connection connection_;
};

}  // namespace mindset::store
