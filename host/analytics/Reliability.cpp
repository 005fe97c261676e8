#include "analytics/Reliability.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "analytics/Quantiles.h"

namespace mindset::analytics {

ItemMatrix::ItemMatrix(std::span<const double> cells, std::size_t itemCount)
    : cells_(cells), items_(itemCount), respondents_(itemCount == 0 ? 0 : cells.size() / itemCount) {
    if (itemCount == 0) throw std::invalid_argument("ItemMatrix: expected at least 1 item, got 0");
    if (cells.size() % itemCount != 0)
        throw std::invalid_argument("ItemMatrix: " + std::to_string(cells.size()) + " cells is not a whole number of rows of " +
                                    std::to_string(itemCount) + " items");
}

ItemCovariance::ItemCovariance(std::size_t itemCount)
    : k_(itemCount), shift_(itemCount, 0.0), sums_(itemCount, 0.0), products_(itemCount * itemCount, 0.0),
      deviations_(itemCount, 0.0) {
    if (itemCount == 0) throw std::invalid_argument("ItemCovariance: expected at least 1 item, got 0");
}

void ItemCovariance::add(std::span<const double> keyedRow) {
    if (keyedRow.size() != k_)
        throw std::invalid_argument("ItemCovariance::add: expected a row of " + std::to_string(k_) + " items, got " +
                                    std::to_string(keyedRow.size()));
    if (n_ == 0) {
        if (std::any_of(keyedRow.begin(), keyedRow.end(), [](double v) { return std::isnan(v); })) {
            ++dropped_;
            return;
        }
        // Deviations from a typical row rather than from 0: the sums then stay small and
        // sum(xy) - sum(x)sum(y)/n loses no digits to cancellation.
        std::copy(keyedRow.begin(), keyedRow.end(), shift_.begin());
        ++n_;
        return;
    }
    // Local restrict pointers: the compiler may then keep d in registers and vectorize the
    // products instead of reloading after every store (this loop is the whole cost of alpha).
    const std::size_t k = k_;
    double* __restrict d = deviations_.data();
    const double* __restrict x = keyedRow.data();
    const double* __restrict shift = shift_.data();
    bool isMissing = false;
    for (std::size_t i = 0; i < k; ++i) {
        d[i] = x[i] - shift[i];
        isMissing |= std::isnan(x[i]);
    }
    if (isMissing) {
        ++dropped_;
        return;
    }
    double* __restrict sums = sums_.data();
    double* __restrict products = products_.data();
    for (std::size_t i = 0; i < k; ++i) {
        const double di = d[i];
        sums[i] += di;
        double* __restrict row = products + i * k;
        for (std::size_t j = i; j < k; ++j) row[j] += di * d[j];
    }
    ++n_;
}

double ItemCovariance::covariance(std::size_t i, std::size_t j) const {
    if (i >= k_ || j >= k_)
        throw std::out_of_range("ItemCovariance::covariance: item " + std::to_string(i > j ? i : j) + " of " + std::to_string(k_));
    if (n_ < 2) throw std::logic_error("ItemCovariance::covariance: needs 2 complete rows, has " + std::to_string(n_));
    if (i > j) std::swap(i, j);
    const double n = static_cast<double>(n_);
    return (products_[i * k_ + j] - sums_[i] * sums_[j] / n) / (n - 1);
}

Reliability ItemCovariance::reliability() const {
    Reliability r;
    r.items = k_;
    r.respondents = n_;
    r.droppedRespondents = dropped_;
    if (k_ < 2 || n_ < 2) return r;

    const std::size_t k = k_;
    const double kd = static_cast<double>(k);
    std::vector<double> c(k * k);
    for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = i; j < k; ++j) c[i * k + j] = c[j * k + i] = covariance(i, j);

    double sumItemVariances = 0;
    double totalVariance = 0;  // the variance of the sum score is the sum of every covariance
    std::vector<double> rowSums(k, 0.0);
    for (std::size_t i = 0; i < k; ++i) {
        sumItemVariances += c[i * k + i];
        for (std::size_t j = 0; j < k; ++j) rowSums[i] += c[i * k + j];
        totalVariance += rowSums[i];
    }
    if (totalVariance > 0) {
        r.alpha = kd / (kd - 1) * (1 - sumItemVariances / totalVariance);
        r.alphaCi95 = feldtInterval(*r.alpha, n_, k);
    }

    bool everyItemVaries = true;
    for (std::size_t i = 0; i < k; ++i) everyItemVaries = everyItemVaries && c[i * k + i] > 0;
    if (everyItemVaries) {
        double sumOffDiagonal = 0;
        for (std::size_t i = 0; i < k; ++i)
            for (std::size_t j = i + 1; j < k; ++j) sumOffDiagonal += c[i * k + j] / std::sqrt(c[i * k + i] * c[j * k + j]);
        const double meanR = sumOffDiagonal / (kd * (kd - 1) / 2);
        r.meanInterItemCorrelation = meanR;
        // psych computes (1 - k / sum(R)) k / (k - 1), the same number.
        if (const double denominator = 1 + (kd - 1) * meanR; denominator != 0) r.standardizedAlpha = kd * meanR / denominator;
    }

    r.perItem.resize(k);
    for (std::size_t i = 0; i < k; ++i) {
        const double itemVariance = c[i * k + i];
        const double covarianceWithRest = rowSums[i] - itemVariance;
        const double restVariance = totalVariance - 2 * rowSums[i] + itemVariance;
        auto& item = r.perItem[i];
        if (itemVariance > 0 && restVariance > 0) item.correctedItemTotal = covarianceWithRest / std::sqrt(itemVariance * restVariance);
        if (k >= 3 && restVariance > 0)
            item.alphaIfDropped = (kd - 1) / (kd - 2) * (1 - (sumItemVariances - itemVariance) / restVariance);
    }
    return r;
}

Reliability cronbachAlpha(const ItemMatrix& m) {
    ItemCovariance accumulator(m.items());
    for (std::size_t r = 0; r < m.respondents(); ++r) accumulator.add(m.row(r));
    return accumulator.reliability();
}

std::optional<Interval> feldtInterval(double alpha, std::int64_t respondents, std::size_t items) {
    if (respondents < 2 || items < 2 || std::isnan(alpha)) return std::nullopt;
    // Feldt (1965), Psychometrika 30, 357-370: (1 - α) / (1 - α̂) follows F(n-1, (n-1)(k-1)), so
    // [1 - (1-α̂) F(.975), 1 - (1-α̂) F(.025)] covers α with 95% probability. This is also
    // Feldt, Woodruff & Salih (1987) eq. 4 and exactly psych::alpha.ci (psych 2.2.9), which
    // psych::alpha reports as $feldt with n.obs = nrow(x).
    const double df1 = static_cast<double>(respondents - 1);
    const double df2 = df1 * static_cast<double>(items - 1);
    return Interval{1 - (1 - alpha) * detail::fisherQuantile(0.975, df1, df2),
                    1 - (1 - alpha) * detail::fisherQuantile(0.025, df1, df2)};
}

}  // namespace mindset::analytics
