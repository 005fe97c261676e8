#include "web/handlers/SurveyPages.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string_view>
#include <variant>

#include <Poco/URI.h>

#include "releases/Releases.h"
#include "store/DraftSeal.h"
#include "store/Tokens.h"
#include "surveys/Comments.h"
#include "surveys/ResponseEncoding.h"
#include "web/CodeSchool.h"
#include "web/DraftContents.h"
#include "web/DraftLimits.h"
#include "web/PageCache.h"
#include "web/Templates.h"
#include "web/handlers/DraftAccess.h"
#include "web/handlers/SurveyVisit.h"

namespace mindset::web::handlers {

using nlohmann::json;
using surveys::FormFields;
using surveys::SurveyDefinition;
using namespace respondent;

namespace {

/// Form fields that steer the request and are not answers.
const std::vector<std::string> kControlFields{"lang", "csrf", "action", "submission", "code", "startOver", "test"};
/// The id of a form page's <form>: the layout's language buttons belong to it (their `form`
/// attribute), so that switching language sends, and keeps, what is on the page.
constexpr const char* kAnswersFormId = "answers";

std::string problemMessage(const surveys::FieldProblem& problem, const json& t) {
    switch (problem.kind) {
        case surveys::ProblemKind::Missing: return t["problemMissing"];
        case surveys::ProblemKind::UnknownField: return fillMessage(t["problemUnknownField"], {{"field", problem.field}});
        case surveys::ProblemKind::DuplicateField: return t["problemDuplicateField"];
        case surveys::ProblemKind::InvalidChoice: return fillMessage(t["problemInvalidChoice"], {{"value", problem.value}});
        case surveys::ProblemKind::PreferNotToSayWithOthers: return t["problemPreferNotToSayWithOthers"];
        case surveys::ProblemKind::NoItemAnswered: return t["problemNoItemAnswered"];
        case surveys::ProblemKind::TooLong: return fillMessage(t["problemCommentTooLong"], {{"length", problem.value}});
        case surveys::ProblemKind::NotText: return t["problemCommentNotText"];
    }
    return t["problemMissing"];
}

std::string anchorFor(std::string name) {
    for (auto& c : name)
        if (c == '.') c = '-';
    return "q-" + name;
}

/// The line that opens an instrument's questions for respondents: the instrument's own
/// introduction, which says what the questions are about, or a neutral line naming only how many
/// statements follow. Never the description: that names the belief a high score stands for, and
/// reading it first invites the answer it describes.
std::string pageIntroduction(const sdk::Definition& definition, const std::string& lang, const json& t) {
    if (!definition.introduction.byLanguage.empty()) return definition.introduction.in(lang);
    return fillMessage(t["pageIntroductionGenerated"], {{"count", std::to_string(definition.items.size())}});
}

/// What respondents are told about comments before they write one, and again before they submit:
/// who reads them, word for word, and when (docs/privacy.md, R10).
std::string commentsRule(const Visit& v) {
    return fillMessage(v.t()["commentsRule"], {{"min", std::to_string(v.survey.commentMinGroupSize)}});
}

/// The comment boxes of the last page, each with what the respondent typed (a draft's, or the
/// posted form's) and its problem, if any.
json commentsView(const Visit& v, const FormFields& answers, const std::map<std::string, std::string>& errorByField) {
    json comments = json::array();
    for (const auto& question : v.survey.comments) {
        const auto name = surveys::commentFieldName(question);
        const auto error = errorByField.count(name) ? errorByField.at(name) : std::string();
        comments.push_back({{"anchor", anchorFor(name)}, {"name", name}, {"label", question.label.in(v.language)},
                            {"text", formValue(answers, name)}, {"maxLength", std::to_string(question.maxLength)},
                            {"limitText", fillMessage(v.t()["commentsLimit"], {{"max", std::to_string(question.maxLength)}})},
                            {"error", error}});
    }
    return comments;
}

/// What a form page shows: one page of the flow (1-based) or, with page 0, every question.
struct FormSpec {
    std::size_t page = 0;
    std::string action;
    std::string submission;  ///< one-page form: the exactly-once token
    bool needsCode = false;
    /// The school the respondent's access code was issued for: the school question shows it as
    /// answered and offers no other (web/CodeSchool.h). Empty: the question is asked.
    std::string boundSchool{};
    /// Each choice carries a slot (PageCache::checkedSlot) instead of its checked state, so that one
    /// rendering serves every draft: the cache fills the slots with a draft's answers.
    bool hasCheckedSlots = false;
    /// The one-page form opened through the survey's test link: the token goes back with the form,
    /// and the page says that the response will be kept apart as a test.
    std::string testToken{};
    /// A page of a test draft (started from the test link): the page says so; the draft carries it.
    bool isTestRun = false;
};

Response formPage(const Visit& v, const FormSpec& spec, const FormFields& answers,
                  const std::vector<surveys::FieldProblem>& problems, std::vector<std::string> extraProblems = {}) {
    const auto& t = v.t();
    const auto& survey = v.survey;
    const auto lang = v.language;
    const bool isOnePage = spec.page == 0;
    auto view = baseView(v, survey.title.in(lang), kAnswersFormId);
    view["formId"] = kAnswersFormId;
    view["action"] = spec.action;
    view["submission"] = spec.submission;
    view["needsCode"] = spec.needsCode;
    view["code"] = formValue(answers, "code");
    view["testToken"] = spec.testToken;
    view["isTestRun"] = spec.isTestRun || !spec.testToken.empty();

    std::map<std::string, std::string> errorByField, labelByField;
    for (const auto& problem : problems) errorByField.emplace(problem.field, problemMessage(problem, t));
    auto isChecked = [&](const std::string& name, const std::string& value) {
        for (const auto& [n, val] : answers)
            if (n == name && val == value) return true;
        return false;
    };
    auto errorOf = [&](const std::string& name) { return errorByField.count(name) ? errorByField[name] : std::string(); };

    json demographics = json::array();
    if (isOnePage || spec.page == 1) {
        const auto* schoolQuestion = spec.boundSchool.empty() ? nullptr : codeSchoolQuestion(survey);
        for (const auto& question : survey.demographics) {
            const auto name = surveys::demographicFieldName(question);
            labelByField[name] = question.label.in(lang);
            if (&question == schoolQuestion) {
                std::string school = spec.boundSchool;
                for (const auto& choice : question.choices)
                    if (choice.id == spec.boundSchool) school = choice.label.in(lang);
                demographics.push_back({{"anchor", anchorFor(name)}, {"legend", question.label.in(lang)}, {"hint", ""},
                                        {"required", question.isRequired}, {"error", errorOf(name)}, {"isFixed", true},
                                        {"fixedAnswer", school}, {"fixedNote", t["schoolFromCode"]}, {"choices", json::array()}});
                continue;
            }
            json choices = json::array();
            for (const auto& choice : question.choices)
                choices.push_back({{"name", name}, {"value", choice.id}, {"label", choice.label.in(lang)},
                                   {"inputType", question.isMultiple ? "checkbox" : "radio"},
                                   {"checked", !spec.hasCheckedSlots && isChecked(name, choice.id)},
                                   {"slot", spec.hasCheckedSlots ? PageCache::checkedSlot(name, choice.id) : ""}});
            demographics.push_back({{"anchor", anchorFor(name)}, {"legend", question.label.in(lang)},
                                    {"hint", question.hint.byLanguage.empty() ? "" : question.hint.in(lang)},
                                    {"required", question.isRequired}, {"error", errorOf(name)}, {"isFixed", false},
                                    {"choices", choices}});
        }
    }
    view["demographics"] = demographics;
    view["hasDemographics"] = !demographics.empty();

    json instruments = json::array();
    for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
        if (!isOnePage && spec.page != 2 + i) continue;
        const auto& instrument = survey.instruments[i];
        const auto& definition = instrument.definition();
        json items = json::array();
        for (const auto& item : definition.items) {
            const auto name = surveys::itemFieldName(instrument, item);
            labelByField[name] = item.text.in(lang);
            json options = json::array();
            for (const auto& option : definition.responseScale.options)
                options.push_back({{"name", name}, {"value", std::to_string(option.code)}, {"label", option.label.in(lang)},
                                   {"checked", !spec.hasCheckedSlots && isChecked(name, std::to_string(option.code))},
                                   {"slot", spec.hasCheckedSlots ? PageCache::checkedSlot(name, std::to_string(option.code)) : ""},
                                   {"isAside", false}});
            // "Don't know", "Not applicable": the same radio group, set apart after the scale's points.
            for (const auto& option : definition.responseScale.unscoredOptions)
                options.push_back({{"name", name}, {"value", std::to_string(option.code)}, {"label", option.label.in(lang)},
                                   {"checked", !spec.hasCheckedSlots && isChecked(name, std::to_string(option.code))},
                                   {"slot", spec.hasCheckedSlots ? PageCache::checkedSlot(name, std::to_string(option.code)) : ""},
                                   {"isAside", true}});
            if (survey.allowsPreferNotToAnswer)
                options.push_back({{"name", name}, {"value", surveys::kPreferNotToAnswer}, {"label", t["preferNotToAnswer"]},
                                   {"checked", !spec.hasCheckedSlots && isChecked(name, surveys::kPreferNotToAnswer)},
                                   {"slot", spec.hasCheckedSlots ? PageCache::checkedSlot(name, surveys::kPreferNotToAnswer) : ""},
                                   {"isAside", true}});
            items.push_back({{"anchor", anchorFor(name)}, {"legend", item.text.in(lang)}, {"error", errorOf(name)},
                             {"pointCount", definition.responseScale.options.size()}, {"options", options}});
        }
        instruments.push_back({{"anchor", "instrument-" + definition.id}, {"title", definition.title.in(lang)},
                               {"introduction", pageIntroduction(definition, lang, t)}, {"items", items}});
    }
    view["instruments"] = instruments;
    // Comments close the form: on the last page (never cached: it carries the draft's submission
    // token), so the box can hold what this respondent typed.
    const bool asksComments = !survey.comments.empty() && (isOnePage || spec.page == survey.pageCount());
    view["hasComments"] = asksComments;
    if (asksComments) {
        view["comments"] = commentsView(v, answers, errorByField);
        view["commentsRule"] = commentsRule(v);
        for (const auto& question : survey.comments) labelByField[surveys::commentFieldName(question)] = question.label.in(lang);
    }

    json problemList = json::array();
    for (const auto& message : extraProblems) problemList.push_back({{"anchor", ""}, {"label", ""}, {"message", message}});
    for (const auto& problem : problems) {
        const bool isShown = labelByField.count(problem.field) > 0;
        problemList.push_back({{"anchor", isShown ? anchorFor(problem.field) : ""},
                               {"label", isShown ? labelByField[problem.field] : ""},
                               {"message", problemMessage(problem, t)}});
    }
    view["problems"] = problemList;

    const auto total = survey.pageCount();
    if (!isOnePage) {
        view["step"] = std::to_string(spec.page);
        view["total"] = std::to_string(total);
        view["stepText"] = fillMessage(t["stepOf"], {{"step", std::to_string(spec.page)}, {"total", std::to_string(total)}});
        view["sectionTitle"] = spec.page == 1 ? t["aboutYou"].get<std::string>()
                                              : survey.instruments[spec.page - 2].definition().title.in(lang);
    }
    view["isLastStep"] = isOnePage || spec.page == total;
    // Enter in a field submits with the form's first submit button: the language buttons come
    // before the form, so a hidden copy of the page's own button comes first.
    view["defaultAction"] = isOnePage || spec.page == total ? "submit" : "next";
    view["hasBack"] = !isOnePage && spec.page > 1;
    view["canSaveForLater"] = !isOnePage;
    const bool hasProblems = !problemList.empty();
    return v.finish(Response::html(renderPage("form", view), hasProblems ? 400 : 200));
}

// --- Drafts -------------------------------------------------------------------------------

/// The submission token of a draft: derived from its cookie token, and sent with the last page as
/// the form's `submission` field, so that a repeated submit is recognised after the draft and its
/// cookie are gone. It reveals nothing about the cookie token.
std::string submissionTokenOfDraft(const std::string& draftToken) { return store::sha256Hex("submission:" + draftToken).substr(0, 32); }

std::size_t pageParam(const Visit& v) {
    const auto& text = v.request.pathParams.at("page");
    const bool isNumber = !text.empty() && text.size() < 4 && text.find_first_not_of("0123456789") == std::string::npos;
    const auto page = isNumber ? static_cast<std::size_t>(std::stoul(text)) : 0;
    if (page < 1 || page > v.survey.pageCount()) throw HttpError(404, v.t()["notFound"]);
    return page;
}

Response goToLanding(const Visit& v) { return v.finish(Response::redirect(v.withLanguage(v.path()) + "&resume=missing")); }

/// The test token the request carries (`?test=` or the form's `test` field): empty when there is
/// none; a message page (403) when it is not the survey's current one, so that a stale link says so
/// instead of quietly storing a real response.
std::variant<std::string, Response> testTokenOf(const Visit& v, const std::string& token) {
    if (token.empty()) return std::string();
    if (!isHexToken(token) || !v.site.store.isTestToken(v.survey.storeId, store::sha256Hex(token)))
        return messagePage(v, 403, v.t()["errorTitle"], v.t()["testLinkUnknown"]);
    return token;
}

/// For a POST that may carry the test link's token (form field `test`): the token (empty for a staff
/// member's POST), or the page that refuses it, or, without a token, the page for a survey outside
/// its window (a test run may come before the survey opens: that is what it is for).
std::variant<std::string, Response> postedTestTokenOrWindow(const Visit& v, const FormFields& fields) {
    auto test = testTokenOf(v, formValue(fields, "test").substr(0, 64));
    if (std::holds_alternative<std::string>(test) && std::get<std::string>(test).empty())
        if (auto closed = windowPage(v, 403)) return std::move(*closed);
    return test;
}

/// The page shown outside the survey's window, unless the draft is a test run's (a test may come
/// before the survey opens: that is what it is for).
std::optional<Response> windowPageUnlessTest(const Visit& v, const std::optional<OpenDraft>& draft, int status) {
    if (draft && draft->contents.isTest) return std::nullopt;
    return windowPage(v, status);
}

/// The language a language button asks for, or nullopt when `action` is not a language button.
/// A language the survey does not offer stays on the visit's language.
std::optional<std::string> requestedLanguage(const Visit& v, const std::string& action) {
    if (!action.starts_with(kLanguageAction)) return std::nullopt;
    const auto language = action.substr(kLanguageAction.size());
    return v.survey.offersLanguage(language) ? language : v.language;
}

// --- Submitting ---------------------------------------------------------------------------

/// The redirect to the thank-you page. It expires the draft cookie: nothing on the device is
/// left to find the (deleted) draft by. A resend of the last page (a second click while the
/// thanks load) carries the submission token in its form and also gets the thanks.
Response thanksRedirect(const Visit& v) {
    auto redirect = Response::redirect(v.withLanguage(v.path("/thanks")));
    redirect.setCookie(v.draftCookie(), "", "Path=" + v.path() + "; HttpOnly; SameSite=Lax; Max-Age=0" + v.secure());
    return v.finish(std::move(redirect));
}

/// The page that says a draft limit was reached (429: try again later).
Response tooManyDrafts(const Visit& v, const std::string& messageKey) {
    auto response = messagePage(v, 429, v.t()["tooManyDraftsTitle"], v.t()[messageKey], v.withLanguage(v.path("/all")),
                                v.t()["onePageVersion"]);
    response.headers.emplace_back("Retry-After", "3600");
    return response;
}

/// Stores a checked response exactly once and answers with the thank-you redirect, or the
/// reason the access code was refused.
Response store(const Visit& v, const surveys::EncodedResponse& response, const std::string& submissionHash,
               const std::string& codeHash, const std::string& draftTokenHash, bool isTest = false) {
    if (isTest) {  // kept apart from the responses: no group grows, so the padding guard has nothing to weigh
        v.site.store.submit({.surveyId = v.survey.storeId, .demographics = response.demographics, .answers = response.answers,
                             .submissionTokenHash = submissionHash, .codeHash = {}, .draftTokenHash = draftTokenHash, .comments = {}, .isTest = true});  // Stored, or AlreadySubmitted on a repeat: thanks either way
        return thanksRedirect(v);
    }
    // Padding (docs/privacy.md, R4): one client adds only a few responses to groups no release shows as large.
    auto& guard = *v.site.paddingGuard;
    const auto reservation = guard.reserve(v.survey, v.site.store, response, v.request.clientAddress);
    if (!reservation.isAllowed) {
        auto refused = messagePage(v, 429, v.t()["smallGroupLimitTitle"], v.t()["smallGroupLimit"]);
        refused.headers.emplace_back("Retry-After", "86400");
        return refused;
    }
    store::Submission submission{v.survey.storeId, response.demographics, response.answers, submissionHash, codeHash, draftTokenHash};
    // Each comment goes apart from the response, under the school only (docs/privacy.md, R10).
    const auto group = surveys::commentGroupKey(v.survey, response.demographics);
    for (const auto& comment : response.comments) submission.comments.push_back({comment.questionId, group, comment.text});
    const auto result = v.site.store.submit(std::move(submission));
    guard.finish(v.survey, v.request.clientAddress, reservation, result == store::SubmitResult::Stored);
    switch (result) {
        case store::SubmitResult::Stored:
        case store::SubmitResult::AlreadySubmitted: return thanksRedirect(v);
        case store::SubmitResult::CodeUsed: return messagePage(v, 409, v.t()["errorTitle"], v.t()["codeUsed"]);
        case store::SubmitResult::CodeUnknown: return messagePage(v, 400, v.t()["errorTitle"], v.t()["codeUnknown"]);
        case store::SubmitResult::CodeVoided: return messagePage(v, 410, v.t()["errorTitle"], v.t()["codeVoided"]);
    }
    throw std::logic_error("unhandled submit result");
}

/// A page POST without a draft: the thanks again when its submission was already stored (a
/// refreshed or doubled final POST, its cookie expired by the thanks), else the landing page.
Response withoutDraft(const Visit& v, const FormFields& posted) {
    const auto submission = formValue(posted, "submission");
    if (isHexToken(submission) && v.site.store.isSubmissionUsed(store::sha256Hex(submission))) return thanksRedirect(v);
    const auto token = v.request.cookie(v.draftCookie());
    if (isHexToken(token) && v.site.store.isSubmissionUsed(store::sha256Hex(submissionTokenOfDraft(token))))
        return thanksRedirect(v);
    return goToLanding(v);
}

}  // namespace

Response home(const Site& site, const Request& request) {
    const auto language = interfaceLanguage(request.queryValue("lang"));
    json surveys = json::array();
    for (const auto& survey : site.catalog.surveys) {
        if (!survey.isOpenOn(site.today())) continue;
        const auto surveyLanguage = survey.offersLanguage(language) ? language : survey.languages.front();
        surveys.push_back({{"href", "/surveys/" + survey.id + "?lang=" + surveyLanguage},
                           {"title", survey.title.in(surveyLanguage)},
                           {"districtName", survey.districtName},
                           {"schoolYear", survey.schoolYear}});
    }
    json links = json::array();
    for (auto code : kInterfaceLanguages)
        links.push_back({{"code", code}, {"label", messages(code)["languageName"]}, {"href", "/?lang=" + std::string(code)},
                         {"current", code == language}});
    return Response::html(renderPage("home", {{"lang", language}, {"title", messages(language)["homeTitle"]},
                                              {"surveys", surveys}, {"languageLinks", links}}));
}

namespace {

/// The page for `v` from the site's cache: rendered once per survey, page and language with a
/// placeholder token, then served with this visitor's token.
Response cachedPage(const Visit& v, const std::string& page, const std::function<Response(const Visit&)>& render,
                    const std::vector<std::string>& checked = {}) {
    const auto key = v.survey.id + "|" + page + "|" + v.language;
    auto html = v.site.pageCache->page(
        key, v.csrf,
        [&](const std::string& placeholder) {
            Visit anonymous = v;
            anonymous.csrf = placeholder;
            anonymous.isNewCsrf = false;
            return render(anonymous).body;
        },
        checked);
    return v.finish(Response::html(std::move(html)));
}

/// "1 minute" or "N minutes" (and the like): the message `key + "One"` or `key + "Many"`.
std::string counted(const json& t, const std::string& key, std::size_t count) {
    return fillMessage(t[key + (count == 1 ? "One" : "Many")], {{"n", std::to_string(count)}});
}

/// How long the survey takes, with the counts the estimate comes from.
std::string timeNeeded(const Visit& v) {
    const auto& t = v.t();
    auto counts = counted(t, "statements", v.survey.answerCount());
    if (!v.survey.demographics.empty())
        counts = fillMessage(t["countsAnd"], {{"statements", counts}, {"questions", counted(t, "questionsAboutYou", v.survey.demographics.size())}});
    return fillMessage(t["timeNeeded"], {{"minutes", counted(t, "minutes", static_cast<std::size_t>(v.survey.estimatedMinutes()))},
                                         {"counts", counts}});
}

}  // namespace

Response respondent::landingView(const Visit& v, int status, const std::string& codeError, const std::string& code,
                     const std::vector<std::string>& problems, const std::string& resumeError, const std::string& resumeCode,
                     const std::string& testToken) {
    const auto& t = v.t();
    auto view = baseView(v, v.survey.title.in(v.language));
    view["timeNeeded"] = timeNeeded(v);
    view["whoSeesText"] = fillMessage(t["whoSeesText"], {{"district", v.survey.districtName}});
    view["reportingRule"] = fillMessage(t["reportingRule"], {{"min", std::to_string(v.survey.reportingThreshold())}});
    view["startAction"] = v.path("/start");
    view["needsCode"] = testToken.empty() && v.survey.access == surveys::Access::AccessCodes;
    view["testToken"] = testToken;
    view["isTestRun"] = !testToken.empty();
    view["codeError"] = codeError;
    view["code"] = code;
    if (!code.empty() && codeError.empty()) {  // opened from a slip's link: switching language keeps the code
        std::string encoded;
        Poco::URI::encode(code, "&=+#?/", encoded);
        for (auto& link : view["languageLinks"]) link["href"] = link["href"].get<std::string>() + "&code=" + encoded;
    }
    view["onePageHref"] = v.withLanguage(v.path("/all"));
    if (!testToken.empty()) {  // the test run goes on in the other language and on the one-page form
        for (auto& link : view["languageLinks"]) link["href"] = link["href"].get<std::string>() + "&test=" + testToken;
        view["onePageHref"] = view["onePageHref"].get<std::string>() + "&test=" + testToken;
    }
    const auto draft = currentDraft(v);
    view["draftHref"] = draft ? resumePath(v, *draft) : "";
    view["resumeAction"] = v.path("/resume");
    view["resumeCodeAction"] = v.path("/resume-code");
    view["resumeError"] = resumeError;
    view["resumeCode"] = resumeCode;
    // A code that was refused keeps its section open, so the message is seen without a click.
    view["isResumeOpen"] = !resumeError.empty();
    json problemList = json::array();
    for (const auto& p : problems) problemList.push_back({{"message", p}});
    view["problems"] = problemList;
    return v.finish(Response::html(renderPage("landing", view), status));
}

namespace {

/// Asks before a new start throws away the answers saved on this device.
Response startOverPage(const Visit& v, const OpenDraft& draft, const std::string& typedCode, const std::string& testToken) {
    const auto& t = v.t();
    auto view = baseView(v, t["startOverTitle"]);
    view["testToken"] = testToken;
    view["continueHref"] = resumePath(v, draft);
    view["startAction"] = v.path("/start");
    view["code"] = typedCode;
    view["hasCode"] = !typedCode.empty();
    return v.finish(Response::html(renderPage("start-over", view)));
}

}  // namespace

Response landing(const Site& site, const Request& request) {
    const auto v = visit(site, request, request.queryValue("lang"));
    // The test link opens the survey as staff see it, before and while it is open, without a code.
    auto test = testTokenOf(v, request.queryValue("test").substr(0, 64));
    if (auto* refused = std::get_if<Response>(&test)) return std::move(*refused);
    if (const auto& testToken = std::get<std::string>(test); !testToken.empty()) return landingView(v, 200, {}, {}, {}, {}, {}, testToken);
    if (auto closed = windowPage(v, 200)) return *closed;
    std::vector<std::string> problems;
    if (request.queryValue("resume") == "missing") problems.push_back(v.t()["draftMissing"]);
    // The link on a code slip carries the code (?code=), so that nobody has to type it; such a page
    // holds the code, so it is not the cached one. Longer than any code: cut, and refused on submit.
    const auto linkedCode = v.survey.access == surveys::Access::AccessCodes ? request.queryValue("code").substr(0, 64) : std::string();
    if (!problems.empty() || currentDraft(v) || !linkedCode.empty()) return landingView(v, 200, {}, linkedCode, problems);
    return cachedPage(v, "landing", [&v](const Visit& anonymous) { return landingView(anonymous, 200); });
}

Response start(const Site& site, const Request& request) {
    const auto [v, fields] = postedVisit(site, request);
    auto test = postedTestTokenOrWindow(v, fields);
    if (auto* refused = std::get_if<Response>(&test)) return std::move(*refused);
    const auto testToken = std::get<std::string>(test);
    const bool isTest = !testToken.empty();
    std::string codeHash;
    const auto typed = formValue(fields, "code");
    // A code issued for a school answers the school question from the start (web/CodeSchool.h).
    FormFields answers;
    if (!isTest && v.survey.access == surveys::Access::AccessCodes) {
        const auto code = store::normalizeAccessCode(typed);
        if (typed.empty()) return landingView(v, 400, v.t()["codeMissing"], typed);
        codeHash = code.empty() ? std::string() : store::sha256Hex(code);
        const auto state = code.empty() ? store::CodeState::Unknown : site.store.accessCodeState(v.survey.storeId, codeHash);
        if (state == store::CodeState::Unknown) return landingView(v, 400, v.t()["codeUnknown"], typed);
        if (state == store::CodeState::Used) return landingView(v, 409, v.t()["codeUsed"], typed);
        if (state == store::CodeState::Voided) return landingView(v, 410, v.t()["codeVoided"], typed);
        if (const auto school = schoolOfCode(site.store, v.survey, codeHash)) bindSchool(v.survey, answers, *school);
    }
    if (const auto draft = currentDraft(v)) {
        // Starting again would throw away what this device has saved: ask first, and once asked,
        // empty the same draft (same cookie, no new draft counted against the limits).
        if (formValue(fields, "startOver") != "yes") return startOverPage(v, *draft, typed, testToken);
        site.store.saveDraft(draft->tokenHash, store::sealDraft(draft->token, packDraft({codeHash, answers, 1, isTest})));
        return v.finish(Response::redirect(pagePath(v, 1)));
    }
    // The client's limit first: a refused request then does not even reach the store.
    if (!site.newDraftLimit->tryStart(request.clientAddress)) return tooManyDrafts(v, "tooManyDraftsFromClient");
    const auto token = store::randomToken();
    const auto expires = std::chrono::year_month_day{std::chrono::sys_days(v.survey.closes) + std::chrono::days(1)};
    const store::Draft draft{store::sha256Hex(token), v.survey.storeId, store::sealDraft(token, packDraft({codeHash, answers, 1, isTest}))};
    if (!site.store.createDraft(draft, formatDate(expires), maxDraftsFor(v.survey))) return tooManyDrafts(v, "tooManyDraftsForSurvey");
    auto redirect = Response::redirect(pagePath(v, 1));
    setDraftCookie(v, redirect, token);
    return v.finish(std::move(redirect));
}

namespace {

/// The school the draft's access code binds it to, or empty.
std::string boundSchoolOf(const Visit& v, const OpenDraft& draft) {
    return schoolOfCode(v.site.store, v.survey, draft.contents.codeHash).value_or("");
}

/// The form spec of page `page` of the flow; the last page carries the draft's submission token.
FormSpec pageSpec(const Visit& v, std::size_t page, const OpenDraft& draft, const std::string& boundSchool) {
    const bool isLast = page == v.survey.pageCount();
    return {.page = page,
            .action = v.path("/pages/" + std::to_string(page)),
            .submission = isLast ? submissionTokenOfDraft(draft.token) : std::string(),
            .needsCode = false,
            .boundSchool = boundSchool,
            .isTestRun = draft.contents.isTest};
}

/// The draft's whole response checked as the final submit checks it: the encoded response, or
/// every problem and the page of the first one.
struct FinalCheck {
    surveys::ResponseCheck check;
    std::size_t firstProblemPage = 0;
};

FinalCheck finalCheck(const Visit& v, const FormFields& answers) {
    auto check = surveys::checkResponse(v.survey, answers, kControlFields);
    if (auto nothing = surveys::checkAnyItemAnswered(v.survey, answers)) check.problems.push_back(*nothing);
    const auto page = check.isValid() ? 0 : surveys::pageOfField(v.survey, check.problems.front().field);
    return {std::move(check), page};
}

/// The review before the final submit: every question left unanswered, by page, each linked to
/// its place on its page; and the button that submits the answers as they are.
Response reviewPage(const Visit& v, const OpenDraft& draft) {
    const auto& t = v.t();
    const auto& survey = v.survey;
    const auto lang = v.language;
    auto view = baseView(v, t["reviewTitle"]);
    std::map<std::string, std::string> labels;
    for (const auto& question : survey.demographics) labels[surveys::demographicFieldName(question)] = question.label.in(lang);
    for (const auto& instrument : survey.instruments)
        for (const auto& item : instrument.definition().items) labels[surveys::itemFieldName(instrument, item)] = item.text.in(lang);

    const auto unanswered = surveys::unansweredFields(survey, draft.contents.fields);
    json pages = json::array();
    for (const auto& name : unanswered) {
        const auto page = surveys::pageOfField(survey, name);
        if (pages.empty() || pages.back()["number"] != page) {
            const auto section = page == 1 ? t["aboutYou"].get<std::string>() : survey.instruments[page - 2].definition().title.in(lang);
            const auto step = fillMessage(t["stepOf"], {{"step", std::to_string(page)}, {"total", std::to_string(survey.pageCount())}});
            pages.push_back({{"number", page}, {"heading", step + ": " + section}, {"items", json::array()}});
        }
        pages.back()["items"].push_back({{"href", pagePath(v, page) + "#" + anchorFor(name)}, {"label", labels[name]}});
    }
    view["pages"] = pages;
    view["hasUnanswered"] = !unanswered.empty();
    view["unansweredText"] = unanswered.size() == 1 ? t["reviewOneUnanswered"].get<std::string>()
                                                    : fillMessage(t["reviewManyUnanswered"], {{"count", std::to_string(unanswered.size())}});
    json comments = json::array();
    for (const auto& question : survey.comments)
        if (const auto text = surveys::tidyComment(formValue(draft.contents.fields, surveys::commentFieldName(question))); !text.empty())
            comments.push_back({{"label", question.label.in(lang)}, {"text", text}});
    view["hasComments"] = !comments.empty();
    view["comments"] = comments;
    view["commentsRule"] = commentsRule(v);
    view["commentsHref"] = pagePath(v, survey.pageCount()) + "#comments-title";
    view["action"] = v.path("/review");
    view["submission"] = submissionTokenOfDraft(draft.token);
    view["backHref"] = pagePath(v, survey.pageCount());
    view["isTestRun"] = draft.contents.isTest;
    return v.finish(Response::html(renderPage("review", view)));
}

}  // namespace

Response showPage(const Site& site, const Request& request) {
    const auto v = visit(site, request, request.queryValue("lang"));
    const auto draft = currentDraft(v);
    if (auto closed = windowPageUnlessTest(v, draft, 200)) return *closed;
    const auto page = pageParam(v);
    if (!draft) return goToLanding(v);
    const auto& answers = draft->contents.fields;
    const auto spec = pageSpec(v, page, *draft, boundSchoolOf(v, *draft));
    // The last page carries this draft's own submission token, page 1 of a code survey the code's
    // school, and a test run's pages say so, so none of them is shared from the cache.
    const bool showsSchool = page == 1 && !spec.boundSchool.empty();
    if (!spec.submission.empty() || showsSchool || spec.isTestRun) return formPage(v, spec, answers, {});
    const auto saved = surveys::pageAnswers(v.survey, answers, page);
    if (saved.empty())
        return cachedPage(v, "page-" + std::to_string(page), [&spec](const Visit& anonymous) { return formPage(anonymous, spec, {}, {}); });
    // With saved answers the page differs only in which choices are checked: one rendering with a
    // slot at every choice serves every draft (the bench's form page: issue 12).
    auto slotted = spec;
    slotted.hasCheckedSlots = true;
    std::vector<std::string> checked;  // "name=value": the text of the choices' slots
    checked.reserve(saved.size());
    for (const auto& [name, value] : saved) checked.push_back(name + "=" + value);
    return cachedPage(
        v, "page-" + std::to_string(page) + "-slots", [&slotted](const Visit& anonymous) { return formPage(anonymous, slotted, {}, {}); },
        checked);
}

Response savePage(const Site& site, const Request& request) {
    auto [v, posted] = postedVisit(site, request);
    const auto draft = currentDraft(v);
    if (auto closed = windowPageUnlessTest(v, draft, 403)) return *closed;
    const auto page = pageParam(v);
    if (!draft) return withoutDraft(v, posted);

    const auto boundSchool = boundSchoolOf(v, *draft);
    const auto spec = pageSpec(v, page, *draft, boundSchool);
    auto answers = draft->contents.fields;
    const auto& survey = v.survey;
    // The code's school is the answer, whatever was posted: the page offers no other.
    if (!boundSchool.empty() && page == 1) bindSchool(survey, posted, boundSchool);
    std::erase_if(answers, [&survey, page](const auto& field) { return surveys::pageOfField(survey, field.first) == page; });
    const auto postedAnswers = surveys::pageAnswers(v.survey, posted, page);
    answers.insert(answers.end(), postedAnswers.begin(), postedAnswers.end());
    if (!boundSchool.empty()) bindSchool(survey, answers, boundSchool);

    // Checked before anything is stored: a draft holds only answers this page asks, each one of its
    // choices. A missing answer is kept as missing (a draft may be half done); anything else is refused.
    const auto pageCheck = surveys::checkPage(v.survey, page, posted, kControlFields);
    std::vector<surveys::FieldProblem> refused;
    for (const auto& problem : pageCheck.problems)
        if (problem.kind != surveys::ProblemKind::Missing) refused.push_back(problem);
    if (!refused.empty()) return formPage(v, spec, answers, refused);

    // Where the person is sent next is where "Continue where you left off" takes them back to.
    const auto action = formValue(posted, "action");
    const auto language = requestedLanguage(v, action);
    const bool goesOn = action != "back" && action != "later" && !language && pageCheck.isValid();
    const auto nextPage = action == "back" ? std::max<std::size_t>(page - 1, 1) : goesOn ? std::min(page + 1, survey.pageCount()) : page;

    const auto contents = packDraft({draft->contents.codeHash, answers, nextPage, draft->contents.isTest});
    if (contents.size() > kMaxDraftBytes) return messagePage(v, 413, v.t()["errorTitle"], v.t()["draftTooLarge"]);
    // Keep this page's answers in the draft, whatever happens next: nothing typed is lost.
    site.store.saveDraft(draft->tokenHash, store::sealDraft(draft->token, contents));

    if (language) {
        auto switched = v;
        switched.language = *language;
        return v.finish(Response::redirect(pagePath(switched, page)));
    }
    if (action == "back") return v.finish(Response::redirect(page > 1 ? pagePath(v, page - 1) : v.withLanguage(v.path())));
    if (action == "later") {
        const auto& t = v.t();
        auto view = baseView(v, t["savedTitle"]);
        view["savedText"] = fillMessage(t["savedText"], {{"closes", formatDate(v.survey.closes)}});
        view["continueHref"] = pagePath(v, page);
        view["resumeCodeAction"] = v.path("/resume-code");
        return v.finish(Response::html(renderPage("saved", view)));
    }
    if (!pageCheck.isValid()) return formPage(v, spec, answers, pageCheck.problems);
    if (action != "submit" || page != v.survey.pageCount()) return v.finish(Response::redirect(pagePath(v, nextPage)));

    auto [check, problemPage] = finalCheck(v, answers);
    if (!check.isValid()) return formPage(v, pageSpec(v, problemPage, *draft, boundSchool), answers, check.problems);
    // Skipped questions are shown before anything is sent; with none, the answers go straight in.
    if (!surveys::unansweredFields(survey, answers).empty()) return v.finish(Response::redirect(v.withLanguage(v.path("/review"))));
    return store(v, check.response, store::sha256Hex(spec.submission), draft->contents.codeHash, draft->tokenHash, draft->contents.isTest);
}

Response review(const Site& site, const Request& request) {
    const auto v = visit(site, request, request.queryValue("lang"));
    const auto draft = currentDraft(v);
    if (auto closed = windowPageUnlessTest(v, draft, 200)) return *closed;
    if (!draft) return goToLanding(v);
    return reviewPage(v, *draft);
}

Response submitReviewed(const Site& site, const Request& request) {
    const auto [v, posted] = postedVisit(site, request);
    const auto draft = currentDraft(v);
    if (auto closed = windowPageUnlessTest(v, draft, 403)) return *closed;
    if (!draft) return withoutDraft(v, posted);
    const auto submission = submissionTokenOfDraft(draft->token);
    const auto boundSchool = boundSchoolOf(v, *draft);
    auto answers = draft->contents.fields;
    if (!boundSchool.empty()) bindSchool(v.survey, answers, boundSchool);
    auto [check, problemPage] = finalCheck(v, answers);
    if (!check.isValid()) return formPage(v, pageSpec(v, problemPage, *draft, boundSchool), answers, check.problems);
    return store(v, check.response, store::sha256Hex(submission), draft->contents.codeHash, draft->tokenHash, draft->contents.isTest);
}

Response onePageForm(const Site& site, const Request& request) {
    const auto v = visit(site, request, request.queryValue("lang"));
    auto test = testTokenOf(v, request.queryValue("test").substr(0, 64));
    if (auto* refused = std::get_if<Response>(&test)) return std::move(*refused);
    const auto& testToken = std::get<std::string>(test);
    // A test run may come before the survey opens (and needs no code): that is what it is for.
    if (!testToken.empty()) return formPage(v, {0, v.path("/responses"), store::randomToken(), false, {}, false, testToken}, {}, {});
    if (auto closed = windowPage(v, 200)) return *closed;
    const bool needsCode = v.survey.access == surveys::Access::AccessCodes;
    return formPage(v, {0, v.path("/responses"), store::randomToken(), needsCode}, {}, {});
}

Response submitResponse(const Site& site, const Request& request) {
    auto [v, fields] = postedVisit(site, request);
    auto test = postedTestTokenOrWindow(v, fields);
    if (auto* refused = std::get_if<Response>(&test)) return std::move(*refused);
    const auto testToken = std::get<std::string>(test);
    const bool isTest = !testToken.empty();
    const auto submission = formValue(fields, "submission");
    if (!isHexToken(submission))
        throw HttpError(400, "The form is missing its submission token (field 'submission', 32 hexadecimal digits).");
    const bool needsCode = !isTest && v.survey.access == surveys::Access::AccessCodes;
    const FormSpec spec{0, v.path("/responses"), submission, needsCode, {}, false, testToken};

    // A language button: the same form, with what was typed, in the other language; nothing is stored.
    if (const auto language = requestedLanguage(v, formValue(fields, "action"))) {
        auto switched = v;
        switched.language = *language;
        return formPage(switched, spec, fields, {});
    }

    std::string codeHash;
    if (needsCode) {
        const auto code = store::normalizeAccessCode(formValue(fields, "code"));
        if (code.empty()) return formPage(v, spec, fields, {}, {v.t()["codeUnknown"]});
        codeHash = store::sha256Hex(code);
        // The one-page form asks the school before it knows the code: an unanswered school is the
        // code's, a different one is refused, so that results and participation agree.
        if (const auto school = schoolOfCode(site.store, v.survey, codeHash)) {
            const auto answered = answeredSchool(v.survey, fields);
            if (!answered) bindSchool(v.survey, fields, *school);
            else if (*answered != *school) {
                std::string name = *school;
                for (const auto& s : v.survey.schools)
                    if (s.id == *school) name = s.name.in(v.language);
                return formPage(v, spec, fields, {}, {fillMessage(v.t()["codeOtherSchool"], {{"school", name}})});
            }
        }
    }
    auto check = surveys::checkResponse(v.survey, fields, kControlFields);
    if (auto nothing = surveys::checkAnyItemAnswered(v.survey, fields)) check.problems.push_back(*nothing);
    if (!check.isValid()) return formPage(v, spec, fields, check.problems);
    return store(v, check.response, store::sha256Hex(submission), codeHash, {}, isTest);
}

Response thanks(const Site& site, const Request& request) {
    const auto v = visit(site, request, request.queryValue("lang"));
    const auto& t = v.t();
    return messagePage(v, 200, t["thanksTitle"], t["thanksText"]);
}

}  // namespace mindset::web::handlers
