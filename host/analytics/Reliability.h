#pragma once
/// Internal consistency of a scale: Cronbach's α (raw and standardized) with the Feldt 95%
/// interval, and per item the corrected item-total correlation and α if the item is dropped.
/// Pure code, safe to call from any thread (an ItemCovariance itself is not: one per thread).
/// See Statistics.h for the choices that change numbers.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "analytics/Descriptive.h"

namespace mindset::analytics {

/// A read-only view of keyed answers: one row per respondent, one column per item, row-major and
/// contiguous. Keyed means reverse keying is already applied (min + max - code on the declared
/// range). A missing answer is NaN. The view does not own the cells; they must outlive it.
class ItemMatrix {
public:
    /// Throws std::invalid_argument unless itemCount >= 1 and cells.size() is a multiple of it.
    ItemMatrix(std::span<const double> cells, std::size_t itemCount);

    std::size_t respondents() const noexcept { return respondents_; }
    std::size_t items() const noexcept { return items_; }
    /// The keyed answers of respondent r (r < respondents()).
    std::span<const double> row(std::size_t r) const noexcept { return cells_.subspan(r * items_, items_); }

private:
    std::span<const double> cells_;
    std::size_t items_;
    std::size_t respondents_;
};

/// Reliability of one item within its scale.
struct ItemReliability {
    /// Pearson correlation of the item with the sum of the OTHER items (psych: r.drop).
    /// Empty when the item or the rest-sum has no variance.
    std::optional<double> correctedItemTotal;
    /// Raw α of the scale without this item (psych: alpha.drop$raw_alpha). Empty when fewer than
    /// two items would remain or they have no total variance.
    std::optional<double> alphaIfDropped;
};

/// Cronbach's α of a scale over the respondents who answered every item (listwise).
struct Reliability {
    std::size_t items = 0;
    std::int64_t respondents = 0;         ///< complete rows used
    std::int64_t droppedRespondents = 0;  ///< rows with at least one missing answer, left out
    /// Raw α = k/(k-1) (1 - sum of item variances / variance of the total). Needs k >= 2, n >= 2 and
    /// a total with variance.
    std::optional<double> alpha;
    /// Standardized α = k r / (1 + (k-1) r), r the mean inter-item correlation. Empty when an item
    /// has no variance.
    std::optional<double> standardizedAlpha;
    std::optional<double> meanInterItemCorrelation;
    /// Feldt (1965) 95% interval of raw α (see feldtInterval).
    std::optional<Interval> alphaCi95;
    /// One entry per item, in column order; empty when alpha cannot be computed from the data
    /// (k < 2 or n < 2).
    std::vector<ItemReliability> perItem;
};

/// Accumulates in one pass what α needs: the count of complete rows, per-item sums and the item
/// cross-products. add() is O(k²) flops and allocates nothing, so a profile streams responses
/// through it (decoding each into a small buffer) instead of building an n × k matrix; memory is
/// O(k²). Sums are of deviations from the first complete row, which keeps the covariances
/// accurate whatever the values' location (the shifted-data algorithm).
class ItemCovariance {
public:
    /// Throws std::invalid_argument unless itemCount >= 1.
    explicit ItemCovariance(std::size_t itemCount);

    /// Adds one respondent's keyed answers (size items(); throws std::invalid_argument otherwise).
    /// A row with any NaN is counted in droppedRows() and otherwise ignored (listwise deletion).
    void add(std::span<const double> keyedRow);

    std::size_t items() const noexcept { return k_; }
    std::int64_t completeRows() const noexcept { return n_; }
    std::int64_t droppedRows() const noexcept { return dropped_; }
    /// Sample covariance (divisor n - 1) of items i and j over the complete rows; needs
    /// completeRows() >= 2.
    double covariance(std::size_t i, std::size_t j) const;
    /// α and the per-item statistics from what was added. O(k²), independent of n.
    Reliability reliability() const;

private:
    std::size_t k_;
    std::int64_t n_ = 0;
    std::int64_t dropped_ = 0;
    std::vector<double> shift_;       // the first complete row
    std::vector<double> sums_;        // sum of (x_i - shift_i)
    std::vector<double> products_;    // k × k, upper triangle: sum of (x_i - shift_i)(x_j - shift_j)
    std::vector<double> deviations_;  // scratch for add(), so add() never allocates
};

/// Cronbach's α of the keyed answers in `m`, listwise: one pass over the matrix, no copy of it.
Reliability cronbachAlpha(const ItemMatrix& m);

/// Feldt (1965) 95% interval of a sample α from n respondents and k items:
/// [1 - (1 - α) F(0.975; n-1, (n-1)(k-1)), 1 - (1 - α) F(0.025; n-1, (n-1)(k-1))].
/// Empty unless n >= 2 and k >= 2. R: psych::alpha.ci(alpha, n.obs = n, n.var = k).
std::optional<Interval> feldtInterval(double alpha, std::int64_t respondents, std::size_t items);

}  // namespace mindset::analytics
