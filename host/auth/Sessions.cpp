#include "auth/Sessions.h"

#include "store/Tokens.h"

namespace mindset::auth {

namespace {

constexpr std::size_t kTokenBytes = 32;

bool isSessionToken(const std::string& token) {
    return token.size() == 2 * kTokenBytes && token.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

NewSession startSession(store::Store& store, std::int64_t accountId, std::int64_t now) {
    store.deleteExpiredSessions(now);
    NewSession session{store::randomToken(kTokenBytes), now + kSessionLifetime.count()};
    store.createSession(store::sha256Hex(session.token), accountId, session.expiresAt);
    return session;
}

std::optional<store::Session> findSession(store::Store& store, const std::string& token, std::int64_t now) {
    if (!isSessionToken(token)) return std::nullopt;
    return store.findSession(store::sha256Hex(token), now);
}

void endSession(store::Store& store, const std::string& token) {
    if (isSessionToken(token)) store.deleteSession(store::sha256Hex(token));
}

}  // namespace mindset::auth
