// Independent values: tests/reference/peers.R (R 4.2.2): quantile(x, probs, type = 7); 12
// significant digits. The peer minimum (kMinPeerDistricts = 5, the viewing district included) is
// tested with hand-built protected profiles.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "analytics/Peers.h"

using namespace mindset;
using namespace mindset::analytics;

namespace {

constexpr double kMargin = 1e-12;

/// An instrument with two scales, "belief" and "practice", and nothing else.
class TwoScaleInstrument : public sdk::Instrument {
public:
    explicit TwoScaleInstrument(std::string version) {
        definition_.id = "culture";
        definition_.version = std::move(version);
        for (const auto* id : {"belief", "practice"}) {
            sdk::Scale scale;
            scale.id = id;
            definition_.scales.push_back(scale);
        }
    }
    const sdk::Definition& definition() const override { return definition_; }

private:
    sdk::Definition definition_;
};

const TwoScaleInstrument& version(const std::string& v) {
    static const TwoScaleInstrument v100("1.0.0"), v110("1.1.0"), v1100("1.10.0");
    if (v == "1.1.0") return v110;
    if (v == "1.10.0") return v1100;
    return v100;
}

/// A district's figures on "belief" (mean and share favorable); "practice" always holds 3.0 / 40%.
struct Figures {
    double mean = 3;
    double share = 0.5;
    bool isHidden = false;
};

/// Builds districts whose surveys and profiles hold the given figures.
class Network {
public:
    /// Adds `district`'s survey of `schoolYear`, pinning culture@`instrumentVersion`.
    Network& add(const std::string& district, const std::string& schoolYear, Figures belief,
                 const std::string& instrumentVersion = "1.0.0") {
        auto survey = std::make_unique<surveys::SurveyDefinition>();
        survey->id = district + "-" + schoolYear;
        survey->districtId = district;
        survey->districtName = "District " + district;
        survey->schoolYear = schoolYear;
        const auto& instrument = version(instrumentVersion);
        survey->instruments.push_back({instrument.definition().key(), &instrument, 0});

        auto profile = std::make_shared<Profile>();
        profile->surveyId = survey->id;
        profile->responses = 120;
        profile->scales.push_back(scale(0, instrument, "belief", belief));
        profile->scales.push_back(scale(1, instrument, "practice", {3.0, 0.4, false}));

        auto found = std::find_if(input_.begin(), input_.end(), [&](const PeerDistrict& d) { return d.id == district; });
        if (found == input_.end()) found = input_.insert(input_.end(), PeerDistrict{district, survey->districtName, {}});
        found->years.push_back({survey.get(), profile});
        std::sort(found->years.begin(), found->years.end(),
                  [](const SurveyYear& a, const SurveyYear& b) { return a.survey->schoolYear < b.survey->schoolYear; });
        surveys_.push_back(std::move(survey));
        return *this;
    }

    const PeerInput& input() const { return input_; }

private:
    static ScaleFigures scale(std::size_t index, const sdk::Instrument& instrument, const std::string& id, Figures f) {
        ScaleFigures scale;
        scale.ref = {0, index};
        scale.instrumentKey = instrument.definition().key();
        scale.scaleId = id;
        scale.size = f.isHidden ? 3 : 120;
        if (f.isHidden) {
            scale.hidden = HiddenBecause::BelowMinimum;
            return scale;
        }
        CellFigures figures;
        figures.summary.n = 120;
        figures.summary.mean = f.mean;
        figures.favorable.count = static_cast<std::int64_t>(f.share * 120);
        figures.favorable.n = 120;
        figures.favorable.share = f.share;
        scale.district = figures;
        return scale;
    }

    std::vector<std::unique_ptr<surveys::SurveyDefinition>> surveys_;
    PeerInput input_;
};

/// Riverside (the viewer) and three peers in 2026-2027 with the R script's first values.
Network fourDistricts() {
    Network network;
    network.add("riverside", "2026-2027", {3.45, 0.55})
        .add("brazos", "2026-2027", {3.1, 0.42})
        .add("cypress", "2026-2027", {2.8, 0.31})
        .add("llano", "2026-2027", {3.9, 0.72});
    return network;
}

const PeerScaleStanding& belief(const PeerYearStanding& standing) {
    REQUIRE(standing.scales.size() == 2);
    REQUIRE(standing.scales[0].scaleId == "belief");
    return standing.scales[0];
}

void checkQuartiles(const Quartiles& q, double lower, double median, double upper) {
    CHECK(q.lower == Approx(lower).margin(kMargin));
    CHECK(q.median == Approx(median).margin(kMargin));
    CHECK(q.upper == Approx(upper).margin(kMargin));
}

}  // namespace

TEST_CASE("quantiles are R's type 7", "[unit][analytics][peers]") {
    // Hand: sorted 2.8 3.1 3.3 3.45 3.9 4.2; h = 1 + 5p: p = .25 -> 2.25 -> 3.1 + .25 (3.3 - 3.1) = 3.15;
    // p = .5 -> 3.5 -> (3.3 + 3.45) / 2 = 3.375; p = .75 -> 4.75 -> 3.45 + .75 (3.9 - 3.45) = 3.7875.
    checkQuartiles(quartilesOf({3.1, 3.45, 2.8, 3.9, 3.3, 4.2}), 3.15, 3.375, 3.7875);
    // With five values each quartile is one of the values (h = 2, 3, 4).
    checkQuartiles(quartilesOf({3.1, 3.45, 2.8, 3.9, 3.3}), 3.1, 3.3, 3.45);
    checkQuartiles(quartilesOf({0.42, 0.55, 0.31, 0.72, 0.48, 0.8}), 0.435, 0.515, 0.6775);
    const std::vector<double> awkward{3.71, 2.94, 4.12, 3.05, 3.38, 3.9, 2.61};
    checkQuartiles(quartilesOf(awkward), 2.995, 3.38, 3.805);
    CHECK(quantileType7(awkward, 0) == Approx(2.61).margin(kMargin));
    CHECK(quantileType7(awkward, 0.1) == Approx(2.808).margin(kMargin));
    CHECK(quantileType7(awkward, 0.9) == Approx(3.988).margin(kMargin));
    CHECK(quantileType7(awkward, 1) == Approx(4.12).margin(kMargin));
    checkQuartiles(quartilesOf({3.7}), 3.7, 3.7, 3.7);
    checkQuartiles(quartilesOf({3.2, 4.0}), 3.4, 3.6, 3.8);
    checkQuartiles(quartilesOf({3, 3, 3, 4, 4, 5}), 3, 3.5, 4);
    CHECK_THROWS_AS(quantileType7({}, 0.5), std::invalid_argument);
    CHECK_THROWS_AS(quantileType7({1, 2}, 1.5), std::invalid_argument);
}

TEST_CASE("rounding is R's round(x, 2), halves included", "[unit][analytics][peers]") {
    // tests/reference/peers.R: round(c(3.375, 3.7875, 0.435, 0.515, 0.6775, 3.025, 2.675, 0.125, -1.005, 4), 2).
    // 3.025 and 2.675 are stored just below the half, so R (and Mindset) round them down, unlike
    // std::round(x * 100) / 100; 0.435 is stored just below too, yet both distances are equal in
    // double arithmetic and the tie goes to the even 0.44.
    const std::vector<std::pair<double, double>> cases{{3.375, 3.38}, {3.7875, 3.79}, {0.435, 0.44}, {0.515, 0.52}, {0.6775, 0.68},
                                                       {3.025, 3.02}, {2.675, 2.67}, {0.125, 0.12}, {-1.005, -1},   {4, 4}};
    for (const auto& [x, expected] : cases) {
        INFO(x);
        CHECK(roundAsR(x, 2) == expected);
    }
}

TEST_CASE("a value's quarter counts boundaries toward the middle", "[unit][analytics][peers]") {
    const Quartiles q{3.1, 3.3, 3.45};
    CHECK(quarterOf(3.0, q) == PeerQuarter::Lowest);
    CHECK(quarterOf(3.1, q) == PeerQuarter::Second);
    CHECK(quarterOf(3.2, q) == PeerQuarter::Second);
    CHECK(quarterOf(3.3, q) == PeerQuarter::Third);
    CHECK(quarterOf(3.45, q) == PeerQuarter::Third);
    CHECK(quarterOf(3.46, q) == PeerQuarter::Highest);
}

TEST_CASE("the peer minimum: four contributing districts are withheld, five are shown", "[unit][analytics][peers]") {
    REQUIRE(kMinPeerDistricts == 5);
    auto network = fourDistricts();

    SECTION("four districts, the viewer included: withheld, one more needed") {
        const auto& scale = belief(peerStanding(network.input(), "riverside", "2026-2027"));
        CHECK(scale.withheld == PeerWithheld::TooFewDistricts);
        CHECK(scale.districtsNeeded == 1);
        CHECK_FALSE(scale.peers);
        CHECK_FALSE(scale.mean);
        CHECK_FALSE(scale.favorable);
    }

    SECTION("a fifth district whose figure is hidden does not count") {
        network.add("pecan", "2026-2027", {3.3, 0.48, true});
        const auto& scale = belief(peerStanding(network.input(), "riverside", "2026-2027"));
        CHECK(scale.withheld == PeerWithheld::TooFewDistricts);
        CHECK(scale.districtsNeeded == 1);
        CHECK_FALSE(scale.peers);
    }

    SECTION("a fifth district's survey of another school year does not count") {
        network.add("pecan", "2025-2026", {3.3, 0.48});
        CHECK(belief(peerStanding(network.input(), "riverside", "2026-2027")).withheld == PeerWithheld::TooFewDistricts);
    }

    SECTION("a fifth district with another version of the instrument does not count by default") {
        network.add("pecan", "2026-2027", {3.3, 0.48}, "1.1.0");
        CHECK(belief(peerStanding(network.input(), "riverside", "2026-2027")).withheld == PeerWithheld::TooFewDistricts);

        SECTION("but does when the versions are declared comparable on that scale") {
            std::vector<std::string> asked;
            const ScaleComparability beliefComparable = [&](const sdk::Definition& earlier, const sdk::Definition& later,
                                                            const std::string& scaleId) {
                asked.push_back(earlier.version + "<" + later.version + ":" + scaleId);
                return scaleId == "belief";
            };
            const auto standing = peerStanding(network.input(), "riverside", "2026-2027", beliefComparable);
            CHECK(standing.scales[0].withheld == PeerWithheld::Shown);
            CHECK(standing.scales[1].withheld == PeerWithheld::TooFewDistricts);  // "practice" is not comparable
            CHECK(std::find(asked.begin(), asked.end(), "1.0.0<1.1.0:belief") != asked.end());
        }
    }

    SECTION("five districts, the viewer included: shown, with R's quartiles and the viewer's place") {
        network.add("pecan", "2026-2027", {3.3, 0.48});
        const auto& scale = belief(peerStanding(network.input(), "riverside", "2026-2027"));
        REQUIRE(scale.withheld == PeerWithheld::Shown);
        REQUIRE(scale.peers);
        CHECK(scale.peers->districts == 5);
        checkQuartiles(scale.peers->mean, 3.1, 3.3, 3.45);
        checkQuartiles(scale.peers->favorable, 0.42, 0.48, 0.55);
        REQUIRE(scale.mean);
        CHECK(scale.mean->value == 3.45);
        CHECK(scale.mean->quarter == PeerQuarter::Third);  // exactly on the 75th percentile
        REQUIRE(scale.favorable);
        CHECK(scale.favorable->value == 0.55);
        CHECK(scale.favorable->quarter == PeerQuarter::Third);

        // Another viewer of the same network sees the same distribution and its own place.
        const auto& cypress = belief(peerStanding(network.input(), "cypress", "2026-2027"));
        REQUIRE(cypress.peers);
        checkQuartiles(cypress.peers->mean, 3.1, 3.3, 3.45);
        CHECK(cypress.mean->value == 2.8);
        CHECK(cypress.mean->quarter == PeerQuarter::Lowest);

        SECTION("and a sixth moves the quartiles between districts' values, rounded to 2 decimals as R rounds") {
            network.add("trinity", "2026-2027", {4.2, 0.8});
            const auto& six = belief(peerStanding(network.input(), "riverside", "2026-2027"));
            REQUIRE(six.peers);
            CHECK(six.peers->districts == 6);
            // Exact: 3.15 3.375 3.7875 and 0.435 0.515 0.6775 (above); R: round(quantile(...), 2).
            CHECK(six.peers->mean.lower == 3.15);
            CHECK(six.peers->mean.median == 3.38);
            CHECK(six.peers->mean.upper == 3.79);
            CHECK(six.peers->favorable.lower == 0.44);
            CHECK(six.peers->favorable.median == 0.52);
            CHECK(six.peers->favorable.upper == 0.68);
            CHECK(six.mean->value == 3.45);  // the district's own figure stays exact
            CHECK(six.mean->quarter == PeerQuarter::Third);
        }
    }
}

TEST_CASE("a district whose own figure is hidden does not see its peers", "[unit][analytics][peers]") {
    Network network;
    network.add("riverside", "2026-2027", {3.45, 0.55, true})
        .add("brazos", "2026-2027", {3.1, 0.42})
        .add("cypress", "2026-2027", {2.8, 0.31})
        .add("llano", "2026-2027", {3.9, 0.72})
        .add("pecan", "2026-2027", {3.3, 0.48})
        .add("trinity", "2026-2027", {4.2, 0.8});
    const auto& scale = belief(peerStanding(network.input(), "riverside", "2026-2027"));
    CHECK(scale.withheld == PeerWithheld::OwnFigureHidden);
    CHECK_FALSE(scale.peers);
    // The five others do see the distribution, without the hidden district among them.
    const auto& brazos = belief(peerStanding(network.input(), "brazos", "2026-2027"));
    REQUIRE(brazos.peers);
    CHECK(brazos.peers->districts == 5);
    checkQuartiles(brazos.peers->mean, 3.1, 3.3, 3.9);
}

TEST_CASE("a district's standings cover each of its school years, newest first", "[unit][analytics][peers]") {
    auto network = fourDistricts();
    network.add("pecan", "2026-2027", {3.3, 0.48}).add("riverside", "2025-2026", {3.2, 0.5});
    const auto standings = peerStandings(network.input(), "riverside");
    REQUIRE(standings.size() == 2);
    CHECK(standings[0].schoolYear == "2026-2027");
    CHECK(belief(standings[0]).withheld == PeerWithheld::Shown);
    CHECK(standings[1].schoolYear == "2025-2026");
    CHECK(standings[1].survey->id == "riverside-2025-2026");
    CHECK(belief(standings[1]).withheld == PeerWithheld::TooFewDistricts);
    CHECK(belief(standings[1]).districtsNeeded == 4);
    CHECK_THROWS_AS(peerStanding(network.input(), "riverside", "2019-2020"), std::invalid_argument);
    CHECK_THROWS_AS(peerStanding(network.input(), "elsewhere", "2026-2027"), std::invalid_argument);
}

TEST_CASE("the network view holds every district's figure and the network quartiles", "[unit][analytics][peers]") {
    auto network = fourDistricts();
    network.add("pecan", "2026-2027", {3.3, 0.48, true}).add("riverside", "2025-2026", {3.2, 0.5});
    const auto view = networkView(network.input());
    REQUIRE(view.size() == 2);
    const auto& year = view[0];
    CHECK(year.schoolYear == "2026-2027");
    CHECK(year.participation.size() == 5);
    REQUIRE(year.scales.size() == 2);
    const auto& scale = year.scales[0];
    CHECK(scale.scaleId == "belief");
    CHECK(scale.instrumentKey == "culture@1.0.0");
    REQUIRE(scale.districts.size() == 5);
    std::size_t hidden = 0;
    for (const auto& district : scale.districts) {
        if (district.districtId == "pecan") {
            ++hidden;
            CHECK(district.hidden == HiddenBecause::BelowMinimum);
            CHECK_FALSE(district.figures);
        } else {
            CHECK(district.figures);
        }
        if (district.districtId == "llano") CHECK(*district.figures->summary.mean == 3.9);
    }
    CHECK(hidden == 1);
    REQUIRE(scale.network);
    CHECK(scale.network->districts == 4);
    // R: quantile(c(3.45, 3.1, 2.8, 3.9), type = 7) -> h = 1.75, 2.5, 3.25.
    checkQuartiles(scale.network->mean, 3.025, 3.275, 3.5625);
    CHECK_FALSE(scale.isSharedWithDistricts);
    CHECK(view[1].schoolYear == "2025-2026");
    CHECK(view[1].participation.size() == 1);
}

TEST_CASE("instrument versions are ordered as numbers when asking about comparability", "[unit][analytics][peers]") {
    auto network = fourDistricts();
    network.add("pecan", "2026-2027", {3.3, 0.48}, "1.10.0");
    std::vector<std::pair<std::string, std::string>> asked;
    const ScaleComparability record = [&](const sdk::Definition& earlier, const sdk::Definition& later, const std::string&) {
        asked.emplace_back(earlier.version, later.version);
        return true;
    };
    // From pecan's side (1.10.0) the others' 1.0.0 is the earlier version, not the later.
    const auto& scale = belief(peerStanding(network.input(), "pecan", "2026-2027", record));
    CHECK(scale.withheld == PeerWithheld::Shown);
    REQUIRE_FALSE(asked.empty());
    for (const auto& [earlier, later] : asked) {
        CHECK(earlier == "1.0.0");
        CHECK(later == "1.10.0");
    }
}

TEST_CASE("the peers CSV has a row per school year, measure and scale, and a withheld one has only its reason", "[unit][analytics][peers]") {
    auto network = fourDistricts();
    network.add("pecan", "2026-2027", {3.3, 0.48}).add("riverside", "2025-2026", {3.2, 0.5, true});
    const auto csv = peerStandingsToCsv(peerStandings(network.input(), "riverside"));
    // 2026-2027, belief: the five districts' means 3.45 3.1 2.8 3.9 3.3 and shares 0.55 0.42 0.31
    // 0.72 0.48 (the test above); "practice" is 3.0 / 0.4 everywhere, so every quartile is the same.
    // 2025-2026: Riverside's own belief figure is hidden, and alone it needs four more districts on practice.
    CHECK(csv ==
          "school_year,measure,instrument,scale,districts,districts_needed,withheld,p25,median,p75,own,quarter\n"
          "2026-2027,mean,culture@1.0.0,belief,5,,,3.1,3.3,3.45,3.45,third\n"
          "2026-2027,mean,culture@1.0.0,practice,5,,,3,3,3,3,third\n"
          "2026-2027,favorable,culture@1.0.0,belief,5,,,0.42,0.48,0.55,0.55,third\n"
          "2026-2027,favorable,culture@1.0.0,practice,5,,,0.4,0.4,0.4,0.4,third\n"
          "2025-2026,mean,culture@1.0.0,belief,,,own-figure-hidden,,,,,\n"
          "2025-2026,mean,culture@1.0.0,practice,,4,too-few-districts,,,,,\n"
          "2025-2026,favorable,culture@1.0.0,belief,,,own-figure-hidden,,,,,\n"
          "2025-2026,favorable,culture@1.0.0,practice,,4,too-few-districts,,,,,\n");
    // No other district's name or figure: brazos's 3.1 is a published quartile; llano's 3.9 and cypress's 2.8 are not.
    for (const auto* other : {"brazos", "cypress", "llano", "pecan", "3.9", "2.8", "0.72", "0.31"}) CHECK(csv.find(other) == std::string::npos);
}
