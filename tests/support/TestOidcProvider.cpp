#include "support/TestOidcProvider.h"

#include <chrono>
#include <sstream>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <Poco/Base64Encoder.h>
#include <Poco/Crypto/RSADigestEngine.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include "auth/IdToken.h"
#include "store/Tokens.h"

namespace mindset::testing {

using nlohmann::json;

namespace {

constexpr const char* kKeyId = "test-key-1";

/// The provider's signing key and a stranger's, made once per test process (2048-bit keys take a moment).
Poco::Crypto::RSAKey& providerKey() {
    static Poco::Crypto::RSAKey key(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
    return key;
}
Poco::Crypto::RSAKey& strangerKey() {
    static Poco::Crypto::RSAKey key(Poco::Crypto::RSAKey::KL_2048, Poco::Crypto::RSAKey::EXP_LARGE);
    return key;
}

std::string bytesOf(const std::vector<unsigned char>& bytes) { return std::string(bytes.begin(), bytes.end()); }

json publicJwk() {
    return {{"kty", "RSA"}, {"use", "sig"}, {"alg", "RS256"}, {"kid", kKeyId},
            {"n", auth::base64Url(bytesOf(providerKey().modulus()))}, {"e", auth::base64Url(bytesOf(providerKey().encryptionExponent()))}};
}

/// base64url without padding by Poco's encoder, apart from the product's auth::base64Url.
std::string base64UrlOf(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder << bytes;
    encoder.close();
    return out.str();
}

/// The PKCE S256 challenge, computed here rather than by the product's auth::pkceChallenge.
std::string challengeOf(const std::string& verifier) {
    Poco::SHA2Engine sha256(Poco::SHA2Engine::SHA_256);
    sha256.update(verifier);
    const auto& digest = sha256.digest();
    return base64UrlOf(std::string(digest.begin(), digest.end()));
}

std::string basicCredentials() {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << TestOidcProvider::kClientId << ':' << TestOidcProvider::kClientSecret;
    encoder.close();
    return "Basic " + out.str();
}

std::int64_t now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

class TestOidcProvider::Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(TestOidcProvider& provider) : provider_(provider) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        std::string body;
        if (request.getMethod() == "POST") Poco::StreamCopier::copyToString(request.stream(), body);
        int status = 200;
        std::string answer;
        std::string location;
        provider_.handle(request.getMethod(), request.getURI(), body, request.get("Authorization", ""), status, answer, location);
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
        if (!location.empty()) response.set("Location", location);
        response.setContentType("application/json");
        response.sendBuffer(answer.data(), answer.size());
    }

private:
    TestOidcProvider& provider_;
};

namespace {

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(std::function<Poco::Net::HTTPRequestHandler*()> make) : make_(std::move(make)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override { return make_(); }

private:
    std::function<Poco::Net::HTTPRequestHandler*()> make_;
};

}  // namespace

TestOidcProvider::TestOidcProvider() {
    providerKey();  // made before the server's threads may ask for it
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    port_ = socket.address().port();
    threads_ = std::make_unique<Poco::ThreadPool>(1, 4);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory([this] { return new Handler(*this); }), *threads_, socket,
                                                      new Poco::Net::HTTPServerParams);
    server_->start();
}

TestOidcProvider::~TestOidcProvider() {
    // The connection threads call back into this object, and stopAll does not wait for them: the
    // server goes first, then its own pool joins every thread, before any member is destroyed.
    server_->stopAll(true);
    server_.reset();
    threads_.reset();
}

std::string TestOidcProvider::issuer() const { return "http://127.0.0.1:" + std::to_string(port_); }

auth::OidcConfig TestOidcProvider::config(std::vector<auth::ScopeRule> rules) const {
    auth::OidcConfig config;
    config.providerName = "Riverside Google";
    config.issuer = issuer();
    config.clientId = kClientId;
    config.clientSecret = kClientSecret;
    config.redirectUrl = "http://localhost/login/oidc/callback";
    config.rules = std::move(rules);
    return config;
}

void TestOidcProvider::setIdentity(json claims) {
    std::lock_guard lock(mutex_);
    identity_ = std::move(claims);
}

void TestOidcProvider::setSpoil(Spoil spoil) {
    std::lock_guard lock(mutex_);
    spoil_ = spoil;
}

int TestOidcProvider::tokensIssued() {
    std::lock_guard lock(mutex_);
    return tokensIssued_;
}

std::string TestOidcProvider::authorize(const std::string& authorizationUrl) {
    const Poco::URI uri(authorizationUrl);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    auto& in = session.receiveResponse(response);
    std::string ignored;
    Poco::StreamCopier::copyToString(in, ignored);
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_FOUND)
        throw std::runtime_error("the test provider refused the authorization request: " + ignored);
    return response.get("Location");
}

std::string TestOidcProvider::idToken(const std::string& nonce) {
    const auto issuedAt = spoil_ == Spoil::Expired ? now() - 7200 : now();
    json claims = identity_;
    claims["iss"] = spoil_ == Spoil::WrongIssuer ? "https://accounts.example.net" : issuer();
    claims["aud"] = spoil_ == Spoil::WrongAudience ? "another-client" : kClientId;
    claims["iat"] = issuedAt;
    claims["exp"] = issuedAt + 3600;
    claims["nonce"] = spoil_ == Spoil::WrongNonce ? "a-nonce-from-another-sign-in" : nonce;
    const bool isHmac = spoil_ == Spoil::HmacWithPublicKey;
    const json header{{"alg", isHmac ? "HS256" : "RS256"}, {"typ", "JWT"}, {"kid", kKeyId}};
    const auto signingInput = auth::base64Url(header.dump()) + "." + auth::base64Url(claims.dump());

    std::string signature;
    if (isHmac) {
        const auto key = publicJwk().dump();
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int length = 0;
        HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(signingInput.data()),
             signingInput.size(), mac, &length);
        signature.assign(reinterpret_cast<const char*>(mac), length);
    } else {
        Poco::Crypto::RSADigestEngine engine(spoil_ == Spoil::OtherKey ? strangerKey() : providerKey(), "SHA256");
        engine.update(signingInput);
        signature = bytesOf(engine.signature());
    }
    return signingInput + "." + auth::base64Url(signature);
}

void TestOidcProvider::handle(const std::string& method, const std::string& target, const std::string& body, const std::string& authorization,
                              int& status, std::string& answer, std::string& location) {
    std::lock_guard lock(mutex_);
    const Poco::URI uri(target);
    const auto path = uri.getPath();
    auto error = [&](int code, const std::string& name) {
        status = code;
        answer = json{{"error", name}}.dump();
    };
    if (method == "GET" && path == "/.well-known/openid-configuration") {
        answer = json{{"issuer", issuer()},
                      {"authorization_endpoint", issuer() + "/authorize"},
                      {"token_endpoint", issuer() + "/token"},
                      {"jwks_uri", issuer() + "/jwks"},
                      {"response_types_supported", {"code"}},
                      {"id_token_signing_alg_values_supported", {"RS256"}},
                      {"code_challenge_methods_supported", {"S256"}},
                      {"token_endpoint_auth_methods_supported", {"client_secret_post", "client_secret_basic"}}}
                     .dump();
        return;
    }
    if (method == "GET" && path == "/jwks") {
        answer = json{{"keys", {publicJwk()}}}.dump();
        return;
    }
    if (method == "GET" && path == "/authorize") {
        std::map<std::string, std::string> query;
        for (const auto& [name, value] : uri.getQueryParameters()) query[name] = value;
        if (query["response_type"] != "code" || query["client_id"] != kClientId || query["code_challenge_method"] != "S256" ||
            query["code_challenge"].empty() || query["state"].empty() || query["nonce"].empty() ||
            query["scope"].find("openid") == std::string::npos)
            return error(400, "invalid_request");
        const auto code = store::randomToken(16);
        grants_[code] = {query["redirect_uri"], query["nonce"], query["code_challenge"]};
        Poco::URI callback(query["redirect_uri"]);
        callback.addQueryParameter("code", code);
        callback.addQueryParameter("state", query["state"]);
        status = 302;
        location = callback.toString();
        return;
    }
    if (method == "POST" && path == "/token") {
        const Poco::URI form("/?" + body);
        std::map<std::string, std::string> fields;
        for (const auto& [name, value] : form.getQueryParameters()) fields[name] = value;
        const bool isClient = (fields["client_id"] == kClientId && fields["client_secret"] == kClientSecret) || authorization == basicCredentials();
        if (!isClient) return error(401, "invalid_client");
        const auto grant = grants_.find(fields["code"]);
        if (fields["grant_type"] != "authorization_code" || grant == grants_.end()) return error(400, "invalid_grant");
        const auto expected = grant->second;
        grants_.erase(grant);  // a code is good once
        if (fields["redirect_uri"] != expected.redirectUri || challengeOf(fields["code_verifier"]) != expected.codeChallenge)
            return error(400, "invalid_grant");
        ++tokensIssued_;
        answer = json{{"access_token", store::randomToken(16)}, {"token_type", "Bearer"}, {"expires_in", 3600}, {"id_token", idToken(expected.nonce)}}.dump();
        return;
    }
    error(404, "not_found");
}

}  // namespace mindset::testing
