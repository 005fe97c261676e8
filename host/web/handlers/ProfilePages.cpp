#include "web/handlers/ProfilePages.h"

#include <cctype>
#include <cmath>
#include <sstream>

#include "analytics/Csv.h"
#include "analytics/ProfileJson.h"
#include "analytics/RawExport.h"
#include "analytics/ResponseFormat.h"
#include "releases/Releases.h"
#include "web/Charts.h"
#include "web/Csrf.h"
#include "analytics/NumberText.h"
#include "web/DistrictData.h"
#include "web/LeaderFrame.h"
#include "web/Templates.h"

namespace mindset::web::handlers {

using nlohmann::json;

namespace {

// Figures as the page's language writes them (analytics/NumberText); a missing figure is blank.
std::string fixed(const json& x, const std::string& language) { return x.is_number() ? analytics::decimalText(x.get<double>(), 2, language) : ""; }

std::string signedFixed(const json& x, const std::string& language) {
    return x.is_number() ? analytics::signedDecimalText(x.get<double>(), 2, language) : "";
}

std::string range(const json& interval, const std::string& language) {
    return interval.is_array() && interval[0].is_number() && interval[1].is_number()
               ? analytics::intervalText(interval[0].get<double>(), interval[1].get<double>(), 2, language)
               : "";
}

std::string percent(const json& share, const std::string& language) {
    return share.is_number() ? analytics::percentText(share.get<double>(), language) : "";
}

std::string percentRange(const json& interval, const std::string& language) {
    return interval.is_array() && interval[0].is_number() && interval[1].is_number()
               ? analytics::percentIntervalText(interval[0].get<double>(), interval[1].get<double>(), language)
               : "";
}

/// One table row of a group (or the district): formatted figures, or why it is hidden.
json rowView(const json& cell, const json& t, const std::string& language) {
    json row{{"label", cell.value("label", "")}};
    if (cell.value("empty", false)) return json();  // nobody in it: no row
    if (cell.contains("hidden")) {
        row["hiddenText"] = cell["hiddenExplanation"];
        return row;
    }
    row["n"] = std::to_string(cell["n"].get<std::int64_t>());
    row["mean"] = fixed(cell["mean"], language);
    row["ci"] = range(cell["ci95"], language);
    row["favorable"] = percent(cell["favorable"]["share"], language);
    row["favorableCi"] = percentRange(cell["favorable"]["ci95"], language);
    if (cell.contains("gap")) {
        const auto& gap = cell["gap"];
        row["difference"] = signedFixed(gap["difference"], language);
        if (gap.contains("welch")) row["differenceCi"] = range(gap["welch"]["ci95"], language);
        if (gap.contains("hedgesG")) {
            row["g"] = fixed(gap["hedgesG"]["g"], language);
            row["gCi"] = range(gap["hedgesG"]["ci95"], language);
        }
        if (gap["q"].is_number()) row["verdict"] = gap["isBeyondNoise"].get<bool>() ? t["gapReal"] : t["gapNoise"];
    } else if (cell.contains("gapHidden")) {
        row["gapText"] = cell["gapHiddenExplanation"];
    }
    return row;
}

json scaleRow(const json& scale, const json& t, const std::string& language) {
    json row{{"label", scale["title"]}, {"anchor", "scale-" + scale["scale"].get<std::string>()}};
    if (scale.contains("subScoreOf"))
        row["scaleNote"] = fillMessage(t["subScoreNote"], {{"group", scale["subScoreOf"]["groupTitle"].get<std::string>()}});
    if (scale.contains("customFigureOf"))
        row["scaleNote"] = fillMessage(t["customFigureNote"], {{"min", analytics::thresholdText(scale["scoreRange"][0].get<double>(), language)},
                                                               {"max", analytics::thresholdText(scale["scoreRange"][1].get<double>(), language)}});
    if (scale.contains("failed")) {
        row["hiddenText"] = scale["failedExplanation"];
        return row;
    }
    if (scale.contains("hidden")) {
        row["hiddenText"] = scale["hiddenExplanation"];
        return row;
    }
    auto figures = rowView(scale, t, language);
    figures["label"] = scale["title"];
    figures["anchor"] = row["anchor"];
    if (row.contains("scaleNote")) figures["scaleNote"] = row["scaleNote"];
    if (scale.contains("reliability")) {
        figures["alpha"] = fixed(scale["reliability"]["alpha"], language);
        figures["alphaCi"] = range(scale["reliability"]["ci95"], language);
    }
    return figures;
}

std::string languageOf(const Request& request) { return interfaceLanguage(request.queryValue("lang")); }

std::optional<double> optionalNumber(const json& x) { return x.is_number() ? std::optional<double>(x.get<double>()) : std::nullopt; }

/// A dot-and-whisker row for a cell (or scale) of the profile JSON.
charts::IntervalRow intervalRow(const std::string& label, const json& cell) {
    charts::IntervalRow row{label, std::nullopt, std::nullopt, std::nullopt, ""};
    if (cell.contains("failed")) {
        row.note = cell["failedExplanation"];
        return row;
    }
    if (cell.contains("hidden")) {
        row.note = cell["hiddenExplanation"];
        return row;
    }
    row.mean = optionalNumber(cell["mean"]);
    if (cell["ci95"].is_array()) {
        row.lower = cell["ci95"][0].get<double>();
        row.upper = cell["ci95"][1].get<double>();
    }
    return row;
}

/// The definition of the survey's instrument `key` ("id@version").
const sdk::Definition& instrumentOf(const surveys::SurveyDefinition& survey, const json& key) {
    for (const auto& instrument : survey.instruments)
        if (instrument.key == key.get<std::string>()) return instrument.definition();
    throw std::logic_error("survey '" + survey.id + "' has no instrument " + key.get<std::string>());
}

/// Puts a chart of mean scores on the instrument's own response range, labelled with its own
/// lowest and highest options: a 7-point scale must not be cut at 5, nor a frequency scale
/// called "strongly disagree".
void onOwnRange(charts::IntervalChart& chart, const sdk::Definition& definition, const std::string& language) {
    const auto range = analytics::scoreRangeOf(definition, language);
    chart.axisMin = range.min;
    chart.axisMax = range.max;
    chart.tickStep = range.max - range.min > 6 ? 2 : 1;
    chart.axisLabel = analytics::meanAxisLabel(definition, language);
}

/// The same for one scale: a custom figure is drawn on its own declared range, in quarters.
void onOwnRange(charts::IntervalChart& chart, const sdk::Definition& definition, const sdk::Scale& scale, const std::string& language) {
    onOwnRange(chart, definition, language);
    if (!scale.isCustomFigure()) return;
    const auto range = analytics::scoreRangeOf(definition, scale, language);
    chart.axisMin = range.min;
    chart.axisMax = range.max;
    chart.tickStep = (range.max - range.min) / 4;
    chart.axisLabel = analytics::meanAxisLabel(definition, scale, language);
}

std::string chartId(std::string text) { return "chart-" + fragmentId(std::move(text)); }

/// The release a download reads (`?release=N`, or the latest); HttpError 404 saying when the final
/// release comes when nothing is released yet.
std::shared_ptr<const releases::Release> releasedFor(const Site& site, const surveys::SurveyDefinition& survey,
                                                     const Request& request, const std::string& language) {
    auto releases = releaseOf(site, survey, requestedRelease(request));
    if (!releases.selected) throw HttpError(404, noReleaseText(survey, language));
    return std::move(releases.selected);
}

/// The page's release parts: which release it shows, the others, and the publish button.
void addReleaseView(json& view, const Site& site, const surveys::SurveyDefinition& survey, const ReleaseView& releases,
                    const std::string& language) {
    const auto& t = messages(language);
    const auto base = "/leader/surveys/" + survey.id + "?lang=" + language;
    json list = json::array();
    for (auto it = releases.all.rbegin(); it != releases.all.rend(); ++it)
        list.push_back({{"label", releaseLabel(*it, survey, language)},
                        {"href", base + "&release=" + std::to_string(it->number)},
                        {"isShown", releases.selected && releases.selected->record.number == it->number}});
    view["releases"] = list;
    view["hasReleases"] = !list.empty();
    if (releases.selected) {
        const auto& record = releases.selected->record;
        view["releaseLabel"] = releaseLabel(record, survey, language);
        view["isEarlier"] = !releases.isLatest;
        view["latestHref"] = base;
        if (!releases.selected->isMatchingPublished) view["mismatchText"] = releaseMismatchText(*releases.selected, language);
    } else {
        view["noReleaseText"] = noReleaseText(survey, language);
    }
    const bool hasFinal = !releases.all.empty() && releases.all.back().kind == store::ReleaseKind::Final;
    view["canPublish"] = !hasFinal && site.today() >= survey.opens;
    view["publishAction"] = "/leader/surveys/" + survey.id + "/releases";
    view["publishLabel"] = t[releases::hasClosed(survey, site.today()) ? "publishFinal" : "publishInterim"];
}

Response csvAttachment(std::string body, const std::string& fileName) {
    Response response{200, "text/csv; charset=utf-8", std::move(body), {}};
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    return response;
}


/// Scale g of the profile as the results pages name it in links.
std::string scaleKeyOf(const surveys::SurveyDefinition& survey, const analytics::Profile& profile, std::size_t g) {
    return scaleKey(survey.instruments[profile.scales[g].ref.instrument].definition().id, profile.scales[g].scaleId);
}

/// Two parts of a query string joined with '&'; either may be empty.
std::string joinedQuery(const std::string& first, const std::string& second) {
    return first.empty() ? second : second.empty() ? first : first + "&" + second;
}

/// Which part of the profile a request reads: the overview, one scale (`?scale=instrument.scale`)
/// or one breakdown across every scale (`?by=question`). A long page per survey would be 75 screens.
struct ProfilePart {
    std::optional<std::size_t> scale;
    std::optional<std::size_t> breakdown;
    std::string query;  ///< "scale=…" or "by=…": kept by the language switch
};

ProfilePart profilePart(const Request& request, const analytics::Profile& profile, const surveys::SurveyDefinition& survey) {
    ProfilePart part;
    if (const auto key = request.queryValue("scale"); !key.empty()) {
        for (std::size_t g = 0; g < profile.scales.size(); ++g)
            if (scaleKeyOf(survey, profile, g) == key) part.scale = g;
        if (!part.scale) throw HttpError(404, "This survey has no scale “" + key + "”: a scale is named instrument.scale, as the overview links it.");
        part.query = "scale=" + key;
    } else if (const auto question = request.queryValue("by"); !question.empty()) {
        for (std::size_t b = 0; b < profile.breakdowns.size(); ++b)
            if (profile.breakdowns[b].questionId == question) part.breakdown = b;
        if (!part.breakdown) throw HttpError(404, "This survey has no breakdown by “" + question + "”.");
        part.query = "by=" + question;
    }
    return part;
}

/// A scale's statements: distribution of answers and item statistics, or why the scale is hidden.
json scaleDetail(const json& scale, const json& t, const std::string& language) {
    json detail{{"anchor", "scale-" + scale["scale"].get<std::string>()}, {"title", scale["title"]},
                {"instrumentTitle", scale["instrumentTitle"]}, {"description", scale["description"]}, {"reading", scale["reading"]}};
    if (scale.contains("failed") || scale.contains("hidden")) {
        detail["hiddenText"] = scale.contains("failed") ? scale["failedExplanation"] : scale["hiddenExplanation"];
        return detail;
    }
    // Counts in the order of the options (a JSON object's keys sort "10" before "2"); the
    // unscored answers ("don't know") in columns of their own, after the scored options.
    auto countsOf = [&scale](const json& item) {
        std::vector<std::int64_t> counts;
        for (const auto& option : scale["options"])
            counts.push_back(item["counts"].value(std::to_string(option["code"].get<int>()), std::int64_t{0}));
        return counts;
    };
    auto unscoredCountsOf = [](const json& item) {
        return item.contains("unscoredCounts") ? item["unscoredCounts"].get<std::vector<std::int64_t>>() : std::vector<std::int64_t>{};
    };
    json items = json::array();
    for (std::size_t i = 0; i < scale["items"].size(); ++i) {
        const auto& item = scale["items"][i];
        json counts = json::array();
        for (const auto count : countsOf(item)) counts.push_back(std::to_string(count));
        json unscoredCounts = json::array();
        for (const auto count : unscoredCountsOf(item)) unscoredCounts.push_back(std::to_string(count));
        json row{{"text", item["text"]}, {"reverseKeyed", item["reverseKeyed"]}, {"counts", counts},
                 {"unscoredCounts", unscoredCounts}, {"missing", std::to_string(item["missing"].get<std::int64_t>())}};
        if (scale.contains("reliability") && i < scale["reliability"]["items"].size()) {
            row["rdrop"] = fixed(scale["reliability"]["items"][i]["correctedItemTotal"], language);
            row["alphaIfDropped"] = fixed(scale["reliability"]["items"][i]["alphaIfDropped"], language);
        }
        items.push_back(row);
    }
    detail["items"] = items;
    charts::DistributionChart chart;
    chart.id = chartId("items-" + scale["instrument"].get<std::string>() + "-" + scale["scale"].get<std::string>());
    chart.title = scale["title"].get<std::string>() + ": " + t["itemsTitle"].get<std::string>();
    chart.missingNote = "{count} " + t["missingColumn"].get<std::string>();
    json optionLabels = json::array();
    for (const auto& option : scale["options"]) {
        chart.options.push_back(option["label"]);
        optionLabels.push_back(option["label"]);
    }
    detail["optionLabels"] = optionLabels;
    json unscoredLabels = json::array();
    for (const auto& option : scale.value("unscoredOptions", json::array())) {
        chart.unscoredNotes.push_back("{count} " + option["label"].get<std::string>());
        unscoredLabels.push_back(option["label"]);
    }
    detail["unscoredLabels"] = unscoredLabels;
    for (const auto& item : scale["items"]) {
        charts::DistributionItem bar{item["text"], countsOf(item), item["missing"].get<std::int64_t>(), unscoredCountsOf(item)};
        chart.items.push_back(std::move(bar));
    }
    detail["hasItems"] = !chart.items.empty();  // a custom figure has no statements of its own
    if (!chart.items.empty()) detail["chart"] = charts::distributionChart(chart);
    if (scale.contains("reliability")) {
        const auto& r = scale["reliability"];
        detail["reliabilityText"] = t["alphaLabel"].get<std::string>() + " " + fixed(r["alpha"], language) + " " + range(r["ci95"], language) + " · " +
                                    t["standardizedAlphaLabel"].get<std::string>() + " " + fixed(r["standardizedAlpha"], language) + " · n " +
                                    std::to_string(r["respondents"].get<std::int64_t>());
    }
    return detail;
}

/// Scale g in one breakdown: a row per group (and a chart of their means, if asked); null when the
/// scale is hidden or failed.
json breakdownScale(const json& breakdown, std::size_t g, const json& data, const surveys::SurveyDefinition& survey, const json& t,
                    const std::string& language, bool withChart) {
    const auto& scale = data["scales"][g];
    if (scale.contains("hidden") || scale.contains("failed")) return json();
    json rows = json::array();
    charts::IntervalChart chart;
    chart.id = chartId("by-" + breakdown["question"].get<std::string>() + "-" + scale["instrument"].get<std::string>() + "-" +
                       scale["scale"].get<std::string>());
    chart.title = scale["title"].get<std::string>() + ": " + breakdown["label"].get<std::string>();
    const auto& definition = instrumentOf(survey, scale["instrument"]);
    onOwnRange(chart, definition, *definition.findScale(scale["scale"].get<std::string>()), language);
    chart.reference = optionalNumber(scale["mean"]);
    chart.referenceLabel = t["districtMeanLabel"].get<std::string>() + " " + fixed(scale["mean"], language);
    chart.decimalMark = analytics::decimalMarkOf(language);
    for (const auto& cell : breakdown["scales"][g]["cells"]) {
        auto row = rowView(cell, t, language);
        if (row.is_null()) continue;
        rows.push_back(row);
        chart.rows.push_back(intervalRow(cell["label"], cell));
    }
    json view{{"title", scale["title"]}, {"instrumentTitle", scale["instrumentTitle"]}, {"label", breakdown["label"]},
              {"districtMean", fixed(scale["mean"], language)}, {"rows", rows}};
    if (withChart) view["chart"] = charts::intervalChart(chart);
    return view;
}

}  // namespace

Response profilePage(const Site& site, const Request& request, const store::Account& account) {
    const auto& survey = surveyFor(site, request, account);
    const auto language = languageOf(request);
    const auto& t = messages(language);
    const auto releases = releaseOf(site, survey, requestedRelease(request));
    const auto base = "/leader/surveys/" + survey.id;
    const auto csrf = csrfToken(request);
    // The page keeps the release it was asked for in every link it makes: ?release=N (or the latest).
    const auto shownRelease = request.queryValue("release").empty() ? std::string() : "release=" + std::to_string(requestedRelease(request));
    const auto pageHref = [&](const std::string& part) {
        const auto query = joinedQuery(shownRelease, part);
        return base + "?lang=" + language + (query.empty() ? "" : "&" + query);
    };
    const auto respond = [&](const json& view) {
        auto response = Response::html(renderPage("profile", view));
        return keepCsrfToken(response, csrf, request);
    };

    json view{{"lang", language}, {"title", survey.title.in(language)}, {"isWide", true}, {"csrf", csrf.value}};
    view["survey"] = {{"id", survey.id}, {"title", survey.title.in(language)}, {"district", survey.districtName}, {"schoolYear", survey.schoolYear}};
    view["privacyRule"] = t["profilePrivacy"].get<std::string>();
    view["participationHref"] = base + "/participation?lang=" + language;
    if (!survey.comments.empty()) view["commentsHref"] = base + "/comments?lang=" + language + (shownRelease.empty() ? "" : "&" + shownRelease);
    addReleaseView(view, site, survey, releases, language);
    if (!releases.selected) {
        addLeaderFrame(view, site, survey.districtId, base, shownRelease, language);
        return respond(view);
    }
    const auto& profile = releases.selected->profile;
    const auto data = analytics::profileToJson(profile, survey, language);
    const auto part = profilePart(request, profile, survey);
    addLeaderFrame(view, site, survey.districtId, base, joinedQuery(shownRelease, part.query), language);
    // Every download of this page reads the same release.
    const auto release = "release=" + std::to_string(releases.selected->record.number);
    view["apiHref"] = "/api/surveys/" + survey.id + "/profile?lang=" + language + "&" + release;
    view["scalesCsvHref"] = base + "/tables/scales.csv?lang=" + language + "&" + release;
    view["itemsCsvHref"] = base + "/tables/items.csv?lang=" + language + "&" + release;
    view["hasRelease"] = true;
    view["overviewHref"] = pageHref("");
    std::vector<std::string> keys;
    for (std::size_t g = 0; g < profile.scales.size(); ++g) keys.push_back(scaleKeyOf(survey, profile, g));

    view["isDetail"] = part.scale || part.breakdown;
    // One scale: how staff answered each of its statements, and its figures in every breakdown.
    if (part.scale) {
        const auto g = *part.scale;
        auto detail = scaleDetail(data["scales"][g], t, language);
        json breakdowns = json::array();
        for (const auto& breakdown : data["breakdowns"]) {
            const auto question = breakdown["question"].get<std::string>();
            auto scale = breakdownScale(breakdown, g, data, survey, t, language, true);
            if (scale.is_null()) continue;
            breakdowns.push_back({{"label", breakdown["label"]}, {"anchor", "by-" + question}, {"scales", json::array({scale})},
                                  {"csvHref", base + "/tables/breakdown-" + question + ".csv?lang=" + language + "&" + release}});
        }
        detail["breakdowns"] = breakdowns;
        view["scaleDetail"] = detail;
        view["title"] = detail["title"].get<std::string>() + " \u00b7 " + survey.title.in(language);
        return respond(view);
    }
    // One breakdown: every scale's groups as tables; each scale's charts are on its own page.
    if (part.breakdown) {
        const auto& breakdown = data["breakdowns"][*part.breakdown];
        const auto question = breakdown["question"].get<std::string>();
        json scales = json::array();
        for (std::size_t g = 0; g < data["scales"].size(); ++g) {
            auto scale = breakdownScale(breakdown, g, data, survey, t, language, false);
            if (scale.is_null()) continue;
            scale["detailHref"] = pageHref("scale=" + keys[g]) + "#by-" + question;
            scales.push_back(std::move(scale));
        }
        view["breakdownDetail"] = {{"label", breakdown["label"]}, {"anchor", "by-" + question}, {"scales", scales},
                                   {"csvHref", base + "/tables/breakdown-" + question + ".csv?lang=" + language + "&" + release}};
        view["title"] = t["breakdownBy"].get<std::string>() + ": " + breakdown["label"].get<std::string>() + " \u00b7 " + survey.title.in(language);
        return respond(view);
    }

    // The overview: one table per instrument, strengths and areas for growth, and the way to each detail.
    view["isOverview"] = true;
    json instruments = json::array();
    for (std::size_t g = 0; g < data["scales"].size(); ++g) {
        const auto& scale = data["scales"][g];
        if (instruments.empty() || instruments.back()["key"] != scale["instrument"])
            instruments.push_back({{"key", scale["instrument"]}, {"title", scale["instrumentTitle"]}, {"reading", scale["reading"]},
                                   {"rows", json::array()}});
        auto row = scaleRow(scale, t, language);
        row["href"] = pageHref("scale=" + keys[g]);
        instruments.back()["rows"].push_back(std::move(row));
        // Said once under the table rather than on every sub-score's row.
        if (scale.contains("subScoreOf") && !instruments.back().contains("subScoreHint")) {
            std::string groups;
            for (const auto& group : instrumentOf(survey, scale["instrument"]).tagGroups)
                groups += (groups.empty() ? "" : ", ") + group.title.in(language);
            instruments.back()["subScoreHint"] = fillMessage(t["subScoreHint"], {{"groups", groups}});
        }
    }
    for (auto& instrument : instruments) {
        charts::IntervalChart chart;
        chart.id = chartId("overview-" + instrument["key"].get<std::string>());
        chart.title = instrument["title"].get<std::string>() + ": " + t["meanColumn"].get<std::string>() + ", " + t["ciColumn"].get<std::string>();
        const auto& definition = instrumentOf(survey, instrument["key"]);
        onOwnRange(chart, definition, language);
        chart.decimalMark = analytics::decimalMarkOf(language);
        for (const auto& scale : data["scales"])  // a custom figure runs on a range of its own: in its table only
            if (scale["instrument"] == instrument["key"] && !scale.contains("customFigureOf")) chart.rows.push_back(intervalRow(scale["title"], scale));
        instrument["chart"] = charts::intervalChart(chart);
    }
    view["instruments"] = instruments;
    json failures = json::array();
    for (const auto& failure : data["failures"]) failures.push_back(failure["explanation"]);
    view["failures"] = failures;
    view["hasFailures"] = !failures.empty();

    // Strengths and areas for growth: the three highest and lowest shares favorable, with what each
    // instrument says about them (sdk::Instrument::interpret).
    auto standingView = [&](std::size_t g, sdk::Standing standing) {
        const auto& scale = profile.scales[g];
        const auto& instrument = *survey.instruments[scale.ref.instrument].instrument;
        const auto& definition = survey.instruments[scale.ref.instrument].definition();  // as loaded: no plugin call
        const auto& summary = scale.district->summary;
        json item{{"title", definition.scales[scale.ref.scale].title.in(language)},
                  {"href", pageHref("scale=" + keys[g])},
                  {"instrumentTitle", definition.title.in(language)},
                  {"mean", fixed(json(*summary.mean), language)},
                  {"favorable", percent(json(scale.district->favorable.share.value_or(0)), language)},
                  {"description", definition.scales[scale.ref.scale].description.in(language)}};
        const sdk::ScaleResult result{scale.scaleId, standing, *summary.mean, scale.district->favorable.share, summary.n};
        std::optional<sdk::Interpretation> interpretation;
        // Plugin code: a failure costs this scale its interpretation text only (and is logged).
        (void)loader::guardHook({survey.instruments[scale.ref.instrument].key, "interpret", survey.id},
                                [&] { interpretation = instrument.interpret(result, language); });
        if (interpretation) {
            item["interpretation"] = interpretation->text;
            item["practices"] = interpretation->practices;
            item["hasPractices"] = !interpretation->practices.empty();
        }
        return item;
    };
    json strengths = json::array(), growth = json::array();
    const auto& ranking = profile.ranking;
    const auto shown = std::min<std::size_t>(3, ranking.size() / 2);
    for (std::size_t i = 0; i < shown; ++i) {
        strengths.push_back(standingView(ranking[i], sdk::Standing::Strength));
        growth.push_back(standingView(ranking[ranking.size() - 1 - i], sdk::Standing::AreaForGrowth));
    }
    view["strengths"] = strengths;
    view["growth"] = growth;
    view["hasRanking"] = !strengths.empty();
    view["rankingBasis"] = data["rankingBasis"];

    // The details, one page each: a scale (its statements and groups), or a breakdown (every scale).
    json scaleLinks = json::array();
    for (std::size_t g = 0; g < data["scales"].size(); ++g)
        scaleLinks.push_back({{"title", data["scales"][g]["title"]}, {"href", pageHref("scale=" + keys[g])}});
    json breakdownLinks = json::array();
    for (const auto& breakdown : data["breakdowns"])
        breakdownLinks.push_back({{"label", breakdown["label"]}, {"href", pageHref("by=" + breakdown["question"].get<std::string>())}});
    view["scaleLinks"] = scaleLinks;
    view["breakdownLinks"] = breakdownLinks;
    view["hasBreakdowns"] = !breakdownLinks.empty();
    return respond(view);
}

Response profileApi(const Site& site, const Request& request, const store::Account& account) {
    const auto& survey = surveyFor(site, request, account);
    const auto language = languageOf(request);
    const auto releases = releaseOf(site, survey, requestedRelease(request));
    json data;
    if (releases.selected) {
        data = analytics::profileToJson(releases.selected->profile, survey, language);
        data["release"] = releaseJson(releases.selected->record, survey, language);
        data["release"]["matchesPublished"] = releases.selected->isMatchingPublished;
        if (releases.selected->hasRecordedFingerprints)
            data["release"]["changedInstruments"] = releases.selected->changedInstruments;
    } else {
        data["survey"] = {{"id", survey.id}, {"title", survey.title.in(language)}, {"district", survey.districtName},
                          {"schoolYear", survey.schoolYear}, {"minGroupSize", survey.reportingThreshold()}};
        data["release"] = nullptr;
        data["explanation"] = noReleaseText(survey, language);
    }
    data["releases"] = json::array();
    for (const auto& record : releases.all) data["releases"].push_back(releaseJson(record, survey, language));
    return {200, "application/json; charset=utf-8", data.dump(2), {}};
}

Response profileTableCsv(const Site& site, const Request& request, const store::Account& account) {
    const auto& survey = surveyFor(site, request, account);
    const auto language = languageOf(request);
    const auto release = releasedFor(site, survey, request, language);
    const auto data = analytics::profileToJson(release->profile, survey, language);
    auto table = request.pathParams.at("table");
    if (!table.ends_with(".csv")) throw HttpError(404, "Tables are served as CSV: add .csv to the address.");
    table.resize(table.size() - 4);
    auto quote = [](const json& text) { return analytics::csvField(text.get<std::string>()); };
    auto number = [](const json& x) { return x.is_number() ? analytics::shortestNumber(x.get<double>()) : std::string(); };
    auto cellColumns = [&](const json& cell) {
        if (cell.contains("failed")) return std::string(",,,,,,failed");
        if (cell.contains("hidden")) return ",,,,,," + quote(cell["hidden"].get<std::string>());
        const auto& ci = cell["ci95"];
        const auto& fav = cell["favorable"];
        return std::to_string(cell["n"].get<std::int64_t>()) + "," + number(cell["mean"]) + "," + number(cell["sd"]) + "," +
               (ci.is_array() ? number(ci[0]) + "," + number(ci[1]) : std::string(",")) + "," + number(fav["share"]) + ",";
    };
    const std::string figuresHeader = "n,mean,sd,ci95_lower,ci95_upper,favorable_share,hidden";

    std::string csv;
    if (table == "scales") {
        csv = "instrument,scale," + figuresHeader + ",alpha,alpha_ci95_lower,alpha_ci95_upper\n";
        for (const auto& scale : data["scales"]) {
            csv += quote(scale["instrument"]) + "," + quote(scale["scale"]) + "," + cellColumns(scale);
            if (scale.contains("reliability")) {
                const auto& r = scale["reliability"];
                csv += "," + number(r["alpha"]) + "," + (r["ci95"].is_array() ? number(r["ci95"][0]) + "," + number(r["ci95"][1]) : ",");
            } else {
                csv += ",,";
            }
            csv += "\n";
        }
    } else if (table == "items") {
        csv = "instrument,scale,item,reverse_keyed,code,count\n";
        for (const auto& scale : data["scales"]) {
            if (!scale.contains("items")) continue;
            for (const auto& item : scale["items"]) {
                const auto prefix = quote(scale["instrument"]) + "," + quote(scale["scale"]) + "," + quote(item["item"]) + "," +
                                    (item["reverseKeyed"].get<bool>() ? "1" : "0") + ",";
                for (const auto& option : scale["options"]) {
                    const auto code = std::to_string(option["code"].get<int>());
                    csv += prefix + code + "," + std::to_string(item["counts"].value(code, std::int64_t{0})) + "\n";
                }
                // An unscored answer ("don't know") is never a point of the scale: "unscored-9", not "9".
                const auto& unscoredOptions = scale.value("unscoredOptions", json::array());
                for (std::size_t u = 0; u < unscoredOptions.size() && item.contains("unscoredCounts"); ++u)
                    csv += prefix + "unscored-" + std::to_string(unscoredOptions[u]["code"].get<int>()) + "," +
                           std::to_string(item["unscoredCounts"][u].get<std::int64_t>()) + "\n";
                csv += prefix + "missing," + std::to_string(item["missing"].get<std::int64_t>()) + "\n";
            }
        }
    } else if (table.rfind("breakdown-", 0) == 0) {
        const auto question = table.substr(10);
        const json* breakdown = nullptr;
        for (const auto& b : data["breakdowns"])
            if (b["question"] == question) breakdown = &b;
        if (!breakdown) throw HttpError(404, "There is no breakdown by “" + question + "”.");
        csv = "scale,group," + figuresHeader + ",difference,difference_ci95_lower,difference_ci95_upper,hedges_g,q_value,gap_hidden\n";
        for (const auto& scale : (*breakdown)["scales"])
            for (const auto& cell : scale["cells"]) {
                if (cell.value("empty", false)) continue;
                csv += quote(scale["scale"]) + "," + quote(cell["category"]) + "," + cellColumns(cell);
                if (cell.contains("gap")) {
                    const auto& gap = cell["gap"];
                    csv += "," + number(gap["difference"]) + "," +
                           (gap.contains("welch") ? number(gap["welch"]["ci95"][0]) + "," + number(gap["welch"]["ci95"][1]) : ",") + "," +
                           (gap.contains("hedgesG") ? number(gap["hedgesG"]["g"]) : "") + "," + number(gap["q"]) + ",";
                } else {
                    csv += ",,,,," + (cell.contains("gapHidden") ? quote(cell["gapHidden"]) : "");
                }
                csv += "\n";
            }
    } else {
        throw HttpError(404, "There is no table called “" + table + "”; try scales, items or breakdown-<question>.");
    }
    return csvAttachment(std::move(csv), survey.id + "-" + table + ".csv");
}

Response publishRelease(const Site& site, const Request& request, const store::Account& account) {
    const auto& survey = surveyFor(site, request, account);
    const auto fields = request.readForm();
    const auto language = interfaceLanguage(formValue(fields, "lang"));
    const auto& t = messages(language);
    const auto back = "/leader/surveys/" + survey.id + "?lang=" + language;
    const auto csrf = csrfToken(request);
    auto message = [&](const std::string& heading, const std::string& text, int status) {
        json view{{"lang", language}, {"title", heading}, {"heading", heading}, {"message", text}, {"link", back}, {"linkText", t["backToProfile"]}};
        auto response = Response::html(renderPage("message", view), status);
        return keepCsrfToken(response, csrf, request);
    };
    if (!isCsrfValid(csrf, formValue(fields, "csrf"))) return message(t["errorTitle"], t["formExpired"], 403);
    const auto outcome = releases::publishRelease(site.store, survey, releases::kindFor(survey, site.today()), site.today());
    if (!outcome.release) {
        auto reason = outcome.refusal;  // a clause, as the command line prints it: a sentence here
        reason[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(reason[0])));
        return message(t["releaseRefusedTitle"], reason + ".", 409);
    }
    return Response::redirect(back + "&release=" + std::to_string(outcome.release->number));
}

}  // namespace mindset::web::handlers
