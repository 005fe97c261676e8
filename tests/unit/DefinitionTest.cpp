#include <catch2/catch.hpp>

#include <mindset/sdk.h>

using mindset::sdk::Definition;
using mindset::sdk::DefinitionError;
using mindset::sdk::ItemAnswers;

namespace {

// Two scales on a 1..5 scale; b2 is reverse-keyed.
const char* kSmall = R"({
  "id": "small", "version": "1.2.3",
  "title": {"en": "Small", "es": "Pequeño"}, "description": {"en": "d", "es": "d"}, "citation": "c",
  "responseScale": {"id": "agree", "options": [
    {"code": 1, "label": {"en": "1", "es": "1"}}, {"code": 2, "label": {"en": "2", "es": "2"}},
    {"code": 3, "label": {"en": "3", "es": "3"}}, {"code": 4, "label": {"en": "4", "es": "4"}},
    {"code": 5, "label": {"en": "5", "es": "5"}}]},
  "scales": [
    {"id": "a", "title": {"en": "A", "es": "A"}, "description": {"en": "A", "es": "A"}, "favorableAtLeast": 4, "minAnswered": 2,
     "interpretation": {"strength": {"en": "s", "es": "s"}, "growth": {"en": "g", "es": "g"}, "practices": [{"en": "p", "es": "p"}]}},
    {"id": "b", "title": {"en": "B", "es": "B"}, "description": {"en": "B", "es": "B"}, "favorableAtLeast": 4, "minAnswered": 1}],
  "items": [
    {"id": "a1", "scale": "a", "text": {"en": "a1", "es": "a1"}},
    {"id": "a2", "scale": "a", "text": {"en": "a2", "es": "a2"}},
    {"id": "a3", "scale": "a", "text": {"en": "a3", "es": "a3"}},
    {"id": "b1", "scale": "b", "text": {"en": "b1", "es": "b1"}},
    {"id": "b2", "scale": "b", "text": {"en": "b2", "es": "b2"}, "reverseKeyed": true}]
})";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

/// Every problem fromJson reports, or nothing when it accepts the definition.
std::vector<std::string> problemsOf(const std::string& json) {
    try {
        Definition::fromJson(json);
    } catch (const DefinitionError& e) {
        return e.problems();
    }
    return {};
}

std::string errorPath(const std::string& json) {
    try {
        Definition::fromJson(json);
    } catch (const DefinitionError& e) {
        return e.path();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("a JSON definition is read with its items, scales and keys", "[unit]") {
    const auto d = Definition::fromJson(kSmall);
    CHECK(d.key() == "small@1.2.3");
    CHECK(d.title.in("es") == "Pequeño");
    CHECK(d.title.in("fr") == "Small");  // falls back to English
    REQUIRE(d.items.size() == 5);
    CHECK(d.items[4].isReverseKeyed);
    CHECK_FALSE(d.items[0].isReverseKeyed);
    CHECK(d.responseScale.minCode() == 1);
    CHECK(d.responseScale.maxCode() == 5);
    CHECK(d.findScale("b")->minAnswered == 1);
}

TEST_CASE("a malformed definition names the field that is wrong", "[unit]") {
    CHECK(errorPath("{") == "$");
    CHECK(errorPath(replaced(kSmall, R"("id": "small", )", "")) == "$.id");
    CHECK(errorPath(replaced(kSmall, R"("scale": "b", "text": {"en": "b1")", R"("scale": "zzz", "text": {"en": "b1")")) ==
          "$.items['b1'].scale");
    CHECK(errorPath(replaced(kSmall, R"({"code": 3,)", R"({"code": 7,)")) == "$.responseScale.options[2].code");
    CHECK(errorPath(replaced(kSmall, R"("version": "1.2.3")", R"("version": "v1")")) == "$.version");
    CHECK(errorPath(replaced(kSmall, R"("minAnswered": 2)", R"("minAnswered": 4)")) == "$.scales['a'].minAnswered");
    CHECK(problemsOf(replaced(kSmall, R"({"id": "a2", "scale": "a")", R"({"id": "a1", "scale": "a")")) ==
          std::vector<std::string>{"$.items['a1'].id: duplicate item id 'a1' (items 1 and 2)"});
    CHECK(errorPath(replaced(kSmall, R"("reverseKeyed": true)", R"("reverseKeyed": "yes")")) == "$.items['b2'].reverseKeyed");
    // An item without a usable id is named by its position.
    CHECK(errorPath(replaced(kSmall, R"({"id": "a3", "scale": "a")", R"({"id": "A 3", "scale": "a")")) == "$.items[2].id");
}

TEST_CASE("the default score is the mean of answered items after reverse keying", "[unit]") {
    const mindset::sdk::JsonInstrument instrument(kSmall);
    // a: (4 + 2) / 2 = 3.0 with a3 unanswered; b: b1 = 5, b2 = 2 reversed to 6 - 2 = 4 -> (5 + 4) / 2 = 4.5
    auto scores = instrument.score(ItemAnswers{{4, 2, 0, 5, 2}});
    REQUIRE(scores.size() == 2);
    CHECK(scores[0].scaleId == "a");
    CHECK(scores[0].answeredCount == 2);
    CHECK(scores[0].value == Approx(3.0));
    CHECK(scores[1].value == Approx(4.5));

    // a has only one answer but needs two: no score. b2 alone = 1 reversed to 5.
    scores = instrument.score(ItemAnswers{{5, 0, 0, 0, 1}});
    CHECK_FALSE(scores[0].value.has_value());
    CHECK(scores[0].answeredCount == 1);
    CHECK(scores[1].value == Approx(5.0));
}

TEST_CASE("every shipped-style check of validate() reports all problems at once", "[unit]") {
    auto d = Definition::fromJson(kSmall);
    d.items[0].scaleId = "nope";
    d.scales[1].favorableAtLeast = 9;
    const auto problems = mindset::sdk::validate(d);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0] == "$.scales['b'].favorableAtLeast: must lie within the response codes 1..5");
    CHECK(problems[1] == "$.items['a1'].scale: unknown scale 'nope'");
}

TEST_CASE("fromJson lists every problem at once, with the instrument it belongs to", "[unit]") {
    // A field of the wrong type, an unknown field, an unknown scale and a bad code: reading goes on
    // past each, and validate() adds what is wrong with what could be read.
    auto json = replaced(kSmall, R"("reverseKeyed": true)", R"("reverseKeyed": "yes")");
    json = replaced(json, R"({"id": "a2", "scale": "a")", R"({"id": "a2", "scale": "c", "weight": 2)");
    json = replaced(json, R"({"code": 3,)", R"({"code": 7,)");
    try {
        Definition::fromJson(json);
        FAIL("expected a DefinitionError");
    } catch (const DefinitionError& e) {
        CHECK(e.instrumentKey() == "small@1.2.3");
        CHECK(e.problems() == std::vector<std::string>{
                                  "$.items['a2'].weight: unknown field (expected one of: id, scale, text, reverseKeyed, tags)",
                                  "$.items['b2'].reverseKeyed: expected true or false",
                                  "$.responseScale.options[2].code: codes must be consecutive and increasing: expected 3, got 7",
                                  "$.responseScale.options[3].code: codes must be consecutive and increasing: expected 8, got 4",
                                  "$.items['a2'].scale: unknown scale 'c'"});
        CHECK(e.path() == "$.items['a2'].weight");
    }
}

TEST_CASE("every text of a definition is required in English and in Spanish", "[unit]") {
    // Each case drops the Spanish (or English) text of one field; the problem names the field by id.
    const std::vector<std::pair<std::string, std::string>> cases{
        {R"("description": {"en": "A", "es": "A"})", "$.scales['a'].description: Spanish text (\"es\") is missing"},
        {R"("text": {"en": "b1", "es": "b1"})", "$.items['b1'].text: Spanish text (\"es\") is missing"},
        {R"("label": {"en": "4", "es": "4"})", "$.responseScale.options[3].label: Spanish text (\"es\") is missing"},
        {R"("growth": {"en": "g", "es": "g"})", "$.scales['a'].interpretation.growth: Spanish text (\"es\") is missing"},
        {R"("practices": [{"en": "p", "es": "p"}])", "$.scales['a'].interpretation.practices[0]: Spanish text (\"es\") is missing"},
        {R"("title": {"en": "Small", "es": "Pequeño"})", "$.title: Spanish text (\"es\") is missing"},
    };
    for (const auto& [field, problem] : cases) {
        INFO(field);
        const auto withoutSpanish = field.substr(0, field.find(R"(, "es")")) + field.substr(field.find('}'));
        CHECK(problemsOf(replaced(kSmall, field, withoutSpanish)) == std::vector<std::string>{problem});
    }
    CHECK(problemsOf(replaced(kSmall, R"("text": {"en": "a3", "es": "a3"})", R"("text": {"en": "", "es": "a3"})")) ==
          std::vector<std::string>{"$.items['a3'].text: English text (\"en\") is empty"});
    CHECK(problemsOf(kSmall).empty());
}

TEST_CASE("a respondent introduction is optional, and when given needs English and Spanish", "[unit]") {
    CHECK(Definition::fromJson(kSmall).introduction.byLanguage.empty());
    const auto withIntroduction = replaced(kSmall, R"("citation": "c",)",
                                           R"("introduction": {"en": "The next statements are about X.", "es": "Las siguientes afirmaciones tratan sobre X."}, "citation": "c",)");
    CHECK(Definition::fromJson(withIntroduction).introduction.in("es") == "Las siguientes afirmaciones tratan sobre X.");
    const auto englishOnly = replaced(kSmall, R"("citation": "c",)", R"("introduction": {"en": "About X."}, "citation": "c",)");
    CHECK(problemsOf(englishOnly) == std::vector<std::string>{R"($.introduction: Spanish text ("es") is missing)"});
    const auto notText = replaced(kSmall, R"("citation": "c",)", R"("introduction": "About X.", "citation": "c",)");
    REQUIRE(problemsOf(notText).size() == 1);
    CHECK(problemsOf(notText).front().starts_with("$.introduction: expected an object of language -> text"));
}
