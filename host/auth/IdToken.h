#pragma once
/// Verifying an OpenID Connect ID token: its RS256 signature against the provider's published keys
/// (JWKS), then `iss`, `aud`/`azp`, `exp`, `iat`, `nbf` and `nonce` (OpenID Connect Core 3.1.3.7).
/// Nothing here reads the network; auth/OidcProvider fetches the keys.

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

#include <Poco/SharedPtr.h>
#include <nlohmann/json.hpp>

namespace Poco::Crypto {
class RSAKey;
}

namespace mindset::auth {

/// The token, or the provider's keys, failed a check; the message says which check, never the
/// token itself (it would let whoever reads the log sign in).
class IdTokenError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The provider's RSA signing keys, by key id (`kid`), from its JWKS document. Keys of other types
/// or uses, and RSA keys shorter than 2048 bits, are left out. Immutable once made: safe to share.
class SigningKeys {
public:
    /// Reads a JWKS document ({"keys": [{"kty": "RSA", "kid": ..., "n": ..., "e": ...}, ...]}).
    /// Throws IdTokenError when it is not one or holds no usable key.
    static SigningKeys fromJwks(const std::string& jwks);

    /// The key with id `kid`; with an empty `kid`, the only key when there is exactly one. Null otherwise.
    Poco::SharedPtr<Poco::Crypto::RSAKey> find(const std::string& kid) const;

private:
    std::map<std::string, Poco::SharedPtr<Poco::Crypto::RSAKey>> keys_;
};

/// What a token must say to be accepted.
struct IdTokenChecks {
    std::string issuer;    ///< `iss` must be exactly this
    std::string clientId;  ///< `aud` must contain it; with several audiences, `azp` must be it
    std::string nonce;     ///< `nonce` must be exactly this (the one sent with this sign-in)
    std::int64_t now = 0;  ///< unix seconds
    std::int64_t allowedSkewSeconds = 60;  ///< clocks of two servers differ a little
};

/// The key id (`kid`) in the token's header ("" when it has none). Throws IdTokenError when the
/// token is not a JWT.
std::string keyIdOf(const std::string& idToken);

/// The claims (the payload object) of `idToken` once its signature verifies with `keys` under RS256
/// (no other algorithm is accepted, so neither "none" nor an HMAC keyed with the public key) and
/// every check of `checks` passes. Throws IdTokenError naming the first check that failed.
nlohmann::json verifyIdToken(const std::string& idToken, const SigningKeys& keys, const IdTokenChecks& checks);

/// The string `field` of a JSON object (a token's claims, a provider's answer), or "" when it is
/// missing or not a string.
std::string textOf(const nlohmann::json& object, const char* field);

/// `bytes` in base64url without padding (RFC 7515 §2), as JWTs and PKCE (RFC 7636) use it.
std::string base64Url(const std::string& bytes);

/// The PKCE S256 code challenge of `verifier`: base64url(SHA-256(verifier)).
std::string pkceChallenge(const std::string& verifier);

}  // namespace mindset::auth
