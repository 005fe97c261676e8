#include "web/handlers/NetworkPages.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "analytics/NetworkGlance.h"
#include "analytics/NumberText.h"
#include "analytics/Participation.h"
#include "web/DistrictData.h"
#include "web/LeaderFrame.h"
#include "web/Templates.h"

namespace mindset::web::handlers {

using nlohmann::json;
using analytics::GlanceChange;

namespace {

std::string text(const json& t, const char* key) { return t[key].get<std::string>(); }

/// "2024-2025" as "2024–25", as the other results pages write a school year.
std::string shortYear(const std::string& schoolYear) {
    if (schoolYear.size() == 9 && schoolYear[4] == '-') return schoolYear.substr(0, 4) + "\u2013" + schoolYear.substr(7, 2);
    return schoolYear;
}

/// A column of the scales: instrument id and scale id, titled from the first district that has it.
struct ScaleColumn {
    std::string instrumentId;
    std::string scaleId;
    std::string key;  ///< "instrument.scale": the column's sort key
    std::string title;
    std::string instrumentTitle;
};

/// What the page is sorted by: a column key and its order.
struct SortOrder {
    std::string key = "district";
    bool isDescending = false;
};

/// A district's row before formatting: its glance and its release's response rate.
struct Row {
    const analytics::DistrictGlance* glance = nullptr;
    std::optional<double> rate;  ///< response rate of the release, when published (what "rate" sorts by)
    json rateView;               ///< the rate as the cell shows it
};

/// The sort the request asks for; HttpError 400 naming a value it does not know.
SortOrder requestedSort(const Request& request, const std::vector<ScaleColumn>& columns) {
    SortOrder sort;
    const auto key = request.queryValue("sort");
    const auto order = request.queryValue("order");
    if (!key.empty()) {
        const bool isKnown = key == "district" || key == "rate" || key == "gap" ||
                             std::any_of(columns.begin(), columns.end(), [&](const ScaleColumn& c) { return c.key == key; });
        if (!isKnown)
            throw HttpError(400, "“sort” must be district, rate, gap or a scale shown on the page such as " +
                                     (columns.empty() ? std::string("equity-excellence.high-expectations") : columns.front().key) + ", not “" +
                                     key + "”.");
        sort.key = key;
    }
    // Names read A to Z; figures highest first, unless the reader asks otherwise.
    sort.isDescending = sort.key != "district";
    if (order == "asc") sort.isDescending = false;
    else if (order == "desc") sort.isDescending = true;
    else if (!order.empty()) throw HttpError(400, "“order” must be asc or desc, not “" + order + "”.");
    return sort;
}

const analytics::GlanceScale* scaleOf(const analytics::DistrictGlance& glance, const ScaleColumn& column) {
    for (const auto& scale : glance.scales)
        if (scale.instrumentId == column.instrumentId && scale.scaleId == column.scaleId) return &scale;
    return nullptr;
}

/// The figure a row is sorted by under `key`; none sorts last whatever the order.
std::optional<double> sortValue(const Row& row, const std::string& key, const std::vector<ScaleColumn>& columns) {
    if (key == "rate") return row.rate;
    if (key == "gap") {
        const auto& largest = row.glance->largest;
        return largest && largest->isClear ? std::optional<double>(std::abs(largest->difference)) : std::nullopt;
    }
    for (const auto& column : columns)
        if (column.key == key)
            if (const auto* scale = scaleOf(*row.glance, column)) return scale->mean;
    return std::nullopt;
}

void sortRows(std::vector<Row>& rows, const SortOrder& sort, const std::vector<ScaleColumn>& columns) {
    auto byName = [](const Row& a, const Row& b) { return a.glance->districtName < b.glance->districtName; };
    if (sort.key == "district") {
        std::stable_sort(rows.begin(), rows.end(), byName);
        if (sort.isDescending) std::reverse(rows.begin(), rows.end());
        return;
    }
    std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
        const auto x = sortValue(a, sort.key, columns), y = sortValue(b, sort.key, columns);
        if (x.has_value() != y.has_value()) return x.has_value();  // a figure before none
        if (!x || *x == *y) return byName(a, b);
        return sort.isDescending ? *x > *y : *x < *y;
    });
}

/// A column header's link: this column in its usual order, or the other order when it is already sorted by it.
json sortLink(const std::string& key, const SortOrder& sort, const std::string& language, const json& t) {
    const bool isCurrent = sort.key == key;
    const bool defaultDescending = key != "district";
    const bool nextDescending = isCurrent ? !sort.isDescending : defaultDescending;
    json link{{"href", "/network?lang=" + language + "&sort=" + key + "&order=" + (nextDescending ? "desc" : "asc")},
              {"hint", text(t, nextDescending ? "networkSortDescending" : "networkSortAscending")}};
    if (isCurrent) {
        link["ariaSort"] = sort.isDescending ? "descending" : "ascending";
        link["arrow"] = sort.isDescending ? "\u25BC" : "\u25B2";
    }
    return link;
}

/// A scale's cell: the average, then its change in figures and words, coloured by the verdict.
json scaleCell(const analytics::GlanceScale* scale, const analytics::DistrictGlance& glance, const std::string& language, const json& t) {
    if (!scale) return {{"kind", "none"}, {"figure", text(t, "notAvailable")}, {"spoken", text(t, "networkNotMeasured")}};
    if (scale->state == analytics::PointState::Hidden) return {{"kind", "hidden"}, {"figure", text(t, "hiddenWord")}};
    if (!scale->mean) return {{"kind", "none"}, {"figure", text(t, "notAvailable")}, {"spoken", text(t, "networkNoFigure")}};
    json cell{{"figure", analytics::decimalText(*scale->mean, 2, language)}};
    const auto since = glance.previousYear ? shortYear(*glance.previousYear) : std::string();
    switch (scale->change) {
        case GlanceChange::ClearlyUp:
        case GlanceChange::ClearlyDown: {
            const bool isUp = scale->change == GlanceChange::ClearlyUp;
            cell["kind"] = isUp ? "clear-above" : "clear-below";
            cell["symbol"] = isUp ? "\u25B2" : "\u25BC";
            cell["change"] = analytics::signedDecimalText(*scale->difference, 2, language);
            cell["spoken"] = fillMessage(text(t, isUp ? "networkClearlyUp" : "networkClearlyDown"), {{"year", since}});
            break;
        }
        case GlanceChange::NoClearChange:
            cell["kind"] = "even";
            cell["change"] = analytics::signedDecimalText(*scale->difference, 2, language);
            cell["spoken"] = fillMessage(text(t, "networkNoClearChange"), {{"year", since}});
            break;
        case GlanceChange::FirstYear:
            cell["kind"] = "plain";
            cell["change"] = text(t, "networkFirstYear");
            break;
        case GlanceChange::NotComparable:
            cell["kind"] = "plain";
            cell["change"] = text(t, "networkNotComparableShort");
            cell["spoken"] = fillMessage(text(t, "summaryNotComparable"), {{"year", since}});
            break;
        case GlanceChange::NotMeasured:
            cell["kind"] = "plain";
            cell["change"] = text(t, "networkNewScale");
            cell["spoken"] = fillMessage(text(t, "summaryNotMeasuredBefore"), {{"year", since}});
            break;
        case GlanceChange::NoComparison:
            cell["kind"] = "plain";
            cell["change"] = text(t, "networkNoComparisonShort");
            cell["spoken"] = fillMessage(text(t, "summaryNoComparison"), {{"year", since}});
            break;
    }
    return cell;
}

/// The status of the district's latest survey and the release its figures come from.
json statusView(const Site& site, const analytics::DistrictGlance& glance, const std::string& newestYear, const std::string& language,
                const json& t) {
    const auto& survey = *glance.latest.survey;
    json view;
    // The school year is named when it is not the one the caption names (a district a year behind).
    if (survey.schoolYear != newestYear) view["year"] = shortYear(survey.schoolYear);
    const auto today = site.today();
    if (survey.isOpenOn(today)) {
        view["state"] = fillMessage(text(t, "networkOpen"), {{"closes", formatDate(survey.closes)}});
        view["isOpen"] = true;
    } else if (today < survey.opens) {
        view["state"] = text(t, "networkNotYetOpen");
    } else {
        view["state"] = fillMessage(text(t, "networkClosed"), {{"closes", formatDate(survey.closes)}});
    }
    const auto& release = glance.latest.release;
    view["release"] = fillMessage(text(t, "networkReleaseShort"), {{"number", std::to_string(release.number)},
                                                                    {"kind", text(t, release.kind == "final" ? "releaseFinal" : "releaseInterim")},
                                                                    {"date", release.publishedOn}});
    view["href"] = "/leader/surveys/" + survey.id + "?lang=" + language;
    return view;
}

/// The response rate of the release: its respondents against the staff the survey file expects.
/// Read from the release's profile only (never live counts or access codes, which change after it).
std::optional<double> releaseRate(const analytics::DistrictGlance& glance, json& view, const std::string& language, const json& t) {
    const auto participation = analytics::participationOf(*glance.latest.survey, *glance.latest.profile, {});
    const auto& district = participation.district;
    if (district.hidden != analytics::HiddenBecause::Shown || !district.responded.exact) {
        view = {{"text", text(t, "hiddenWord")}, {"isHidden", true}};
        return std::nullopt;
    }
    const auto responded = *district.responded.exact;
    if (!district.rate || !district.expected) {
        view = {{"text", text(t, "notAvailable")},
                {"detail", fillMessage(text(t, "networkResponsesOnly"), {{"responses", analytics::countText(responded, language)}})}};
        return std::nullopt;
    }
    view = {{"text", analytics::percentText(*district.rate, language)},
            {"detail", fillMessage(text(t, "networkRateDetail"),
                                   {{"responses", analytics::countText(responded, language)}, {"staff", analytics::countText(*district.expected, language)}})}};
    return district.rate;
}

/// The district's largest clear gap by race/ethnicity, in words; "hidden" when the release shows none.
json gapView(const analytics::DistrictGlance& glance, const std::string& language, const json& t) {
    switch (glance.gapState) {
        case analytics::GlanceGapState::NotAsked: return {{"text", text(t, "networkGapNotAsked")}};
        case analytics::GlanceGapState::Hidden: return {{"text", text(t, "hiddenWord")}, {"isHidden", true}};
        case analytics::GlanceGapState::Shown: break;
    }
    if (!glance.largest || !glance.largest->isClear) return {{"text", text(t, "networkGapNoneClear")}};
    const auto& gap = *glance.largest;
    return {{"text", fillMessage(text(t, "networkGapLargest"), {{"group", gap.group.in(language)},
                                                                  {"value", analytics::signedDecimalText(gap.difference, 2, language)},
                                                                  {"scale", gap.scale.in(language)}})},
            {"detail", fillMessage(text(t, glance.clearGaps == 1 ? "networkGapCountOne" : "networkGapCount"),
                                   {{"count", analytics::countText(static_cast<std::int64_t>(glance.clearGaps), language)}})}};
}

/// The newest school year's network median of each scale and whether districts see their standing
/// on it (analytics::networkView: shown figures only), for a table's foot.
json networkFooter(const analytics::NetworkYear& newest, const std::vector<ScaleColumn>& columns, const std::string& language, const json& t) {
    json medians = json::array(), shared = json::array();
    for (const auto& column : columns) {
        const analytics::NetworkScale* found = nullptr;
        for (const auto& scale : newest.scales)
            if (scale.instrument->id == column.instrumentId && scale.scaleId == column.scaleId) found = &scale;
        if (!found || !found->network) {
            medians.push_back(text(t, "notAvailable"));
            shared.push_back(fillMessage(text(t, "networkNotSharedShort"), {{"count", "0"}, {"minimum", std::to_string(analytics::kMinPeerDistricts)}}));
            continue;
        }
        medians.push_back(analytics::decimalText(found->network->mean.median, 2, language));
        shared.push_back(fillMessage(text(t, found->isSharedWithDistricts ? "networkSharedShort" : "networkNotSharedShort"),
                                     {{"count", std::to_string(found->network->districts)}, {"minimum", std::to_string(analytics::kMinPeerDistricts)}}));
    }
    return {{"medianLabel", fillMessage(text(t, "networkMedianRow"), {{"year", shortYear(newest.schoolYear)}})}, {"medians", medians}, {"shared", shared}};
}

/// "A, B and C" ("A, B y C" in Spanish).
std::string listInWords(const std::vector<std::string>& items, const json& t) {
    std::string words;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) words += i + 1 == items.size() ? " " + text(t, "listAnd") + " " : ", ";
        words += items[i];
    }
    return words;
}

/// Districts whose latest survey measures the same instruments share one table. One table of every
/// instrument would give each district a row of empty cells for the others' scales and scroll
/// sideways (the REO readiness series beside the staff mindset surveys).
struct GlanceTable {
    std::vector<std::string> instrumentIds;  ///< sorted: what makes two districts share the table
    std::vector<std::string> instrumentTitles;
    std::vector<ScaleColumn> columns;
    std::vector<Row> rows;
    /// Districts with a survey of these instruments but no release yet, with that survey.
    std::vector<std::pair<const District*, const surveys::SurveyDefinition*>> unreleased;
};

GlanceTable& tableFor(std::vector<GlanceTable>& tables, const surveys::SurveyDefinition& survey, const std::string& language) {
    std::vector<std::string> ids;
    for (const auto& instrument : survey.instruments) ids.push_back(instrument.definition().id);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (auto& table : tables)
        if (table.instrumentIds == ids) return table;
    GlanceTable table;
    table.instrumentIds = ids;
    for (const auto& instrument : survey.instruments) {
        const auto& definition = instrument.definition();
        if (std::find(table.instrumentTitles.begin(), table.instrumentTitles.end(), definition.title.in(language)) == table.instrumentTitles.end())
            table.instrumentTitles.push_back(definition.title.in(language));
    }
    tables.push_back(std::move(table));
    return tables.back();
}

/// Adds the scales of `survey` that `table` has no column for yet, in the order first met.
void addColumns(GlanceTable& table, const surveys::SurveyDefinition& survey, const std::string& language) {
    for (const auto& instrument : survey.instruments) {
        const auto& definition = instrument.definition();
        for (const auto& scale : definition.scales) {
            const auto key = scaleKey(definition.id, scale.id);
            if (std::none_of(table.columns.begin(), table.columns.end(), [&](const ScaleColumn& c) { return c.key == key; }))
                table.columns.push_back({definition.id, scale.id, key, scale.title.in(language), definition.title.in(language)});
        }
    }
}

}  // namespace

Response networkPage(const Site& site, const Request& request, const store::Account& account) {
    // Answered like any page an account may not see, so a district account learns nothing here.
    if (account.districtSlug) throw HttpError(404, "There is no page at " + request.path + " for this account.");
    const auto language = interfaceLanguage(request.queryValue("lang"));
    const auto& t = messages(language);

    analytics::PeerInput network;
    const auto districts = districtsOf(site);
    for (const auto& district : districts) network.push_back({district.slug, district.name, districtYears(site, district.slug)});
    const auto glances = analytics::networkGlance(network);

    std::vector<GlanceTable> tables;
    for (const auto& glance : glances) {
        auto& table = tableFor(tables, *glance.latest.survey, language);
        addColumns(table, *glance.latest.survey, language);
        Row row{&glance, std::nullopt, json()};
        row.rate = releaseRate(glance, row.rateView, language, t);
        table.rows.push_back(std::move(row));
    }
    // A district with a survey but no release yet has no figure to show: it follows in the table of
    // its newest survey's instruments, whatever the sort, saying when its first release will come.
    for (const auto& district : districts) {
        if (std::any_of(glances.begin(), glances.end(), [&](const analytics::DistrictGlance& g) { return g.districtId == district.slug; })) continue;
        const surveys::SurveyDefinition* newest = nullptr;
        for (const auto& survey : site.catalog.surveys)
            if (survey.districtId == district.slug && (!newest || survey.schoolYear > newest->schoolYear)) newest = &survey;
        if (!newest) continue;
        auto& table = tableFor(tables, *newest, language);
        if (table.rows.empty()) addColumns(table, *newest, language);
        table.unreleased.emplace_back(&district, newest);
    }
    // The table of the most districts first: the network's common survey.
    std::stable_sort(tables.begin(), tables.end(), [](const GlanceTable& a, const GlanceTable& b) {
        return a.rows.size() + a.unreleased.size() > b.rows.size() + b.unreleased.size();
    });

    std::vector<ScaleColumn> allColumns;
    for (const auto& table : tables) allColumns.insert(allColumns.end(), table.columns.begin(), table.columns.end());
    const auto sort = requestedSort(request, allColumns);

    std::string newestYear;
    for (const auto& glance : glances) newestYear = std::max(newestYear, glance.latest.survey->schoolYear);
    const auto years = analytics::networkView(network);

    json tableViews = json::array();
    for (auto& table : tables) {
        // A scale's sort orders the table that has it; the others keep district order.
        sortRows(table.rows, sort, table.columns);
        json instruments = json::array();
        json scaleHeaders = json::array();
        for (const auto& column : table.columns) {
            if (instruments.empty() || instruments.back()["title"] != column.instrumentTitle)
                instruments.push_back({{"title", column.instrumentTitle}, {"span", 0}});
            instruments.back()["span"] = instruments.back()["span"].get<int>() + 1;
            scaleHeaders.push_back({{"title", column.title}, {"sort", sortLink(column.key, sort, language, t)}});
        }
        json body = json::array();
        for (const auto& row : table.rows) {
            const auto& glance = *row.glance;
            json cells = json::array();
            for (const auto& column : table.columns) cells.push_back(scaleCell(scaleOf(glance, column), glance, language, t));
            json view{{"name", glance.districtName}, {"status", statusView(site, glance, newestYear, language, t)}, {"cells", cells}, {"gap", gapView(glance, language, t)}};
            view["rate"] = row.rateView;
            // The district's own summary, for an account that may read it (never the anonymised peers page).
            if (maySeeDistrict(account, glance.districtId))
                view["href"] = "/leader/districts/" + glance.districtId + "/summary?lang=" + language;
            body.push_back(std::move(view));
        }
        for (const auto& [district, newest] : table.unreleased) {
            json cells = json::array();
            for (std::size_t i = 0; i < table.columns.size(); ++i) cells.push_back({{"kind", "none"}, {"figure", text(t, "notAvailable")}});
            json view{{"name", district->name},
                      {"status", {{"state", fillMessage(text(t, "networkNoRelease"), {{"closes", formatDate(newest->closes)}})}, {"year", shortYear(newest->schoolYear)}}},
                      {"cells", cells},
                      {"rate", {{"text", text(t, "notAvailable")}}},
                      {"gap", {{"text", text(t, "notAvailable")}}}};
            if (maySeeDistrict(account, district->slug)) view["href"] = "/leader/districts/" + district->slug + "/summary?lang=" + language;
            body.push_back(std::move(view));
        }
        const auto instrumentWords = listInWords(table.instrumentTitles, t);
        json tableView{{"caption", fillMessage(text(t, "networkCaption"), {{"year", shortYear(newestYear)}, {"instruments", instrumentWords}})},
                       {"instruments", instruments},
                       {"scales", scaleHeaders},
                       {"rows", body}};
        if (!years.empty()) tableView["footer"] = networkFooter(years.front(), table.columns, language, t);
        tableViews.push_back(std::move(tableView));
    }

    json view{{"lang", language},
              {"title", text(t, "networkTitle")},
              {"isWide", true},
              {"intro", text(t, "networkIntro")},
              {"hasDistricts", !tableViews.empty()},
              {"tables", tableViews},
              {"sortDistrict", sortLink("district", sort, language, t)},
              {"sortRate", sortLink("rate", sort, language, t)},
              {"sortGap", sortLink("gap", sort, language, t)},
              {"legendUp", "\u25B2 " + analytics::signedDecimalText(0.21, 2, language)},
              {"legendEven", analytics::signedDecimalText(0.03, 2, language)},
              {"legendDown", "\u25BC " + analytics::signedDecimalText(-0.18, 2, language)},
              {"peersRule", fillMessage(text(t, "networkPeersRule"), {{"minimum", std::to_string(analytics::kMinPeerDistricts)}})},
              {"leaderHref", "/leader?lang=" + language}};
    const std::string query = request.queryValue("sort").empty() ? "" : "sort=" + sort.key + "&order=" + (sort.isDescending ? "desc" : "asc");
    view["languageLinks"] = languageLinks(language, query.empty() ? "/network" : "/network?" + query);
    view["homeHref"] = leaderHomeHref(language);
    return Response::html(renderPage("network", view));
}

}  // namespace mindset::web::handlers
