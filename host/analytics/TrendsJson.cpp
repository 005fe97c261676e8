#include "analytics/TrendsJson.h"

#include "analytics/Csv.h"
#include "analytics/ProfileJson.h"

namespace mindset::analytics {

using nlohmann::json;

namespace {

json interval(const std::optional<Interval>& i) { return i ? json::array({i->lower, i->upper}) : json(nullptr); }
json number(const std::optional<double>& x) { return x ? json(*x) : json(nullptr); }

/// The minimum group size of the survey a school year's figures of `instrument` come from.
int minimumOf(const InstrumentTrend& instrument, std::size_t year, const DistrictYears& years) {
    return instrument.years[year] ? years[instrument.years[year]->surveyIndex].profile->minGroupSize : 0;
}

json pointJson(const TrendPoint& point, const std::string& schoolYear, int minimum, const std::string& language) {
    json out{{"schoolYear", schoolYear}, {"state", pointStateCode(point.state)}};
    if (point.state == PointState::Shown) out.update(figuresToJson(*point.figures));
    if (point.state == PointState::Hidden) {
        out["hidden"] = hiddenCode(point.hidden);
        out["hiddenExplanation"] = hiddenExplanation(point.hidden, minimum, language);
    }
    return out;
}

json changeJson(const std::optional<YearChange>& change, const YearLink& link, const TrendPoint& earlier, const TrendPoint& later,
                const std::string& from, const std::string& to) {
    json out{{"from", from}, {"to", to}};
    if (!change) {
        out["unavailable"] = unavailableCode(link, earlier.state, later.state);
        return out;
    }
    const auto& c = change->comparison;
    out["difference"] = number(c.difference);
    if (c.welch)
        out["welch"] = {{"se", c.welch->standardError}, {"df", c.welch->degreesOfFreedom}, {"t", c.welch->t}, {"p", c.welch->pValue},
                        {"ci95", interval(c.welch->differenceCi95)}};
    if (c.hedgesG) out["hedgesG"] = {{"g", c.hedgesG->g}, {"se", c.hedgesG->standardError}, {"ci95", interval(c.hedgesG->ci95)}};
    out["q"] = number(change->qValue);
    out["isRealChange"] = change->isRealChange();
    return out;
}

json gapPointJson(const GapPoint& point, const std::string& schoolYear, int minimum, const std::string& language) {
    json out{{"schoolYear", schoolYear}, {"state", pointStateCode(point.state)}};
    if (point.state == PointState::Shown) {
        out.update(gapToJson(*point.gap, point.qValue));
        if (point.gap->welch) out["welch"]["se"] = point.gap->welch->standardError;
    }
    if (point.state == PointState::Hidden) {
        out["hidden"] = hiddenCode(point.hidden);
        out["hiddenExplanation"] = hiddenExplanation(point.hidden, minimum, language);
    }
    return out;
}

json gapChangeJson(const std::optional<GapChange>& change, const YearLink& link, const GapPoint& earlier, const GapPoint& later,
                   const std::string& from, const std::string& to) {
    json out{{"from", from}, {"to", to}};
    if (!change) {
        out["unavailable"] = unavailableCode(link, earlier.state, later.state);
        return out;
    }
    out["change"] = change->change;
    out["se"] = number(change->standardError);
    out["z"] = number(change->z);
    out["p"] = number(change->pValue);
    out["ci95"] = interval(change->ci95);
    out["q"] = number(change->qValue);
    out["direction"] = gapDirectionCode(change->direction);
    return out;
}

json seriesJson(const TrendSeries& series, const std::vector<YearLink>& links, const InstrumentTrend& instrument, const Trends& trends,
                const DistrictYears& years, const std::string& language) {
    json points = json::array(), changes = json::array();
    for (std::size_t k = 0; k < series.points.size(); ++k)
        points.push_back(pointJson(series.points[k], trends.schoolYears[k], minimumOf(instrument, k, years), language));
    for (std::size_t k = 0; k < links.size(); ++k)
        changes.push_back(changeJson(series.changes[k], links[k], series.points[k], series.points[k + 1], trends.schoolYears[k],
                                     trends.schoolYears[k + 1]));
    return {{"points", points}, {"changes", changes}};
}

}  // namespace

std::string_view pointStateCode(PointState state) {
    switch (state) {
        case PointState::Shown: return "shown";
        case PointState::Hidden: return "hidden";
        case PointState::NoRespondents: return "no-respondents";
        case PointState::NotMeasured: return "not-measured";
    }
    return "";
}

std::string_view linkStateCode(LinkState state) {
    switch (state) {
        case LinkState::Connected: return "connected";
        case LinkState::NotComparable: return "versions-not-comparable";
        case LinkState::NotMeasured: return "not-measured";
    }
    return "";
}

std::string_view gapDirectionCode(GapDirection direction) {
    switch (direction) {
        case GapDirection::WithinNoise: return "within-noise";
        case GapDirection::Closing: return "closing";
        case GapDirection::Widening: return "widening";
        case GapDirection::Reversed: return "reversed";
    }
    return "";
}

std::string_view unavailableCode(const YearLink& link, PointState earlier, PointState later) {
    if (link.state != LinkState::Connected) return linkStateCode(link.state);
    if (earlier != PointState::Shown) return pointStateCode(earlier);
    return pointStateCode(later);
}

std::string linkExplanation(const YearLink& link, const std::string& language) {
    const bool es = language == "es";
    switch (link.state) {
        case LinkState::Connected: return "";
        case LinkState::NotComparable:
            return es ? "Sin comparación: " + link.earlierKey + " y " + link.laterKey + " no miden esta escala de forma comparable."
                      : "Not compared: " + link.earlierKey + " and " + link.laterKey + " do not measure this scale comparably.";
        case LinkState::NotMeasured:
            return es ? "Sin comparación: uno de los dos años no midió esta escala." : "Not compared: one of the two years did not measure this scale.";
    }
    return "";
}

json trendsToJson(const Trends& trends, const DistrictYears& years, const std::string& language) {
    json out;
    out["district"] = years.empty() ? json(nullptr) : json{{"id", years.back().survey->districtId}, {"name", years.back().survey->districtName}};
    out["schoolYears"] = trends.schoolYears;
    json surveys = json::array();
    for (const auto& year : years)
        surveys.push_back({{"id", year.survey->id}, {"schoolYear", year.survey->schoolYear}, {"title", year.survey->title.in(language)},
                           {"release", {{"number", year.release.number}, {"kind", year.release.kind},
                                        {"publishedOn", year.release.publishedOn},
                                        {"responses", year.release.responses >= year.survey->minGroupSize ? json(year.release.responses) : json()}}}});
    out["surveys"] = surveys;
    out["multipleComparisons"] = {{"method", "benjamini-hochberg"}, {"tests", trends.testCount}, {"realChangeBelowQ", YearChange::kRealChangeBelowQ}};

    json instruments = json::array();
    for (const auto& instrument : trends.instruments) {
        json yearsJson = json::array();
        for (std::size_t k = 0; k < instrument.years.size(); ++k) {
            const auto& year = instrument.years[k];
            yearsJson.push_back({{"schoolYear", trends.schoolYears[k]},
                                 {"survey", year ? json(years[year->surveyIndex].survey->id) : json(nullptr)},
                                 {"version", year ? json(year->definition->version) : json(nullptr)}});
        }
        json scales = json::array();
        for (const auto& scale : instrument.scales) {
            json links = json::array();
            for (std::size_t k = 0; k < scale.links.size(); ++k) {
                const auto& link = scale.links[k];
                json l{{"from", trends.schoolYears[k]}, {"to", trends.schoolYears[k + 1]}, {"state", linkStateCode(link.state)},
                       {"earlier", link.earlierKey.empty() ? json(nullptr) : json(link.earlierKey)},
                       {"later", link.laterKey.empty() ? json(nullptr) : json(link.laterKey)}};
                if (link.state != LinkState::Connected) l["explanation"] = linkExplanation(link, language);
                links.push_back(std::move(l));
            }
            json breakdowns = json::array();
            for (const auto& breakdown : scale.breakdowns) {
                json groups = json::array();
                for (const auto& group : breakdown.groups) {
                    auto g = seriesJson(group.series, scale.links, instrument, trends, years, language);
                    json gaps = json::array(), gapChanges = json::array();
                    for (std::size_t k = 0; k < group.gaps.size(); ++k)
                        gaps.push_back(gapPointJson(group.gaps[k], trends.schoolYears[k], minimumOf(instrument, k, years), language));
                    for (std::size_t k = 0; k < scale.links.size(); ++k)
                        gapChanges.push_back(gapChangeJson(group.gapChanges[k], scale.links[k], group.gaps[k], group.gaps[k + 1],
                                                           trends.schoolYears[k], trends.schoolYears[k + 1]));
                    groups.push_back({{"category", group.categoryId}, {"label", group.label.in(language)}, {"points", g["points"]},
                                      {"changes", g["changes"]}, {"gaps", gaps}, {"gapChanges", gapChanges}});
                }
                breakdowns.push_back({{"question", breakdown.questionId}, {"label", breakdown.label.in(language)}, {"groups", groups}});
            }
            scales.push_back({{"scale", scale.scaleId},
                              {"title", scale.title.in(language)},
                              {"links", links},
                              {"district", seriesJson(scale.district, scale.links, instrument, trends, years, language)},
                              {"breakdowns", breakdowns}});
        }
        instruments.push_back({{"instrument", instrument.instrumentId}, {"title", instrument.title.in(language)}, {"years", yearsJson},
                               {"scales", scales}});
    }
    out["instruments"] = instruments;
    return out;
}

std::string trendsToCsv(const Trends& trends, const DistrictYears& years) {
    std::string csv =
        "instrument,scale,question,group,school_year,survey,version,state,hidden,n,mean,sd,ci95_lower,ci95_upper,favorable_share,"
        "favorable_ci95_lower,favorable_ci95_upper,change,change_ci95_lower,change_ci95_upper,change_p,change_q,hedges_g,"
        "hedges_g_ci95_lower,hedges_g_ci95_upper,change_unavailable,gap,gap_ci95_lower,gap_ci95_upper,gap_q_within_year,gap_hidden,"
        "gap_change,gap_change_ci95_lower,gap_change_ci95_upper,gap_change_p,gap_change_q,gap_direction,gap_change_unavailable\n";
    auto optional = [](const std::optional<double>& x) { return x ? shortestNumber(*x) : std::string(); };
    auto pair = [](const std::optional<Interval>& i) { return i ? shortestNumber(i->lower) + "," + shortestNumber(i->upper) : std::string(","); };

    for (const auto& instrument : trends.instruments)
        for (const auto& scale : instrument.scales) {
            auto writeRows = [&](const std::string& questionId, const std::string& categoryId, const TrendSeries& series,
                                 const GroupTrend* group) {
                for (std::size_t k = 0; k < series.points.size(); ++k) {
                    const auto& point = series.points[k];
                    const auto& year = instrument.years[k];
                    std::string row;
                    for (const auto& text : {instrument.instrumentId, scale.scaleId, questionId, categoryId, trends.schoolYears[k]}) {
                        appendCsvField(row, text);
                        row += ',';
                    }
                    if (year) {
                        appendCsvField(row, years[year->surveyIndex].survey->id);
                        row += ',';
                        appendCsvField(row, year->definition->version);
                    } else {
                        row += ',';
                    }
                    row += ',' + std::string(pointStateCode(point.state)) + ',';
                    if (point.state == PointState::Hidden) row += hiddenCode(point.hidden);
                    row += ',';
                    if (point.state == PointState::Shown) {
                        const auto& f = *point.figures;
                        row += std::to_string(f.summary.n) + ',' + optional(f.summary.mean) + ',' + optional(f.summary.sd) + ',' +
                               pair(f.summary.meanCi95) + ',' + optional(f.favorable.share) + ',' + pair(f.favorable.wilson95);
                    } else {
                        row += ",,,,,,,";
                    }
                    // The change from the previous school year to this one.
                    row += ',';
                    if (k > 0 && series.changes[k - 1]) {
                        const auto& c = series.changes[k - 1]->comparison;
                        row += optional(c.difference) + ',' + (c.welch ? pair(c.welch->differenceCi95) : ",") + ',' +
                               (c.welch ? shortestNumber(c.welch->pValue) : "") + ',' + optional(series.changes[k - 1]->qValue) + ',' +
                               (c.hedgesG ? shortestNumber(c.hedgesG->g) + ',' + pair(c.hedgesG->ci95) : ",,") + ',';
                    } else {
                        row += ",,,,,,,,";
                        if (k > 0) row += unavailableCode(scale.links[k - 1], series.points[k - 1].state, point.state);
                    }
                    row += ',';
                    if (!group) {
                        row += ",,,,,,,,,,,";  // the gap columns
                    } else {
                        const auto& gap = group->gaps[k];
                        if (gap.state == PointState::Shown) {
                            row += optional(gap.gap->difference) + ',' + (gap.gap->welch ? pair(gap.gap->welch->differenceCi95) : ",") + ',' +
                                   optional(gap.qValue) + ',';
                        } else {
                            row += ",,,,";
                            if (gap.state == PointState::Hidden) row += hiddenCode(gap.hidden);
                        }
                        row += ',';
                        if (k > 0 && group->gapChanges[k - 1]) {
                            const auto& c = *group->gapChanges[k - 1];
                            row += shortestNumber(c.change) + ',' + pair(c.ci95) + ',' + optional(c.pValue) + ',' + optional(c.qValue) + ',' +
                                   std::string(gapDirectionCode(c.direction)) + ',';
                        } else {
                            row += ",,,,,,";
                            if (k > 0) row += unavailableCode(scale.links[k - 1], group->gaps[k - 1].state, gap.state);
                        }
                    }
                    csv += row + '\n';
                }
            };
            writeRows("", "", scale.district, nullptr);
            for (const auto& breakdown : scale.breakdowns)
                for (const auto& group : breakdown.groups) writeRows(breakdown.questionId, group.categoryId, group.series, &group);
        }
    return csv;
}

}  // namespace mindset::analytics
