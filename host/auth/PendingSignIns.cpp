#include "auth/PendingSignIns.h"

#include <algorithm>

#include "store/Tokens.h"

namespace mindset::auth {

namespace {

constexpr std::size_t kStateBytes = 32;

}  // namespace

void PendingSignIns::forgetExpired(std::int64_t now) {
    std::erase_if(byState_, [now](const auto& entry) { return entry.second.expiresAt <= now; });
}

std::optional<std::string> PendingSignIns::add(PendingSignIn signIn, const std::string& address, std::int64_t now) {
    std::lock_guard lock(mutex_);
    forgetExpired(now);
    const auto fromAddress = std::count_if(byState_.begin(), byState_.end(), [&](const auto& entry) { return entry.second.address == address; });
    if (static_cast<std::size_t>(fromAddress) >= kMaxPerAddress) return std::nullopt;
    if (byState_.size() >= kMaxPending) {
        const auto oldest = std::min_element(byState_.begin(), byState_.end(),
                                             [](const auto& a, const auto& b) { return a.second.expiresAt < b.second.expiresAt; });
        byState_.erase(oldest);
    }
    auto state = store::randomToken(kStateBytes);
    byState_[state] = Entry{std::move(signIn), address, now + kLifetime.count()};
    return state;
}

std::optional<PendingSignIn> PendingSignIns::take(const std::string& state, std::int64_t now) {
    std::lock_guard lock(mutex_);
    const auto found = byState_.find(state);
    if (found == byState_.end()) return std::nullopt;
    auto entry = std::move(found->second);
    byState_.erase(found);
    if (entry.expiresAt <= now) return std::nullopt;
    return std::move(entry.signIn);
}

std::size_t PendingSignIns::size() {
    std::lock_guard lock(mutex_);
    return byState_.size();
}

}  // namespace mindset::auth
