#pragma once
/// What a release's stored suppression pattern (Profile::suppressionPattern) hides, read by those
/// that must hide exactly what the release's profile hides: participation of a release, and the
/// padding guard, which may decide only from what releases already show (web/PaddingGuard.h).

#include <string>

#include <nlohmann/json.hpp>

namespace mindset::analytics {

/// Whether the pattern withholds the whole breakdown by `question` (every group in it, empty ones too).
bool isTableWithheld(const nlohmann::json& pattern, const std::string& question);

/// Whether the pattern hides the group `question`=`category` (withheld with its table, or hidden itself).
bool isHiddenByRelease(const nlohmann::json& pattern, const std::string& question, const std::string& category);

}  // namespace mindset::analytics
