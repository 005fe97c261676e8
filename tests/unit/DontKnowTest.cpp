// "Don't know" and "not applicable" (issue 10, item 2): options an instrument may declare beside
// its scale. They are stored and counted in answer distributions, and left out of every score,
// of reliability and of % favorable, apart from a missing answer. The fixture is
// tests/fixtures/src/formats/readiness-dk.json: 1..4 (not started .. established), 8 = don't know,
// 9 = not applicable; scale "vision" is v1, v2 and v3 (reverse keyed), scale "data" d1 and d2.
#include <catch2/catch.hpp>

#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analytics/Profile.h"
#include "analytics/ProfileJson.h"
#include "analytics/RawExport.h"
#include "cli/InstrumentCheck.h"
#include "demo/DemoResponses.h"
#include "loader/Fingerprint.h"
#include "support/FixtureSurveys.h"
#include "support/TestSupport.h"
#include "surveys/ResponseEncoding.h"

using namespace mindset;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

constexpr std::uint8_t kDontKnow = 8, kNotApplicable = 9;

json readinessJson() {
    return json::parse(testing::readFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "tests/fixtures/src/formats/readiness-dk.json"));
}

/// Every problem fromJson finds in `definition` (none when it is accepted).
std::vector<std::string> problemsOf(const json& definition) {
    try {
        (void)sdk::Definition::fromJson(definition.dump());
        return {};
    } catch (const sdk::DefinitionError& e) {
        CHECK(e.instrumentKey() == "fixture-readiness-dk@1.0.0");  // the refusal names the instrument
        return e.problems();
    }
}

bool hasProblem(const std::vector<std::string>& problems, const std::string& text) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

/// With access codes, so that the hand-worked six scores reach the minimum group size (5).
surveys::SurveyDefinition readinessSurvey() {
    auto survey = testing::surveyWithInstruments("riverside-2026.json", "readiness-dk-2026", {"fixture-readiness-dk@1.0.0"});
    survey.access = surveys::Access::AccessCodes;
    REQUIRE(survey.reportingThreshold() == 5);
    return survey;
}

/// Stored responses with no demographic answer and these item codes (v1, v2, v3, d1, d2).
std::vector<surveys::EncodedResponse> storedResponses(const surveys::SurveyDefinition& survey,
                                                      const std::vector<std::vector<std::uint8_t>>& answers) {
    std::vector<surveys::EncodedResponse> responses;
    for (const auto& row : answers) responses.push_back({std::vector<std::uint8_t>(survey.demographics.size() * 4, 0), row});
    return responses;
}

/// The hand-worked data set: eight respondents on "vision" (v1, v2, v3 reversed), none on "data".
/// Keyed (v3 -> 5 - code; 8, 9 and 0 left out) the scale scores are 11/3, 3, 2, none (only "don't
/// know"), 1.5, 4, 8/3, none (nothing answered).
std::vector<std::vector<std::uint8_t>> handWorkedAnswers() {
    return {{4, 3, 1, 0, 0},
            {3, kDontKnow, 2, 0, 0},
            {2, 2, 3, 0, 0},
            {kDontKnow, kDontKnow, kDontKnow, 0, 0},
            {1, 2, kNotApplicable, 0, 0},
            {4, 4, 1, 0, 0},
            {3, 2, 2, 0, 0},
            {0, 0, 0, 0, 0}};
}

const analytics::ScaleFigures& vision(const analytics::Profile& profile) {
    for (const auto& scale : profile.scales)
        if (scale.scaleId == "vision") return scale;
    FAIL("no scale vision");
    throw;
}

/// Scores as the SDK default does, and remembers every code it was given.
class RecordingInstrument final : public sdk::Instrument {
public:
    explicit RecordingInstrument(const sdk::Definition& definition) : definition_(definition) {}
    const sdk::Definition& definition() const override { return definition_; }
    std::vector<sdk::ScaleScore> score(const sdk::ItemAnswers& answers) const override {
        std::lock_guard lock(mutex_);
        seen_.insert(answers.codes.begin(), answers.codes.end());
        return sdk::meanOfAnsweredItems(definition_, answers);
    }
    std::set<int> seen() const {
        std::lock_guard lock(mutex_);
        return seen_;
    }

private:
    const sdk::Definition& definition_;
    mutable std::mutex mutex_;
    mutable std::set<int> seen_;
};

}  // namespace

TEST_CASE("a definition may declare unscored options, checked like every other field", "[unit][formats][sdk]") {
    const auto definition = sdk::Definition::fromJson(readinessJson().dump());
    const auto& scale = definition.responseScale;
    REQUIRE(scale.unscoredOptions.size() == 2);
    CHECK(scale.unscoredOptions[0].label.in("es") == "No sé");
    CHECK(scale.isScoredCode(4));
    CHECK_FALSE(scale.isScoredCode(kDontKnow));
    CHECK(scale.isUnscoredCode(kDontKnow));
    CHECK(scale.isValidCode(kNotApplicable));
    CHECK(scale.minCode() == 1);
    CHECK(scale.maxCode() == 4);  // the score range is the scale's points alone

    // Backward compatible: a definition without them reads as before.
    auto without = readinessJson();
    without["responseScale"].erase("unscoredOptions");
    CHECK(problemsOf(without).empty());

    auto collides = readinessJson();
    collides["responseScale"]["unscoredOptions"][0]["code"] = 3;
    CHECK(hasProblem(problemsOf(collides),
                     "$.responseScale.unscoredOptions[0].code: code 3 is already the scored option 'Developing' (expected a code "
                     "outside the scored codes, e.g. 9)"));

    auto duplicate = readinessJson();
    duplicate["responseScale"]["unscoredOptions"][1]["code"] = 8;
    CHECK(hasProblem(problemsOf(duplicate), "$.responseScale.unscoredOptions[1].code: duplicate code 8"));

    auto untranslated = readinessJson();
    untranslated["responseScale"]["unscoredOptions"][1]["label"].erase("es");
    CHECK(hasProblem(problemsOf(untranslated), "$.responseScale.unscoredOptions[1].label: Spanish text (\"es\") is missing"));

    auto outOfRange = readinessJson();
    outOfRange["responseScale"]["unscoredOptions"][0]["code"] = 256;
    CHECK(hasProblem(problemsOf(outOfRange), "$.responseScale.unscoredOptions[0].code: expected 1..255, got 256"));

    auto tooMany = readinessJson();
    for (int code : {10, 11}) tooMany["responseScale"]["unscoredOptions"].push_back({{"code", code}, {"label", {{"en", "x"}, {"es", "x"}}}});
    CHECK(hasProblem(problemsOf(tooMany), "$.responseScale.unscoredOptions: expected at most 3 unscored options"));

    auto misspelt = readinessJson();
    misspelt["responseScale"]["unscoredOptions"][0]["kind"] = "dont-know";
    CHECK(hasProblem(problemsOf(misspelt), "$.responseScale.unscoredOptions[0].kind: unknown field"));
}

TEST_CASE("mindset instrument check names the colliding unscored option, file and instrument", "[unit][formats][cli]") {
    auto collides = readinessJson();
    collides["responseScale"]["unscoredOptions"][1]["code"] = 2;
    const testing::TempFolder folder;
    const auto file = folder.path() / "readiness-dk.json";
    {
        std::ofstream out(file);
        out << collides.dump(2);
    }
    std::ostringstream out;
    CHECK_FALSE(cli::checkInstrument(out, file));
    CHECK_THAT(out.str(), Contains(file.string() + ": fixture-readiness-dk@1.0.0: $.responseScale.unscoredOptions[1].code: code 2 is "
                                                   "already the scored option 'Beginning'"));

    std::ofstream(file) << readinessJson().dump(2);
    std::ostringstream good;
    CHECK(cli::checkInstrument(good, file));
    CHECK_THAT(good.str(), Contains("4 response options + unscored: 8 \"Don't know\", 9 \"Not applicable\""));
}

TEST_CASE("the SDK's default scoring counts an unscored answer as not answered", "[unit][formats][sdk]") {
    const auto definition = sdk::Definition::fromJson(readinessJson().dump());
    const auto scores = sdk::meanOfAnsweredItems(definition, {{3, kDontKnow, 2, kNotApplicable, kDontKnow}});
    REQUIRE(scores.size() == 2);
    CHECK(scores[0].answeredCount == 2);
    CHECK(*scores[0].value == Approx(3.0));  // (3 + (5 - 2)) / 2: "don't know" neither 8 nor 0
    CHECK(scores[1].answeredCount == 0);
    CHECK_FALSE(scores[1].value.has_value());  // minAnswered 1: only unscored answers give no score
}

TEST_CASE("don't know is left out of the scale score, reliability and % favorable (hand-worked)", "[unit][formats][analytics]") {
    const auto survey = readinessSurvey();
    const auto stored = storedResponses(survey, handWorkedAnswers());
    const auto profile = analytics::buildProfile(survey, analytics::responsesInMemory(stored));
    const auto& scale = vision(profile);
    REQUIRE(scale.district);

    // Scores 11/3, 3, 2, 1.5, 4, 8/3 (computed by hand; Python statistics.mean / stdev agree).
    const auto& summary = scale.district->summary;
    CHECK(summary.n == 6);
    CHECK(*summary.mean == Approx(101.0 / 36.0));  // 2.805556
    CHECK(*summary.sd == Approx(0.9569434365));
    // Favorable: a score of at least 3 — 11/3, 3 and 4.
    CHECK(scale.district->favorable.count == 3);
    CHECK(scale.district->favorable.n == 6);

    // Cronbach's alpha over the complete keyed rows only: (4,3,4), (2,2,2), (4,4,4), (3,2,3). By hand:
    // item variances 0.9167, 0.9167, 0.9167; total variance 7.5833; alpha = 1.5 * (1 - 2.75 / 7.5833).
    REQUIRE(scale.reliability);
    CHECK(scale.reliability->respondents == 4);
    CHECK(scale.reliability->droppedRespondents == 4);  // two with "don't know", one "not applicable", one blank
    CHECK(*scale.reliability->alpha == Approx(0.956043956));
    REQUIRE(scale.reliability->perItem.size() == 3);
    CHECK(*scale.reliability->perItem[0].correctedItemTotal == Approx(0.9534625892));
    CHECK(*scale.reliability->perItem[1].correctedItemTotal == Approx(0.8181818182));  // 9/11
}

TEST_CASE("answer distributions count each unscored option in a column of its own, apart from missing", "[unit][formats][analytics]") {
    const auto survey = readinessSurvey();
    const auto stored = storedResponses(survey, handWorkedAnswers());
    const auto profile = analytics::buildProfile(survey, analytics::responsesInMemory(stored));
    const auto& items = vision(profile).items;
    REQUIRE(items.size() == 3);
    // v1: 4 3 2 DK 1 4 3 blank
    CHECK(items[0].countsByCode == std::vector<std::int64_t>{1, 1, 2, 2});
    CHECK(items[0].countsByUnscoredCode == std::vector<std::int64_t>{1, 0});
    CHECK(items[0].missing == 1);
    // v2: 3 DK 2 DK 2 4 2 blank
    CHECK(items[1].countsByCode == std::vector<std::int64_t>{0, 3, 1, 1});
    CHECK(items[1].countsByUnscoredCode == std::vector<std::int64_t>{2, 0});
    CHECK(items[1].missing == 1);
    // v3 (reverse keyed; counted by the code given): 1 2 3 DK NA 1 2 blank
    CHECK(items[2].countsByCode == std::vector<std::int64_t>{2, 2, 1, 0});
    CHECK(items[2].countsByUnscoredCode == std::vector<std::int64_t>{1, 1});
    CHECK(items[2].missing == 1);

    // The JSON names the unscored options and gives their counts beside, never inside, "counts".
    const auto data = analytics::profileToJson(profile, survey, "es");
    const json* scale = nullptr;
    for (const auto& s : data["scales"])
        if (s["scale"] == "vision") scale = &s;
    REQUIRE(scale);
    CHECK((*scale)["unscoredOptions"] == json::parse(R"([{"code": 8, "label": "No sé"}, {"code": 9, "label": "No aplica"}])"));
    CHECK((*scale)["scoreRange"] == json::array({1, 4}));
    CHECK((*scale)["items"][2]["counts"] == json::parse(R"({"1": 2, "2": 2, "3": 1, "4": 0})"));
    CHECK((*scale)["items"][2]["unscoredCounts"] == json::array({1, 1}));
    CHECK((*scale)["items"][2]["missing"] == 1);
}

TEST_CASE("a plugin's own score() never sees an unscored answer", "[unit][formats][analytics]") {
    auto survey = readinessSurvey();
    const RecordingInstrument recording(survey.instruments[0].definition());
    survey.instruments[0].instrument = &recording;  // not a JsonInstrument: the profile calls score()
    const auto stored = storedResponses(survey, handWorkedAnswers());
    const auto profile = analytics::buildProfile(survey, analytics::responsesInMemory(stored));
    CHECK(recording.seen() == std::set<int>{0, 1, 2, 3, 4});
    const auto& scale = vision(profile);
    REQUIRE(scale.district);
    CHECK(*scale.district->summary.mean == Approx(101.0 / 36.0));
    CHECK(scale.items[1].countsByUnscoredCode == std::vector<std::int64_t>{2, 0});
}

TEST_CASE("the form's check stores an unscored code only for an instrument that declares it", "[unit][formats]") {
    const auto survey = readinessSurvey();
    const auto& instrument = survey.instruments[0];
    const auto& items = instrument.definition().items;
    const auto check = surveys::checkPage(survey, 2,
                                          {{surveys::itemFieldName(instrument, items[0]), "8"},
                                           {surveys::itemFieldName(instrument, items[1]), "9"},
                                           {surveys::itemFieldName(instrument, items[2]), "4"}},
                                          {});
    REQUIRE(check.isValid());
    CHECK(check.response.answers == std::vector<std::uint8_t>{kDontKnow, kNotApplicable, 4, 0, 0});
    const auto decoded = surveys::decodeResponse(readinessSurvey(), {std::vector<std::uint8_t>(survey.demographics.size() * 4, 0),
                                                                     check.response.answers});
    CHECK(decoded.answers[0] == kDontKnow);  // stored and read back as "don't know", not as missing (0)

    const auto refused = surveys::checkPage(survey, 2, {{surveys::itemFieldName(instrument, items[0]), "5"}}, {});
    REQUIRE(refused.problems.size() == 1);
    CHECK(refused.problems[0].kind == surveys::ProblemKind::InvalidChoice);

    // The shipped 5-point instrument declares none: 8 is not one of its answers.
    const auto shipped = testing::demoSurvey();
    const auto& other = shipped.instruments[0];
    const auto notOffered = surveys::checkPage(shipped, 2, {{surveys::itemFieldName(other, other.definition().items[0]), "8"}}, {});
    REQUIRE(notOffered.problems.size() == 1);
    CHECK(notOffered.problems[0].kind == surveys::ProblemKind::InvalidChoice);
}

TEST_CASE("an instrument's fingerprint covers its unscored options and is unchanged without them", "[unit][formats][fingerprint]") {
    auto without = readinessJson();
    without["responseScale"].erase("unscoredOptions");
    auto emptyList = without;
    emptyList["responseScale"]["unscoredOptions"] = json::array();
    auto relabelled = readinessJson();
    relabelled["responseScale"]["unscoredOptions"][0]["label"]["en"] = "Not sure";
    auto recoded = readinessJson();
    recoded["responseScale"]["unscoredOptions"][1]["code"] = 7;
    auto fingerprint = [](const json& d) { return loader::fingerprintOf(sdk::JsonInstrument(d.dump())); };
    const auto original = fingerprint(readinessJson());
    CHECK(fingerprint(emptyList) == fingerprint(without));  // what was recorded before the field existed still holds
    CHECK(fingerprint(without) != original);
    CHECK(fingerprint(relabelled) != original);
    CHECK(fingerprint(recoded) != original);
}

TEST_CASE("the raw export writes an unscored answer as text the recipes read as missing", "[unit][formats][export]") {
    const auto survey = readinessSurvey();
    const auto stored = storedResponses(survey, handWorkedAnswers());
    std::ostringstream csv, codebook;
    const auto summary = analytics::writeRawExport(survey, analytics::responsesInMemory(stored), csv);
    analytics::writeCodebook(survey, summary, codebook);
    CHECK_THAT(csv.str(), Contains(",unscored-8,unscored-8,unscored-8,"));
    CHECK_THAT(csv.str(), Contains("1,2,unscored-9,,,1.5,\r\n"));  // scored as 1.5: the "not applicable" left out
    CHECK_THAT(codebook.str(), Contains("unscored-8 = Don't know (not scored"));
    CHECK_THAT(codebook.str(), Contains("na.strings = c(\"\"\"\", \"\"unscored-8\"\", \"\"unscored-9\"\")"));
}

TEST_CASE("demo responses answer don't know only where an instrument offers it", "[unit][formats][demo]") {
    const auto survey = testing::surveyWithInstruments("riverside-2026.json", "readiness-dk-2026",
                                                       {"equity-excellence@1.0.0", "fixture-readiness-dk@1.0.0"});
    const auto responses = demo::generateResponses(survey, 400, 7);
    const auto firstReadiness = survey.instruments[1].firstAnswerIndex;
    std::int64_t dontKnow = 0, notApplicable = 0, answers = 0, elsewhere = 0;
    for (const auto& response : responses)
        for (std::size_t i = 0; i < response.answers.size(); ++i) {
            const auto code = response.answers[i];
            if (i < firstReadiness) {
                elsewhere += code > 5;
                continue;
            }
            ++answers;
            dontKnow += code == kDontKnow;
            notApplicable += code == kNotApplicable;
        }
    CHECK(elsewhere == 0);
    CHECK(notApplicable == 0);  // the demo draws the first unscored option only
    // 2 to 8 % per item, so between 1 % and 10 % over 2,000 answers.
    CHECK(dontKnow > answers / 100);
    CHECK(dontKnow < answers / 10);
}
