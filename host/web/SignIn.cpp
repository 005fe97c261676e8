#include "web/SignIn.h"

#include <Poco/Net/HTTPServerRequest.h>

#include "auth/Sessions.h"
#include "web/Csrf.h"
#include "web/Templates.h"

namespace mindset::web {

namespace {

constexpr std::size_t kMaxNextLength = 2000;

bool endsWith(const std::string& text, std::string_view suffix) { return text.ends_with(suffix); }

}  // namespace

std::optional<store::Account> signedInAccount(const Site& site, const Request& request) {
    auto session = auth::findSession(site.store, request.cookie(kSessionCookie), auth::unixNow());
    if (!session) return std::nullopt;
    return std::move(session->account);
}

bool isMachineUrl(const std::string& path) {
    if (path.starts_with("/api/") || path == "/api") return true;
    for (std::size_t start = 1; start <= path.size();) {
        const auto end = std::min(path.find('/', start), path.size());
        const auto segment = path.substr(start, end - start);
        if (segment == "export" || segment == "exports" || segment.starts_with("export.")) return true;
        start = end + 1;
    }
    const auto last = path.substr(path.rfind('/') + 1);
    return endsWith(last, ".csv") || endsWith(last, ".json") || endsWith(last, ".xlsx");
}

Response signInRequired(const Request& request) {
    const bool isReading = request.method == "GET" || request.method == "HEAD";
    const auto next = isReading ? safeNextPath(request.raw.getURI()).value_or("/leader") : std::string("/leader");
    auto signIn = "/login?next=" + encodeQueryValue(next);
    if (auto lang = request.query.find("lang"); lang != request.query.end()) signIn += "&lang=" + encodeQueryValue(lang->second);
    if (!isMachineUrl(request.path)) return Response::redirect(signIn);

    Response response{401, "application/json; charset=utf-8",
                      R"({"error": "sign-in required", "signIn": ")" + signIn + "\"}\n", {}};
    // RFC 9110 asks a 401 to name a scheme; "Cookie" (draft-broyer-http-cookie-auth) says: sign in
    // with the form at form-action, then send the cookie named cookie-name.
    response.headers.emplace_back("WWW-Authenticate",
                                  std::string(R"(Cookie realm="Mindset", form-action="/login", cookie-name=")") + kSessionCookie + "\"");
    return response;
}

Handler requireSignIn(const Site& site, SignedInHandler handler, SchoolLeaders schoolLeaders) {
    return [&site, handler = std::move(handler), schoolLeaders](const Request& request) {
        const auto account = signedInAccount(site, request);
        if (!account) return signInRequired(request);
        // The words of the router's own 404 (web/HttpServer.cpp): a school account cannot tell a
        // district-wide page from an address that does not exist.
        if (account->isSchoolScoped() && schoolLeaders == SchoolLeaders::Refused)
            throw HttpError(404, messages(interfaceLanguage(request.queryValue("lang")))["notFound"]);
        return handler(site, request, *account);
    };
}

std::optional<std::string> safeNextPath(const std::string& next) {
    if (next.empty() || next.size() > kMaxNextLength || next[0] != '/') return std::nullopt;
    if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return std::nullopt;
    for (char c : next)
        if (c < 0x21 || c > 0x7e || c == '\\') return std::nullopt;
    const auto path = next.substr(0, next.find_first_of("?#"));
    if (path == "/login" || path == "/logout") return std::nullopt;
    return next;
}

std::string encodeQueryValue(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string encoded;
    for (unsigned char c : text) {
        const bool isUnreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                                  c == '.' || c == '_' || c == '~';
        if (isUnreserved) {
            encoded.push_back(static_cast<char>(c));
        } else {
            encoded.push_back('%');
            encoded.push_back(kHex[c >> 4]);
            encoded.push_back(kHex[c & 15]);
        }
    }
    return encoded;
}

std::string clientAddress(const Request& request) { return request.clientAddress; }

std::string sessionCookieAttributes(const Request& request) {
    return std::string("Path=/; HttpOnly; SameSite=Strict") + (isSecureRequest(request) ? "; Secure" : "");
}

void startSignedInSession(const Site& site, const Request& request, std::int64_t accountId, Response& response) {
    auth::endSession(site.store, request.cookie(kSessionCookie));
    const auto session = auth::startSession(site.store, accountId, auth::unixNow());
    response.setCookie(kSessionCookie, session.token, sessionCookieAttributes(request));
}

}  // namespace mindset::web
