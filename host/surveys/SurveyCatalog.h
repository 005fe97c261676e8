#pragma once
/// The surveys found in the survey folders: the usable ones, and the files that were not, with why.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "surveys/SurveyDefinition.h"

namespace mindset::surveys {

/// Something in a survey folder that is not read as a survey, and why (so that nothing is skipped silently).
struct SkippedFile {
    std::filesystem::path path;
    std::string reason;
};

struct SurveyCatalog {
    std::vector<SurveyDefinition> surveys;
    std::vector<SurveyError> invalid;
    /// Entries of the folder that are not survey files (other extensions, sub-folders); not errors.
    std::vector<SkippedFile> skipped;

    const SurveyDefinition* find(std::string_view id) const;
};

/// Parses every `*.json` in `folder` (name order; the extension in any case, `.JSON` too). Two
/// files with the same survey id: the second is reported invalid. A missing folder is reported as
/// one invalid entry. Every other entry of the folder is listed in `skipped` with the reason.
SurveyCatalog loadSurveyFolder(const std::filesystem::path& folder, const loader::InstrumentRegistry& registry);

}  // namespace mindset::surveys
