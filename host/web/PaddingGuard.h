#pragma once
/// The defence against padding on open-link surveys (docs/privacy.md, R4). Anyone with the open
/// link can submit answers of their own into a small group until it reaches the threshold, and
/// then subtract them from the group's published figures. Two rules together stop one client:
///
/// - an open-link survey shows a group only at openLinkMinGroupSize (default 10), above the
///   survey's minGroupSize (default 5);
/// - one client address may add at most the difference between the two (5 by default) responses
///   to groups that the survey's latest release does not show with at least openLinkMinGroupSize
///   responses (the district, or any category of any demographic question; before the first
///   release, every group), over the life of the server process.
///
/// A group a client could bring into view therefore still holds at least minGroupSize responses
/// that are not that client's.
///
/// The decision reads only what every reader already knows, the latest release, never the live
/// counts: a refusal that came only while a group's live count was small would itself prove, after
/// the client's own responses, that the group's real members are fewer than the minimum (the
/// attack suite probes exactly that). Submissions into groups the latest release shows as large
/// are never limited, so once a release is out a school can answer together from one NAT address;
/// before it, and for its hidden groups, one address shares the allowance. Someone who controls
/// many addresses can still pad. docs/privacy.md says so; surveys about small groups should use
/// access codes. Growth between two releases is guarded when a release is published
/// (releases::publishRelease).
///
/// Privacy: addresses are kept only as keyed BLAKE2b hashes under a random key that is never
/// written anywhere, in memory only. Thread-safe.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "store/Store.h"
#include "surveys/ResponseEncoding.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::web {

class PaddingGuard {
public:
    /// At most this many (survey, address) pairs are remembered; past it, the pair with the fewest
    /// submissions is forgotten (a client at its allowance is forgotten last).
    static constexpr std::size_t kMaxClients = 100000;

    /// What reserve decided for one submission; hand it back to finish.
    struct Reservation {
        bool isAllowed = true;
        bool usesAllowance = false;  ///< the response lands in a group the latest release does not show as large
    };

    PaddingGuard();

    /// Submissions one client may make into groups not shown as large: openLinkMinGroupSize -
    /// minGroupSize, at least 1.
    static int allowanceOf(const surveys::SurveyDefinition& survey);

    /// Decides on the submission of `response` from `clientAddress`: allowed when the survey uses
    /// access codes, when every group the response lands in is shown in the survey's latest
    /// release (read from `store`) with at least the reporting threshold, or when the client has
    /// allowance left (one is then used).
    Reservation reserve(const surveys::SurveyDefinition& survey, store::Store& store, const surveys::EncodedResponse& response,
                        const std::string& clientAddress);
    /// After the store answered: when nothing was stored, the allowance the reservation used is given back.
    void finish(const surveys::SurveyDefinition& survey, const std::string& clientAddress, const Reservation& reservation, bool isStored);

private:
    /// Which groups one release of a survey shows with at least the reporting threshold.
    struct LargeGroups {
        std::uint32_t release = 0;  ///< 0: no release yet, nothing is shown
        bool isDistrictLarge = false;
        std::vector<std::vector<bool>> isCategoryLarge;  ///< [question][category]
    };

    std::shared_ptr<const LargeGroups> largeGroupsOf(const surveys::SurveyDefinition& survey, store::Store& store);
    std::string keyOf(std::int64_t surveyId, const std::string& clientAddress) const;
    void makeRoom();

    std::string hashKey_;  ///< random, in memory only
    std::mutex mutex_;     ///< guards everything below
    /// The latest release's large groups per survey store id, read again when a release follows it.
    std::map<std::int64_t, std::shared_ptr<const LargeGroups>> largeGroups_;
    /// Submissions into groups not shown as large, by keyed hash of (survey, address).
    std::map<std::string, int> used_;
};

}  // namespace mindset::web
