#pragma once
/// One survey of a district together with its protected profile: what trends, goals and peer
/// comparisons read. Every figure they publish is taken from such a profile, never recomputed from
/// responses, so a group hidden in a year's profile stays hidden in every comparison too.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "analytics/Profile.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::analytics {

/// Which published release of its survey a profile is (see host/releases).
struct ReleaseInfo {
    std::uint32_t number = 0;  ///< 1, 2, ...
    std::string kind;          ///< "interim" or "final"
    std::string publishedOn;   ///< YYYY-MM-DD
    std::int64_t responses = 0;
};

struct SurveyYear {
    const surveys::SurveyDefinition* survey = nullptr;  ///< owned by the survey catalog
    std::shared_ptr<const Profile> profile;             ///< that survey's protected profile: its latest release's
    ReleaseInfo release;                                ///< which release `profile` is
};

/// A district's surveys, oldest school year first (ties by survey id).
using DistrictYears = std::vector<SurveyYear>;

}  // namespace mindset::analytics
