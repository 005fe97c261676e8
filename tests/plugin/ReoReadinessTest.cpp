// The fourth shipped instrument, Racial Equity Office readiness (issue 10, item 8), as the host
// loads it from the build's plugin folder: its 4-point implementation scale with "don't know",
// its four responsibilities and six phases, and every text in English and Spanish.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "loader/InstrumentRegistry.h"
#include "loader/PluginLoader.h"

namespace {

using mindset::sdk::LocalizedText;

/// Every text `what` names has a non-empty English and Spanish version.
void checkBothLanguages(const LocalizedText& text, const std::string& what) {
    INFO(what);
    for (const char* language : {"en", "es"}) {
        REQUIRE(text.has(language));
        CHECK_FALSE(text.in(language).empty());
    }
    CHECK(text.in("en") != text.in("es"));
}

}  // namespace

TEST_CASE("the shipped registry loads reo-readiness: 4 scored options and don't know, 10 scales, 24 items, all in en and es",
          "[plugin]") {
    mindset::loader::InstrumentRegistry registry;
    mindset::loader::loadPluginFolder(registry, MINDSET_BUILTIN_PLUGIN_DIR);
    CHECK(registry.refused().empty());
    const auto* instrument = registry.find("reo-readiness@1.0.0");
    REQUIRE(instrument);
    const auto& definition = instrument->definition();

    const auto& scale = definition.responseScale;
    REQUIRE(scale.options.size() == 4);
    const std::vector<std::pair<std::string, std::string>> labels{
        {"Not started", "No iniciado"}, {"Beginning", "Inicial"}, {"Developing", "En desarrollo"}, {"Established", "Consolidado"}};
    for (std::size_t i = 0; i < labels.size(); ++i) {
        CHECK(scale.options[i].code == static_cast<int>(i) + 1);
        CHECK(scale.options[i].label.in("en") == labels[i].first);
        CHECK(scale.options[i].label.in("es") == labels[i].second);
    }
    REQUIRE(scale.unscoredOptions.size() == 1);
    CHECK(scale.unscoredOptions[0].code == 9);
    CHECK(scale.unscoredOptions[0].label.in("en") == "Don't know");
    CHECK(scale.unscoredOptions[0].label.in("es") == "No sé");

    REQUIRE(definition.scales.size() == 10);
    REQUIRE(definition.items.size() == 24);
    // Four responsibilities of three items and six phases of two: an item belongs to one scale.
    std::map<std::string, int> itemsPerScale;
    for (const auto& item : definition.items) ++itemsPerScale[item.scaleId];
    for (std::size_t i = 0; i < definition.scales.size(); ++i) {
        const auto& s = definition.scales[i];
        INFO(s.id);
        CHECK(itemsPerScale[s.id] == (i < 4 ? 3 : 2));
        CHECK(s.favorableAtLeast == 3);
    }
    CHECK(definition.scales[0].id == "vision-policy");
    CHECK(definition.scales[4].id == "leadership-commitment");
    CHECK(definition.scales[9].id == "baseline-and-monitoring");

    checkBothLanguages(definition.title, "title");
    checkBothLanguages(definition.description, "description");
    checkBothLanguages(definition.introduction, "introduction");
    for (const auto& option : scale.options) checkBothLanguages(option.label, "option " + std::to_string(option.code));
    for (const auto& option : scale.unscoredOptions) checkBothLanguages(option.label, "unscored option");
    for (const auto& s : definition.scales) {
        checkBothLanguages(s.title, s.id + " title");
        checkBothLanguages(s.description, s.id + " description");
        REQUIRE(s.interpretation);
        checkBothLanguages(s.interpretation->strength, s.id + " strength");
        checkBothLanguages(s.interpretation->growth, s.id + " growth");
        REQUIRE_FALSE(s.interpretation->practices.empty());
        for (const auto& practice : s.interpretation->practices) checkBothLanguages(practice, s.id + " practice");
    }
    for (const auto& item : definition.items) {
        checkBothLanguages(item.text, item.id);
        CHECK_FALSE(item.isReverseKeyed);
    }
    // The page introduction says what the statements are about and leaves "no right or wrong
    // answers" to the host, which adds it to every page (it would otherwise be said twice).
    CHECK(definition.introduction.in("en").find("district practices") != std::string::npos);
    CHECK(definition.introduction.in("es").find("prácticas del distrito") != std::string::npos);
    CHECK(definition.introduction.in("en").find("no right or wrong") == std::string::npos);
}

TEST_CASE("reo-readiness 1.1.0 reports the six phases as sub-scores of one implementation scale", "[plugin][tags]") {
    mindset::loader::InstrumentRegistry registry;
    mindset::loader::loadPluginFolder(registry, MINDSET_BUILTIN_PLUGIN_DIR);
    CHECK(registry.refused().empty());
    const auto* instrument = registry.find("reo-readiness@1.1.0");
    REQUIRE(instrument);
    const auto& declared = instrument->definition();
    const auto& earlier = registry.find("reo-readiness@1.0.0")->definition();

    // The same 24 statements as 1.0.0, in the same order: its four responsibilities compare with 1.0.0's.
    REQUIRE(declared.items.size() == 24);
    for (std::size_t i = 0; i < declared.items.size(); ++i) {
        CHECK(declared.items[i].id == earlier.items[i].id);
        CHECK(declared.items[i].text.byLanguage == earlier.items[i].text.byLanguage);
    }
    REQUIRE(declared.comparableWith.size() == 1);
    CHECK(declared.comparableWith[0].scaleIds ==
          std::vector<std::string>{"vision-policy", "disaggregated-data", "equity-learning", "family-engagement"});

    // Five scales; the twelve phase statements are one scale, each tagged with its phase (two each).
    REQUIRE(declared.scales.size() == 5);
    CHECK(declared.scales[4].id == "implementation");
    REQUIRE(declared.tagGroups.size() == 1);
    const auto& phases = declared.tagGroups[0];
    CHECK(phases.id == "phase");
    REQUIRE(phases.values.size() == 6);
    std::map<std::string, int> itemsPerPhase;
    for (const auto& item : declared.items) {
        INFO(item.id);
        if (item.scaleId == "implementation") {
            REQUIRE(item.tags.count("phase") == 1);
            ++itemsPerPhase[item.tags.at("phase")];
            // The phase it had as a scale of 1.0.0.
            CHECK(item.tags.at("phase") == earlier.findItem(item.id)->scaleId);
        } else {
            CHECK(item.tags.empty());
        }
    }
    for (const auto& value : phases.values) {
        CHECK(itemsPerPhase[value.id] == 2);
        checkBothLanguages(value.title, value.id + " title");
        checkBothLanguages(value.description, value.id + " description");
    }
    CHECK(phases.values[2].title.in("en") == "Naming the goals");

    // What the host works with: the five scales, then the six phases, "Phase: Naming the goals".
    const auto& loaded = *registry.definitionOf("reo-readiness@1.1.0");
    REQUIRE(loaded.scales.size() == 11);
    CHECK(loaded.scales[7].id == "phase:naming-the-goals");
    CHECK(loaded.scales[7].title.in("en") == "Phase: Naming the goals");
    CHECK(loaded.scales[7].title.in("es") == "Fase: Definición de las metas");
    CHECK(loaded.scales[7].favorableAtLeast == 3);
}
