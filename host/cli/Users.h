#pragma once
/// `mindset users`: staff accounts for the leaders who sign in to read results. Respondents never
/// need one.

#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "store/Store.h"

struct termios;

namespace mindset::cli {

/// The first line of `in` (a password piped or typed), without its line ending.
std::string readPasswordLine(std::istream& in);

/// Adds account `username` with `password`, scoped to `districtSlug` (nullopt: the whole
/// network) and, for a school leader, to `schoolSlug` within it; created on `today` (YYYY-MM-DD).
/// Throws std::invalid_argument with a message for the person when the username is malformed or
/// taken, the district is not one of `knownDistricts` (the message lists them, nearest first), a
/// school is given without a district or is not one of `knownSchools` (the district's schools;
/// listed likewise), or the password is shorter than auth::kMinPasswordCharacters.
void addUser(std::ostream& out, store::Store& store, const std::string& username,
             const std::optional<std::string>& districtSlug, const std::vector<std::string>& knownDistricts,
             const std::string& password, const std::string& today, const std::optional<std::string>& schoolSlug = std::nullopt,
             const std::vector<std::string>& knownSchools = {});

/// Throws std::invalid_argument, as addUser does, when the scope is not one an account may have:
/// a malformed or unknown district, a school without a district, or a school the district does not
/// have. Called before the password is asked for, so that a typo costs no typing.
void checkScope(const std::optional<std::string>& districtSlug, const std::vector<std::string>& knownDistricts,
                const std::optional<std::string>& schoolSlug, const std::vector<std::string>& knownSchools);

/// An account's scope in words, as `users list` and `users add` print it: "whole network",
/// "district riverside-isd", "school lakeview-elementary of district riverside-isd".
std::string scopeText(const store::Account& account);

/// Gives the existing account `username` a new `password` and signs it out everywhere. Throws
/// std::invalid_argument when there is no such account or the password is too short.
void setUserPassword(std::ostream& out, store::Store& store, const std::string& username, const std::string& password);

/// Every account: username, scope and the day it was made.
void printUsers(std::ostream& out, store::Store& store);

/// Removes the account and signs it out everywhere. Throws std::invalid_argument when there is no such account.
void removeUser(std::ostream& out, store::Store& store, const std::string& username);

/// While it lives, what is typed on a terminal standard input is not echoed, after `prompt` is
/// shown on standard error. Does nothing when standard input is a pipe or a file.
class HiddenTerminalInput {
public:
    explicit HiddenTerminalInput(const std::string& prompt);
    ~HiddenTerminalInput();
    HiddenTerminalInput(const HiddenTerminalInput&) = delete;
    HiddenTerminalInput& operator=(const HiddenTerminalInput&) = delete;

private:
    bool isTerminal_ = false;
    std::unique_ptr<termios> original_;  ///< the terminal's settings while hidden, restored on destruction
};

}  // namespace mindset::cli
