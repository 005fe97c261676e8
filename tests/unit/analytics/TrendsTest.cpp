#include <catch2/catch.hpp>

#include <cmath>
#include <deque>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/ProfileJson.h"
#include "analytics/Trends.h"
#include "analytics/TrendsJson.h"
#include "demo/DemoResponses.h"
#include "support/TestSupport.h"

using namespace mindset;
using namespace mindset::analytics;
using nlohmann::json;

namespace {

constexpr double kMargin = 1e-9;

struct Figures {
    std::int64_t n;
    double mean, sd;
};
struct GroupData {
    const char* id;
    Figures group, rest;
};
struct YearData {
    Figures district;
    std::vector<GroupData> groups;
};
struct ExpectedChange {
    const char* series;
    int from;
    double difference, se, df, t, p, lower, upper, g, gLower, gUpper;
};
struct ExpectedGapChange {
    const char* group;
    int from;
    double change, se, z, p, lower, upper;
};
struct ExpectedQ {
    const char* kind;
    const char* series;
    int from;
    double q;
    const char* direction;
};

// Independent values: tests/reference/trends.R (R 4.2.2). The script generates three school years of
// raw scores for a district and four groups, then computes in R from the raw scores: t.test (Welch)
// of each year against the previous one, Hedges' g by formula, each group's gap against the rest of
// the district per year (t.test), the gap changes (SE = sqrt(se_t^2 + se_t-1^2), normal interval,
// 2 * pnorm(-|z|)), and p.adjust(p, "BH") over all 14 tests. The test feeds only the published
// summaries (n, mean, SD) into hand-built profiles and must reproduce those values.
// Printed with 17 significant digits; compared with Approx(...).margin(1e-9).
const YearData kYears[] = {
    {{382, 3.5486910994764398, 0.71657237776200344}, {{"black", {90, 3.2066666666666666, 0.65648022981262077}, {292, 3.654109589041096, 0.70224252596133696}}, {"white", {160, 3.7962500000000001, 0.72804446439648507}, {222, 3.3702702702702703, 0.65385658474224018}}, {"hispanic", {120, 3.4716666666666667, 0.63393970677086342}, {262, 3.5839694656488548, 0.74989826067469434}}, {"asian", {12, 3.5833333333333335, 0.61175356496094413}, {370, 3.5475675675675675, 0.72040114316633908}}}},
    {{378, 3.5566137566137566, 0.73720467378940158}, {{"black", {95, 3.3536842105263158, 0.67945699945599392}, {283, 3.6247349823321553, 0.74440431495693715}}, {"white", {150, 3.9226666666666667, 0.69505894363215159}, {228, 3.3157894736842106, 0.66233852788998704}}, {"hispanic", {130, 3.2953846153846156, 0.64805750755223279}, {248, 3.693548387096774, 0.74526759973855039}}, {"asian", {3, 3, 0.87177978870813466}, {375, 3.5610666666666666, 0.73570435044628979}}}},
    {{412, 3.7475728155339807, 0.67702579280658637}, {{"black", {110, 3.6000000000000001, 0.66249459059588356}, {302, 3.8013245033112582, 0.67533545300241593}}, {"white", {155, 3.8606451612903228, 0.6673748507800602}, {257, 3.6793774319066146, 0.67494415390826346}}, {"hispanic", {135, 3.7214814814814816, 0.68069161329907635}, {277, 3.7602888086642601, 0.67610129401266827}}, {"asian", {12, 3.9333333333333336, 0.67330032922413852}, {400, 3.742, 0.67718716477821028}}}},
};

const ExpectedChange kChanges[] = {
    {"district", 0, 0.0079226571373167687, 0.052744015731011722, 756.85387269836997, 0.15020959302229447, 0.88063927820061738, -0.095619294330779397, 0.11146460860541295, 0.010888342442503633, -0.13116467540295829, 0.15294136028796557},
    {"district", 1, 0.19095905892022413, 0.050500366861887525, 765.65620557503439, 3.7813400334788532, 0.00016813214837123176, 0.091823447401542121, 0.29009467043890619, 0.27004799163436394, 0.12995253874478957, 0.41014344452393831},
    {"black", 0, 0.14701754385964927, 0.09822480542263308, 182.92710525918861, 1.4967455850594469, 0.13618286868475607, -0.046781681651955703, 0.34081676937125427, 0.21905791913026282, -0.068929331732950821, 0.50704516999347649},
    {"black", 1, 0.24631578947368427, 0.094072257881784027, 197.12552701347428, 2.6183679973241123, 0.0095214690339381208, 0.060798592178971503, 0.4318329867683971, 0.36605568693016799, 0.090270011337124034, 0.641841362523212},
    {"white", 0, 0.12641666666666662, 0.080830177156709634, 307.8959631942904, 1.5639785920742957, 0.11884978612613796, -0.032632761973146802, 0.28546609530648009, 0.17704968046147401, -0.045596926645794011, 0.39969628756874204},
    {"white", 1, -0.062021505376343988, 0.078065303146534523, 301.3723736544502, -0.7944823484503083, 0.42753985783110893, -0.21564361710660859, 0.091600606353920616, -0.090831326054662251, -0.31487578218395351, 0.13321313007462904},
    {"hispanic", 0, -0.1762820512820511, 0.081114735812317484, 247.1580951626465, -2.1732432401670008, 0.030712040039271228, -0.33604632865210055, -0.016517773912001689, -0.27404080182917939, -0.52256978040827906, -0.025511823250079696},
    {"hispanic", 1, 0.42609686609686603, 0.081625732417525465, 262.9667706141683, 5.2201291611979563, 3.6339555525321696e-07, 0.26537366657010708, 0.58682006562362499, 0.63902876136012821, 0.39278892602238336, 0.88526859669787306},
};

const ExpectedGapChange kGapChanges[] = {
    {"black", 0, 0.17639215056858992, 0.11530415297847559, 1.5297987627689174, 0.12606654795884037, -0.049599836537118969, 0.40238413767429881},
    {"black", 1, 0.069726268494581412, 0.11098588069203034, 0.62824449434303853, 0.52984378659841902, -0.14780206045425739, 0.28725459744342019},
    {"white", 0, 0.18089746325272626, 0.10189902080166441, 1.7752620371575887, 0.075854630583890872, -0.018820947578433722, 0.38061587408388625},
    {"white", 1, -0.42560946359874796, 0.098948710359298836, -4.3013139034686851, 1.6978833432950734e-05, -0.619545372219659, -0.23167355497783693},
    {"hispanic", 0, -0.28586097272997035, 0.10471664896634984, -2.7298521825486444, 0.006336272936564533, -0.49110183328573948, -0.080620112174201231},
    {"hispanic", 1, 0.35935644452937998, 0.10272584661014135, 3.4982086435674451, 0.00046839454983296135, 0.15801748489211698, 0.56069540416664299},
};

const ExpectedQ kQValues[] = {
    {"change", "district", 0, 0.88063927820061738, ""},
    {"change", "district", 1, 0.00078461669239908156, ""},
    {"change", "black", 0, 0.17332365105332589, ""},
    {"change", "black", 1, 0.022216761079188949, ""},
    {"change", "white", 0, 0.17332365105332589, ""},
    {"change", "white", 1, 0.49879650080296045, ""},
    {"change", "hispanic", 0, 0.061424080078542456, ""},
    {"change", "hispanic", 1, 5.0875377735450374e-06, ""},
    {"gap", "black", 0, 0.17332365105332589, "within-noise"},
    {"gap", "black", 1, 0.5706010009521435, "within-noise"},
    {"gap", "white", 0, 0.13274560352180903, "within-noise"},
    {"gap", "white", 1, 0.00011885183403065514, "closing"},
    {"gap", "hispanic", 0, 0.017741564222380692, "widening"},
    {"gap", "hispanic", 1, 0.0016393809244153647, "closing"},
};

const char* const kSchoolYears[] = {"2024-2025", "2025-2026", "2026-2027"};

Moments momentsOf(const Figures& f) { return Moments::fromParts(f.n, f.mean, f.sd * f.sd * static_cast<double>(f.n - 1)); }

CellFigures figuresOf(const Figures& f) { return {summarize(momentsOf(f)), proportion(f.n / 2, f.n)}; }

sdk::LocalizedText english(const std::string& text) { return sdk::LocalizedText{{{"en", text}}}; }

/// A district's surveys (copies of the demo survey, one per school year) with their profiles.
struct District {
    std::deque<surveys::SurveyDefinition> surveys;  // a deque: SurveyYear points into it
    DistrictYears years;

    surveys::SurveyDefinition& addSurvey(const std::string& schoolYear) {
        auto survey = testing::demoSurvey();
        survey.id = "trends-" + schoolYear;
        survey.schoolYear = schoolYear;
        surveys.push_back(std::move(survey));
        return surveys.back();
    }
};

/// A profile that publishes `year`'s summaries for equity-excellence / high-expectations, broken
/// down by race; a group below 5 is hidden, as the profile would.
std::shared_ptr<const Profile> handBuiltProfile(const surveys::SurveyDefinition& survey, const YearData& year) {
    Profile profile;
    profile.surveyId = survey.id;
    profile.minGroupSize = 5;
    profile.responses = year.district.n;
    ScaleFigures scale;
    const auto& definition = survey.instruments[0].definition();
    while (definition.scales[scale.ref.scale].id != "high-expectations") ++scale.ref.scale;
    scale.instrumentKey = survey.instruments[0].key;
    scale.scaleId = "high-expectations";
    scale.size = year.district.n;
    scale.district = figuresOf(year.district);
    profile.scales.push_back(scale);
    Breakdown race{"race", english("Race or ethnicity"), {}, {{}}};
    for (const auto& group : year.groups) {
        Cell cell;
        cell.category = race.categories.size();
        race.categories.push_back({group.id, english(group.id)});
        cell.size = group.group.n;
        if (group.group.n < profile.minGroupSize) {
            cell.hidden = cell.gapHidden = HiddenBecause::BelowMinimum;
        } else {
            cell.figures = figuresOf(group.group);
            cell.gap = compareGroups(momentsOf(group.group), momentsOf(group.rest));
        }
        race.cellsByScale[0].push_back(cell);
    }
    profile.breakdowns.push_back(race);
    return std::make_shared<const Profile>(std::move(profile));
}

const InstrumentTrend& instrumentOf(const Trends& trends, const std::string& id) {
    for (const auto& instrument : trends.instruments)
        if (instrument.instrumentId == id) return instrument;
    FAIL("no instrument " << id);
    throw;
}

const ScaleTrend& scaleOf(const Trends& trends, const std::string& instrument, const std::string& scale) {
    for (const auto& s : instrumentOf(trends, instrument).scales)
        if (s.scaleId == scale) return s;
    FAIL("no scale " << scale);
    throw;
}

const GroupTrend& groupOf(const ScaleTrend& scale, const std::string& question, const std::string& category) {
    for (const auto& breakdown : scale.breakdowns)
        if (breakdown.questionId == question)
            for (const auto& group : breakdown.groups)
                if (group.categoryId == category) return group;
    FAIL("no group " << question << "/" << category);
    throw;
}

const TrendSeries& seriesOf(const ScaleTrend& scale, const std::string& name) {
    return name == std::string("district") ? scale.district : groupOf(scale, "race", name).series;
}

/// The equity-excellence definition with another version number, as a plugin would ship it.
std::unique_ptr<sdk::JsonInstrument> equityExcellenceVersion(const std::string& version) {
    auto definition = json::parse(testing::readFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "plugins" / "equity-excellence" / "definition.json"));
    definition["version"] = version;
    return std::make_unique<sdk::JsonInstrument>(definition.dump());
}

/// Three years of demo responses (the counts given), each profile built as the site builds it.
void addDemoYears(District& district, const std::vector<std::size_t>& counts, std::uint64_t seed) {
    for (std::size_t k = 0; k < counts.size(); ++k) {
        auto& survey = district.surveys.size() > k ? district.surveys[k] : district.addSurvey(kSchoolYears[k]);
        demo::DemoProfile demoProfile;
        demoProfile.yearIndex = static_cast<int>(k);
        const auto responses = demo::generateResponses(survey, counts[k], seed + k, demoProfile);
        district.years.push_back({&survey, std::make_shared<const Profile>(buildProfile(survey, responsesInMemory(responses)))});
    }
}

}  // namespace

TEST_CASE("trend changes, gap changes and their Benjamini-Hochberg adjustment match R", "[unit][analytics][trends]") {
    District district;
    for (std::size_t k = 0; k < 3; ++k) {
        auto& survey = district.addSurvey(kSchoolYears[k]);
        district.years.push_back({&survey, handBuiltProfile(survey, kYears[k])});
    }
    const auto trends = buildTrends(district.years);
    CHECK(trends.schoolYears == std::vector<std::string>{"2024-2025", "2025-2026", "2026-2027"});
    CHECK(trends.testCount == 14);
    const auto& scale = scaleOf(trends, "equity-excellence", "high-expectations");
    REQUIRE(scale.links.size() == 2);
    CHECK(scale.links[0].state == LinkState::Connected);
    CHECK(scale.links[1].state == LinkState::Connected);

    for (const auto& e : kChanges) {
        INFO(e.series << " from " << kSchoolYears[e.from]);
        const auto& change = seriesOf(scale, e.series).changes[static_cast<std::size_t>(e.from)];
        REQUIRE(change);
        const auto& c = change->comparison;
        REQUIRE(c.welch);
        REQUIRE(c.hedgesG);
        CHECK(*c.difference == Approx(e.difference).margin(kMargin));
        CHECK(c.welch->standardError == Approx(e.se).margin(kMargin));
        CHECK(c.welch->degreesOfFreedom == Approx(e.df).margin(1e-7));
        CHECK(c.welch->t == Approx(e.t).margin(kMargin));
        CHECK(c.welch->pValue == Approx(e.p).margin(kMargin));
        CHECK(c.welch->differenceCi95.lower == Approx(e.lower).margin(kMargin));
        CHECK(c.welch->differenceCi95.upper == Approx(e.upper).margin(kMargin));
        CHECK(c.hedgesG->g == Approx(e.g).margin(kMargin));
        CHECK(c.hedgesG->ci95.lower == Approx(e.gLower).margin(kMargin));
        CHECK(c.hedgesG->ci95.upper == Approx(e.gUpper).margin(kMargin));
    }
    for (const auto& e : kGapChanges) {
        INFO(e.group << " gap from " << kSchoolYears[e.from]);
        const auto& change = groupOf(scale, "race", e.group).gapChanges[static_cast<std::size_t>(e.from)];
        REQUIRE(change);
        REQUIRE(change->standardError);
        CHECK(change->change == Approx(e.change).margin(kMargin));
        CHECK(*change->standardError == Approx(e.se).margin(kMargin));
        CHECK(*change->z == Approx(e.z).margin(kMargin));
        CHECK(*change->pValue == Approx(e.p).margin(kMargin));
        CHECK(change->ci95->lower == Approx(e.lower).margin(kMargin));
        CHECK(change->ci95->upper == Approx(e.upper).margin(kMargin));
    }
    for (const auto& e : kQValues) {
        INFO(e.kind << " " << e.series << " from " << kSchoolYears[e.from]);
        const auto k = static_cast<std::size_t>(e.from);
        if (std::string(e.kind) == "change") {
            const auto& change = seriesOf(scale, e.series).changes[k];
            REQUIRE(change->qValue);
            CHECK(*change->qValue == Approx(e.q).margin(kMargin));
            CHECK(change->isRealChange() == (e.q < 0.05));
        } else {
            const auto& change = groupOf(scale, "race", e.series).gapChanges[k];
            REQUIRE(change->qValue);
            CHECK(*change->qValue == Approx(e.q).margin(kMargin));
            CHECK(gapDirectionCode(change->direction) == std::string(e.direction));
        }
    }

    // The asian group has 3 people in 2025-2026: a hole in its line, and nothing compared across it.
    const auto& asian = groupOf(scale, "race", "asian");
    CHECK(asian.series.points[0].state == PointState::Shown);
    CHECK(asian.series.points[1].state == PointState::Hidden);
    CHECK(asian.series.points[1].hidden == HiddenBecause::BelowMinimum);
    CHECK_FALSE(asian.series.points[1].figures);
    CHECK(asian.series.points[2].state == PointState::Shown);
    CHECK_FALSE(asian.series.changes[0]);
    CHECK_FALSE(asian.series.changes[1]);
    CHECK(asian.gaps[1].state == PointState::Hidden);
    CHECK_FALSE(asian.gapChanges[0]);
    CHECK_FALSE(asian.gapChanges[1]);
    // Scales the profiles do not measure are holes, with nothing to test.
    const auto& unmeasured = scaleOf(trends, "equity-excellence", "asset-based-views");
    CHECK(unmeasured.district.points[0].state == PointState::NotMeasured);
    CHECK(unmeasured.links[0].state == LinkState::NotMeasured);
}

TEST_CASE("a gap change is closing, widening or reversed only when it is real", "[unit][analytics][trends]") {
    CHECK(gapDirection(-0.5, -0.2, true) == GapDirection::Closing);
    CHECK(gapDirection(-0.5, -0.2, false) == GapDirection::WithinNoise);
    CHECK(gapDirection(0.4, 0.1, true) == GapDirection::Closing);
    CHECK(gapDirection(-0.5, -0.8, true) == GapDirection::Widening);
    CHECK(gapDirection(0.3, 0.6, true) == GapDirection::Widening);
    CHECK(gapDirection(0, 0.3, true) == GapDirection::Widening);
    // Crossing zero: nearer to zero than before is still closing; further on the other side is a reversal.
    CHECK(gapDirection(-0.5, 0.2, true) == GapDirection::Closing);
    CHECK(gapDirection(-0.2, 0.5, true) == GapDirection::Reversed);
    CHECK(gapDirection(0.3, -0.3, true) == GapDirection::Reversed);
}

TEST_CASE("a trend line crosses instrument versions only where the comparability rule allows", "[unit][analytics][trends]") {
    const auto version11 = equityExcellenceVersion("1.1.0");
    District district;
    for (std::size_t k = 0; k < 3; ++k) {
        auto& survey = district.addSurvey(kSchoolYears[k]);
        if (k > 0) {  // 2025-2026 on: a new version of equity-excellence
            survey.instruments[0].instrument = version11.get();
            survey.instruments[0].loadedDefinition = &version11->definition();
            survey.instruments[0].key = "equity-excellence@1.1.0";
        }
    }
    addDemoYears(district, {300, 300, 300}, 11);

    SECTION("by default only the same version connects") {
        const auto trends = buildTrends(district.years);
        const auto& scale = scaleOf(trends, "equity-excellence", "high-expectations");
        CHECK(scale.links[0].state == LinkState::NotComparable);
        CHECK(scale.links[0].earlierKey == "equity-excellence@1.0.0");
        CHECK(scale.links[0].laterKey == "equity-excellence@1.1.0");
        CHECK(scale.links[1].state == LinkState::Connected);
        CHECK(scale.district.points[0].state == PointState::Shown);  // both years are still shown
        CHECK(scale.district.points[1].state == PointState::Shown);
        CHECK_FALSE(scale.district.changes[0]);
        CHECK(scale.district.changes[1]);
        for (const auto& breakdown : scale.breakdowns)
            for (const auto& group : breakdown.groups) {
                CHECK_FALSE(group.series.changes[0]);
                CHECK_FALSE(group.gapChanges[0]);
            }
        // Another instrument, the same version every year, is connected throughout.
        CHECK(scaleOf(trends, "shared-responsibility", "shared-ownership").links[0].state == LinkState::Connected);
        const auto json = trendsToJson(trends, district.years, "en");
        const auto& link = json["instruments"][0]["scales"][0]["links"][0];
        CHECK(link["state"] == "versions-not-comparable");
        CHECK(link["explanation"] == "Not compared: equity-excellence@1.0.0 and equity-excellence@1.1.0 do not measure this scale comparably.");
        CHECK(json["instruments"][0]["scales"][0]["district"]["changes"][0]["unavailable"] == "versions-not-comparable");
        CHECK(json["instruments"][0]["years"][1]["version"] == "1.1.0");
    }
    SECTION("a declared mapping connects the scales it names, and only those") {
        std::vector<std::string> asked;
        const auto trends = buildTrends(district.years, [&](const sdk::Definition& earlier, const sdk::Definition& later, const std::string& scaleId) {
            asked.push_back(earlier.version + ">" + later.version + ":" + scaleId);
            return earlier.version == later.version || scaleId == "high-expectations";
        });
        CHECK(scaleOf(trends, "equity-excellence", "high-expectations").links[0].state == LinkState::Connected);
        CHECK(scaleOf(trends, "equity-excellence", "high-expectations").district.changes[0]);
        CHECK(scaleOf(trends, "equity-excellence", "equitable-resourcing").links[0].state == LinkState::NotComparable);
        CHECK(std::count(asked.begin(), asked.end(), "1.0.0>1.1.0:high-expectations") == 1);
    }
}

TEST_CASE("groups are matched across years by question and category id", "[unit][analytics][trends]") {
    District district;
    auto& first = district.addSurvey(kSchoolYears[0]);
    std::erase_if(first.demographics, [](const surveys::DemographicQuestion& q) { return q.id == "years"; });
    district.addSurvey(kSchoolYears[1]);
    addDemoYears(district, {400, 400}, 5);
    const auto trends = buildTrends(district.years);
    const auto& scale = scaleOf(trends, "equity-excellence", "high-expectations");
    std::vector<std::string> questions;
    for (const auto& breakdown : scale.breakdowns) questions.push_back(breakdown.questionId);
    CHECK(questions == std::vector<std::string>{"school", "role", "years", "race"});  // the latest survey's order
    const auto& newcomers = groupOf(scale, "years", "0-2");
    CHECK(newcomers.series.points[0].state == PointState::NotMeasured);
    CHECK(newcomers.series.points[1].state == PointState::Shown);
    CHECK_FALSE(newcomers.series.changes[0]);
    CHECK(trendsToJson(trends, district.years, "en")["instruments"][0]["scales"][0]["breakdowns"][2]["groups"][0]["changes"][0]["unavailable"] ==
          "not-measured");
    const auto& teachers = groupOf(scale, "role", "teacher");
    CHECK(teachers.series.changes[0]);
    CHECK(teachers.label.in("es") == "Docente");
}

TEST_CASE("every trend figure of a year is that year's protected profile figure, hidden cells are never compared",
          "[unit][analytics][trends][privacy]") {
    std::mt19937_64 random(20260517);
    std::size_t shownThenHidden = 0, hiddenThenShown = 0, checkedPoints = 0;
    for (int round = 0; round < 12; ++round) {
        District district;
        std::uniform_int_distribution<std::size_t> count(25, 220);
        addDemoYears(district, {count(random), count(random), count(random)}, random());
        const auto trends = buildTrends(district.years);
        const auto out = trendsToJson(trends, district.years, "en");
        std::vector<json> profiles;
        for (const auto& year : district.years) profiles.push_back(profileToJson(*year.profile, *year.survey, "en"));
        INFO("round " << round);

        auto figuresOf = [](const json& cell) {
            json figures;
            for (const auto* key : {"n", "mean", "sd", "ci95", "favorable"})
                if (cell.contains(key)) figures[key] = cell[key];
            return figures;
        };
        for (const auto& instrument : out["instruments"])
            for (const auto& scale : instrument["scales"]) {
                for (std::size_t k = 0; k < 3; ++k) {
                    const auto& profile = profiles[k];
                    const auto key = instrument["instrument"].get<std::string>() + "@" + instrument["years"][k]["version"].get<std::string>() + "/" +
                                     scale["scale"].get<std::string>();
                    // The district's point.
                    for (const auto& s : profile["scales"])
                        if (s["instrument"].get<std::string>() + "/" + s["scale"].get<std::string>() == key) {
                            const auto& point = scale["district"]["points"][k];
                            CHECK(figuresOf(point) == figuresOf(s));
                            CHECK(point.value("hidden", "") == s.value("hidden", ""));
                        }
                    // Each group's point and gap.
                    for (const auto& breakdown : scale["breakdowns"])
                        for (const auto& group : breakdown["groups"])
                            for (const auto& b : profile["breakdowns"]) {
                                if (b["question"] != breakdown["question"]) continue;
                                for (const auto& byScale : b["scales"]) {
                                    if (byScale["scale"] != key) continue;
                                    for (const auto& cell : byScale["cells"]) {
                                        if (cell["category"] != group["category"]) continue;
                                        ++checkedPoints;
                                        const auto& point = group["points"][k];
                                        const auto& gap = group["gaps"][k];
                                        CHECK(figuresOf(point) == figuresOf(cell));
                                        CHECK(point.value("hidden", "") == cell.value("hidden", ""));
                                        const std::string state = cell.value("empty", false) ? "no-respondents" : cell.contains("hidden") ? "hidden" : "shown";
                                        CHECK(point["state"] == state);
                                        if (cell.contains("gap")) {
                                            auto published = gap;
                                            for (const auto* extra : {"schoolYear", "state"}) published.erase(extra);
                                            if (published.contains("welch")) published["welch"].erase("se");
                                            CHECK(published == cell["gap"]);
                                        } else {
                                            CHECK_FALSE(gap.contains("difference"));
                                        }
                                    }
                                }
                            }
                }
                // Changes only between two shown figures, and exactly their difference.
                auto checkChanges = [&](const json& points, const json& changes) {
                    for (std::size_t k = 0; k + 1 < points.size(); ++k) {
                        const bool bothShown = points[k]["state"] == "shown" && points[k + 1]["state"] == "shown";
                        if (points[k]["state"] == "shown" && points[k + 1]["state"] == "hidden") ++shownThenHidden;
                        if (points[k]["state"] == "hidden" && points[k + 1]["state"] == "shown") ++hiddenThenShown;
                        if (!bothShown) {
                            CHECK(changes[k].contains("unavailable"));
                            CHECK_FALSE(changes[k].contains("difference"));
                            CHECK_FALSE(changes[k].contains("change"));
                            continue;
                        }
                        if (changes[k].contains("difference")) {
                            const double difference = points[k + 1]["mean"].get<double>() - points[k]["mean"].get<double>();
                            CHECK(changes[k]["difference"].get<double>() == difference);
                        }
                    }
                };
                checkChanges(scale["district"]["points"], scale["district"]["changes"]);
                for (const auto& breakdown : scale["breakdowns"])
                    for (const auto& group : breakdown["groups"]) {
                        checkChanges(group["points"], group["changes"]);
                        const auto& gaps = group["gaps"];
                        for (std::size_t k = 0; k + 1 < gaps.size(); ++k) {
                            const auto& change = group["gapChanges"][k];
                            if (gaps[k]["state"] != "shown" || gaps[k + 1]["state"] != "shown") {
                                CHECK(change.contains("unavailable"));
                                CHECK_FALSE(change.contains("change"));
                            } else if (change.contains("change")) {
                                const double difference = gaps[k + 1]["difference"].get<double>() - gaps[k]["difference"].get<double>();
                                CHECK(change["change"].get<double>() == difference);
                            }
                        }
                    }
            }
    }
    // The random districts did exercise groups shown in one year and hidden in the next, and back.
    CHECK(checkedPoints > 1000);
    CHECK(shownThenHidden > 10);
    CHECK(hiddenThenShown > 10);
}

TEST_CASE("the trends CSV has one row per scale, group and year, hidden figures left empty", "[unit][analytics][trends][privacy]") {
    District district;
    addDemoYears(district, {60, 120, 200}, 3);
    const auto trends = buildTrends(district.years);
    const auto csv = trendsToCsv(trends, district.years);
    std::vector<std::string> lines;
    for (std::size_t start = 0, end; (end = csv.find('\n', start)) != std::string::npos; start = end + 1) lines.push_back(csv.substr(start, end - start));
    std::size_t expectedRows = 1;
    for (const auto& instrument : trends.instruments)
        for (const auto& scale : instrument.scales) {
            std::size_t groups = 0;
            for (const auto& breakdown : scale.breakdowns) groups += breakdown.groups.size();
            expectedRows += (1 + groups) * trends.schoolYears.size();
        }
    REQUIRE(lines.size() == expectedRows);
    const auto columns = std::count(lines[0].begin(), lines[0].end(), ',') + 1;
    CHECK(columns == 38);
    std::size_t hiddenRows = 0;
    for (const auto& line : lines) {
        INFO(line);
        std::vector<std::string> fields(1);  // no field of these holds a comma
        for (char c : line) {
            if (c == ',') fields.emplace_back();
            else fields.back().push_back(c);
        }
        CHECK(static_cast<long>(fields.size()) == columns);
        if (fields[7] != "hidden") continue;
        ++hiddenRows;
        CHECK(fields[8] == "hidden");  // never why: that would say which hidden groups are small
        for (std::size_t i = 9; i <= 16; ++i) CHECK(fields[i].empty());  // n, mean, sd, intervals, % favorable
        for (std::size_t i = 17; i <= 24; ++i) CHECK(fields[i].empty());  // no change to or from a hidden figure
        for (std::size_t i = 26; i <= 29; ++i) CHECK(fields[i].empty());  // no gap
    }
    CHECK(hiddenRows > 0);
    CHECK(lines[1].rfind("equity-excellence,high-expectations,,,2024-2025,trends-2024-2025,1.0.0,shown,,", 0) == 0);
}
