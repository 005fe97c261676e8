#include "web/handlers/AccountPages.h"

#include <map>

#include "auth/Passwords.h"
#include "auth/Sessions.h"
#include "auth/Usernames.h"
#include "web/Csrf.h"
#include "web/DistrictData.h"
#include "web/LeaderFrame.h"
#include "web/SignIn.h"
#include "web/Templates.h"
#include "web/handlers/SchoolPages.h"

namespace mindset::web::handlers {

using nlohmann::json;

namespace {

using FormFields = std::vector<std::pair<std::string, std::string>>;

std::string leaderPath(const std::string& language) { return "/leader?lang=" + language; }

/// What the sign-in form shows.
struct SignInForm {
    std::string language;
    CsrfToken csrf;
    std::string next;
    std::string username;
    std::string error;   ///< why the last attempt did not sign in
    std::string notice;  ///< e.g. "You are signed out."
};

Response signInFormPage(const Site& site, const Request& request, const SignInForm& form, int status) {
    const auto& t = messages(form.language);
    // With single sign-on configured, its button comes first: it is how most leaders sign in.
    json singleSignOn;
    if (site.oidcProvider)
        singleSignOn = {{"href", "/login/oidc?next=" + encodeQueryValue(form.next) + "&lang=" + form.language},
                        {"text", fillMessage(t["signInWith"], {{"provider", site.oidcProvider->config().providerName}})}};
    json view{{"lang", form.language},
              {"singleSignOn", singleSignOn},
              {"title", t["signInTitle"]},
              {"csrf", form.csrf.value},
              {"next", form.next},
              {"username", form.username},
              {"error", form.error},
              {"notice", form.notice},
              {"languageLinks", languageLinks(form.language, form.next == leaderPath(form.language)
                                                                 ? std::string("/login")
                                                                 : "/login?next=" + encodeQueryValue(form.next))}};
    auto response = Response::html(renderPage("login", view), status);
    if (status == 401)
        response.headers.emplace_back("WWW-Authenticate",
                                      std::string(R"(Cookie realm="Mindset", form-action="/login", cookie-name=")") + kSessionCookie + "\"");
    return keepCsrfToken(response, form.csrf, request);
}

}  // namespace

Response signInPage(const Site& site, const Request& request) {
    const auto language = interfaceLanguage(request.queryValue("lang"));
    const auto next = safeNextPath(request.queryValue("next")).value_or(leaderPath(language));
    if (signedInAccount(site, request)) return Response::redirect(next);
    const auto notice = request.queryValue("signedout") == "1" ? messages(language)["signedOut"].get<std::string>() : "";
    return signInFormPage(site, request, {language, csrfToken(request), next, {}, {}, notice}, 200);
}

Response signIn(const Site& site, auth::LoginThrottle& throttle, const Request& request) {
    const auto fields = request.readForm();
    const auto language = interfaceLanguage(formValue(fields, "lang"));
    const auto& t = messages(language);
    SignInForm form{language, csrfToken(request), safeNextPath(formValue(fields, "next")).value_or(leaderPath(language)),
                    auth::normalizeUsername(formValue(fields, "username")), {}, {}};
    if (!isCsrfValid(form.csrf, formValue(fields, "csrf"))) {
        form.error = t["signInFormExpired"];
        return signInFormPage(site, request, form, 403);
    }

    // An impossible username is still throttled and still costs a verification, under one key,
    // so that it answers exactly like a wrong password and cannot fill the throttle's memory.
    const auto throttleKey = auth::isValidUsername(form.username) ? form.username : std::string();
    const auto address = clientAddress(request);
    if (const auto wait = throttle.retryAfter(throttleKey, address)) {
        const auto minutes = (wait->count() + 59) / 60;
        form.error = fillMessage(t["signInThrottled"], {{"minutes", std::to_string(minutes)}});
        auto response = signInFormPage(site, request, form, 429);
        response.headers.emplace_back("Retry-After", std::to_string(wait->count()));
        return response;
    }

    const auto password = formValue(fields, "password");
    const auto account = throttleKey.empty() ? std::nullopt : site.store.findAccountByUsername(throttleKey);
    bool isRight = false;
    // A single sign-on account has no password here: it fails like a wrong password, in the same time.
    if (account && !account->isSingleSignOn()) isRight = auth::verifyPassword(password, account->passwordHash);
    else auth::verifyAgainstDummy(password);  // same time as a wrong password: existence stays secret
    if (!isRight) {
        throttle.recordFailure(throttleKey, address);
        form.error = t["signInFailed"];
        return signInFormPage(site, request, form, 401);
    }

    throttle.recordSuccess(throttleKey);
    auto response = Response::redirect(form.next);
    startSignedInSession(site, request, account->id, response);
    return keepCsrfToken(response, form.csrf, request);
}

Response signOut(const Site& site, const Request& request) {
    const auto fields = request.readForm();
    const auto language = interfaceLanguage(formValue(fields, "lang"));
    const auto& t = messages(language);
    const auto csrf = csrfToken(request);
    if (!isCsrfValid(csrf, formValue(fields, "csrf"))) {
        json view{{"lang", language}, {"title", t["errorTitle"]}, {"heading", t["errorTitle"]}, {"message", t["formExpired"]},
                  {"link", leaderPath(language)}, {"linkText", t["leaderTitle"]}};
        auto response = Response::html(renderPage("message", view), 403);
        return keepCsrfToken(response, csrf, request);
    }
    auth::endSession(site.store, request.cookie(kSessionCookie));
    auto response = Response::redirect("/login?lang=" + language + "&signedout=1");
    response.setCookie(kSessionCookie, "", sessionCookieAttributes(request) + "; Max-Age=0");
    return response;
}

Response leaderHome(const Site& site, const Request& request, const store::Account& account) {
    const auto language = interfaceLanguage(request.queryValue("lang"));
    const auto& t = messages(language);
    // One section per district the account may see: what compares its years, its goals and its
    // standing among peers, then each school year's profile.
    json districts = json::array();
    for (const auto& district : districtsOf(site)) {
        if (!maySeeDistrict(account, district.slug)) continue;
        const auto base = "/leader/districts/" + district.slug;
        json surveys = json::array();
        for (const auto* visible : visibleSurveys(site, account)) {
            const auto& survey = *visible;
            if (survey.districtId != district.slug) continue;
            const auto surveyLanguage = survey.offersLanguage(language) ? language : survey.languages.front();
            surveys.push_back({{"href", "/leader/surveys/" + survey.id + "?lang=" + language},
                               {"title", survey.title.in(surveyLanguage)},
                               {"schoolYear", survey.schoolYear},
                               {"dates", fillMessage(t["surveyDates"], {{"opens", formatDate(survey.opens)}, {"closes", formatDate(survey.closes)}})}});
        }
        districts.push_back({{"slug", district.slug},
                             {"name", district.name},
                             {"summaryHref", base + "/summary?lang=" + language},
                             {"summaryText", fillMessage(t["summaryLink"], {{"district", district.name}})},
                             {"compareHref", base + "?lang=" + language},
                             {"compareText", fillMessage(t["compareLink"], {{"district", district.name}})},
                             {"goalsHref", base + "/goals?lang=" + language},
                             {"peersHref", base + "/peers?lang=" + language},
                             {"surveys", surveys}});
    }
    const auto csrf = csrfToken(request);
    json view{{"lang", language},
              {"title", t["leaderTitle"]},
              {"school", account.isSchoolScoped() ? schoolHomeView(site, account, language) : json()},
              {"districts", districts},
              {"hasDistricts", !districts.empty() || account.isSchoolScoped()},
              {"networkHref", account.districtSlug ? json() : json("/network?lang=" + language)},
              {"csrf", csrf.value},
              {"signedInAs", fillMessage(t["signedInAs"], {{"username", account.username}})},
              {"languageLinks", languageLinks(language, "/leader")},
              {"homeHref", leaderHomeHref(language)}};
    auto response = Response::html(renderPage("leader", view));
    return keepCsrfToken(response, csrf, request);
}

}  // namespace mindset::web::handlers
