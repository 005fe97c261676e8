#include "web/handlers/ComparisonPages.h"

#include <algorithm>
#include <cmath>

#include "analytics/NumberText.h"
#include "analytics/ProfileJson.h"
#include "analytics/ResponseFormat.h"
#include "analytics/TrendsJson.h"
#include "web/Charts.h"
#include "web/DistrictData.h"
#include "web/LeaderFrame.h"
#include "web/Templates.h"
#include "web/handlers/GoalPages.h"
#include "web/handlers/ParticipationPages.h"
#include "web/handlers/PeerPages.h"

namespace mindset::web::handlers {

using nlohmann::json;
using analytics::PointState;

namespace {

std::string languageOf(const Request& request) { return interfaceLanguage(request.queryValue("lang")); }

/// "2024-2025" as "2024–25": short enough for a chart's axis and a table's column.
std::string shortYear(const std::string& schoolYear) {
    if (schoolYear.size() == 9 && schoolYear[4] == '-') return schoolYear.substr(0, 4) + "\u2013" + schoolYear.substr(7, 2);
    return schoolYear;
}

/// "2024-2025" as "24–25": for the narrow panels of a gap-trend chart.
std::string compactYear(const std::string& schoolYear) {
    if (schoolYear.size() == 9 && schoolYear[4] == '-') return schoolYear.substr(2, 2) + "\u2013" + schoolYear.substr(7, 2);
    return schoolYear;
}

// Figures as the page's language writes them (analytics/NumberText).
std::string fixed(double x, const std::string& language) { return analytics::decimalText(x, 2, language); }

std::string signedFixed(double x, const std::string& language) { return analytics::signedDecimalText(x, 2, language); }

std::string range(const analytics::Interval& interval, const std::string& language) {
    return analytics::intervalText(interval.lower, interval.upper, 2, language);
}

std::string percent(double share, const std::string& language) { return analytics::percentText(share, language); }

std::string text(const json& t, const char* key) { return t[key].get<std::string>(); }

/// Why there is no change between two years, in words.
std::string unavailableText(const json& t, std::string_view code) {
    if (code == "versions-not-comparable") return text(t, "trendNotComparable");
    if (code == "hidden") return text(t, "trendHiddenYear");
    if (code == "no-respondents") return text(t, "trendNoRespondentsYear");
    return text(t, "trendNotMeasuredYear");
}

/// A change since the previous year: its figures and a judgement in plain words.
json changeView(const analytics::YearChange& change, const std::string& since, const json& t, const std::string& language) {
    const auto& c = change.comparison;
    json view{{"change", signedFixed(*c.difference, language)}};
    if (c.welch) view["changeCi"] = range(c.welch->differenceCi95, language);
    if (c.hedgesG) {
        view["g"] = signedFixed(c.hedgesG->g, language);
        view["gCi"] = range(c.hedgesG->ci95, language);
    }
    const auto size = fixed(std::abs(*c.difference), language);
    if (!change.isRealChange()) view["judgement"] = fillMessage(text(t, "trendWithinNoise"), {{"value", size}, {"since", since}});
    else view["judgement"] = fillMessage(text(t, *c.difference > 0 ? "trendRealUp" : "trendRealDown"), {{"value", size}, {"since", since}});
    view["isReal"] = change.isRealChange();
    return view;
}

std::string holeNote(const json& t, PointState state) {
    switch (state) {
        case PointState::Hidden: return text(t, "trendHoleHidden");
        case PointState::NoRespondents: return text(t, "trendHoleNoRespondents");
        default: return text(t, "trendHoleNotMeasured");
    }
}

/// The vertical axis of a scale's trend: a window at least one point wide around every mean and
/// interval, on the response scale, in steps of 0.25.
void meanAxis(charts::TrendChart& chart, const analytics::TrendSeries& series, double scaleMin, double scaleMax) {
    double low = scaleMax, high = scaleMin;
    for (const auto& point : series.points) {
        if (point.state != PointState::Shown) continue;
        const auto& summary = point.figures->summary;
        low = std::min(low, summary.meanCi95 ? summary.meanCi95->lower : *summary.mean);
        high = std::max(high, summary.meanCi95 ? summary.meanCi95->upper : *summary.mean);
    }
    if (low > high) low = high = (scaleMin + scaleMax) / 2;
    low = std::floor((low - 0.05) * 4) / 4;
    high = std::ceil((high + 0.05) * 4) / 4;
    while (high - low < 1) low -= 0.25, high += 0.25;
    chart.axisMin = std::max(scaleMin, low);
    chart.axisMax = std::min(scaleMax, high);
    chart.tickStep = chart.axisMax - chart.axisMin <= 1.5 ? 0.25 : 0.5;
}

json yearRows(const analytics::TrendSeries& series, const std::vector<analytics::YearLink>& links, const analytics::Trends& trends,
              const analytics::InstrumentTrend& instrument, const analytics::DistrictYears& years, const std::string& language, const json& t) {
    json rows = json::array();
    for (std::size_t k = 0; k < series.points.size(); ++k) {
        const auto& point = series.points[k];
        json row{{"year", shortYear(trends.schoolYears[k])}};
        if (point.state == PointState::Shown) {
            const auto& f = *point.figures;
            row["n"] = std::to_string(f.summary.n);
            row["mean"] = fixed(*f.summary.mean, language);
            if (f.summary.meanCi95) row["ci"] = range(*f.summary.meanCi95, language);
            if (f.favorable.share) row["favorable"] = percent(*f.favorable.share, language);
            if (f.favorable.wilson95) row["favorableCi"] = analytics::percentIntervalText(f.favorable.wilson95->lower, f.favorable.wilson95->upper, language);
        } else if (point.state == PointState::Hidden) {
            const auto minimum = years[instrument.years[k]->surveyIndex].profile->minGroupSize;
            row["hiddenText"] = analytics::hiddenExplanation(point.hidden, minimum, language);
        } else {
            row["hiddenText"] = point.state == PointState::NoRespondents ? text(t, "trendNoRespondents") : text(t, "trendNotMeasured");
        }
        if (k == 0) {
            row["changeNote"] = text(t, "notAvailable");
        } else if (series.changes[k - 1]) {
            row.update(changeView(*series.changes[k - 1], shortYear(trends.schoolYears[k - 1]), t, language));
        } else {
            row["changeNote"] = unavailableText(t, analytics::unavailableCode(links[k - 1], series.points[k - 1].state, point.state));
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string gapDirectionText(const json& t, analytics::GapDirection direction) {
    switch (direction) {
        case analytics::GapDirection::Closing: return text(t, "gapClosing");
        case analytics::GapDirection::Widening: return text(t, "gapWidening");
        case analytics::GapDirection::Reversed: return text(t, "gapReversed");
        case analytics::GapDirection::WithinNoise: return text(t, "gapWithinNoise");
    }
    return "";
}

/// One breakdown question of a scale: a gap-trend chart (a panel per group whose gap is shown in
/// some year) and a compact table of its groups.
json breakdownView(const analytics::BreakdownTrend& breakdown, const analytics::ScaleTrend& scale, const analytics::InstrumentTrend& instrument,
                   const analytics::Trends& trends, const analytics::DistrictYears& years, const std::string& language, const json& t) {
    const auto latest = trends.schoolYears.size() - 1;
    const auto latestYear = shortYear(trends.schoolYears[latest]);
    const auto previousYear = latest > 0 ? shortYear(trends.schoolYears[latest - 1]) : std::string();
    charts::TrendChart chart;
    chart.id = fragmentId("gaps-" + instrument.instrumentId + "-" + scale.scaleId + "-" + breakdown.questionId);
    chart.title = fillMessage(text(t, "gapChartTitle"), {{"scale", scale.title.in(language)}, {"question", breakdown.label.in(language)}});
    chart.description = text(t, "gapChartDescription");
    chart.columns = 2;
    chart.reference = 0;
    chart.referenceLabel = text(t, "gapReference");
    chart.axisLabel = text(t, "gapAxisLabel");
    chart.decimalMark = analytics::decimalMarkOf(language);
    for (const auto& year : trends.schoolYears) chart.periods.push_back(compactYear(year));
    for (const auto& link : scale.links)
        chart.breaks.push_back(link.state == analytics::LinkState::NotComparable ? text(t, "trendVersionBreak") : "");

    json rows = json::array();
    double widestGap = 0, widestInterval = 0.5;
    for (const auto& group : breakdown.groups) {
        json row{{"label", group.label.in(language)}};
        const auto& point = group.series.points[latest];
        const bool isNeverThere = std::all_of(group.series.points.begin(), group.series.points.end(), [](const analytics::TrendPoint& p) {
            return p.state == PointState::NotMeasured || p.state == PointState::NoRespondents;
        });
        if (isNeverThere) continue;  // nobody in it in any year: no row, as on the profile page
        if (point.state == PointState::Shown) {
            row["mean"] = fixed(*point.figures->summary.mean, language);
            if (point.figures->summary.meanCi95) row["ci"] = range(*point.figures->summary.meanCi95, language);
            row["n"] = std::to_string(point.figures->summary.n);
        } else if (point.state == PointState::Hidden) {
            row["meanNote"] = analytics::hiddenExplanation(point.hidden, years[instrument.years[latest]->surveyIndex].profile->minGroupSize, language);
        } else {
            row["meanNote"] = point.state == PointState::NoRespondents ? text(t, "trendNoRespondents") : text(t, "trendNotMeasured");
        }
        if (latest == 0) row["changeNote"] = text(t, "notAvailable");
        else if (group.series.changes[latest - 1]) row.update(changeView(*group.series.changes[latest - 1], previousYear, t, language));
        else row["changeNote"] = unavailableText(t, analytics::unavailableCode(scale.links[latest - 1], group.series.points[latest - 1].state, point.state));

        json gaps = json::array();
        charts::TrendPanel panel{group.label.in(language), {}};
        bool hasShownGap = false;
        for (std::size_t k = 0; k < group.gaps.size(); ++k) {
            const auto& gap = group.gaps[k];
            charts::TrendValue value;
            if (gap.state == PointState::Shown && gap.gap->difference) {
                hasShownGap = true;
                value.value = *gap.gap->difference;
                widestGap = std::max(widestGap, std::abs(*value.value));
                json cell{{"gap", signedFixed(*gap.gap->difference, language)}};
                if (gap.gap->welch) {
                    value.lower = gap.gap->welch->differenceCi95.lower;
                    value.upper = gap.gap->welch->differenceCi95.upper;
                    cell["gapCi"] = range(gap.gap->welch->differenceCi95, language);
                    widestInterval = std::max({widestInterval, std::abs(*value.lower), std::abs(*value.upper)});
                }
                gaps.push_back(cell);
            } else {
                value.note = holeNote(t, gap.state);
                gaps.push_back({{"gapNote", gap.state == PointState::Hidden ? text(t, "trendHoleHidden") : text(t, "notAvailable")}});
            }
            panel.values.push_back(value);
        }
        row["gaps"] = gaps;
        if (hasShownGap) chart.panels.push_back(std::move(panel));

        if (latest == 0) {
            row["gapChangeNote"] = text(t, "notAvailable");
        } else if (const auto& change = group.gapChanges[latest - 1]) {
            row["gapChange"] = signedFixed(change->change, language);
            if (change->ci95) row["gapChangeCi"] = range(*change->ci95, language);
            row["direction"] = gapDirectionText(t, change->direction);
            row["isGapReal"] = change->direction != analytics::GapDirection::WithinNoise;
        } else {
            row["gapChangeNote"] = unavailableText(t, analytics::unavailableCode(scale.links[latest - 1], group.gaps[latest - 1].state, group.gaps[latest].state));
        }
        rows.push_back(std::move(row));
    }
    // Symmetric about 0 (no gap), five ticks, the edge a multiple of 0.5. Every gap fits; the
    // interval of a small group may reach past the edge (cut there, its ends are in the table), so
    // that one small group does not flatten every other line of the chart.
    const double widest = std::min(widestInterval, std::max(widestGap + 0.3, 0.5));
    chart.axisMax = std::ceil(widest * 2) / 2;
    chart.tickStep = chart.axisMax / 2;
    chart.axisMin = -chart.axisMax;

    json view{{"label", breakdown.label.in(language)},
              {"caption", fillMessage(text(t, "groupTableCaption"),
                                      {{"scale", scale.title.in(language)}, {"question", breakdown.label.in(language)}, {"year", latestYear}})},
              {"anchor", fragmentId("by-" + instrument.instrumentId + "-" + scale.scaleId + "-" + breakdown.questionId)},
              {"rows", rows},
              {"latestYear", latestYear},
              {"hasChart", !chart.panels.empty()}};
    if (!chart.panels.empty()) view["chart"] = charts::trendChart(chart);
    return view;
}

}  // namespace

analytics::Trends districtTrends(const analytics::DistrictYears& years) {
    // Versions cross where the instrument declares a scale comparable (analytics::areScalesComparable).
    return analytics::buildTrends(years);
}

Response comparisonPage(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto language = languageOf(request);
    const auto& t = messages(language);
    const auto years = districtYears(site, district.slug);
    const auto trends = districtTrends(years);
    const auto base = "/leader/districts/" + district.slug;

    json view{{"lang", language},
              {"title", fillMessage(text(t, "compareTitle"), {{"district", district.name}})},
              {"isWide", true}};
    view["apiHref"] = "/api/districts/" + district.slug + "/trends?lang=" + language;
    view["csvHref"] = base + "/trends.csv";
    json surveys = json::array();
    for (const auto& year : years)
        surveys.push_back({{"href", "/leader/surveys/" + year.survey->id + "?lang=" + language},
                           {"title", year.survey->title.in(year.survey->offersLanguage(language) ? language : year.survey->languages.front())},
                           {"year", shortYear(year.survey->schoolYear)},
                           {"release", fillMessage(t["releaseLabel"], {{"number", std::to_string(year.release.number)},
                                                                       {"kind", t[year.release.kind == "final" ? "releaseFinal" : "releaseInterim"]},
                                                                       {"date", year.release.publishedOn},
                                                                       {"responses", year.release.responses >= year.survey->reportingThreshold()
                                                                                         ? std::to_string(year.release.responses)
                                                                                         : fillMessage(t["fewerThan"], {{"min", std::to_string(year.survey->reportingThreshold())}})}})}});
    view["surveys"] = surveys;
    view["multipleComparisons"] = fillMessage(text(t, "trendMultipleComparisons"), {{"count", std::to_string(trends.testCount)}});
    std::vector<std::string> yearLabels;
    for (const auto& year : trends.schoolYears) yearLabels.push_back(shortYear(year));
    json gapYears = json::array();
    for (const auto& year : yearLabels) gapYears.push_back(fillMessage(text(t, "gapInYearColumn"), {{"year", year}}));
    view["gapYears"] = gapYears;

    // The page shows every scale's district trend, or one scale (`?scale=instrument.scale`) with its
    // groups: all of them on one page would be 90 screens.
    const auto asked = request.queryValue("scale");
    bool isAskedFound = false;
    auto scaleHref = [&](const std::string& key) { return base + "?lang=" + language + "&scale=" + key; };
    json instruments = json::array();
    for (const auto& instrument : trends.instruments) {
        json scales = json::array();
        // The latest version's response scale bounds the mean's axis.
        const sdk::Definition* latest = nullptr;
        for (const auto& year : instrument.years)
            if (year) latest = year->definition;
        for (const auto& scale : instrument.scales) {
            const auto key = scaleKey(instrument.instrumentId, scale.scaleId);
            const bool isAsked = key == asked;
            if (!asked.empty() && !isAsked) continue;
            isAskedFound = isAskedFound || isAsked;
            const auto scaleTitle = scale.title.in(language);
            charts::TrendChart chart;
            chart.id = fragmentId("trend-" + instrument.instrumentId + "-" + scale.scaleId);
            chart.title = fillMessage(text(t, "trendChartTitle"), {{"scale", scaleTitle}});
            chart.description = text(t, "trendChartDescription");
            // A custom figure has a range of its own; any other scale the instrument's response codes.
            const auto* scaleDefinition = latest->findScale(scale.scaleId);
            const auto range = scaleDefinition ? analytics::scoreRangeOf(*latest, *scaleDefinition, language)
                                               : analytics::scoreRangeOf(*latest, language);
            chart.axisLabel = scaleDefinition ? analytics::meanAxisLabel(*latest, *scaleDefinition, language)
                                              : analytics::meanAxisLabel(*latest, language);
            chart.decimalMark = analytics::decimalMarkOf(language);
            chart.periods = yearLabels;
            meanAxis(chart, scale.district, range.min, range.max);
            json breakNotes = json::array();
            for (std::size_t k = 0; k < scale.links.size(); ++k) {
                const bool isBreak = scale.links[k].state == analytics::LinkState::NotComparable;
                chart.breaks.push_back(isBreak ? text(t, "trendVersionBreak") : "");
                if (isBreak) breakNotes.push_back(analytics::linkExplanation(scale.links[k], language));
            }
            charts::TrendPanel panel;
            for (const auto& point : scale.district.points) {
                charts::TrendValue value;
                if (point.state == PointState::Shown) {
                    value.value = *point.figures->summary.mean;
                    if (point.figures->summary.meanCi95) {
                        value.lower = point.figures->summary.meanCi95->lower;
                        value.upper = point.figures->summary.meanCi95->upper;
                    }
                } else {
                    value.note = holeNote(t, point.state);
                }
                panel.values.push_back(value);
            }
            chart.panels.push_back(std::move(panel));

            json breakdowns = json::array(), groupLinks = json::array();
            for (const auto& breakdown : scale.breakdowns) {
                if (isAsked) breakdowns.push_back(breakdownView(breakdown, scale, instrument, trends, years, language, t));
                groupLinks.push_back({{"label", breakdown.label.in(language)},
                                      {"href", scaleHref(key) + "#" + fragmentId("by-" + instrument.instrumentId + "-" + scale.scaleId + "-" + breakdown.questionId)}});
            }
            scales.push_back({{"title", scaleTitle},
                              {"instrumentTitle", instrument.title.in(language)},
                              {"anchor", fragmentId("scale-" + instrument.instrumentId + "-" + scale.scaleId)},
                              {"chart", charts::trendChart(chart)},
                              {"rows", yearRows(scale.district, scale.links, trends, instrument, years, language, t)},
                              {"breakNotes", breakNotes},
                              {"groupLinks", groupLinks},
                              {"hasGroupLinks", !groupLinks.empty()},
                              {"breakdowns", breakdowns}});
            if (isAsked) view["scaleDetail"] = scales.back();
        }
        if (!scales.empty())
            instruments.push_back({{"title", instrument.title.in(language)}, {"anchor", fragmentId("instrument-" + instrument.instrumentId)}, {"scales", scales}});
    }
    if (!asked.empty()) {
        if (!isAskedFound)
            throw HttpError(404, "“" + asked + "” is not a scale of this district's surveys: a scale is named instrument.scale, as this page links it.");
        addLeaderFrame(view, site, district.slug, base, "scale=" + asked, language);
        view["overviewHref"] = base + "?lang=" + language;
        view["verdictsTested"] = fillMessage(text(t, "compareVerdictsTested"), {{"count", std::to_string(trends.testCount)}});
        view["title"] = fillMessage(text(t, "compareScaleTitle"), {{"scale", view["scaleDetail"]["title"].get<std::string>()}, {"district", district.name}});
        return Response::html(renderPage("compare", view));
    }
    view["instruments"] = instruments;
    view["hasTrends"] = !instruments.empty();
    view["isOverview"] = true;
    addLeaderFrame(view, site, district.slug, base, "", language);
    // The other comparisons render their own sections: goal status and the live response rate of a survey still open (for following up while answers can still come).
    view["goalsSection"] = goalStatusSection(site, district, years, language);
    view["peersHref"] = base + "/peers?lang=" + language;  // the standing among peers has its own page
    std::string participation;
    for (const auto& year : years)
        if (year.survey->isOpenOn(site.today())) participation += participationSection(site, *year.survey, language);
    view["participationSection"] = participation;
    return Response::html(renderPage("compare", view));
}

Response trendsApi(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto years = districtYears(site, district.slug);
    const auto data = analytics::trendsToJson(districtTrends(years), years, languageOf(request));
    return {200, "application/json; charset=utf-8", data.dump(2), {}};
}

Response trendsCsv(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto years = districtYears(site, district.slug);
    Response response{200, "text/csv; charset=utf-8", analytics::trendsToCsv(districtTrends(years), years), {}};
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + district.slug + "-trends.csv\"");
    return response;
}

}  // namespace mindset::web::handlers
