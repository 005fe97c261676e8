#pragma once
/// The drafts a server has read or written, kept in memory so that a respondent's form page does
/// not read the database on every request (a sixth of the page's server time, issue 12).
///
/// It holds what the drafts table holds (sealed contents under the token's hash), so it reveals
/// nothing the database does not. It is right only while this process is the one writer of the
/// drafts it serves: `mindset serve` turns it on for its SQLite file, which it holds alone
/// (app/ServeLock.h); several hosts on one PostgreSQL server never use it.
///
/// Store calls every mutating member with its database mutex held, and updates the cache after
/// the database, so that a reader that missed cannot put back an older draft than the database's.

#include <cstdint>
#include <deque>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace mindset::store {

class DraftCache {
public:
    /// At most this many drafts are kept (a few hundred bytes each); past it the oldest is dropped.
    static constexpr std::size_t kMaxDrafts = 50'000;

    struct Entry {
        std::int64_t surveyId = 0;
        std::string expiresOn;  ///< YYYY-MM-DD: the draft is gone on that day
        std::vector<std::uint8_t> sealed;
    };

    /// The cached draft's sealed contents if it is cached, belongs to `surveyId` and has not
    /// expired by `today`; nullopt means "ask the database".
    std::optional<std::vector<std::uint8_t>> find(const std::string& tokenHash, std::int64_t surveyId, const std::string& today) const {
        std::shared_lock lock(mutex_);
        const auto found = entries_.find(tokenHash);
        if (found == entries_.end() || found->second.surveyId != surveyId || !(found->second.expiresOn > today)) return std::nullopt;
        return found->second.sealed;
    }

    void put(const std::string& tokenHash, Entry entry) {
        std::unique_lock lock(mutex_);
        if (!entries_.contains(tokenHash)) {
            if (entries_.size() >= kMaxDrafts) dropOldestLocked();
            order_.push_back(tokenHash);
            if (order_.size() > 2 * kMaxDrafts) forgetErasedLocked();
        }
        entries_.insert_or_assign(tokenHash, std::move(entry));
    }

    /// A saved draft's new contents, if the draft is cached.
    void replaceSealed(const std::string& tokenHash, const std::vector<std::uint8_t>& sealed) {
        std::unique_lock lock(mutex_);
        if (const auto found = entries_.find(tokenHash); found != entries_.end()) found->second.sealed = sealed;
    }

    void erase(const std::string& tokenHash) {
        std::unique_lock lock(mutex_);
        entries_.erase(tokenHash);  // its place in order_ goes when it is reached
    }

    void eraseExpired(const std::string& today) {
        std::unique_lock lock(mutex_);
        std::erase_if(entries_, [&](const auto& entry) { return !(entry.second.expiresOn > today); });
    }

    std::size_t size() const {
        std::shared_lock lock(mutex_);
        return entries_.size();
    }

private:
    /// Keeps order_ from growing with drafts erased since they were cached.
    void forgetErasedLocked() {
        std::erase_if(order_, [this](const std::string& token) { return !entries_.contains(token); });
    }

    void dropOldestLocked() {
        // order_ may name drafts erased since; skip them so that one live draft goes.
        while (!order_.empty()) {
            const auto oldest = std::move(order_.front());
            order_.pop_front();
            if (entries_.erase(oldest) > 0) return;
        }
    }

    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::deque<std::string> order_;  ///< tokens in the order they were first cached
};

}  // namespace mindset::store
