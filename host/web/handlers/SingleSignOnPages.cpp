#include "web/handlers/SingleSignOnPages.h"

#include <cctype>

#include <Poco/Logger.h>

#include "auth/IdToken.h"
#include "auth/Sessions.h"
#include "auth/Usernames.h"
#include "store/Tokens.h"
#include "web/Csrf.h"
#include "web/SignIn.h"
#include "web/Templates.h"

namespace mindset::web::handlers {

using nlohmann::json;

namespace {

/// Binds a sign-in under way to the browser that started it: a state copied into another browser
/// (to sign its owner in as someone else) finds a different cookie there.
constexpr const char* kBrowserCookie = "mindset_sso";
constexpr std::size_t kBrowserTokenBytes = 32;
constexpr std::size_t kVerifierBytes = 32;  // 64 hex digits: within PKCE's 43-128 characters

/// Only reasons are logged: never a code, a token, a state, an e-mail address or a client address.
Poco::Logger& logger() { return Poco::Logger::get("mindset.sso"); }

bool isBrowserToken(const std::string& token) {
    return token.size() == 2 * kBrowserTokenBytes && token.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string browserCookieAttributes(const Request& request, bool isClearing) {
    // Lax, not Strict: it must come back with the provider's cross-site redirect to the callback.
    return std::string("Path=/login/oidc; HttpOnly; SameSite=Lax; Max-Age=") +
           (isClearing ? "0" : std::to_string(auth::PendingSignIns::kLifetime.count())) + (isSecureRequest(request) ? "; Secure" : "");
}

/// A page saying why single sign-on stopped, with a way back to the sign-in page.
Response refusalPage(const Request& request, const std::string& language, int status, const std::string& titleKey,
                     const std::string& message) {
    const auto& t = messages(language);
    json view{{"lang", language}, {"title", t[titleKey]}, {"heading", t[titleKey]}, {"message", message},
              {"link", "/login?lang=" + language}, {"linkText", t["ssoBackToSignIn"]}};
    auto response = Response::html(renderPage("message", view), status);
    response.setCookie(kBrowserCookie, "", browserCookieAttributes(request, true));
    return response;
}

std::optional<Response> throttled(auth::LoginThrottle& throttle, const Request& request, const std::string& language) {
    const auto wait = throttle.retryAfter({}, clientAddress(request));
    if (!wait) return std::nullopt;
    const auto minutes = (wait->count() + 59) / 60;
    auto response = refusalPage(request, language, 429, "ssoFailedTitle",
                                fillMessage(messages(language)["signInThrottled"], {{"minutes", std::to_string(minutes)}}));
    response.headers.emplace_back("Retry-After", std::to_string(wait->count()));
    return response;
}

/// The name the account is listed under: the verified e-mail address, else the provider's
/// preferred username (Entra: the user principal name), else one made from the identity.
std::string usernameFor(const json& claims, const std::string& issuer) {
    if (claims.contains("email_verified") && claims["email_verified"] == true) {
        const auto email = auth::normalizeUsername(auth::textOf(claims, "email"));
        if (auth::isValidUsername(email)) return email;
    }
    const auto preferred = auth::normalizeUsername(auth::textOf(claims, "preferred_username"));
    if (auth::isValidUsername(preferred)) return preferred;
    return "sso-" + store::sha256Hex(issuer + "\n" + auth::textOf(claims, "sub")).substr(0, 16);
}

/// What the log may say about an identity no rule matched, so that the operator can write the rule.
std::string unmatchedIdentity(const json& claims, const std::string& groupsClaim) {
    const auto email = auth::textOf(claims, "email");
    const auto at = email.rfind('@');
    const auto groups = claims.find(groupsClaim);
    return "e-mail domain '" + (at == std::string::npos ? std::string() : email.substr(at + 1)) + "', email_verified " +
           (claims.contains("email_verified") ? claims["email_verified"].dump() : std::string("absent")) + ", hd '" +
           auth::textOf(claims, "hd") + "', " + std::to_string(groups != claims.end() && groups->is_array() ? groups->size() : 0) +
           " value(s) in claim '" + groupsClaim + "'";
}

}  // namespace

Response startSingleSignOn(const Site& site, auth::LoginThrottle& throttle, const Request& request) {
    const auto language = interfaceLanguage(request.queryValue("lang"));
    const auto& t = messages(language);
    if (!site.oidcProvider) throw HttpError(404, t["notFound"]);
    const auto next = safeNextPath(request.queryValue("next")).value_or("/leader?lang=" + language);
    if (signedInAccount(site, request)) return Response::redirect(next);
    if (auto refusal = throttled(throttle, request, language)) return *refusal;
    const auto& provider = site.oidcProvider->config().providerName;

    auto browserToken = request.cookie(kBrowserCookie);
    if (!isBrowserToken(browserToken)) browserToken = store::randomToken(kBrowserTokenBytes);
    auth::PendingSignIn signIn{store::randomToken(32), store::randomToken(kVerifierBytes), store::sha256Hex(browserToken), next, language};
    const auto nonce = signIn.nonce;
    const auto verifier = signIn.codeVerifier;
    const auto state = site.pendingSignIns->add(std::move(signIn), clientAddress(request), auth::unixNow());
    if (!state) return refusalPage(request, language, 429, "ssoFailedTitle", fillMessage(t["signInThrottled"], {{"minutes", "10"}}));

    std::string location;
    try {
        location = site.oidcProvider->authorizationUrl(*state, nonce, verifier);
    } catch (const auth::ProviderError& e) {
        site.pendingSignIns->take(*state, auth::unixNow());
        logger().error("single sign-on could not start: %s", std::string(e.what()));
        return refusalPage(request, language, 502, "ssoFailedTitle", fillMessage(t["ssoUnavailable"], {{"provider", provider}}));
    }
    auto response = Response::redirect(location);
    response.setCookie(kBrowserCookie, browserToken, browserCookieAttributes(request, false));
    return response;
}

Response finishSingleSignOn(const Site& site, auth::LoginThrottle& throttle, const Request& request) {
    auto language = interfaceLanguage(request.queryValue("lang"));
    if (!site.oidcProvider) throw HttpError(404, messages(language)["notFound"]);
    if (auto refusal = throttled(throttle, request, language)) return *refusal;
    const auto& config = site.oidcProvider->config();
    const auto address = clientAddress(request);

    const auto signIn = site.pendingSignIns->take(request.queryValue("state"), auth::unixNow());
    const auto browserToken = request.cookie(kBrowserCookie);
    if (!signIn || !isBrowserToken(browserToken) || store::sha256Hex(browserToken) != signIn->browserHash) {
        throttle.recordFailure({}, address);
        logger().warning("single sign-on refused: a state that is unknown, used before, expired or of another browser");
        return refusalPage(request, language, 400, "ssoFailedTitle", messages(language)["ssoExpired"]);
    }
    language = signIn->language;
    const auto& t = messages(language);
    if (!request.queryValue("error").empty()) {  // e.g. access_denied: the person said no at the provider
        auto error = request.queryValue("error").substr(0, 64);
        std::erase_if(error, [](char c) { return !std::isalnum(static_cast<unsigned char>(c)) && c != '_'; });  // one clean log line
        logger().information("single sign-on cancelled at the provider: %s", error);
        return refusalPage(request, language, 400, "ssoFailedTitle", fillMessage(t["ssoCancelled"], {{"provider", config.providerName}}));
    }

    json claims;
    try {
        claims = site.oidcProvider->signIn(request.queryValue("code"), signIn->codeVerifier, signIn->nonce);
    } catch (const auth::IdTokenError& e) {
        throttle.recordFailure({}, address);
        logger().warning("single sign-on refused: %s", std::string(e.what()));
        return refusalPage(request, language, 401, "ssoFailedTitle", fillMessage(t["ssoNotVerified"], {{"provider", config.providerName}}));
    } catch (const auth::ProviderError& e) {
        logger().error("single sign-on failed: %s", std::string(e.what()));
        return refusalPage(request, language, 502, "ssoFailedTitle", fillMessage(t["ssoUnavailable"], {{"provider", config.providerName}}));
    }

    const auto scope = auth::scopeFor(config.rules, claims, config.groupsClaim);
    if (!scope) {
        logger().warning("single sign-on refused: no rule gives a scope to an identity with %s", unmatchedIdentity(claims, config.groupsClaim));
        return refusalPage(request, language, 403, "ssoRefusedTitle", fillMessage(t["ssoNoAccess"], {{"provider", config.providerName}}));
    }
    store::Account wanted{0, usernameFor(claims, config.issuer), "", scope->districtSlug, formatDate(site.today()), scope->schoolSlug,
                          config.issuer, auth::textOf(claims, "sub")};
    const auto account = site.store.saveSingleSignOnAccount(wanted);
    if (!account) {
        logger().warning("single sign-on refused: the account name is held by another account (see `mindset users list`)");
        return refusalPage(request, language, 409, "ssoRefusedTitle", fillMessage(t["ssoNameTaken"], {{"username", wanted.username}}));
    }

    json view{{"lang", language}, {"title", t["ssoSignedInTitle"]}, {"heading", t["ssoSignedInTitle"]},
              {"message", fillMessage(t["signedInAs"], {{"username", account->username}})}, {"link", signIn->next},
              {"linkText", t["ssoContinue"]}, {"refreshTo", signIn->next}};
    auto response = Response::html(renderPage("message", view));
    startSignedInSession(site, request, account->id, response);
    response.setCookie(kBrowserCookie, "", browserCookieAttributes(request, true));
    return response;
}

}  // namespace mindset::web::handlers
