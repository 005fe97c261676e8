#include "web/handlers/SurveyVisit.h"

#include <algorithm>

#include "store/Tokens.h"

namespace mindset::web::handlers::respondent {

using nlohmann::json;

namespace {

/// Where a language link of this page leads: the page itself, but for pages answered to a POST
/// that has no page of its own (a start refused or asked about, a one-page form refused), whose
/// language links lead to the landing page and the one-page form.
std::string languageLinkPath(const Visit& v) {
    // The resume-code pages too: the code is shown once, and switching language must not make another.
    if (v.request.path == v.path("/start") || v.request.path == v.path("/resume") || v.request.path == v.path("/resume-code"))
        return v.path();
    if (v.request.path == v.path("/responses")) return v.path("/all");
    return v.request.path;
}

}  // namespace

bool isHexToken(const std::string& text) {
    return text.size() == 32 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

Visit visit(const Site& site, const Request& request, const std::string& requestedLanguage) {
    const auto& id = request.pathParams.at("survey");
    const auto* survey = site.catalog.find(id);
    if (!survey) throw HttpError(404, fillMessage(messages(interfaceLanguage(requestedLanguage))["unknownSurvey"], {{"id", id}}));
    Visit v{site, request, *survey, survey->offersLanguage(requestedLanguage) ? requestedLanguage : survey->languages.front(), {}, false};
    v.csrf = request.cookie(kCsrfCookie);
    if (!isHexToken(v.csrf)) {
        v.csrf = store::randomToken();
        v.isNewCsrf = true;
    }
    return v;
}

std::pair<Visit, surveys::FormFields> postedVisit(const Site& site, const Request& request) {
    auto fields = request.readForm();
    auto v = visit(site, request, formValue(fields, "lang"));
    const auto sent = formValue(fields, "csrf");
    if (v.isNewCsrf || sent.size() != v.csrf.size() ||
        !std::equal(sent.begin(), sent.end(), v.csrf.begin()))
        throw HttpError(403, v.t()["formExpired"]);
    return {std::move(v), std::move(fields)};
}

json baseView(const Visit& v, const std::string& title, const std::string& answersForm) {
    const auto linkPath = languageLinkPath(v);
    json links = json::array();
    if (v.survey.languages.size() > 1)
        for (const auto& language : v.survey.languages)
            links.push_back({{"code", language},
                             {"label", messages(language)["languageName"]},
                             {"href", linkPath + "?lang=" + language},
                             // Names no other page's view uses: mustache looks a name missing from a
                             // link up in the page's view (a goal page has a "form").
                             {"switchForm", answersForm},
                             {"switchAction", std::string(kLanguageAction) + language},
                             {"current", language == v.language}});
    return {{"lang", v.language},
            {"title", title},
            {"csrf", v.csrf},
            {"languageLinks", links},
            {"survey",
             {{"id", v.survey.id},
              {"title", v.survey.title.in(v.language)},
              {"introduction", v.survey.introduction.byLanguage.empty() ? "" : v.survey.introduction.in(v.language)},
              {"districtName", v.survey.districtName},
              {"schoolYear", v.survey.schoolYear}}}};
}

Response messagePage(const Visit& v, int status, const std::string& heading, const std::string& message,
                     const std::string& link, const std::string& linkText) {
    auto view = baseView(v, heading);
    view["heading"] = heading;
    view["message"] = message;
    view["link"] = link;
    view["linkText"] = linkText;
    return v.finish(Response::html(renderPage("message", view), status));
}

std::optional<Response> windowPage(const Visit& v, int status) {
    const auto today = v.site.today();
    if (v.survey.isOpenOn(today)) return std::nullopt;
    const auto& t = v.t();
    const auto text = today < v.survey.opens ? fillMessage(t["notYetOpenText"], {{"opens", formatDate(v.survey.opens)}})
                                             : fillMessage(t["closedText"], {{"closes", formatDate(v.survey.closes)}});
    return messagePage(v, status, t["closedTitle"], text);
}

}  // namespace mindset::web::handlers::respondent
