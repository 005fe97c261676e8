#include "surveys/SurveyCatalog.h"

#include <algorithm>

#include <Poco/String.h>

namespace mindset::surveys {

namespace {

bool isSurveyFileName(const std::filesystem::path& path) {
    return Poco::toLower(path.extension().string()) == ".json";
}

std::string whySkipped(const std::filesystem::directory_entry& entry) {
    std::error_code error;
    if (entry.is_directory(error))
        return "a folder: survey files are read only from the survey folder itself, not from folders inside it";
    if (!entry.is_regular_file(error)) return "not a regular file";
    const auto name = entry.path().filename().string();
    const auto lowered = Poco::toLower(name);
    // Windows hides known extensions, so "survey.json" saved from Notepad can be "survey.json.txt".
    if (lowered.find(".json") != std::string::npos)
        return "only names ending in .json are survey files; rename it to end in .json if it is one";
    return "only names ending in .json are survey files";
}

}  // namespace

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
    for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
        if (entry.is_regular_file(error) && isSurveyFileName(entry.path())) files.push_back(entry.path());
        else catalog.skipped.push_back({entry.path(), whySkipped(entry)});
    }
    std::sort(files.begin(), files.end());
    std::sort(catalog.skipped.begin(), catalog.skipped.end(),
              [](const SkippedFile& a, const SkippedFile& b) { return a.path < b.path; });
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
