#include "web/Csrf.h"

#include "store/Tokens.h"

namespace mindset::web {

namespace {

bool isHexToken(const std::string& text) {
    return text.size() == 32 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

CsrfToken csrfToken(const Request& request) {
    auto value = request.cookie(kCsrfCookie);
    if (isHexToken(value)) return {std::move(value), false};
    return {store::randomToken(), true};
}

bool isCsrfValid(const CsrfToken& token, const std::string& sent) {
    if (token.isNew || sent.size() != token.value.size()) return false;
    unsigned char difference = 0;
    for (std::size_t i = 0; i < sent.size(); ++i) difference |= static_cast<unsigned char>(sent[i] ^ token.value[i]);
    return difference == 0;
}

Response& keepCsrfToken(Response& response, const CsrfToken& token, const Request& request) {
    if (token.isNew)
        response.setCookie(kCsrfCookie, token.value,
                           std::string("Path=/; HttpOnly; SameSite=Strict") + (isSecureRequest(request) ? "; Secure" : ""));
    return response;
}

bool isSecureRequest(const Request& request) { return request.isSecure; }

}  // namespace mindset::web
