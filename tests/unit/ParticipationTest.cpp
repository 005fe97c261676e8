#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "analytics/Participation.h"
#include "analytics/Profile.h"
#include "support/TestSupport.h"
#include "surveys/ResponseEncoding.h"

using namespace mindset;
using nlohmann::json;

namespace {

json demoJson() {
    return json::parse(testing::readFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2026.json"));
}

surveys::SurveyDefinition parsed(const json& survey) { return surveys::parseSurvey(survey.dump(), "changed.json", testing::shippedInstruments()); }

/// The SurveyError a changed demo survey raises, as "field: reason".
std::string problemWith(const json& survey) {
    try {
        parsed(survey);
    } catch (const surveys::SurveyError& e) {
        return e.field() + ": " + e.reason();
    }
    return "(valid)";
}

/// `count` respondents of `school` and `role`, with `races`, answering the first item or none at all.
void addRespondents(std::vector<surveys::EncodedResponse>& out, const surveys::SurveyDefinition& survey, int count,
                    const std::string& school, const std::string& role, std::vector<std::string> races, bool answersItems) {
    for (int i = 0; i < count; ++i) {
        surveys::FormFields fields{{"d.school", school}, {"d.role", role}};
        for (const auto& race : races) fields.emplace_back("d.race", race);
        if (answersItems) {
            const auto& instrument = survey.instruments[0];
            fields.emplace_back(surveys::itemFieldName(instrument, instrument.definition().items[0]), "4");
        }
        const auto check = surveys::checkResponse(survey, fields, {});
        REQUIRE(check.isValid());
        out.push_back(check.response);
    }
}

const analytics::Breakdown& breakdownOf(const analytics::Profile& profile, const std::string& question) {
    for (const auto& breakdown : profile.breakdowns)
        if (breakdown.questionId == question) return breakdown;
    FAIL("no breakdown " << question);
    throw;
}

std::int64_t respondentsIn(const analytics::Profile& profile, const std::string& question, const std::string& category) {
    const auto& breakdown = breakdownOf(profile, question);
    for (std::size_t c = 0; c < breakdown.categories.size(); ++c)
        if (breakdown.categories[c].id == category) return breakdown.respondents[c];
    FAIL("no category " << category);
    return -1;
}

const analytics::ParticipationRow& rowOf(const std::vector<analytics::ParticipationRow>& rows, const std::string& id) {
    for (const auto& row : rows)
        if (row.id == id) return row;
    FAIL("no row " << id);
    throw;
}

/// What a reader learns by subtracting the rows of `rows` shown exactly from the district's count:
/// the combined count of the hidden rows. It must never be one hidden row's own count (the rows
/// hidden are none, or at least two, all with somebody in them) nor fall below the minimum.
void checkSubtractionRevealsNoRow(const analytics::Profile& profile, const analytics::Participation& participation,
                                  const std::vector<analytics::ParticipationRow>& rows, const std::string& question) {
    std::int64_t shown = 0;
    std::vector<std::int64_t> hiddenCounts;
    for (const auto& row : rows) {
        if (row.responded.exact) shown += *row.responded.exact;
        else hiddenCounts.push_back(respondentsIn(profile, question, row.id));
    }
    REQUIRE(participation.district.responded.exact);
    const auto remainder = *participation.district.responded.exact - shown;
    INFO(question << ": " << hiddenCounts.size() << " rows hidden, " << remainder << " respondents between them");
    if (hiddenCounts.empty()) {
        CHECK(remainder == 0);
        return;
    }
    CHECK(hiddenCounts.size() >= 2);
    CHECK(remainder >= participation.minGroupSize);
    for (const auto count : hiddenCounts) {
        CHECK(count > 0);  // an empty row hidden would add nothing to the others' protection
        CHECK(remainder != count);
    }
}

}  // namespace

TEST_CASE("a survey may give staff counts per school and per role without changing its answer layout", "[unit][participation]") {
    auto file = demoJson();
    const auto survey = parsed(file);
    REQUIRE(survey.schools[0].staff);
    CHECK(*survey.schools[0].staff == 180);  // cedar-elementary
    REQUIRE(survey.staffByRole.size() == 6);
    CHECK(survey.staffByRole[0].roleId == "teacher");
    CHECK(survey.staffByRole[0].staff == 1000);
    CHECK(survey.demographics[0].isFromSchools);
    CHECK_FALSE(survey.demographics[1].isFromSchools);

    // Staff counts may change while responses are stored: they are not part of the layout.
    file.erase("staffByRole");
    for (auto& school : file["schools"]) school.erase("staff");
    const auto withoutStaff = parsed(file);
    CHECK_FALSE(withoutStaff.schools[0].staff);
    CHECK(withoutStaff.staffByRole.empty());
    CHECK(withoutStaff.answerLayout() == survey.answerLayout());

    // staffByRole is kept in the role question's order, whatever the file's order.
    file["staffByRole"] = json{{"other-staff", 10}, {"teacher", 90}};
    const auto reordered = parsed(file);
    REQUIRE(reordered.staffByRole.size() == 2);
    CHECK(reordered.staffByRole[0].roleId == "teacher");
    CHECK(reordered.staffByRole[1].roleId == "other-staff");
}

TEST_CASE("a staff count that cannot be used names the field and the reason", "[unit][participation]") {
    auto survey = demoJson();
    SECTION("no staff") {
        survey["schools"][2]["staff"] = 0;
        CHECK(problemWith(survey) == "$.schools[2].staff: expected a whole number of staff from 1 to 1000000, got 0");
    }
    SECTION("a count written as text") {
        survey["schools"][0]["staff"] = "180";
        CHECK(problemWith(survey) == "$.schools[0].staff: expected a whole number of staff from 1 to 1000000, got \"180\"");
    }
    SECTION("a fractional count of a role") {
        survey["staffByRole"]["teacher"] = 2.5;
        CHECK(problemWith(survey) == "$.staffByRole.teacher: expected a whole number of staff from 1 to 1000000, got 2.5");
    }
    SECTION("a role the role question does not offer") {
        survey["staffByRole"]["teachers"] = 40;
        CHECK(problemWith(survey) ==
              "$.staffByRole.teachers: not a choice of the role question (its choices: teacher, paraprofessional, "
              "school-leader, student-support, central-office, other-staff)");
    }
    SECTION("prefer not to say is nobody's role") {
        survey["staffByRole"]["prefer-not-to-say"] = 4;
        CHECK(problemWith(survey).starts_with("$.staffByRole.prefer-not-to-say: not a choice of the role question"));
    }
    SECTION("not an object") {
        survey["staffByRole"] = json::array({1000});
        CHECK(problemWith(survey) == "$.staffByRole: expected an object of role choice id -> number of staff");
    }
    SECTION("no role question") {
        survey["demographics"].erase(1);
        CHECK(problemWith(survey) == "$.staffByRole: staff counts by role need a demographic question with id \"role\"");
    }
}

TEST_CASE("the profile counts respondents in every category, whether or not they answered any item", "[unit][participation]") {
    const auto survey = testing::demoSurvey();
    std::vector<surveys::EncodedResponse> responses;
    addRespondents(responses, survey, 7, "maple-elementary", "teacher", {"black"}, true);
    addRespondents(responses, survey, 3, "cedar-elementary", "paraprofessional", {}, false);  // no item answered
    addRespondents(responses, survey, 2, "cedar-elementary", "teacher", {"black", "white"}, false);
    const auto profile = analytics::buildProfile(survey, analytics::responsesInMemory(responses));

    CHECK(profile.responses == 12);
    CHECK(respondentsIn(profile, "school", "maple-elementary") == 7);
    CHECK(respondentsIn(profile, "school", "cedar-elementary") == 5);
    CHECK(respondentsIn(profile, "school", "eastside-high") == 0);
    CHECK(respondentsIn(profile, "school", "no-answer") == 0);
    CHECK(respondentsIn(profile, "role", "teacher") == 9);
    CHECK(respondentsIn(profile, "role", "paraprofessional") == 3);
    CHECK(respondentsIn(profile, "race", "black") == 7);
    CHECK(respondentsIn(profile, "race", "two-or-more") == 2);
    CHECK(respondentsIn(profile, "race", "no-answer") == 3);
    for (const auto& breakdown : profile.breakdowns) {
        std::int64_t total = 0;
        for (const auto count : breakdown.respondents) total += count;
        CHECK(total == 12);  // categories add up to the district
    }
    // The cells count only respondents with a score: cedar's have none on this scale.
    CHECK(profile.breakdowns[0].cellsByScale[0][0].size == 0);
}

TEST_CASE("a participation count from 1 to the minimum - 1 is published only as \"fewer than\" the minimum", "[unit][participation][privacy]") {
    CHECK(analytics::publishCount(0, 5).exact == 0);
    for (int count = 1; count < 5; ++count) {
        const auto published = analytics::publishCount(count, 5);
        CHECK_FALSE(published.exact);
        CHECK(published.fewerThan == 5);
    }
    CHECK(analytics::publishCount(5, 5).exact == 5);
    CHECK(analytics::publishCount(9, 10).fewerThan == 10);

    auto survey = testing::demoSurvey();
    survey.openLinkMinGroupSize = survey.minGroupSize;  // the table rule at the survey's minimum  // minGroupSize 5; Maple has 198 staff, 52 school leaders
    std::vector<surveys::EncodedResponse> responses;
    addRespondents(responses, survey, 3, "maple-elementary", "school-leader", {}, true);
    addRespondents(responses, survey, 40, "eastside-high", "teacher", {}, true);
    addRespondents(responses, survey, 6, "lakeview-elementary", "paraprofessional", {}, true);  // withheld, so that Maple is not 49 - 46
    const auto profile = analytics::countRespondents(survey, analytics::responsesInMemory(responses));  // no release pattern: the table rule
    const auto participation = analytics::participationOf(survey, profile, {});
    CHECK(participation.expectedFrom == analytics::ExpectedFrom::StaffCounts);

    const auto& maple = rowOf(participation.schools, "maple-elementary");
    CHECK_FALSE(maple.responded.exact);
    CHECK(maple.expected == 198);
    CHECK_FALSE(maple.rate);  // 3/198 would give the count back
    const auto& eastside = rowOf(participation.schools, "eastside-high");
    CHECK(eastside.responded.exact == 40);
    CHECK(eastside.rate == Approx(40.0 / 610));
    CHECK(rowOf(participation.schools, "cedar-elementary").responded.exact == 0);
    CHECK(rowOf(participation.roles, "school-leader").responded.fewerThan == 5);
    CHECK(rowOf(participation.roles, "teacher").rate == Approx(40.0 / 1000));
    CHECK(participation.district.responded.exact == 49);
    CHECK(participation.district.expected == 1609);  // every school's staff

    // The published JSON holds neither the small count, nor a rate, nor a bound that says it is small.
    const auto data = analytics::participationToJson(participation, survey, "en", testing::dayWhenDemoIsOpen());
    CHECK(data["window"] == "open");
    for (const auto& row : data["schools"])
        if (row["id"] == "maple-elementary") {
            CHECK_FALSE(row.contains("responded"));
            CHECK_FALSE(row.contains("rate"));
            CHECK_FALSE(row.contains("respondedFewerThan"));
            CHECK_FALSE(row.contains("rateBelow"));
            CHECK(row["hidden"] == "hidden");
        }
    CHECK(data.dump().find("\"responded\":3") == std::string::npos);
}

TEST_CASE("with access codes, a school's participation is its codes used against its codes issued", "[unit][participation]") {
    auto survey = testing::demoSurvey();
    survey.access = surveys::Access::AccessCodes;
    const auto profile = analytics::countRespondents(survey, analytics::responsesInMemory({}));
    // Two small schools protect each other (2 + 3 = the minimum): Maple stays exact.
    const auto participation = analytics::participationOf(
        survey, profile, {{"maple-elementary", 40, 12}, {"cedar-elementary", 20, 2}, {"lakeview-elementary", 10, 3}});
    CHECK(participation.expectedFrom == analytics::ExpectedFrom::AccessCodes);
    CHECK(rowOf(participation.schools, "maple-elementary").rate == Approx(12.0 / 40));
    CHECK(rowOf(participation.schools, "cedar-elementary").responded.fewerThan == 5);
    CHECK_FALSE(rowOf(participation.schools, "eastside-high").expected);  // no codes issued there yet
    CHECK(participation.district.expected == 70);
}

TEST_CASE("a row fewer than the minimum cannot be worked out by subtracting the rows shown from the district total",
          "[unit][participation][privacy]") {
    auto survey = testing::demoSurvey();
    survey.openLinkMinGroupSize = survey.minGroupSize;  // the table rule at the survey's minimum  // minGroupSize 5
    for (int small = 1; small < 5; ++small) {
        for (const int next : {5, 6, 9, 25}) {
            DYNAMIC_SECTION("a school and a role of " << small << ", the next smallest of " << next) {
                std::vector<surveys::EncodedResponse> responses;
                addRespondents(responses, survey, small, "central-office", "school-leader", {}, true);
                addRespondents(responses, survey, next, "lakeview-elementary", "paraprofessional", {}, true);
                addRespondents(responses, survey, 40, "eastside-high", "teacher", {}, true);
                addRespondents(responses, survey, 30, "riverside-middle", "teacher", {}, false);
                const auto profile = analytics::countRespondents(survey, analytics::responsesInMemory(responses));  // no release pattern: the table rule
                const auto participation = analytics::participationOf(survey, profile, {});
                checkSubtractionRevealsNoRow(profile, participation, participation.schools, "school");
                checkSubtractionRevealsNoRow(profile, participation, participation.roles, "role");

                // The smallest other row is withheld: no count, no bound, no rate; its staff count stays.
                const auto& lakeview = rowOf(participation.schools, "lakeview-elementary");
                CHECK(lakeview.hidden == analytics::HiddenBecause::ComplementaryProtection);
                CHECK_FALSE(lakeview.responded.exact);
                CHECK_FALSE(lakeview.rate);
                CHECK(lakeview.expected == 262);
                CHECK(rowOf(participation.schools, "central-office").hidden == analytics::HiddenBecause::BelowMinimum);
                CHECK(rowOf(participation.schools, "eastside-high").responded.exact == 40);
                CHECK(rowOf(participation.schools, "cedar-elementary").responded.exact == 0);  // empty: points at nobody
                CHECK(rowOf(participation.roles, "paraprofessional").hidden == analytics::HiddenBecause::ComplementaryProtection);
                CHECK(rowOf(participation.roles, "teacher").responded.exact == 70);

                const auto data = analytics::participationToJson(participation, survey, "en", testing::dayWhenDemoIsOpen());
                for (const auto& table : {data["schools"], data["roles"]})
                    for (const auto& row : table) {
                        if (!row.contains("hidden")) continue;
                        CHECK_FALSE(row.contains("responded"));
                        CHECK_FALSE(row.contains("rate"));
                        // Small or protecting a small one: the same word, no bound.
                        CHECK(row["hidden"] == "hidden");
                        CHECK_FALSE(row.contains("respondedFewerThan"));
                        CHECK_FALSE(row.contains("rateBelow"));
                    }
            }
        }
    }
}

TEST_CASE("\"prefer not to say\" takes part in the roles' sum, and small rows that protect each other hide nothing more",
          "[unit][participation][privacy]") {
    auto survey = testing::demoSurvey();
    survey.openLinkMinGroupSize = survey.minGroupSize;  // the table rule at the survey's minimum
    SECTION("prefer not to say alone below the minimum") {
        std::vector<surveys::EncodedResponse> responses;
        addRespondents(responses, survey, 2, "eastside-high", "prefer-not-to-say", {}, true);
        addRespondents(responses, survey, 8, "eastside-high", "paraprofessional", {}, true);
        addRespondents(responses, survey, 40, "eastside-high", "teacher", {}, true);
        const auto profile = analytics::countRespondents(survey, analytics::responsesInMemory(responses));  // no release pattern: the table rule
        const auto participation = analytics::participationOf(survey, profile, {});
        CHECK(rowOf(participation.roles, "prefer-not-to-say").hidden == analytics::HiddenBecause::BelowMinimum);
        CHECK(rowOf(participation.roles, "paraprofessional").hidden == analytics::HiddenBecause::ComplementaryProtection);
        checkSubtractionRevealsNoRow(profile, participation, participation.roles, "role");
        checkSubtractionRevealsNoRow(profile, participation, participation.schools, "school");  // one school: nothing hidden
    }
    SECTION("two small rows that hold the minimum together") {
        std::vector<surveys::EncodedResponse> responses;
        addRespondents(responses, survey, 2, "cedar-elementary", "teacher", {}, true);
        addRespondents(responses, survey, 3, "maple-elementary", "teacher", {}, true);
        addRespondents(responses, survey, 6, "lakeview-elementary", "teacher", {}, true);
        const auto profile = analytics::countRespondents(survey, analytics::responsesInMemory(responses));  // no release pattern: the table rule
        const auto participation = analytics::participationOf(survey, profile, {});
        CHECK(rowOf(participation.schools, "lakeview-elementary").responded.exact == 6);
        checkSubtractionRevealsNoRow(profile, participation, participation.schools, "school");
    }
    SECTION("two small rows below the minimum together") {
        std::vector<surveys::EncodedResponse> responses;
        addRespondents(responses, survey, 1, "cedar-elementary", "teacher", {}, true);
        addRespondents(responses, survey, 2, "maple-elementary", "teacher", {}, true);
        addRespondents(responses, survey, 6, "lakeview-elementary", "teacher", {}, true);
        addRespondents(responses, survey, 9, "eastside-high", "teacher", {}, true);
        const auto profile = analytics::countRespondents(survey, analytics::responsesInMemory(responses));  // no release pattern: the table rule
        const auto participation = analytics::participationOf(survey, profile, {});
        CHECK(rowOf(participation.schools, "lakeview-elementary").hidden == analytics::HiddenBecause::ComplementaryProtection);
        CHECK(rowOf(participation.schools, "eastside-high").responded.exact == 9);
        checkSubtractionRevealsNoRow(profile, participation, participation.schools, "school");
    }
    SECTION("a district below the minimum") {
        std::vector<surveys::EncodedResponse> responses;
        addRespondents(responses, survey, 1, "cedar-elementary", "teacher", {}, true);
        addRespondents(responses, survey, 2, "maple-elementary", "teacher", {}, true);
        const auto profile = analytics::countRespondents(survey, analytics::responsesInMemory(responses));  // no release pattern: the table rule
        const auto participation = analytics::participationOf(survey, profile, {});
        CHECK_FALSE(participation.district.responded.exact);
        for (const auto& row : participation.schools) CHECK(row.hidden != analytics::HiddenBecause::ComplementaryProtection);
    }
}

TEST_CASE("participation of a release hides exactly the groups its profile hides, and nothing else", "[unit][participation][privacy]") {
    // Its own pattern could differ from the profile's, and the two together could then pin a group
    // that each hides: Eastside's 40 are shown here only if the release shows them.
    const auto survey = testing::demoSurvey();
    std::vector<surveys::EncodedResponse> responses;
    addRespondents(responses, survey, 3, "maple-elementary", "school-leader", {}, true);
    addRespondents(responses, survey, 40, "eastside-high", "teacher", {}, true);
    addRespondents(responses, survey, 6, "lakeview-elementary", "paraprofessional", {}, true);
    const auto profile = analytics::buildProfile(survey, analytics::responsesInMemory(responses));
    REQUIRE(profile.suppressionPattern.is_object());
    const auto participation = analytics::participationOf(survey, profile, {});
    const auto& pattern = profile.suppressionPattern;
    auto isHiddenInProfile = [&](const std::string& group) {
        for (const auto& hidden : pattern["hiddenGroups"])
            if (hidden == group) return true;
        return false;
    };
    int hidden = 0;
    for (const auto& [question, rows] : {std::pair{std::string("school"), &participation.schools}, std::pair{std::string("role"), &participation.roles}})
        for (const auto& row : *rows) {
            INFO(question << "=" << row.id);
            if (row.exactCount == 0) continue;
            const bool isHidden = row.hidden != analytics::HiddenBecause::Shown;
            CHECK(isHidden == isHiddenInProfile(question + "=" + row.id));
            CHECK(row.responded.exact.has_value() == !isHidden);
            CHECK(row.rate.has_value() == (!isHidden && row.expected.has_value()));
            hidden += isHidden;
        }
    CHECK(hidden >= 2);  // Maple's 3 and whatever protects them
    CHECK(rowOf(participation.schools, "maple-elementary").hidden != analytics::HiddenBecause::Shown);
}
