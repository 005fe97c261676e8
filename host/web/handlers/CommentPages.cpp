#include "web/handlers/CommentPages.h"

#include "releases/Releases.h"
#include "surveys/ContactMasking.h"
#include "web/DistrictData.h"
#include "web/LeaderFrame.h"
#include "web/Templates.h"

namespace mindset::web::handlers {

using nlohmann::json;

namespace {

/// A stored comment with the masks said in the page's language: "[email]" stays "[email]" in
/// English and reads "[correo]" in Spanish.
std::string inLanguage(std::string text, const json& t) {
    const std::pair<std::string_view, std::string> masks[] = {{surveys::kMaskedEmail, t["commentMaskEmail"].get<std::string>()},
                                                              {surveys::kMaskedPhone, t["commentMaskPhone"].get<std::string>()},
                                                              {surveys::kMaskedWeb, t["commentMaskWeb"].get<std::string>()}};
    for (const auto& [mask, shown] : masks)
        for (auto at = text.find(mask); at != std::string::npos; at = text.find(mask, at + shown.size())) text.replace(at, mask.size(), shown);
    return text;
}

json questionsView(const analytics::ReleaseComments& comments, const std::string& language, const json& t) {
    json questions = json::array();
    for (std::size_t q = 0; q < comments.questions.size(); ++q) {
        const auto& question = comments.questions[q];
        json groups = json::array();
        for (std::size_t g = 0; g < question.groups.size(); ++g) {
            const auto& group = question.groups[g];
            json texts = json::array();
            for (const auto& text : group.texts) texts.push_back(inLanguage(text, t));
            const auto count = group.texts.size();
            groups.push_back({{"anchor", "comments-" + std::to_string(q) + "-" + std::to_string(g)},
                              {"label", group.key.empty() ? t["commentsDistrict"].get<std::string>() : group.label.in(language)},
                              {"isShown", group.isShown},
                              {"texts", texts},
                              {"hasTexts", !texts.empty()},
                              {"countText", count == 0   ? t["commentsNone"].get<std::string>()
                                            : count == 1 ? t["commentsOne"].get<std::string>()
                                                         : fillMessage(t["commentsMany"], {{"count", std::to_string(count)}})}});
        }
        questions.push_back({{"anchor", "comment-question-" + std::to_string(q)}, {"label", question.label.in(language)}, {"groups", groups}});
    }
    return questions;
}

}  // namespace

Response commentsPage(const Site& site, const Request& request, const store::Account& account) {
    const auto& survey = surveyFor(site, request, account);
    const auto language = interfaceLanguage(request.queryValue("lang"));
    const auto& t = messages(language);
    const auto surveyLanguage = survey.offersLanguage(language) ? language : survey.languages.front();
    const auto releases = releaseOf(site, survey, requestedRelease(request));
    const auto base = "/leader/surveys/" + survey.id;
    json view{{"lang", language},
              {"title", t["commentsPageTitle"].get<std::string>() + ": " + survey.title.in(surveyLanguage)},
              {"surveyTitle", survey.title.in(surveyLanguage)},
              {"district", survey.districtName},
              {"schoolYear", survey.schoolYear},
              {"profileHref", base + "?lang=" + language},
              {"rule", fillMessage(t["commentsLeaderRule"], {{"min", std::to_string(survey.commentMinGroupSize)}})}};
    const auto shownRelease = request.queryValue("release");
    addLeaderFrame(view, site, survey.districtId, base + "/comments",
                   shownRelease.empty() ? "" : "release=" + std::to_string(requestedRelease(request)), language);
    if (survey.comments.empty()) {
        view["notice"] = t["commentsNotAsked"];
    } else if (!releases.selected) {
        view["notice"] = noReleaseText(survey, language);
    } else {
        const auto& release = *releases.selected;
        view["releaseLabel"] = releaseLabel(release.record, survey, language);
        const auto comments = releases::readComments(site.store, survey, release);
        if (!comments.isFinalRelease) {
            view["notice"] = fillMessage(t["commentsAfterFinal"], {{"closes", formatDate(survey.closes)}});
        } else {
            view["questions"] = questionsView(comments, language, t);
            view["masksNote"] = t["commentsMasksNote"];
        }
    }
    return Response::html(renderPage("comments", view));
}

}  // namespace mindset::web::handlers
