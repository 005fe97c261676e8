// Item tags reported as sub-scores (issue 10, item 3). The fixture is
// tests/fixtures/src/formats/tagged.json: 5-point agreement, scale "beliefs" b1, b2, b3 (reverse
// keyed) and scale "practices" p1, p2, p3, favorable at 4; tag group "focus": "students" on b1,
// p1, p2 and "adults" on b2, b3 (p3 untagged). fixture-tags scores by the SDK's default,
// fixture-tags-custom each scale by its highest keyed answer (tests/fixtures/src/formats/tagged.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analytics/Profile.h"
#include "analytics/ProfileJson.h"
#include "analytics/RawExport.h"
#include "analytics/ResponseFormat.h"
#include "loader/Fingerprint.h"
#include "loader/PluginLoader.h"
#include "loader/DerivedScales.h"
#include "support/FixtureSurveys.h"
#include "support/TestSupport.h"

using namespace mindset;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

json taggedJson() {
    return json::parse(testing::readFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "tests/fixtures/src/formats/tagged.json"));
}

std::vector<std::string> problemsOf(const json& definition) {
    try {
        (void)sdk::Definition::fromJson(definition.dump());
        return {};
    } catch (const sdk::DefinitionError& e) {
        return e.problems();
    }
}

bool hasProblem(const std::vector<std::string>& problems, const std::string& text) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

/// With access codes, so that groups of 5 are shown.
surveys::SurveyDefinition taggedSurvey(const std::string& instrumentKey) {
    auto survey = testing::surveyWithInstruments("riverside-2026.json", "tags-2026", {instrumentKey});
    survey.access = surveys::Access::AccessCodes;
    REQUIRE(survey.reportingThreshold() == 5);
    return survey;
}

/// Answers b1, b2, b3, p1, p2, p3 of six respondents (0 = not answered). Keyed (b3 -> 6 - code):
/// students (b1, p1, p2) 4, 7/3, 13/3, 2, 5, 1; adults (b2, b3) 4, 2, none, 4, 5, 1.
std::vector<std::vector<std::uint8_t>> handWorkedAnswers() {
    return {{5, 4, 2, 4, 3, 5}, {3, 2, 4, 2, 2, 1}, {4, 0, 0, 5, 4, 0}, {2, 3, 1, 0, 0, 0}, {5, 5, 1, 5, 5, 5}, {1, 1, 5, 1, 1, 1}};
}

std::vector<surveys::EncodedResponse> stored(const surveys::SurveyDefinition& survey, const std::vector<std::vector<std::uint8_t>>& answers,
                                             std::uint32_t firstSchools = 0) {
    std::vector<surveys::EncodedResponse> responses;
    for (std::size_t r = 0; r < answers.size(); ++r) {
        std::vector<std::uint8_t> demographics(survey.demographics.size() * 4, 0);
        if (r < firstSchools) demographics[0] = 1;  // the first school; everyone else gives no answer
        responses.push_back({demographics, answers[r]});
    }
    return responses;
}

const analytics::ScaleFigures& scaleOf(const analytics::Profile& profile, const std::string& scaleId) {
    for (const auto& scale : profile.scales)
        if (scale.scaleId == scaleId) return scale;
    FAIL("no scale " << scaleId);
    throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a definition's tag groups are read, and every mistake in them is named", "[unit][sdk][tags]") {
    const auto definition = sdk::Definition::fromJson(taggedJson().dump());
    REQUIRE(definition.tagGroups.size() == 1);
    CHECK(definition.tagGroups[0].values.size() == 2);
    CHECK(definition.findItem("b3")->tags == std::map<std::string, std::string>{{"focus", "adults"}});
    CHECK(definition.findItem("p3")->tags.empty());

    auto broken = taggedJson();
    broken["items"][5]["tags"] = {{"fokus", "students"}};
    broken["items"][1]["tags"] = {{"focus", "teachers"}};
    broken["tagGroups"][0]["values"][0]["title"].erase("es");
    broken["tagGroups"][0]["values"].push_back({{"id", "families"}, {"title", {{"en", "Families"}, {"es", "Familias"}}},
                                                {"description", {{"en", "F."}, {"es", "F."}}}});
    broken["scales"][1]["favorableAtLeast"] = 3;  // students now spans rules 4 (b1) and 3 (p1, p2)
    const auto problems = problemsOf(broken);
    CHECK(hasProblem(problems, "$.items['p3'].tags.fokus: unknown tag group 'fokus' (declare it in $.tagGroups)"));
    CHECK(hasProblem(problems, "$.items['b2'].tags.focus: unknown value 'teachers' of tag group 'focus' (expected one of: students, adults, families)"));
    CHECK(hasProblem(problems, "$.tagGroups['focus'].values['students'].title: Spanish text (\"es\") is missing"));
    CHECK(hasProblem(problems, "$.tagGroups['focus'].values['families']: no item carries focus 'families'"));
    CHECK(hasProblem(problems, "$.tagGroups['focus'].values['students']: its items are in scales with different favorable rules ('beliefs' and 'practices')"));

    auto notAnObject = taggedJson();
    notAnObject["items"][0]["tags"] = "students";
    CHECK(hasProblem(problemsOf(notAnObject), "$.items['b1'].tags: expected an object of tag group id -> value id"));

    // A plugin may not declare a sub-score itself: the host makes them from the tags.
    auto handMade = definition;
    handMade.scales[0].subScoreOf = sdk::Scale::Tag{"focus", "students"};
    CHECK(hasProblem(sdk::validate(handMade), "$.scales['beliefs'].subScoreOf: is the host's"));
}

TEST_CASE("the host adds one sub-score per tag value after the declared scales", "[unit][tags]") {
    const auto declared = sdk::Definition::fromJson(taggedJson().dump());
    const auto definition = loader::withDerivedScales(declared);
    REQUIRE(definition.scales.size() == 4);
    CHECK(loader::declaredScaleCount(definition) == 2);
    CHECK(definition.scales[2].id == "focus:students");
    CHECK(definition.scales[2].title.in("en") == "Focus: Students");
    CHECK(definition.scales[2].title.in("es") == "Enfoque: Estudiantes");
    CHECK(definition.scales[3].id == "focus:adults");
    CHECK(definition.scales[3].favorableAtLeast == 4);
    CHECK(definition.scales[3].holds(*definition.findItem("b3")));
    CHECK_FALSE(definition.scales[3].holds(*definition.findItem("p3")));
    // The registry keeps the loaded definition with its sub-scores.
    CHECK(testing::instrumentsWithFixtures().definitionOf("fixture-tags@1.0.0")->scales.size() == 4);
    CHECK(testing::instrumentsWithFixtures().definitionOf("fixture-tags-custom@1.0.0")->scales.size() == 5);  // and a custom figure

    // The SDK's default scoring over the host's definition: 5, 4, 2 (keyed 4), 4, 3, 5.
    const auto scores = sdk::meanOfAnsweredItems(definition, {{5, 4, 2, 4, 3, 5}});
    REQUIRE(scores.size() == 4);
    CHECK(*scores[2].value == Approx(4.0));  // (5 + 4 + 3) / 3
    CHECK(*scores[3].value == Approx(4.0));  // (4 + 4) / 2
    CHECK(scores[2].answeredCount == 3);
}

TEST_CASE("sub-scores are the mean of the tagged items, whatever the instrument's own scoring (hand-worked)", "[unit][tags][analytics]") {
    for (const std::string key : {"fixture-tags@1.0.0", "fixture-tags-custom@1.0.0"}) {
        INFO(key);
        const auto survey = taggedSurvey(key);
        const auto responses = stored(survey, handWorkedAnswers());
        const auto profile = analytics::buildProfile(survey, analytics::responsesInMemory(responses));
        REQUIRE(profile.failures.empty());

        // Students 4, 7/3, 13/3, 2, 5, 1; Python statistics.mean / stdev: 3.111111, 1.5587269259.
        const auto& students = scaleOf(profile, "focus:students");
        REQUIRE(students.district);
        CHECK(students.district->summary.n == 6);
        CHECK(*students.district->summary.mean == Approx(28.0 / 9.0));
        CHECK(*students.district->summary.sd == Approx(1.5587269259));
        CHECK(students.district->favorable.count == 3);  // 4, 13/3, 5 reach 4
        // Adults 4, 2, 4, 5, 1 (the third answered neither): 3.2, 1.6431676725.
        const auto& adults = scaleOf(profile, "focus:adults");
        REQUIRE(adults.district);
        CHECK(adults.district->summary.n == 5);
        CHECK(*adults.district->summary.mean == Approx(3.2));
        CHECK(*adults.district->summary.sd == Approx(1.6431676725));
        CHECK(adults.district->favorable.count == 3);
        // Its statements, with their answers as their own scales count them: b2 4 2 - 3 5 1.
        REQUIRE(adults.items.size() == 2);
        CHECK(adults.items[0].itemId == "b2");
        CHECK(adults.items[0].countsByCode == std::vector<std::int64_t>{1, 1, 1, 1, 1});
        CHECK(adults.items[0].missing == 1);
        CHECK(adults.items[1].isReverseKeyed);

        // Never ranked: their items count in their scales already.
        REQUIRE(profile.ranking.size() == 2);
        for (const auto g : profile.ranking) CHECK(profile.scales[g].scaleId.find(':') == std::string::npos);

        const auto data = analytics::profileToJson(profile, survey, "es");
        const auto& studentsJson = data["scales"][data["scales"].size() - 2];  // the sub-scores come last
        CHECK(studentsJson["subScoreOf"] == json::parse(R"({"group": "focus", "groupTitle": "Enfoque", "value": "students"})"));
        CHECK(studentsJson["title"] == "Enfoque: Estudiantes");
        CHECK_FALSE(data["scales"][0].contains("subScoreOf"));
    }
    // The declared scales follow each instrument's scoring: beliefs by the mean, or by the highest answer.
    const auto byMean = analytics::buildProfile(taggedSurvey("fixture-tags@1.0.0"),
                                                analytics::responsesInMemory(stored(taggedSurvey("fixture-tags@1.0.0"), handWorkedAnswers())));
    const auto byHighest = analytics::buildProfile(
        taggedSurvey("fixture-tags-custom@1.0.0"), analytics::responsesInMemory(stored(taggedSurvey("fixture-tags-custom@1.0.0"), handWorkedAnswers())));
    // Beliefs keyed: (5,4,4), (3,2,2), (4,-,-: one answer, below minAnswered 2), (2,3,5), (5,5,5), (1,1,1).
    CHECK(*scaleOf(byMean, "beliefs").district->summary.mean == Approx((13.0 / 3 + 7.0 / 3 + 10.0 / 3 + 5 + 1) / 5));
    CHECK(*scaleOf(byHighest, "beliefs").district->summary.mean == Approx((5.0 + 3 + 5 + 5 + 1) / 5));
}

TEST_CASE("a sub-score is hidden below the minimum group size and enters the disclosure audit", "[unit][tags][privacy]") {
    const auto survey = taggedSurvey("fixture-tags@1.0.0");
    SECTION("the district: four answered the adults statements") {
        auto answers = handWorkedAnswers();
        answers[3][1] = answers[3][2] = 0;  // adults now 4, 2, 5, 1
        const auto profile = analytics::buildProfile(survey, analytics::responsesInMemory(stored(survey, answers)));
        CHECK(scaleOf(profile, "focus:adults").hidden == analytics::HiddenBecause::BelowMinimum);
        CHECK_FALSE(scaleOf(profile, "focus:adults").district);
        // Without b2 and b3, respondent 4 has no beliefs score either: beliefs is hidden, and so is
        // students, which holds b1 (the next case); practices is shown.
        CHECK(scaleOf(profile, "beliefs").hidden == analytics::HiddenBecause::BelowMinimum);
        CHECK_FALSE(scaleOf(profile, "focus:students").district);
        CHECK(scaleOf(profile, "practices").district);
        const auto data = analytics::profileToJson(profile, survey, "en");
        CHECK(data["scales"][3].contains("hidden"));
        CHECK_FALSE(data["scales"][3].contains("mean"));
    }
    SECTION("a school of three, among twelve") {
        auto answers = handWorkedAnswers();
        const auto again = handWorkedAnswers();
        answers.insert(answers.end(), again.begin(), again.end());
        const auto profile = analytics::buildProfile(survey, analytics::responsesInMemory(stored(survey, answers, 3)));
        const auto& school = profile.breakdowns.front();
        REQUIRE(school.questionId == "school");
        for (std::size_t g = 0; g < profile.scales.size(); ++g) {
            INFO(profile.scales[g].scaleId);
            CHECK(school.cellsByScale[g][0].hidden != analytics::HiddenBecause::Shown);
            CHECK_FALSE(school.cellsByScale[g][0].figures);
        }
        bool isAudited = false;
        for (const auto& checked : profile.auditReport["checked"])
            if (checked["scale"].is_string() && checked["scale"].get<std::string>().find("focus:") != std::string::npos) isAudited = true;
        CHECK(isAudited);
    }
}

TEST_CASE("a sub-score is hidden where a scale of its statements is hidden, with its answer counts", "[unit][tags][privacy]") {
    // Six answer b1 (students); only four give practices its two answers (minAnswered 2), so
    // practices is hidden, but students (b1, p1, p2) has six scores: shown, its p1 and p2 counts
    // would give away the practice answers the hidden scale withholds.
    const auto survey = taggedSurvey("fixture-tags@1.0.0");
    const std::vector<std::vector<std::uint8_t>> answers{
        {5, 4, 2, 4, 3, 5}, {3, 2, 4, 2, 2, 1}, {4, 0, 0, 5, 4, 0}, {2, 3, 1, 4, 4, 0}, {5, 5, 1, 3, 0, 0}, {1, 1, 5, 2, 0, 0}};
    const auto profile = analytics::buildProfile(survey, analytics::responsesInMemory(stored(survey, answers)));
    REQUIRE(scaleOf(profile, "practices").hidden == analytics::HiddenBecause::BelowMinimum);
    REQUIRE(scaleOf(profile, "beliefs").district);
    const auto& students = scaleOf(profile, "focus:students");
    CHECK(students.hidden == analytics::HiddenBecause::BelowMinimum);
    CHECK_FALSE(students.district);
    for (const auto& item : students.items) {
        INFO(item.itemId);
        CHECK(std::all_of(item.countsByCode.begin(), item.countsByCode.end(), [](auto count) { return count == 0; }));
    }
    // adults (b2, b3) lies in beliefs alone, which is shown: so is adults, five scores.
    CHECK(scaleOf(profile, "focus:adults").district);
    const auto data = analytics::profileToJson(profile, survey, "en");
    for (const auto& scale : data["scales"])
        if (scale["scale"] == "focus:students") CHECK((scale.contains("hidden") && !scale.contains("items") && !scale.contains("mean")));
}

TEST_CASE("the raw export has a column per sub-score, and the codebook says what it is", "[unit][tags][export]") {
    const auto survey = taggedSurvey("fixture-tags-custom@1.0.0");
    std::ostringstream csv, codebook;
    const auto summary = analytics::writeRawExport(survey, analytics::responsesInMemory(stored(survey, handWorkedAnswers())), csv);
    analytics::writeCodebook(survey, summary, codebook);
    const auto header = csv.str().substr(0, csv.str().find("\r\n"));
    CHECK_THAT(header, Contains("fixture-tags-custom.beliefs,fixture-tags-custom.practices,fixture-tags-custom.beliefs~top-share,"
                                "fixture-tags-custom.focus:students,fixture-tags-custom.focus:adults"));
    CHECK_THAT(codebook.str(), Contains("Sub-score: the items tagged focus = adults, which count in their own scales too. Items: b2, b3 (reverse keyed)."));
    CHECK_THAT(codebook.str(), Contains("Mindset computes every sub-score by that rule, whatever the instrument's own scoring."));
}

TEST_CASE("retagging an item changes the fingerprint; an untagged definition's fingerprint does not see the new fields", "[unit][tags]") {
    const auto& registry = testing::instrumentsWithFixtures();
    const auto* instrument = registry.find("fixture-tags@1.0.0");
    const auto tagged = loader::fingerprintOf(*instrument, *registry.definitionOf("fixture-tags@1.0.0"));
    // The declared definition and the host's (with sub-scores) have one fingerprint.
    CHECK(loader::fingerprintOf(*instrument, instrument->definition()) == tagged);

    auto retagged = taggedJson();
    retagged["items"][5]["tags"] = {{"focus", "adults"}};
    const sdk::JsonInstrument moved(retagged.dump());
    CHECK(loader::fingerprintOf(moved) != tagged);
    auto untagged = taggedJson();
    untagged.erase("tagGroups");
    for (auto& item : untagged["items"]) item.erase("tags");
    const sdk::JsonInstrument plain(untagged.dump());
    CHECK(loader::fingerprintOf(plain) != tagged);
}

TEST_CASE("a custom figure is what the instrument's score() gives, on its own declared range, and never ranked (hand-worked)",
          "[unit][figures][analytics]") {
    const auto survey = taggedSurvey("fixture-tags-custom@1.0.0");
    const auto& definition = survey.instruments[0].definition();
    REQUIRE(definition.scales.size() == 5);  // beliefs, practices, beliefs~top-share, focus:students, focus:adults
    CHECK(definition.scales[2].id == "beliefs~top-share");
    CHECK(definition.scales[2].title.in("en") == "Beliefs: Top answers");
    CHECK(definition.scales[2].favorableAtLeast == 0.5);
    const auto range = analytics::scoreRangeOf(definition, definition.scales[2], "en");
    CHECK(range.min == 0);
    CHECK(range.max == 1);

    const auto profile = analytics::buildProfile(survey, analytics::responsesInMemory(stored(survey, handWorkedAnswers())));
    REQUIRE(profile.failures.empty());
    // Beliefs keyed (5,4,4), (3,2,2), (4: below minAnswered), (2,3,5), (5,5,5), (1,1,1): the share at 5 is
    // 1/3, 0, none, 1/3, 1, 0. Python statistics.mean / stdev: 0.333333, 0.4082482905.
    const auto& topShare = scaleOf(profile, "beliefs~top-share");
    REQUIRE(topShare.district);
    CHECK(topShare.district->summary.n == 5);
    CHECK(*topShare.district->summary.mean == Approx(1.0 / 3.0));
    CHECK(*topShare.district->summary.sd == Approx(0.4082482905));
    CHECK(topShare.district->favorable.count == 1);  // only 1 reaches 0.5
    CHECK(topShare.items.empty());
    CHECK_FALSE(topShare.reliability);
    for (const auto g : profile.ranking) CHECK(profile.scales[g].scaleId != "beliefs~top-share");

    const auto data = analytics::profileToJson(profile, survey, "en");
    const auto& figure = data["scales"][2];
    CHECK(figure["customFigureOf"] == json::parse(R"({"scale": "beliefs", "figure": "top-share"})"));
    CHECK(figure["scoreRange"] == json::array({0.0, 1.0}));
    CHECK(figure["reading"] == "A custom figure, computed by the instrument's own code: The share of the scale's answered statements given "
                               "the most favorable answer. It runs from 0 to 1; favorable means 0.5 or more.");

    // The audit knows its range: 0..1, not the response codes.
    std::ostringstream csv, codebook;
    const auto summary = analytics::writeRawExport(survey, analytics::responsesInMemory(stored(survey, handWorkedAnswers())), csv);
    analytics::writeCodebook(survey, summary, codebook);
    CHECK_THAT(csv.str(), Contains("fixture-tags-custom.beliefs~top-share"));
    CHECK_THAT(codebook.str(), Contains("Custom figure 'top-share' of scale 'beliefs', computed by the instrument's own code (not by Mindset)"));
    CHECK_THAT(codebook.str(), Contains("0 to 1\n(empty) = no score"));
}

TEST_CASE("a custom figure out of its range, or missing, fails the instrument naming it; one a JSON instrument cannot give is refused",
          "[unit][figures]") {
    const auto& definition = *testing::instrumentsWithFixtures().definitionOf("fixture-tags-custom@1.0.0");
    std::vector<sdk::ScaleScore> scores{{"beliefs", 4.0, 3, {1.5}}, {"practices", 3.0, 3, {}}};
    CHECK(analytics::scoreProblem(definition, scores) ==
          "gave 1.500000 for custom figure 'top-share' of scale 'beliefs', outside its declared range 0 to 1");
    scores[0].figures = {0.5};
    CHECK(analytics::scoreProblem(definition, scores).empty());
    scores[0].figures.clear();
    CHECK(analytics::scoreProblem(definition, scores) ==
          "returned 0 custom figures for scale 'beliefs', expected 1 (one per figure the scale declares, in order)");

    // Declared in a definition that only JSON scores: the default scoring gives no figures.
    auto declared = json::parse(testing::readFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "tests/fixtures/src/formats/tagged.json"));
    declared["scales"][0]["figures"] = json::parse(R"([{"id": "top-share", "title": {"en": "Top", "es": "Máx."},
        "description": {"en": "T.", "es": "M."}, "min": 0, "max": 1, "favorableAtLeast": 2}])");
    CHECK(hasProblem(problemsOf(declared), "$.scales['beliefs'].figures['top-share'].favorableAtLeast: must lie within the figure's range"));
    declared["scales"][0]["figures"][0]["favorableAtLeast"] = 0.5;
    CHECK(problemsOf(declared).empty());  // valid; the loader refuses it for want of a score() (PluginLoaderTest)
}

TEST_CASE("the loader refuses a JSON instrument that declares a custom figure, which its default scoring cannot give", "[unit][figures][plugin]") {
    loader::InstrumentRegistry registry;
    loader::loadPluginFolder(registry, std::filesystem::path(MINDSET_FIXTURE_PLUGIN_DIR) / "figures-json");
    CHECK_FALSE(registry.find("fixture-figures-json@1.0.0"));
    const auto* refusal = registry.refusalOf("fixture-figures-json@1.0.0");
    REQUIRE(refusal);
    CHECK_THAT(refusal->reason, Contains("instrument 'fixture-figures-json@1.0.0' declares custom figure 'top-share' of scale 'beliefs' but "
                                         "scores by the SDK's default, which gives none: give it a score() of its own"));
}
