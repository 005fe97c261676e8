#pragma once
/// The district profile of one survey: every figure the equity leader sees, computed once from the
/// stored responses and protected once, so that HTML, JSON, CSV and the command line all show the
/// same numbers and hide the same groups.
///
/// Groups. Each demographic question splits respondents into mutually exclusive categories, so a
/// breakdown's categories always add up to the district: the question's choices, then for a
/// multiple-choice question (race/ethnicity) "two or more" for anyone who selected more than one
/// (each single selection counts in its own category only), then "no answer". "Prefer not to say"
/// is a choice like the others.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/Statistics.h"
#include "analytics/Suppression.h"
#include "loader/PluginCalls.h"
#include "surveys/ResponseEncoding.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::analytics {

/// One respondent's stored bytes (see host/store/migrations/001_initial.sql).
struct ResponseBytes {
    std::span<const std::uint8_t> demographics;
    std::span<const std::uint8_t> answers;
    /// The release that first included the response; 0 = in no earlier release (new in the release
    /// being built).
    std::uint32_t releaseNumber = 0;
};

/// Calls `each` once per response; the spans are valid only during the call.
using ResponseSource = std::function<void(const std::function<void(const ResponseBytes&)>& each)>;

/// A source over responses already in memory; `responses` must outlive it.
ResponseSource responsesInMemory(const std::vector<surveys::EncodedResponse>& responses);

/// A category of a demographic question.
struct Category {
    std::string id;  ///< the choice id, or "two-or-more", or "no-answer"
    sdk::LocalizedText label;
};

/// A group's figures on one scale. Present only when shown.
struct CellFigures {
    Summary summary;
    Proportion favorable;
};

struct Cell {
    std::size_t category = 0;  ///< index into the breakdown's categories
    std::int64_t size = 0;     ///< respondents with a score on this scale (never published when hidden)
    HiddenBecause hidden = HiddenBecause::Shown;
    std::optional<CellFigures> figures;
    /// This group against the rest of the district, when both are shown.
    HiddenBecause gapHidden = HiddenBecause::Shown;
    std::optional<GroupComparison> gap;
    std::optional<double> gapQValue;  ///< Benjamini-Hochberg over every gap of the profile
};

/// Identifies a scale of the survey: instrument index, scale index within it.
struct ScaleRef {
    std::size_t instrument = 0;
    std::size_t scale = 0;
};

struct ItemFigures {
    std::string itemId;
    bool isReverseKeyed = false;
    std::vector<std::int64_t> countsByCode;  ///< one per response code, lowest first
    std::int64_t missing = 0;
    /// One per unscored option (sdk::ResponseScale::unscoredOptions, e.g. "don't know"), in their
    /// order: answers that are counted here and never scored, apart from `missing` (no answer).
    std::vector<std::int64_t> countsByUnscoredCode;
};

struct ScaleFigures {
    ScaleRef ref;
    std::string instrumentKey;
    std::string scaleId;
    HiddenBecause hidden = HiddenBecause::Shown;  ///< the district itself below the minimum
    std::int64_t size = 0;
    std::optional<CellFigures> district;
    std::optional<Reliability> reliability;
    std::vector<ItemFigures> items;
    /// The instrument's plugin failed while scoring this survey (it threw, or broke a rule of its
    /// result): this scale then has no figures at all, and says why instead.
    std::optional<loader::PluginFailure> failure;
};

/// One demographic question: for each scale, one cell per category.
struct Breakdown {
    std::string questionId;
    sdk::LocalizedText label;
    std::vector<Category> categories;
    std::vector<std::vector<Cell>> cellsByScale;  ///< [scale in Profile::scales order][category]
    /// Respondents in each category, whether or not they answered any item: exact counts for
    /// participation, unprotected, so never published as they are (see analytics/Participation.h).
    std::vector<std::int64_t> respondents;
};

/// Two questions crossed (e.g. race/ethnicity × role); cells by row then column.
struct PairBreakdown {
    std::size_t rowQuestion = 0;     ///< index into Profile::breakdowns
    std::size_t columnQuestion = 0;  ///< index into Profile::breakdowns
    std::vector<std::vector<Cell>> cellsByScale;  ///< [scale][row * columns + column]
};

struct Profile {
    std::string surveyId;
    /// The smallest group shown: the survey's minGroupSize, or its openLinkMinGroupSize for an
    /// open-link survey (SurveyDefinition::reportingThreshold).
    int minGroupSize = 5;
    std::int64_t responses = 0;
    std::vector<ScaleFigures> scales;  ///< instruments in survey order, scales in definition order
    std::vector<Breakdown> breakdowns;  ///< one per demographic question, in survey order
    std::optional<PairBreakdown> pair;
    /// One per instrument whose plugin failed while scoring (see ScaleFigures::failure).
    std::vector<loader::PluginFailure> failures;
    /// Shown scales (not sub-scores, whose items their scales count already) from the highest district share favorable to the lowest (ties: the higher mean
    /// as a share of its instrument's range): strengths first. Not by the mean, which means
    /// different things on different response formats (see analytics/ResponseFormat.h).
    std::vector<std::size_t> ranking;
    /// Which groups this profile hides, to store with a release and apply when it is read again:
    /// {"version": 1, "threshold": t, "hiddenGroups": [group ids], "withheldTables": [table ids],
    /// "everyBreakdownHidden": bool}. Group ids: "<question>=<category>",
    /// "<rows>|<columns>=<row>|<column>"; table ids: "<question>", "<rows>|<columns>". A withheld
    /// table hides its empty groups too.
    nlohmann::json suppressionPattern;
    /// The disclosure audit (analytics/DisclosureAudit.h): the attacker's bounds for every sensitive
    /// figure it checked ("checked"), the groups secondary suppression hid, rounds, LPs and time.
    /// Internal: never publish it (it says which hidden groups are the small ones).
    nlohmann::json auditReport;
    /// Whether everything this profile publishes passed the audit against every earlier release.
    bool isAuditPassed = true;
    /// When the audit did not pass: which group and why, in plain words.
    std::string auditFailure;
};

struct ProfileOptions {
    /// Two questions to cross, by id; none when either is empty or missing from the survey.
    /// Releases cross none (docs/privacy.md, R2): a crossed table's cells are small groups whose
    /// margins are published, which gives integer programs their grip, and auditing it costs about
    /// 200 times as much as the one-way breakdowns (60 s instead of 0.25 s for a demo release).
    std::string pairRows;
    std::string pairColumns;
    /// The stored suppression patterns of the survey's earlier releases: element i is release i + 1's
    /// Profile::suppressionPattern. Every response's releaseNumber must be 0 or at most their count.
    std::vector<nlohmann::json> earlierPatterns;
    /// Re-reading a published release: hide exactly what this pattern hid, and run no audit.
    std::optional<nlohmann::json> fixedPattern;
};

/// Reads every response once (scoring each through its instrument) and builds the protected profile:
/// primary suppression (groups and cells below the threshold), then, unless options.fixedPattern is
/// given, the disclosure audit against the earlier releases and secondary suppression until it
/// passes. Throws std::invalid_argument for a response that does not fit the survey, a release
/// number beyond the earlier patterns, or a pattern that names a group the survey does not have.
Profile buildProfile(const surveys::SurveyDefinition& survey, const ResponseSource& responses, const ProfileOptions& options = {});

/// The categories a question's respondents fall into (see the header comment).
std::vector<Category> categoriesOf(const surveys::DemographicQuestion& question);

/// The category index of a stored demographic slot for `question`.
std::size_t categoryOf(const surveys::DemographicQuestion& question, std::uint32_t slot);

}  // namespace mindset::analytics
