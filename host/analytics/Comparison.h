#pragma once
/// Equity gaps: one group against the rest of the district (Welch's t, Hedges' g), and the
/// Benjamini-Hochberg adjustment for the many gaps a profile reports at once.
/// Pure functions, safe to call from any thread. See Statistics.h for the choices that change numbers.

#include <optional>
#include <span>
#include <vector>

#include "analytics/Descriptive.h"

namespace mindset::analytics {

/// Welch's unequal-variance t test of the difference of means (group - rest).
/// Same numbers as R's t.test(group, rest, var.equal = FALSE).
struct WelchTest {
    double standardError = 0;     ///< sqrt(s1²/n1 + s2²/n2)
    double degreesOfFreedom = 0;  ///< Welch-Satterthwaite
    double t = 0;                 ///< difference / standardError
    double pValue = 0;            ///< two-sided
    Interval differenceCi95;      ///< difference -+ t(0.975, df) * standardError
};

/// Hedges' g: the difference in pooled-SD units, corrected for small-sample bias.
struct HedgesG {
    double cohensD = 0;        ///< difference / pooled SD (divisor n1 + n2 - 2)
    double correction = 0;     ///< J = 1 - 3 / (4 (n1 + n2) - 9)
    double g = 0;              ///< J * d
    double standardError = 0;  ///< J * sqrt((n1 + n2)/(n1 n2) + d² / (2 (n1 + n2)))
    Interval ci95;             ///< g -+ qnorm(0.975) * standardError
};

/// A group compared with the rest (typically the rest of the district).
struct GroupComparison {
    Summary group;
    Summary rest;
    std::optional<double> difference;  ///< group mean - rest mean; both n >= 1
    std::optional<WelchTest> welch;    ///< both n >= 2 and not both without variance
    std::optional<HedgesG> hedgesG;    ///< both n >= 2 and a pooled SD above 0
};

/// Compares `group` with `rest` (NaN = missing, skipped). Two passes over each, no allocation.
GroupComparison compareGroups(std::span<const double> group, std::span<const double> rest);
/// The same from accumulated moments (see Moments::without for "the rest of the district").
GroupComparison compareGroups(const Moments& group, const Moments& rest);

/// Benjamini-Hochberg (1995) adjusted p-values (q-values), in the order of `pValues`; R's
/// p.adjust(p, method = "BH"). NaN (no test) stays NaN and does not count among the m tests.
/// O(m log m). Throws std::invalid_argument for a p-value outside [0, 1].
std::vector<double> benjaminiHochberg(std::span<const double> pValues);

}  // namespace mindset::analytics
