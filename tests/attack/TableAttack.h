#pragma once
/// The first attack of issue 9: integer programming over everything a leader downloads. For each
/// scale, the unknowns are the respondent count, the favorable count and the score sum of every
/// group the profile reports (each category of each breakdown, each cell of the crossed table);
/// every published figure is a constraint (shown counts, favorable counts, mean x n, empty cells,
/// margins, "a hidden group is not empty", the raw export's rows that still name a group, the
/// participation counts). GLPK's branch-and-cut (glp_intopt, with its MIP presolver) then bounds
/// each hidden group. The attacker's own code: it knows nothing of the product's suppression.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "attack/Reader.h"

namespace mindset::attack {

/// What the downloads pin down about one hidden group on one scale. A range is either proven (every
/// assignment of respondents consistent with the downloads lies within it) or, where consistent
/// assignments were already seen far enough apart that nothing can be recovered, only what was seen.
struct HiddenGroupBounds {
    std::string scale;  ///< "instrument@version/scale"
    std::string group;  ///< "race=american-indian" or "race=american-indian & role=paraprofessional"
    std::int64_t minCount = 0;
    std::int64_t maxCount = 0;
    bool isAllFavorable = false;   ///< every member is favorable in every consistent assignment
    bool isNoneFavorable = false;  ///< no member is
    double minMean = 0;
    double maxMean = 0;
    bool isCountProven = true;  ///< else minCount..maxCount are counts seen in consistent assignments
    bool isMeanProven = true;   ///< else minMean..maxMean are means seen in consistent assignments

    /// Pinned to one value, or proven below the minimum group size.
    bool isCountRecovered(int minGroupSize) const { return minCount == maxCount || maxCount < minGroupSize; }
    bool isFavorableRecovered() const { return isAllFavorable || isNoneFavorable; }
    /// Known to within +-0.5.
    bool isMeanRecovered() const { return maxMean - minMean < 1.0; }
};

/// A hidden group of one person whose row of the raw export the bounds single out: every answer
/// of that person is then known.
struct IdentifiedRow {
    std::string group;
    std::size_t exportRow = 0;  ///< index into Downloads::exportRows (1 = first row after the header)
    std::map<std::string, double> scores;  ///< the row's score on each scale where the group holds one person
};

struct TableAttackReport {
    std::string surveyId;
    int minGroupSize = 5;
    std::vector<HiddenGroupBounds> groups;  ///< every hidden, non-empty group on every shown scale
    std::vector<IdentifiedRow> identifiedRows;
    int solves = 0;                         ///< integer programs solved (the mean takes several)

    int countsPinned() const;           ///< minCount == maxCount
    int countsBelowMinimum() const;     ///< maxCount < minimum (pinned or not)
    int favorableDetermined() const;
    int meansWithinHalf() const;
    /// Distinct groups (over all scales) whose count is pinned exactly.
    int distinctGroupsPinned() const;
    bool hasRecoveredAnything() const;
    /// One line of totals, then one line per group with anything recovered (at most `maxLines`).
    std::string describe(std::size_t maxLines = 25) const;
};

/// Runs the integer programs on `downloads`, then looks for the export row of each hidden group
/// pinned to one person: the rows whose demographics fit the group (or are withheld) and whose
/// scores fit the proven bounds and favorable statuses; one such row identifies the person.
TableAttackReport attackTables(const Downloads& downloads);

/// Group figures of a district's trends JSON compared with the profiles of the same surveys.
struct TrendCheck {
    std::size_t compared = 0;                    ///< shown trend figures matched to a profile cell
    std::vector<std::string> ofHiddenGroups;     ///< one line per figure of a group the profile hides
};

/// Looks for figures the trends JSON (GET /api/districts/{district}/trends) shows for a group that
/// the profile of the same survey hides: each is a hidden group read directly. `profiles` maps
/// survey ids to their downloaded profile JSON.
TrendCheck trendFiguresOfHiddenGroups(const nlohmann::json& trends, const std::map<std::string, nlohmann::json>& profiles);

}  // namespace mindset::attack
