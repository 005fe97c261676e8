#pragma once
/// Descriptive statistics: count, mean, SD and the mean's confidence interval; the share of
/// favorable respondents with its Wilson interval; the distribution of answers to an item.
/// Pure functions of their arguments, safe to call from any thread. See Statistics.h for the
/// choices that change numbers.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace mindset::analytics {

/// A two-sided 95% confidence interval.
struct Interval {
    double lower = 0;
    double upper = 0;
};

/// Count, mean and sum of squared deviations of a stream of values, updated one value at a time
/// (Welford 1962) and merged (Chan, Golub & LeVeque 1979): O(1) per value, no allocation, so a
/// profile can keep one per group while it reads the responses once. NaN values are skipped.
class Moments {
public:
    Moments() = default;
    /// From already computed parts; `sumSquaredDeviations` is sum((x - mean)^2).
    static Moments fromParts(std::int64_t count, double mean, double sumSquaredDeviations);
    /// From values, in two passes (mean, then squared deviations); NaN values are skipped.
    static Moments of(std::span<const double> values);

    /// Adds one value; NaN (a missing value) is ignored.
    void add(double value);
    /// Adds every value of `other`, as if they had been added one by one.
    void merge(const Moments& other);
    /// The values of *this that are not in `part`, where `part` holds a subset of them: a group's
    /// "rest of the district" from the district's and the group's moments, without a second pass.
    /// Loses a few digits when the rest is a tiny share of the whole.
    Moments without(const Moments& part) const;

    std::int64_t count() const noexcept { return n_; }
    /// Meaningful only when count() >= 1.
    double mean() const noexcept { return mean_; }
    double sumSquaredDeviations() const noexcept { return m2_; }
    /// Sample variance (divisor n - 1); empty when count() < 2.
    std::optional<double> variance() const;

private:
    std::int64_t n_ = 0;
    double mean_ = 0;
    double m2_ = 0;
};

/// n, mean, sample SD, standard error and the Student-t 95% interval of the mean.
struct Summary {
    std::int64_t n = 0;                    ///< values that are not NaN
    std::optional<double> mean;            ///< n >= 1
    std::optional<double> sd;              ///< sample SD (divisor n - 1); n >= 2
    std::optional<double> standardError;   ///< sd / sqrt(n); n >= 2
    std::optional<Interval> meanCi95;      ///< mean -+ t(0.975, n - 1) * standardError; n >= 2
};

/// Summarizes `values` (NaN = missing, skipped). Two passes over contiguous memory, no allocation.
/// Same numbers as R's mean(x), sd(x) and t.test(x)$conf.int on the non-missing values.
Summary summarize(std::span<const double> values);
/// Summarizes values that were accumulated into Moments.
Summary summarize(const Moments& moments);

/// A count out of n with its Wilson score 95% interval.
struct Proportion {
    std::int64_t count = 0;
    std::int64_t n = 0;
    std::optional<double> share;        ///< count / n; n >= 1
    std::optional<Interval> wilson95;   ///< Wilson (1927) score interval; n >= 1
};

/// `count` out of `n`, with its Wilson score interval (R: prop.test(count, n, correct = FALSE)).
/// Throws std::invalid_argument unless 0 <= count <= n.
Proportion proportion(std::int64_t count, std::int64_t n);

/// The share of respondents whose score is at least `favorableAtLeast` (Scale::favorableAtLeast),
/// among those with a score (NaN = no score, left out of n). One pass, no allocation.
Proportion favorableShare(std::span<const double> scores, double favorableAtLeast);

/// How many respondents gave each answer to one item: the result has maxCode + 1 entries,
/// result[c] counts code c and result[0] counts respondents who did not answer (code 0, as stored).
/// Entries below minCode stay 0. Counts raw codes (what people chose), before reverse keying.
/// Throws std::out_of_range naming the code when one is neither 0 nor in minCode..maxCode.
std::vector<std::int64_t> distribution(std::span<const int> codes, int minCode, int maxCode);
/// The same for codes stored one byte each.
std::vector<std::int64_t> distribution(std::span<const std::uint8_t> codes, int minCode, int maxCode);

}  // namespace mindset::analytics
