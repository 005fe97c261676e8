#pragma once
/// The surveys found in the survey folders: the usable ones, and the files that were not, with why.

#include <filesystem>
#include <string_view>
#include <vector>

#include "surveys/SurveyDefinition.h"

namespace mindset::surveys {

struct SurveyCatalog {
    std::vector<SurveyDefinition> surveys;
    std::vector<SurveyError> invalid;

    const SurveyDefinition* find(std::string_view id) const;
};

/// Parses every `*.json` in `folder` (name order). Two files with the same survey id: the second
/// is reported invalid. A missing folder is reported as one invalid entry.
SurveyCatalog loadSurveyFolder(const std::filesystem::path& folder, const loader::InstrumentRegistry& registry);

}  // namespace mindset::surveys
