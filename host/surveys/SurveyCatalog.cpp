#include "surveys/SurveyCatalog.h"

#include <algorithm>

namespace mindset::surveys {

const SurveyDefinition* SurveyCatalog::find(std::string_view id) const {
    for (const auto& survey : surveys)
        if (survey.id == id) return &survey;
    return nullptr;
}

SurveyCatalog loadSurveyFolder(const std::filesystem::path& folder, const loader::InstrumentRegistry& registry) {
    SurveyCatalog catalog;
    std::error_code error;
    if (!std::filesystem::is_directory(folder, error)) {
        catalog.invalid.emplace_back(folder, "$", "survey folder does not exist or is not a folder");
        return catalog;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder, error))
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        try {
            auto survey = loadSurveyFile(file, registry);
            if (const auto* other = catalog.find(survey.id))
                throw SurveyError(file, "$.id", "survey id '" + survey.id + "' is already used by " + other->file.string());
            catalog.surveys.push_back(std::move(survey));
        } catch (const SurveyError& e) {
            catalog.invalid.push_back(e);
        }
    }
    return catalog;
}

}  // namespace mindset::surveys
