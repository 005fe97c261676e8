#pragma once
/// Small-group protection. A cell (a group's figures on one scale) is shown only when it holds at
/// least the survey's minimum number of respondents, and no hidden cell can be recovered by
/// subtracting shown cells from a total that is shown elsewhere.
///
/// The rule, for every set of cells that add up to a total (a breakdown's cells add up to the
/// district; a row of a two-way table adds up to a cell of a one-way breakdown):
/// - when the total is published, the hidden cells of the set are either none, or at least two
///   whose combined size is at least the minimum: subtracting then yields at most the combined
///   figures of a group of at least the minimum size;
/// - when the total is itself a hidden cell, at least one of its parts is hidden too, or the
///   shown parts would add up to it.
/// Where a set fails, its smallest shown cell is hidden too ("complementary protection"), and all
/// sets are checked again until none fails.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace mindset::analytics {

/// Why a figure is hidden: internal only (see hiddenCode).
enum class HiddenBecause {
    Shown = 0,
    BelowMinimum,             ///< fewer respondents than the survey's minimum group size
    ComplementaryProtection,  ///< shown, it would let a hidden group be recovered by subtraction
    ComparisonBelowMinimum,   ///< (gaps) "the rest of the district" is below the minimum
};

/// The code outputs show: "hidden" for every reason (never which one: that would say which hidden
/// groups are small), "shown" for Shown. The reason stays internal.
std::string_view hiddenCode(HiddenBecause reason);

/// Cells whose sizes add up to a total: the district (always published) when `total` is empty,
/// else the cell `total` (e.g. a row of a two-way table adds up to a category of a breakdown).
struct CellSum {
    std::vector<std::size_t> parts;
    std::optional<std::size_t> total;
};

/// Decides which cells to hide. `sizes[i]` is cell i's number of respondents. Returns one reason
/// per cell.
std::vector<HiddenBecause> protectCells(const std::vector<std::int64_t>& sizes, const std::vector<CellSum>& sums,
                                        std::int64_t minimum);

/// The same, for sets that all add up to published totals.
std::vector<HiddenBecause> protectCells(const std::vector<std::int64_t>& sizes,
                                        const std::vector<std::vector<std::size_t>>& publishedSums, std::int64_t minimum);

}  // namespace mindset::analytics
