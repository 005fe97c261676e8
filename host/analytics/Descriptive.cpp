#include "analytics/Descriptive.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "analytics/Quantiles.h"

namespace mindset::analytics {

Moments Moments::fromParts(std::int64_t count, double mean, double sumSquaredDeviations) {
    Moments m;
    m.n_ = count;
    m.mean_ = count > 0 ? mean : 0;
    m.m2_ = count > 1 ? std::max(0.0, sumSquaredDeviations) : 0;
    return m;
}

Moments Moments::of(std::span<const double> values) {
    // Two passes rather than Welford: no division per value, and the mean is sum / n as in R.
    std::int64_t n = 0;
    double sum = 0;
    for (double v : values) {
        if (std::isnan(v)) continue;
        sum += v;
        ++n;
    }
    if (n == 0) return {};
    const double mean = sum / static_cast<double>(n);
    double m2 = 0;
    for (double v : values) {
        if (std::isnan(v)) continue;
        const double d = v - mean;
        m2 += d * d;
    }
    return fromParts(n, mean, m2);
}

void Moments::add(double value) {
    if (std::isnan(value)) return;
    ++n_;
    const double delta = value - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_ += delta * (value - mean_);
}

void Moments::merge(const Moments& other) {
    if (other.n_ == 0) return;
    if (n_ == 0) {
        *this = other;
        return;
    }
    const double n1 = static_cast<double>(n_);
    const double n2 = static_cast<double>(other.n_);
    const double n = n1 + n2;
    const double delta = other.mean_ - mean_;
    mean_ += delta * n2 / n;
    m2_ += other.m2_ + delta * delta * n1 * n2 / n;
    n_ += other.n_;
}

Moments Moments::without(const Moments& part) const {
    if (part.n_ > n_) throw std::invalid_argument("Moments::without: the part has " + std::to_string(part.n_) +
                                                  " values, more than the whole's " + std::to_string(n_));
    if (part.n_ == 0) return *this;
    const std::int64_t restCount = n_ - part.n_;
    if (restCount == 0) return {};
    // Chan's merge solved for the rest: whole = merge(part, rest).
    const double n = static_cast<double>(n_);
    const double n1 = static_cast<double>(part.n_);
    const double n2 = static_cast<double>(restCount);
    const double restMean = (n * mean_ - n1 * part.mean_) / n2;
    const double delta = restMean - part.mean_;
    const double restM2 = m2_ - part.m2_ - delta * delta * n1 * n2 / n;
    return fromParts(restCount, restMean, restM2);
}

std::optional<double> Moments::variance() const {
    if (n_ < 2) return std::nullopt;
    return m2_ / static_cast<double>(n_ - 1);
}

Summary summarize(const Moments& moments) {
    Summary s;
    s.n = moments.count();
    if (s.n == 0) return s;
    s.mean = moments.mean();
    const auto variance = moments.variance();
    if (!variance) return s;
    s.sd = std::sqrt(*variance);
    s.standardError = *s.sd / std::sqrt(static_cast<double>(s.n));
    const double halfWidth = detail::studentQuantile975(static_cast<double>(s.n - 1)) * *s.standardError;
    s.meanCi95 = Interval{*s.mean - halfWidth, *s.mean + halfWidth};
    return s;
}

Summary summarize(std::span<const double> values) { return summarize(Moments::of(values)); }

Proportion proportion(std::int64_t count, std::int64_t n) {
    if (count < 0 || n < 0 || count > n)
        throw std::invalid_argument("proportion: expected 0 <= count <= n, got count " + std::to_string(count) + " and n " +
                                    std::to_string(n));
    Proportion p;
    p.count = count;
    p.n = n;
    if (n == 0) return p;
    const double nn = static_cast<double>(n);
    const double share = static_cast<double>(count) / nn;
    p.share = share;
    // Wilson (1927) score interval, the one R's prop.test(x, n, correct = FALSE) reports:
    // (p + z²/2n -+ z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n). Unlike the Wald interval it stays inside
    // [0, 1] and keeps its coverage for small groups and shares near 0% or 100%.
    const double z = detail::normalQuantile975();
    const double z2 = z * z;
    const double denominator = 1 + z2 / nn;
    const double centre = (share + z2 / (2 * nn)) / denominator;
    const double halfWidth = z * std::sqrt(share * (1 - share) / nn + z2 / (4 * nn * nn)) / denominator;
    p.wilson95 = Interval{std::max(0.0, centre - halfWidth), std::min(1.0, centre + halfWidth)};
    return p;
}

Proportion favorableShare(std::span<const double> scores, double favorableAtLeast) {
    std::int64_t n = 0;
    std::int64_t favorable = 0;
    for (double score : scores) {
        if (std::isnan(score)) continue;
        ++n;
        // No tolerance: a scale score is one correctly rounded division of integer sums, and
        // rounding is monotone, so a true score >= the threshold never rounds below it.
        if (score >= favorableAtLeast) ++favorable;
    }
    return proportion(favorable, n);
}

namespace {

template <typename Code>
std::vector<std::int64_t> countCodes(std::span<const Code> codes, int minCode, int maxCode) {
    if (minCode < 1 || maxCode < minCode)
        throw std::invalid_argument("distribution: expected 1 <= minCode <= maxCode, got " + std::to_string(minCode) +
                                    ".." + std::to_string(maxCode));
    std::vector<std::int64_t> counts(static_cast<std::size_t>(maxCode) + 1, 0);
    for (Code code : codes) {
        const int c = static_cast<int>(code);
        if (c != 0 && (c < minCode || c > maxCode))
            throw std::out_of_range("distribution: response code " + std::to_string(c) + " is outside " +
                                    std::to_string(minCode) + ".." + std::to_string(maxCode) + " (0 = not answered)");
        ++counts[static_cast<std::size_t>(c)];
    }
    return counts;
}

}  // namespace

std::vector<std::int64_t> distribution(std::span<const int> codes, int minCode, int maxCode) {
    return countCodes(codes, minCode, maxCode);
}

std::vector<std::int64_t> distribution(std::span<const std::uint8_t> codes, int minCode, int maxCode) {
    return countCodes(codes, minCode, maxCode);
}

}  // namespace mindset::analytics
