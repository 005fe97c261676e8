#pragma once
/// Sign-in sessions: a random token in the browser's cookie, only its SHA-256 in the store.
/// A session lasts kSessionLifetime from sign-in (not sliding: a stolen cookie is worth a working
/// day at most) or until sign-out or the account's removal. Thread-safe as the Store is.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "store/Store.h"

namespace mindset::auth {

inline constexpr std::chrono::seconds kSessionLifetime = std::chrono::hours(8);

/// Unix seconds now.
std::int64_t unixNow();

struct NewSession {
    std::string token;       ///< for the cookie; the store keeps only its hash
    std::int64_t expiresAt;  ///< unix seconds
};

/// Starts a session for `accountId` at `now`: a random 32-byte token (64 hex digits). Also deletes
/// sessions that have expired, so the table does not grow without a timer.
NewSession startSession(store::Store& store, std::int64_t accountId, std::int64_t now);

/// The session a cookie `token` belongs to, if it is well formed, exists and has not expired.
std::optional<store::Session> findSession(store::Store& store, const std::string& token, std::int64_t now);

/// Ends the session of `token` (nothing happens for an unknown or malformed token).
void endSession(store::Store& store, const std::string& token);

}  // namespace mindset::auth
