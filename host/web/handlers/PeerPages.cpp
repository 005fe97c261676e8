#include "web/handlers/PeerPages.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "analytics/NumberText.h"
#include "analytics/Peers.h"
#include "analytics/ProfileJson.h"
#include "web/Charts.h"
#include "web/LeaderFrame.h"
#include "web/Templates.h"

namespace mindset::web::handlers {

using nlohmann::json;

namespace {

/// Every district on this host with its surveys and their protected profiles.
analytics::PeerInput peerInput(const Site& site) {
    analytics::PeerInput input;
    for (const auto& district : districtsOf(site)) input.push_back({district.slug, district.name, districtYears(site, district.slug)});
    return input;
}

// Figures as the page's language writes them (analytics/NumberText).
std::string fixed(double x, const std::string& language) { return analytics::decimalText(x, 2, language); }

std::string percent(double share, const std::string& language) { return analytics::percentText(share, language); }

std::string count(std::size_t n) { return std::to_string(n); }

json quartilesJson(const analytics::Quartiles& q) { return {{"p25", q.lower}, {"median", q.median}, {"p75", q.upper}}; }

const sdk::Definition& instrumentOf(const surveys::SurveyDefinition& survey, const analytics::ScaleRef& ref) {
    return survey.instruments[ref.instrument].definition();
}

/// A district's standings as JSON: its own name and figures, its peers' count and quartiles, and
/// nothing that names or singles out another district.
json standingsJson(const District& district, const std::vector<analytics::PeerYearStanding>& standings, const std::string& language) {
    const auto& t = messages(language);
    const auto minimum = std::to_string(analytics::kMinPeerDistricts);
    json years = json::array();
    for (const auto& standing : standings) {
        const auto& survey = *standing.survey;
        json scales = json::array();
        for (const auto& scale : standing.scales) {
            const auto& instrument = instrumentOf(survey, scale.ref);
            json out{{"instrument", scale.instrumentKey},
                     {"instrumentTitle", instrument.title.in(language)},
                     {"scale", scale.scaleId},
                     {"title", instrument.scales[scale.ref.scale].title.in(language)},
                     {"scoreRange", analytics::scoreRangeJson(instrument, instrument.scales[scale.ref.scale])}};
            if (scale.withheld == analytics::PeerWithheld::TooFewDistricts) {
                out["withheld"] = analytics::peerWithheldCode(scale.withheld);
                out["districtsNeeded"] = scale.districtsNeeded;
                out["explanation"] = fillMessage(t["peersTooFew"], {{"minimum", minimum}, {"needed", count(scale.districtsNeeded)}});
            } else if (scale.withheld == analytics::PeerWithheld::OwnFigureHidden) {
                out["withheld"] = analytics::peerWithheldCode(scale.withheld);
                out["explanation"] = fillMessage(t["peersOwnHidden"], {{"minimum", std::to_string(survey.reportingThreshold())}});
            } else if (scale.withheld == analytics::PeerWithheld::OwnFigureFailed) {
                out["withheld"] = analytics::peerWithheldCode(scale.withheld);
                out["explanation"] = fillMessage(t["peersOwnFailed"], {{"instrument", scale.instrumentKey}});
            } else {
                out["peers"] = {{"districts", scale.peers->districts},
                                {"mean", quartilesJson(scale.peers->mean)},
                                {"favorable", quartilesJson(scale.peers->favorable)}};
                out["own"] = {{"mean", scale.mean->value},
                              {"meanQuarter", analytics::peerQuarterCode(scale.mean->quarter)},
                              {"favorable", scale.favorable->value},
                              {"favorableQuarter", analytics::peerQuarterCode(scale.favorable->quarter)}};
            }
            scales.push_back(out);
        }
        years.push_back({{"schoolYear", standing.schoolYear},
                         {"minGroupSize", survey.reportingThreshold()},
                         {"survey", {{"id", survey.id}, {"title", survey.title.in(survey.offersLanguage(language) ? language : survey.languages.front())}}},
                         {"scales", scales}});
    }
    return {{"district", {{"id", district.slug}, {"name", district.name}}},
            {"minPeerDistricts", analytics::kMinPeerDistricts},
            {"quantiles", "R: round(quantile(x, c(0.25, 0.5, 0.75), type = 7), 2) of the contributing districts' district-level figures"},
            {"years", years}};
}

std::string quarterText(const json& t, const std::string& code) {
    if (code == "lowest") return t["quarterLowest"];
    if (code == "second") return t["quarterSecond"];
    if (code == "third") return t["quarterThird"];
    return t["quarterHighest"];
}

/// Narrows the chart's axis from [least, most] to whole `step`s around its bands and markers (at
/// least two steps wide): peer districts often lie within a tenth of a point of each other, which
/// on the full 1-5 axis would draw every band as a line.
void fitAxis(charts::BandChart& chart, double least, double most, double step) {
    double low = most, high = least;
    for (const auto& row : chart.rows)
        for (const auto& value : {row.lower, row.upper, row.marker})
            if (value) low = std::min(low, *value), high = std::max(high, *value);
    if (low > high) return;
    low = std::max(least, std::floor(low / step) * step);
    high = std::min(most, std::ceil(high / step) * step);
    while (high - low < 2 * step - 1e-9) {
        if (high + step <= most + 1e-9) high += step;
        else low -= step;
    }
    chart.axisMin = low;
    chart.axisMax = high;
    chart.tickStep = (high - low) / step > 8 ? 2 * step : step;
}

/// One measure (mean or % favorable) of a school year: its band chart and its table.
json measureView(const json& year, const std::string& measure, const json& t, const std::string& language, const std::string& idPrefix) {
    const bool isMean = measure == "mean";
    auto show = [&](double x) { return isMean ? fixed(x, language) : percent(x, language); };
    charts::BandChart chart;
    chart.id = idPrefix + "-" + measure;
    chart.title = fillMessage(t[isMean ? "peersMeanChartTitle" : "peersFavorableChartTitle"], {{"schoolYear", year["schoolYear"]}});
    chart.description = t["peersChartDescription"];
    chart.axisLabel = isMean ? t["axisLabel"] : t["peersFavorableAxis"];
    if (!isMean) {
        chart.decimals = 0;
        chart.valueSuffix = "%";
    }
    chart.bandLegend = t["peersBandLegend"];
    chart.middleLegend = t["peersMedianLegend"];
    chart.markerLegend = t["peersYouLegend"];
    chart.decimalMark = analytics::decimalMarkOf(language);
    const double factor = isMean ? 1 : 100;

    json rows = json::array();
    bool isAnyShown = false;
    for (const auto& scale : year["scales"]) {
        json row{{"label", scale["title"]}};
        charts::BandRow band{scale["title"], std::nullopt, std::nullopt, std::nullopt, std::nullopt, ""};
        if (scale.contains("withheld")) {
            row["withheldText"] = scale["explanation"];
            band.note = scale["explanation"];
        } else {
            isAnyShown = true;
            const auto& q = scale["peers"][measure];
            const double own = scale["own"][measure].get<double>();
            row["districts"] = count(scale["peers"]["districts"].get<std::size_t>());
            row["band"] = show(q["p25"].get<double>()) + " – " + show(q["p75"].get<double>());
            row["median"] = show(q["median"].get<double>());
            row["own"] = show(own);
            row["quarter"] = quarterText(t, scale["own"][measure + "Quarter"].get<std::string>());
            band.lower = factor * q["p25"].get<double>();
            band.middle = factor * q["median"].get<double>();
            band.upper = factor * q["p75"].get<double>();
            band.marker = factor * own;
        }
        rows.push_back(row);
        chart.rows.push_back(std::move(band));
    }
    // Means stay on their instruments' own ranges: the axis spans the widest of them.
    double least = isMean ? 1 : 0, most = isMean ? 5 : 100;
    if (isMean && !year["scales"].empty()) {
        least = year["scales"][0]["scoreRange"][0].get<double>(), most = year["scales"][0]["scoreRange"][1].get<double>();
        for (const auto& scale : year["scales"])
            least = std::min(least, scale["scoreRange"][0].get<double>()), most = std::max(most, scale["scoreRange"][1].get<double>());
    }
    fitAxis(chart, least, most, isMean ? 0.5 : 10);
    json view{{"title", isMean ? t["peersMeanTitle"] : t["peersFavorableTitle"]},
              {"caption", fillMessage(t[isMean ? "peersMeanCaption" : "peersFavorableCaption"], {{"schoolYear", year["schoolYear"]}})},
              {"rows", rows}};
    // Without a single band the chart would only repeat the table's sentences.
    if (isAnyShown) view["chart"] = charts::bandChart(chart);
    return view;
}

/// The fragment for one school year (templates/peer-year.mustache).
std::string yearFragment(const json& year, const std::string& heading, const std::string& language) {
    const auto& t = messages(language);
    std::string idPrefix = "peers-" + year["schoolYear"].get<std::string>();
    for (auto& c : idPrefix)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '-';
    json view{{"t", t},
              {"id", idPrefix},
              {"heading", heading},
              {"surveyLine", fillMessage(t["peersSurveyLine"], {{"title", year["survey"]["title"]}})},
              {"rule", fillMessage(t["peersRule"], {{"minimum", std::to_string(analytics::kMinPeerDistricts)}})}};
    // When no scale is compared, and all for the same reason, one sentence says it for the year
    // rather than the same sentence in every row of two tables.
    std::set<std::string> reasons;  // code and districts needed
    bool isAnyShown = false;
    for (const auto& scale : year["scales"]) {
        if (scale.contains("withheld")) reasons.insert(scale["withheld"].get<std::string>() + "/" + scale.value("districtsNeeded", json(0)).dump());
        else isAnyShown = true;
    }
    const auto& first = year["scales"].empty() ? json() : year["scales"][0];
    if (!isAnyShown && reasons.size() == 1 && first["withheld"] == analytics::peerWithheldCode(analytics::PeerWithheld::TooFewDistricts))
        view["withheldText"] = fillMessage(t["peersYearTooFew"], {{"minimum", std::to_string(analytics::kMinPeerDistricts)},
                                                                  {"needed", first["districtsNeeded"].dump()}});
    else if (!isAnyShown && reasons.size() == 1)
        view["withheldText"] = fillMessage(t["peersYearOwnHidden"], {{"minimum", std::to_string(year["minGroupSize"].get<int>())}});
    else view["measures"] = json::array({measureView(year, "mean", t, language, idPrefix), measureView(year, "favorable", t, language, idPrefix)});
    return render("peer-year", view);
}

std::string languageOf(const Request& request) { return interfaceLanguage(request.queryValue("lang")); }

std::string peersPath(const std::string& districtSlug) { return "/leader/districts/" + districtSlug + "/peers"; }

}  // namespace

Response peersPage(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto language = languageOf(request);
    const auto& t = messages(language);
    const auto data = standingsJson(district, analytics::peerStandings(peerInput(site), district.slug), language);
    json years = json::array();
    for (const auto& year : data["years"])
        years.push_back({{"html", yearFragment(year, fillMessage(t["peersYearTitle"], {{"schoolYear", year["schoolYear"]}}), language)}});
    const auto path = peersPath(district.slug);
    json view{{"lang", language},
              {"title", fillMessage(t["peersTitle"], {{"district", district.name}})},
              {"isWide", true},
              {"years", years},
              {"hasYears", !years.empty()},
              {"apiHref", "/api/districts/" + district.slug + "/peers?lang=" + language},
              {"csvHref", path + ".csv"},
              {"leaderHref", "/leader?lang=" + language}};
    addLeaderFrame(view, site, district.slug, path, "", language);
    return Response::html(renderPage("peers", view));
}

Response peersApi(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto language = languageOf(request);
    auto data = standingsJson(district, analytics::peerStandings(peerInput(site), district.slug), language);
    for (auto& year : data["years"]) {  // which release of its own survey each year reads
        const auto* survey = site.catalog.find(year["survey"]["id"].get<std::string>());
        if (!survey) continue;
        if (const auto release = releaseOf(site, *survey).selected) year["survey"]["release"] = releaseJson(release->record, *survey, language);
    }
    return {200, "application/json; charset=utf-8", data.dump(2), {}};
}

Response peersCsv(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto standings = analytics::peerStandings(peerInput(site), district.slug);
    Response response{200, "text/csv; charset=utf-8", analytics::peerStandingsToCsv(standings), {}};
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + district.slug + "-peers.csv\"");
    return response;
}

}  // namespace mindset::web::handlers
