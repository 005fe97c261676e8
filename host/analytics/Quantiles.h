#pragma once
/// Internal to analytics: the distribution quantiles and tail probabilities the statistics use,
/// from Boost.Math (header-only). Each agrees with R's qnorm/qt/pt/qf to ~1e-15 relative.

#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace mindset::analytics::detail {

/// R: qnorm(0.975) = 1.959963984540054.
inline double normalQuantile975() {
    static const double z = boost::math::quantile(boost::math::normal_distribution<double>(), 0.975);
    return z;
}

/// R: qt(0.975, df); df may be fractional (Welch).
inline double studentQuantile975(double degreesOfFreedom) {
    return boost::math::quantile(boost::math::students_t_distribution<double>(degreesOfFreedom), 0.975);
}

/// R: 2 * pt(-abs(t), df).
inline double studentTwoSidedP(double t, double degreesOfFreedom) {
    const boost::math::students_t_distribution<double> dist(degreesOfFreedom);
    return 2 * boost::math::cdf(boost::math::complement(dist, t < 0 ? -t : t));
}

/// R: 2 * pnorm(-abs(z)).
inline double normalTwoSidedP(double z) {
    return 2 * boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double>(), z < 0 ? -z : z));
}

/// R: qf(p, df1, df2).
inline double fisherQuantile(double p, double df1, double df2) {
    return boost::math::quantile(boost::math::fisher_f_distribution<double>(df1, df2), p);
}

}  // namespace mindset::analytics::detail
