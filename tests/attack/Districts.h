#pragma once
/// The districts the attacks run against: the demo Riverside years seeded as the demo plan seeds
/// them, and randomised districts (fixed seeds) from tiny to mid-sized, each on its own site with a
/// signed-in district leader; and the truth about their groups, computed here from the stored
/// responses (independently of the product's analytics) to check what an attack claims.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/TestSite.h"

namespace mindset::attack {

/// Password of the leader account every district site creates ("leader").
inline const std::string kLeaderPassword = "correct horse battery staple";

/// A site holding the Riverside surveys `surveyIds` (from surveys/) with the responses the demo
/// plan (surveys/demo/plan.json) gives them, signed in as a Riverside leader.
std::unique_ptr<testing::TestSite> riversideSite(const std::vector<std::string>& surveyIds);

/// A randomised district: riverside-2026's questions and instruments, `responses` responses whose
/// schools, roles, years and races follow random weights (some categories tiny), from `seed`.
struct RandomDistrict {
    std::uint64_t seed = 0;
    std::size_t responses = 0;
};

/// `count` randomised districts with 25-200 responses each (the first, third, ... 25-60), the same for every run.
std::vector<RandomDistrict> randomDistricts(std::size_t count, std::uint64_t seed);

/// A site holding the randomised district (survey id riverside-2026, open on the test day),
/// signed in as its leader.
std::unique_ptr<testing::TestSite> randomDistrictSite(const RandomDistrict& district);

/// The truth about one group on one scale.
struct GroupTruth {
    std::int64_t count = 0;
    std::int64_t favorable = 0;
    double sum = 0;
    double mean() const { return count ? sum / static_cast<double>(count) : 0; }
};

/// Scale ("instrument@version/scale") -> group ("question=category", or
/// "race=<category> & role=<category>") -> truth, for every response stored for `survey`.
using Truth = std::map<std::string, std::map<std::string, GroupTruth>>;
Truth truthOf(testing::TestSite& site, const surveys::SurveyDefinition& survey);

/// The category a respondent's answer to a question puts them in: a choice id, "two-or-more" or "no-answer".
std::string categoryOfAnswer(const std::vector<std::string>& choices);

}  // namespace mindset::attack
