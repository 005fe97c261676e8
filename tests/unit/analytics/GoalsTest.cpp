// Goal status rules (docs/goals.md) on hand-made profiles. No statistic is computed here: the
// figures and intervals are the profile's, so every expected value below is arithmetic on the
// numbers given, written out in the comments.
#include <catch2/catch.hpp>

#include <deque>
#include <memory>

#include "analytics/Goals.h"

using namespace mindset;
using namespace mindset::analytics;

namespace {

constexpr const char* kInstrument = "equity-excellence@1.0.0";
constexpr const char* kScale = "high-expectations";

/// What one year's profile shows for the goal's scale.
struct YearFigures {
    std::string schoolYear;
    double mean = 0, lower = 0, upper = 0;  ///< district mean and its 95% CI
    /// The "black" group's figures and its gap against the rest of the district.
    double groupMean = 0, groupLower = 0, groupUpper = 0;
    double gap = 0, gapLower = 0, gapUpper = 0;
    std::int64_t favorable = 0, n = 100;  ///< district: favorable respondents out of n
    HiddenBecause groupHidden = HiddenBecause::Shown;
    HiddenBecause gapHidden = HiddenBecause::Shown;
    std::string instrumentKey = kInstrument;
    bool hasRaceQuestion = true;
};

CellFigures figures(double mean, double lower, double upper, std::int64_t favorable, std::int64_t n) {
    CellFigures f;
    f.summary.n = n;
    f.summary.mean = mean;
    f.summary.meanCi95 = Interval{lower, upper};
    f.favorable = proportion(favorable, n);
    return f;
}

/// Surveys and profiles for a district, oldest first; the surveys live as long as the fixture.
class District {
public:
    void add(const YearFigures& y) {
        auto& survey = surveys_.emplace_back();
        survey.id = "riverside-" + y.schoolYear.substr(0, 4);
        survey.schoolYear = y.schoolYear;
        auto profile = std::make_shared<Profile>();
        profile->surveyId = survey.id;
        profile->minGroupSize = 5;
        ScaleFigures scale;
        scale.instrumentKey = y.instrumentKey;
        scale.scaleId = kScale;
        scale.size = y.n;
        scale.district = figures(y.mean, y.lower, y.upper, y.favorable, y.n);
        profile->scales.push_back(scale);
        if (y.hasRaceQuestion) {
            Breakdown race;
            race.questionId = "race";
            race.categories = {{"white", {}}, {"black", {}}};
            Cell white{0, 60, HiddenBecause::Shown, figures(3.5, 3.4, 3.6, 30, 60), HiddenBecause::Shown, std::nullopt, std::nullopt};
            Cell black{1, 40, y.groupHidden, std::nullopt, y.gapHidden, std::nullopt, std::nullopt};
            if (y.groupHidden == HiddenBecause::Shown) black.figures = figures(y.groupMean, y.groupLower, y.groupUpper, 10, 40);
            if (y.groupHidden == HiddenBecause::Shown && y.gapHidden == HiddenBecause::Shown) {
                GroupComparison gap;
                gap.difference = y.gap;
                gap.welch = WelchTest{0.07, 80, 0, 0, Interval{y.gapLower, y.gapUpper}};
                black.gap = gap;
            }
            race.cellsByScale = {{white, black}};
            profile->breakdowns.push_back(race);
        }
        years_.push_back({&survey, profile});
    }
    const DistrictYears& years() const { return years_; }

private:
    std::deque<surveys::SurveyDefinition> surveys_;  // a deque keeps the pointers in years_ valid
    DistrictYears years_;
};

Goal meanGoal(double target, std::string targetYear) {
    return {"equity-excellence", kScale, GoalMeasure::Mean, std::nullopt, target, std::move(targetYear), std::nullopt};
}

Goal gapGoal(double target, std::string targetYear) {
    return {"equity-excellence", kScale, GoalMeasure::Gap, GoalGroup{"race", "black"}, target, std::move(targetYear), std::nullopt};
}

}  // namespace

TEST_CASE("a mean goal: on the line, not clearly behind it, clearly behind it", "[unit][goals]") {
    District district;
    district.add({.schoolYear = "2024-2025", .mean = 3.20, .lower = 3.10, .upper = 3.30});
    district.add({.schoolYear = "2025-2026", .mean = 3.40, .lower = 3.32, .upper = 3.48});
    district.add({.schoolYear = "2026-2027", .mean = 3.38, .lower = 3.31, .upper = 3.45});
    const auto progress = goalProgress(meanGoal(3.60, "2027-2028"), district.years());
    REQUIRE(progress.size() == 3);

    // Baseline 2024 at 3.20, target 3.60 in 2027: the line rises (3.60 - 3.20) / (2027 - 2024)
    // = 0.1333... a year.
    CHECK(progress[0].isBaseline);
    CHECK(progress[0].status == GoalStatus::OnTrack);  // the line starts at this very figure
    CHECK(*progress[0].expected == Approx(3.20));
    // 2025: expected 3.20 + 0.1333 = 3.3333; 3.40 < 3.60 is not met; the interval's upper end
    // 3.48 >= 3.3333: on track (here even the figure itself is above the line).
    CHECK(*progress[1].expected == Approx(3.20 + 0.4 / 3));
    CHECK(progress[1].status == GoalStatus::OnTrack);
    // 2026: expected 3.20 + 2 * 0.1333 = 3.4667; the whole interval [3.31, 3.45] is below it.
    CHECK(*progress[2].expected == Approx(3.20 + 0.8 / 3));
    CHECK(progress[2].status == GoalStatus::OffTrack);
    CHECK_FALSE(progress[2].isTargetYearReached);
}

TEST_CASE("an interval that still reaches the line is on track even when the figure is below it", "[unit][goals]") {
    District district;
    district.add({.schoolYear = "2024-2025", .mean = 3.20, .lower = 3.10, .upper = 3.30});
    district.add({.schoolYear = "2026-2027", .mean = 3.38, .lower = 3.29, .upper = 3.47});
    const auto progress = goalProgress(meanGoal(3.60, "2027-2028"), district.years());
    // Expected in 2026 is 3.4667 (as above: two of three years along the line); 3.38 is below
    // it, but the upper end 3.47 >= 3.4667: not clearly behind.
    CHECK(*progress[1].expected == Approx(3.4666666667));
    CHECK(progress[1].status == GoalStatus::OnTrack);
}

TEST_CASE("a goal is met when the figure reaches the target, and missed once the target year came", "[unit][goals]") {
    District district;
    district.add({.schoolYear = "2024-2025", .mean = 3.20, .lower = 3.10, .upper = 3.30});
    district.add({.schoolYear = "2025-2026", .mean = 3.61, .lower = 3.52, .upper = 3.70});
    district.add({.schoolYear = "2026-2027", .mean = 3.55, .lower = 3.45, .upper = 3.65});
    district.add({.schoolYear = "2027-2028", .mean = 3.62, .lower = 3.52, .upper = 3.72});
    const auto progress = goalProgress(meanGoal(3.60, "2026-2027"), district.years());
    // 2025: 3.61 >= 3.60: met, even before the target year.
    CHECK(progress[1].status == GoalStatus::Met);
    // 2026 is the target year: expected = the target 3.60; 3.55 < 3.60 is a miss, although the
    // interval [3.45, 3.65] holds 3.60: the target year's figure decides.
    CHECK(progress[2].isTargetYearReached);
    CHECK(*progress[2].expected == Approx(3.60));
    CHECK(progress[2].status == GoalStatus::OffTrack);
    // 2027, after the target year: the line stays at the target; 3.62 >= 3.60 is met.
    CHECK(*progress[3].expected == Approx(3.60));
    CHECK(progress[3].status == GoalStatus::Met);
}

TEST_CASE("% favorable is judged in percent, and a share equal to the target meets it", "[unit][goals]") {
    District district;
    district.add({.schoolYear = "2024-2025", .mean = 3.2, .lower = 3.1, .upper = 3.3, .favorable = 20});
    district.add({.schoolYear = "2025-2026", .mean = 3.3, .lower = 3.2, .upper = 3.4, .favorable = 29});
    auto goal = meanGoal(29, "2026-2027");
    goal.measure = GoalMeasure::Favorable;
    const auto progress = goalProgress(goal, district.years());
    // 20 of 100 = 20%; its Wilson interval, from the profile, times 100.
    CHECK(*progress[0].value == Approx(20));
    CHECK(progress[0].ci95->lower == Approx(100 * proportion(20, 100).wilson95->lower));
    // 29 of 100 is 28.999999999999996 in floating point: still 29%, the target.
    CHECK(*progress[1].value == Approx(29));
    CHECK(progress[1].status == GoalStatus::Met);
}

TEST_CASE("a gap goal judges the distance between the group and the rest, with the interval of that distance", "[unit][goals]") {
    District district;
    district.add({.schoolYear = "2024-2025", .gap = -0.40, .gapLower = -0.55, .gapUpper = -0.25});
    district.add({.schoolYear = "2025-2026", .gap = -0.33, .gapLower = -0.47, .gapUpper = -0.19});
    district.add({.schoolYear = "2026-2027", .gap = -0.35, .gapLower = -0.48, .gapUpper = -0.22});
    district.add({.schoolYear = "2027-2028", .gap = 0.12, .gapLower = -0.02, .gapUpper = 0.26});
    auto progress = goalProgress(gapGoal(0.10, "2028-2029"), district.years());
    // Baseline distance |-0.40| = 0.40 in 2024, target at most 0.10 in 2028: the line falls
    // (0.40 - 0.10) / 4 = 0.075 a year: 0.325 in 2025, 0.25 in 2026, 0.175 in 2027.
    CHECK(progress[0].isBaseline);
    CHECK(*progress[0].expected == Approx(0.40));
    CHECK(*progress[0].value == Approx(-0.40));  // published signed: the group is below the rest
    // 2025: the distance's interval is [|-0.19|, |-0.47|] = [0.19, 0.47]; 0.19 <= 0.325: on track.
    CHECK(*progress[1].expected == Approx(0.325));
    CHECK(progress[1].status == GoalStatus::OnTrack);
    // 2026: [0.22, 0.48]; 0.22 <= 0.25: still on track, if only just.
    CHECK(*progress[2].expected == Approx(0.25));
    CHECK(progress[2].status == GoalStatus::OnTrack);
    // 2027: the interval [-0.02, 0.26] holds 0, so the distance's is [0, 0.26]; |0.12| > 0.10 is
    // not met, 0 <= 0.175: on track.
    CHECK(*progress[3].expected == Approx(0.175));
    CHECK(progress[3].status == GoalStatus::OnTrack);

    // With the target year 2026 instead: the line falls 0.15 a year, to 0.25 in 2025, where the
    // interval [0.19, 0.47] still reaches it (on track); 2026 is the target year and 0.35 > 0.10.
    progress = goalProgress(gapGoal(0.10, "2026-2027"), district.years());
    CHECK(*progress[1].expected == Approx(0.25));
    CHECK(progress[1].status == GoalStatus::OnTrack);
    CHECK(progress[2].status == GoalStatus::OffTrack);
    CHECK(progress[3].status == GoalStatus::OffTrack);  // after the target year, 0.12 > 0.10

    // Target 0 by 2025-2026: 2025 is the target year, and 0.33 > 0 misses it.
    progress = goalProgress(gapGoal(0.0, "2025-2026"), district.years());
    CHECK(progress[1].status == GoalStatus::OffTrack);
    CHECK(goalProgress(gapGoal(0.12, "2030-2031"), district.years())[3].status == GoalStatus::Met);  // 0.12 <= 0.12
}

TEST_CASE("the interval of a distance", "[unit][goals]") {
    // Every |x| for x in the interval: both ends negative, both positive, or 0 inside.
    CHECK(absoluteInterval({-0.47, -0.19}).lower == Approx(0.19));
    CHECK(absoluteInterval({-0.47, -0.19}).upper == Approx(0.47));
    CHECK(absoluteInterval({0.1, 0.3}).lower == Approx(0.1));
    CHECK(absoluteInterval({-0.02, 0.26}).lower == 0);
    CHECK(absoluteInterval({-0.30, 0.26}).upper == Approx(0.30));
}

TEST_CASE("a hidden or absent figure is no data, and the baseline is the first year with one", "[unit][goals]") {
    District district;
    district.add({.schoolYear = "2023-2024", .groupMean = 3.0, .groupLower = 2.8, .groupUpper = 3.2, .groupHidden = HiddenBecause::BelowMinimum});
    district.add({.schoolYear = "2024-2025", .groupMean = 3.0, .groupLower = 2.8, .groupUpper = 3.2});
    district.add({.schoolYear = "2025-2026", .groupMean = 3.1, .groupLower = 2.9, .groupUpper = 3.3, .hasRaceQuestion = false});
    district.add({.schoolYear = "2026-2027", .groupMean = 3.4, .groupLower = 3.2, .groupUpper = 3.6,
                  .groupHidden = HiddenBecause::ComplementaryProtection});
    auto goal = meanGoal(3.5, "2027-2028");
    goal.group = GoalGroup{"race", "black"};
    const auto progress = goalProgress(goal, district.years());
    CHECK(progress[0].status == GoalStatus::NoData);
    CHECK(progress[0].noData == GoalNoData::Hidden);
    CHECK(progress[0].hidden == HiddenBecause::BelowMinimum);
    CHECK_FALSE(progress[0].value);  // nothing of a hidden group leaks into the goal
    CHECK(progress[1].isBaseline);   // 2024: the first year with a figure
    CHECK(progress[2].noData == GoalNoData::GroupNotInSurvey);
    CHECK(progress[3].noData == GoalNoData::Hidden);
    CHECK(progress[3].hidden == HiddenBecause::ComplementaryProtection);
    CHECK(goalEvidence(goal, progress[0], "en") == "No figure. Hidden to protect groups of fewer than 5 people.");
    // Hidden to protect a smaller group: the same words, so that nobody can tell which one is small.
    CHECK(goalEvidence(goal, progress[3], "es") == "Sin dato. Oculto para proteger a los grupos de menos de 5 personas.");

    // A gap hidden because the rest of the district is too small is no data as well.
    District small;
    small.add({.schoolYear = "2024-2025", .groupMean = 3.0, .groupLower = 2.8, .groupUpper = 3.2,
               .gapHidden = HiddenBecause::ComparisonBelowMinimum});
    const auto gap = goalProgress(gapGoal(0.1, "2027-2028"), small.years());
    CHECK(gap[0].hidden == HiddenBecause::ComparisonBelowMinimum);
    CHECK(gap[0].status == GoalStatus::NoData);
}

TEST_CASE("a chosen baseline year leaves earlier years unjudged and starts the line there", "[unit][goals]") {
    District district;
    district.add({.schoolYear = "2024-2025", .mean = 3.00, .lower = 2.90, .upper = 3.10});
    district.add({.schoolYear = "2025-2026", .mean = 3.30, .lower = 3.20, .upper = 3.40});
    district.add({.schoolYear = "2026-2027", .mean = 3.40, .lower = 3.33, .upper = 3.47});
    auto goal = meanGoal(3.60, "2027-2028");
    goal.baselineYear = "2025-2026";
    const auto progress = goalProgress(goal, district.years());
    CHECK(progress[0].status == GoalStatus::BeforeBaseline);
    CHECK_FALSE(progress[0].expected);
    CHECK(progress[1].isBaseline);
    // Line from 3.30 (2025) to 3.60 (2027): 3.45 in 2026; the upper end 3.47 reaches it.
    CHECK(*progress[2].expected == Approx(3.45));
    CHECK(progress[2].status == GoalStatus::OnTrack);
    CHECK(goalEvidence(goal, progress[0], "en") == "Mean 3.00 (95% CI 2.90 to 3.10), before the baseline year: not judged.");
}

TEST_CASE("another instrument version or a survey without the scale is no data", "[unit][goals]") {
    District district;
    district.add({.schoolYear = "2024-2025", .mean = 3.0, .lower = 2.9, .upper = 3.1});
    district.add({.schoolYear = "2025-2026", .mean = 3.2, .lower = 3.1, .upper = 3.3, .instrumentKey = "equity-excellence@2.0.0"});
    district.add({.schoolYear = "2026-2027", .mean = 3.2, .lower = 3.1, .upper = 3.3, .instrumentKey = "shared-responsibility@1.0.0"});
    const auto goal = meanGoal(3.5, "2027-2028");
    const auto progress = goalProgress(goal, district.years());
    CHECK(progress[1].noData == GoalNoData::OtherVersion);
    CHECK_FALSE(progress[1].value);
    CHECK(progress[2].noData == GoalNoData::ScaleNotInSurvey);
    CHECK(goalEvidence(goal, progress[1], "en").find("equity-excellence@2.0.0") != std::string::npos);
}

TEST_CASE("the evidence names the figure, its interval, the line and the target, in English and Spanish", "[unit][goals]") {
    District district;
    district.add({.schoolYear = "2024-2025", .mean = 3.20, .lower = 3.10, .upper = 3.30,
                  .gap = -0.40, .gapLower = -0.55, .gapUpper = -0.25});
    district.add({.schoolYear = "2025-2026", .mean = 3.40, .lower = 3.32, .upper = 3.48,
                  .gap = -0.33, .gapLower = -0.47, .gapUpper = -0.19});
    district.add({.schoolYear = "2026-2027", .mean = 3.38, .lower = 3.31, .upper = 3.45,
                  .gap = -0.35, .gapLower = -0.48, .gapUpper = -0.22});
    auto goal = meanGoal(3.6, "2027-2028");
    auto progress = goalProgress(goal, district.years());
    CHECK(goalEvidence(goal, progress[0], "en") ==
          "Baseline: mean 3.20 (95% CI 3.10 to 3.30). The line to the target of 3.60 in 2027-2028 starts here.");
    CHECK(goalEvidence(goal, progress[1], "en") ==
          "Mean 3.40 (95% CI 3.32 to 3.48); the line from the baseline to the target of 3.60 in 2027-2028 expects 3.33 by now, "
          "and the interval reaches it: not clearly behind.");
    CHECK(goalEvidence(goal, progress[2], "es") ==
          "Media 3,38 (IC 95% 3,31 a 3,45); la línea desde la línea de base hasta el objetivo de 3,60 en 2027-2028 espera 3,47 a "
          "estas alturas, y todo el intervalo queda por debajo: claramente por detrás.");

    goal = gapGoal(0.1, "2026-2027");
    progress = goalProgress(goal, district.years());
    CHECK(goalEvidence(goal, progress[2], "en") ==
          "Gap to the rest of the district \u22120.35 (95% CI \u22120.48 to \u22120.22), 0.35 apart: the target of at most 0.10 "
          "set for 2026-2027 was not reached.");

    // A figure that rounds to the target but misses it gets the digits that show the miss.
    District close;
    close.add({.schoolYear = "2024-2025", .mean = 3.20, .lower = 3.10, .upper = 3.30});
    close.add({.schoolYear = "2025-2026", .mean = 3.596, .lower = 3.5, .upper = 3.7});
    goal = meanGoal(3.6, "2025-2026");
    progress = goalProgress(goal, close.years());
    CHECK(progress[1].status == GoalStatus::OffTrack);
    CHECK(goalEvidence(goal, progress[1], "en") ==
          "Mean 3.596 (95% CI 3.50 to 3.70): the target of 3.60 set for 2025-2026 was not reached.");
}

TEST_CASE("school years are two consecutive years", "[unit][goals]") {
    CHECK(schoolYearStart("2027-2028") == 2027);
    CHECK_FALSE(schoolYearStart("2027-2029"));
    CHECK_FALSE(schoolYearStart("2027"));
    CHECK_FALSE(schoolYearStart("27-28"));
    CHECK_FALSE(schoolYearStart("2027–2028"));  // an en dash
    CHECK_THROWS_WITH(goalProgress(meanGoal(3.5, "next year"), {}), Catch::Contains("next year"));
}

TEST_CASE("the goals CSV has a row per goal and school year, and a hidden year has only its reason", "[unit][goals]") {
    District district;
    district.add({.schoolYear = "2024-2025", .mean = 3.2, .lower = 3.1, .upper = 3.3, .groupMean = 3.0, .groupLower = 2.8, .groupUpper = 3.2});
    district.add({.schoolYear = "2025-2026", .mean = 3.4, .lower = 3.32, .upper = 3.48, .groupHidden = HiddenBecause::BelowMinimum});
    auto groupGoal = meanGoal(3.5, "2027-2028");
    groupGoal.group = GoalGroup{"race", "black"};
    groupGoal.baselineYear = "2024-2025";
    // A title with a comma is quoted (RFC 4180).
    const std::vector<ListedGoal> goals{{7, meanGoal(3.6, "2027-2028"), "High expectations, for all", ""},
                                        {9, groupGoal, "High expectations, for all", "Black or African American"}};
    const auto csv = goalsToCsv(goals, district.years());

    std::vector<std::string> rows;
    for (std::size_t start = 0, end; (end = csv.find('\n', start)) != std::string::npos; start = end + 1)
        rows.push_back(csv.substr(start, end - start));
    REQUIRE(rows.size() == 5);
    CHECK(rows[0] ==
          "goal,instrument,scale,scale_title,measure,question,group,group_label,target,target_year,baseline_year,school_year,survey,"
          "instrument_version,value,ci95_lower,ci95_upper,expected,status,is_baseline,no_data,hidden");
    // The baseline year: the line starts at the figure itself, 3.2.
    CHECK(rows[1] == "7,equity-excellence,high-expectations,\"High expectations, for all\",mean,,,,3.6,2027-2028,,2024-2025,riverside-2024,"
                     "equity-excellence@1.0.0,3.2,3.1,3.3,3.2,on-track,1,,");
    // 2025: the line expects 3.2 + (3.6 - 3.2) / 3 = 3.3333; the interval's upper end 3.48 reaches it.
    const std::string before = "7,equity-excellence,high-expectations,\"High expectations, for all\",mean,,,,3.6,2027-2028,,2025-2026,"
                               "riverside-2025,equity-excellence@1.0.0,3.4,3.32,3.48,";
    REQUIRE(rows[2].rfind(before, 0) == 0);
    const auto expected = rows[2].substr(before.size(), rows[2].find(',', before.size()) - before.size());
    CHECK(std::stod(expected) == Approx(3.2 + 0.4 / 3));
    CHECK(rows[2].substr(before.size() + expected.size()) == ",on-track,0,,");
    CHECK(rows[3] == "9,equity-excellence,high-expectations,\"High expectations, for all\",mean,race,black,Black or African American,3.5,"
                     "2027-2028,2024-2025,2024-2025,riverside-2024,equity-excellence@1.0.0,3,2.8,3.2,3,on-track,1,,");
    // The group is hidden in 2025: no figure, no interval, no line, only why.
    CHECK(rows[4] == "9,equity-excellence,high-expectations,\"High expectations, for all\",mean,race,black,Black or African American,3.5,"
                     "2027-2028,2024-2025,2025-2026,riverside-2025,equity-excellence@1.0.0,,,,,no-data,0,hidden,hidden");

    CHECK(goalsToCsv({}, district.years()) == rows[0] + "\n");
}
