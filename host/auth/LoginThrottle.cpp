#include "auth/LoginThrottle.h"

#include <algorithm>

namespace mindset::auth {

LoginThrottle::LoginThrottle(std::function<Clock::time_point()> clock) : clock_(std::move(clock)) {}

std::optional<std::chrono::seconds> LoginThrottle::retryAfter(const std::string& username, const std::string& address) {
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    const auto byName = username.empty() ? std::nullopt : lockOf(byUsername_, username, now);
    const auto byAddress = lockOf(byAddress_, address, now);
    if (!byName && !byAddress) return std::nullopt;
    const auto until = byName && byAddress ? std::max(*byName, *byAddress) : byName ? *byName : *byAddress;
    return std::chrono::ceil<std::chrono::seconds>(until - now);
}

void LoginThrottle::recordFailure(const std::string& username, const std::string& address) {
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    if (!username.empty()) fail(byUsername_, username, kUsernameFailures, now);
    fail(byAddress_, address, kAddressFailures, now);
}

void LoginThrottle::recordSuccess(const std::string& username) {
    std::lock_guard lock(mutex_);
    byUsername_.erase(username);
}

std::size_t LoginThrottle::rememberedCount() {
    std::lock_guard lock(mutex_);
    return byUsername_.size() + byAddress_.size();
}

std::optional<LoginThrottle::Clock::time_point> LoginThrottle::lockOf(Entries& entries, const std::string& key,
                                                                      Clock::time_point now) {
    auto it = entries.find(key);
    if (it == entries.end()) return std::nullopt;
    if (it->second.lockedUntil > now) return it->second.lockedUntil;
    if (now - it->second.lastFailure >= kForgetAfter) entries.erase(it);
    return std::nullopt;
}

void LoginThrottle::fail(Entries& entries, const std::string& key, int allowedFailures, Clock::time_point now) {
    if (!entries.count(key) && !makeRoom(entries, now)) return;  // full of locks: they stand, this key is not remembered
    auto& entry = entries[key];
    if (entry.failures > 0 && now - entry.lastFailure >= kForgetAfter) entry = {};
    ++entry.failures;
    entry.lastFailure = now;
    const int beyond = entry.failures - allowedFailures;  // 0 for the failure that reaches the limit
    if (beyond < 0) return;
    auto lock = kFirstLock * (1LL << std::min(beyond, 4));  // 1, 2, 4, 8, 16 minutes ...
    entry.lockedUntil = now + std::min<Clock::duration>(lock, kLongestLock);
}

bool LoginThrottle::makeRoom(Entries& entries, Clock::time_point now) {
    if (entries.size() < kMaxEntries) return true;
    std::erase_if(entries, [now](const auto& item) {
        return item.second.lockedUntil <= now && now - item.second.lastFailure >= kForgetAfter;
    });
    if (entries.size() < kMaxEntries) return true;
    // Still full of recent failures (a flood of made-up usernames or of addresses): the stalest
    // unlocked one goes. A locked entry is never forgotten early, or a flood of other keys would
    // lift the lock on the one being guessed.
    auto stalest = entries.end();
    for (auto it = entries.begin(); it != entries.end(); ++it)
        if (it->second.lockedUntil <= now && (stalest == entries.end() || it->second.lastFailure < stalest->second.lastFailure))
            stalest = it;
    if (stalest == entries.end()) return false;
    entries.erase(stalest);
    return true;
}

}  // namespace mindset::auth
