#include "auth/IdToken.h"

#include <memory>
#include <vector>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <Poco/Crypto/EVPPKey.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/SHA2Engine.h>

namespace mindset::auth {

using nlohmann::json;

namespace {

constexpr int kMinRsaBits = 2048;

/// Decodes base64url with or without padding; nullopt for any other character (also '+' and '/').
std::optional<std::string> fromBase64Url(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    std::string bytes;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : text) {
        int value = -1;
        if (c >= 'A' && c <= 'Z') value = c - 'A';
        else if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
        else if (c >= '0' && c <= '9') value = c - '0' + 52;
        else if (c == '-') value = 62;
        else if (c == '_') value = 63;
        if (value < 0) return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes.push_back(static_cast<char>((buffer >> bits) & 0xff));
        }
    }
    return bytes;
}

/// An RSA public key from a JWK's modulus and exponent (big-endian bytes). Poco 1.11's RSAKey has
/// no constructor for these, so OpenSSL 3 builds the key and Poco's EVPPKey wraps (copies) it.
Poco::SharedPtr<Poco::Crypto::RSAKey> rsaKeyFrom(const std::string& modulus, const std::string& exponent) {
    using BigNum = std::unique_ptr<BIGNUM, decltype(&BN_free)>;
    BigNum n(BN_bin2bn(reinterpret_cast<const unsigned char*>(modulus.data()), static_cast<int>(modulus.size()), nullptr), BN_free);
    BigNum e(BN_bin2bn(reinterpret_cast<const unsigned char*>(exponent.data()), static_cast<int>(exponent.size()), nullptr), BN_free);
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
    if (!n || !e || !build || !OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
        !OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e.get()))
        throw IdTokenError("could not build an RSA key from the provider's JWKS");
    std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(build.get()), OSSL_PARAM_free);
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr), EVP_PKEY_CTX_free);
    EVP_PKEY* key = nullptr;
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) <= 0 ||
        EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
        throw IdTokenError("could not build an RSA key from the provider's JWKS");
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> owned(key, EVP_PKEY_free);
    if (EVP_PKEY_get_bits(key) < kMinRsaBits) return nullptr;
    return new Poco::Crypto::RSAKey(Poco::Crypto::EVPPKey(key));
}

struct Parts {
    json header;
    json payload;
};

Parts partsOf(const std::string& token) {
    const auto first = token.find('.');
    const auto second = first == std::string::npos ? first : token.find('.', first + 1);
    if (second == std::string::npos || token.find('.', second + 1) != std::string::npos)
        throw IdTokenError("the ID token is not a JWT (expected three parts separated by '.')");
    const auto header = fromBase64Url(std::string_view(token).substr(0, first));
    const auto payload = fromBase64Url(std::string_view(token).substr(first + 1, second - first - 1));
    if (!header || !payload) throw IdTokenError("the ID token is not base64url");
    Parts parts{json::parse(*header, nullptr, false), json::parse(*payload, nullptr, false)};
    if (!parts.header.is_object() || !parts.payload.is_object()) throw IdTokenError("the ID token's header or claims are not JSON objects");
    return parts;
}

std::int64_t requiredTime(const json& claims, const char* claim) {
    const auto found = claims.find(claim);
    if (found == claims.end() || !found->is_number()) throw IdTokenError(std::string("the ID token has no numeric '") + claim + "' claim");
    return static_cast<std::int64_t>(found->get<double>());
}

}  // namespace

std::string textOf(const json& object, const char* field) {
    const auto found = object.find(field);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

SigningKeys SigningKeys::fromJwks(const std::string& jwks) {
    const auto document = json::parse(jwks, nullptr, false);
    if (!document.is_object() || !document.contains("keys") || !document["keys"].is_array())
        throw IdTokenError("the provider's JWKS is not a JSON object with a \"keys\" list");
    SigningKeys result;
    for (const auto& jwk : document["keys"]) {
        if (!jwk.is_object() || textOf(jwk, "kty") != "RSA") continue;
        if (const auto use = textOf(jwk, "use"); !use.empty() && use != "sig") continue;
        if (const auto alg = textOf(jwk, "alg"); !alg.empty() && alg != "RS256") continue;
        const auto modulus = fromBase64Url(textOf(jwk, "n"));
        const auto exponent = fromBase64Url(textOf(jwk, "e"));
        if (!modulus || !exponent || modulus->empty() || exponent->empty()) continue;
        if (auto key = rsaKeyFrom(*modulus, *exponent)) result.keys_[textOf(jwk, "kid")] = key;
    }
    if (result.keys_.empty()) throw IdTokenError("the provider's JWKS holds no RSA signing key of at least 2048 bits");
    return result;
}

Poco::SharedPtr<Poco::Crypto::RSAKey> SigningKeys::find(const std::string& kid) const {
    if (kid.empty()) return keys_.size() == 1 ? keys_.begin()->second : nullptr;
    const auto found = keys_.find(kid);
    return found == keys_.end() ? nullptr : found->second;
}

std::string keyIdOf(const std::string& idToken) { return textOf(partsOf(idToken).header, "kid"); }

json verifyIdToken(const std::string& idToken, const SigningKeys& keys, const IdTokenChecks& checks) {
    const auto parts = partsOf(idToken);
    if (const auto alg = textOf(parts.header, "alg"); alg != Poco::JWT::Signer::ALGO_RS256)
        throw IdTokenError("the ID token is signed with '" + alg + "'; only RS256 is accepted");
    const auto key = keys.find(textOf(parts.header, "kid"));
    if (!key) throw IdTokenError("the ID token names a signing key ('" + textOf(parts.header, "kid") + "') the provider does not publish");
    Poco::JWT::Signer signer(key);
    signer.setAlgorithms({Poco::JWT::Signer::ALGO_RS256});  // the default set has HS256: never verify an HMAC here
    Poco::JWT::Token verified;
    bool isSigned = false;
    try {
        isSigned = signer.tryVerify(idToken, verified);
    } catch (const Poco::Exception&) {
        isSigned = false;
    }
    if (!isSigned) throw IdTokenError("the ID token's signature does not verify with the provider's key");

    const auto& claims = parts.payload;
    if (textOf(claims, "iss") != checks.issuer)
        throw IdTokenError("the ID token's issuer is '" + textOf(claims, "iss") + "', expected '" + checks.issuer + "'");
    std::vector<std::string> audiences;
    if (const auto aud = claims.find("aud"); aud != claims.end()) {
        if (aud->is_string()) audiences.push_back(aud->get<std::string>());
        if (aud->is_array())
            for (const auto& one : *aud)
                if (one.is_string()) audiences.push_back(one.get<std::string>());
    }
    if (std::find(audiences.begin(), audiences.end(), checks.clientId) == audiences.end())
        throw IdTokenError("the ID token is not meant for this client (its audience does not include the configured client_id)");
    const auto azp = textOf(claims, "azp");
    if ((audiences.size() > 1 || !azp.empty()) && azp != checks.clientId)
        throw IdTokenError("the ID token was issued to another client (azp)");
    if (requiredTime(claims, "exp") <= checks.now - checks.allowedSkewSeconds) throw IdTokenError("the ID token has expired");
    if (requiredTime(claims, "iat") > checks.now + checks.allowedSkewSeconds) throw IdTokenError("the ID token is issued in the future");
    if (claims.contains("nbf") && requiredTime(claims, "nbf") > checks.now + checks.allowedSkewSeconds)
        throw IdTokenError("the ID token is not valid yet (nbf)");
    if (checks.nonce.empty() || textOf(claims, "nonce") != checks.nonce)
        throw IdTokenError("the ID token's nonce is not the one sent with this sign-in");
    if (textOf(claims, "sub").empty()) throw IdTokenError("the ID token has no subject (sub)");
    return claims;
}

std::string base64Url(const std::string& bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string text;
    unsigned buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            text.push_back(kAlphabet[(buffer >> bits) & 63]);
        }
    }
    if (bits > 0) text.push_back(kAlphabet[(buffer << (6 - bits)) & 63]);
    return text;
}

std::string pkceChallenge(const std::string& verifier) {
    Poco::SHA2Engine sha256(Poco::SHA2Engine::SHA_256);
    sha256.update(verifier);
    const auto& digest = sha256.digest();
    return base64Url(std::string(digest.begin(), digest.end()));
}

}  // namespace mindset::auth
