#include "cli/Users.h"

#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "auth/Passwords.h"
#include "auth/Usernames.h"
#include "surveys/SurveyFields.h"

namespace mindset::cli {

namespace {

bool isSlug(const std::string& text) {
    return !text.empty() && text.size() <= 64 && text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos;
}

void requireLongEnough(const std::string& password) {
    const auto characters = auth::characterCount(password);
    if (characters < auth::kMinPasswordCharacters)
        throw std::invalid_argument("the password must have at least " + std::to_string(auth::kMinPasswordCharacters) +
                                    " characters; it has " + std::to_string(characters) +
                                    " (it is read from the first line of standard input)");
}

/// Refuses a district slug that no survey names: a typo would make an account that sees nothing.
void requireKnownDistrict(const std::string& slug, const std::vector<std::string>& knownDistricts) {
    if (std::find(knownDistricts.begin(), knownDistricts.end(), slug) != knownDistricts.end()) return;
    if (knownDistricts.empty())
        throw std::invalid_argument("--district '" + slug +
                                    "' is not a known district: no survey file names a district yet. Put the district's "
                                    "survey file in the survey folder first (its \"district\": {\"id\": ...} is the slug)");
    const std::vector<std::string_view> names(knownDistricts.begin(), knownDistricts.end());
    const auto nearest = surveys::nearestName(slug, names);
    std::string list;
    for (const auto& known : knownDistricts) list += (list.empty() ? "" : ", ") + known;
    throw std::invalid_argument("--district '" + slug + "' is not a known district" +
                                (nearest.empty() ? std::string(".") : "; did you mean '" + nearest + "'?") +
                                " Known districts (of the survey files and the surveys stored): " + list);
}

/// Refuses a school id that none of the district's surveys names: the account would see nothing.
void requireKnownSchool(const std::string& school, const std::string& district, const std::vector<std::string>& knownSchools) {
    if (std::find(knownSchools.begin(), knownSchools.end(), school) != knownSchools.end()) return;
    if (knownSchools.empty())
        throw std::invalid_argument("--school '" + school + "' is not a school of district '" + district +
                                    "': no survey file of the district lists schools (\"schools\": [{\"id\": ...}])");
    const std::vector<std::string_view> names(knownSchools.begin(), knownSchools.end());
    const auto nearest = surveys::nearestName(school, names);
    std::string list;
    for (const auto& known : knownSchools) list += (list.empty() ? "" : ", ") + known;
    throw std::invalid_argument("--school '" + school + "' is not a school of district '" + district + "'" +
                                (nearest.empty() ? std::string(".") : "; did you mean '" + nearest + "'?") +
                                " Schools of " + district + " (of the survey files and the surveys stored): " + list);
}

}  // namespace

void checkScope(const std::optional<std::string>& districtSlug, const std::vector<std::string>& knownDistricts,
                const std::optional<std::string>& schoolSlug, const std::vector<std::string>& knownSchools) {
    if (districtSlug && !isSlug(*districtSlug))
        throw std::invalid_argument("--district expects a district id such as 'riverside' (a-z, 0-9, '-' and '_'), got '" +
                                    *districtSlug + "'");
    if (schoolSlug && !districtSlug)
        throw std::invalid_argument("--school needs --district: name the district whose school '" + *schoolSlug + "' is");
    if (schoolSlug && !isSlug(*schoolSlug))
        throw std::invalid_argument("--school expects a school id such as 'lakeview-elementary' (a-z, 0-9, '-' and '_'), got '" +
                                    *schoolSlug + "'");
    if (districtSlug) requireKnownDistrict(*districtSlug, knownDistricts);
    if (schoolSlug) requireKnownSchool(*schoolSlug, *districtSlug, knownSchools);
}

std::string scopeText(const store::Account& account) {
    if (!account.districtSlug) return "whole network";
    if (account.schoolSlug) return "school " + *account.schoolSlug + " of district " + *account.districtSlug;
    return "district " + *account.districtSlug;
}

std::string readPasswordLine(std::istream& in) {
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();  // typed or saved on Windows
    return line;
}

void addUser(std::ostream& out, store::Store& store, const std::string& typedUsername,
             const std::optional<std::string>& districtSlug, const std::vector<std::string>& knownDistricts,
             const std::string& password, const std::string& today, const std::optional<std::string>& schoolSlug,
             const std::vector<std::string>& knownSchools) {
    const auto username = auth::normalizeUsername(typedUsername);
    if (!auth::isValidUsername(username))
        throw std::invalid_argument("a username is 1 to " + std::to_string(auth::kMaxUsernameLength) +
                                    " characters from a-z, 0-9, '.', '_', '-' and '@'; got '" + typedUsername + "'");
    checkScope(districtSlug, knownDistricts, schoolSlug, knownSchools);
    if (store.findAccountByUsername(username))
        throw std::invalid_argument("an account named '" + username + "' already exists; remove it first to replace it");
    requireLongEnough(password);

    const store::Account account{0, username, auth::hashPassword(password), districtSlug, today, schoolSlug};
    if (!store.createAccount(account))
        throw std::invalid_argument("an account named '" + username + "' already exists; remove it first to replace it");
    out << "Added account '" << username << "' for "
        << (schoolSlug    ? "school '" + *schoolSlug + "' of district '" + *districtSlug + "'"
            : districtSlug ? "district '" + *districtSlug + "'"
                           : std::string("the whole network"))
        << ". It signs in at /login.\n";
}

void setUserPassword(std::ostream& out, store::Store& store, const std::string& typedUsername, const std::string& password) {
    const auto username = auth::normalizeUsername(typedUsername);
    const auto account = store.findAccountByUsername(username);
    if (!account) throw std::invalid_argument("there is no account named '" + username + "'");
    if (account->isSingleSignOn())
        throw std::invalid_argument("the account '" + username + "' signs in with single sign-on and has no password here; "
                                    "its password is the district's (docs/accounts.md#single-sign-on)");
    requireLongEnough(password);
    if (!store.setAccountPassword(username, auth::hashPassword(password)))
        throw std::invalid_argument("there is no account named '" + username + "'");
    out << "New password for account '" << username << "'; it is signed out everywhere and signs in again with the new one.\n";
}

void printUsers(std::ostream& out, store::Store& store) {
    const auto accounts = store.listAccounts();
    out << "Accounts (" << accounts.size() << "):\n";
    char line[512];
    for (const auto& account : accounts) {
        const auto scope = scopeText(account) + (account.isSingleSignOn() ? " (single sign-on)" : "");
        std::snprintf(line, sizeof line, "  %-32s %-45s created %s\n", account.username.c_str(), scope.c_str(),
                      account.createdOn.c_str());
        out << line;
    }
}

void removeUser(std::ostream& out, store::Store& store, const std::string& typedUsername) {
    const auto username = auth::normalizeUsername(typedUsername);
    if (!store.deleteAccount(username)) throw std::invalid_argument("there is no account named '" + username + "'");
    out << "Removed account '" << username << "'; it is signed out everywhere.\n";
}

HiddenTerminalInput::HiddenTerminalInput(const std::string& prompt) {
    isTerminal_ = isatty(STDIN_FILENO) == 1;
    if (!isTerminal_) return;
    std::cerr << prompt << std::flush;
    auto original = std::make_unique<termios>();
    if (tcgetattr(STDIN_FILENO, original.get()) != 0) return;
    auto hidden = *original;
    hidden.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden) == 0) original_ = std::move(original);
}

HiddenTerminalInput::~HiddenTerminalInput() {
    if (original_) tcsetattr(STDIN_FILENO, TCSAFLUSH, original_.get());
    if (isTerminal_) std::cerr << "\n";  // the Enter that ended the password was not echoed
}

}  // namespace mindset::cli
