#pragma once
/// Slows down password guessing: counts failed sign-ins per username and per client address and,
/// past a few, refuses further attempts for a while that doubles with each further failure.
///
/// Given a store, usernames' failures and locks are kept in its database (store::Store::
/// countLoginFailure), so that every host sharing the database honours a lock made on any of them.
///
/// Privacy: client addresses are kept only in this object's memory, for at most kForgetAfter
/// after their last failure; they are never stored, logged or shown, and are lost when the server
/// restarts. Thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "auth/Sessions.h"

namespace mindset::auth {

class LoginThrottle {
public:
    using Clock = std::chrono::steady_clock;

    /// Failures allowed before a username is locked. Five covers a person who mistypes a few
    /// times; it lets an attacker try five passwords per lock, and locks double.
    static constexpr int kUsernameFailures = 5;
    /// Failures allowed from one address over all usernames before it is locked: higher than
    /// for a username, because a whole school may reach us from one NAT address.
    static constexpr int kAddressFailures = 20;
    /// The first lock; each further failure after a lock doubles it, up to kLongestLock.
    static constexpr std::chrono::minutes kFirstLock{1};
    static constexpr std::chrono::minutes kLongestLock{15};
    /// A username's or address's failures are forgotten this long after its last one.
    static constexpr std::chrono::minutes kForgetAfter{60};
    /// At most this many usernames and as many addresses are remembered; past it the stalest
    /// unlocked ones go. Locked ones are never forgotten before their lock ends: when every entry is
    /// locked, a new username or address is not remembered (its failure still counts under the
    /// other key), so memory stays bounded and no lock is lifted early.
    static constexpr std::size_t kMaxEntries = 10000;

    /// `clock` tells the time; tests pass a fake one.
    explicit LoginThrottle(std::function<Clock::time_point()> clock = Clock::now);
    /// Usernames counted in `shared` (which must outlive the throttle), timed by `unixClock` (unix
    /// seconds: hosts' steady clocks do not agree); addresses in memory, timed by `clock`.
    explicit LoginThrottle(store::Store& shared, std::function<std::int64_t()> unixClock = unixNow,
                           std::function<Clock::time_point()> clock = Clock::now);

    /// When `username` or `address` is locked, how long until the lock ends (whole seconds,
    /// rounded up); nullopt when an attempt may go ahead. An empty `username` counts the address
    /// alone (resume codes have no name to count; web/handlers/ResumePages).
    std::optional<std::chrono::seconds> retryAfter(const std::string& username, const std::string& address);
    /// Records a failed attempt (wrong password or unknown username: both count the same).
    void recordFailure(const std::string& username, const std::string& address);
    /// Forgets the username's failures. The address's stay: one good account must not reset the
    /// count of an address trying passwords on others.
    void recordSuccess(const std::string& username);
    /// How many usernames and addresses are remembered in memory now (for tests and monitoring).
    std::size_t rememberedCount();

private:
    struct Entry {
        int failures = 0;
        Clock::time_point lastFailure;
        Clock::time_point lockedUntil;
    };
    using Entries = std::map<std::string, Entry>;

    void fail(Entries& entries, const std::string& key, int allowedFailures, Clock::time_point now);
    std::optional<Clock::time_point> lockOf(Entries& entries, const std::string& key, Clock::time_point now);
    /// Makes room for one more entry; false when every entry is locked.
    bool makeRoom(Entries& entries, Clock::time_point now);

    std::function<Clock::time_point()> clock_;
    store::Store* shared_ = nullptr;  ///< where usernames are counted, when not in byUsername_
    std::function<std::int64_t()> unixClock_;
    std::mutex mutex_;  ///< guards byUsername_ and byAddress_
    Entries byUsername_;
    Entries byAddress_;
};

}  // namespace mindset::auth
