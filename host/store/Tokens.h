#pragma once
/// Random tokens and access codes, and the hashes under which they are stored.

#include <string>
#include <string_view>

namespace mindset::store {

/// `bytes` random bytes from the system's CSPRNG, as lowercase hex.
std::string randomToken(std::size_t bytes = 16);

/// SHA-256 of `text`, as lowercase hex. What the store keeps instead of a token or code.
std::string sha256Hex(std::string_view text);

/// The characters of codes people type (Crockford's base 32: no I, L, O or U).
inline constexpr std::string_view kCrockfordAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A typed code of `length` characters in canonical form: upper case, spaces and dashes removed,
/// and the letters people confuse with digits read as those digits (O -> 0, I and L -> 1). Empty
/// if it cannot be such a code. Access codes and resume codes are both read this way.
std::string normalizeTypedCode(std::string_view typed, std::size_t length);

/// A new one-time access code for people to type: 12 Crockford base-32 characters (60 bits)
/// written in three groups, e.g. "7KQ2-M9XD-4HRT".
std::string newAccessCode();

/// A typed access code in canonical form (normalizeTypedCode); empty if it cannot be one.
std::string normalizeAccessCode(std::string_view typed);

}  // namespace mindset::store
