#pragma once
/// Releases between the store and analytics: publishing a survey's next release (profile of the
/// would-be population, audited against every earlier release, stored with its pattern, report and
/// fingerprint) and reading a published one back (its responses, its stored pattern, no audit).
/// Every output a leader, school leader or network account reads comes through here, never from
/// live responses (docs/architecture.md, "Reading results").

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/Profile.h"
#include "analytics/ReleaseComments.h"
#include "store/Store.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::releases {

/// A published release read back: its record and its profile rebuilt with its stored pattern.
struct Release {
    store::ReleaseRecord record;
    analytics::Profile profile;
    /// False when the rebuilt profile's SHA-256 differs from the one stored when it was published
    /// (e.g. an instrument's scoring changed since): the figures are not what was published.
    bool isMatchingPublished = true;
    /// When not matching: the instrument versions ("id@version") whose fingerprint now differs from
    /// the one recorded at publication, or that the survey no longer pins. Empty with a recorded
    /// fingerprint for each means the instruments are as they were, so what changed is Mindset's
    /// own computation (an upgrade); see hasRecordedFingerprints.
    std::vector<std::string> changedInstruments;
    /// False for a release published before fingerprints were recorded: what changed is unknown.
    bool hasRecordedFingerprints = false;
};

/// What publishing did: the release, or why there is none.
struct PublishOutcome {
    std::optional<store::ReleaseRecord> release;
    std::string refusal;  ///< in words, naming the survey, when nothing was published
};

/// SHA-256 (hex) of the profile's JSON (analytics::profileToJson in English): the fingerprint a
/// release stores.
std::string profileSha256(const analytics::Profile& profile, const surveys::SurveyDefinition& survey);

/// Each instrument version the survey pins with its fingerprint (loader/Fingerprint.h), as a JSON
/// object of "id@version" -> fingerprint: what a release records it was computed with.
nlohmann::json instrumentFingerprints(const surveys::SurveyDefinition& survey);

/// The responses of release `number` (release_number <= number) with their release numbers; with
/// `number` 0, every stored response, those in no release yet with release number 0.
/// `store` must outlive the source.
analytics::ResponseSource releaseResponses(store::Store& store, const surveys::SurveyDefinition& survey, std::uint32_t number);

/// The profile options that re-read `record`: its stored suppression pattern, applied without audit.
analytics::ProfileOptions readingOptions(const store::ReleaseRecord& record);

/// Rebuilds the release's profile from its responses with its stored pattern and compares the
/// fingerprint with the published one.
Release readRelease(store::Store& store, const surveys::SurveyDefinition& survey, const store::ReleaseRecord& record);

/// The comments `release` shows: none before the final release, and of each school only those
/// its profile shows at the survey's commentMinGroupSize (analytics/ReleaseComments.h).
analytics::ReleaseComments readComments(store::Store& store, const surveys::SurveyDefinition& survey, const Release& release);

/// Publishes the survey's next release of `kind`, dated `today`: builds the profile of every
/// response (the earlier releases' and those not yet released) with the earlier releases'
/// patterns; refuses with the audit's reason if it fails, and otherwise stores the release in one
/// transaction (store::Store::publishRelease decides between concurrent callers). Responses that
/// arrive while it works are read again (a few times at most).
PublishOutcome publishRelease(store::Store& store, const surveys::SurveyDefinition& survey, store::ReleaseKind kind,
                              std::chrono::year_month_day today);

/// True once the survey's closing date has passed on `today`.
bool hasClosed(const surveys::SurveyDefinition& survey, std::chrono::year_month_day today);

/// The kind of release an explicit request makes on `today`: final once the survey has closed,
/// interim while it is open.
store::ReleaseKind kindFor(const surveys::SurveyDefinition& survey, std::chrono::year_month_day today);

/// Publishes the survey's final release when it has closed, has responses, and has no final
/// release yet; nullopt when none is due (nothing is read then).
std::optional<PublishOutcome> publishFinalIfDue(store::Store& store, const surveys::SurveyDefinition& survey,
                                                std::chrono::year_month_day today);

/// A date as YYYY-MM-DD.
std::string isoDate(std::chrono::year_month_day day);

}  // namespace mindset::releases
