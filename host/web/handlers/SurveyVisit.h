#pragma once
/// One respondent's request about one survey, as every respondent page sees it: the survey, the
/// language, the CSRF cookie, and the parts every page shares (the layout's view with the language
/// switch, a message page, the page shown outside the survey's window).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "surveys/ResponseEncoding.h"
#include "web/Http.h"
#include "web/Site.h"
#include "web/Templates.h"

namespace mindset::web::handlers::respondent {

/// The double-submit CSRF cookie of the respondent's forms.
inline constexpr const char* kCsrfCookie = "mindset_csrf";
/// The `action` of a language button on a form page: this prefix and the language code.
inline constexpr std::string_view kLanguageAction = "language:";

/// True for 32 lowercase hexadecimal digits (the tokens in cookies and forms).
bool isHexToken(const std::string& text);

/// One request about one survey: who is asking, in which language, and the CSRF cookie.
struct Visit {
    const Site& site;
    const Request& request;
    const surveys::SurveyDefinition& survey;
    std::string language;
    std::string csrf;
    bool isNewCsrf = false;

    const nlohmann::json& t() const { return messages(language); }
    std::string path(const std::string& rest = {}) const { return "/surveys/" + survey.id + rest; }
    std::string withLanguage(const std::string& path) const { return path + "?lang=" + language; }
    std::string today() const { return formatDate(site.today()); }
    std::string draftCookie() const { return "mindset_draft_" + survey.id; }

    /// Sets the CSRF cookie on `response` if this visit created it.
    Response finish(Response response) const {
        if (isNewCsrf) response.setCookie(kCsrfCookie, csrf, std::string("Path=/; HttpOnly; SameSite=Strict") + secure());
        return response;
    }
    /// "; Secure" when the browser came over HTTPS: its cookies then never travel in clear.
    std::string secure() const { return request.isSecure ? "; Secure" : ""; }
};

/// Opens the visit of the survey in the path (404 if there is none) in `requestedLanguage`, or
/// the survey's first language when it does not offer that one.
Visit visit(const Site& site, const Request& request, const std::string& requestedLanguage);

/// Reads a POSTed form, checks its CSRF token against the cookie (403 otherwise), and opens the visit.
std::pair<Visit, surveys::FormFields> postedVisit(const Site& site, const Request& request);

/// The page's view with the survey and the language switch. On a form page (`answersForm` is
/// the form's id) each language is a submit button of that form, not a link.
nlohmann::json baseView(const Visit& v, const std::string& title, const std::string& answersForm = {});

/// A page with a heading, a message and optionally one link.
Response messagePage(const Visit& v, int status, const std::string& heading, const std::string& message,
                     const std::string& link = {}, const std::string& linkText = {});

/// The survey's landing page: Start (with the access-code field and its `codeError`, `code`),
/// Continue when this browser has a draft, and the resume-code field (with `resumeError` and the
/// `resumeCode` typed); `problems` are listed at the top. With a `testToken` (the survey's test
/// link) the page says it is a test run, asks no code, and Start begins a test draft.
Response landingView(const Visit& v, int status, const std::string& codeError = {}, const std::string& code = {},
                     const std::vector<std::string>& problems = {}, const std::string& resumeError = {},
                     const std::string& resumeCode = {}, const std::string& testToken = {});

/// The page shown outside the survey's window, or nullopt while it is open.
std::optional<Response> windowPage(const Visit& v, int status);

}  // namespace mindset::web::handlers::respondent
