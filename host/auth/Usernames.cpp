#include "auth/Usernames.h"

namespace mindset::auth {

std::string normalizeUsername(std::string_view typed) {
    const auto first = typed.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    typed = typed.substr(first, typed.find_last_not_of(" \t") - first + 1);
    std::string username;
    for (char c : typed) username.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    return username;
}

bool isValidUsername(std::string_view username) {
    if (username.empty() || username.size() > kMaxUsernameLength) return false;
    for (char c : username) {
        const bool isAllowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@';
        if (!isAllowed) return false;
    }
    return true;
}

}  // namespace mindset::auth
