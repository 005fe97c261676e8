#pragma once
/// Goals and progress monitoring (docs/goals.md): a district's goal for one scale (its mean, its %
/// favorable, or the gap between a group and the rest of the district), followed through the
/// district's years, with a status per year and the evidence for it. Pure functions of the
/// protected profiles (SurveyYear.h): a figure hidden in a year's profile is no data here too.
///
/// The rule, per year with a figure:
/// - baseline: the goal's baseline year, else the first year with a figure; the line to the
///   target runs from the baseline's figure (at its school year) to the target (at the target
///   school year), and stays at the target afterwards;
/// - met: the figure reaches the target (mean or % favorable >= target; gap: |gap| <= target);
/// - otherwise, in or after the target year: off track (the year came and the target was not reached);
/// - otherwise on track when the 95% interval still reaches the line (the figure is not clearly
///   behind it), off track when the whole interval is behind the line.
/// A year before the baseline is shown without a judgement; a year without a figure (hidden, the
/// scale or group not in that survey, another instrument version than the baseline's) is no data.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/Descriptive.h"
#include "analytics/Suppression.h"
#include "analytics/SurveyYear.h"

namespace mindset::analytics {

enum class GoalMeasure {
    Mean,       ///< the scale's mean, on the instrument's response scale
    Favorable,  ///< % favorable, 0-100
    Gap,        ///< |group mean - rest of the district's mean|, in scale points; to be closed
};

/// A goal's group: a demographic question and one of its categories (Category::id).
struct GoalGroup {
    std::string questionId;
    std::string categoryId;
};

struct Goal {
    std::string instrumentId;  ///< without version, e.g. "equity-excellence"
    std::string scaleId;
    GoalMeasure measure = GoalMeasure::Mean;
    std::optional<GoalGroup> group;  ///< none: the whole district; required for a gap
    double target = 0;               ///< in the measure's units (see GoalMeasure)
    std::string targetYear;          ///< "YYYY-YYYY"
    std::optional<std::string> baselineYear;
};

enum class GoalStatus {
    Met,
    OnTrack,
    OffTrack,
    NoData,
    BeforeBaseline,  ///< a year before the goal's baseline year: shown, not judged
};

/// Why a year has no figure for the goal.
enum class GoalNoData {
    None,                ///< it has one
    ScaleNotInSurvey,    ///< that year's survey does not use the instrument, or has no such scale
    GroupNotInSurvey,    ///< that year's survey does not ask the question, or has no such category
    Hidden,              ///< the profile hides the figure: see GoalYear::hidden
    OtherVersion,        ///< another instrument version than the baseline year's, not declared comparable for this scale
};

/// The goal in one of the district's years.
struct GoalYear {
    std::string schoolYear;
    std::string surveyId;
    std::string instrumentKey;  ///< id@version in that survey; empty when it does not use the instrument
    GoalNoData noData = GoalNoData::None;
    HiddenBecause hidden = HiddenBecause::Shown;  ///< when noData is Hidden
    int minGroupSize = 0;                         ///< that survey's minimum, for explaining a hidden figure
    /// The published figure: the mean, the % favorable (0-100), or for a gap the signed difference
    /// group - rest (the goal judges its absolute value).
    std::optional<double> value;
    std::optional<Interval> ci95;  ///< of `value`; none when the profile has none (e.g. no spread)
    /// The line's value in this year: what the goal expects by now. For a gap, a distance (>= 0).
    std::optional<double> expected;
    bool isBaseline = false;
    /// The target year has come (this year is the target year or later).
    bool isTargetYearReached = false;
    GoalStatus status = GoalStatus::NoData;
};

/// The goal in each of `years` (oldest first), with its status.
std::vector<GoalYear> goalProgress(const Goal& goal, const DistrictYears& years);

/// The 95% interval of |d| given the interval [lower, upper] of d: every |x| for x in it.
Interval absoluteInterval(Interval interval);

/// The first year of a school year "YYYY-YYYY" (2026 for "2026-2027"), or nullopt when `text` is
/// not two consecutive years in that form.
std::optional<int> schoolYearStart(std::string_view text);

/// A stable code for outputs: "met", "on-track", "off-track", "no-data", "before-baseline".
std::string_view goalStatusCode(GoalStatus status);
/// A stable code for outputs: "scale-not-in-survey", "group-not-in-survey", "hidden", "other-version"; "" for None.
std::string_view goalNoDataCode(GoalNoData reason);
/// "mean", "favorable", "gap"; and back (nullopt for anything else).
std::string_view goalMeasureCode(GoalMeasure measure);
std::optional<GoalMeasure> goalMeasureFromCode(std::string_view code);

/// The evidence for a year's status in one sentence or two, in `language` ("en" or "es"; others
/// get English): the figure with its interval, what the line expects by now, the target, and why
/// the status follows; or why there is no figure.
std::string goalEvidence(const Goal& goal, const GoalYear& year, const std::string& language);

/// A figure of this goal's measure as shown to people in `language` (analytics/NumberText): 2
/// decimals for a mean or gap, a whole percent for % favorable ("3.62", "−0.31", "64%"; "3,62").
std::string formatGoalValue(GoalMeasure measure, double value, const std::string& language);

/// A target as shown to people: like formatGoalValue, with more digits when it has them
/// (3.625 stays "3.625", 3.6 is "3.60", 70 is "70%").
std::string formatGoalTarget(GoalMeasure measure, double target, const std::string& language);

/// A goal as its CSV lists it: the goal, its id in the store, and the names people know it by.
struct ListedGoal {
    std::int64_t id = 0;
    Goal goal;
    std::string scaleTitle;
    std::string groupLabel;  ///< empty for the whole district
};

/// Every goal's progress as a CSV table (RFC 4180, header row, "\n" line ends; docs/goals.md), one
/// row per goal and school year of `years`, goals in the given order: the goal (id, instrument,
/// scale, scale title, measure, question, group, group label, target, target year, baseline year),
/// then goalProgress's year (school year, survey, instrument id@version, value, its 95% interval,
/// the line's expected value, status, 1 on the baseline year, the no-data reason and the hidden
/// reason). A year without a figure has empty figure columns; numbers have the shortest digits
/// that read back as the same double, as in the JSON.
std::string goalsToCsv(const std::vector<ListedGoal>& goals, const DistrictYears& years);

}  // namespace mindset::analytics
