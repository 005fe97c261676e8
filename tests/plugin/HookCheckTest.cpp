// Fault isolation at the plugin boundary (issue 10): exceptions of any kind are caught and named
// at run time; a plugin that crashes the process is found at load time in a child process.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "loader/PluginCalls.h"
#include "loader/PluginLoader.h"

using namespace mindset;

namespace {

std::filesystem::path fixtureFolder(const std::string& name) { return std::filesystem::path(MINDSET_FIXTURE_PLUGIN_DIR) / name; }

}  // namespace

TEST_CASE("the hook boundary catches and names standard and non-standard exceptions", "[unit][plugin][isolation]") {
    const loader::HookCall where{"x@1.0.0", "score", "riverside-2026"};
    CHECK_FALSE(loader::guardHook(where, [] {}));

    const auto mapAt = loader::guardHook(where, [] { (void)std::map<int, int>{}.at(3); });
    REQUIRE(mapAt);
    CHECK(mapAt->reason.rfind("std::out_of_range: ", 0) == 0);
    CHECK(mapAt->message() == "instrument x@1.0.0 failed in score() on survey 'riverside-2026': " + mapAt->reason);

    const auto integer = loader::guardHook(where, [] { throw 42; });
    REQUIRE(integer);
    CHECK(integer->reason == "an exception of type int (not a std::exception)");
    CHECK(integer->instrumentKey == "x@1.0.0");
    CHECK(integer->hook == "score");
    CHECK(integer->surveyId == "riverside-2026");
}

TEST_CASE("a plugin that crashes in score() is refused at load time with the signal named", "[plugin][isolation]") {
    loader::InstrumentRegistry registry;
    loader::loadPluginFolder(registry, fixtureFolder("crashes-on-score"));
    CHECK(registry.find("fixture-crashes-on-score@1.0.0") == nullptr);
    REQUIRE(registry.refused().size() == 1);
    const auto& reason = registry.refused().front().reason;
    CHECK(registry.refused().front().file.filename() == "crashes-on-score.so");
    CHECK(reason.find("instrument 'fixture-crashes-on-score@1.0.0' crashed with signal SIGSEGV") != std::string::npos);
    CHECK(reason.find("in score()") != std::string::npos);
}

TEST_CASE("plugins that throw while scoring still load: the run-time boundary confines them", "[plugin][isolation]") {
    loader::InstrumentRegistry registry;
    loader::loadPluginFolder(registry, fixtureFolder("faulty-scoring"));
    CHECK(registry.refused().empty());
    CHECK(registry.find("fixture-throws-map-at@1.0.0"));
    CHECK(registry.find("fixture-throws-int@1.0.0"));
    CHECK(registry.find("fixture-score-out-of-range@1.0.0"));
}
