#pragma once
/// A respondent's draft as the pages reach it: opened with the token in the browser's cookie
/// (store/DraftSeal.h), the cookie that carries that token, and the page to continue on.

#include <cstddef>
#include <optional>
#include <string>

#include "web/DraftContents.h"
#include "web/Http.h"
#include "web/handlers/SurveyVisit.h"

namespace mindset::web::handlers::respondent {

/// A draft opened with its cookie token.
struct OpenDraft {
    std::string token;
    std::string tokenHash;
    DraftContents contents;
};

/// The draft `token` opens for this visit's survey, if it exists, has not expired and opens.
std::optional<OpenDraft> openDraftWith(const Visit& v, const std::string& token);

/// The draft of this browser's cookie, if any (see openDraftWith).
std::optional<OpenDraft> currentDraft(const Visit& v);

/// Gives the browser the draft cookie holding `token`, until the day after the survey closes.
void setDraftCookie(const Visit& v, Response& response, const std::string& token);

/// Page `page` of the flow (1-based) in the visit's language.
std::string pagePath(const Visit& v, std::size_t page);

/// Where "Continue where you left off" goes: the page the draft was last left on.
std::string resumePath(const Visit& v, const OpenDraft& draft);

}  // namespace mindset::web::handlers::respondent
