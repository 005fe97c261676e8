#pragma once
/// Single sign-ons under way: between sending a browser to the provider and its return to
/// /login/oidc/callback, what the server must remember about it, under the random `state` it
/// sent. Each is taken once (a replayed callback finds nothing) and lasts kLifetime. Kept in
/// memory only (a restart just asks the person to start again); client addresses too, and only to
/// bound how many one address may have under way. Thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace mindset::auth {

/// What one sign-in under way needs at the callback.
struct PendingSignIn {
    std::string nonce;         ///< sent to the provider; the ID token must carry it back
    std::string codeVerifier;  ///< PKCE: its S256 challenge went to the provider
    std::string browserHash;   ///< SHA-256 of the random value in the browser's mindset_sso cookie
    std::string next;          ///< where to go once signed in (already checked by safeNextPath)
    std::string language;
};

class PendingSignIns {
public:
    /// Long enough to type a password and a second factor at the provider.
    static constexpr std::chrono::seconds kLifetime{600};
    /// Sign-ins under way from one client address (a school's NAT address serves many leaders).
    static constexpr std::size_t kMaxPerAddress = 30;
    /// Over all addresses; past it the oldest is dropped.
    static constexpr std::size_t kMaxPending = 10000;

    /// Remembers `signIn` under a new random state, which it returns; nullopt, remembering nothing,
    /// when `address` already has kMaxPerAddress under way.
    std::optional<std::string> add(PendingSignIn signIn, const std::string& address, std::int64_t now);
    /// The sign-in of `state`, forgotten as it is returned; nullopt when unknown, taken before or expired.
    std::optional<PendingSignIn> take(const std::string& state, std::int64_t now);
    /// How many are remembered (for tests).
    std::size_t size();

private:
    struct Entry {
        PendingSignIn signIn;
        std::string address;
        std::int64_t expiresAt = 0;
    };
    void forgetExpired(std::int64_t now);

    std::mutex mutex_;  ///< guards byState_
    std::map<std::string, Entry> byState_;
};

}  // namespace mindset::auth
