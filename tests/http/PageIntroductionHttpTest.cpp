#include <catch2/catch.hpp>

#include "support/FixtureSurveys.h"
#include "support/TestSite.h"

// Issue 12, item 3: an instrument's page opens by saying what its questions are about, never by
// naming the belief a high score stands for (the description leaders read), in both languages.

using namespace mindset;
using testing::encodeForm;
using testing::TestSite;

namespace {

/// Text as the page's HTML escapes it (the shipped texts hold apostrophes and ampersands).
std::string escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '&') out += "&amp;";
        else if (c == '\'') out += "&apos;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

}  // namespace

TEST_CASE("each instrument page of the flow opens with its neutral introduction, not its description, in English and Spanish",
          "[http]") {
    TestSite site;
    const auto& survey = site.survey();
    REQUIRE(site.post("/surveys/" + survey.id + "/start", encodeForm({{"csrf", site.csrf()}, {"lang", "en"}})).status == 303);
    REQUIRE(survey.instruments.size() == 3);
    for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
        const auto& definition = survey.instruments[i].definition();
        for (const std::string language : {"en", "es"}) {
            INFO(definition.key() << " in " << language);
            const auto page = site.get("/surveys/" + survey.id + "/pages/" + std::to_string(i + 2) + "?lang=" + language);
            REQUIRE(page.status == 200);
            REQUIRE(definition.introduction.has(language));
            CHECK(page.contains(escaped(definition.introduction.in(language))));
            CHECK_FALSE(page.contains(escaped(definition.description.in(language))));
            CHECK(page.contains(language == "en" ? "There are no right or wrong answers" : "No hay respuestas correctas ni incorrectas"));
        }
    }
    // What the shipped descriptions said first on each page before: the belief that is wanted.
    const auto english = site.get("/surveys/" + survey.id + "/pages/2?lang=en");
    CHECK_FALSE(english.contains("Staff beliefs that"));
    CHECK(english.contains("The next statements are about students&apos; learning"));
    const auto spanish = site.get("/surveys/" + survey.id + "/pages/2?lang=es");
    CHECK_FALSE(spanish.contains("Creencias del personal de que"));
    CHECK(spanish.contains("Las siguientes afirmaciones tratan sobre el aprendizaje de los estudiantes"));
}

TEST_CASE("an instrument without an introduction opens with a neutral line the host writes, in English and Spanish", "[http]") {
    std::vector<surveys::SurveyDefinition> definitions;
    definitions.push_back(testing::surveyWithInstruments("riverside-2026.json", "intro-2026",
                                                         {"equity-excellence@1.0.0", "fixture-stages@1.0.0"}));
    auto site = TestSite::withSurveys(std::move(definitions));
    const auto& stages = site->survey().instruments[1].definition();
    REQUIRE(stages.introduction.byLanguage.empty());
    const auto count = std::to_string(stages.items.size());

    const auto english = site->get("/surveys/intro-2026/all?lang=en");
    REQUIRE(english.status == 200);
    CHECK(english.contains("Please rate each of the next " + count + " statements. There are no right or wrong answers"));
    CHECK_FALSE(english.contains(escaped(stages.description.in("en"))));
    const auto spanish = site->get("/surveys/intro-2026/all?lang=es");
    CHECK(spanish.contains("Por favor, valore cada una de las siguientes " + count + " afirmaciones."));
    CHECK_FALSE(spanish.contains(escaped(stages.description.in("es"))));
}
