// Published versions are protected (issue 10): each id@version has a fingerprint; once a survey
// has responses under it, a changed fingerprint refuses the survey with a message that says to
// publish a new version and declare comparableWith, and nothing stored changes.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "app/Startup.h"
#include "loader/Fingerprint.h"
#include "store/Store.h"
#include "support/TestSupport.h"
#include "surveys/SurveyDefinition.h"
#include "support/TestDatabase.h"

using namespace mindset;
using nlohmann::json;

namespace {

json definitionJson() {
    return json::parse(R"({"id": "fixture-fp", "version": "1.0.0",
      "title": {"en": "Fingerprint fixture", "es": "Fingerprint fixture"}, "description": {"en": "Before.", "es": "Before."}, "citation": "None.",
      "responseScale": {"id": "agreement-4", "options": [
        {"code": 1, "label": {"en": "Disagree", "es": "Disagree"}}, {"code": 2, "label": {"en": "Somewhat disagree", "es": "Somewhat disagree"}},
        {"code": 3, "label": {"en": "Somewhat agree", "es": "Somewhat agree"}}, {"code": 4, "label": {"en": "Agree", "es": "Agree"}}]},
      "scales": [{"id": "a", "title": {"en": "A", "es": "A"}, "description": {"en": "A.", "es": "A."}, "favorableAtLeast": 3, "minAnswered": 1}],
      "items": [{"id": "a1", "scale": "a", "text": {"en": "A one.", "es": "A one."}}, {"id": "a2", "scale": "a", "text": {"en": "A two.", "es": "A two."}}]})");
}

std::string fingerprint(const json& definition) { return loader::fingerprintOf(sdk::JsonInstrument(definition.dump())); }

/// The JSON instrument with its score doubled: the same definition, another scoring.
class DoubledScoring final : public sdk::Instrument {
public:
    DoubledScoring() : definition_(sdk::Definition::fromJson(definitionJson().dump())) {}
    const sdk::Definition& definition() const override { return definition_; }
    std::vector<sdk::ScaleScore> score(const sdk::ItemAnswers& answers) const override {
        auto scores = sdk::meanOfAnsweredItems(definition_, answers);
        for (auto& s : scores)
            if (s.value) *s.value = std::min(4.0, *s.value * 2);
        return scores;
    }

private:
    sdk::Definition definition_;
};

store::SurveyRecord record(const std::string& fingerprintValue) {
    store::SurveyRecord r{"survey-2026", "district", "District", {{"north", "North School"}}, "2026-2027", "{}",
                          R"({"items":["fixture-fp@1.0.0/a1"]})"};
    r.instrumentFingerprints = {{"fixture-fp@1.0.0", fingerprintValue}};
    return r;
}

}  // namespace

TEST_CASE("an instrument's fingerprint changes with what an answer means or how it scores, and only then", "[unit][fingerprint]") {
    const auto original = fingerprint(definitionJson());
    CHECK(original.size() == 64);
    CHECK(fingerprint(definitionJson()) == original);

    auto reworded = definitionJson();
    reworded["items"][0]["text"]["en"] = "A one, reworded.";
    auto translated = definitionJson();
    translated["items"][0]["text"]["es"] = "A uno.";
    auto reversed = definitionJson();
    reversed["items"][1]["reverseKeyed"] = true;
    auto favorable = definitionJson();
    favorable["scales"][0]["favorableAtLeast"] = 4;
    auto relabelled = definitionJson();
    relabelled["responseScale"]["options"][3]["label"]["en"] = "Strongly agree";
    auto added = definitionJson();
    added["items"].push_back({{"id", "a3"}, {"scale", "a"}, {"text", {{"en", "A three."}, {"es", "A tres."}}}});
    for (const auto& changed : {reworded, translated, reversed, favorable, relabelled, added}) CHECK(fingerprint(changed) != original);
    CHECK(loader::fingerprintOf(DoubledScoring()) != original);

    // What neither changes an answer's meaning nor its score may be corrected in place.
    auto described = definitionJson();
    described["description"]["en"] = "After.";
    described["citation"] = "Corrected citation.";
    described["scales"][0]["description"]["en"] = "A, better described.";
    CHECK(fingerprint(described) == original);
}

TEST_CASE("a survey whose instrument changed after responses is refused, saying to publish a new version", "[unit][fingerprint]") {
    store::Store store(testing::storeLocation());
    const auto surveyId = store.saveSurvey(record("before"));
    CHECK_NOTHROW(store.saveSurvey(record("draft-change")));  // no responses yet: the current one counts
    store.insertResponse(surveyId, std::vector<std::uint8_t>{1, 0, 0, 0}, std::vector<std::uint8_t>{4});

    try {
        store.saveSurvey(record("after"));
        FAIL("a changed fingerprint was accepted");
    } catch (const store::SurveyConflict& e) {
        const std::string message = e.what();
        CHECK(message.find("survey 'survey-2026' has 1 responses under instrument fixture-fp@1.0.0, which has changed") != std::string::npos);
        CHECK(message.find("publish the change as a new version") != std::string::npos);
        CHECK(message.find("\"comparableWith\" 1.0.0") != std::string::npos);
        CHECK(message.find("give the changed survey a new id") == std::string::npos);
    }
    // Nothing changed: the recorded fingerprint is still the one the responses were given under.
    CHECK_NOTHROW(store.saveSurvey(record("draft-change")));
    CHECK_THROWS_AS(store.saveSurvey(record("before")), store::SurveyConflict);
}

TEST_CASE("start-up refuses a survey whose pinned version was edited in place and keeps the others", "[unit][fingerprint]") {
    testing::TempFolder folder;
    const auto file = testing::storeLocation((folder.path() / "mindset.sqlite").string());
    auto surveyText = json::parse(testing::readFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2026.json"));
    surveyText["instruments"] = {"fixture-fp@1.0.0"};
    surveyText["languages"] = {"en"};
    auto catalogWith = [&](const json& definition) {
        auto* registry = new loader::InstrumentRegistry;  // kept until exit, as the host keeps its own
        auto instrument = std::make_unique<sdk::JsonInstrument>(definition.dump());
        const auto& loaded = instrument->definition();  // as the loader reads it, once
        registry->add(std::move(instrument), loaded, "fixture-fp.so");
        surveys::SurveyCatalog catalog;
        catalog.surveys.push_back(surveys::parseSurvey(surveyText.dump(), "riverside-2026.json", *registry));
        return catalog;
    };
    {
        store::Store store(file);
        auto catalog = catalogWith(definitionJson());
        app::saveSurveys(catalog, store);
        REQUIRE(catalog.surveys.size() == 1);
        store.insertResponse(catalog.surveys[0].storeId, std::vector<std::uint8_t>(4 * catalog.surveys[0].demographics.size(), 0),
                             std::vector<std::uint8_t>{4, 4});
    }
    store::Store store(file);
    auto favorable = definitionJson();
    favorable["scales"][0]["favorableAtLeast"] = 4;  // 54% favorable would silently become another figure
    auto catalog = catalogWith(favorable);
    app::saveSurveys(catalog, store);
    CHECK(catalog.surveys.empty());
    REQUIRE(catalog.invalid.size() == 1);
    CHECK(std::string(catalog.invalid[0].what()).find("fixture-fp@1.0.0, which has changed") != std::string::npos);

    auto same = catalogWith(definitionJson());
    app::saveSurveys(same, store);
    CHECK(same.surveys.size() == 1);
}
