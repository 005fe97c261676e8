#include <catch2/catch.hpp>

#include <mindset/sdk.h>

using mindset::sdk::Definition;
using mindset::sdk::DefinitionError;
using mindset::sdk::ItemAnswers;

namespace {

// Two scales on a 1..5 scale; b2 is reverse-keyed.
const char* kSmall = R"({
  "id": "small", "version": "1.2.3",
  "title": {"en": "Small", "es": "Pequeño"}, "description": {"en": "d"}, "citation": "c",
  "responseScale": {"id": "agree", "options": [
    {"code": 1, "label": {"en": "1"}}, {"code": 2, "label": {"en": "2"}}, {"code": 3, "label": {"en": "3"}},
    {"code": 4, "label": {"en": "4"}}, {"code": 5, "label": {"en": "5"}}]},
  "scales": [
    {"id": "a", "title": {"en": "A"}, "description": {"en": "A"}, "favorableAtLeast": 4, "minAnswered": 2},
    {"id": "b", "title": {"en": "B"}, "description": {"en": "B"}, "favorableAtLeast": 4, "minAnswered": 1}],
  "items": [
    {"id": "a1", "scale": "a", "text": {"en": "a1"}},
    {"id": "a2", "scale": "a", "text": {"en": "a2"}},
    {"id": "a3", "scale": "a", "text": {"en": "a3"}},
    {"id": "b1", "scale": "b", "text": {"en": "b1"}},
    {"id": "b2", "scale": "b", "text": {"en": "b2"}, "reverseKeyed": true}]
})";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
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
    CHECK(errorPath(replaced(kSmall, R"("scale": "b", "text": {"en": "b1"})", R"("scale": "zzz", "text": {"en": "b1"})")) ==
          "$.items[3].scale");
    CHECK(errorPath(replaced(kSmall, R"({"code": 3,)", R"({"code": 7,)")) == "$.responseScale.options[2].code");
    CHECK(errorPath(replaced(kSmall, R"("version": "1.2.3")", R"("version": "v1")")) == "$.version");
    CHECK(errorPath(replaced(kSmall, R"("minAnswered": 2)", R"("minAnswered": 4)")) == "$.scales[0].minAnswered");
    CHECK(errorPath(replaced(kSmall, R"({"id": "a2", "scale": "a", "text": {"en": "a2"}})",
                             R"({"id": "a1", "scale": "a", "text": {"en": "a2"}})")) == "$.items[1].id");
    CHECK(errorPath(replaced(kSmall, R"("reverseKeyed": true)", R"("reverseKeyed": "yes")")) == "$.items[4].reverseKeyed");
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
    CHECK(problems[0] == "$.scales[1].favorableAtLeast: must lie within the response codes 1..5");
    CHECK(problems[1] == "$.items[0].scale: unknown scale 'nope'");
}
