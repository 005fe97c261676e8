#pragma once
/// The raw de-identified export of a survey: one CSV row per response, from which every figure the
/// district profile shows can be recomputed with R or Python, and a codebook that says what each
/// column means, what was withheld for privacy and how to recompute the profile.
///
/// Columns: one per demographic question holding the respondent's category exactly as the profile
/// counts it (categoriesOf: a choice id, "two-or-more", "no-answer") or "withheld"; one per item,
/// `<instrument-id>.<item-id>`, holding the stored response code (empty when not answered; an
/// unscored option such as "don't know" as unscoredValue(code), text that no tool reads as a
/// point of the scale); one per
/// scale, `<instrument-id>.<scale-id>`, holding the instrument's score (empty when none) written
/// with the shortest digits that read back as the same double. A multiple-choice question gets no
/// 0/1 column per choice: which choices a "two-or-more" respondent picked would single out rare
/// combinations, and the profile never uses them.
///
/// Privacy (k = the survey's minimum group size):
/// 1. No rows at all when the survey has fewer than k responses (the profile shows nothing then).
/// 2. A category with fewer than k respondents, or that the profile hides on any scale it shows
///    (below the minimum, or hidden so that a small group cannot be recovered by subtraction), is
///    withheld in every row: the export never names a group the profile protects.
/// 3. k-anonymity: every combination of the demographic columns ("withheld" counting as a value)
///    occurs in at least k rows. Rows of a rarer combination get one more value withheld, one
///    question at a time in ExportOptions::withholdingOrder, until none is rarer.
/// 4. No recovery by comparing with the profile. Where a group the profile shows (or lets a reader
///    derive, such as all its hidden categories together) has some members whose value was
///    withheld, "profile minus the rows that still name the group" gives those members' figures;
///    they are therefore kept at 0 or at least k on every scale, by withholding the value in more
///    of the group's rows. This covers the one-way breakdowns and the profile's crossed pair.
/// 5. The file depends only on the set of responses, not on their stored order: every choice is
///    deterministic and rows are sorted by content. Two downloads of the same data are identical,
///    so they cannot be combined to undo a withheld value.
/// Every district figure is exact. A category's breakdown figures are exact when every respondent
/// in it is still named (ExportedCategory::isComplete); the codebook lists which.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "analytics/Profile.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::analytics {

/// The value a demographic cell holds when it is withheld for privacy.
inline constexpr const char* kWithheldValue = "withheld";

/// The value an item cell holds for an answer with unscored option `code` ("don't know"):
/// "unscored-9". The codebook names it; the recipes read it as missing when they score.
inline std::string unscoredValue(int code) { return "unscored-" + std::to_string(code); }

struct ExportOptions {
    /// The crossed pair of the profile that is published beside the export; the export keeps that
    /// table's hidden cells from being recovered too. Use the options the profile is built with.
    ProfileOptions profile;
    /// Question ids, the first withheld first when a combination is too rare. Questions the list does
    /// not name are withheld before all of them, the one with the most categories first. Default:
    /// years in the district (the least used breakdown), school, role, and race/ethnicity last
    /// (the breakdown equity work is about, and with role the profile's crossed table).
    std::vector<std::string> withholdingOrder = {"years", "school", "role", "race"};
};

/// What the export names for one category of a demographic question. Holds only what a reader of
/// the export and the profile can already see.
struct ExportedCategory {
    std::string id;
    std::int64_t rows = 0;     ///< rows that name this category
    bool isComplete = true;    ///< every respondent in the category is named so (true for an empty one)
    bool isWithheldEverywhere = false;  ///< has respondents, none named
};

struct ExportedQuestion {
    std::string questionId;
    std::int64_t withheldRows = 0;  ///< rows whose value of this question is "withheld"
    std::vector<ExportedCategory> categories;  ///< in categoriesOf order
};

struct ExportedInstrument {
    std::string key;  ///< id@version
    /// Every exported score of this instrument equals the SDK default (mean of the answered keyed
    /// items when at least minAnswered are answered); false when the plugin scores otherwise.
    bool isDefaultScoring = true;
    /// The plugin's failure while scoring (loader::PluginFailure::message), empty when none: its
    /// scale columns are then empty in every row.
    std::string failure;
};

struct ExportSummary {
    std::string surveyId;
    int minGroupSize = 5;
    std::int64_t responses = 0;  ///< responses read
    std::int64_t rows = 0;       ///< rows written: all responses, or none when fewer than minGroupSize
    std::vector<std::string> columns;
    std::vector<std::string> withholdingOrder;  ///< question ids, as applied
    std::vector<ExportedQuestion> questions;    ///< one per demographic question, in survey order
    std::vector<ExportedInstrument> instruments;
};

/// Reads every response once and writes the CSV (RFC 4180: header row, CRLF line ends, UTF-8,
/// quoted fields where needed) to `csv`, sorted by content. Builds the profile (with
/// options.profile) to know what it hides. Keeps the responses in memory meanwhile: about 100 bytes
/// each for the demo survey, a few seconds per million. Pure and thread-safe for distinct streams.
/// Throws std::invalid_argument when a stored response does not fit the survey's layout, or a
/// column name or choice id would be ambiguous. Save as `<survey-id>-responses.csv`: the
/// codebook's recipes read that name.
ExportSummary writeRawExport(const surveys::SurveyDefinition& survey, const ResponseSource& responses, std::ostream& csv,
                             const ExportOptions& options = {});

/// Writes the codebook as CSV (variable, kind, label, type, values, notes): first rows of kind
/// "about" (the file, the privacy rule with the withheld counts, which figures are exact, and how to
/// recompute them in R and in Python with pandas), then one row per column of the export, in order.
/// `summary` is what writeRawExport returned for the same survey. Save as `<survey-id>-codebook.csv`.
void writeCodebook(const surveys::SurveyDefinition& survey, const ExportSummary& summary, std::ostream& out);

}  // namespace mindset::analytics
