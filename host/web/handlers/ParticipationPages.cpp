#include "web/handlers/ParticipationPages.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "analytics/Participation.h"
#include "web/DistrictData.h"
#include "web/Templates.h"

namespace mindset::web::handlers {

using nlohmann::json;

namespace {

analytics::Participation participationNow(const Site& site, const surveys::SurveyDefinition& survey) {
    std::vector<analytics::SchoolCodes> codes;
    if (survey.access == surveys::Access::AccessCodes)
        for (const auto& count : site.store.accessCodeCounts(survey.storeId)) codes.push_back({count.schoolSlug, count.issued, count.used});
    // profileOf rebuilds the profile whenever the number of responses changed: live counts.
    return analytics::participationOf(survey, *profileOf(site, survey), codes);
}

std::string percent(double share) {
    char text[16];
    std::snprintf(text, sizeof text, "%.0f%%", 100 * share);
    return text;
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
    if (row.hidden == analytics::HiddenBecause::ComplementaryProtection) {
        view["responded"] = fillMessage(t["participationWithheld"], {{"min", std::to_string(minimum)}});
        view["rate"] = t["notAvailable"];
        return view;
    }
    view["responded"] = row.responded.exact ? std::to_string(*row.responded.exact)
                                            : fillMessage(t["fewerThan"], {{"min", std::to_string(row.responded.fewerThan)}});
    if (row.rate) {
        view["rate"] = percent(*row.rate);
        view["bar"] = rateBar(*row.rate);
    } else if (row.rateBelow) {
        // Rounded up, so that "under" stays true for every count the bound stands for.
        view["rate"] = fillMessage(t["rateBelow"], {{"rate", percent(std::ceil(100 * std::min(*row.rateBelow, 1.0)) / 100)}});
    } else {
        view["rate"] = t["notAvailable"];
    }
    return view;
}

}  // namespace

namespace {

/// The section; `namesSurvey`: its first line names the survey, for pages that show others too.
std::string renderSection(const Site& site, const surveys::SurveyDefinition& survey, const std::string& language, bool namesSurvey) {
    const auto& t = messages(language);
    const auto participation = participationNow(site, survey);
    const auto window = analytics::windowState(survey, site.today());
    const auto surveyLanguage = survey.offersLanguage(language) ? language : survey.languages.front();

    json view{{"lang", language}, {"sectionId", "participation-" + survey.id}};
    if (namesSurvey) view["surveyTitle"] = survey.title.in(surveyLanguage);
    const std::map<std::string, std::string> dates{{"opens", formatDate(survey.opens)}, {"closes", formatDate(survey.closes)}};
    view["windowText"] = fillMessage(t[window == "open" ? "participationOpen" : window == "closed" ? "participationClosed" : "participationNotYetOpen"], dates);
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
    view["privacyNote"] = fillMessage(t["participationPrivacy"], {{"min", std::to_string(participation.minGroupSize)},
                                                                  {"max", std::to_string(participation.minGroupSize - 1)}});
    return renderFragment("participation-section", view);
}

}  // namespace

std::string participationSection(const Site& site, const surveys::SurveyDefinition& survey, const std::string& language) {
    return renderSection(site, survey, language, true);
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
    return Response::html(renderPage("participation", view));  // HTML is never cached (HttpServer): the counts stay live
}

Response participationApi(const Site& site, const Request& request, const store::Account& account) {
    const auto& survey = surveyFor(site, request, account);
    const auto language = interfaceLanguage(request.queryValue("lang"));
    const auto data = analytics::participationToJson(participationNow(site, survey), survey, language, site.today());
    Response response{200, "application/json; charset=utf-8", data.dump(2), {}};
    response.headers.emplace_back("Cache-Control", "no-store");  // live counts
    return response;
}

}  // namespace mindset::web::handlers
