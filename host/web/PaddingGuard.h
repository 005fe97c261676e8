#pragma once
/// The defence against padding on open-link surveys (docs/privacy.md, R4). Anyone with the open
/// link can submit answers of their own into a small group until it reaches the threshold, and
/// then subtract them from the group's published figures. Two rules together stop one client:
///
/// - an open-link survey shows a group only at openLinkMinGroupSize (default 10), above the
///   survey's minGroupSize (default 5);
/// - one client address may add at most the difference between the two (5 by default) responses
///   to groups that are still below openLinkMinGroupSize (the district itself, or any category of
///   any demographic question), over the life of the server process.
///
/// A group a client could bring into view therefore still holds at least minGroupSize responses
/// that are not that client's. Submissions into groups that are already large are never limited:
/// on a PD day a whole school answers from one NAT address. Someone who controls many addresses
/// can still pad, and so can one who shares an address with a small group's own members, whose
/// submissions count against the same allowance (staff of a small school behind one NAT address
/// are asked to submit over another network). docs/privacy.md says so; surveys about small groups
/// should use access codes. Growth between two releases is not limited here: comparing releases
/// is guarded when a release is published (releases::publishRelease).
///
/// Privacy: addresses are kept only as keyed BLAKE2b hashes under a random key that is never
/// written anywhere, in memory only. Live group counts are counted once from the store and then
/// kept up to date by this process's submissions (another host's submissions are not seen, which
/// only makes groups look smaller, so the rule errs on the safe side). Thread-safe.

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "analytics/Profile.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::web {

class PaddingGuard {
public:
    /// At most this many (survey, address) pairs are remembered; past it, the pair with the fewest
    /// submissions is forgotten (a client at its allowance is forgotten last).
    static constexpr std::size_t kMaxClients = 100000;

    /// What tryReserve decided for one submission; hand it back to finish.
    struct Reservation {
        bool isAllowed = true;
        bool usesAllowance = false;  ///< the response lands in a small group and used one of the client's allowance
    };

    PaddingGuard();

    /// Submissions into small groups one client may make: openLinkMinGroupSize - minGroupSize, at least 1.
    static int allowanceOf(const surveys::SurveyDefinition& survey);

    /// Decides on the submission of `response` from `clientAddress`: allowed when the survey uses
    /// access codes, when the response lands in no group below the survey's reporting threshold, or
    /// when the client has allowance left (one is then used). `responses` reads the stored
    /// responses; it is read once per survey and process.
    Reservation reserve(const surveys::SurveyDefinition& survey, const analytics::ResponseSource& responses,
                        const surveys::EncodedResponse& response, const std::string& clientAddress);
    /// After the store answered: a stored response joins the live counts; otherwise the allowance
    /// the reservation used is given back.
    void finish(const surveys::SurveyDefinition& survey, const surveys::EncodedResponse& response, const std::string& clientAddress,
                const Reservation& reservation, bool isStored);

private:
    std::string keyOf(std::int64_t surveyId, const std::string& clientAddress) const;
    void makeRoom();

    std::string hashKey_;  ///< random, in memory only
    std::mutex mutex_;     ///< guards everything below
    /// Live respondent counts per survey store id (analytics::countRespondents).
    std::map<std::int64_t, analytics::Profile> counts_;
    /// Submissions into small groups, by keyed hash of (survey, address).
    std::map<std::string, int> used_;
};

}  // namespace mindset::web
