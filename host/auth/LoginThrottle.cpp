#include "auth/LoginThrottle.h"

#include <algorithm>

#include "store/Store.h"

namespace mindset::auth {

namespace {

/// How long a key is locked after its `failures`th failure when `allowed` are allowed; none below.
std::optional<LoginThrottle::Clock::duration> lockAfter(int failures, int allowed) {
    const int beyond = failures - allowed;  // 0 for the failure that reaches the limit
    if (beyond < 0) return std::nullopt;
    const auto lock = LoginThrottle::kFirstLock * (1LL << std::min(beyond, 4));  // 1, 2, 4, 8, 16 minutes ...
    return std::min<LoginThrottle::Clock::duration>(lock, LoginThrottle::kLongestLock);
}

}  // namespace

LoginThrottle::LoginThrottle(std::function<Clock::time_point()> clock) : clock_(std::move(clock)) {}

LoginThrottle::LoginThrottle(store::Store& shared, std::function<std::int64_t()> unixClock, std::function<Clock::time_point()> clock)
    : clock_(std::move(clock)), shared_(&shared), unixClock_(std::move(unixClock)) {}

std::optional<std::chrono::seconds> LoginThrottle::retryAfter(const std::string& username, const std::string& address) {
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    std::optional<std::chrono::seconds> byName;
    if (!username.empty() && shared_) {
        const auto unixNow = unixClock_();
        if (const auto until = shared_->loginLockedUntil(username, unixNow)) byName = std::chrono::seconds(*until - unixNow);
    } else if (!username.empty()) {
        if (const auto until = lockOf(byUsername_, username, now)) byName = std::chrono::ceil<std::chrono::seconds>(*until - now);
    }
    std::optional<std::chrono::seconds> byAddress;
    if (const auto until = lockOf(byAddress_, address, now)) byAddress = std::chrono::ceil<std::chrono::seconds>(*until - now);
    if (!byName && !byAddress) return std::nullopt;
    return byName && byAddress ? std::max(*byName, *byAddress) : byName ? *byName : *byAddress;
}

void LoginThrottle::recordFailure(const std::string& username, const std::string& address) {
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    if (!username.empty() && shared_) {
        const auto unixNow = unixClock_();
        const auto forget = std::chrono::duration_cast<std::chrono::seconds>(kForgetAfter).count();
        const auto failures = shared_->countLoginFailure(username, unixNow, forget);
        if (const auto lockFor = lockAfter(failures, kUsernameFailures))
            shared_->lockLogin(username, unixNow + std::chrono::ceil<std::chrono::seconds>(*lockFor).count());
    } else if (!username.empty()) {
        fail(byUsername_, username, kUsernameFailures, now);
    }
    fail(byAddress_, address, kAddressFailures, now);
}

void LoginThrottle::recordSuccess(const std::string& username) {
    std::lock_guard lock(mutex_);
    if (shared_) shared_->clearLoginFailures(username);
    else byUsername_.erase(username);
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
    if (const auto lockFor = lockAfter(entry.failures, allowedFailures)) entry.lockedUntil = now + *lockFor;
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
