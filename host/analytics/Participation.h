#pragma once
/// Participation while a survey is in the field: how many staff responded, by school and by role,
/// against how many were expected (access codes issued, or the staff counts of the survey file),
/// so that leaders can follow up where responses lag.
///
/// Privacy. A count from 1 to the survey's minimum group size − 1 is hidden: the promise that no
/// group smaller than the minimum is shown holds here too, and a small count can point at the one
/// or two people who took part. A hidden row says only "hidden" — no count, no rate, and no bound
/// such as "fewer than 5", which would tell a reader which hidden groups are the small ones (an
/// attacker combining it with the profile's tables can then pin them; docs/privacy.md). Counts
/// never carry answers.
///
/// The schools add up to the district's count, and so do the roles, and that count is published:
/// a single hidden row would be the district minus the rows shown. So each table is protected like
/// a breakdown of the profile (protectCells, Suppression.h): where needed, other rows are hidden
/// too, until the hidden rows are at least two and hold at least the minimum together.
///
/// While a survey is open, participation is live, and an exact live count would show one
/// submission arriving (and, read before and after, whose it was). Live counts are therefore
/// published only in bands (bandLiveCounts): every count rounded down to a band of
/// max(10, minimum), and a rate only as the range its count's band allows, so that the bands say
/// nothing more than the counts' bands do.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/Profile.h"
#include "analytics/Suppression.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::analytics {

/// A respondent count as it may be published: 0 and counts of at least the minimum exactly,
/// anything in between only as "fewer than the minimum".
struct PublishedCount {
    std::optional<std::int64_t> exact;  ///< none when the count is from 1 to the minimum − 1
    std::int64_t fewerThan = 0;         ///< when not exact: the count is below this (the minimum)
};

/// Applies the rule above to `count`.
PublishedCount publishCount(std::int64_t count, int minGroupSize);

/// Where the expected numbers come from.
enum class ExpectedFrom {
    Nothing,      ///< an open-link survey without staff counts: responses only
    StaffCounts,  ///< "staff" of each school, "staffByRole" (open-link surveys)
    AccessCodes,  ///< codes issued per school (surveys with "access": "codes"); roles still use staffByRole
};

/// A live count as published: somewhere from `low` to `high`, both included.
struct CountBand {
    std::int64_t low = 0;
    std::int64_t high = 0;
};

/// One school, one role, or the whole district.
struct ParticipationRow {
    std::string id;  ///< school id, role choice id (or "no-answer"), or "district"
    sdk::LocalizedText label;
    PublishedCount responded;
    std::optional<std::int64_t> expected;  ///< staff, or codes issued; none when unknown
    std::optional<double> rate;            ///< responded / expected, when both are known exactly
    /// Why `responded` is not published (internal; both are published as "hidden"): BelowMinimum, or
    /// ComplementaryProtection (so that a smaller row cannot be worked out from the total).
    HiddenBecause hidden = HiddenBecause::Shown;
    /// The exact count, unprotected: never published as it is (only through `responded` or `band`).
    std::int64_t exactCount = 0;
    /// Live participation (bandLiveCounts): the count's band, published instead of `responded`.
    std::optional<CountBand> band;
    /// With `band` and an expected number: the rate lies from `rateBand->first` to `rateBand->second`
    /// (whole percent, rounded outward), the range the count's band allows.
    std::optional<std::pair<int, int>> rateBand;
};

/// The access codes of one school (store::CodeCount without the store).
struct SchoolCodes {
    std::string schoolId;
    /// Codes still valid: unused ones in staff hands and used ones; never voided ones (a lost or
    /// replaced sheet), which would inflate the denominator of the response rate.
    std::int64_t issued = 0;
    std::int64_t used = 0;
};

struct Participation {
    std::string surveyId;
    int minGroupSize = 5;
    ExpectedFrom expectedFrom = ExpectedFrom::Nothing;
    ParticipationRow district;
    std::vector<ParticipationRow> schools;  ///< in survey order; empty when no question lists the schools and no codes are used
    std::vector<ParticipationRow> roles;    ///< categories of the role question; empty without one
    bool hasRoleStaff = false;              ///< the survey gives staffByRole
    int bandWidth = 0;                      ///< live counts in bands of this width (bandLiveCounts); 0: exact
};

/// Participation from the profile's respondent counts (Breakdown::respondents) and, for surveys
/// with access codes, the codes issued and used per school (responded = codes used).
Participation participationOf(const surveys::SurveyDefinition& survey, const Profile& profile, const std::vector<SchoolCodes>& codes);

/// The category (index into categoriesOf) of each demographic question a response's stored
/// demographics fall into, in survey order: the one category countRespondents counts it in.
std::vector<std::size_t> respondentCategories(const surveys::SurveyDefinition& survey, std::span<const std::uint8_t> demographics);

/// Respondents per category of every demographic question (Breakdown::respondents) and in all,
/// read from the demographics alone, without scoring: what live participation counts. The
/// returned profile has no scales and no figures.
Profile countRespondents(const surveys::SurveyDefinition& survey, const ResponseSource& responses);

/// Turns exact participation into live participation: every row's count into its band of
/// max(10, minGroupSize) and its rate into the range that band allows; no exact count, no
/// withheld row (a band says less than any row could).
void bandLiveCounts(Participation& participation);

/// Whether the survey is open on `today`: "not-yet-open", "open" or "closed".
std::string windowState(const surveys::SurveyDefinition& survey, std::chrono::year_month_day today);

/// Everything published about participation, as served by /api/surveys/{survey}/participation:
/// a hidden row has "hidden" (hiddenCode) and no number about its responses at all ("responded",
/// "rate"), whatever the reason.
/// Live (banded) participation has "live": true and "bandWidth", and each row "respondedBand"
/// {"low", "high"} and, with an expected number, "rateBand" {"low", "high"} (0-1), nothing exact.
nlohmann::json participationToJson(const Participation& participation, const surveys::SurveyDefinition& survey,
                                   const std::string& language, std::chrono::year_month_day today);

}  // namespace mindset::analytics
