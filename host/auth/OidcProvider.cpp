#include "auth/OidcProvider.h"

#include <algorithm>
#include <sstream>

#include <Poco/Base64Encoder.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/URI.h>

namespace mindset::auth {

using nlohmann::json;

namespace {

constexpr std::int64_t kDiscoveryLifetimeSeconds = 3600;
constexpr std::int64_t kKeysLifetimeSeconds = 24 * 3600;
/// A token naming an unknown key makes us fetch the keys again, but not more often than this: a
/// flood of forged tokens must not become a flood of requests to the provider.
constexpr std::int64_t kKeysRefreshSpacingSeconds = 60;
constexpr int kTimeoutSeconds = 10;
constexpr std::streamsize kMaxAnswerBytes = 1024 * 1024;

/// The context every HTTPS request to the provider uses: the system's CA certificates, peer and
/// host name verified, and an invalid certificate refused (Poco's default handler would ask on
/// the console).
Poco::Net::Context::Ptr clientContext() {
    static const Poco::Net::Context::Ptr context = [] {
        Poco::Net::initializeSSL();
        Poco::Net::Context::Ptr made = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
        made->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> refuse = new Poco::Net::RejectCertificateHandler(false);
        Poco::Net::SSLManager::instance().initializeClient(nullptr, refuse, made);
        return made;
    }();
    return context;
}

struct Answer {
    int status = 0;
    json body;
};

/// What is safe to say about a URL in an error: its scheme, host and path (a query may hold a code).
std::string describe(const Poco::URI& uri) { return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath(); }

Answer exchange(const std::string& url, Poco::Net::HTMLForm* form, const std::string& basicCredentials) {
    const Poco::URI uri(url);
    if (uri.getScheme() != "https" && !isLoopbackUrl(url))
        throw ProviderError("the provider's endpoint " + describe(uri) + " is not https://; refusing to send anything there");
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri.getScheme() == "https") session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), clientContext());
    else session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    session->setTimeout(Poco::Timespan(kTimeoutSeconds, 0));

    Poco::Net::HTTPRequest request(form ? Poco::Net::HTTPRequest::HTTP_POST : Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept", "application/json");
    if (!basicCredentials.empty()) request.set("Authorization", "Basic " + basicCredentials);
    Poco::Net::HTTPResponse response;
    std::string text;
    try {
        if (form) {
            form->prepareSubmit(request);
            form->write(session->sendRequest(request));
        } else {
            session->sendRequest(request);
        }
        auto& in = session->receiveResponse(response);
        text.resize(static_cast<std::size_t>(kMaxAnswerBytes));
        in.read(text.data(), kMaxAnswerBytes);
        text.resize(static_cast<std::size_t>(in.gcount()));
    } catch (const Poco::Exception& e) {
        throw ProviderError("could not reach " + describe(uri) + ": " + e.displayText());
    }
    Answer answer{static_cast<int>(response.getStatus()), json::parse(text, nullptr, false)};
    if (!answer.body.is_object())
        throw ProviderError(describe(uri) + " answered HTTP " + std::to_string(answer.status) + " without a JSON object");
    return answer;
}

std::string requiredUrl(const json& document, const char* field) {
    auto url = textOf(document, field);
    if (url.empty()) throw ProviderError(std::string("the provider's discovery document has no \"") + field + "\"");
    return url;
}

/// client_id:client_secret for HTTP Basic, each form-encoded first (RFC 6749 §2.3.1).
std::string basicCredentials(const std::string& clientId, const std::string& clientSecret) {
    static const std::string kReserved = "!#$&'()*+,/:;=?@[]% ";
    std::string id;
    std::string secret;
    Poco::URI::encode(clientId, kReserved, id);
    Poco::URI::encode(clientSecret, kReserved, secret);
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << id << ':' << secret;
    encoder.close();
    return out.str();
}

}  // namespace

OidcProvider::OidcProvider(OidcConfig config, std::function<std::int64_t()> clock) : config_(std::move(config)), clock_(std::move(clock)) {}

OidcProvider::Endpoints OidcProvider::endpoints() {
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    if (endpoints_ && now - endpointsFetchedAt_ < kDiscoveryLifetimeSeconds) return *endpoints_;
    auto issuer = config_.issuer;
    if (issuer.ends_with('/')) issuer.pop_back();
    const auto answer = exchange(issuer + "/.well-known/openid-configuration", nullptr, "");
    if (answer.status != 200) throw ProviderError("the provider's discovery document answered HTTP " + std::to_string(answer.status));
    // OpenID Connect Discovery 1.0 §4.3: a document for another issuer must not be used.
    if (textOf(answer.body, "issuer") != config_.issuer)
        throw ProviderError("the provider's discovery document is for issuer '" + textOf(answer.body, "issuer") +
                            "', but the configuration says '" + config_.issuer + "' (they must be identical)");
    Endpoints found{requiredUrl(answer.body, "authorization_endpoint"), requiredUrl(answer.body, "token_endpoint"),
                    requiredUrl(answer.body, "jwks_uri"), false};
    if (const auto methods = answer.body.find("token_endpoint_auth_methods_supported"); methods != answer.body.end() && methods->is_array())
        found.postsClientSecret = std::find(methods->begin(), methods->end(), "client_secret_post") != methods->end();
    endpoints_ = found;
    endpointsFetchedAt_ = now;
    return found;
}

std::shared_ptr<const SigningKeys> OidcProvider::signingKeys(bool isRefresh) {
    const auto jwksUrl = endpoints().jwks;
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    const auto age = now - keysFetchedAt_;
    if (keys_ && age < kKeysLifetimeSeconds && (!isRefresh || age < kKeysRefreshSpacingSeconds)) return keys_;
    const auto answer = exchange(jwksUrl, nullptr, "");
    if (answer.status != 200) throw ProviderError("the provider's JWKS answered HTTP " + std::to_string(answer.status));
    try {
        keys_ = std::make_shared<const SigningKeys>(SigningKeys::fromJwks(answer.body.dump()));
    } catch (const IdTokenError& e) {
        throw ProviderError(e.what());
    }
    keysFetchedAt_ = now;
    return keys_;
}

std::string OidcProvider::authorizationUrl(const std::string& state, const std::string& nonce, const std::string& codeVerifier) {
    Poco::URI uri(endpoints().authorization);
    std::string scopes;
    for (const auto& scope : config_.scopes) scopes += (scopes.empty() ? "" : " ") + scope;
    uri.addQueryParameter("response_type", "code");
    uri.addQueryParameter("client_id", config_.clientId);
    uri.addQueryParameter("redirect_uri", config_.redirectUrl);
    uri.addQueryParameter("scope", scopes);
    uri.addQueryParameter("state", state);
    uri.addQueryParameter("nonce", nonce);
    uri.addQueryParameter("code_challenge", pkceChallenge(codeVerifier));
    uri.addQueryParameter("code_challenge_method", "S256");
    return uri.toString();
}

json OidcProvider::signIn(const std::string& code, const std::string& codeVerifier, const std::string& nonce) {
    const auto found = endpoints();
    Poco::Net::HTMLForm form;
    form.setEncoding(Poco::Net::HTMLForm::ENCODING_URL);
    form.set("grant_type", "authorization_code");
    form.set("code", code);
    form.set("redirect_uri", config_.redirectUrl);
    form.set("code_verifier", codeVerifier);
    std::string credentials;
    if (found.postsClientSecret) {
        form.set("client_id", config_.clientId);
        form.set("client_secret", config_.clientSecret);
    } else {
        credentials = basicCredentials(config_.clientId, config_.clientSecret);
    }
    const auto answer = exchange(found.token, &form, credentials);
    if (answer.status != 200)
        throw ProviderError("the provider's token endpoint refused the code (HTTP " + std::to_string(answer.status) + ", error '" +
                            textOf(answer.body, "error") + "')");
    const auto idToken = textOf(answer.body, "id_token");
    if (idToken.empty()) throw ProviderError("the provider's token endpoint answered without an id_token");

    auto keys = signingKeys(false);
    if (!keys->find(keyIdOf(idToken))) keys = signingKeys(true);  // the provider may have rotated its keys
    return verifyIdToken(idToken, *keys, {config_.issuer, config_.clientId, nonce, clock_()});
}

}  // namespace mindset::auth
