#pragma once
/// A district's trends as JSON (the API and the comparison page read it) and as one long CSV table.
/// Both carry only what Trends holds: each year's figures exactly as that year's protected profile
/// publishes them, hidden ones as their reason alone, and changes between shown figures.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "analytics/Trends.h"

namespace mindset::analytics {

/// Stable codes for outputs.
std::string_view pointStateCode(PointState state);       ///< "shown", "hidden", "no-respondents", "not-measured"
std::string_view linkStateCode(LinkState state);         ///< "connected", "versions-not-comparable", "not-measured"
std::string_view gapDirectionCode(GapDirection direction);  ///< "within-noise", "closing", "widening", "reversed"

/// Why two consecutive years have no change: the link's code when they are not connected, else
/// the state of the first of the two points that is not shown.
std::string_view unavailableCode(const YearLink& link, PointState earlier, PointState later);

/// Why a line breaks between two years, in words, in `language` (empty when connected).
std::string linkExplanation(const YearLink& link, const std::string& language);

/// Every figure of `trends`, with texts in `language` (falling back to English). `years` must be
/// the DistrictYears the trends were built from.
///
/// Shape: {district {id, name}, schoolYears [..], surveys [{id, schoolYear, title}],
/// multipleComparisons {method, tests, realChangeBelowQ}, instruments [{instrument, title,
/// years [{schoolYear, survey, version}], scales [{scale, title, links [{from, to, state, earlier,
/// later, explanation}], district {points, changes}, breakdowns [{question, label, groups
/// [{category, label, points, changes, gaps, gapChanges}]}]}]}]}. A point is {schoolYear, state}
/// plus the profile's figures (n, mean, sd, ci95, favorable) when shown or its reason (hidden,
/// hiddenExplanation) when hidden. A change is {from, to} plus difference, welch {se, df, t, p,
/// ci95}, hedgesG {g, se, ci95}, q, isRealChange; or `unavailable` with a code. A gap point is the
/// profile's gap (difference, welch with se, hedgesG, q within its year, isBeyondNoise); a gap
/// change is {from, to, change, se, z, p, ci95, q, direction} or `unavailable`.
nlohmann::json trendsToJson(const Trends& trends, const DistrictYears& years, const std::string& language);

/// The same figures as a CSV table (RFC 4180, header row, "\n" line ends), one row per instrument,
/// scale, group and school year; the district's rows have empty question and group columns. The
/// change and gap-change columns of a row compare it with the previous school year.
std::string trendsToCsv(const Trends& trends, const DistrictYears& years);

}  // namespace mindset::analytics
