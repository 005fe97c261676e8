#pragma once
/// What a username may be, and the one form it is stored and looked up in.

#include <string>
#include <string_view>

namespace mindset::auth {

inline constexpr std::size_t kMaxUsernameLength = 64;

/// `typed` without surrounding spaces and with A-Z lowered: "  Ana.Ruiz " and "ana.ruiz" are one user.
std::string normalizeUsername(std::string_view typed);

/// True for a normalized username of 1 to kMaxUsernameLength characters from a-z, 0-9, ".", "_",
/// "-" and "@" (so an email address works).
bool isValidUsername(std::string_view username);

}  // namespace mindset::auth
