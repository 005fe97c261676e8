#include "web/handlers/ParticipationPages.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "analytics/NumberText.h"
#include "analytics/Participation.h"
#include "releases/Releases.h"
#include "web/DistrictData.h"
#include "web/LeaderFrame.h"
#include "web/Templates.h"

namespace mindset::web::handlers {

using nlohmann::json;

namespace {

/// Participation as it may be read today: while the survey is open (or nothing is released yet)
/// live counts in bands; otherwise the latest release's counts, exact but protected. `release` is
/// set to the release read, if any.
analytics::Participation participationNow(const Site& site, const surveys::SurveyDefinition& survey,
                                          std::optional<store::ReleaseRecord>& release) {
    std::vector<analytics::SchoolCodes> codes;
    if (survey.access == surveys::Access::AccessCodes)
        for (const auto& count : site.store.accessCodeCounts(survey.storeId)) codes.push_back({count.schoolSlug, count.valid(), count.used});
    if (!survey.isOpenOn(site.today())) {
        if (const auto latest = releaseOf(site, survey).selected) {
            release = latest->record;
            return analytics::participationOf(survey, latest->profile, codes);
        }
    }
    auto participation = analytics::participationOf(
        survey, analytics::countRespondents(survey, releases::releaseResponses(site.store, survey, 0)), codes);
    analytics::bandLiveCounts(participation);
    return participation;
}


/// A bar for a rate, drawn to scale up to 100%; decorative, as the rate is written beside it.
std::string rateBar(double share) {
    char width[16];
    std::snprintf(width, sizeof width, "%.1f", 100 * std::clamp(share, 0.0, 1.0));
    return std::string("<svg class=\"rate-bar\" viewBox=\"0 0 100 10\" width=\"100\" height=\"10\" aria-hidden=\"true\" focusable=\"false\">"
                       "<rect class=\"rate-bar-track\" width=\"100\" height=\"10\"/><rect class=\"rate-bar-fill\" width=\"") +
           width + "\" height=\"10\"/></svg>";
}

json rowView(const analytics::ParticipationRow& row, int minimum, const std::string& language, const json& t) {
    json view{{"label", row.label.in(language)}};
    view["expected"] = row.expected ? std::to_string(*row.expected) : t["notAvailable"].get<std::string>();
    if (row.band) {
        view["responded"] = fillMessage(t["countBand"], {{"low", std::to_string(row.band->low)}, {"high", std::to_string(row.band->high)}});
        view["rate"] = row.rateBand ? fillMessage(t["rateBand"], {{"low", std::to_string(row.rateBand->first)},
                                                                  {"high", std::to_string(row.rateBand->second)}})
                                    : t["notAvailable"].get<std::string>();
        return view;
    }
    // The same words whether the row is small or hidden to protect a small one: saying which would
    // point at the small ones.
    if (row.hidden != analytics::HiddenBecause::Shown || !row.responded.exact) {
        view["responded"] = fillMessage(t["participationHidden"], {{"min", std::to_string(minimum)}});
        view["rate"] = t["notAvailable"];
        return view;
    }
    view["responded"] = std::to_string(*row.responded.exact);
    if (row.rate) {
        view["rate"] = analytics::percentText(*row.rate, language);
        view["bar"] = rateBar(*row.rate);
    } else {
        view["rate"] = t["notAvailable"];
    }
    return view;
}

}  // namespace

namespace {

/// The section's view; `namesSurvey`: its first line names the survey, for pages that show others too.
json sectionView(const Site& site, const surveys::SurveyDefinition& survey, const std::string& language, bool namesSurvey) {
    const auto& t = messages(language);
    std::optional<store::ReleaseRecord> release;
    const auto participation = participationNow(site, survey, release);
    const auto window = analytics::windowState(survey, site.today());
    const auto surveyLanguage = survey.offersLanguage(language) ? language : survey.languages.front();

    json view{{"lang", language}, {"sectionId", "participation-" + survey.id}};
    if (namesSurvey) view["surveyTitle"] = survey.title.in(surveyLanguage);
    const std::map<std::string, std::string> dates{{"opens", formatDate(survey.opens)}, {"closes", formatDate(survey.closes)}};
    view["windowText"] = participation.bandWidth > 0 && window == "open"
                             ? fillMessage(t["participationLive"], {{"closes", formatDate(survey.closes)}, {"band", std::to_string(participation.bandWidth)}})
                             : fillMessage(t[window == "closed" ? "participationClosed" : "participationNotYetOpen"], dates);
    if (release) view["windowText"] = view["windowText"].get<std::string>() + " " +
                                      fillMessage(t["participationFromRelease"], {{"release", releaseLabel(*release, survey, language)}});
    view["isOpen"] = window == "open";

    const auto& district = participation.district;
    const auto districtRow = rowView(district, participation.minGroupSize, language, t);
    view["summary"] = district.expected ? fillMessage(t["participationSummary"], {{"responded", districtRow["responded"]},
                                                                                 {"expected", districtRow["expected"]},
                                                                                 {"rate", districtRow["rate"]}})
                                        : fillMessage(t["participationSummaryNoExpected"], {{"responded", districtRow["responded"]}});
    if (district.rate) view["summaryBar"] = rateBar(*district.rate);

    using analytics::ExpectedFrom;
    view["expectedColumn"] = t[participation.expectedFrom == ExpectedFrom::AccessCodes ? "expectedCodesColumn" : "expectedStaffColumn"];
    view["sourceNote"] = t[participation.expectedFrom == ExpectedFrom::AccessCodes ? "participationFromCodes"
                           : participation.expectedFrom == ExpectedFrom::StaffCounts ? "participationFromStaff"
                                                                                      : "participationNoStaff"];
    json schools = json::array(), roles = json::array();
    for (const auto& row : participation.schools) schools.push_back(rowView(row, participation.minGroupSize, language, t));
    for (const auto& row : participation.roles) roles.push_back(rowView(row, participation.minGroupSize, language, t));
    view["schools"] = schools;
    view["hasSchools"] = !schools.empty();
    view["roles"] = roles;
    view["hasRoles"] = !roles.empty();
    view["rolesNote"] = participation.hasRoleStaff ? json("") : t["participationNoRoleStaff"];
    view["privacyNote"] = participation.bandWidth > 0
                              ? fillMessage(t["participationLivePrivacy"], {{"band", std::to_string(participation.bandWidth)}})
                              : fillMessage(t["participationPrivacy"], {{"min", std::to_string(participation.minGroupSize)},
                                                                        {"max", std::to_string(participation.minGroupSize - 1)}});
    return view;
}

std::string renderSection(const Site& site, const surveys::SurveyDefinition& survey, const std::string& language, bool namesSurvey) {
    return renderFragment("participation-section", sectionView(site, survey, language, namesSurvey));
}

}  // namespace

std::string participationSection(const Site& site, const surveys::SurveyDefinition& survey, const std::string& language) {
    return renderSection(site, survey, language, true);
}

json participationView(const Site& site, const surveys::SurveyDefinition& survey, const std::string& language) {
    return sectionView(site, survey, language, true);
}

Response participationPage(const Site& site, const Request& request, const store::Account& account) {
    const auto& survey = surveyFor(site, request, account);
    const auto language = interfaceLanguage(request.queryValue("lang"));
    const auto& t = messages(language);
    const auto surveyLanguage = survey.offersLanguage(language) ? language : survey.languages.front();
    json view{{"lang", language},
              {"title", t["participationTitle"].get<std::string>() + ": " + survey.title.in(surveyLanguage)},
              {"surveyTitle", survey.title.in(surveyLanguage)},
              {"district", survey.districtName},
              {"schoolYear", survey.schoolYear},
              {"section", renderSection(site, survey, language, false)},
              {"profileHref", "/leader/surveys/" + survey.id + "?lang=" + language},
              {"apiHref", "/api/surveys/" + survey.id + "/participation?lang=" + language},
              {"isWide", true}};
    addLeaderFrame(view, site, survey.districtId, "/leader/surveys/" + survey.id + "/participation", "", language);
    return Response::html(renderPage("participation", view));  // HTML is never cached (HttpServer): the counts stay live
}

Response participationApi(const Site& site, const Request& request, const store::Account& account) {
    const auto& survey = surveyFor(site, request, account);
    const auto language = interfaceLanguage(request.queryValue("lang"));
    std::optional<store::ReleaseRecord> release;
    auto data = analytics::participationToJson(participationNow(site, survey, release), survey, language, site.today());
    data["release"] = release ? releaseJson(*release, survey, language) : json();
    Response response{200, "application/json; charset=utf-8", data.dump(2), {}};
    response.headers.emplace_back("Cache-Control", "no-store");  // live counts
    return response;
}

}  // namespace mindset::web::handlers
