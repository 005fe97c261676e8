#pragma once
/// The disclosure audit of a release, and the secondary suppression that makes it pass.
///
/// Works on tables, never on responses: a *group* is a cell of a published table (the district,
/// a category of a one-way breakdown, a cell of the crossed pair), and for every group, every
/// scale and every *increment* (the responses first included in release k) the audit holds the
/// group's counts: respondents N, and per scale n (scored), f (favorable), S (sum of scores),
/// Q (sum of squared scores; the SD publishes it). Sums say which groups add up to which
/// (a breakdown's categories to the district, a row of the pair to its row category, ...).
///
/// The attacker knows every figure every release published (as exact values), the sums, the score
/// range and favorable rule of each scale, and that a hidden group is not empty. With linear
/// programming (GLPK) the audit computes what that attacker can infer about each hidden group, and
/// about each group's increment since any earlier release, and refuses a release where a group of
/// 1..threshold-1 people can be shown to be small, has its members' favorable status determined, or
/// has its mean known to within +-0.5. docs/statistics.md, "Disclosure audit", gives the model.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mindset::analytics {

/// What one scale's scores can be: the attacker's prior knowledge.
struct AuditScale {
    std::string id;                 ///< "instrument-key/scale-id", for reports
    double lowestScore = 1;         ///< the lowest possible score
    double highestScore = 5;        ///< the highest possible score
    double favorableAtLeast = 4;    ///< a score at or above this is favorable
};

/// A group's figures on one scale, in one increment (or summed over several).
struct AuditCell {
    std::int64_t scored = 0;      ///< n
    std::int64_t favorable = 0;   ///< f
    double sum = 0;               ///< S = sum of scores
    double sumOfSquares = 0;      ///< Q = sum of squared scores
};

/// A group's figures in one increment.
struct AuditGroupCounts {
    std::int64_t respondents = 0;   ///< N
    std::vector<AuditCell> scales;  ///< one per AuditScale
};

/// Groups `parts` add up to group `total` in every increment and on every figure.
struct AuditSum {
    std::vector<std::size_t> parts;
    std::size_t total = 0;
};

/// What one release published: per group shown or hidden; a shown group's cell on a scale is
/// shown unless its scored count is 1..threshold-1 or the district is hidden on that scale.
/// Empty groups and empty cells are always shown (as empty).
struct AuditVisibility {
    std::vector<bool> isGroupHidden;  ///< [group]
    bool isEverythingHidden = false;  ///< the district itself is below the threshold
    /// [table of AuditTables::tables]: the whole table is withheld, its empty groups too, so a
    /// reader cannot tell an empty group from a hidden one. Empty: none.
    std::vector<bool> isTableWithheld;
    int threshold = 0;                ///< the release's own threshold; 0: AuditTables::threshold
};

/// Everything the audit reads. Group 0 is the district.
struct AuditTables {
    int threshold = 5;
    std::vector<AuditScale> scales;
    std::vector<std::string> groupNames;   ///< [group], for reports: "district", "role=teacher", ...
    std::vector<AuditSum> sums;
    /// The published tables, each a list of groups (a question's categories, the pair's cells);
    /// every group but the district is in exactly one.
    std::vector<std::vector<std::size_t>> tables;
    /// [increment][group]; increment k = responses first published in release k + 1; the last
    /// increment is the release being audited.
    std::vector<std::vector<AuditGroupCounts>> increments;
    /// [release], one per increment: what release k + 1 published. The last one is the release
    /// being audited (secondary suppression changes only that one).
    std::vector<AuditVisibility> releases;
};

/// Whether release `release` (0-based) withheld the group's whole table.
bool isGroupWithheld(const AuditTables& tables, std::size_t release, std::size_t group);
/// Whether release `release` (0-based) published the group's respondent count (or showed it empty).
bool isGroupPublished(const AuditTables& tables, std::size_t release, std::size_t group);
/// Whether release `release` (0-based) published the group's figures on a scale (or showed them empty).
bool isCellPublished(const AuditTables& tables, std::size_t release, std::size_t group, std::size_t scale);
/// A group's figures summed over increments [from, to).
AuditGroupCounts countsOver(const AuditTables& tables, std::size_t group, std::size_t from, std::size_t to);

/// Why a release fails.
struct AuditFinding {
    std::size_t group = 0;
    std::optional<std::size_t> scale;  ///< none: about the group's respondent count
    std::size_t sinceRelease = 0;      ///< 0: the whole group; k: its increment since release k
    std::string check;                 ///< "count", "favorable", "mean", "increment"
    std::string reason;                ///< plain words
};

struct AuditOptions {
    /// Stop after this many failures (secondary suppression fixes several per round); 0: compute
    /// every hidden cell's intervals for the report.
    std::size_t failuresWanted = 1;
};

/// The attacker's interval for one figure of one hidden cell.
struct AttackerInterval {
    double lowest = 0;
    double highest = 0;
};

struct AuditResult {
    bool isPassed = true;
    std::optional<AuditFinding> failure;   ///< the first
    std::vector<AuditFinding> failures;    ///< every one found, up to AuditOptions::failuresWanted
    std::int64_t linearPrograms = 0;
    double milliseconds = 0;
    /// Per sensitive figure checked (a hidden group or cell of 1..threshold-1, or its growth since an
    /// earlier release), the attacker's bounds: internal, since it says which hidden groups are small.
    nlohmann::json checked = nlohmann::json::array();
};

/// Audits the last release of `tables` against everything all releases published.
AuditResult auditRelease(const AuditTables& tables, const AuditOptions& options = {});

/// The outcome of secondary suppression.
struct ProtectionResult {
    std::vector<bool> isGroupHidden;        ///< the audited release's hidden groups
    std::vector<std::size_t> addedGroups;   ///< hidden by secondary suppression, in order
    std::vector<bool> isTableWithheld;      ///< tables withheld whole (empty groups included)
    bool isEveryBreakdownHidden = false;    ///< every table withheld: nothing but the district could pass
    AuditResult audit;                      ///< the last audit: passed, or the failure left
    std::int64_t rounds = 0;
    std::int64_t linearPrograms = 0;        ///< over every round and the final audit
    double milliseconds = 0;
};

/// Starts from the last release's visibility (primary suppression) and hides more groups until the
/// audit passes: each round hides, for each of the first few failures, the smallest shown group that
/// shares a sum with the failing one or with a hidden group connected to it by sums (deterministic;
/// a failure next to a group hidden in the same round waits for the next round). When none is left, withholds the
/// failing group's whole table, then every table; the result may still fail (e.g. the district grew
/// by fewer than the threshold since the last release).
ProtectionResult protectRelease(AuditTables tables);

/// Groups that share a sum with `group` (as a part or as the total), in index order.
std::vector<std::size_t> neighboursOf(const AuditTables& tables, std::size_t group);

}  // namespace mindset::analytics
