#pragma once
/// The district's OpenID Connect provider as the server talks to it: its discovery document
/// (/.well-known/openid-configuration), its signing keys (JWKS) and its token endpoint, over HTTPS
/// (plain HTTP only on this machine, for development and tests). Discovery and keys are fetched on
/// first use and cached, so `serve` starts while the provider is unreachable; the keys are fetched
/// again when a token names a key not seen yet (the provider rotated its keys). Thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/IdToken.h"
#include "auth/OidcConfig.h"

namespace mindset::auth {

/// The provider could not be reached, or answered something that is not what the protocol says
/// (the message names the URL's endpoint and the problem, never a secret, code or token).
class ProviderError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class OidcProvider {
public:
    /// `clock` gives unix seconds (tests pass their own).
    explicit OidcProvider(OidcConfig config, std::function<std::int64_t()> clock);

    const OidcConfig& config() const { return config_; }

    /// Where to send the browser: the authorization endpoint with response_type=code, the
    /// client id, the redirect URL, the scopes, `state`, `nonce` and the PKCE S256 challenge of
    /// `codeVerifier`. Throws ProviderError when discovery fails.
    std::string authorizationUrl(const std::string& state, const std::string& nonce, const std::string& codeVerifier);

    /// Exchanges an authorization code (with its PKCE verifier) at the token endpoint and returns
    /// the verified claims of the ID token it answers with. Throws ProviderError when the provider
    /// cannot be reached or refuses the code, IdTokenError when the token fails a check.
    nlohmann::json signIn(const std::string& code, const std::string& codeVerifier, const std::string& nonce);

private:
    struct Endpoints {
        std::string authorization;
        std::string token;
        std::string jwks;
        bool postsClientSecret = false;  ///< client_secret_post rather than HTTP Basic
    };
    Endpoints endpoints();
    std::shared_ptr<const SigningKeys> signingKeys(bool isRefresh);

    OidcConfig config_;
    std::function<std::int64_t()> clock_;
    std::mutex mutex_;  ///< guards everything below
    std::optional<Endpoints> endpoints_;
    std::int64_t endpointsFetchedAt_ = 0;
    std::shared_ptr<const SigningKeys> keys_;
    std::int64_t keysFetchedAt_ = 0;
};

}  // namespace mindset::auth
