// Independent values: tests/reference/reliability.R (R 4.2.2, psych 2.2.9), 12 significant digits.
#include <catch2/catch.hpp>

#include <limits>
#include <stdexcept>
#include <vector>

#include "analytics/Statistics.h"

using namespace mindset::analytics;

namespace {

constexpr double kMargin = 1e-9;
const double kMissing = std::numeric_limits<double>::quiet_NaN();

// Reverse keying on the declared 1..5 range, as sdk::keyedCode does.
double reversed(int code) { return 1 + 5 - code; }

// Six respondents answer items a, b, c on 1..5; c is reverse keyed; respondent 6 skipped b.
//        a  b  c(raw) -> c keyed
//   r1   1  2  5         1
//   r2   2  2  4         2
//   r3   3  4  3         3
//   r4   4  4  1         5
//   r5   5  3  2         4
//   r6   3  -  2         4       (left out: listwise)
std::vector<double> handCells() {
    return {1, 2, reversed(5),  //
            2, 2, reversed(4),  //
            3, 4, reversed(3),  //
            4, 4, reversed(1),  //
            5, 3, reversed(2),  //
            3, kMissing, reversed(2)};
}

}  // namespace

TEST_CASE("Cronbach's alpha of a hand-worked scale with a reverse-keyed item and a skipped answer", "[unit][analytics]") {
    // Complete rows r1..r5, every item has mean 3. Deviations a: -2 -1 0 1 2; b: -1 -1 1 1 0;
    // c (keyed): -2 -1 0 2 1. Covariances (divisor 4): var a = 10/4 = 2.5, var b = 4/4 = 1,
    // var c = 10/4 = 2.5, cov ab = 4/4 = 1, cov ac = 9/4 = 2.25, cov bc = 5/4 = 1.25.
    // Total variance = 2.5 + 1 + 2.5 + 2 (1 + 2.25 + 1.25) = 15 (totals 4 6 10 13 12: var 60/4 = 15).
    // alpha = 3/2 (1 - 6/15) = 0.9.
    const auto cells = handCells();
    const auto r = cronbachAlpha(ItemMatrix(cells, 3));
    CHECK(r.items == 3);
    CHECK(r.respondents == 5);
    CHECK(r.droppedRespondents == 1);
    CHECK(*r.alpha == Approx(0.9).margin(kMargin));

    // r ab = 1 / sqrt(2.5) = 0.6324555, r ac = 2.25 / 2.5 = 0.9, r bc = 1.25 / sqrt(2.5) = 0.7905694;
    // mean r = 0.7743416; standardized alpha = 3 r / (1 + 2 r) = 0.9114608.
    // R: alpha(na.omit(keyed))$total$std.alpha, $average_r
    CHECK(*r.meanInterItemCorrelation == Approx(0.774341649025).margin(kMargin));
    CHECK(*r.standardizedAlpha == Approx(0.911460811491).margin(kMargin));

    // r.drop: a vs b+c: cov 1 + 2.25 = 3.25, var(b+c) = 1 + 2.5 + 2.5 = 6 -> 3.25 / sqrt(2.5 * 6) = 0.8391464;
    //         b vs a+c: 2.25 / sqrt(1 * 9.5) = 0.7299964;  c vs a+b: 3.5 / sqrt(2.5 * 5.5) = 0.9438798.
    // alpha if dropped: a -> 2 (1 - 3.5/6) = 0.8333333; b -> 2 (1 - 5/9.5) = 0.9473684;
    //                   c -> 2 (1 - 3.5/5.5) = 0.7272727.
    // R: alpha(na.omit(keyed))$item.stats$r.drop and $alpha.drop$raw_alpha; the same from the raw
    // answers with alpha(na.omit(raw), keys = c(1, 1, -1)).
    const double rDrop[] = {0.839146391678, 0.729996395088, 0.943879807449};
    const double alphaDrop[] = {0.833333333333, 0.947368421053, 0.727272727273};
    REQUIRE(r.perItem.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        INFO("item " << i);
        CHECK(*r.perItem[i].correctedItemTotal == Approx(rDrop[i]).margin(kMargin));
        CHECK(*r.perItem[i].alphaIfDropped == Approx(alphaDrop[i]).margin(kMargin));
    }

    // Feldt, n = 5, k = 3: qf(0.975, 4, 8) = 5.0526322, qf(0.025, 4, 8) = 0.1113638;
    // [1 - 0.1 * 5.0526322, 1 - 0.1 * 0.1113638]. R: alpha(...)$feldt, alpha.ci(0.9, 5, 3).
    CHECK(r.alphaCi95->lower == Approx(0.494736778264).margin(kMargin));
    CHECK(r.alphaCi95->upper == Approx(0.988863622199).margin(kMargin));
}

TEST_CASE("the Feldt interval is psych::alpha.ci", "[unit][analytics]") {
    // R: alpha.ci(0.8, 100, 10)
    const auto ci = feldtInterval(0.8, 100, 10);
    CHECK(ci->lower == Approx(0.736048459061).margin(kMargin));
    CHECK(ci->upper == Approx(0.853691819091).margin(kMargin));
    CHECK_FALSE(feldtInterval(0.8, 1, 10));
    CHECK_FALSE(feldtInterval(0.8, 100, 1));
}

TEST_CASE("with two items r.drop is their correlation and alpha-if-dropped does not exist", "[unit][analytics]") {
    // a = 1..5, b = 2 1 4 3 5: var a = var b = 2.5, cov = 8/4 = 2, r = 0.8, alpha = 2 (1 - 5/9) = 0.8889.
    const std::vector<double> cells{1, 2, 2, 1, 3, 4, 4, 3, 5, 5};
    const auto r = cronbachAlpha(ItemMatrix(cells, 2));
    CHECK(*r.alpha == Approx(0.888888888889).margin(kMargin));  // R: alpha(two)$total$raw_alpha
    for (const auto& item : r.perItem) {
        CHECK(*item.correctedItemTotal == Approx(0.8).margin(kMargin));  // R: cor(two$a, two$b)
        CHECK_FALSE(item.alphaIfDropped);
    }
}

TEST_CASE("alpha does not lose digits when the answers are far from zero", "[unit][analytics]") {
    auto cells = handCells();
    for (double& v : cells) v += 1e6;  // R: alpha(na.omit(keyed) + 1e6)$total$raw_alpha = 0.9
    const auto r = cronbachAlpha(ItemMatrix(cells, 3));
    CHECK(*r.alpha == Approx(0.9).margin(1e-9));
    CHECK(*r.perItem[1].correctedItemTotal == Approx(0.729996395088).margin(1e-9));
}

TEST_CASE("alpha needs two items, two complete respondents and variance", "[unit][analytics]") {
    const std::vector<double> oneItem{1, 2, 3};
    CHECK_FALSE(cronbachAlpha(ItemMatrix(oneItem, 1)).alpha);

    const std::vector<double> oneCompleteRow{1, 2, 3, 3, kMissing, 4};
    const auto few = cronbachAlpha(ItemMatrix(oneCompleteRow, 3));
    CHECK(few.respondents == 1);
    CHECK(few.droppedRespondents == 1);
    CHECK_FALSE(few.alpha);
    CHECK(few.perItem.empty());

    // Everyone gave the same answers: no variance, no alpha.
    const std::vector<double> constant{3, 4, 3, 4, 3, 4};
    CHECK_FALSE(cronbachAlpha(ItemMatrix(constant, 2)).alpha);

    // Item b never varies: raw alpha exists, correlations with b do not.
    // a = 1 2 3, b = 4 4 4, c = 2 3 5: var a = 1, var c = 7/3, cov ac = 3/2, total 1 + 7/3 + 3 = 19/3;
    // alpha = 3/2 (1 - (10/3) / (19/3)) = 3/2 * 9/19 = 0.7105263.
    const std::vector<double> flat{1, 4, 2, 2, 4, 3, 3, 4, 5};
    const auto r = cronbachAlpha(ItemMatrix(flat, 3));
    CHECK(*r.alpha == Approx(27.0 / 38).margin(kMargin));
    CHECK_FALSE(r.standardizedAlpha);
    CHECK_FALSE(r.perItem[1].correctedItemTotal);
    CHECK(r.perItem[0].correctedItemTotal);
}

TEST_CASE("responses streamed one at a time give the same alpha as the matrix", "[unit][analytics]") {
    const auto cells = handCells();
    const ItemMatrix m(cells, 3);
    ItemCovariance streamed(3);
    for (std::size_t row = 0; row < m.respondents(); ++row) streamed.add(m.row(row));
    CHECK(streamed.completeRows() == 5);
    CHECK(streamed.droppedRows() == 1);
    CHECK(streamed.covariance(0, 2) == Approx(2.25).margin(kMargin));
    CHECK(streamed.covariance(2, 0) == Approx(2.25).margin(kMargin));
    CHECK(*streamed.reliability().alpha == Approx(0.9).margin(kMargin));

    CHECK_THROWS_AS(streamed.add(std::vector<double>{1, 2}), std::invalid_argument);
    CHECK_THROWS_AS(ItemMatrix(cells, 4), std::invalid_argument);
    CHECK_THROWS_AS(ItemMatrix(cells, 0), std::invalid_argument);
}
