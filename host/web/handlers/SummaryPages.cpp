#include "web/handlers/SummaryPages.h"

#include <algorithm>
#include <cmath>

#include "analytics/NumberText.h"
#include "analytics/Peers.h"
#include "analytics/ResponseFormat.h"
#include "analytics/Trends.h"
#include "web/DistrictData.h"
#include "web/LeaderFrame.h"
#include "web/Templates.h"
#include "web/handlers/ComparisonPages.h"
#include "web/handlers/GoalPages.h"

namespace mindset::web::handlers {

using nlohmann::json;
using analytics::PointState;

namespace {

/// The demographic question whose groups the summary's gap sentences compare.
constexpr const char* kRaceQuestion = "race";
/// How many gap sentences the summary writes at most: the largest clear ones.
constexpr std::size_t kLargestGaps = 5;
/// A gap is "clear" as the profile says "beyond noise": Benjamini-Hochberg q below this.
constexpr double kClearBelowQ = 0.05;

std::string text(const json& t, const char* key) { return t[key].get<std::string>(); }

/// "2024-2025" as "2024–25".
std::string shortYear(const std::string& schoolYear) {
    if (schoolYear.size() == 9 && schoolYear[4] == '-') return schoolYear.substr(0, 4) + "\u2013" + schoolYear.substr(7, 2);
    return schoolYear;
}

/// A mean or a difference as the page's language writes it ("3.77" / "3,77", a true minus sign).
std::string decimal(double x, const std::string& language) { return analytics::decimalText(x, 2, language); }

/// As decimal, with "+" before a positive value.
std::string signedDecimal(double x, const std::string& language) { return analytics::signedDecimalText(x, 2, language); }

std::string instrumentIdOf(const std::string& key) { return key.substr(0, key.find('@')); }

/// The release a year's figures come from, in words, as the profile page writes it.
std::string releaseText(const analytics::SurveyYear& year, const std::string& language) {
    store::ReleaseRecord record;
    record.number = year.release.number;
    record.publishedOn = year.release.publishedOn;
    record.kind = year.release.kind == "final" ? store::ReleaseKind::Final : store::ReleaseKind::Interim;
    record.responses = year.release.responses;
    return releaseLabel(record, *year.survey, language);
}

/// The change of a scale since the year before, as figures and words.
json changeView(const analytics::ScaleTrend& scale, const analytics::Trends& trends, const std::string& language, const json& t) {
    const auto latest = trends.schoolYears.size() - 1;
    if (latest == 0) return {{"verdict", text(t, "summaryFirstYear")}};
    const auto since = shortYear(trends.schoolYears[latest - 1]);
    const auto& change = scale.district.changes[latest - 1];
    if (!change) {
        const auto& link = scale.links[latest - 1];
        if (link.state == analytics::LinkState::NotComparable) return {{"verdict", fillMessage(text(t, "summaryNotComparable"), {{"year", since}})}};
        if (scale.district.points[latest - 1].state == PointState::NotMeasured) return {{"verdict", fillMessage(text(t, "summaryNotMeasuredBefore"), {{"year", since}})}};
        return {{"verdict", fillMessage(text(t, "summaryNoComparison"), {{"year", since}})}};
    }
    const double difference = *change->comparison.difference;
    json view{{"change", signedDecimal(difference, language)}, {"isClear", change->isRealChange()}};
    const char* key = !change->isRealChange() ? "summaryNoClearChange" : difference > 0 ? "summaryClearlyUp" : "summaryClearlyDown";
    view["verdict"] = fillMessage(text(t, key), {{"year", since}});
    view["direction"] = !change->isRealChange() ? "none" : difference > 0 ? "up" : "down";
    return view;
}

/// Where the district's mean stands among peer districts, in words.
std::string peerText(const analytics::PeerYearStanding* standing, const std::string& instrumentId, const std::string& scaleId, const json& t) {
    if (!standing) return text(t, "summaryPeersNone");
    for (const auto& scale : standing->scales) {
        if (instrumentIdOf(scale.instrumentKey) != instrumentId || scale.scaleId != scaleId) continue;
        switch (scale.withheld) {
            case analytics::PeerWithheld::TooFewDistricts:
                return fillMessage(text(t, "summaryPeersTooFew"), {{"minimum", std::to_string(analytics::kMinPeerDistricts)}});
            case analytics::PeerWithheld::OwnFigureHidden:
            case analytics::PeerWithheld::OwnFigureFailed: return text(t, "summaryPeersOwnHidden");
            case analytics::PeerWithheld::Shown: break;
        }
        const char* key = "summaryPeersLowest";
        switch (scale.mean->quarter) {
            case analytics::PeerQuarter::Highest: key = "summaryPeersHighest"; break;
            case analytics::PeerQuarter::Third: key = "summaryPeersThird"; break;
            case analytics::PeerQuarter::Second: key = "summaryPeersSecond"; break;
            case analytics::PeerQuarter::Lowest: break;
        }
        return fillMessage(text(t, key), {{"districts", std::to_string(scale.peers->districts)}});
    }
    return text(t, "summaryPeersNone");
}

/// Why a scale has no figure this year, in words a board reads.
std::string missingText(const analytics::TrendPoint& point, int minGroupSize, const json& t) {
    // A district-level figure hidden for its size, or none at all (the instrument's plugin failed).
    if (point.state == PointState::Hidden && point.hidden != analytics::HiddenBecause::Shown)
        return fillMessage(text(t, "summaryHidden"), {{"minimum", std::to_string(minGroupSize)}});
    return text(t, "summaryNoResult");
}

/// One row per scale measured in the latest year, grouped by instrument.
json scaleRows(const analytics::Trends& trends, const analytics::DistrictYears& years, const analytics::PeerYearStanding* standing,
               const std::string& comparePath, const std::string& language, const json& t) {
    const auto latest = trends.schoolYears.size() - 1;
    json instruments = json::array();
    for (const auto& instrument : trends.instruments) {
        if (!instrument.years[latest]) continue;  // not fielded this year: it belongs to the years-compared page
        const auto& year = years[instrument.years[latest]->surveyIndex];
        json rows = json::array();
        for (const auto& scale : instrument.scales) {
            const auto& point = scale.district.points[latest];
            if (point.state == PointState::NotMeasured) continue;
            json row{{"title", scale.title.in(language)},
                     {"href", comparePath + "#" + fragmentId("scale-" + instrument.instrumentId + "-" + scale.scaleId)}};
            if (point.state == PointState::Shown) {
                row["mean"] = decimal(*point.figures->summary.mean, language);
                if (point.figures->favorable.share) row["favorable"] = analytics::percentText(*point.figures->favorable.share, language);
                row.update(changeView(scale, trends, language, t));
            } else {
                row["missing"] = missingText(point, year.profile->minGroupSize, t);
                row["verdict"] = text(t, "notAvailable");
            }
            row["peers"] = peerText(standing, instrument.instrumentId, scale.scaleId, t);
            rows.push_back(std::move(row));
        }
        if (!rows.empty())
            instruments.push_back({{"title", instrument.title.in(language)},
                                   {"reading", analytics::scaleReadingText(*instrument.years[latest]->definition, language)},
                                   {"rows", rows}});
    }
    return instruments;
}

/// The largest clear gaps between a racial/ethnic group and the rest of the district in the latest
/// year, largest first, each with its gap year by year and whether it is closing.
json largestGaps(const analytics::Trends& trends, const std::string& comparePath, const std::string& language, const json& t) {
    struct Candidate {
        double size;
        json view;
    };
    std::vector<Candidate> candidates;
    const auto latest = trends.schoolYears.size() - 1;
    for (const auto& instrument : trends.instruments) {
        if (!instrument.years[latest]) continue;
        for (const auto& scale : instrument.scales) {
            for (const auto& breakdown : scale.breakdowns) {
                if (breakdown.questionId != kRaceQuestion) continue;
                for (const auto& group : breakdown.groups) {
                    const auto& gap = group.gaps[latest];
                    if (gap.state != PointState::Shown || !gap.gap->difference) continue;
                    if (!gap.qValue || *gap.qValue >= kClearBelowQ) continue;
                    const double difference = *gap.gap->difference;
                    json view{{"sentence", fillMessage(text(t, difference < 0 ? "summaryGapBelow" : "summaryGapAbove"),
                                                       {{"group", group.label.in(language)},
                                                        {"size", decimal(std::abs(difference), language)},
                                                        {"scale", scale.title.in(language)}})},
                              {"href", comparePath + "&scale=" + scaleKey(instrument.instrumentId, scale.scaleId) + "#" +
                                               fragmentId("by-" + instrument.instrumentId + "-" + scale.scaleId + "-" + breakdown.questionId)}};
                    // The gap in every year it is shown: the reader sees the line, not only its last step.
                    std::string series;
                    for (std::size_t k = 0; k < group.gaps.size(); ++k) {
                        if (group.gaps[k].state == PointState::NotMeasured || group.gaps[k].state == PointState::NoRespondents) continue;
                        const auto value = group.gaps[k].state == PointState::Shown && group.gaps[k].gap->difference
                                               ? signedDecimal(*group.gaps[k].gap->difference, language)
                                               : text(t, "hiddenWord");
                        series += (series.empty() ? "" : " \u2192 ") + value + " (" + shortYear(trends.schoolYears[k]) + ")";
                    }
                    view["series"] = series;
                    if (latest > 0) {
                        const auto since = shortYear(trends.schoolYears[latest - 1]);
                        if (const auto& change = group.gapChanges[latest - 1]) {
                            const char* key = "summaryGapNoClearChange";
                            switch (change->direction) {
                                case analytics::GapDirection::Closing: key = "summaryGapClosing"; break;
                                case analytics::GapDirection::Widening: key = "summaryGapWidening"; break;
                                case analytics::GapDirection::Reversed: key = "summaryGapReversed"; break;
                                case analytics::GapDirection::WithinNoise: break;
                            }
                            view["trend"] = fillMessage(text(t, key), {{"year", since}});
                            view["isClosing"] = change->direction == analytics::GapDirection::Closing;
                        } else {
                            view["trend"] = fillMessage(text(t, "summaryGapNoComparison"), {{"year", since}});
                        }
                        // An earlier clear movement, so that "no clear change since last year" does not hide it.
                        std::string earlier;
                        for (std::size_t k = 0; k + 1 < latest; ++k) {
                            const auto& step = group.gapChanges[k];
                            if (!step || step->direction == analytics::GapDirection::WithinNoise) continue;
                            const char* key = step->direction == analytics::GapDirection::Closing    ? "summaryGapEarlierClosing"
                                              : step->direction == analytics::GapDirection::Widening ? "summaryGapEarlierWidening"
                                                                                                     : "summaryGapEarlierReversed";
                            earlier += (earlier.empty() ? "" : " ") + fillMessage(text(t, key), {{"from", shortYear(trends.schoolYears[k])},
                                                                                                  {"to", shortYear(trends.schoolYears[k + 1])}});
                        }
                        if (!earlier.empty()) view["earlier"] = earlier;
                    }
                    candidates.push_back({std::abs(difference), std::move(view)});
                }
            }
        }
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) { return a.size > b.size; });
    json gaps = json::array();
    for (std::size_t i = 0; i < candidates.size() && i < kLargestGaps; ++i) gaps.push_back(std::move(candidates[i].view));
    return gaps;
}

/// The heatmap of the latest year: every group of every breakdown (rows) against the rest of the
/// district on every scale (columns), coloured by the direction and clarity of the difference,
/// which is also written in every cell; a hidden group's cell says only "hidden".
json heatmap(const analytics::SurveyYear& year, const std::string& comparePath, const std::string& profilePath, const std::string& language,
             const json& t) {
    const auto& profile = *year.profile;
    const auto& survey = *year.survey;
    json columns = json::array();
    for (const auto& scale : profile.scales) {
        const auto& definition = survey.instruments[scale.ref.instrument].definition();
        columns.push_back({{"title", definition.scales[scale.ref.scale].title.in(language)},
                           {"href", comparePath + "#" + fragmentId("scale-" + definition.id + "-" + scale.scaleId)}});
    }
    json groups = json::array();
    for (const auto& breakdown : profile.breakdowns) {
        json rows = json::array();
        for (std::size_t c = 0; c < breakdown.categories.size(); ++c) {
            json cells = json::array();
            bool hasAnyone = false;
            for (std::size_t g = 0; g < profile.scales.size(); ++g) {
                const auto& cell = breakdown.cellsByScale[g][c];
                const bool isFailed = profile.scales[g].failure.has_value();
                if (isFailed || (cell.size == 0 && cell.hidden == analytics::HiddenBecause::Shown)) {  // a withheld breakdown hides its empty groups too
                    cells.push_back({{"kind", "none"}, {"text", text(t, "notAvailable")}, {"spoken", text(t, "summaryHeatNone")}});
                    continue;
                }
                hasAnyone = true;
                if (cell.hidden != analytics::HiddenBecause::Shown || cell.gapHidden != analytics::HiddenBecause::Shown || !cell.gap ||
                    !cell.gap->difference) {
                    cells.push_back({{"kind", "hidden"}, {"text", text(t, "hiddenWord")}});
                    continue;
                }
                const double difference = *cell.gap->difference;
                const bool isClear = cell.gapQValue && *cell.gapQValue < kClearBelowQ;
                // Coloured as written: a difference that shows as 0.00 is not tinted either way.
                const bool isEven = std::abs(difference) < 0.005;
                const std::string kind = isClear ? (difference > 0 ? "clear-above" : "clear-below")
                                                 : (isEven ? "even" : difference > 0 ? "above" : "below");
                json view{{"kind", kind}, {"text", signedDecimal(difference, language)}};
                if (isClear) view["symbol"] = difference > 0 ? "\u25B2" : "\u25BC";
                view["spoken"] = text(t, isClear ? (difference > 0 ? "summaryHeatClearAbove" : "summaryHeatClearBelow") : "summaryHeatNotClear");
                cells.push_back(std::move(view));
            }
            if (!hasAnyone) continue;  // nobody in this group this year: no row, as on the profile
            rows.push_back({{"label", breakdown.categories[c].label.in(language)}, {"cells", cells}});
        }
        if (!rows.empty())
            groups.push_back({{"label", breakdown.label.in(language)},
                              {"href", profilePath + "&by=" + breakdown.questionId},
                              {"span", columns.size() + 1},
                              {"rows", rows}});
    }
    return {{"columns", columns}, {"groups", groups}, {"caption", fillMessage(text(t, "summaryHeatCaption"), {{"year", shortYear(survey.schoolYear)}})}};
}

}  // namespace

DistrictSummary districtSummary(const Site& site, const District& district, const std::string& language) {
    const auto& t = messages(language);
    const auto base = "/leader/districts/" + district.slug;
    const auto comparePath = base + "?lang=" + language;

    DistrictSummary summary;
    json& view = summary.view;
    view = {{"lang", language}, {"title", fillMessage(text(t, "summaryTitle"), {{"district", district.name}})}, {"isWide", true}};
    summary.years = districtYears(site, district.slug);
    const auto& years = summary.years;
    if (years.empty()) {
        view["noRelease"] = text(t, "summaryNoRelease");
        return summary;
    }
    summary.trends = districtTrends(years);
    const auto& trends = summary.trends;
    const auto& latest = years.back();
    const auto latestYear = shortYear(trends.schoolYears.back());

    analytics::PeerInput network;
    for (const auto& other : districtsOf(site)) network.push_back({other.slug, other.name, districtYears(site, other.slug)});
    summary.standings = analytics::peerStandings(network, district.slug);
    const analytics::PeerYearStanding* standing = nullptr;
    for (const auto& s : summary.standings)
        if (s.schoolYear == trends.schoolYears.back()) standing = &s;

    view["year"] = latestYear;
    view["release"] = releaseText(latest, language);
    view["hasRelease"] = true;
    if (latest.survey->isOpenOn(site.today()))
        view["preliminary"] = fillMessage(text(t, "summaryPreliminaryOpen"), {{"year", latestYear}, {"closes", formatDate(latest.survey->closes)}});
    else if (latest.release.kind != "final")
        view["preliminary"] = fillMessage(text(t, "summaryPreliminaryInterim"), {{"year", latestYear}});
    view["changeColumn"] = trends.schoolYears.size() > 1
                               ? fillMessage(text(t, "summaryChangeColumn"), {{"year", shortYear(trends.schoolYears[trends.schoolYears.size() - 2])}})
                               : text(t, "summaryChangeColumnFirst");
    view["phoneHint"] = fillMessage(text(t, "summaryPhoneHint"),
                                    {{"year", latestYear},
                                     {"previous", trends.schoolYears.size() > 1 ? shortYear(trends.schoolYears[trends.schoolYears.size() - 2]) : latestYear}});
    view["valueColumn"] = fillMessage(text(t, "summaryValueColumn"), {{"year", latestYear}});
    view["tableCaption"] = fillMessage(text(t, "summaryTableCaption"), {{"year", latestYear}});
    view["scalesTitle"] = fillMessage(text(t, "summaryScalesTitle"), {{"year", latestYear}});
    const auto profilePath = "/leader/surveys/" + latest.survey->id + "?lang=" + language;
    view["instruments"] = scaleRows(trends, years, standing, comparePath, language, t);

    const auto gaps = largestGaps(trends, comparePath, language, t);
    view["gaps"] = gaps;
    view["hasGaps"] = !gaps.empty();
    view["gapsTitle"] = fillMessage(text(t, "summaryGapsTitle"), {{"year", latestYear}});
    view["heatmap"] = heatmap(latest, comparePath, profilePath, language, t);
    // The legend's sample figures, written as the page writes its own.
    view["legend"] = {{"clearAbove", signedDecimal(0.30, language)}, {"above", signedDecimal(0.10, language)},
                      {"below", signedDecimal(-0.10, language)}, {"clearBelow", signedDecimal(-0.30, language)}};
    view["heatTitle"] = fillMessage(text(t, "summaryHeatTitle"), {{"year", latestYear}});
    const auto goals = goalStatusView(site, district, years, language);
    view["goalStatuses"] = goals["goals"];
    view["goalsSection"] = goalStatusSection(goals);
    view["hiddenRule"] = fillMessage(text(t, "summaryHowHidden"), {{"minimum", std::to_string(latest.survey->reportingThreshold())}});
    view["peersRule"] = fillMessage(text(t, "summaryHowPeers"), {{"minimum", std::to_string(analytics::kMinPeerDistricts)}});

    json releases = json::array();
    for (auto it = years.rbegin(); it != years.rend(); ++it)
        releases.push_back({{"year", shortYear(it->survey->schoolYear)},
                            {"label", releaseText(*it, language)},
                            {"href", "/leader/surveys/" + it->survey->id + "?lang=" + language}});
    view["releases"] = releases;
    // The board report of these figures, on either paper (web/BoardReport).
    view["reportLetterHref"] = base + "/report.pdf?paper=letter&lang=" + language;
    view["reportA4Href"] = base + "/report.pdf?paper=a4&lang=" + language;
    return summary;
}

Response summaryPage(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto language = interfaceLanguage(request.queryValue("lang"));
    auto view = districtSummary(site, district, language).view;
    const auto base = "/leader/districts/" + district.slug;
    addLeaderFrame(view, site, district.slug, base + "/summary", "", language);
    return Response::html(renderPage("summary", view));
}

}  // namespace mindset::web::handlers
