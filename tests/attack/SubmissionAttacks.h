#pragma once
/// The second and third attacks of issue 9, which submit through the open link and read what the
/// product publishes before and after: padding a hidden group with one's own responses until it
/// shows, and differencing the figures around one other person's submission. Each reports what
/// it derived; the tests compare that with the truth.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "attack/Reader.h"

namespace mindset::attack {

/// What padding derived about the real members of a group on one scale.
struct PaddedFigures {
    std::string scale;
    std::int64_t members = 0;  ///< shown n minus own responses
    double mean = 0;           ///< (shown mean x n - own scores) / members
    std::int64_t favorable = 0;
};

struct PaddingResult {
    std::string group;          ///< "role=central-office"
    bool wasHidden = false;     ///< hidden on every shown scale before padding
    int ownResponses = 0;       ///< submitted (stored) by the attacker
    bool didShow = false;       ///< the group became visible on some scale
    std::vector<PaddedFigures> derived;  ///< one per scale where it showed

    std::string describe() const;
};

/// As an outsider with the open link, submits responses of its own (every item at the middle code,
/// every other question at its first choice) into `question`=`category`, publishing and reading
/// the profile (with the site's signed-in session) after each, until the group shows or
/// `maxOwnResponses` are in; then subtracts its own answers.
PaddingResult padGroup(testing::TestSite& site, const std::string& surveyId, const std::string& question,
                       const std::string& category, int maxOwnResponses);

/// What the open link answered one client address that submitted into one hidden group.
struct RefusalProbe {
    std::string group;        ///< "race=pacific-islander"
    int accepted = 0;         ///< own responses stored before the first refusal (or all of them)
    bool wasRefused = false;  ///< the product refused one (429)

    std::string describe() const;
};

/// As an outsider with the open link, from a fresh client address per group (forwarded by a proxy
/// the site trusts), submits responses of its own into each group of `question` the latest release
/// hides (every other question at its largest shown category, so that only the probed group can be
/// small) until the product refuses one or `maxOwnResponses` are in. Whether and when a refusal
/// comes is what the attacker reads: if it depends on the group's size, it tells a small group from
/// a large one.
std::vector<RefusalProbe> probeRefusals(testing::TestSite& site, const std::string& surveyId, const std::string& question,
                                        int maxOwnResponses);

/// What differencing derived about the one person who submitted between two downloads.
struct DifferencingResult {
    bool didPublish = false;
    /// Item field ("i.<instrument>.<item>") -> the code derived ("" when derived as unanswered).
    std::map<std::string, std::string> answers;
    /// Question -> category derived ("two-or-more", "no-answer" or a choice id).
    std::map<std::string, std::string> demographics;
    /// Scale ("instrument@version/scale") -> the person's score.
    std::map<std::string, double> scores;
    std::size_t itemsAsked = 0;
    std::size_t questionsAsked = 0;

    std::string describe() const;
};

/// Downloads everything, lets `victim` submit `victimAnswers` through the open link (as another
/// browser), publishes, downloads again, and derives the victim's answers from the difference.
DifferencingResult differenceAroundOneSubmission(testing::TestSite& site, const std::string& surveyId,
                                                 const surveys::FormFields& victimAnswers);

}  // namespace mindset::attack
