#pragma once
/// Surveys that pin fixture instruments (tests/fixtures) beside the shipped ones: the demo
/// survey's schools and questions with another id and another list of instruments.

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loader/PluginLoader.h"
#include "support/TestSupport.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::testing {

/// The shipped instruments and every loadable fixture instrument (once per process, kept until
/// exit like the host's). Fixture folders named here are loaded as the host would load them.
inline const loader::InstrumentRegistry& instrumentsWithFixtures() {
    static const auto* registry = [] {
        auto* r = new loader::InstrumentRegistry;
        loader::loadPluginFolder(*r, MINDSET_BUILTIN_PLUGIN_DIR);
        for (const char* folder : {"formats", "faulty-scoring", "dont-know", "definition-throws-later", "tags"})
            loader::loadPluginFolder(*r, std::filesystem::path(MINDSET_FIXTURE_PLUGIN_DIR) / folder);
        return r;
    }();
    return *registry;
}

/// A survey file of `surveyFile` (under surveys/) with id `id` and these instruments
/// ("id@version"), parsed against instrumentsWithFixtures(); in English only when `isEnglishOnly`
/// (for fixtures without Spanish texts).
inline surveys::SurveyDefinition surveyWithInstruments(const std::string& surveyFile, const std::string& id,
                                                       const std::vector<std::string>& instrumentKeys, bool isEnglishOnly = false) {
    const auto file = std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / surveyFile;
    auto root = nlohmann::json::parse(readFile(file));
    root["id"] = id;
    root["instruments"] = instrumentKeys;
    if (isEnglishOnly) root["languages"] = {"en"};
    return surveys::parseSurvey(root.dump(), file, instrumentsWithFixtures());
}

}  // namespace mindset::testing
