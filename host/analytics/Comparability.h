#pragma once
/// Which scales and items of two instrument versions may be compared, so that a trend line
/// crosses a version change only where the instrument says so (sdk::Comparability) and shows the
/// break everywhere else. Pure functions, safe to call from any thread.
///
/// They trust a declaration as written: the loader refuses an instrument whose declaration does
/// not hold against the earlier version (loader::comparabilityProblems), so every pair of loaded
/// definitions that reaches here has been checked.

#include <functional>
#include <string>
#include <string_view>

#include <mindset/sdk.h>

namespace mindset::analytics {

/// Whether scores on scale `scaleId` of `earlier` and of `later` may stand in one trend line:
/// the same instrument id and either the same version with that scale, or one version declaring
/// the scale comparable with the other version (and the scale existing in both). False for
/// different instruments. The arguments may come in either order of version.
bool areScalesComparable(const sdk::Definition& earlier, const sdk::Definition& later, std::string_view scaleId);

/// The item of `earlier` that `later`'s item `laterItemId` repeats, for item-level comparisons:
/// the same item in the same version, or the declared mapping of a comparable scale's item.
/// Nullptr when there is none (other instrument, item of a scale that is not comparable, unknown
/// item). Points into `earlier`. The arguments may come in either order of version.
/// A comparability rule as a value, for code that takes one (tests substitute stricter rules).
/// `earlier` is the lower version, `later` the higher; both define `scaleId`.
using ScaleComparability =
    std::function<bool(const sdk::Definition& earlier, const sdk::Definition& later, const std::string& scaleId)>;

const sdk::Item* earlierItemFor(const sdk::Definition& earlier, const sdk::Definition& later, std::string_view laterItemId);

}  // namespace mindset::analytics
