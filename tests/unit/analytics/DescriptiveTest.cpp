// Independent values: tests/reference/descriptive.R (R 4.2.2), printed to 12 significant digits.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "analytics/Statistics.h"

using namespace mindset::analytics;

namespace {

constexpr double kMargin = 1e-9;
const double kMissing = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TEST_CASE("a summary has the mean, sample SD and the t interval of t.test", "[unit][analytics]") {
    // mean = 40 / 8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32; var = 32/7; sd = 2.1380899;
    // se = sd / sqrt(8) = 0.7559289; qt(0.975, 7) = 2.3646243; half width 1.7874879.
    const std::vector<double> x{2, 4, 4, 4, 5, 5, 7, 9};
    const auto s = summarize(x);
    CHECK(s.n == 8);
    CHECK(*s.mean == Approx(5.0).margin(kMargin));
    CHECK(*s.sd == Approx(2.1380899353).margin(kMargin));
    CHECK(*s.standardError == Approx(0.755928946018).margin(kMargin));
    // R: t.test(c(2, 4, 4, 4, 5, 5, 7, 9))$conf.int
    CHECK(s.meanCi95->lower == Approx(3.21251208176).margin(kMargin));
    CHECK(s.meanCi95->upper == Approx(6.78748791824).margin(kMargin));
}

TEST_CASE("a missing value is left out of a summary", "[unit][analytics]") {
    // {3.5, NA, 4.25}: n = 2, mean 3.875, sd = 0.75 / sqrt(2) = 0.5303301, se = 0.375,
    // qt(0.975, 1) = 12.7062047 -> 3.875 -+ 4.7648268.
    const std::vector<double> y{3.5, kMissing, 4.25};
    const auto s = summarize(y);
    CHECK(s.n == 2);
    CHECK(*s.mean == Approx(3.875).margin(kMargin));
    CHECK(*s.sd == Approx(0.53033008589).margin(kMargin));
    // R: t.test(c(3.5, NA, 4.25))$conf.int
    CHECK(s.meanCi95->lower == Approx(-0.889826776066).margin(kMargin));
    CHECK(s.meanCi95->upper == Approx(8.63982677607).margin(kMargin));
}

TEST_CASE("no values give no mean, one value gives a mean but no SD or interval", "[unit][analytics]") {
    const auto none = summarize(std::vector<double>{kMissing, kMissing});
    CHECK(none.n == 0);
    CHECK_FALSE(none.mean);
    CHECK_FALSE(none.sd);
    CHECK_FALSE(none.meanCi95);

    const auto one = summarize(std::vector<double>{4.5});
    CHECK(one.n == 1);
    CHECK(*one.mean == 4.5);
    CHECK_FALSE(one.sd);
    CHECK_FALSE(one.standardError);
    CHECK_FALSE(one.meanCi95);
}

TEST_CASE("moments added one by one, merged or subtracted agree with the two-pass summary", "[unit][analytics]") {
    const std::vector<double> all{2, 4, 4, 4, 5, 5, 7, 9};
    Moments first, second, streamed;
    for (std::size_t i = 0; i < all.size(); ++i) {
        (i < 3 ? first : second).add(all[i]);
        streamed.add(all[i]);
    }
    streamed.add(kMissing);  // ignored
    Moments merged = first;
    merged.merge(second);
    for (const Moments& m : {streamed, merged}) {
        CHECK(m.count() == 8);
        CHECK(m.mean() == Approx(5.0).margin(kMargin));
        CHECK(*m.variance() == Approx(32.0 / 7).margin(kMargin));
    }
    // first = {2, 4, 4}; the rest {4, 5, 5, 7, 9}: mean 6, squared deviations 4+1+1+1+9 = 16.
    const Moments rest = streamed.without(first);
    CHECK(rest.count() == 5);
    CHECK(rest.mean() == Approx(6.0).margin(kMargin));
    CHECK(rest.sumSquaredDeviations() == Approx(16.0).margin(kMargin));
    CHECK(streamed.without(streamed).count() == 0);
    CHECK_THROWS_AS(first.without(streamed), std::invalid_argument);
}

TEST_CASE("a proportion has the Wilson score interval of prop.test", "[unit][analytics]") {
    struct Case {
        std::int64_t count, n;
        double lower, upper;  // R: prop.test(count, n, correct = FALSE)$conf.int
    };
    // Hand: 7/10, z = 1.959964, z² = 3.841459; centre (0.7 + 0.1920729) / 1.3841459 = 0.6444934;
    // half width 1.959964 sqrt(0.021 + 0.0096036) / 1.3841459 = 0.2477153 -> [0.3967781, 0.8922087].
    const Case cases[] = {{7, 10, 0.396778147461, 0.892208732594}, {0, 10, 0.0, 0.277532799863},
                          {10, 10, 0.722467200137, 1.0},           {1, 1, 0.206549314377, 1.0},
                          {412, 1000, 0.38188731128, 0.442786198213}, {3, 4, 0.300641842582, 0.95441273919}};
    for (const auto& c : cases) {
        INFO(c.count << " of " << c.n);
        const auto p = proportion(c.count, c.n);
        CHECK(*p.share == Approx(static_cast<double>(c.count) / c.n).margin(kMargin));
        CHECK(p.wilson95->lower == Approx(c.lower).margin(kMargin));
        CHECK(p.wilson95->upper == Approx(c.upper).margin(kMargin));
    }
    const auto empty = proportion(0, 0);
    CHECK_FALSE(empty.share);
    CHECK_FALSE(empty.wilson95);
    CHECK_THROWS_AS(proportion(11, 10), std::invalid_argument);
    CHECK_THROWS_AS(proportion(-1, 10), std::invalid_argument);
}

TEST_CASE("% favorable counts scores at or above the scale's threshold among those with a score", "[unit][analytics]") {
    // 4, 5, 4 and 13/3 are >= 4; 3.75 and 2.5 are not; the missing score is not counted: 4 of 6.
    const std::vector<double> scores{4, 3.75, 5, kMissing, 4, 2.5, 13.0 / 3};
    const auto p = favorableShare(scores, 4.0);
    CHECK(p.count == 4);
    CHECK(p.n == 6);
    // R: prop.test(4, 6, correct = FALSE)$conf.int
    CHECK(p.wilson95->lower == Approx(0.299993315138).margin(kMargin));
    CHECK(p.wilson95->upper == Approx(0.903228588894).margin(kMargin));
}

TEST_CASE("the distribution counts each response code and the unanswered", "[unit][analytics]") {
    const std::vector<int> codes{1, 5, 0, 3, 5, 5, 0};
    const std::vector<std::int64_t> expected{2, 1, 0, 1, 0, 3};  // [0] = not answered, [c] = code c
    CHECK(distribution(codes, 1, 5) == expected);
    const std::vector<std::uint8_t> bytes{1, 5, 0, 3, 5, 5, 0};
    CHECK(distribution(bytes, 1, 5) == expected);
    CHECK(distribution(std::vector<int>{}, 1, 5) == std::vector<std::int64_t>(6, 0));
    CHECK_THROWS_AS(distribution(std::vector<int>{1, 6}, 1, 5), std::out_of_range);
    CHECK_THROWS_AS(distribution(std::vector<int>{2, 1}, 2, 5), std::out_of_range);
}

TEST_CASE("Benjamini-Hochberg q-values are those of p.adjust(p, \"BH\")", "[unit][analytics]") {
    // Hand: m = 8 non-missing. Sorted: .005 .01 .03 .04 .04 .2 .5 1 -> m p / rank: .04 .04 .08 .08 .064
    // .2667 .5714 1; the running minimum from the largest gives .04 .04 .064 .064 .064 .2667 .5714 1.
    const std::vector<double> p{0.01, 0.04, 0.03, 0.005, 0.5, 0.04, kMissing, 0.2, 1};
    const std::vector<double> r{0.04, 0.064, 0.064, 0.04, 0.571428571429, 0.064, kMissing, 0.266666666667, 1};
    const auto q = benjaminiHochberg(p);
    REQUIRE(q.size() == r.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
        INFO("p-value " << i);
        if (std::isnan(r[i]))
            CHECK(std::isnan(q[i]));
        else
            CHECK(q[i] == Approx(r[i]).margin(kMargin));
    }

    // The 15 p-values of Benjamini & Hochberg (1995), section 4.
    const std::vector<double> p95{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
                                  0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000};
    const std::vector<double> r95{0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.0638571428571, 0.0638571428571, 0.0645,
                                  0.0765, 0.486, 0.581181818182, 0.714875, 0.753230769231, 0.813214285714, 1};
    const auto q95 = benjaminiHochberg(p95);
    for (std::size_t i = 0; i < r95.size(); ++i) CHECK(q95[i] == Approx(r95[i]).margin(kMargin));

    CHECK(benjaminiHochberg(std::vector<double>{}).empty());
    CHECK_THROWS_AS(benjaminiHochberg(std::vector<double>{0.5, 1.5}), std::invalid_argument);
}
