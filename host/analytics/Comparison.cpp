#include "analytics/Comparison.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>

#include "analytics/Quantiles.h"

namespace mindset::analytics {

GroupComparison compareGroups(const Moments& group, const Moments& rest) {
    GroupComparison result;
    result.group = summarize(group);
    result.rest = summarize(rest);
    if (group.count() == 0 || rest.count() == 0) return result;
    const double difference = group.mean() - rest.mean();
    result.difference = difference;
    if (group.count() < 2 || rest.count() < 2) return result;

    const double n1 = static_cast<double>(group.count());
    const double n2 = static_cast<double>(rest.count());
    const double v1 = *group.variance() / n1;
    const double v2 = *rest.variance() / n2;
    const double se2 = v1 + v2;
    const double welchDf = se2 * se2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
    // Both groups constant: no test (R's t.test stops with "data are essentially constant").
    if (se2 > 0 && std::isfinite(welchDf) && welchDf > 0) {
        WelchTest w;
        w.standardError = std::sqrt(se2);
        w.degreesOfFreedom = welchDf;
        w.t = difference / w.standardError;
        w.pValue = detail::studentTwoSidedP(w.t, w.degreesOfFreedom);
        const double halfWidth = detail::studentQuantile975(w.degreesOfFreedom) * w.standardError;
        w.differenceCi95 = Interval{difference - halfWidth, difference + halfWidth};
        result.welch = w;
    }

    const double pooledDf = n1 + n2 - 2;
    const double pooledSd = std::sqrt((group.sumSquaredDeviations() + rest.sumSquaredDeviations()) / pooledDf);
    if (pooledSd > 0) {
        HedgesG h;
        h.cohensD = difference / pooledSd;
        // Hedges (1981) approximation of the exact J = Γ(df/2) / (sqrt(df/2) Γ((df-1)/2)), as in
        // Borenstein et al. (2009) eq. 4.22 and Hedges & Olkin (1985). J differs from the exact form
        // by 9.4e-4 at n1 + n2 = 8, 1.0e-4 at 20, 1.4e-5 at 50 (tests/reference/comparison.R);
        // equity comparisons have groups far larger than that.
        h.correction = 1 - 3 / (4 * pooledDf - 1);
        h.g = h.correction * h.cohensD;
        // Large-sample variance of d (Hedges & Olkin 1985 eq. 5.15; Borenstein et al. 2009
        // eq. 4.20), times J² (eq. 4.24); the interval is the normal approximation g -+ z SE.
        const double varianceD = (n1 + n2) / (n1 * n2) + h.cohensD * h.cohensD / (2 * (n1 + n2));
        h.standardError = h.correction * std::sqrt(varianceD);
        const double halfWidth = detail::normalQuantile975() * h.standardError;
        h.ci95 = Interval{h.g - halfWidth, h.g + halfWidth};
        result.hedgesG = h;
    }
    return result;
}

GroupComparison compareGroups(std::span<const double> group, std::span<const double> rest) {
    return compareGroups(Moments::of(group), Moments::of(rest));
}

std::vector<double> benjaminiHochberg(std::span<const double> pValues) {
    std::vector<double> adjusted(pValues.begin(), pValues.end());
    std::vector<std::size_t> order;
    order.reserve(pValues.size());
    for (std::size_t i = 0; i < pValues.size(); ++i) {
        const double p = pValues[i];
        if (std::isnan(p)) continue;
        if (p < 0 || p > 1) throw std::invalid_argument("benjaminiHochberg: p-value " + std::to_string(i) + " is " + std::to_string(p) + ", expected 0..1");
        order.push_back(i);
    }
    // Largest p first: q_(i) = min over j >= i of m p_(j) / j, capped at 1 (R's cummin form).
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pValues[a] > pValues[b]; });
    const double m = static_cast<double>(order.size());
    double running = 1;
    for (std::size_t position = 0; position < order.size(); ++position) {
        const double rank = m - static_cast<double>(position);
        running = std::min(running, m / rank * pValues[order[position]]);
        adjusted[order[position]] = running;
    }
    return adjusted;
}

}  // namespace mindset::analytics
