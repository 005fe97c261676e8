#pragma once
/// Peer districts: where a district stands among the other districts on the same host, per school
/// year and scale, and the network's own view of every district. Pure functions of the districts'
/// protected profiles (SurveyYear): a district-level figure that a profile hides is never read, so
/// it neither appears nor counts. docs/peers.md explains the rules and what they protect against.
///
/// The district view never holds another district's identity or its own figures: only how many
/// districts contribute and three quantiles of their figures (R's quantile(x, type = 7) at 0.25,
/// 0.5 and 0.75), and only when at least kMinPeerDistricts districts contribute.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <mindset/sdk.h>

#include "analytics/Comparability.h"
#include "analytics/SurveyYear.h"

namespace mindset::analytics {

/// Fewest districts whose figures on a scale make a peer distribution a district may see. The
/// viewing district is one of them: it must contribute a shown figure itself (give to get), so at
/// least four *other* districts' figures stand behind every quantile it sees.
inline constexpr std::size_t kMinPeerDistricts = 5;

/// Decimals of the quartiles a district sees (means to 0.01 points, shares favorable to 0.01, one
/// percentage point): an exact share k/n would give away a district's number of respondents, and
/// with it, often, which district it is (docs/peers.md). Network staff see exact figures.
inline constexpr int kPeerDecimals = 2;

/// `value` rounded to `digits` (0 or more) decimals exactly as R's round(value, digits) (R >= 4.0.0): of the
/// two neighbouring candidates, the one nearer to the double `value`, the even one on a tie.
double roundAsR(double value, int digits);


/// One district of the host and its surveys: what peer comparisons read. Built by the web layer
/// (web::districtsOf and web::districtYears), so analytics needs nothing from it.
struct PeerDistrict {
    std::string id;    ///< the district's slug
    std::string name;
    DistrictYears years;  ///< oldest school year first, ties by survey id
};

/// Every district on the host.
using PeerInput = std::vector<PeerDistrict>;

/// R's quantile(values, probability, type = 7): with the values sorted x[1..n] and
/// h = 1 + (n - 1) p, x[floor(h)] + (h - floor(h)) (x[ceil(h)] - x[floor(h)]), computed as R does.
/// Throws std::invalid_argument when `values` is empty or `probability` is outside [0, 1].
double quantileType7(std::vector<double> values, double probability);

/// The 25th percentile, the median and the 75th percentile (type 7).
struct Quartiles {
    double lower = 0;
    double median = 0;
    double upper = 0;
};

/// quantileType7 at 0.25, 0.5 and 0.75; throws std::invalid_argument when `values` is empty.
Quartiles quartilesOf(std::vector<double> values);

/// The districts behind a peer distribution and their figures' quartiles.
struct PeerDistribution {
    std::size_t districts = 0;
    Quartiles mean;       ///< of the districts' scale means
    Quartiles favorable;  ///< of the districts' shares favorable (0..1)
};

/// Which quarter of a peer distribution a value is in. A value on a boundary counts toward the
/// middle: on the 25th percentile it is in the second quarter, on the median or the 75th
/// percentile in the third. (Equal values are common: with five districts each quartile *is* a
/// district's value, possibly the viewer's own.)
enum class PeerQuarter {
    Lowest,  ///< below the 25th percentile
    Second,  ///< from the 25th percentile to below the median
    Third,   ///< from the median to the 75th percentile
    Highest  ///< above the 75th percentile
};

/// The quarter `value` is in.
PeerQuarter quarterOf(double value, const Quartiles& quartiles);

/// A short, stable code for outputs ("lowest", "second", "third", "highest").
std::string_view peerQuarterCode(PeerQuarter quarter);

/// Why a district does not see its standing on a scale.
enum class PeerWithheld {
    Shown = 0,
    TooFewDistricts,  ///< fewer than kMinPeerDistricts districts contribute a shown figure
    OwnFigureHidden,  ///< the district's own figure is hidden in its profile, so it does not contribute
    OwnFigureFailed,  ///< the instrument's plugin failed on the district's survey: there is no figure (ScaleFigures::failure)
};

/// A short, stable code for outputs ("too-few-districts", ...; "" for Shown).
std::string_view peerWithheldCode(PeerWithheld reason);

/// A district's own figure on a scale and where it falls among its peers.
struct PeerPosition {
    double value = 0;
    PeerQuarter quarter = PeerQuarter::Lowest;
};

/// Where a district stands on one scale of its survey.
struct PeerScaleStanding {
    ScaleRef ref;               ///< the scale in the district's own survey
    std::string instrumentKey;  ///< id@version, as the district's survey pins it
    std::string scaleId;
    PeerWithheld withheld = PeerWithheld::Shown;
    /// How many more contributing districts the comparison needs (TooFewDistricts only).
    std::size_t districtsNeeded = 0;
    /// When shown; the viewing district is one of them. Quartiles rounded to kPeerDecimals.
    std::optional<PeerDistribution> peers;
    /// When shown: the district's exact figure (its own), and its quarter, found by comparing the
    /// figure rounded to kPeerDecimals with the rounded quartiles, as the reader sees them.
    std::optional<PeerPosition> mean;
    std::optional<PeerPosition> favorable;  ///< as `mean`
};

/// A district's standing in one school year, on every scale of its survey that year.
struct PeerYearStanding {
    std::string schoolYear;
    const surveys::SurveyDefinition* survey = nullptr;  ///< the district's own survey that year
    std::vector<PeerScaleStanding> scales;               ///< in the survey's Profile::scales order
};

/// Where `districtId` stands among the districts of `network` in `schoolYear`, on each scale of its
/// survey that year (its last survey by id when it has several). Another district contributes to a
/// scale when its survey that year pins the same instrument version, or a version `comparable`
/// accepts, and its profile shows its district-level figure on that scale. Throws
/// std::invalid_argument when the district has no survey that year.
PeerYearStanding peerStanding(const PeerInput& network, const std::string& districtId, const std::string& schoolYear,
                              const ScaleComparability& comparable = areScalesComparable);

/// peerStanding for every school year of the district, newest first.
std::vector<PeerYearStanding> peerStandings(const PeerInput& network, const std::string& districtId,
                                            const ScaleComparability& comparable = areScalesComparable);

/// One district's figure on a scale, for network staff (who may see every district's figures).
struct NetworkFigure {
    std::string districtId;
    std::string districtName;
    const surveys::SurveyDefinition* survey = nullptr;
    std::string instrumentKey;  ///< the version this district's survey pins
    HiddenBecause hidden = HiddenBecause::Shown;
    std::optional<CellFigures> figures;  ///< when its profile shows it
};

/// One scale of one school year across the network.
struct NetworkScale {
    const sdk::Definition* instrument = nullptr;  ///< the version the scale is read in (owned by the registry)
    std::string instrumentKey;
    std::string scaleId;
    std::vector<NetworkFigure> districts;  ///< every district that measured it, in network order
    /// The quartiles of the shown figures (from one district up: network staff see every figure anyway).
    std::optional<PeerDistribution> network;
    /// Districts see their standing on this scale only when network->districts >= kMinPeerDistricts.
    bool isSharedWithDistricts = false;
};

/// How many responses a district's survey of the year holds.
struct NetworkParticipation {
    std::string districtId;
    std::string districtName;
    const surveys::SurveyDefinition* survey = nullptr;
    std::int64_t responses = 0;
    int minGroupSize = 5;
};

/// The network in one school year.
struct NetworkYear {
    std::string schoolYear;
    std::vector<NetworkParticipation> participation;  ///< one per district with a survey that year
    /// One per distinct instrument version and scale in the year's surveys, in order of first
    /// appearance (districts in network order, then survey order). With a comparability other than
    /// the default, a district may appear under each of two comparable versions.
    std::vector<NetworkScale> scales;
};

/// The network view of every school year with a survey, newest first.
std::vector<NetworkYear> networkView(const PeerInput& network, const ScaleComparability& comparable = areScalesComparable);

/// A district's standings as a CSV table (RFC 4180, header row, "\n" line ends; docs/peers.md), one
/// row per school year (in the order given), measure ("mean", then "favorable": a share, 0-1) and
/// scale: school year, measure, instrument id@version, scale, the districts contributing, the
/// districts still needed and the withheld reason (empty when shown), the published (rounded) 25th
/// percentile, median and 75th percentile, the district's own exact figure and its quarter. Holds
/// exactly what the standings hold: nothing that names or singles out another district.
std::string peerStandingsToCsv(const std::vector<PeerYearStanding>& standings);

}  // namespace mindset::analytics
