#pragma once
/// The demo network (surveys/demo/plan.json): how many synthetic responses each survey gets, with
/// which seed and in which year of its district's series, and how each district differs from the
/// built-in demo profile, so that peer districts stand apart and the demo district's years tell a
/// story. Pure: parsing and profile assembly only, no I/O beyond reading the plan file.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "demo/DemoResponses.h"

namespace mindset::demo {

/// A plan file that cannot be used: which file, which field (a JSON path) and why.
class DemoPlanError : public std::runtime_error {
public:
    DemoPlanError(const std::filesystem::path& file, const std::string& field, const std::string& reason)
        : std::runtime_error(file.string() + ": " + field + ": " + reason) {}
};

/// How one scale of a district differs from the built-in ScaleLevel.
struct ScaleAdjustment {
    std::string scaleId;
    double shift = 0.0;                      ///< added to the latent mean, on top of the district's levelShift
    std::optional<double> meanPerYear{};     ///< replaces ScaleLevel::meanPerYear
};

/// How one district differs from the built-in profile (defaultScaleLevels, defaultGroupEffects,
/// defaultChoiceWeights in DemoResponses.h).
struct DistrictAdjustment {
    std::string districtId;
    double levelShift = 0.0;  ///< added to every scale's latent mean: the district as a whole sits higher or lower
    std::vector<ScaleAdjustment> scales;
    /// Each replaces the built-in effect with the same question, choice and scale, or is added.
    std::vector<GroupEffect> effects;
    /// Each replaces the built-in weight with the same question, choice and condition, or is added
    /// (a peer district's own schools, a smaller central office, ...).
    std::vector<ChoiceWeight> choiceWeights;
};

/// One survey of the plan.
struct PlannedSurvey {
    std::string surveyId;
    std::size_t responses = 0;
    std::uint64_t seed = 0;
    int yearIndex = 0;  ///< 0 for the district's first year in the series (DemoProfile::yearIndex)
};

struct DemoPlan {
    std::vector<DistrictAdjustment> districts;
    std::vector<PlannedSurvey> surveys;  ///< in plan order; each survey id at most once

    /// The built-in profile with `districtId`'s adjustments applied, for `planned`'s year.
    DemoProfile profileFor(const PlannedSurvey& planned, const std::string& districtId) const;
};

/// Most responses one planned survey may ask for (as `mindset demo --responses`).
inline constexpr std::size_t kMaxPlannedResponses = 2000000;

/// Parses a plan; throws DemoPlanError naming `file`, the field and the reason.
DemoPlan parseDemoPlan(std::string_view json, const std::filesystem::path& file);

/// Reads and parses the plan file; throws DemoPlanError.
DemoPlan loadDemoPlan(const std::filesystem::path& file);

}  // namespace mindset::demo
