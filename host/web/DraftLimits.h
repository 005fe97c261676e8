#pragma once
/// Bounds on respondents' drafts, so that nobody can fill the server with junk drafts (issue 9:
/// one client stored 3,000 drafts, 149 MB, in 20 s): a size per draft, a number per survey (in
/// the store), and a number of new drafts per client per hour (here, in memory).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "surveys/SurveyDefinition.h"

namespace mindset::web {

/// Largest draft, in bytes of its JSON before sealing. Validated answers of the largest survey we
/// know (three instruments, ~200 items) take under 10 KB; the rest is headroom.
inline constexpr std::size_t kMaxDraftBytes = 64 * 1024;

/// Most drafts a survey keeps at once: three per expected respondent when every school gives its
/// staff count (people restart on another device, or lose a cookie), else kMaxDraftsPerSurvey.
std::int64_t maxDraftsFor(const surveys::SurveyDefinition& survey);

/// The bound when staff counts are unknown: larger than any district's staff, small enough that
/// drafts (at most kMaxDraftBytes each) cannot fill a disk.
inline constexpr std::int64_t kMaxDraftsPerSurvey = 50000;

/// Counts new drafts per client address over a sliding hour and refuses past a limit.
///
/// Generous on purpose: on a PD day a whole school answers at once from one NAT address, and the
/// largest schools have 200-300 staff, some of whom restart on a second device. 600 an hour per
/// address lets such a school through and still stops a script from starting thousands.
///
/// Privacy: an address is kept only as a keyed BLAKE2b hash under a random key made when the
/// object is created and never written anywhere, in memory, for at most an hour after its last
/// draft. Nothing is stored or logged. Thread-safe.
class NewDraftLimit {
public:
    using Clock = std::chrono::steady_clock;

    static constexpr int kDraftsPerClientPerHour = 600;
    static constexpr std::chrono::minutes kWindow{60};
    /// At most this many addresses are remembered; past it the ones whose hour is over go, then
    /// the ones furthest from their limit (a refused address is never forgotten early).
    static constexpr std::size_t kMaxClients = 100000;

    explicit NewDraftLimit(int draftsPerHour = kDraftsPerClientPerHour, std::function<Clock::time_point()> clock = Clock::now);

    /// Counts a new draft for `clientAddress`; false (counting nothing) when the client already
    /// started its limit within the last hour.
    bool tryStart(const std::string& clientAddress);
    /// How many addresses are remembered now (for tests).
    std::size_t rememberedCount();

private:
    struct Window {
        Clock::time_point start;
        int drafts = 0;
    };

    std::string keyOf(const std::string& clientAddress) const;
    void makeRoom(Clock::time_point now);

    int draftsPerHour_;
    std::function<Clock::time_point()> clock_;
    std::string hashKey_;  ///< random, in memory only
    std::mutex mutex_;     ///< guards windows_
    std::map<std::string, Window> windows_;
};

}  // namespace mindset::web
