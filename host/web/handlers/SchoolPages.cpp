#include "web/handlers/SchoolPages.h"

#include <algorithm>

#include "analytics/NumberText.h"
#include "analytics/ProfileJson.h"
#include "analytics/Trends.h"
#include "web/DistrictData.h"
#include "web/LeaderFrame.h"
#include "web/Templates.h"

namespace mindset::web::handlers {

using nlohmann::json;

namespace {

std::string schoolPath(const std::string& surveyId, const std::string& schoolId) {
    return "/leader/surveys/" + surveyId + "/schools/" + schoolId;
}

/// "2024-2025" as "2024–25", as the other results pages write a school year.
std::string shortYear(const std::string& schoolYear) {
    if (schoolYear.size() == 9 && schoolYear[4] == '-') return schoolYear.substr(0, 4) + "\u2013" + schoolYear.substr(7, 2);
    return schoolYear;
}

/// A group's figures from the release's JSON as a reader reads them: the average with its 95% range,
/// the share favorable, and how many people it counts.
json figuresView(const json& cell, const std::string& language) {
    json view{{"mean", analytics::decimalText(cell["mean"].get<double>(), 2, language)},
              {"n", analytics::countText(cell["n"].get<std::int64_t>(), language)}};
    if (cell["ci95"].is_array())
        view["ci"] = analytics::intervalText(cell["ci95"][0].get<double>(), cell["ci95"][1].get<double>(), 2, language);
    if (cell["favorable"]["share"].is_number()) view["favorable"] = analytics::percentText(cell["favorable"]["share"].get<double>(), language);
    return view;
}

/// The school's difference from the rest of the district, in words first: "clearly above",
/// "clearly below" (beyond noise, as every results page decides) or "no clear difference".
json differenceView(const json& cell, const json& t, const std::string& language) {
    if (!cell.contains("gap")) return {{"gapText", cell.value("gapHiddenExplanation", "")}};
    const auto& gap = cell["gap"];
    const double difference = gap["difference"].get<double>();
    const bool isClear = gap.value("isBeyondNoise", false);
    const char* words = !isClear ? "summaryHeatNotClear" : difference > 0 ? "summaryHeatClearAbove" : "summaryHeatClearBelow";
    return {{"difference", analytics::signedDecimalText(difference, 2, language)}, {"verdict", t[words]}, {"isClear", isClear}};
}

/// The school's row of the release's breakdown by school, one row per scale of the survey, grouped
/// by instrument. Everything is read from the release's own JSON (what a district leader downloads),
/// so the page can show nothing the release does not.
json scaleTables(const json& data, const SchoolReport& report, const json& t, const std::string& language) {
    const auto& breakdown = data["breakdowns"][report.schoolQuestion];
    const auto& schoolId = report.school->id;
    json instruments = json::array();
    for (std::size_t g = 0; g < data["scales"].size(); ++g) {
        const auto& scale = data["scales"][g];
        if (instruments.empty() || instruments.back()["key"] != scale["instrument"])
            instruments.push_back({{"key", scale["instrument"]}, {"title", scale["instrumentTitle"]}, {"reading", scale["reading"]}, {"rows", json::array()}});
        json row{{"title", scale["title"]}};
        if (scale.contains("failed") || scale.contains("hidden")) {
            row["missing"] = scale.contains("failed") ? scale["failedExplanation"] : scale["hiddenExplanation"];
            instruments.back()["rows"].push_back(row);
            continue;
        }
        row["district"] = figuresView(scale, language);
        const json* cell = nullptr;
        for (const auto& c : breakdown["scales"][g]["cells"])
            if (c["category"] == schoolId) cell = &c;
        if (!cell || cell->value("empty", false)) {
            row["schoolMissing"] = t["schoolNobody"];
        } else if (cell->contains("hidden")) {
            row["schoolMissing"] = (*cell)["hiddenExplanation"];
            row["isHidden"] = true;
        } else {
            row["school"] = figuresView(*cell, language);
            row["gap"] = differenceView(*cell, t, language);
        }
        instruments.back()["rows"].push_back(row);
    }
    return instruments;
}

/// One school year of the school's line on a scale, as the trends of the district publish it.
json yearCell(const analytics::TrendPoint& point, const std::optional<analytics::YearChange>* change, const json& t, int minimum,
              const std::string& language) {
    json cell = json::object();
    switch (point.state) {
        case analytics::PointState::Shown: {
            const auto& figures = *point.figures;
            cell["mean"] = analytics::decimalText(*figures.summary.mean, 2, language);
            if (figures.favorable.share) cell["favorable"] = analytics::percentText(*figures.favorable.share, language);
            cell["n"] = analytics::countText(figures.summary.n, language);
            break;
        }
        case analytics::PointState::Hidden: cell["missing"] = analytics::hiddenExplanation(point.hidden, minimum, language); break;
        case analytics::PointState::NoRespondents: cell["missing"] = t["schoolNobody"]; break;
        case analytics::PointState::NotMeasured: cell["missing"] = t["schoolNotMeasured"]; break;
    }
    if (change && *change) {
        const auto& comparison = (*change)->comparison;
        const bool isClear = (*change)->isRealChange();
        const auto difference = comparison.difference.value_or(0);
        cell["change"] = analytics::signedDecimalText(difference, 2, language);
        cell["changeVerdict"] = t[!isClear ? "summaryNoClearChange" : difference > 0 ? "summaryClearlyUp" : "summaryClearlyDown"];
        cell["isClear"] = isClear;
    }
    return cell;
}

/// The school across the district's school years: per instrument, a row per scale and a cell per
/// year, from the district's trends (each year's latest release; a hidden year stays hidden).
json yearTables(const Site& site, const SchoolReport& report, const json& t, const std::string& language) {
    const auto years = districtYears(site, report.survey->districtId);
    const auto trends = analytics::buildTrends(years);
    if (trends.schoolYears.size() < 2) return json();
    const auto& questionId = report.survey->demographics[report.schoolQuestion].id;
    json columns = json::array();
    for (const auto& year : trends.schoolYears) columns.push_back(shortYear(year));
    json instruments = json::array();
    for (const auto& instrument : trends.instruments) {
        json rows = json::array();
        for (const auto& scale : instrument.scales) {
            const analytics::GroupTrend* group = nullptr;
            for (const auto& breakdown : scale.breakdowns)
                if (breakdown.questionId == questionId)
                    for (const auto& g : breakdown.groups)
                        if (g.categoryId == report.school->id) group = &g;
            json cells = json::array();
            for (std::size_t k = 0; k < trends.schoolYears.size(); ++k) {
                const auto* change = k > 0 && group ? &group->series.changes[k - 1] : nullptr;
                int minimum = report.survey->reportingThreshold();  // that year's, for the words of a hidden point
                for (const auto& year : years)
                    if (year.survey->schoolYear == trends.schoolYears[k]) minimum = year.profile->minGroupSize;
                cells.push_back(group ? yearCell(group->series.points[k], change, t, minimum, language)
                                      : json{{"missing", t["schoolNotMeasured"]}});
            }
            rows.push_back({{"title", scale.title.in(language)}, {"cells", cells}});
        }
        instruments.push_back({{"title", instrument.title.in(language)},
                               {"columns", columns},
                               {"caption", fillMessage(t["schoolYearsCaption"], {{"school", report.school->name.in(language)},
                                                                                 {"instrument", instrument.title.in(language)}})},
                               {"rows", rows}});
    }
    return instruments;
}

/// The frame of a school leader's pages: the logo to /leader, the language switch, and a navigation
/// between the school's reports, one per school year (the district's pages are not theirs to open).
void addSchoolFrame(json& view, const Site& site, const SchoolReport& report, const std::string& currentPath, const std::string& query,
                    const std::string& language) {
    const auto& t = messages(language);
    const auto schoolName = report.school->name.in(language);
    auto reports = schoolReports(site, report.survey->districtId, report.school->id);
    std::stable_sort(reports.begin(), reports.end(), [](const SchoolReport& a, const SchoolReport& b) { return a.survey->schoolYear < b.survey->schoolYear; });
    json profiles = json::array();
    std::string current;
    for (const auto& other : reports) {
        const auto path = schoolPath(other.survey->id, other.school->id);
        const auto year = shortYear(other.survey->schoolYear);
        profiles.push_back({{"year", year}, {"href", path + "?lang=" + language}, {"isCurrent", path == currentPath}});
        if (path == currentPath) current = t["schoolNavReport"].get<std::string>() + " " + year;
    }
    view["homeHref"] = leaderHomeHref(language);
    view["resultsNav"] = {{"label", fillMessage(t["schoolNavLabel"], {{"school", schoolName}})},
                          {"menu", t["navMenu"]},
                          {"current", current},
                          {"links", json::array()}};
    json reportsLink = {{"label", t["schoolNavReport"]}, {"profiles", profiles}, {"isGroup", true}};
    view["resultsNav"]["links"].push_back(std::move(reportsLink));
    view["languageLinks"] = languageLinks(language, query.empty() ? currentPath : currentPath + "?" + query);
}

}  // namespace

Response schoolPage(const Site& site, const Request& request, const store::Account& account) {
    const auto report = schoolReportFor(site, request, account);
    const auto& survey = *report.survey;
    const auto language = interfaceLanguage(request.queryValue("lang"));
    const auto& t = messages(language);
    const auto releases = releaseOf(site, survey, requestedRelease(request));
    const auto schoolName = report.school->name.in(language);
    const auto path = schoolPath(survey.id, report.school->id);
    const auto surveyLanguage = survey.offersLanguage(language) ? language : survey.languages.front();

    json view{{"lang", language},
              {"title", fillMessage(t["schoolPageTitle"], {{"school", schoolName}, {"year", shortYear(survey.schoolYear)}})},
              {"schoolName", schoolName},
              {"districtName", survey.districtName},
              {"surveyTitle", survey.title.in(surveyLanguage)},
              {"schoolYear", survey.schoolYear},
              {"intro", fillMessage(t["schoolIntro"], {{"school", schoolName}})},
              {"hiddenRule", fillMessage(t["schoolHiddenRule"], {{"min", std::to_string(survey.reportingThreshold())}})},
              {"noBreakdowns", fillMessage(t["schoolNoBreakdowns"], {{"school", schoolName}})},
              {"resultsTitle", fillMessage(t["schoolResultsTitle"], {{"school", schoolName}})},
              {"yearsTitle", fillMessage(t["schoolYearsTitle"], {{"school", schoolName}})}};
    view["isSchoolAccount"] = account.isSchoolScoped();
    const auto shownRelease = request.queryValue("release");
    const auto query = shownRelease.empty() ? std::string() : "release=" + std::to_string(requestedRelease(request));
    if (account.isSchoolScoped()) addSchoolFrame(view, site, report, path, query, language);
    else addLeaderFrame(view, site, survey.districtId, path, query, language);

    json list = json::array();
    for (auto it = releases.all.rbegin(); it != releases.all.rend(); ++it)
        list.push_back({{"label", releaseLabel(*it, survey, language)},
                        {"href", path + "?lang=" + language + "&release=" + std::to_string(it->number)},
                        {"isShown", releases.selected && releases.selected->record.number == it->number}});
    view["releases"] = list;
    view["hasOtherReleases"] = list.size() > 1;
    if (!releases.selected) {
        view["noRelease"] = noReleaseText(survey, language);
        return Response::html(renderPage("school", view));
    }
    const auto& record = releases.selected->record;
    view["release"] = releaseLabel(record, survey, language);
    if (record.kind == store::ReleaseKind::Interim)
        view["preliminary"] = fillMessage(t["summaryPreliminaryInterim"], {{"year", shortYear(survey.schoolYear)}});
    if (!releases.isLatest) view["latestHref"] = path + "?lang=" + language;
    if (!releases.selected->isMatchingPublished) view["mismatch"] = releaseMismatchText(*releases.selected, language);

    const auto data = analytics::profileToJson(releases.selected->profile, survey, language);
    auto instruments = scaleTables(data, report, t, language);
    for (auto& instrument : instruments)
        instrument["caption"] = fillMessage(t["schoolTableCaption"], {{"school", schoolName}, {"instrument", instrument["title"].get<std::string>()},
                                                                      {"year", shortYear(survey.schoolYear)}});
    view["instruments"] = instruments;
    view["yearInstruments"] = yearTables(site, report, t, language);
    view["hasYears"] = !view["yearInstruments"].is_null();
    view["hasRelease"] = true;
    return Response::html(renderPage("school", view));
}

json schoolHomeView(const Site& site, const store::Account& account, const std::string& language) {
    const auto& t = messages(language);
    auto reports = schoolReports(site, account.districtSlug.value_or(""), account.schoolSlug.value_or(""));
    // The latest school year first: the report a principal most likely came for.
    std::stable_sort(reports.begin(), reports.end(), [](const SchoolReport& a, const SchoolReport& b) { return a.survey->schoolYear > b.survey->schoolYear; });
    json links = json::array();
    std::string schoolName = account.schoolSlug.value_or(""), districtName = account.districtSlug.value_or("");
    if (!reports.empty()) {
        schoolName = reports.front().school->name.in(language);  // as the latest survey names it
        districtName = reports.front().survey->districtName;
    }
    for (auto it = reports.begin(); it != reports.end(); ++it) {
        const auto& survey = *it->survey;
        const auto surveyLanguage = survey.offersLanguage(language) ? language : survey.languages.front();
        links.push_back({{"href", schoolPath(survey.id, it->school->id) + "?lang=" + language},
                         {"text", fillMessage(t["schoolReportLink"], {{"school", schoolName}, {"year", shortYear(survey.schoolYear)}})},
                         {"survey", survey.title.in(surveyLanguage)}});
    }
    return {{"name", schoolName},
            {"intro", fillMessage(t["schoolHomeIntro"], {{"school", schoolName}, {"district", districtName}})},
            {"reports", links},
            {"hasReports", !links.empty()}};
}

}  // namespace mindset::web::handlers
