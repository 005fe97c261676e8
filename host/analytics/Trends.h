#pragma once
/// Trends: a district's figures across school years, per instrument and scale, for the district and
/// for every group of every breakdown question; the change since the previous survey with its
/// interval and Hedges' g; each group's gap against the rest of the district year by year and how
/// that gap changed; and one Benjamini-Hochberg adjustment over every test the trends report.
///
/// Privacy across years (docs/trends.md). Every figure a trend shows for a year is that year's
/// protected Profile figure, copied, never recomputed and never pooled across years (a pooled
/// figure minus the shown years would give a hidden year away). A change or a gap change is
/// computed only between two figures that are both shown; a group hidden in a year is a hole in
/// its line, with the profile's reason.
///
/// Pure functions of their arguments (no I/O), safe to call from several threads.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <mindset/sdk.h>

#include "analytics/Profile.h"
#include "analytics/Statistics.h"
#include "analytics/Comparability.h"
#include "analytics/SurveyYear.h"

namespace mindset::analytics {

/// What a trend knows about one group (or the district) in one school year.
enum class PointState {
    Shown,          ///< the profile shows the figures
    Hidden,         ///< the profile hides them; TrendPoint::hidden says why
    NoRespondents,  ///< the category existed that year but nobody with a score fell in it
    NotMeasured,    ///< that year's survey did not ask the question, offer the category or measure the scale
};

/// A group's figures on a scale in one school year, exactly as that year's profile has them.
struct TrendPoint {
    PointState state = PointState::NotMeasured;
    HiddenBecause hidden = HiddenBecause::Shown;  ///< the profile's reason, when Hidden
    std::optional<CellFigures> figures;           ///< when Shown: the profile's figures, copied
};

/// The change of a mean between two consecutive school years (later minus earlier), tested as two
/// independent samples from their shown n, mean and SD: Welch's t and Hedges' g.
struct YearChange {
    /// compareGroups(later, earlier): difference = later mean - earlier mean. Only difference,
    /// welch and hedgesG are published; group and rest are the two years' summaries rebuilt from
    /// n, mean and SD, so they are not published (the points carry the profile's own).
    GroupComparison comparison;
    std::optional<double> qValue;  ///< Benjamini-Hochberg over every test of the Trends
    /// q < 0.05: a real change. False when there was no test.
    bool isRealChange() const { return qValue && *qValue < kRealChangeBelowQ; }
    static constexpr double kRealChangeBelowQ = 0.05;
};

/// How a gap between a group and the rest of the district moved between two school years.
enum class GapDirection {
    WithinNoise,  ///< no test, or q >= 0.05
    Closing,      ///< |later gap| < |earlier gap| (it may have crossed zero, but ended nearer to it)
    Widening,     ///< |later gap| >= |earlier gap| on the same side of zero (or the earlier gap was 0)
    Reversed,     ///< |later gap| >= |earlier gap| on the other side of zero: the group moved from
                  ///< below the rest to further above it, or the other way round
};

/// The group's gap against the rest of the district in one school year, from that year's profile.
struct GapPoint {
    PointState state = PointState::NotMeasured;
    HiddenBecause hidden = HiddenBecause::Shown;  ///< the profile's Cell::gapHidden, when Hidden
    std::optional<GroupComparison> gap;           ///< when Shown: the profile's Cell::gap, copied
    std::optional<double> qValue;                 ///< the profile's Cell::gapQValue (within that year)
};

/// gap(later) - gap(earlier), the two years taken as independent samples:
/// SE = sqrt(SE_later² + SE_earlier²) from the two Welch standard errors, z = change / SE, normal
/// 95% interval and two-sided p.
struct GapChange {
    double change = 0;
    std::optional<double> standardError;  ///< both gaps have a Welch test
    std::optional<double> z;
    std::optional<double> pValue;
    std::optional<Interval> ci95;
    std::optional<double> qValue;  ///< Benjamini-Hochberg over every test of the Trends
    GapDirection direction = GapDirection::WithinNoise;
};

/// Whether the line of a scale continues from one school year to the next.
enum class LinkState {
    Connected,      ///< both years measured the scale with comparable instrument versions
    NotComparable,  ///< both measured it, but the versions are not comparable on this scale: a break
    NotMeasured,    ///< one of the years did not measure the scale: a hole
};

struct YearLink {
    LinkState state = LinkState::NotMeasured;
    std::string earlierKey;  ///< the instrument's id@version in the earlier year; empty if not fielded
    std::string laterKey;    ///< ... in the later year
};

/// One line: a point per school year and, per pair of consecutive years (Trends::schoolYears[k],
/// [k + 1]), the change when both points are shown and the link is Connected.
struct TrendSeries {
    std::vector<TrendPoint> points;                 ///< one per school year
    std::vector<std::optional<YearChange>> changes;  ///< one per pair of consecutive years
};

/// One category of a breakdown question across the years, matched by question id and category id.
struct GroupTrend {
    std::string categoryId;
    sdk::LocalizedText label;  ///< from the latest year that has the category
    TrendSeries series;
    std::vector<GapPoint> gaps;                       ///< one per school year
    std::vector<std::optional<GapChange>> gapChanges;  ///< one per pair of consecutive years
};

struct BreakdownTrend {
    std::string questionId;
    sdk::LocalizedText label;  ///< from the latest year that asks the question
    std::vector<GroupTrend> groups;  ///< the latest year's categories in its order, then older ones
};

struct ScaleTrend {
    std::string scaleId;
    sdk::LocalizedText title;  ///< from the latest version that has the scale
    std::vector<YearLink> links;  ///< one per pair of consecutive years
    TrendSeries district;
    std::vector<BreakdownTrend> breakdowns;
};

/// Where an instrument's figures come from in one school year.
struct InstrumentYear {
    std::size_t surveyIndex = 0;      ///< into the DistrictYears given to buildTrends
    std::size_t instrumentIndex = 0;  ///< into that survey's instruments
    const sdk::Definition* definition = nullptr;  ///< owned by the instrument registry
};

struct InstrumentTrend {
    std::string instrumentId;
    sdk::LocalizedText title;  ///< from the latest version
    std::vector<std::optional<InstrumentYear>> years;  ///< one per school year; none: not fielded
    std::vector<ScaleTrend> scales;  ///< the latest version's scales in order, then older ones
};

struct Trends {
    /// The district's school years, oldest first: the x axis of every series.
    std::vector<std::string> schoolYears;
    /// Instruments in the order the latest survey pins them, then any only older surveys pinned.
    std::vector<InstrumentTrend> instruments;
    /// How many tests the Benjamini-Hochberg adjustment counted (year changes and gap changes with a p-value).
    std::size_t testCount = 0;
};

/// The trends of a district. `years` is oldest school year first (DistrictYears). A school year's
/// figures for an instrument come from the first survey of that year (in `years` order) that pins
/// the instrument. Consecutive years are connected only when both measured the scale and
/// `comparable` (called with the earlier and later definitions) says so. Only shown figures are
/// compared; see the header comment for the privacy rule.
Trends buildTrends(const DistrictYears& years, const ScaleComparability& comparable = areScalesComparable);

/// The direction of a gap change that was tested: see GapDirection. `isReal` is q < 0.05.
GapDirection gapDirection(double earlierGap, double laterGap, bool isReal);

}  // namespace mindset::analytics
