#pragma once
/// Resume codes: what lets a respondent continue their draft on another device.
///
/// A resume code is 20 Crockford base-32 characters (100 random bits) in four groups of five,
/// e.g. "7KQ2M-9XD4H-RT6WB-3NPQ8". The store never sees it: it keeps the code's keyed BLAKE2b hash
/// (to find the row) and the draft's cookie token wrapped in a libsodium secretbox under a key
/// derived from the code (another BLAKE2b context). The token opens the sealed draft
/// (store/DraftSeal.h), so only someone holding the code or the cookie can read the answers.
///
/// A fast hash is enough here: 100 random bits cannot be searched, even offline with a copy of the
/// database, and a slow password hash would only let anyone load the server with resume attempts.
/// Thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mindset::store {

/// Characters in a resume code, without the dashes.
inline constexpr std::size_t kResumeCodeLength = 20;

/// A new random resume code, written in four groups of five: "7KQ2M-9XD4H-RT6WB-3NPQ8".
std::string newResumeCode();

/// A typed resume code in canonical form (store::normalizeTypedCode). Empty if it cannot be a
/// resume code (wrong length or character).
std::string normalizeResumeCode(std::string_view typed);

/// The hash under which the store finds a (normalized) resume code: 64 hex digits.
std::string resumeCodeHash(std::string_view normalizedCode);

/// The draft's cookie `token` sealed under a key derived from the (normalized) code: a random
/// nonce followed by the secretbox.
std::vector<std::uint8_t> wrapDraftToken(std::string_view normalizedCode, std::string_view token);

/// The token wrapped under the code, or nullopt when `wrapped` was not wrapped with that code or
/// was altered.
std::optional<std::string> unwrapDraftToken(std::string_view normalizedCode, const std::vector<std::uint8_t>& wrapped);

}  // namespace mindset::store
