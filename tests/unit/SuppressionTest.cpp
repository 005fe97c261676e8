#include <catch2/catch.hpp>

#include <random>

#include "analytics/Suppression.h"

using mindset::analytics::HiddenBecause;
using mindset::analytics::protectCells;

namespace {

constexpr auto kShown = HiddenBecause::Shown;
constexpr auto kSmall = HiddenBecause::BelowMinimum;
constexpr auto kComplement = HiddenBecause::ComplementaryProtection;

std::vector<std::size_t> all(std::size_t n) {
    std::vector<std::size_t> cells(n);
    for (std::size_t i = 0; i < n; ++i) cells[i] = i;
    return cells;
}

/// The invariant every published sum must keep after protection.
bool isSafe(const std::vector<std::int64_t>& sizes, const std::vector<HiddenBecause>& reasons,
            const std::vector<std::vector<std::size_t>>& sums, std::int64_t minimum) {
    for (const auto& cells : sums) {
        std::int64_t hiddenTotal = 0, hiddenCount = 0;
        for (auto i : cells)
            if (reasons[i] != kShown) hiddenTotal += sizes[i], ++hiddenCount;
        if (hiddenCount == 1 || (hiddenCount > 1 && hiddenTotal < minimum)) return false;
    }
    for (std::size_t i = 0; i < sizes.size(); ++i)
        if (sizes[i] > 0 && sizes[i] < minimum && reasons[i] == kShown) return false;
    return true;
}

}  // namespace

TEST_CASE("groups at or above the minimum are shown", "[unit][privacy]") {
    CHECK(protectCells({5, 12, 40}, {all(3)}, 5) == std::vector<HiddenBecause>{kShown, kShown, kShown});
}

TEST_CASE("one small group hides the next smallest too, so subtraction from the total reveals nothing", "[unit][privacy]") {
    // District 61 = 3 + 12 + 40 + 6: hiding only the 3 would leave 61 - 12 - 40 - 6 = 3.
    CHECK(protectCells({3, 12, 40, 6}, {all(4)}, 5) == std::vector<HiddenBecause>{kSmall, kShown, kShown, kComplement});
}

TEST_CASE("two small groups together still below the minimum need a third", "[unit][privacy]") {
    // 2 + 1 = 3 < 5: subtraction would reveal a group of 3; the smallest shown (7) joins them.
    CHECK(protectCells({2, 1, 7, 30}, {all(4)}, 5) == std::vector<HiddenBecause>{kSmall, kSmall, kComplement, kShown});
    // 3 + 4 = 7 >= 5: together they are a group large enough to show by subtraction.
    CHECK(protectCells({3, 4, 7, 30}, {all(4)}, 5) == std::vector<HiddenBecause>{kSmall, kSmall, kShown, kShown});
}

TEST_CASE("empty groups are neither hidden nor used for protection", "[unit][privacy]") {
    CHECK(protectCells({0, 2, 9, 30}, {all(4)}, 5) == std::vector<HiddenBecause>{kShown, kSmall, kComplement, kShown});
}

TEST_CASE("a two-way table protects every row and column against its published total", "[unit][privacy]") {
    // Rows a, b; columns x, y, z. Cell index = row * 3 + column.
    //        x   y   z
    //   a   20   3  15
    //   b   30  25  40
    const std::vector<std::int64_t> sizes{20, 3, 15, 30, 25, 40};
    const std::vector<std::vector<std::size_t>> sums{{0, 1, 2}, {3, 4, 5}, {0, 3}, {1, 4}, {2, 5}, all(6)};
    const auto reasons = protectCells(sizes, sums, 5);
    CHECK(reasons[1] == kSmall);
    CHECK(isSafe(sizes, reasons, sums, 5));
    // Row a needs a second hidden cell (15, its smallest shown); then column y needs one (25) and
    // column z (40); row b is then safe with two hidden of 65.
    CHECK(reasons == std::vector<HiddenBecause>{kShown, kSmall, kComplement, kShown, kComplement, kComplement});
}

TEST_CASE("protection holds for many random tables", "[unit][privacy]") {
    std::mt19937 random(20261124);
    for (int trial = 0; trial < 500; ++trial) {
        const std::size_t rows = 2 + random() % 4, columns = 2 + random() % 5;
        std::vector<std::int64_t> sizes(rows * columns);
        for (auto& size : sizes) size = static_cast<std::int64_t>(random() % 3 == 0 ? random() % 5 : random() % 60);
        std::vector<std::vector<std::size_t>> sums;
        for (std::size_t r = 0; r < rows; ++r) {
            sums.emplace_back();
            for (std::size_t c = 0; c < columns; ++c) sums.back().push_back(r * columns + c);
        }
        for (std::size_t c = 0; c < columns; ++c) {
            sums.emplace_back();
            for (std::size_t r = 0; r < rows; ++r) sums.back().push_back(r * columns + c);
        }
        sums.push_back(all(rows * columns));
        const auto reasons = protectCells(sizes, sums, 5);
        INFO("trial " << trial);
        // Either every published sum is safe, or everything non-empty in a failing set is hidden.
        for (const auto& cells : sums) {
            std::int64_t hiddenTotal = 0, hiddenCount = 0, shownNonEmpty = 0;
            for (auto i : cells) {
                if (reasons[i] != kShown) hiddenTotal += sizes[i], ++hiddenCount;
                else if (sizes[i] > 0) ++shownNonEmpty;
            }
            const bool isSafeSet = hiddenCount == 0 || (hiddenCount >= 2 && hiddenTotal >= 5);
            CHECK((isSafeSet || shownNonEmpty == 0));
        }
    }
}
