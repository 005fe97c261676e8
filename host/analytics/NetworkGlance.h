#pragma once
/// The network at a glance: for network staff, every district's latest published results on one
/// screen — each scale's figure, its change since the district's previous school year with the
/// same verdict the district's own pages give, and its largest gap between a racial/ethnic group
/// and the rest of the district. A pure selection from each district's Trends (built from the
/// protected profiles of its releases): a figure a release hides is never read here, only marked.
///
/// Pure functions of their arguments (no I/O), safe to call from several threads.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <mindset/sdk.h>

#include "analytics/Peers.h"
#include "analytics/SurveyYear.h"
#include "analytics/Trends.h"

namespace mindset::analytics {

/// The demographic question whose groups the glance's gaps compare (as the district summary does).
inline constexpr const char* kGlanceGapQuestion = "race";

/// How a scale moved since the district's previous school year, as the district summary says it.
enum class GlanceChange {
    ClearlyUp,      ///< a real change upward (Trends: q < 0.05)
    ClearlyDown,    ///< a real change downward
    NoClearChange,  ///< tested, within noise
    FirstYear,      ///< the district has no earlier school year
    NotComparable,  ///< measured both years with versions that do not compare on this scale
    NotMeasured,    ///< the previous year did not measure the scale
    NoComparison,   ///< a figure of either year is hidden or missing, so nothing was compared
};

/// One scale of a district's latest school year.
struct GlanceScale {
    std::string instrumentId;
    std::string scaleId;
    PointState state = PointState::NotMeasured;  ///< of the latest year's district figure
    std::optional<double> mean;                  ///< when Shown
    std::optional<double> favorable;             ///< share 0..1, when Shown and the scale has one
    GlanceChange change = GlanceChange::NoComparison;
    std::optional<double> difference;  ///< latest mean minus the previous year's, when compared
};

/// The largest gap between one group of kGlanceGapQuestion and the rest of the district.
struct GlanceGap {
    sdk::LocalizedText group;
    sdk::LocalizedText scale;
    double difference = 0;  ///< the group's mean minus the rest's, as the profile publishes it
    bool isClear = false;   ///< the profile's q < 0.05 (beyond noise, as the summary says)
};

/// What the glance can say about gaps by race/ethnicity in a district's latest year.
enum class GlanceGapState {
    NotAsked,  ///< the survey does not ask kGlanceGapQuestion
    Hidden,    ///< asked, but the release shows no group's gap
    Shown,     ///< at least one group's gap is shown: `largest` is set
};

/// One district's latest release.
struct DistrictGlance {
    std::string districtId;
    std::string districtName;
    SurveyYear latest;                         ///< the latest school year's survey, profile and release
    std::optional<std::string> previousYear;   ///< the school year changes are measured from
    std::vector<GlanceScale> scales;           ///< the latest year's scales, in trend order
    GlanceGapState gapState = GlanceGapState::NotAsked;
    /// The largest clear gap, or when none is clear the largest shown one (isClear false).
    std::optional<GlanceGap> largest;
    std::size_t clearGaps = 0;  ///< how many group × scale gaps are beyond noise
};

/// Every district of `network` with at least one release, in the order given; a district with no
/// release yet is left out. Changes and verdicts come from buildTrends over the district's years.
std::vector<DistrictGlance> networkGlance(const PeerInput& network, const ScaleComparability& comparable = areScalesComparable);

/// A short, stable code for outputs ("clearly-up", "clearly-down", "no-clear-change", "first-year",
/// "not-comparable", "not-measured", "no-comparison").
std::string_view glanceChangeCode(GlanceChange change);

}  // namespace mindset::analytics
