#include "store/DraftSeal.h"

#include <array>
#include <mutex>
#include <stdexcept>

#include <sodium.h>

namespace mindset::store {

namespace {

/// Names what the derived key is for: a key made from the same token for anything else differs.
constexpr std::string_view kKeyContext = "mindset draft seal v1";

void initializeSodium() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialized (sodium_init failed)");
    });
}

using Key = std::array<unsigned char, crypto_secretbox_KEYBYTES>;

Key keyOf(std::string_view token) {
    if (token.size() < crypto_generichash_KEYBYTES_MIN || token.size() > crypto_generichash_KEYBYTES_MAX)
        throw std::invalid_argument("a draft token must have " + std::to_string(crypto_generichash_KEYBYTES_MIN) + " to " +
                                    std::to_string(crypto_generichash_KEYBYTES_MAX) + " characters, got " +
                                    std::to_string(token.size()));
    Key key{};
    crypto_generichash(key.data(), key.size(), reinterpret_cast<const unsigned char*>(kKeyContext.data()), kKeyContext.size(),
                       reinterpret_cast<const unsigned char*>(token.data()), token.size());
    return key;
}

}  // namespace

std::vector<std::uint8_t> sealDraft(std::string_view token, std::string_view plaintext) {
    initializeSodium();
    auto key = keyOf(token);
    std::vector<std::uint8_t> sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
    randombytes_buf(sealed.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(sealed.data() + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                          plaintext.size(), sealed.data(), key.data());
    sodium_memzero(key.data(), key.size());
    return sealed;
}

std::optional<std::string> openDraft(std::string_view token, const std::vector<std::uint8_t>& sealed) {
    initializeSodium();
    if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) return std::nullopt;
    auto key = keyOf(token);
    std::string plaintext(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    const int status = crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plaintext.data()),
                                                  sealed.data() + crypto_secretbox_NONCEBYTES,
                                                  sealed.size() - crypto_secretbox_NONCEBYTES, sealed.data(), key.data());
    sodium_memzero(key.data(), key.size());
    if (status != 0) return std::nullopt;
    return plaintext;
}

}  // namespace mindset::store
