#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "analytics/Profile.h"
#include "analytics/ProfileJson.h"
#include "support/TestSupport.h"
#include "surveys/ResponseEncoding.h"

using namespace mindset;
using analytics::HiddenBecause;

namespace {

/// Builds responses to the demo survey from form fields, as the web form would store them.
class Responses {
public:
    explicit Responses(const surveys::SurveyDefinition& survey) : survey_(survey) {}

    /// `count` respondents of `school` and `role` answering every equity-excellence
    /// high-expectations item so that its keyed value is `keyed`, and nothing else.
    void add(int count, const std::string& school, const std::string& role, int keyed, std::vector<std::string> race = {}) {
        const auto& instrument = survey_.instruments[0];
        const auto& definition = instrument.definition();
        for (int i = 0; i < count; ++i) {
            surveys::FormFields fields{{"d.school", school}, {"d.role", role}};
            for (const auto& r : race) fields.emplace_back("d.race", r);
            for (const auto& item : definition.items) {
                if (item.scaleId != "high-expectations") continue;
                const int code = item.isReverseKeyed ? 6 - keyed : keyed;  // stored code for this keyed value
                fields.emplace_back(surveys::itemFieldName(instrument, item), std::to_string(code));
            }
            const auto check = surveys::checkResponse(survey_, fields, {});
            REQUIRE(check.isValid());
            stored_.push_back(check.response);
        }
    }

    analytics::ResponseSource source() const { return analytics::responsesInMemory(stored_); }

private:
    const surveys::SurveyDefinition& survey_;
    std::vector<surveys::EncodedResponse> stored_;
};

const analytics::ScaleFigures& scaleNamed(const analytics::Profile& profile, const std::string& id) {
    for (const auto& scale : profile.scales)
        if (scale.scaleId == id) return scale;
    FAIL("no scale " << id);
    throw;
}

std::size_t scaleIndex(const analytics::Profile& profile, const std::string& id) {
    for (std::size_t g = 0; g < profile.scales.size(); ++g)
        if (profile.scales[g].scaleId == id) return g;
    return 0;
}

const analytics::Cell& cellOf(const analytics::Profile& profile, const std::string& question, const std::string& category,
                              const std::string& scale) {
    for (const auto& breakdown : profile.breakdowns) {
        if (breakdown.questionId != question) continue;
        for (const auto& cell : breakdown.cellsByScale[scaleIndex(profile, scale)])
            if (breakdown.categories[cell.category].id == category) return cell;
    }
    FAIL("no cell " << question << "/" << category);
    throw;
}

}  // namespace

TEST_CASE("race/ethnicity categories are mutually exclusive: one choice, two or more, or no answer", "[unit][analytics]") {
    const auto survey = testing::demoSurvey();
    const auto& race = survey.demographics[3];
    const auto categories = analytics::categoriesOf(race);
    REQUIRE(categories.size() == race.choices.size() + 2);
    CHECK(categories[race.choices.size()].id == "two-or-more");
    CHECK(categories.back().id == "no-answer");
    CHECK(analytics::categoryOf(race, 0) == race.choices.size() + 1);          // nothing selected
    CHECK(analytics::categoryOf(race, 1u << 2) == 2);                          // black only
    CHECK(analytics::categoryOf(race, (1u << 2) | (1u << 3)) == race.choices.size());  // black and hispanic
    const auto& role = survey.demographics[1];
    CHECK(analytics::categoryOf(role, 0) == role.choices.size());  // no answer
    CHECK(analytics::categoryOf(role, 2) == 1);
}

TEST_CASE("the profile scores, breaks down and compares groups, hiding small ones", "[unit][analytics][privacy]") {
    const auto survey = testing::demoSurvey();
    Responses responses(survey);
    // Cedar: 10 teachers at keyed 4 and 10 at 5 (mean 4.5); Maple: 12 teachers at 2;
    // Lakeview: 3 paraprofessionals at 3 (too few to show).
    responses.add(10, "cedar-elementary", "teacher", 4, {"white"});
    responses.add(10, "cedar-elementary", "teacher", 5, {"hispanic"});
    responses.add(12, "maple-elementary", "teacher", 2, {"hispanic", "white"});
    responses.add(3, "lakeview-elementary", "paraprofessional", 3, {"black"});
    const auto profile = analytics::buildProfile(survey, responses.source());

    CHECK(profile.responses == 35);
    const auto& scale = scaleNamed(profile, "high-expectations");
    REQUIRE(scale.district);
    CHECK(scale.size == 35);
    // (10*4 + 10*5 + 12*2 + 3*3) / 35 = 123 / 35
    CHECK(*scale.district->summary.mean == Approx(123.0 / 35.0).margin(1e-12));
    // favorable (>= 4): the 20 at Cedar
    CHECK(scale.district->favorable.count == 20);
    // Reverse-keyed ee04 was stored as 6 - keyed, so the keyed items agree perfectly within a person.
    REQUIRE(scale.reliability);
    REQUIRE(scale.reliability->alpha);
    CHECK(*scale.reliability->alpha == Approx(1.0).margin(1e-9));
    // Item distribution of ee01 (not reversed): code 4 x10, 5 x10, 2 x12, 3 x3.
    CHECK(scale.items[0].countsByCode == std::vector<std::int64_t>{0, 12, 3, 10, 10});
    // Other scales of the instrument were not answered: no score, hidden as below the minimum.
    CHECK(scaleNamed(profile, "equitable-resourcing").hidden == HiddenBecause::BelowMinimum);
    CHECK_FALSE(scaleNamed(profile, "equitable-resourcing").district);

    // Lakeview (3) is below the open link's 10. Before issue 9 Maple alone was hidden beside it and
    // Cedar shown; but Cedar's 20 are all favorable and so is the whole district's 20: a reader
    // learns that nobody at Lakeview is favorable. The audit hides every school that tells that.
    CHECK(profile.minGroupSize == 10);
    CHECK(profile.isAuditPassed);
    CHECK(cellOf(profile, "school", "lakeview-elementary", "high-expectations").hidden == HiddenBecause::BelowMinimum);
    const auto& maple = cellOf(profile, "school", "maple-elementary", "high-expectations");
    CHECK(maple.hidden == HiddenBecause::ComplementaryProtection);
    CHECK_FALSE(maple.figures);
    CHECK_FALSE(maple.gap);
    const auto& cedar = cellOf(profile, "school", "cedar-elementary", "high-expectations");
    CHECK(cedar.hidden == HiddenBecause::ComplementaryProtection);
    CHECK_FALSE(cedar.figures);
    // Empty schools are simply empty.
    CHECK(cellOf(profile, "school", "eastside-high", "high-expectations").size == 0);

    // Role: 32 teachers, 3 paraprofessionals. The district's 35 minus the teachers would give the
    // paraprofessionals away, so the teachers are hidden too.
    const auto& teachers = cellOf(profile, "role", "teacher", "high-expectations");
    CHECK(teachers.hidden == HiddenBecause::ComplementaryProtection);
    CHECK_FALSE(teachers.gap);

    // Race: white 10, hispanic 10, two or more 12, black 3.
    CHECK(cellOf(profile, "race", "two-or-more", "high-expectations").size == 12);
    CHECK(cellOf(profile, "race", "black", "high-expectations").hidden == HiddenBecause::BelowMinimum);
    const auto& white = cellOf(profile, "race", "white", "high-expectations");
    const auto& hispanic = cellOf(profile, "race", "hispanic", "high-expectations");
    CHECK((white.hidden != HiddenBecause::Shown || hispanic.hidden != HiddenBecause::Shown));

    // Strengths first: the only shown scale.
    REQUIRE(profile.ranking.size() == 1);
    CHECK(profile.scales[profile.ranking[0]].scaleId == "high-expectations");
}

TEST_CASE("a group that is the whole district has no gap to show", "[unit][analytics][privacy]") {
    const auto survey = testing::demoSurvey();
    Responses responses(survey);
    responses.add(12, "cedar-elementary", "teacher", 4);
    const auto profile = analytics::buildProfile(survey, responses.source());
    const auto& teachers = cellOf(profile, "role", "teacher", "high-expectations");
    CHECK(teachers.hidden == HiddenBecause::Shown);
    CHECK(teachers.gapHidden == HiddenBecause::ComparisonBelowMinimum);
    CHECK_FALSE(teachers.gap);
}

TEST_CASE("no published number lets a hidden group be recovered by subtraction", "[unit][analytics][privacy]") {
    const auto survey = testing::demoSurvey();
    Responses responses(survey);
    responses.add(9, "cedar-elementary", "teacher", 4, {"white"});
    responses.add(2, "cedar-elementary", "school-leader", 5, {"black"});
    responses.add(7, "maple-elementary", "teacher", 3, {"hispanic"});
    responses.add(1, "maple-elementary", "student-support", 1, {"asian"});
    responses.add(6, "riverside-middle", "paraprofessional", 2, {"hispanic"});
    // Releases cross no questions; the engine still protects a crossed table when asked for one.
    analytics::ProfileOptions crossed;
    crossed.pairRows = "race";
    crossed.pairColumns = "role";
    const auto profile = analytics::buildProfile(survey, responses.source(), crossed);
    const auto g = scaleIndex(profile, "high-expectations");
    const auto district = profile.scales[g].size;
    REQUIRE(district == 25);

    // In every breakdown, the hidden cells together are none, or two or more holding >= 5 people.
    for (const auto& breakdown : profile.breakdowns) {
        std::int64_t hiddenTotal = 0, hiddenCount = 0;
        for (const auto& cell : breakdown.cellsByScale[g])
            if (cell.hidden != HiddenBecause::Shown) hiddenTotal += cell.size, ++hiddenCount;
        INFO(breakdown.questionId);
        CHECK((hiddenCount == 0 || (hiddenCount >= 2 && hiddenTotal >= 5)));
    }
    // The same for every row and column of race x role.
    REQUIRE(profile.pair);
    const auto rows = profile.breakdowns[profile.pair->rowQuestion].categories.size();
    const auto columns = profile.breakdowns[profile.pair->columnQuestion].categories.size();
    const auto& cells = profile.pair->cellsByScale[g];
    const auto& rowCells = profile.breakdowns[profile.pair->rowQuestion].cellsByScale[g];
    const auto& columnCells = profile.breakdowns[profile.pair->columnQuestion].cellsByScale[g];
    // A row of the table adds up to its row category in the race breakdown. If that category is
    // shown, the row's hidden cells must be none, or two or more holding >= 5 people; if it is
    // hidden, at least one cell of the row must be hidden, or the shown cells would add up to it.
    auto check = [&](const std::vector<std::size_t>& indexes, const analytics::Cell& marginal) {
        std::int64_t hiddenTotal = 0, hiddenCount = 0, nonEmpty = 0;
        for (auto i : indexes) {
            nonEmpty += cells[i].size > 0;
            if (cells[i].hidden != HiddenBecause::Shown) hiddenTotal += cells[i].size, ++hiddenCount;
        }
        if (marginal.hidden != HiddenBecause::Shown) CHECK((hiddenCount >= 1 || nonEmpty == 0));
        else CHECK((hiddenCount == 0 || (hiddenCount >= 2 && hiddenTotal >= 5)));
    };
    for (std::size_t r = 0; r < rows; ++r) {
        std::vector<std::size_t> row;
        for (std::size_t c = 0; c < columns; ++c) row.push_back(r * columns + c);
        check(row, rowCells[r]);
    }
    for (std::size_t c = 0; c < columns; ++c) {
        std::vector<std::size_t> column;
        for (std::size_t r = 0; r < rows; ++r) column.push_back(r * columns + c);
        check(column, columnCells[c]);
    }
    // Hidden cells carry no figures at all.
    for (const auto& cell : cells)
        if (cell.hidden != HiddenBecause::Shown) CHECK_FALSE(cell.figures);
}

namespace {

/// The demo survey with one-time access codes: its threshold is minGroupSize (5), not the open
/// link's 10.
surveys::SurveyDefinition codeSurvey() {
    auto survey = testing::demoSurvey();
    survey.access = surveys::Access::AccessCodes;
    return survey;
}

/// A source over `responses`, each tagged with the release that first included it.
analytics::ResponseSource withReleases(const std::vector<surveys::EncodedResponse>& responses, const std::vector<std::uint32_t>& releases) {
    return [&responses, &releases](const std::function<void(const analytics::ResponseBytes&)>& each) {
        for (std::size_t i = 0; i < responses.size(); ++i) each({responses[i].demographics, responses[i].answers, releases[i]});
    };
}

/// Collects what Responses::add stores.
class StoredResponses {
public:
    explicit StoredResponses(const surveys::SurveyDefinition& survey) : survey_(survey) {}
    void add(int count, const std::string& school, const std::string& role, std::vector<int> keyed, std::vector<std::string> race = {}) {
        const auto& instrument = survey_.instruments[0];
        for (int i = 0; i < count; ++i) {
            surveys::FormFields fields{{"d.school", school}, {"d.role", role}};
            for (const auto& r : race) fields.emplace_back("d.race", r);
            const int value = keyed[static_cast<std::size_t>(i) % keyed.size()];
            for (const auto& item : instrument.definition().items) {
                if (item.scaleId != "high-expectations") continue;
                fields.emplace_back(surveys::itemFieldName(instrument, item), std::to_string(item.isReverseKeyed ? 6 - value : value));
            }
            const auto check = surveys::checkResponse(survey_, fields, {});
            REQUIRE(check.isValid());
            stored.push_back(check.response);
        }
    }
    std::vector<surveys::EncodedResponse> stored;

private:
    const surveys::SurveyDefinition& survey_;
};

}  // namespace

TEST_CASE("an open-link survey hides groups below its higher threshold, the same data with access codes shows them",
          "[unit][analytics][privacy][audit]") {
    auto openLink = testing::demoSurvey();
    REQUIRE(openLink.access == surveys::Access::OpenLink);
    const auto codes = codeSurvey();
    StoredResponses responses(openLink);
    responses.add(7, "cedar-elementary", "teacher", {2, 3, 4, 5}, {"white"});
    responses.add(12, "maple-elementary", "teacher", {1, 2, 4, 5}, {"hispanic"});
    responses.add(14, "lakeview-elementary", "teacher", {2, 3, 4, 5}, {"hispanic"});
    const auto open = analytics::buildProfile(openLink, analytics::responsesInMemory(responses.stored));
    const auto coded = analytics::buildProfile(codes, analytics::responsesInMemory(responses.stored));
    CHECK(open.minGroupSize == 10);
    CHECK(coded.minGroupSize == 5);
    CHECK(open.isAuditPassed);
    CHECK(coded.isAuditPassed);
    // Cedar's 7: hidden on the open link (an outsider could have padded it), shown with codes.
    CHECK(cellOf(open, "school", "cedar-elementary", "high-expectations").hidden != HiddenBecause::Shown);
    CHECK(cellOf(coded, "school", "cedar-elementary", "high-expectations").hidden == HiddenBecause::Shown);
    CHECK(open.suppressionPattern["threshold"] == 10);
}

TEST_CASE("a release that adds a single response to the previous one is refused, naming the reason",
          "[unit][analytics][privacy][audit]") {
    const auto survey = codeSurvey();
    StoredResponses responses(survey);
    responses.add(10, "cedar-elementary", "teacher", {2, 3, 4, 5}, {"white"});
    responses.add(10, "maple-elementary", "teacher", {1, 2, 4, 5}, {"hispanic"});
    std::vector<std::uint32_t> releases(responses.stored.size(), 0);
    const auto first = analytics::buildProfile(survey, withReleases(responses.stored, releases));
    REQUIRE(first.isAuditPassed);

    // Release 2 = release 1 + one more teacher at Cedar.
    std::fill(releases.begin(), releases.end(), 1u);
    responses.add(1, "cedar-elementary", "teacher", {5}, {"white"});
    releases.push_back(0);
    analytics::ProfileOptions options;
    options.earlierPatterns = {first.suppressionPattern};
    const auto second = analytics::buildProfile(survey, withReleases(responses.stored, releases), options);
    CHECK_FALSE(second.isAuditPassed);
    CHECK(second.auditFailure.find("district") != std::string::npos);
    CHECK(second.auditFailure.find("release 1") != std::string::npos);
    CHECK(second.auditReport["passed"] == false);

    // With five new responses the release passes; the growth of each group is protected.
    for (int i = 0; i < 4; ++i) {
        responses.add(1, "maple-elementary", "teacher", {1 + i}, {"hispanic"});
        releases.push_back(0);
    }
    const auto third = analytics::buildProfile(survey, withReleases(responses.stored, releases), options);
    CHECK(third.isAuditPassed);
    // Cedar grew by 1 and Maple by 4: shown twice, each difference would single them out.
    CHECK(cellOf(third, "school", "cedar-elementary", "high-expectations").hidden != HiddenBecause::Shown);
    CHECK(cellOf(third, "school", "maple-elementary", "high-expectations").hidden != HiddenBecause::Shown);

    // A response of a release no pattern was given for is an error.
    releases.back() = 2;
    CHECK_THROWS_WITH(analytics::buildProfile(survey, withReleases(responses.stored, releases), options),
                      Catch::Contains("belongs to release 2"));
}

TEST_CASE("re-reading a release applies its stored pattern without an audit", "[unit][analytics][privacy][audit]") {
    const auto survey = codeSurvey();
    StoredResponses responses(survey);
    responses.add(12, "cedar-elementary", "teacher", {2, 3, 4, 5}, {"white"});
    responses.add(9, "maple-elementary", "teacher", {1, 2, 4, 5}, {"hispanic"});
    responses.add(2, "lakeview-elementary", "paraprofessional", {3, 4}, {"black"});
    const auto published = analytics::buildProfile(survey, analytics::responsesInMemory(responses.stored));
    REQUIRE(published.isAuditPassed);
    REQUIRE(published.suppressionPattern["hiddenGroups"].size() >= 2);

    analytics::ProfileOptions options;
    options.fixedPattern = published.suppressionPattern;
    const auto reread = analytics::buildProfile(survey, analytics::responsesInMemory(responses.stored), options);
    CHECK(reread.suppressionPattern == published.suppressionPattern);
    for (std::size_t q = 0; q < published.breakdowns.size(); ++q)
        for (std::size_t g = 0; g < published.scales.size(); ++g)
            for (std::size_t c = 0; c < published.breakdowns[q].cellsByScale[g].size(); ++c)
                CHECK((published.breakdowns[q].cellsByScale[g][c].hidden == HiddenBecause::Shown) ==
                      (reread.breakdowns[q].cellsByScale[g][c].hidden == HiddenBecause::Shown));

    options.fixedPattern = nlohmann::json{{"version", 1}, {"threshold", 5}, {"hiddenGroups", {"school=nowhere"}}};
    CHECK_THROWS_WITH(analytics::buildProfile(survey, analytics::responsesInMemory(responses.stored), options),
                      Catch::Contains("\"school=nowhere\", which this survey does not have"));
}

TEST_CASE("outputs say only \"hidden\", never why, and never a hidden group's count", "[unit][analytics][privacy][audit]") {
    const auto survey = codeSurvey();
    StoredResponses responses(survey);
    responses.add(12, "cedar-elementary", "teacher", {2, 3, 4, 5}, {"white"});
    responses.add(9, "maple-elementary", "teacher", {1, 2, 4, 5}, {"hispanic"});
    responses.add(2, "lakeview-elementary", "paraprofessional", {3, 4}, {"black"});
    const auto profile = analytics::buildProfile(survey, analytics::responsesInMemory(responses.stored));
    const auto json = analytics::profileToJson(profile, survey, "en");
    std::size_t hidden = 0;
    std::set<std::string> explanations;
    for (const auto& breakdown : json["breakdowns"])
        for (const auto& scale : breakdown["scales"])
            for (const auto& cell : scale["cells"]) {
                if (!cell.contains("hidden")) continue;
                ++hidden;
                CHECK(cell["hidden"] == "hidden");
                CHECK_FALSE(cell.contains("n"));
                CHECK_FALSE(cell.contains("favorable"));
                explanations.insert(cell["hiddenExplanation"].get<std::string>());
            }
    CHECK(hidden > 0);
    CHECK(explanations.size() == 1);
    // Lakeview (2, below the minimum) and the school hidden to protect it read the same.
    CHECK(cellOf(profile, "school", "lakeview-elementary", "high-expectations").hidden == HiddenBecause::BelowMinimum);
    CHECK(cellOf(profile, "school", "maple-elementary", "high-expectations").hidden == HiddenBecause::ComplementaryProtection);
}
