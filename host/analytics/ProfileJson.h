#pragma once
/// The district profile as JSON, for the API, the command line and the pages' templates. Hidden
/// cells carry their reason and nothing else: no size, no figure.

#include <string>

#include <nlohmann/json.hpp>

#include "analytics/Profile.h"

namespace mindset::analytics {

/// Every figure of `profile`, with texts in `language` (falling back to English).
nlohmann::json profileToJson(const Profile& profile, const surveys::SurveyDefinition& survey, const std::string& language);

/// A shown cell's figures: n, mean, sd, ci95, favorable {count, n, share, ci95}.
nlohmann::json figuresToJson(const CellFigures& figures);

/// A group against the rest: difference, welch {ci95, df, t, p}, hedgesG {g, ci95}, q,
/// isBeyondNoise (q < 0.05), rest {n, mean}.
nlohmann::json gapToJson(const GroupComparison& gap, const std::optional<double>& qValue);

/// What a hidden cell's reason means, in words, in `language`.
std::string hiddenExplanation(HiddenBecause reason, int minGroupSize, const std::string& language);

/// Why a scale has no figures because its instrument's plugin failed, in words, in `language`.
std::string failureExplanation(const loader::PluginFailure& failure, const std::string& language);

/// [min, max] of one of `definition`'s scales, as the JSON gives it ("scoreRange"): the response
/// codes, or a custom figure's declared range.
nlohmann::json scoreRangeJson(const sdk::Definition& definition, const sdk::Scale& scale);

}  // namespace mindset::analytics
