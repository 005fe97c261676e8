#pragma once
/// A small OpenID Connect provider the tests start themselves, on 127.0.0.1 and a free port (no
/// outside network): discovery, JWKS (an RSA key generated once per test process), an authorize
/// endpoint that consents at once and redirects with a code, and a token endpoint that checks the
/// client secret, the redirect URL and the PKCE S256 verifier before it answers with an RS256 ID
/// token. A test chooses the identity's claims and how the token is spoiled.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/OidcConfig.h"

namespace Poco {
class ThreadPool;
}
namespace Poco::Net {
class HTTPServer;
}

namespace mindset::testing {

class TestOidcProvider {
public:
    /// How the next ID tokens are spoiled, each a check a relying party must make.
    enum class Spoil {
        Nothing,
        OtherKey,        ///< signed by another RSA key under the published key id
        WrongAudience,   ///< aud is another client
        WrongIssuer,     ///< iss is another provider
        Expired,         ///< exp an hour ago
        WrongNonce,      ///< nonce is not the one sent
        HmacWithPublicKey,  ///< alg HS256 keyed with the public key's JWK (the classic confusion attack)
    };

    static constexpr const char* kClientId = "mindset-test-client";
    static constexpr const char* kClientSecret = "test-client-secret-7f3a";

    TestOidcProvider();
    ~TestOidcProvider();
    TestOidcProvider(const TestOidcProvider&) = delete;
    TestOidcProvider& operator=(const TestOidcProvider&) = delete;

    /// http://127.0.0.1:PORT
    std::string issuer() const;
    /// A configuration for this provider named "Riverside Google" with `rules`, redirecting to
    /// http://localhost/login/oidc/callback (the tests send the callback to their own site).
    auth::OidcConfig config(std::vector<auth::ScopeRule> rules) const;

    /// The claims of the person who signs in next (sub, email, email_verified, groups, hd, ...).
    void setIdentity(nlohmann::json claims);
    void setSpoil(Spoil spoil);

    /// What a browser does at the authorization URL: the provider consents at once and answers
    /// with a redirect; returns its Location (the callback URL with code and state).
    std::string authorize(const std::string& authorizationUrl);
    /// Token requests answered with an ID token so far.
    int tokensIssued();

private:
    struct Grant {
        std::string redirectUri;
        std::string nonce;
        std::string codeChallenge;
    };
    class Handler;
    void handle(const std::string& method, const std::string& uri, const std::string& body, const std::string& authorization,
                int& status, std::string& answer, std::string& location);
    std::string idToken(const std::string& nonce);

    std::unique_ptr<Poco::ThreadPool> threads_;  ///< the server's own, so that the destructor can join its threads
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    unsigned short port_ = 0;
    std::mutex mutex_;  ///< guards everything below (the server's threads and the test's)
    nlohmann::json identity_;
    Spoil spoil_ = Spoil::Nothing;
    std::map<std::string, Grant> grants_;  ///< by authorization code; each is used once
    int tokensIssued_ = 0;
};

}  // namespace mindset::testing
