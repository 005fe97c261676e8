#pragma once
/// The import tests' shared pieces: the survey they import into and the files in
/// tests/fixtures/import (written by make_fixtures.py there).

#include <filesystem>
#include <string>

#include "support/TestSupport.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::testing {

/// surveys/riverside-2024.json, the target of every import example.
inline surveys::SurveyDefinition riverside2024() {
    return surveys::loadSurveyFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2024.json",
                                   shippedInstruments());
}

/// surveys/riverside-2025.json: the same district a year later, on continuous-improvement@1.0.0.
inline surveys::SurveyDefinition riverside2025() {
    return surveys::loadSurveyFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2025.json",
                                   shippedInstruments());
}

inline std::filesystem::path importFixture(const std::string& name) {
    return std::filesystem::path(MINDSET_SOURCE_DIR) / "tests" / "fixtures" / "import" / name;
}

}  // namespace mindset::testing
