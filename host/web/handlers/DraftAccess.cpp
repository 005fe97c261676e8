#include "web/handlers/DraftAccess.h"

#include <algorithm>
#include <chrono>

#include "store/DraftSeal.h"
#include "store/Tokens.h"

namespace mindset::web::handlers::respondent {

std::optional<OpenDraft> openDraftWith(const Visit& v, const std::string& token) {
    if (!isHexToken(token)) return std::nullopt;
    const auto tokenHash = store::sha256Hex(token);
    const auto draft = v.site.store.findDraft(v.survey.storeId, tokenHash, v.today());
    if (!draft) return std::nullopt;
    const auto text = store::openDraft(token, draft->sealed);
    if (!text) return std::nullopt;
    auto contents = unpackDraft(*text);
    if (!contents) return std::nullopt;
    return OpenDraft{token, tokenHash, std::move(*contents)};
}

std::optional<OpenDraft> currentDraft(const Visit& v) { return openDraftWith(v, v.request.cookie(v.draftCookie())); }

void setDraftCookie(const Visit& v, Response& response, const std::string& token) {
    const auto expires = std::chrono::sys_days(v.survey.closes) + std::chrono::days(1);
    const auto secondsLeft = (expires - std::chrono::sys_days(v.site.today())).count() * 86400;
    response.setCookie(v.draftCookie(), token,
                       "Path=" + v.path() + "; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(secondsLeft) + v.secure());
}

std::string pagePath(const Visit& v, std::size_t page) { return v.withLanguage(v.path("/pages/" + std::to_string(page))); }

std::string resumePath(const Visit& v, const OpenDraft& draft) {
    return pagePath(v, std::clamp<std::size_t>(draft.contents.page, 1, v.survey.pageCount()));
}

}  // namespace mindset::web::handlers::respondent
