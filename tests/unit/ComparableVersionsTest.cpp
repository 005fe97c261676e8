// An instrument version declaring which of its scales compare with an earlier version:
// what the SDK reads and checks alone (sdk::validate), and what the loader checks against the
// earlier definition (loader::comparabilityProblems).
#include <catch2/catch.hpp>

#include <mindset/sdk.h>

#include "loader/VersionMapping.h"

using mindset::loader::comparabilityProblems;
using mindset::sdk::Definition;
using mindset::sdk::DefinitionError;

namespace {

// The earlier version: scale a (a1..a3) and scale b (b1, b2 reverse-keyed), codes 1..5.
const char* kEarlier = R"({
  "id": "small", "version": "1.0.0",
  "title": {"en": "Small", "es": "Small"}, "description": {"en": "d", "es": "d"}, "citation": "c",
  "responseScale": {"id": "agree", "options": [
    {"code": 1, "label": {"en": "1", "es": "1"}}, {"code": 2, "label": {"en": "2", "es": "2"}}, {"code": 3, "label": {"en": "3", "es": "3"}},
    {"code": 4, "label": {"en": "4", "es": "4"}}, {"code": 5, "label": {"en": "5", "es": "5"}}]},
  "scales": [
    {"id": "a", "title": {"en": "A", "es": "A"}, "description": {"en": "A", "es": "A"}, "favorableAtLeast": 4, "minAnswered": 2},
    {"id": "b", "title": {"en": "B", "es": "B"}, "description": {"en": "B", "es": "B"}, "favorableAtLeast": 4, "minAnswered": 1}],
  "items": [
    {"id": "a1", "scale": "a", "text": {"en": "a1", "es": "a1"}},
    {"id": "a2", "scale": "a", "text": {"en": "a2", "es": "a2"}},
    {"id": "a3", "scale": "a", "text": {"en": "a3", "es": "a3"}},
    {"id": "b1", "scale": "b", "text": {"en": "b1", "es": "b1"}},
    {"id": "b2", "scale": "b", "text": {"en": "b2", "es": "b2"}, "reverseKeyed": true}]
})";

// The later version: scale a asks a1..a3 again under new ids and in another order; scale b was
// reworked (new items), so only a is declared comparable.
const char* kLater = R"({
  "id": "small", "version": "2.0.0",
  "title": {"en": "Small", "es": "Small"}, "description": {"en": "d", "es": "d"}, "citation": "c",
  "responseScale": {"id": "agree", "options": [
    {"code": 1, "label": {"en": "1", "es": "1"}}, {"code": 2, "label": {"en": "2", "es": "2"}}, {"code": 3, "label": {"en": "3", "es": "3"}},
    {"code": 4, "label": {"en": "4", "es": "4"}}, {"code": 5, "label": {"en": "5", "es": "5"}}]},
  "scales": [
    {"id": "a", "title": {"en": "A", "es": "A"}, "description": {"en": "A", "es": "A"}, "favorableAtLeast": 4, "minAnswered": 2},
    {"id": "b", "title": {"en": "B", "es": "B"}, "description": {"en": "B", "es": "B"}, "favorableAtLeast": 4, "minAnswered": 1}],
  "items": [
    {"id": "x1", "scale": "a", "text": {"en": "a2", "es": "a2"}},
    {"id": "x2", "scale": "a", "text": {"en": "a1", "es": "a1"}},
    {"id": "x3", "scale": "a", "text": {"en": "a3", "es": "a3"}},
    {"id": "n1", "scale": "b", "text": {"en": "new b1", "es": "new b1"}},
    {"id": "n2", "scale": "b", "text": {"en": "new b2", "es": "new b2"}}],
  "comparableWith": [
    {"version": "1.0.0", "scales": ["a"], "items": {"x1": "a2", "x2": "a1", "x3": "a3"}}]
})";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

/// fromJson's error as "path: reason", or "(no error)".
std::string errorOf(const std::string& json) {
    try {
        Definition::fromJson(json);
    } catch (const DefinitionError& e) {
        return e.what();
    }
    return "(no error)";
}

const std::string kDeclaration = R"({"version": "1.0.0", "scales": ["a"], "items": {"x1": "a2", "x2": "a1", "x3": "a3"}})";

/// kLater with its one comparableWith entry replaced by `entry`.
std::string laterDeclaring(const std::string& entry) { return replaced(kLater, kDeclaration, entry); }

}  // namespace

TEST_CASE("comparableWith is read with its version, scales and item mapping", "[unit]") {
    const auto later = Definition::fromJson(kLater);
    REQUIRE(later.comparableWith.size() == 1);
    const auto& declared = later.comparableWith[0];
    CHECK(declared.version == "1.0.0");
    CHECK(declared.scaleIds == std::vector<std::string>{"a"});
    CHECK(declared.earlierItemIds == std::map<std::string, std::string>{{"x1", "a2"}, {"x2", "a1"}, {"x3", "a3"}});
    CHECK(declared.listsScale("a"));
    CHECK_FALSE(declared.listsScale("b"));
    CHECK(later.comparabilityWith("1.0.0") == &declared);
    CHECK_FALSE(later.comparabilityWith("0.9.0"));

    // Optional: a definition without it declares nothing.
    CHECK(Definition::fromJson(kEarlier).comparableWith.empty());
}

TEST_CASE("a malformed comparableWith names the field that is wrong", "[unit]") {
    CHECK(errorOf(replaced(kLater, "[\n    " + kDeclaration + "]", "{}")) == "$.comparableWith: expected an array");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0.0", "scales": ["a"], "items": {"x1": "a2", "x2": "a1", "x3": "a3"}, "scale": "a"})")) ==
          "$.comparableWith[0].scale: unknown field (expected one of: version, scales, items)");
    CHECK(errorOf(laterDeclaring(R"({"scales": ["a"], "items": {}})")) == "$.comparableWith[0].version: required field is missing");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0.0", "scales": [1], "items": {}})")) ==
          "$.comparableWith[0].scales[0]: expected a scale id (a string)");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0.0", "scales": ["a"], "items": ["x1", "a2"]})")) ==
          "$.comparableWith[0].items: expected an object of this version's item id -> the earlier version's item id");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0.0", "scales": ["a"], "items": {"x1": 2}})")) ==
          "$.comparableWith[0].items.x1: expected the earlier version's item id (a string)");
}

TEST_CASE("validate refuses a comparableWith that this definition alone shows to be wrong", "[unit]") {
    CHECK(errorOf(laterDeclaring(R"({"version": "2.0.0", "scales": ["a"], "items": {"x1": "a2", "x2": "a1", "x3": "a3"}})")) ==
          "$.comparableWith[0].version: expected a version earlier than this one (2.0.0), got '2.0.0'");
    CHECK(errorOf(laterDeclaring(R"({"version": "2.0.1", "scales": ["a"], "items": {"x1": "a2", "x2": "a1", "x3": "a3"}})")) ==
          "$.comparableWith[0].version: expected a version earlier than this one (2.0.0), got '2.0.1'");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0", "scales": ["a"], "items": {"x1": "a2", "x2": "a1", "x3": "a3"}})")) ==
          "$.comparableWith[0].version: expected MAJOR.MINOR.PATCH, got '1.0'");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0.0", "scales": [], "items": {}})")) ==
          "$.comparableWith[0].scales: at least one scale is required");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0.0", "scales": ["c"], "items": {}})")) ==
          "$.comparableWith[0].scales[0]: unknown scale 'c'");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0.0", "scales": ["a", "a"], "items": {"x1": "a2", "x2": "a1", "x3": "a3"}})")) ==
          "$.comparableWith[0].scales[1]: duplicate scale 'a'");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0.0", "scales": ["a"], "items": {"x1": "a2", "x2": "a1"}})")) ==
          "$.comparableWith[0].items: item 'x3' of scale 'a' has no mapping (expected every item of a listed scale to name "
          "its item in version 1.0.0)");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0.0", "scales": ["a"], "items": {"x1": "a2", "x2": "a2", "x3": "a3"}})")) ==
          "$.comparableWith[0].items.x2: maps to 'a2', as item 'x1' does already (expected each earlier item once)");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0.0", "scales": ["a"], "items": {"x1": "a2", "x2": "a1", "x3": "a3", "zz": "b1"}})")) ==
          "$.comparableWith[0].items.zz: unknown item 'zz'");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0.0", "scales": ["a"], "items": {"x1": "a2", "x2": "a1", "x3": "a3", "n1": "b1"}})")) ==
          "$.comparableWith[0].items.n1: item 'n1' is in scale 'b', which is not listed in $.comparableWith[0].scales");
    CHECK(errorOf(laterDeclaring(R"({"version": "1.0.0", "scales": ["a"], "items": {"x1": "A 2", "x2": "a1", "x3": "a3"}})")) ==
          "$.comparableWith[0].items.x1: expected an item id (lowercase letters, digits, - or _), got 'A 2'");
}

TEST_CASE("validate compares versions by number, not as text, and reports every comparableWith problem", "[unit]") {
    // 1.9.0 comes before 1.10.0 although "1.9.0" > "1.10.0" as text.
    auto later = Definition::fromJson(kLater);
    later.version = "1.10.0";
    later.comparableWith[0].version = "1.9.0";
    CHECK(mindset::sdk::validate(later).empty());
    later.comparableWith[0].version = "01.10.0";  // the same version as 1.10.0
    later.comparableWith.push_back(later.comparableWith[0]);
    later.comparableWith[1].version = "1.9.0";
    later.comparableWith.push_back(later.comparableWith[1]);
    const auto problems = mindset::sdk::validate(later);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0] == "$.comparableWith[0].version: expected a version earlier than this one (1.10.0), got '01.10.0'");
    CHECK(problems[1] == "$.comparableWith[2].version: duplicate version '1.9.0' (already declared in $.comparableWith[1])");
}

TEST_CASE("a declaration that holds against the earlier version has no problems", "[unit]") {
    const auto earlier = Definition::fromJson(kEarlier);
    const auto later = Definition::fromJson(kLater);
    CHECK(comparabilityProblems(later, earlier).empty());

    // Nothing is declared about another version or another instrument.
    auto other = earlier;
    other.version = "1.1.0";
    other.items[0].scaleId = "b";
    CHECK(comparabilityProblems(later, other).empty());
    other = earlier;
    other.id = "other";
    other.items[0].scaleId = "b";
    CHECK(comparabilityProblems(later, other).empty());
}

TEST_CASE("the loader's check names the scale, the expected and the actual value", "[unit]") {
    const auto earlier = Definition::fromJson(kEarlier);
    const auto later = Definition::fromJson(kLater);

    SECTION("the earlier version has no scale of that id") {
        auto renamed = earlier;
        renamed.scales[0].id = "a-old";
        for (auto& item : renamed.items)
            if (item.scaleId == "a") item.scaleId = "a-old";
        CHECK(comparabilityProblems(later, renamed) ==
              std::vector<std::string>{"scale 'a': expected a scale 'a' in small@1.0.0, which has none"});
    }
    SECTION("a mapped-to item does not exist there") {
        auto renamed = earlier;
        renamed.items[2].id = "a9";
        CHECK(comparabilityProblems(later, renamed) ==
              std::vector<std::string>{"scale 'a': item 'x3' maps to 'a3', which small@1.0.0 does not have",
                                       "scale 'a': item 'a9' of small@1.0.0 is mapped from no item (expected every item "
                                       "of the earlier scale to be mapped once)"});
    }
    SECTION("a mapped-to item belongs to another scale there") {
        auto mapped = later;
        mapped.comparableWith[0].earlierItemIds["x3"] = "b1";
        CHECK(comparabilityProblems(mapped, earlier) ==
              std::vector<std::string>{"scale 'a': item 'x3' maps to 'b1', which is in scale 'b' in small@1.0.0 (expected "
                                       "scale 'a')",
                                       "scale 'a': item 'a3' of small@1.0.0 is mapped from no item (expected every item "
                                       "of the earlier scale to be mapped once)"});
    }
    SECTION("the earlier scale has an item the mapping leaves out") {
        auto longer = earlier;
        longer.items.push_back({"a4", "a", {{{"en", "a4"}, {"es", "a4"}}}, false});
        CHECK(comparabilityProblems(later, longer) ==
              std::vector<std::string>{"scale 'a': item 'a4' of small@1.0.0 is mapped from no item (expected every item "
                                       "of the earlier scale to be mapped once)"});
    }
    SECTION("the favorable rule differs") {
        auto stricter = later;
        stricter.scales[0].favorableAtLeast = 4.5;
        CHECK(comparabilityProblems(stricter, earlier) ==
              std::vector<std::string>{"scale 'a': favorableAtLeast expected 4 as in small@1.0.0, got 4.5"});
    }
    SECTION("the response codes differ") {
        auto fourPoint = earlier;
        fourPoint.responseScale.options.pop_back();
        CHECK(comparabilityProblems(later, fourPoint) ==
              std::vector<std::string>{"response codes: expected 1..4 as in small@1.0.0, got 1..5"});
    }
    SECTION("a mapped item is reverse-keyed in one version only") {
        auto reversed = later;
        reversed.items[0].isReverseKeyed = true;
        CHECK(comparabilityProblems(reversed, earlier) ==
              std::vector<std::string>{"scale 'a': item 'x1' maps to 'a2': reverse keying expected false as in "
                                       "small@1.0.0, got true"});
    }
}
