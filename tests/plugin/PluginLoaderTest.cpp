// The loader against real plugin modules: the shipped instruments and the broken fixtures built by
// tests/fixtures/. Every fixture must be refused with its own message naming the file, the
// expected and the actual value, must add nothing, and must not stop the shipped plugins.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "loader/InstrumentRegistry.h"
#include "loader/PluginLoader.h"

namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using mindset::loader::InstrumentRegistry;
using mindset::loader::loadPluginFile;
using mindset::loader::loadPluginFolder;
using mindset::sdk::ItemAnswers;

const fs::path kBuiltinFolder = MINDSET_BUILTIN_PLUGIN_DIR;
const fs::path kFixtureFolder = MINDSET_FIXTURE_PLUGIN_DIR;

const std::vector<std::string> kShippedKeys{"continuous-improvement@0.9.0", "continuous-improvement@1.0.0",
                                            "equity-excellence@1.0.0", "reo-readiness@1.0.0", "reo-readiness@1.1.0",
                                            "shared-responsibility@1.0.0"};

/// Every loaded id@version, in the registry's (sorted) order.
std::vector<std::string> loadedKeys(const InstrumentRegistry& registry) {
    std::vector<std::string> keys;
    for (const auto& loaded : registry.instruments()) keys.push_back(loaded.instrument->definition().key());
    return keys;
}

/// The module a fixture case builds: <fixtures>/<case>/<case>.so.
fs::path fixtureFile(const std::string& caseName) { return kFixtureFolder / caseName / (caseName + ".so"); }

/// The reason `file` was refused; fails the test unless it was refused exactly once.
std::string refusalOf(const InstrumentRegistry& registry, const fs::path& file) {
    const auto& refused = registry.refused();
    const auto count = std::count_if(refused.begin(), refused.end(), [&](const auto& r) { return r.file == file; });
    INFO("refusals recorded for " << file.string());
    REQUIRE(count == 1);
    return std::find_if(refused.begin(), refused.end(), [&](const auto& r) { return r.file == file; })->reason;
}

/// Loads the shipped plugins and then one fixture folder, as `mindset plugins --plugins DIR` does,
/// and checks what every refusal case has in common: exactly that fixture's file was refused and
/// the loaded instruments are exactly the shipped ones. Returns the refusal reason.
std::string refusalAfterShipped(InstrumentRegistry& registry, const std::string& caseName) {
    loadPluginFolder(registry, kBuiltinFolder);
    REQUIRE(registry.refused().empty());
    REQUIRE(loadedKeys(registry) == kShippedKeys);

    loadPluginFolder(registry, kFixtureFolder / caseName);
    CHECK(registry.refused().size() == 1);
    CHECK(loadedKeys(registry) == kShippedKeys);
    return refusalOf(registry, fixtureFile(caseName));
}

}  // namespace

TEST_CASE("the shipped plugins load from the build's plugin folder", "[plugin]") {
    InstrumentRegistry registry;
    loadPluginFolder(registry, kBuiltinFolder);

    CHECK(registry.refused().empty());
    REQUIRE(loadedKeys(registry) == kShippedKeys);
    for (const auto& loaded : registry.instruments()) {
        const auto& definition = loaded.instrument->definition();
        CHECK(loaded.file == kBuiltinFolder / (definition.id + ".so"));
        CHECK(mindset::sdk::validate(definition).empty());
    }
}

TEST_CASE("a shipped instrument scores through its loaded plugin", "[plugin]") {
    InstrumentRegistry registry;
    loadPluginFolder(registry, kBuiltinFolder);
    const auto* instrument = registry.find("equity-excellence@1.0.0");
    REQUIRE(instrument);
    CHECK(registry.fileOf("equity-excellence@1.0.0") == kBuiltinFolder / "equity-excellence.so");

    const auto& definition = instrument->definition();
    REQUIRE(definition.items.size() == 14);
    REQUIRE(definition.items[3].id == "ee04");
    REQUIRE(definition.items[3].isReverseKeyed);
    REQUIRE(definition.responseScale.minCode() == 1);
    REQUIRE(definition.responseScale.maxCode() == 5);

    // Items ee01..ee14 in definition order; 0 means not answered.
    const ItemAnswers answers{{5, 4, 0, 2, 2,  /* high-expectations ee01-ee05, ee04 reverse-keyed */
                               0, 0, 3, 5, 0,  /* equitable-resourcing ee06-ee10, ee09 reverse-keyed */
                               4, 0, 1, 0}};   /* asset-based-views ee11-ee14, ee13 reverse-keyed */
    const auto scores = instrument->score(answers);

    REQUIRE(scores.size() == 3);
    // high-expectations: ee04 = 2 keys to 1 + 5 - 2 = 4, so (5 + 4 + 4 + 2) / 4 = 3.75 with 4 of 5
    // answered (minAnswered 3). Without reverse keying it would be (5 + 4 + 2 + 2) / 4 = 3.25.
    CHECK(scores[0].scaleId == "high-expectations");
    CHECK(scores[0].answeredCount == 4);
    REQUIRE(scores[0].value);
    CHECK(*scores[0].value == Approx(3.75));
    // equitable-resourcing: only ee08 and ee09 answered, 2 < minAnswered 3, so no score.
    CHECK(scores[1].scaleId == "equitable-resourcing");
    CHECK(scores[1].answeredCount == 2);
    CHECK_FALSE(scores[1].value);
    // asset-based-views: ee13 = 1 keys to 5, so (4 + 5) / 2 = 4.5 with 2 answered (minAnswered 2).
    CHECK(scores[2].scaleId == "asset-based-views");
    CHECK(scores[2].answeredCount == 2);
    REQUIRE(scores[2].value);
    CHECK(*scores[2].value == Approx(4.5));
}

TEST_CASE("a plugin built for another ABI version is refused before any C++ call", "[plugin]") {
    InstrumentRegistry registry;
    const auto reason = refusalAfterShipped(registry, "wrong-abi");

    CHECK_THAT(reason, Contains("built for plugin ABI version 999"));
    CHECK_THAT(reason, Contains("this host expects ABI version " + std::to_string(MINDSET_PLUGIN_ABI_VERSION) + " (SDK " +
                                MINDSET_SDK_VERSION + ")"));
    CHECK_THAT(reason, Contains("rebuild it against this SDK"));
    // Its register function works, so this fails if the ABI check is skipped.
    CHECK_FALSE(registry.find("fixture-wrong-abi@1.0.0"));
}

TEST_CASE("a plugin built by another compiler is refused naming both compilers", "[plugin]") {
    InstrumentRegistry registry;
    const auto reason = refusalAfterShipped(registry, "wrong-compiler");

    CHECK_THAT(reason, Contains(std::string("built with compiler 'msvc-19.38', this host expects '") + MINDSET_COMPILER_ID + "'"));
    CHECK_FALSE(registry.find("fixture-wrong-compiler@1.0.0"));
}

TEST_CASE("a plugin without mindset_plugin_register is refused naming it", "[plugin]") {
    InstrumentRegistry registry;
    const auto reason = refusalAfterShipped(registry, "missing-register");

    CHECK_THAT(reason, Contains("missing entry point mindset_plugin_register"));
    CHECK_THAT(reason, Contains("MINDSET_PLUGIN"));
}

TEST_CASE("a library that is not a Mindset plugin is refused naming mindset_plugin_describe", "[plugin]") {
    InstrumentRegistry registry;
    const auto reason = refusalAfterShipped(registry, "missing-describe");

    CHECK_THAT(reason, Contains("missing entry point mindset_plugin_describe"));
    CHECK_THAT(reason, Contains("MINDSET_PLUGIN"));
}

TEST_CASE("a plugin whose registration throws is refused with the exception's text and adds nothing", "[plugin]") {
    InstrumentRegistry registry;
    const auto reason = refusalAfterShipped(registry, "throws-on-register");

    CHECK_THAT(reason, Contains("registration failed: fixture: registration deliberately failed"));
    // It added a valid instrument before throwing: all or nothing means that one is dropped too.
    CHECK_FALSE(registry.find("fixture-throws-on-register@1.0.0"));
}

TEST_CASE("a second plugin with an id@version already loaded is refused naming the first file", "[plugin]") {
    InstrumentRegistry registry;
    const auto reason = refusalAfterShipped(registry, "duplicate");

    CHECK_THAT(reason, Contains("duplicate instrument equity-excellence@1.0.0: already loaded from " +
                                (kBuiltinFolder / "equity-excellence.so").string()));
    // The shipped instrument (14 items) is still the one surveys get, not the fixture's (4 items).
    CHECK(registry.fileOf("equity-excellence@1.0.0") == kBuiltinFolder / "equity-excellence.so");
    REQUIRE(registry.find("equity-excellence@1.0.0"));
    CHECK(registry.find("equity-excellence@1.0.0")->definition().items.size() == 14);
}

TEST_CASE("the duplicate fixture is otherwise a valid plugin", "[plugin]") {
    // Proves the duplicate case is refused for its key alone, not for some other defect.
    InstrumentRegistry registry;
    loadPluginFile(registry, fixtureFile("duplicate"));

    CHECK(registry.refused().empty());
    CHECK(loadedKeys(registry) == std::vector<std::string>{"equity-excellence@1.0.0"});
    CHECK(registry.fileOf("equity-excellence@1.0.0") == fixtureFile("duplicate"));
}

TEST_CASE("a C++ instrument whose definition fails validate() is refused with the problem", "[plugin]") {
    InstrumentRegistry registry;
    const auto reason = refusalAfterShipped(registry, "invalid-definition");

    CHECK_THAT(reason, Contains("instrument 'fixture-invalid-definition@1.0.0' has an invalid definition:"));
    CHECK_THAT(reason, Contains("$.items['c3'].scale: unknown scale 'no-such-scale'"));
    const auto* refused = registry.refusalOf("fixture-invalid-definition@1.0.0");
    REQUIRE(refused);
    CHECK(refused->problems == std::vector<std::string>{"$.items['c3'].scale: unknown scale 'no-such-scale'"});
}

TEST_CASE("an instrument whose definition() throws is refused through the hook boundary, naming what it threw", "[plugin][isolation]") {
    InstrumentRegistry registry;
    const auto reason = refusalAfterShipped(registry, "definition-throws");
    CHECK(reason == "instrument #1 of 1 failed in definition() at load time: (anonymous namespace)::FixtureDefinitionFailure: "
                    "fixture: definition deliberately failed");
    CHECK(registry.refused().front().instrument == "instrument #1 of 1");
}

TEST_CASE("a mistake in one version refuses that version alone, every problem named by version and item id", "[plugin]") {
    InstrumentRegistry registry;
    loadPluginFolder(registry, kBuiltinFolder);
    loadPluginFolder(registry, kFixtureFolder / "versions-one-broken");
    const auto file = fixtureFile("versions-one-broken");

    // 1.0.0 comes in the same plugin as the broken 1.1.0, and loads.
    CHECK(registry.find("fixture-readiness@1.0.0"));
    CHECK(registry.fileOf("fixture-readiness@1.0.0") == file);
    CHECK_FALSE(registry.find("fixture-readiness@1.1.0"));

    REQUIRE(registry.refused().size() == 1);
    const auto& refused = registry.refused().front();
    CHECK(refused.file == file);
    CHECK(refused.instrument == "fixture-readiness@1.1.0");
    CHECK_FALSE(refused.isWholeFile());
    CHECK(registry.refusalOf("fixture-readiness@1.1.0") == &refused);
    CHECK_FALSE(registry.refusalOf("fixture-readiness@1.0.0"));
    CHECK(refused.problems == std::vector<std::string>{
                                  "$.responseScale.options[1].label: Spanish text (\"es\") is missing",
                                  "$.scales['vision'].interpretation.growth: Spanish text (\"es\") is missing",
                                  "$.items['v2'].text: Spanish text (\"es\") is missing",
                                  "$.items['v3'].scale: unknown scale 'visoin'"});
    CHECK_THAT(refused.reason, Contains("instrument 'fixture-readiness@1.1.0' has an invalid definition:\n"
                                        "    $.responseScale.options[1].label: Spanish text (\"es\") is missing\n"));
}

TEST_CASE("the shipped continuous-improvement plugin registers 1.0.0 and the pilot 0.9.0 it compares with", "[plugin]") {
    InstrumentRegistry registry;
    loadPluginFolder(registry, kBuiltinFolder);
    const auto* current = registry.find("continuous-improvement@1.0.0");
    const auto* pilot = registry.find("continuous-improvement@0.9.0");
    REQUIRE(current);
    REQUIRE(pilot);
    CHECK(registry.fileOf("continuous-improvement@0.9.0") == kBuiltinFolder / "continuous-improvement.so");
    CHECK(pilot->definition().items.size() == 14);
    CHECK(pilot->definition().title.in("es") == "Escala de mentalidad del personal: mejora continua (piloto)");
    const auto* declared = current->definition().comparabilityWith("0.9.0");
    REQUIRE(declared);
    CHECK(declared->scaleIds == std::vector<std::string>{"data-informed-practice", "learning-from-mistakes"});
}

namespace {

/// What refusing fixture-versions@2.0.0 says, whichever way its two versions were loaded.
void checkIncomparableRefusal(const std::string& reason, const fs::path& earlierFile) {
    CHECK(reason == "instrument 'fixture-versions@2.0.0' declares scales comparable with fixture-versions@1.0.0 (from " +
                        earlierFile.string() +
                        ") that are not:\n"
                        "    scale 'a': item 'a2' maps to 'b1', which is in scale 'b' in fixture-versions@1.0.0 (expected scale 'a')\n"
                        "    scale 'a': item 'a2' of fixture-versions@1.0.0 is mapped from no item (expected every item of the "
                        "earlier scale to be mapped once)");
}

}  // namespace

TEST_CASE("a version whose declared comparability does not hold is refused alone, beside its earlier version", "[plugin]") {
    InstrumentRegistry registry;
    loadPluginFolder(registry, kBuiltinFolder);
    loadPluginFolder(registry, kFixtureFolder / "incomparable-versions");
    REQUIRE(registry.refused().size() == 1);
    checkIncomparableRefusal(refusalOf(registry, fixtureFile("incomparable-versions")), fixtureFile("incomparable-versions"));
    CHECK(registry.refused().front().instrument == "fixture-versions@2.0.0");
    // 1.0.0 is fine: the mistake is 2.0.0's.
    CHECK(registry.find("fixture-versions@1.0.0"));
    CHECK_FALSE(registry.find("fixture-versions@2.0.0"));
}

TEST_CASE("declared comparability is checked across plugins whichever version loads first", "[plugin]") {
    const auto folder = kFixtureFolder / "incomparable-split";
    const auto newer = folder / "newer.so";
    const auto earlier = folder / "earlier.so";

    SECTION("the earlier version first: the newer is refused when it loads") {
        InstrumentRegistry registry;
        loadPluginFile(registry, earlier);
        loadPluginFile(registry, newer);
        checkIncomparableRefusal(refusalOf(registry, newer), earlier);
        CHECK(registry.refused().size() == 1);
        CHECK(loadedKeys(registry) == std::vector<std::string>{"fixture-versions@1.0.0"});
    }
    SECTION("the newer version first: it is withdrawn when the earlier one loads") {
        InstrumentRegistry reversed;
        loadPluginFile(reversed, newer);
        REQUIRE(reversed.refused().empty());  // alone it is valid: nothing to check it against
        CHECK(loadedKeys(reversed) == std::vector<std::string>{"fixture-versions@2.0.0"});
        loadPluginFile(reversed, earlier);
        checkIncomparableRefusal(refusalOf(reversed, newer), earlier);
        CHECK(reversed.refused().size() == 1);
        CHECK(loadedKeys(reversed) == std::vector<std::string>{"fixture-versions@1.0.0"});
        CHECK(reversed.fileOf("fixture-versions@2.0.0").empty());
    }
}

TEST_CASE("a file named .so that is not a library is refused as not loadable", "[plugin]") {
    InstrumentRegistry registry;
    const auto reason = refusalAfterShipped(registry, "not-a-library");

    CHECK(reason == "not a loadable plugin module (invalid ELF header)");
}

TEST_CASE("a missing plugin folder is refused by name", "[plugin]") {
    InstrumentRegistry registry;
    const auto folder = kFixtureFolder / "no-such-folder";
    loadPluginFolder(registry, folder);

    CHECK(registry.instruments().empty());
    CHECK(refusalOf(registry, folder) == "plugin folder does not exist or is not a folder");
}

TEST_CASE("in one folder the good plugin loads and the broken ones are refused", "[plugin]") {
    InstrumentRegistry registry;
    loadPluginFolder(registry, kBuiltinFolder);
    loadPluginFolder(registry, kFixtureFolder / "mixed");

    CHECK(loadedKeys(registry) == std::vector<std::string>{"continuous-improvement@0.9.0", "continuous-improvement@1.0.0",
                                                           "equity-excellence@1.0.0", "fixture-good@1.0.0", "reo-readiness@1.0.0", "reo-readiness@1.1.0",
                                                           "shared-responsibility@1.0.0"});
    CHECK(registry.refused().size() == 2);
    CHECK_THAT(refusalOf(registry, kFixtureFolder / "mixed" / "wrong-abi.so"), Contains("built for plugin ABI version 999"));
    CHECK_THAT(refusalOf(registry, kFixtureFolder / "mixed" / "throws-on-register.so"),
               Contains("registration failed: fixture: registration deliberately failed"));
    CHECK_FALSE(registry.find("fixture-wrong-abi@1.0.0"));
    CHECK_FALSE(registry.find("fixture-throws-on-register@1.0.0"));

    const auto* good = registry.find("fixture-good@1.0.0");
    REQUIRE(good);
    CHECK(registry.fileOf("fixture-good@1.0.0") == kFixtureFolder / "mixed" / "good-extra.so");
    const auto& definition = good->definition();
    CHECK(definition.scales.size() == 2);
    CHECK(definition.items.size() == 4);
    CHECK(definition.title.in("es") == "Prueba: instrumento válido");
    // mindset_add_instrument(... DEFINITION) must embed the JSON verbatim, without CMake substitution.
    CHECK(definition.citation == "Embedded verbatim, not configured: @PROJECT_NAME@ ${PROJECT_NAME} #cmakedefine");

    // trust: only t1 answered, 1 < minAnswered 2, so no score. voice: v2 = 1 is reverse-keyed on
    // codes 1..3 and keys to 1 + 3 - 1 = 3, so (3 + 3) / 2 = 3.
    const auto scores = good->score(ItemAnswers{{3, 0, 3, 1}});
    REQUIRE(scores.size() == 2);
    CHECK(scores[0].answeredCount == 1);
    CHECK_FALSE(scores[0].value);
    REQUIRE(scores[1].value);
    CHECK(*scores[1].value == Approx(3.0));
}

TEST_CASE("a refused plugin loaded before the shipped ones does not stop them", "[plugin]") {
    // duplicate is left out: loaded first, it would rightly win equity-excellence@1.0.0.
    const std::string caseName = GENERATE(as<std::string>{}, "wrong-abi", "wrong-compiler", "missing-register",
                                          "missing-describe", "throws-on-register", "invalid-definition", "definition-throws",
                                          "not-a-library");
    INFO("fixture case " << caseName);
    InstrumentRegistry registry;
    loadPluginFolder(registry, kFixtureFolder / caseName);
    loadPluginFolder(registry, kBuiltinFolder);

    CHECK(loadedKeys(registry) == kShippedKeys);
    REQUIRE(registry.refused().size() == 1);
    CHECK(registry.refused().front().file == fixtureFile(caseName));
}
