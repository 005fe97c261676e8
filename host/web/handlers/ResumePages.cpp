#include "web/handlers/ResumePages.h"

#include "store/ResumeCode.h"
#include "web/handlers/DraftAccess.h"
#include "web/handlers/SurveyVisit.h"

namespace mindset::web::handlers {

using namespace respondent;

namespace {

/// Asks before a resume code's answers take the place of the answers saved on this device.
Response replaceDraftPage(const Visit& v, const OpenDraft& own, const std::string& typedCode) {
    const auto& t = v.t();
    auto view = baseView(v, t["resumeReplaceTitle"]);
    view["continueHref"] = resumePath(v, own);
    view["resumeAction"] = v.path("/resume");
    view["resumeCode"] = typedCode;
    // Holds the typed code: never cached (the boundary's no-store), never logged.
    return v.finish(Response::html(renderPage("resume-replace", view)));
}

}  // namespace

Response createResumeCode(const Site& site, const Request& request) {
    const auto [v, fields] = postedVisit(site, request);
    if (auto closed = windowPage(v, 403)) return *closed;
    const auto draft = currentDraft(v);
    if (!draft) return v.finish(Response::redirect(v.withLanguage(v.path()) + "&resume=missing"));

    const auto code = store::newResumeCode();
    const auto normalized = store::normalizeResumeCode(code);
    const store::ResumeCodeRecord record{store::resumeCodeHash(normalized), draft->tokenHash,
                                         store::wrapDraftToken(normalized, draft->token)};
    if (!site.store.setResumeCode(record)) return v.finish(Response::redirect(v.withLanguage(v.path()) + "&resume=missing"));

    const auto& t = v.t();
    auto view = baseView(v, t["resumeCodeTitle"]);
    view["code"] = code;
    view["resumeCodeText"] = fillMessage(t["resumeCodeText"], {{"closes", formatDate(v.survey.closes)}});
    view["continueHref"] = resumePath(v, *draft);
    // The code is in this page only: never cached (the boundary's no-store), never logged.
    return v.finish(Response::html(renderPage("resume-code", view)));
}

Response resumeWithCode(const Site& site, auth::LoginThrottle& throttle, const Request& request) {
    const auto [v, fields] = postedVisit(site, request);
    if (auto closed = windowPage(v, 403)) return *closed;
    const auto& t = v.t();
    const auto typed = formValue(fields, "resumeCode").substr(0, 64);
    // Only the address is counted: there is no name to count, and a count per survey would let
    // anyone lock every respondent out with a few wrong codes.
    if (const auto wait = throttle.retryAfter({}, request.clientAddress)) {
        const auto minutes = std::to_string((wait->count() + 59) / 60);
        auto response = messagePage(v, 429, t["resumeThrottledTitle"], fillMessage(t["resumeThrottledText"], {{"minutes", minutes}}),
                                    v.withLanguage(v.path()), t["backToSurvey"]);
        response.headers.emplace_back("Retry-After", std::to_string(wait->count()));
        return response;
    }
    if (typed.empty()) return landingView(v, 400, {}, {}, {}, t["resumeCodeMissing"], typed);
    const auto code = store::normalizeResumeCode(typed);
    // A mistyped code (wrong length or character) says so, and is not a guess: it is not counted.
    if (code.empty()) return landingView(v, 400, {}, {}, {}, t["resumeCodeMalformed"], typed);
    // This device's own saved answers would be out of its reach once the code's draft takes the
    // cookie: ask first (the code is not used until then).
    if (const auto own = currentDraft(v); own && formValue(fields, "replaceDraft") != "yes") return replaceDraftPage(v, *own, typed);

    const auto wrapped = site.store.takeResumeCode(v.survey.storeId, store::resumeCodeHash(code), v.today());
    const auto token = wrapped ? store::unwrapDraftToken(code, *wrapped) : std::nullopt;
    const auto draft = token ? openDraftWith(v, *token) : std::nullopt;
    if (!draft) {
        throttle.recordFailure({}, request.clientAddress);
        return landingView(v, 400, {}, {}, {}, t["resumeCodeUnknown"], typed);
    }
    auto redirect = Response::redirect(resumePath(v, *draft));
    setDraftCookie(v, redirect, draft->token);
    return v.finish(std::move(redirect));
}

}  // namespace mindset::web::handlers
