#pragma once
/// Random tokens and access codes, and the hashes under which they are stored.

#include <string>
#include <string_view>

namespace mindset::store {

/// `bytes` random bytes from the system's CSPRNG, as lowercase hex.
std::string randomToken(std::size_t bytes = 16);

/// SHA-256 of `text`, as lowercase hex. What the store keeps instead of a token or code.
std::string sha256Hex(std::string_view text);

/// A new one-time access code for people to type: 12 Crockford base-32 characters (60 bits)
/// written in three groups, e.g. "7KQ2-M9XD-4HRT".
std::string newAccessCode();

/// A typed code in canonical form: upper case, spaces and dashes removed, and the letters people
/// confuse with digits read as those digits (O -> 0, I and L -> 1). Empty if it cannot be a code.
std::string normalizeAccessCode(std::string_view typed);

}  // namespace mindset::store
