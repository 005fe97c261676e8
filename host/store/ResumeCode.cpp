#include "store/ResumeCode.h"

#include <array>
#include <stdexcept>

#include <sodium.h>

#include "store/Tokens.h"

namespace mindset::store {

namespace {

/// Crockford's base 32: no I, L, O or U, so nothing reads as another character.
constexpr std::size_t kGroupLength = 5;
/// What each value derived from a code is for: the lookup hash and the wrapping key differ, so
/// the hash in the store says nothing about the key.
constexpr std::string_view kLookupContext = "mindset resume code lookup v1";
constexpr std::string_view kWrapContext = "mindset resume code wrap v1";

void initializeSodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialized (sodium_init failed)");
}

/// BLAKE2b of `context`, keyed by the code (20 bytes: within BLAKE2b's 16..64 byte keys).
template <std::size_t N>
std::array<unsigned char, N> derived(std::string_view normalizedCode, std::string_view context) {
    if (normalizedCode.size() != kResumeCodeLength)
        throw std::invalid_argument("a resume code must have " + std::to_string(kResumeCodeLength) + " characters, got " +
                                    std::to_string(normalizedCode.size()));
    initializeSodium();
    std::array<unsigned char, N> out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(context.data()), context.size(),
                       reinterpret_cast<const unsigned char*>(normalizedCode.data()), normalizedCode.size());
    return out;
}

}  // namespace

std::string newResumeCode() {
    initializeSodium();
    std::string code;
    for (std::size_t i = 0; i < kResumeCodeLength; ++i) {
        if (i > 0 && i % kGroupLength == 0) code.push_back('-');
        code.push_back(kCrockfordAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kCrockfordAlphabet.size()))]);
    }
    return code;
}

std::string normalizeResumeCode(std::string_view typed) { return normalizeTypedCode(typed, kResumeCodeLength); }

std::string resumeCodeHash(std::string_view normalizedCode) {
    const auto hash = derived<32>(normalizedCode, kLookupContext);
    std::string hex(hash.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    hex.pop_back();
    return hex;
}

std::vector<std::uint8_t> wrapDraftToken(std::string_view normalizedCode, std::string_view token) {
    auto key = derived<crypto_secretbox_KEYBYTES>(normalizedCode, kWrapContext);
    std::vector<std::uint8_t> wrapped(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + token.size());
    randombytes_buf(wrapped.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(wrapped.data() + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(token.data()),
                          token.size(), wrapped.data(), key.data());
    sodium_memzero(key.data(), key.size());
    return wrapped;
}

std::optional<std::string> unwrapDraftToken(std::string_view normalizedCode, const std::vector<std::uint8_t>& wrapped) {
    if (wrapped.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
    auto key = derived<crypto_secretbox_KEYBYTES>(normalizedCode, kWrapContext);
    std::string token(wrapped.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    const int status = crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(token.data()),
                                                  wrapped.data() + crypto_secretbox_NONCEBYTES,
                                                  wrapped.size() - crypto_secretbox_NONCEBYTES, wrapped.data(), key.data());
    sodium_memzero(key.data(), key.size());
    if (status != 0) return std::nullopt;
    return token;
}

}  // namespace mindset::store
