#pragma once
/// The fields a survey file may have, and the fields it has that no one reads: a misspelled name
/// ("acess", "requried", "min_group_size") would otherwise be ignored silently and change what the
/// survey does (an access-code survey served as an open link).

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "surveys/SurveyDefinition.h"

namespace mindset::surveys {

/// Every field of `root` (a parsed survey file) and of the objects in it that is not a known
/// field at its place, in file order, each as "unknown field" with the nearest known name when
/// one is close. Values are not checked here: parseSurvey does that.
std::vector<SurveyProblem> unknownSurveyFields(const nlohmann::ordered_json& root);

/// The name in `known` closest to `typed`, ignoring case, `_`, `-` and spaces and allowing a few
/// typing slips (letters left out, added, changed or swapped); empty when none is close.
std::string nearestName(std::string_view typed, std::span<const std::string_view> known);

}  // namespace mindset::surveys
