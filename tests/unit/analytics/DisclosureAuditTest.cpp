#include <catch2/catch.hpp>

#include <cmath>

#include "analytics/DisclosureAudit.h"
#include "analytics/Suppression.h"

using namespace mindset::analytics;

namespace {

/// One respondent of a hand-made survey: a category per question, one score, the release that
/// first included it (1-based).
struct Person {
    std::vector<std::size_t> categories;
    double score = 3;
    std::size_t release = 1;
};

/// Hand-made tables: questions with the given numbers of categories, optionally the first two
/// crossed; one scale scored 1..5, favorable from `favorableAtLeast`. Groups: the district, every
/// question's categories, then the pair's cells (row-major). Each release hides what primary
/// suppression hides (groups of 1..threshold-1).
class HandTables {
public:
    HandTables(std::vector<std::size_t> categoryCounts, bool hasPair, int threshold, double favorableAtLeast = 4)
        : counts_(std::move(categoryCounts)), hasPair_(hasPair) {
        tables_.threshold = threshold;
        tables_.scales.push_back({"test/scale", 1, 5, favorableAtLeast});
        tables_.groupNames.push_back("district");
        for (std::size_t q = 0; q < counts_.size(); ++q) {
            first_.push_back(tables_.groupNames.size());
            AuditSum sum{{}, 0};
            for (std::size_t c = 0; c < counts_[q]; ++c) {
                sum.parts.push_back(tables_.groupNames.size());
                tables_.groupNames.push_back("q" + std::to_string(q) + "=" + std::to_string(c));
            }
            tables_.tables.push_back(sum.parts);
            tables_.sums.push_back(std::move(sum));
        }
        if (!hasPair_) return;
        firstPair_ = tables_.groupNames.size();
        tables_.tables.emplace_back();
        for (std::size_t r = 0; r < counts_[0]; ++r)
            for (std::size_t c = 0; c < counts_[1]; ++c) {
                tables_.tables.back().push_back(tables_.groupNames.size());
                tables_.groupNames.push_back("pair=" + std::to_string(r) + "|" + std::to_string(c));
            }
        for (std::size_t r = 0; r < counts_[0]; ++r) {
            AuditSum sum{{}, category(0, r)};
            for (std::size_t c = 0; c < counts_[1]; ++c) sum.parts.push_back(pairCell(r, c));
            tables_.sums.push_back(std::move(sum));
        }
        for (std::size_t c = 0; c < counts_[1]; ++c) {
            AuditSum sum{{}, category(1, c)};
            for (std::size_t r = 0; r < counts_[0]; ++r) sum.parts.push_back(pairCell(r, c));
            tables_.sums.push_back(std::move(sum));
        }
    }

    std::size_t category(std::size_t question, std::size_t category) const { return first_[question] + category; }
    std::size_t pairCell(std::size_t row, std::size_t column) const { return firstPair_ + row * counts_[1] + column; }

    /// `count` people of the given categories, with the scores cycling through `scores`.
    void add(std::vector<std::size_t> categories, int count, std::vector<double> scores, std::size_t release = 1) {
        for (int i = 0; i < count; ++i) people_.push_back({categories, scores[static_cast<std::size_t>(i) % scores.size()], release});
    }

    /// The tables for `releases` releases, each with primary suppression only.
    AuditTables build(std::size_t releases = 1) const {
        auto tables = tables_;
        const auto groups = tables.groupNames.size();
        for (std::size_t k = 0; k < releases; ++k) {
            std::vector<AuditGroupCounts> increment(groups, AuditGroupCounts{0, std::vector<AuditCell>(1)});
            for (const auto& person : people_) {
                if (person.release != k + 1) continue;
                std::vector<std::size_t> memberOf{0};
                for (std::size_t q = 0; q < counts_.size(); ++q) memberOf.push_back(category(q, person.categories[q]));
                if (hasPair_) memberOf.push_back(pairCell(person.categories[0], person.categories[1]));
                for (auto g : memberOf) {
                    auto& counts = increment[g];
                    ++counts.respondents;
                    auto& cell = counts.scales[0];
                    ++cell.scored;
                    cell.favorable += person.score >= tables.scales[0].favorableAtLeast;
                    cell.sum += person.score;
                    cell.sumOfSquares += person.score * person.score;
                }
            }
            tables.increments.push_back(std::move(increment));
        }
        for (std::size_t k = 0; k < releases; ++k) {
            AuditVisibility visibility;
            visibility.isGroupHidden.assign(groups, false);
            for (std::size_t g = 1; g < groups; ++g) {
                const auto size = countsOver(tables, g, 0, k + 1).respondents;
                visibility.isGroupHidden[g] = size > 0 && size < tables.threshold;
            }
            visibility.isEverythingHidden = countsOver(tables, 0, 0, k + 1).respondents < tables.threshold;
            tables.releases.push_back(std::move(visibility));
        }
        return tables;
    }

private:
    AuditTables tables_;
    std::vector<std::size_t> counts_;
    bool hasPair_;
    std::vector<std::size_t> first_;
    std::size_t firstPair_ = 0;
    std::vector<Person> people_;
};

/// The audit's entry for a sensitive figure: the group's count, or its figures on the scale.
const nlohmann::json& reportOf(const AuditResult& result, const std::string& group, bool isScale = false) {
    for (const auto& entry : result.checked)
        if (entry["group"] == group && entry["scale"].is_null() != isScale && entry["sinceRelease"] == 0) return entry;
    FAIL("no report for " << group);
    throw;
}

}  // namespace

TEST_CASE("audit: two hidden categories that add up to fewer than the minimum fail, then secondary suppression fixes it",
          "[unit][privacy][audit]") {
    // One question, categories of 1, 2, 20 and 30 people; minimum 5. The hidden 1 and 2 add up to
    // district - 20 - 30 = 3: an attacker shows the first holds at most 3 - 1 = 2 people.
    HandTables hand({4}, false, 5);
    hand.add({0}, 1, {2.0});
    hand.add({1}, 2, {4.5, 1.5});
    hand.add({2}, 20, {1.5, 2.5, 3.5, 4.5});
    hand.add({3}, 30, {1.0, 2.0, 3.0, 4.0, 5.0});
    const auto tables = hand.build();
    const auto audit = auditRelease(tables, {false});
    CHECK_FALSE(audit.isPassed);
    REQUIRE(audit.failure);
    CHECK(audit.failure->check == "count");
    CHECK(audit.failure->group == hand.category(0, 0));
    // The attacker's largest count for the 1-person group: 3 - 1 (a hidden group is not empty).
    CHECK(reportOf(audit, "q0=0")["maxCount"].get<double>() == Approx(2));

    const auto protection = protectRelease(tables);
    CHECK(protection.audit.isPassed);
    // The smallest shown category in the same sum (the 20) joins the hidden ones.
    CHECK(protection.addedGroups == std::vector<std::size_t>{hand.category(0, 2)});
    CHECK(protection.isGroupHidden[hand.category(0, 2)]);
    CHECK_FALSE(protection.isGroupHidden[hand.category(0, 3)]);
    // Now the 23 hidden people can be split almost any way: the 1-person group could hold up to 21.
    CHECK(reportOf(protection.audit, "q0=0")["maxCount"].get<double>() == Approx(21));
}

TEST_CASE("audit: the old rule leaves a hidden cell of the crossed table that row and column margins show to be small",
          "[unit][privacy][audit]") {
    // Race (American Indian, Asian, white) x role (paraprofessional, teacher), minimum 5:
    //             para  teacher | race
    //   Am. Ind.     1        0 |    1
    //   Asian        0        4 |    4
    //   white        6       20 |   26
    //   role         7       24 |   31
    HandTables hand({3, 2}, true, 5);
    hand.add({0, 0}, 1, {2.0});
    hand.add({1, 1}, 4, {4.5, 4.0, 3.0, 2.5});
    hand.add({2, 0}, 6, {3.0, 2.0, 4.5, 1.5, 2.5, 3.0});
    hand.add({2, 1}, 20, {1.5, 2.5, 3.5, 4.5});
    auto tables = hand.build();

    // The old rule, table by table: the two small races, the two small cells, then the smallest
    // shown cell of each column that had a single hidden cell (white para 6, white teacher 20).
    // Sizes: race[0..2], role[3..4], pair[5..10] (row-major).
    const std::vector<std::int64_t> sizes{1, 4, 26, 7, 24, 1, 0, 0, 4, 6, 20};
    std::vector<CellSum> sums{{{0, 1, 2}, std::nullopt}, {{3, 4}, std::nullopt}, {{5, 6, 7, 8, 9, 10}, std::nullopt},
                              {{5, 6}, 0},  {{7, 8}, 1},  {{9, 10}, 2}, {{5, 7, 9}, 3}, {{6, 8, 10}, 4}};
    const auto old = protectCells(sizes, sums, 5);
    const std::vector<bool> oldHidden{true, true, false, false, false, true, false, false, true, true, true};
    for (std::size_t i = 0; i < sizes.size(); ++i) CHECK((old[i] != HiddenBecause::Shown) == oldHidden[i]);

    // What the old rule shows, audited: para column 7 = AI para + white para (both hidden), white
    // row 26 = white para + white teacher, teacher column 24 = Asian teacher + white teacher, and
    // AI + Asian = 5. One degree of freedom: AI para is 1..4, never 5: shown to be small.
    std::vector<std::size_t> oldGroups{hand.category(0, 0), hand.category(0, 1), hand.pairCell(0, 0), hand.pairCell(1, 1),
                                       hand.pairCell(2, 0), hand.pairCell(2, 1)};
    for (auto g : oldGroups) tables.releases.back().isGroupHidden[g] = true;
    const auto oldAudit = auditRelease(tables, {false});
    CHECK_FALSE(oldAudit.isPassed);
    REQUIRE(oldAudit.failure);
    CHECK(oldAudit.failure->check == "count");
    CHECK(reportOf(oldAudit, "pair=0|0")["maxCount"].get<double>() == Approx(4));

    // The new audit with secondary suppression passes, and the cell can then hold 5 or more.
    const auto protection = protectRelease(hand.build());
    CHECK(protection.audit.isPassed);
    CHECK(reportOf(protection.audit, "pair=0|0")["maxCount"].get<double>() >= 5);
    const auto& scale = reportOf(protection.audit, "pair=0|0", true);
    CHECK(scale["maxFavorable"].get<double>() >= 1);
    CHECK(scale["maxUnfavorable"].get<double>() >= 1);
    CHECK(scale["mean"][1].get<double>() - scale["mean"][0].get<double>() >= 1.0);
}

TEST_CASE("audit: hidden groups whose members are all favorable are detected", "[unit][privacy][audit]") {
    // Two hidden groups of 3 (together 6 >= 5, which the old rule accepted); all six are favorable,
    // so the published district and the shown group say: everyone in either hidden group is favorable.
    HandTables hand({3}, false, 5);
    hand.add({0}, 3, {4.5, 4.0, 5.0});
    hand.add({1}, 3, {4.0, 4.5, 4.0});
    hand.add({2}, 40, {1.5, 2.5, 3.5, 4.5});
    const auto tables = hand.build();
    const auto audit = auditRelease(tables);
    CHECK_FALSE(audit.isPassed);
    REQUIRE(audit.failure);
    CHECK(audit.failure->check == "favorable");
    CHECK(audit.failure->reason.find("everybody") != std::string::npos);

    const auto protection = protectRelease(tables);
    CHECK(protection.audit.isPassed);
    CHECK(protection.isGroupHidden[hand.category(0, 2)]);
}

TEST_CASE("audit: a hidden group's mean range comes from the Charnes-Cooper LP, as computed by hand", "[unit][privacy][audit]") {
    // Hidden groups of 2 and 4, everyone scoring 3, beside a shown group of 30. The hidden six have
    // n = 6, S = 18, Q = 54 (from the published district and group: n, mean, SD). Any split of S
    // must keep Q_A + Q_B = 54 with Q_i >= 2 c S_i - c^2 n_i for the tangent points c = 1, 1.5, ..., 5:
    // on the c = 3 tangent (means 2.75..3.25) the bound adds up to exactly 6*18 - 9*6 = 54, and any
    // mean beyond 3.25 (or below 2.75) needs the next tangent, which adds (m - 3.25) n_i > 0.
    // So the attacker's mean interval for the first group is [2.75, 3.25]: narrower than +-0.5.
    HandTables hand({3}, false, 5);
    hand.add({0}, 2, {3.0});
    hand.add({1}, 4, {3.0});
    hand.add({2}, 30, {1.0, 2.0, 3.0, 4.0, 5.0});
    const auto audit = auditRelease(hand.build(), {false});
    CHECK_FALSE(audit.isPassed);
    const auto& mean = reportOf(audit, "q0=0", true)["mean"];
    CHECK(mean[0].get<double>() == Approx(2.75).margin(1e-5));
    CHECK(mean[1].get<double>() == Approx(3.25).margin(1e-5));
    // Nobody of the six is favorable (>= 4): that is found first.
    REQUIRE(audit.failure);
    CHECK(audit.failure->check == "favorable");
}

TEST_CASE("audit: a hidden group's mean known to within +-0.5 fails the mean check", "[unit][privacy][audit]") {
    // Favorable from 3 this time, so half of the hidden six are favorable and half are not, but the
    // scores (2.9 and 3.1, one each in the 2-person group) leave the means within 2.75..3.25.
    HandTables hand({3}, false, 5, 3.0);
    hand.add({0}, 2, {2.9, 3.1});
    hand.add({1}, 4, {2.9, 3.1});
    hand.add({2}, 30, {1.0, 2.0, 3.0, 4.0, 5.0});
    const auto audit = auditRelease(hand.build());
    CHECK_FALSE(audit.isPassed);
    REQUIRE(audit.failure);
    CHECK(audit.failure->check == "mean");
}

TEST_CASE("audit: a release that differs from the previous one by a single response is refused", "[unit][privacy][audit]") {
    // Release 1: three categories of 10. Release 2: one more response, in the first category. Both
    // the district (31 - 30) and the category (11 - 10) would show that one person's figures.
    HandTables hand({3}, false, 5);
    hand.add({0}, 10, {1.5, 2.5, 3.5, 4.5}, 1);
    hand.add({1}, 10, {1.5, 2.5, 3.5, 4.5}, 1);
    hand.add({2}, 10, {1.5, 2.5, 3.5, 4.5}, 1);
    hand.add({0}, 1, {5.0}, 2);
    const auto tables = hand.build(2);
    const auto audit = auditRelease(tables);
    CHECK_FALSE(audit.isPassed);
    REQUIRE(audit.failure);
    CHECK(audit.failure->check == "increment");
    CHECK(audit.failure->group == 0);
    CHECK(audit.failure->sinceRelease == 1);
    // No hiding can help: the district's count is always published.
    const auto protection = protectRelease(tables);
    CHECK_FALSE(protection.audit.isPassed);
    CHECK(protection.audit.failure->reason.find("release 1") != std::string::npos);
}

TEST_CASE("audit: a group that grew by fewer than the minimum since the last release is hidden, and its growth protected",
          "[unit][privacy][audit]") {
    // Release 2 adds 8 responses: 6 to the first category, 2 to the second. The district grew by 8
    // (fine), but the second category by 2: shown twice, the difference would be those two.
    HandTables hand({3}, false, 5);
    hand.add({0}, 10, {1.5, 2.5, 3.5, 4.5}, 1);
    hand.add({1}, 10, {1.5, 2.5, 3.5, 4.5}, 1);
    hand.add({2}, 10, {1.5, 2.5, 3.5, 4.5}, 1);
    hand.add({0}, 6, {1.5, 2.5, 3.5, 4.5}, 2);
    hand.add({1}, 2, {2.0, 4.5}, 2);
    const auto tables = hand.build(2);
    const auto audit = auditRelease(tables);
    REQUIRE(audit.failure);
    CHECK(audit.failure->check == "increment");
    CHECK(audit.failure->group == hand.category(0, 1));

    const auto protection = protectRelease(tables);
    CHECK(protection.audit.isPassed);
    CHECK(protection.isGroupHidden[hand.category(0, 1)]);
    // Hiding only that category would leave it as district - the others: another one hides too.
    CHECK(protection.addedGroups.size() >= 2);
}

TEST_CASE("audit: a survey too small to show any breakdown withholds it whole, empty groups too", "[unit][privacy][audit]") {
    // Six people in three of four categories, 2 each: all three hidden, but a reader who knows that
    // hidden groups are not empty puts each at 6 - 1 - 1 = 4 at most. Withheld whole (the empty
    // fourth category too), each could hold all six.
    HandTables hand({4}, false, 5);
    hand.add({0}, 2, {1.5, 4.5});
    hand.add({1}, 2, {2.5, 4.0});
    hand.add({2}, 2, {3.5, 1.0});
    const auto tables = hand.build();
    CHECK_FALSE(auditRelease(tables).isPassed);
    const auto protection = protectRelease(tables);
    CHECK(protection.audit.isPassed);
    CHECK(protection.isEveryBreakdownHidden);
    CHECK(protection.isTableWithheld == std::vector<bool>{true});
    CHECK(reportOf(protection.audit, "q0=0")["maxCount"].get<double>() == Approx(6));
}
