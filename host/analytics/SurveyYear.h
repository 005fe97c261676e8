#pragma once
/// One survey of a district together with its protected profile: what trends, goals and peer
/// comparisons read. Every figure they publish is taken from such a profile, never recomputed from
/// responses, so a group hidden in a year's profile stays hidden in every comparison too.

#include <memory>
#include <vector>

#include "analytics/Profile.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::analytics {

struct SurveyYear {
    const surveys::SurveyDefinition* survey = nullptr;  ///< owned by the survey catalog
    std::shared_ptr<const Profile> profile;             ///< that survey's protected profile
};

/// A district's surveys, oldest school year first (ties by survey id).
using DistrictYears = std::vector<SurveyYear>;

}  // namespace mindset::analytics
