// Independent values: tests/reference/comparison.R (R 4.2.2): t.test(x, y, var.equal = FALSE) and
// Hedges' g written out in R with the formulas of Borenstein et al. (2009); 12 significant digits.
#include <catch2/catch.hpp>

#include <limits>
#include <vector>

#include "analytics/Statistics.h"

using namespace mindset::analytics;

namespace {

constexpr double kMargin = 1e-9;
const double kMissing = std::numeric_limits<double>::quiet_NaN();

struct Expected {
    double difference, standardError, df, t, p, lower, upper;  // t.test
    double d, j, g, gStandardError, gLower, gUpper;            // hedges() in comparison.R
};

void checkAgainst(const GroupComparison& c, const Expected& e) {
    REQUIRE(c.difference);
    REQUIRE(c.welch);
    REQUIRE(c.hedgesG);
    CHECK(*c.difference == Approx(e.difference).margin(kMargin));
    CHECK(c.welch->standardError == Approx(e.standardError).margin(kMargin));
    CHECK(c.welch->degreesOfFreedom == Approx(e.df).margin(kMargin));
    CHECK(c.welch->t == Approx(e.t).margin(kMargin));
    CHECK(c.welch->pValue == Approx(e.p).margin(kMargin));
    CHECK(c.welch->differenceCi95.lower == Approx(e.lower).margin(kMargin));
    CHECK(c.welch->differenceCi95.upper == Approx(e.upper).margin(kMargin));
    CHECK(c.hedgesG->cohensD == Approx(e.d).margin(kMargin));
    CHECK(c.hedgesG->correction == Approx(e.j).margin(kMargin));
    CHECK(c.hedgesG->g == Approx(e.g).margin(kMargin));
    CHECK(c.hedgesG->standardError == Approx(e.gStandardError).margin(kMargin));
    CHECK(c.hedgesG->ci95.lower == Approx(e.gLower).margin(kMargin));
    CHECK(c.hedgesG->ci95.upper == Approx(e.gUpper).margin(kMargin));
}

}  // namespace

TEST_CASE("a hand-worked group against the rest: Welch's t and Hedges' g", "[unit][analytics]") {
    // group {4, 5, 6}: mean 5, var 1; rest {1, 2, 3, 4, 5}: mean 3, var 2.5; difference 2.
    // Welch: se² = 1/3 + 2.5/5 = 0.8333333, se = 0.9128709, t = 2 / se = 2.1908902,
    // df = 0.8333333² / ((1/3)²/2 + 0.5²/4) = 0.6944444 / 0.1180556 = 5.8823529 (= 100/17).
    // Hedges: pooled var = (2 * 1 + 4 * 2.5) / 6 = 2, d = 2 / sqrt(2) = 1.4142136,
    // J = 1 - 3 / (4 * 8 - 9) = 20/23 = 0.8695652, g = 1.2297509;
    // var(d) = 8/15 + 2/16 = 0.6583333, se(g) = J sqrt(0.6583333) = 0.7055456, g -+ 1.959964 se.
    const std::vector<double> group{4, 5, 6};
    const std::vector<double> rest{1, 2, 3, 4, 5};
    const auto c = compareGroups(group, rest);
    CHECK(c.group.n == 3);
    CHECK(c.rest.n == 5);
    checkAgainst(c, {2, 0.912870929175, 5.88235294118, 2.19089023002, 0.0718865965923, -0.244588684551, 4.24458868455,
                     1.41421356237, 0.869565217391, 1.2297509238, 0.705545590994, -0.153093023996, 2.6125948716});
}

TEST_CASE("a school's scores against the rest of the district match t.test", "[unit][analytics]") {
    const std::vector<double> school{3.2, 4.1, 3.8, 2.9, 4.4, 3.6, 3.0, 4.0, 3.3};
    const std::vector<double> rest{3.9, 4.2, 4.6, 3.7, 4.8, 4.1, 3.5, 4.4, 4.0, 4.5, 3.8, 4.3, 4.7};
    checkAgainst(compareGroups(school, rest),
                 {-0.603418803419, 0.20711422839, 14.3153387584, -2.91345895504, 0.0111239551499, -1.04671838347,
                  -0.160119223365, -1.32657654654, 0.962025316456, -1.27620022199, 0.459390774776, -2.17658959538,
                  -0.375810848597});
}

TEST_CASE("missing scores are left out of a comparison", "[unit][analytics]") {
    // R: t.test(c(2.5, 3, NA, 3.5, 4), c(3, 3.25, 4.5, 4, 5, NA)) drops the NAs the same way.
    const std::vector<double> group{2.5, 3, kMissing, 3.5, 4};
    const std::vector<double> rest{3, 3.25, 4.5, 4, 5, kMissing};
    const auto c = compareGroups(group, rest);
    CHECK(c.group.n == 4);
    CHECK(c.rest.n == 5);
    checkAgainst(c, {-0.7, 0.494132236012, 6.99989128367, -1.41662484045, 0.199522305549, -1.86844074754,
                     0.468440747536, -0.920279077371, 0.888888888889, -0.818025846552, 0.626682902521, -2.04630176522,
                     0.410250072117});
}

TEST_CASE("a comparison reports only what the group sizes and spreads allow", "[unit][analytics]") {
    const std::vector<double> none{};
    const std::vector<double> one{4};
    const std::vector<double> some{1, 2, 3};
    const std::vector<double> flat{3, 3, 3};

    const auto empty = compareGroups(none, some);
    CHECK_FALSE(empty.difference);
    CHECK_FALSE(empty.welch);

    const auto single = compareGroups(one, some);
    CHECK(*single.difference == Approx(2.0).margin(kMargin));
    CHECK_FALSE(single.welch);
    CHECK_FALSE(single.hedgesG);

    // R's t.test stops with "data are essentially constant"; here: a difference, no test, no g.
    const auto constant = compareGroups(flat, flat);
    CHECK(*constant.difference == 0);
    CHECK_FALSE(constant.welch);
    CHECK_FALSE(constant.hedgesG);

    // One constant group is fine: only the other contributes variance (Welch df = n2 - 1).
    const auto oneFlat = compareGroups(flat, some);
    REQUIRE(oneFlat.welch);
    CHECK(oneFlat.welch->degreesOfFreedom == Approx(2.0).margin(kMargin));
}

TEST_CASE("a group against the rest of the district from accumulated moments", "[unit][analytics]") {
    const std::vector<double> school{3.2, 4.1, 3.8, 2.9, 4.4, 3.6, 3.0, 4.0, 3.3};
    const std::vector<double> rest{3.9, 4.2, 4.6, 3.7, 4.8, 4.1, 3.5, 4.4, 4.0, 4.5, 3.8, 4.3, 4.7};
    Moments district, schoolMoments;
    for (double v : school) {
        district.add(v);
        schoolMoments.add(v);
    }
    for (double v : rest) district.add(v);
    const auto fromMoments = compareGroups(schoolMoments, district.without(schoolMoments));
    CHECK(fromMoments.rest.n == 13);
    CHECK(fromMoments.welch->t == Approx(-2.91345895504).margin(kMargin));
    CHECK(fromMoments.welch->degreesOfFreedom == Approx(14.3153387584).margin(kMargin));
    CHECK(fromMoments.hedgesG->g == Approx(-1.27620022199).margin(kMargin));
}
