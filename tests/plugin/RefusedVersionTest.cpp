// A survey that pins an instrument version refused at load time says why, instead of calling the
// version merely "not loaded"; a survey that pins the plugin's good version is unaffected.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "loader/PluginLoader.h"
#include "support/TestSupport.h"
#include "surveys/SurveyDefinition.h"

namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;

/// The shipped plugins and the fixture whose 1.1.0 has mistakes (its 1.0.0 is valid).
const mindset::loader::InstrumentRegistry& registryWithBrokenVersion() {
    static const auto* registry = [] {
        auto* r = new mindset::loader::InstrumentRegistry;
        mindset::loader::loadPluginFolder(*r, MINDSET_BUILTIN_PLUGIN_DIR);
        mindset::loader::loadPluginFolder(*r, fs::path(MINDSET_FIXTURE_PLUGIN_DIR) / "versions-one-broken");
        return r;
    }();
    return *registry;
}

/// The demo survey file with id `id`, pinning equity-excellence and `instrumentKey`.
std::string surveyPinning(const std::string& instrumentKey) {
    auto root = nlohmann::json::parse(mindset::testing::readFile(fs::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2026.json"));
    root["id"] = "readiness-pilot";
    root["instruments"] = {"equity-excellence@1.0.0", instrumentKey};
    return root.dump();
}

}  // namespace

TEST_CASE("a survey pinning a refused instrument version names the refusal and its reasons", "[plugin][surveys]") {
    const fs::path file = "surveys/readiness-pilot.json";
    try {
        mindset::surveys::parseSurvey(surveyPinning("fixture-readiness@1.1.0"), file, registryWithBrokenVersion());
        FAIL("expected the survey to be refused");
    } catch (const mindset::surveys::SurveyError& e) {
        CHECK(e.field() == "$.instruments[1]");
        const std::string plugin = (fs::path(MINDSET_FIXTURE_PLUGIN_DIR) / "versions-one-broken" / "versions-one-broken.so").string();
        CHECK_THAT(e.reason(), Contains("instrument fixture-readiness@1.1.0 was refused when its plugin " + plugin +
                                        " was loaded: instrument 'fixture-readiness@1.1.0' has an invalid definition:"));
        CHECK_THAT(e.reason(), Contains("$.items['v3'].scale: unknown scale 'visoin'"));
    }
}

TEST_CASE("a survey pinning the good version of a plugin with a refused version is valid", "[plugin][surveys]") {
    const auto survey = mindset::surveys::parseSurvey(surveyPinning("fixture-readiness@1.0.0"), "surveys/readiness-pilot.json",
                                                      registryWithBrokenVersion());
    REQUIRE(survey.instruments.size() == 2);
    CHECK(survey.instruments[1].key == "fixture-readiness@1.0.0");
}
