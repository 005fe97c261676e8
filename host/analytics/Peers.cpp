#include "analytics/Peers.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "analytics/Csv.h"

namespace mindset::analytics {

namespace {

std::vector<std::string> versionParts(const std::string& version) {
    std::vector<std::string> parts(1);
    for (char c : version) {
        if (c == '.') parts.emplace_back();
        else parts.back() += c;
    }
    return parts;
}

/// Negative, zero or positive as version `a` is below, equal to or above `b`: dot-separated
/// numbers compared as numbers ("1.10.0" > "1.9.0"), anything else as text.
int compareVersions(const std::string& a, const std::string& b) {
    const auto partsA = versionParts(a), partsB = versionParts(b);
    auto isNumber = [](const std::string& part) { return !part.empty() && part.find_first_not_of("0123456789") == std::string::npos; };
    for (std::size_t i = 0; i < std::max(partsA.size(), partsB.size()); ++i) {
        const std::string x = i < partsA.size() ? partsA[i] : "0", y = i < partsB.size() ? partsB[i] : "0";
        if (isNumber(x) && isNumber(y)) {
            const auto numberX = std::strtoull(x.c_str(), nullptr, 10), numberY = std::strtoull(y.c_str(), nullptr, 10);
            if (numberX != numberY) return numberX < numberY ? -1 : 1;
        } else if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return 0;
}

/// True when `candidate`'s `scaleId` may be compared with `reference`'s: the same instrument, and
/// the same version or versions that `comparable` accepts.
bool isComparable(const sdk::Definition& reference, const sdk::Definition& candidate, const std::string& scaleId,
                  const ScaleComparability& comparable) {
    if (reference.id != candidate.id || !reference.findScale(scaleId) || !candidate.findScale(scaleId)) return false;
    if (reference.version == candidate.version) return true;
    const bool isReferenceEarlier = compareVersions(reference.version, candidate.version) < 0;
    return comparable(isReferenceEarlier ? reference : candidate, isReferenceEarlier ? candidate : reference, scaleId);
}

const sdk::Definition& definitionOf(const SurveyYear& year, const ScaleFigures& scale) {
    return year.survey->instruments[scale.ref.instrument].definition();
}

bool isShown(const ScaleFigures& scale) {
    return scale.hidden == HiddenBecause::Shown && scale.district && scale.district->summary.mean && scale.district->favorable.share;
}

/// A district's figures on a scale in one school year.
struct Contribution {
    const SurveyYear* year = nullptr;
    const ScaleFigures* scale = nullptr;
};

/// The district's figures on a scale comparable to `reference`'s `scaleId` in `schoolYear`: from its
/// last survey that year (by id) that measures such a scale. Which survey is chosen never depends
/// on whether its figure is shown, so hiding cannot move a district from one survey to another.
std::optional<Contribution> contributionOf(const PeerDistrict& district, const std::string& schoolYear,
                                           const sdk::Definition& reference, const std::string& scaleId,
                                           const ScaleComparability& comparable) {
    for (auto year = district.years.rbegin(); year != district.years.rend(); ++year) {
        if (year->survey->schoolYear != schoolYear || !year->profile) continue;
        const ScaleFigures* found = nullptr;
        for (const auto& scale : year->profile->scales) {
            if (scale.scaleId != scaleId || !isComparable(reference, definitionOf(*year, scale), scaleId, comparable)) continue;
            // The same version is preferred when a survey pins two comparable ones.
            if (!found || scale.instrumentKey == reference.key()) found = &scale;
        }
        if (found) return Contribution{&*year, found};
    }
    return std::nullopt;
}

/// The shown figures of every district on a scale comparable to `reference`'s `scaleId`.
PeerDistribution distributionOf(const std::vector<const ScaleFigures*>& shown) {
    std::vector<double> means, shares;
    for (const auto* scale : shown) {
        means.push_back(*scale->district->summary.mean);
        shares.push_back(*scale->district->favorable.share);
    }
    return {shown.size(), quartilesOf(std::move(means)), quartilesOf(std::move(shares))};
}

PeerDistribution rounded(PeerDistribution distribution) {
    for (auto* q : {&distribution.mean, &distribution.favorable}) {
        q->lower = roundAsR(q->lower, kPeerDecimals);
        q->median = roundAsR(q->median, kPeerDecimals);
        q->upper = roundAsR(q->upper, kPeerDecimals);
    }
    return distribution;
}

/// The district's survey in `schoolYear`: its last one by id.
const SurveyYear* ownSurveyIn(const PeerDistrict& district, const std::string& schoolYear) {
    for (auto year = district.years.rbegin(); year != district.years.rend(); ++year)
        if (year->survey->schoolYear == schoolYear && year->profile) return &*year;
    return nullptr;
}

const PeerDistrict& districtIn(const PeerInput& network, const std::string& districtId) {
    for (const auto& district : network)
        if (district.id == districtId) return district;
    throw std::invalid_argument("peer comparison: expected a district of the network, got \"" + districtId + "\"");
}

}  // namespace

double roundAsR(double value, int digits) {
    if (!std::isfinite(value) || value == 0) return value;
    if (value < 0) return -roundAsR(-value, digits);
    // R's fround (src/nmath/fround.c since R 4.0.0): compare the distances to both candidates in
    // double arithmetic rather than rounding value * 10^digits, which misrounds e.g. 3.025.
    double scale = 1;
    for (int i = 0; i < digits; ++i) scale *= 10;
    const double scaled = scale * value, below = std::floor(scaled);
    const double down = below / scale, up = std::ceil(scaled) / scale;
    const double distanceUp = up - value, distanceDown = value - down;
    return distanceUp < distanceDown || (distanceUp == distanceDown && std::fmod(below, 2.0) == 1) ? up : down;
}

double quantileType7(std::vector<double> values, double probability) {
    if (values.empty()) throw std::invalid_argument("quantile: expected at least one value, got none");
    if (!(probability >= 0 && probability <= 1))
        throw std::invalid_argument("quantile: expected a probability in [0, 1], got " + std::to_string(probability));
    std::sort(values.begin(), values.end());
    // R's quantile.default, type 7, step by step (1-based index), so results agree to the last bit.
    const double index = 1 + static_cast<double>(values.size() - 1) * probability;
    const auto lo = static_cast<std::size_t>(std::floor(index));
    const auto hi = static_cast<std::size_t>(std::ceil(index));
    const double atLo = values[lo - 1];
    if (!(index > static_cast<double>(lo)) || values[hi - 1] == atLo) return atLo;
    const double h = index - static_cast<double>(lo);
    return (1 - h) * atLo + h * values[hi - 1];
}

Quartiles quartilesOf(std::vector<double> values) {
    if (values.empty()) throw std::invalid_argument("quartiles: expected at least one value, got none");
    std::sort(values.begin(), values.end());
    return {quantileType7(values, 0.25), quantileType7(values, 0.5), quantileType7(values, 0.75)};
}

PeerQuarter quarterOf(double value, const Quartiles& quartiles) {
    if (value < quartiles.lower) return PeerQuarter::Lowest;
    if (value > quartiles.upper) return PeerQuarter::Highest;
    return value < quartiles.median ? PeerQuarter::Second : PeerQuarter::Third;
}

std::string_view peerQuarterCode(PeerQuarter quarter) {
    switch (quarter) {
        case PeerQuarter::Lowest: return "lowest";
        case PeerQuarter::Second: return "second";
        case PeerQuarter::Third: return "third";
        case PeerQuarter::Highest: return "highest";
    }
    return "";
}

std::string_view peerWithheldCode(PeerWithheld reason) {
    switch (reason) {
        case PeerWithheld::Shown: return "";
        case PeerWithheld::TooFewDistricts: return "too-few-districts";
        case PeerWithheld::OwnFigureHidden: return "own-figure-hidden";
        case PeerWithheld::OwnFigureFailed: return "own-figure-failed";
    }
    return "";
}

PeerYearStanding peerStanding(const PeerInput& network, const std::string& districtId, const std::string& schoolYear,
                              const ScaleComparability& comparable) {
    const auto& viewer = districtIn(network, districtId);
    const auto* own = ownSurveyIn(viewer, schoolYear);
    if (!own)
        throw std::invalid_argument("peer comparison: expected a survey of \"" + districtId + "\" in school year " + schoolYear +
                                    ", got none");
    PeerYearStanding standing{schoolYear, own->survey, {}};
    for (const auto& scale : own->profile->scales) {
        PeerScaleStanding result{scale.ref, scale.instrumentKey, scale.scaleId, PeerWithheld::Shown, 0, {}, {}, {}};
        if (!isShown(scale)) {
            result.withheld = scale.failure ? PeerWithheld::OwnFigureFailed : PeerWithheld::OwnFigureHidden;
            standing.scales.push_back(std::move(result));
            continue;
        }
        const auto& reference = definitionOf(*own, scale);
        std::vector<const ScaleFigures*> shown{&scale};
        for (const auto& district : network) {
            if (district.id == viewer.id) continue;
            const auto contribution = contributionOf(district, schoolYear, reference, scale.scaleId, comparable);
            if (contribution && isShown(*contribution->scale)) shown.push_back(contribution->scale);
        }
        if (shown.size() < kMinPeerDistricts) {
            result.withheld = PeerWithheld::TooFewDistricts;
            result.districtsNeeded = kMinPeerDistricts - shown.size();
            standing.scales.push_back(std::move(result));
            continue;
        }
        result.peers = rounded(distributionOf(shown));
        const double mean = *scale.district->summary.mean, share = *scale.district->favorable.share;
        result.mean = PeerPosition{mean, quarterOf(roundAsR(mean, kPeerDecimals), result.peers->mean)};
        result.favorable = PeerPosition{share, quarterOf(roundAsR(share, kPeerDecimals), result.peers->favorable)};
        standing.scales.push_back(std::move(result));
    }
    return standing;
}

std::vector<PeerYearStanding> peerStandings(const PeerInput& network, const std::string& districtId,
                                            const ScaleComparability& comparable) {
    const auto& viewer = districtIn(network, districtId);
    std::vector<std::string> schoolYears;
    for (const auto& year : viewer.years)
        if (year.profile && std::find(schoolYears.begin(), schoolYears.end(), year.survey->schoolYear) == schoolYears.end())
            schoolYears.push_back(year.survey->schoolYear);
    std::sort(schoolYears.rbegin(), schoolYears.rend());
    std::vector<PeerYearStanding> standings;
    for (const auto& schoolYear : schoolYears) standings.push_back(peerStanding(network, districtId, schoolYear, comparable));
    return standings;
}

std::vector<NetworkYear> networkView(const PeerInput& network, const ScaleComparability& comparable) {
    std::vector<std::string> schoolYears;
    for (const auto& district : network)
        for (const auto& year : district.years)
            if (year.profile && std::find(schoolYears.begin(), schoolYears.end(), year.survey->schoolYear) == schoolYears.end())
                schoolYears.push_back(year.survey->schoolYear);
    std::sort(schoolYears.rbegin(), schoolYears.rend());

    std::vector<NetworkYear> view;
    for (const auto& schoolYear : schoolYears) {
        NetworkYear result{schoolYear, {}, {}};
        for (const auto& district : network) {
            const auto* own = ownSurveyIn(district, schoolYear);
            if (!own) continue;
            result.participation.push_back(
                {district.id, district.name, own->survey, own->profile->responses, own->profile->minGroupSize});
            for (const auto& scale : own->profile->scales) {
                const bool isListed = std::any_of(result.scales.begin(), result.scales.end(), [&](const NetworkScale& s) {
                    return s.instrumentKey == scale.instrumentKey && s.scaleId == scale.scaleId;
                });
                if (!isListed) result.scales.push_back({&definitionOf(*own, scale), scale.instrumentKey, scale.scaleId, {}, {}, false});
            }
        }
        for (auto& scale : result.scales) {
            std::vector<const ScaleFigures*> shown;
            for (const auto& district : network) {
                const auto contribution = contributionOf(district, schoolYear, *scale.instrument, scale.scaleId, comparable);
                if (!contribution) continue;
                const auto& figures = *contribution->scale;
                scale.districts.push_back({district.id, district.name, contribution->year->survey, figures.instrumentKey,
                                           figures.hidden, isShown(figures) ? figures.district : std::nullopt});
                if (isShown(figures)) shown.push_back(&figures);
            }
            if (!shown.empty()) scale.network = distributionOf(shown);
            scale.isSharedWithDistricts = shown.size() >= kMinPeerDistricts;
        }
        view.push_back(std::move(result));
    }
    return view;
}

std::string peerStandingsToCsv(const std::vector<PeerYearStanding>& standings) {
    std::string csv = "school_year,measure,instrument,scale,districts,districts_needed,withheld,p25,median,p75,own,quarter\n";
    for (const auto& standing : standings)
        for (const auto* measure : {"mean", "favorable"}) {
            const bool isMean = std::string_view(measure) == "mean";
            for (const auto& scale : standing.scales) {
                std::string row;
                for (const auto& text : {standing.schoolYear, std::string(measure), scale.instrumentKey, scale.scaleId}) {
                    appendCsvField(row, text);
                    row += ',';
                }
                if (scale.withheld != PeerWithheld::Shown) {
                    const bool isTooFew = scale.withheld == PeerWithheld::TooFewDistricts;
                    row += ',' + (isTooFew ? std::to_string(scale.districtsNeeded) : std::string()) + ',';
                    row += std::string(peerWithheldCode(scale.withheld)) + ",,,,,";
                } else {
                    const auto& quartiles = isMean ? scale.peers->mean : scale.peers->favorable;
                    const auto& own = isMean ? *scale.mean : *scale.favorable;
                    row += std::to_string(scale.peers->districts) + ",,,";
                    for (const double x : {quartiles.lower, quartiles.median, quartiles.upper, own.value}) row += shortestNumber(x) + ',';
                    row += peerQuarterCode(own.quarter);
                }
                csv += row + '\n';
            }
        }
    return csv;
}

}  // namespace mindset::analytics
