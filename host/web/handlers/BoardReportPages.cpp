#include "web/handlers/BoardReportPages.h"

#include "analytics/NumberText.h"
#include "analytics/ResponseFormat.h"
#include "report/PdfRenderer.h"
#include "web/Templates.h"
#include "web/handlers/ParticipationPages.h"
#include "web/handlers/SummaryPages.h"

namespace mindset::web::handlers {

using nlohmann::json;
using analytics::PointState;
using report::Cell;
using report::Tone;

namespace {

std::string text(const json& t, const char* key) { return t[key].get<std::string>(); }

/// A string of a view, or empty when the view has none.
std::string field(const json& view, const char* key) { return view.contains(key) && view[key].is_string() ? view[key].get<std::string>() : std::string(); }

/// "2024-2025" as "2024–25", as the summary writes school years.
std::string shortYear(const std::string& schoolYear) {
    if (schoolYear.size() == 9 && schoolYear[4] == '-') return schoolYear.substr(0, 4) + "\u2013" + schoolYear.substr(7, 2);
    return schoolYear;
}

/// The heatmap cell kinds of the summary page (its `heat-*` classes) as the report's tones.
Tone toneOfHeat(const std::string& kind) {
    if (kind == "clear-above") return Tone::ClearAbove;
    if (kind == "above") return Tone::Above;
    if (kind == "even") return Tone::Even;
    if (kind == "below") return Tone::Below;
    if (kind == "clear-below") return Tone::ClearBelow;
    if (kind == "hidden") return Tone::Hidden;
    return Tone::Muted;
}

/// A goal's status code (analytics::goalStatusCode) as a tone, as the goals page colours it.
Tone toneOfGoal(const std::string& code) {
    if (code == "met") return Tone::Good;
    if (code == "on-track") return Tone::Fair;
    if (code == "off-track") return Tone::Poor;
    return Tone::Muted;
}

report::Paragraph body(std::string words, std::string lead = {}) { return {std::move(words), report::Paragraph::Style::Body, std::move(lead)}; }
report::Paragraph meta(std::string words) { return {std::move(words), report::Paragraph::Style::Meta, {}}; }
/// Running text that introduces the table after it, so never the last thing on a page.
report::Paragraph introduction(std::string words) { return {std::move(words), report::Paragraph::Style::Body, {}, true}; }

/// The summary's first table: each scale's latest figure, change with its verdict, place among peers.
report::Table scalesTable(const json& view, const json& t) {
    report::Table table;
    table.columnWeights = {2.8, 2.3, 2.6, 2.5};
    table.header = {{text(t, "scaleColumn")}, {field(view, "valueColumn")}, {field(view, "changeColumn")}, {text(t, "summaryPeersColumn")}};
    for (const auto& instrument : view["instruments"]) {
        table.rows.push_back({{{instrument["title"].get<std::string>()}}, true});
        for (const auto& row : instrument["rows"]) {
            Cell value;
            if (row.contains("missing")) {
                value = {row["missing"].get<std::string>(), Tone::Muted};
            } else {
                // As on the page: the average in bold, then % favorable.
                const auto mean = row["mean"].get<std::string>();
                value.text = mean + (row.contains("favorable") ? " \u00b7 " + row["favorable"].get<std::string>() + " " + text(t, "summaryFavorableWord") : "");
                value.boldEnd = mean.size();
            }
            // The verdict in bold when the change is clear, as on the page.
            Cell change{row.contains("change") ? row["change"].get<std::string>() + " \u00b7 " : ""};
            change.boldBegin = change.text.size();
            change.text += row["verdict"].get<std::string>();
            if (row.value("isClear", false)) change.boldEnd = change.text.size();
            table.rows.push_back({{{row["title"].get<std::string>()}, value, change, {row["peers"].get<std::string>()}}});
        }
    }
    return table;
}

/// The largest gaps as the summary writes them, with their gap year by year.
report::Bullets gapList(const json& view, const json& t) {
    report::Bullets list;
    for (const auto& gap : view["gaps"]) {
        std::string words = gap["sentence"].get<std::string>() + ".";
        if (gap.contains("trend")) words += " " + gap["trend"].get<std::string>() + ".";
        if (gap.contains("earlier")) words += " " + gap["earlier"].get<std::string>();
        words += "\n" + text(t, "summaryGapByYear") + " " + gap["series"].get<std::string>();
        list.items.push_back(body(words));
    }
    return list;
}

/// The heatmap's legend: one swatch of each colour with what it means, as on the page.
report::Table heatLegend(const json& view, const json& t) {
    const auto& legend = view["legend"];
    report::Table table;
    table.columnWeights = {1, 1, 1, 1, 1};
    table.rows.push_back({{{"\u25B2 " + legend["clearAbove"].get<std::string>() + " " + text(t, "summaryLegendClearAbove"), Tone::ClearAbove},
                           {legend["above"].get<std::string>() + " " + text(t, "summaryLegendNotClear"), Tone::Above},
                           {legend["below"].get<std::string>() + " " + text(t, "summaryLegendNotClear"), Tone::Below},
                           {"\u25BC " + legend["clearBelow"].get<std::string>() + " " + text(t, "summaryLegendClearBelow"), Tone::ClearBelow},
                           {text(t, "hiddenWord") + ": " + text(t, "reportLegendHidden"), Tone::Hidden}}});
    table.isSmall = true;
    return table;
}

/// The summary's heatmap: every group against the rest of the district on every scale; hidden
/// cells say "hidden", as on the page.
report::Table heatTable(const json& heatmap, const json& t) {
    report::Table table;
    table.columnWeights = {2.3};
    table.header = {{text(t, "groupColumn")}};
    for (const auto& column : heatmap["columns"]) {
        table.columnWeights.push_back(1);
        table.header.push_back({column["title"].get<std::string>()});
    }
    table.isCentered = true;
    table.isSmall = true;
    table.isHeaderTurned = true;
    for (const auto& group : heatmap["groups"]) {
        table.rows.push_back({{{group["label"].get<std::string>()}}, true});
        for (const auto& row : group["rows"]) {
            std::vector<Cell> cells{{row["label"].get<std::string>()}};
            for (const auto& cell : row["cells"]) {
                const auto kind = cell["kind"].get<std::string>();
                cells.push_back({(cell.contains("symbol") ? cell["symbol"].get<std::string>() + " " : "") + cell["text"].get<std::string>(), toneOfHeat(kind)});
            }
            table.rows.push_back({std::move(cells)});
        }
    }
    return table;
}

/// Each scale's district figure in every school year, and its clear changes, from the trends the
/// years-compared page shows (the same points and the same verdicts: q below 0.05 over one family).
report::Table trendsTable(const DistrictSummary& summary, const std::string& language, const json& t) {
    const auto& trends = summary.trends;
    const auto years = trends.schoolYears.size();
    report::Table table;
    table.columnWeights = {3.0};
    table.header = {{text(t, "scaleColumn")}};
    for (const auto& year : trends.schoolYears) {
        table.columnWeights.push_back(1.45);
        table.header.push_back({shortYear(year)});
    }
    table.columnWeights.push_back(3.2);
    table.header.push_back({text(t, "reportClearChangesColumn")});
    for (const auto& instrument : trends.instruments) {
        table.rows.push_back({{{instrument.title.in(language)}}, true});
        for (const auto& scale : instrument.scales) {
            std::vector<Cell> cells{{scale.title.in(language)}};
            for (std::size_t k = 0; k < years; ++k) {
                const auto& point = scale.district.points[k];
                if (point.state == PointState::Shown) {
                    std::string figure = analytics::decimalText(*point.figures->summary.mean, 2, language);
                    if (point.figures->favorable.share) figure += " \u00b7 " + analytics::percentText(*point.figures->favorable.share, language);
                    cells.push_back({figure});
                } else if (point.state == PointState::Hidden) {
                    cells.push_back({text(t, "hiddenWord"), Tone::Hidden});
                } else {
                    cells.push_back({text(t, "notAvailable"), Tone::Muted});
                }
            }
            std::string changes;
            for (std::size_t k = 0; k + 1 < years; ++k) {
                const auto& change = scale.district.changes[k];
                std::string verdict;
                if (change && change->isRealChange())
                    verdict = text(t, *change->comparison.difference > 0 ? "summaryClearlyUp" : "summaryClearlyDown") + " (" +
                              analytics::signedDecimalText(*change->comparison.difference, 2, language) + ")";
                else if (scale.links[k].state == analytics::LinkState::NotComparable)
                    verdict = text(t, "reportNotComparableStep");
                else continue;
                changes += (changes.empty() ? "" : "\n") + shortYear(trends.schoolYears[k]) + " \u2192 " + shortYear(trends.schoolYears[k + 1]) + ": " + verdict;
            }
            cells.push_back({changes.empty() ? text(t, "reportNoClearChange") : changes, changes.empty() ? Tone::Muted : Tone::Plain});
            table.rows.push_back({std::move(cells)});
        }
    }
    return table;
}

/// The district's goals with their latest status, as the summary lists them.
report::Table goalsTable(const json& goals, const json& t) {
    report::Table table;
    table.columnWeights = {1.4, 5.0, 3.2};
    table.header = {{text(t, "goalStatusColumn")}, {text(t, "reportGoalColumn")}, {text(t, "reportGoalTargetColumn")}};
    for (const auto& goal : goals) {
        std::string target = goal["targetText"].get<std::string>();
        if (!goal["schoolYear"].get<std::string>().empty()) target += " \u00b7 " + text(t, "schoolYear") + " " + goal["schoolYear"].get<std::string>();
        table.rows.push_back({{{goal["statusText"].get<std::string>(), toneOfGoal(goal["statusCode"].get<std::string>())},
                               {goal["title"].get<std::string>()},
                               {target}}});
    }
    return table;
}

/// The district's place among peer districts in the latest year, with the figures the peers page
/// shows (districts, middle half, median, ours, the quarter in words), or why it is withheld.
report::Table peersTable(const analytics::PeerYearStanding& standing, const std::string& language, const json& t) {
    report::Table table;
    table.columnWeights = {2.8, 1.25, 1.7, 1.1, 1.1, 3.6};
    table.header = {{text(t, "scaleColumn")},  {text(t, "districtsColumn")},   {text(t, "peerBandColumn")},
                    {text(t, "medianColumn")}, {text(t, "yourDistrictColumn")}, {text(t, "standingColumn")}};
    const auto& survey = *standing.survey;
    auto fixed = [&](double x) { return analytics::decimalText(x, 2, language); };
    for (const auto& scale : standing.scales) {
        const auto& instrument = survey.instruments[scale.ref.instrument].definition();
        Cell title{instrument.scales[scale.ref.scale].title.in(language)};
        if (scale.withheld != analytics::PeerWithheld::Shown) {
            std::string why;
            if (scale.withheld == analytics::PeerWithheld::TooFewDistricts)
                why = fillMessage(text(t, "peersTooFew"), {{"minimum", std::to_string(analytics::kMinPeerDistricts)}, {"needed", std::to_string(scale.districtsNeeded)}});
            else if (scale.withheld == analytics::PeerWithheld::OwnFigureHidden)
                why = fillMessage(text(t, "peersOwnHidden"), {{"minimum", std::to_string(survey.reportingThreshold())}});
            else
                why = fillMessage(text(t, "peersOwnFailed"), {{"instrument", scale.instrumentKey}});
            table.rows.push_back({{title, {"", Tone::Muted}, {"", Tone::Muted}, {"", Tone::Muted}, {"", Tone::Muted}, {why, Tone::Muted}}});
            continue;
        }
        const auto& q = scale.peers->mean;
        const char* quarter = "quarterLowest";
        switch (scale.mean->quarter) {
            case analytics::PeerQuarter::Highest: quarter = "quarterHighest"; break;
            case analytics::PeerQuarter::Third: quarter = "quarterThird"; break;
            case analytics::PeerQuarter::Second: quarter = "quarterSecond"; break;
            case analytics::PeerQuarter::Lowest: break;
        }
        table.rows.push_back({{title,
                               {std::to_string(scale.peers->districts)},
                               {fixed(q.lower) + " \u2013 " + fixed(q.upper)},
                               {fixed(q.median)},
                               {fixed(scale.mean->value), Tone::Plain, true},
                               {text(t, quarter)}}});
    }
    return table;
}

}  // namespace

report::Document boardReportDocument(const Site& site, const District& district, const std::string& language) {
    const auto& t = messages(language);
    const auto summary = districtSummary(site, district, language);
    const auto& view = summary.view;

    report::Document document;
    document.language = language;
    document.title = fillMessage(text(t, "reportTitle"), {{"district", district.name}});
    document.pageOfPages = text(t, "reportPageOf");
    document.footer = document.title;
    auto& blocks = document.blocks;
    blocks.push_back(report::Heading{1, document.title});
    if (view.contains("noRelease")) {
        blocks.push_back(body(view["noRelease"].get<std::string>()));
        return document;
    }
    const auto& latest = summary.years.back();
    const auto year = field(view, "year");
    const auto releaseLine = text(t, "schoolYear") + " " + year + " \u00b7 " + field(view, "release");
    document.footer = district.name + " \u00b7 " + year + " \u00b7 " + field(view, "release");
    blocks.push_back(meta(releaseLine));
    if (view.contains("preliminary"))
        blocks.push_back(report::Paragraph{field(view, "preliminary"), report::Paragraph::Style::Notice, text(t, "summaryPreliminaryWord")});
    const auto participation = participationView(site, *latest.survey, language);
    blocks.push_back(body(field(participation, "summary") + " " + field(participation, "windowText"), text(t, "reportResponseRateLead")));

    blocks.push_back(report::Heading{2, field(view, "scalesTitle")});
    blocks.push_back(scalesTable(view, t));
    std::string readings;
    for (const auto& instrument : view["instruments"]) readings += (readings.empty() ? "" : " ") + instrument["title"].get<std::string>() + ": " + instrument["reading"].get<std::string>();
    blocks.push_back(meta(text(t, "summaryHowAverage") + " " + readings));

    blocks.push_back(report::Heading{2, field(view, "gapsTitle")});
    if (view.value("hasGaps", false)) blocks.push_back(gapList(view, t));
    else blocks.push_back(body(text(t, "summaryNoClearGaps")));

    blocks.push_back(report::Heading{2, field(view, "heatTitle")});
    blocks.push_back(introduction(text(t, "reportHeatIntro")));
    auto legend = heatLegend(view, t);
    legend.keepsWithNext = true;
    blocks.push_back(legend);
    blocks.push_back(heatTable(view["heatmap"], t));
    blocks.push_back(meta(field(view, "hiddenRule")));

    if (summary.trends.schoolYears.size() > 1) {
        blocks.push_back(report::Heading{2, text(t, "reportTrendsTitle")});
        blocks.push_back(introduction(text(t, "reportTrendsIntro")));
        blocks.push_back(trendsTable(summary, language, t));
    }

    blocks.push_back(report::Heading{2, text(t, "goalsTitle")});
    if (view["goalStatuses"].empty()) blocks.push_back(body(text(t, "goalsSummaryNone")));
    else blocks.push_back(goalsTable(view["goalStatuses"], t));

    blocks.push_back(report::Heading{2, fillMessage(text(t, "reportPeersTitle"), {{"year", year}})});
    const analytics::PeerYearStanding* standing = nullptr;
    for (const auto& s : summary.standings)
        if (s.schoolYear == summary.trends.schoolYears.back()) standing = &s;
    blocks.push_back(standing ? introduction(field(view, "peersRule")) : body(field(view, "peersRule")));
    if (standing) blocks.push_back(peersTable(*standing, language, t));

    blocks.push_back(report::Heading{2, text(t, "reportHowTitle")});
    blocks.push_back(report::Bullets{{body(text(t, "summaryHowClear")), body(text(t, "summaryHowGaps")), body(field(view, "hiddenRule")),
                                      body(text(t, "reportPrivacy")), body(text(t, "reportMore"))}});

    blocks.push_back(report::Heading{2, text(t, "summarySourcesTitle")});
    report::Bullets sources;
    for (const auto& release : view["releases"])
        sources.items.push_back(body(release["label"].get<std::string>(), text(t, "schoolYear") + " " + release["year"].get<std::string>() + ":"));
    blocks.push_back(sources);
    blocks.push_back(meta(fillMessage(text(t, "reportMadeOn"), {{"date", formatDate(site.today())}})));
    return document;
}

std::string boardReportFileName(const District& district, const std::string& paperName) {
    return district.slug + "-board-report-" + paperName + ".pdf";
}

Response boardReportPdf(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto language = interfaceLanguage(request.queryValue("lang"));
    const auto paperText = request.queryValue("paper", "letter");
    const auto paper = report::paperNamed(paperText);
    if (!paper) throw HttpError(400, fillMessage(text(messages(language), "reportPaperUnknown"), {{"paper", paperText}}));
    const auto pdf = report::renderPdf(boardReportDocument(site, district, language), *paper);
    Response response{200, "application/pdf", pdf.bytes, {}};
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + boardReportFileName(district, report::paperName(*paper)) + "\"");
    // Signed-in figures: never kept by a browser or a proxy (the boundary's default, said here too).
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

}  // namespace mindset::web::handlers
