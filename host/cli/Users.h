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
/// network), created on `today` (YYYY-MM-DD). Throws std::invalid_argument with a message for the
/// person when the username is malformed or taken, the district is not one of `knownDistricts`
/// (the message lists them, nearest first), or the password is shorter than auth::kMinPasswordCharacters.
void addUser(std::ostream& out, store::Store& store, const std::string& username,
             const std::optional<std::string>& districtSlug, const std::vector<std::string>& knownDistricts,
             const std::string& password, const std::string& today);

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
