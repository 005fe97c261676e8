#pragma once
/// Password hashing for staff accounts: libsodium's crypto_pwhash_str (Argon2id). Only the hash
/// string is stored; it carries its own random salt and cost parameters, so a later change of
/// cost still verifies old hashes. Every function here may be called from several threads.

#include <cstddef>
#include <string>
#include <string_view>

namespace mindset::auth {

/// Shortest password `mindset users add` accepts, in characters (Unicode code points).
inline constexpr std::size_t kMinPasswordCharacters = 12;

/// The number of characters (Unicode code points) in UTF-8 `text`.
std::size_t characterCount(std::string_view text);

/// A new Argon2id hash of `password` for the store. Throws std::runtime_error if libsodium
/// cannot start or runs out of memory.
std::string hashPassword(std::string_view password);

/// True when `password` is the one `hash` was made from; false for a wrong password and for a
/// hash that is not a crypto_pwhash_str string.
bool verifyPassword(std::string_view password, const std::string& hash);

/// Does the work of a failed verifyPassword against a fixed hash. Called when the username is
/// unknown, so that the answer takes as long as for a wrong password and reveals nothing.
void verifyAgainstDummy(std::string_view password);

}  // namespace mindset::auth
