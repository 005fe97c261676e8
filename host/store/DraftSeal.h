#pragma once
/// Sealing a respondent's draft with a key that only their browser holds.
///
/// The key is derived from the random token in the respondent's draft cookie (BLAKE2b keyed by
/// the token, with a context of its own, so it is unrelated to the SHA-256 of the token under which
/// the store finds the row). The server sees the token only while a request carries it and never
/// keeps it, so a copy of the database, its write-ahead log or a backup holds drafts nobody can open
/// without the cookie. Thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mindset::store {

/// `plaintext` sealed under the key of `token`: a fresh random nonce (24 bytes) followed by the
/// libsodium secretbox (XSalsa20-Poly1305) of the text. Sealing the same text twice gives
/// different bytes.
std::vector<std::uint8_t> sealDraft(std::string_view token, std::string_view plaintext);

/// The text sealed under the key of `token`, or nullopt when `sealed` was not sealed with that
/// token or was altered.
std::optional<std::string> openDraft(std::string_view token, const std::vector<std::uint8_t>& sealed);

}  // namespace mindset::store
