// Which scales and items a trend line may carry across instrument versions: only what the newer
// version declares comparable, never merely what shares a scale id.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analytics/Comparability.h"
#include "loader/VersionMapping.h"

using mindset::analytics::areScalesComparable;
using mindset::analytics::earlierItemFor;
using mindset::sdk::Definition;

namespace {

/// Two versions of one instrument: 2.0.0 repeats 1.0.0's scale a (a1, a2 as x2, x1) and
/// declares it comparable; scale b keeps its id but has new items, so it is not comparable.
Definition version(const std::string& number, bool isLater) {
    std::string json = R"({"id": "small", "version": ")" + number + R"(",
      "title": {"en": "Small", "es": "Small"}, "description": {"en": "d", "es": "d"}, "citation": "c",
      "responseScale": {"id": "agree", "options": [{"code": 1, "label": {"en": "1", "es": "1"}}, {"code": 2, "label": {"en": "2", "es": "2"}}]},
      "scales": [
        {"id": "a", "title": {"en": "A", "es": "A"}, "description": {"en": "A", "es": "A"}, "favorableAtLeast": 2, "minAnswered": 1},
        {"id": "b", "title": {"en": "B", "es": "B"}, "description": {"en": "B", "es": "B"}, "favorableAtLeast": 2, "minAnswered": 1}],)";
    json += isLater ? R"("items": [
        {"id": "x1", "scale": "a", "text": {"en": "a2", "es": "a2"}}, {"id": "x2", "scale": "a", "text": {"en": "a1", "es": "a1"}},
        {"id": "n1", "scale": "b", "text": {"en": "new b", "es": "new b"}}],
      "comparableWith": [{"version": "1.0.0", "scales": ["a"], "items": {"x1": "a2", "x2": "a1"}}]})"
                    : R"("items": [
        {"id": "a1", "scale": "a", "text": {"en": "a1", "es": "a1"}}, {"id": "a2", "scale": "a", "text": {"en": "a2", "es": "a2"}},
        {"id": "b1", "scale": "b", "text": {"en": "b", "es": "b"}}]})";
    return Definition::fromJson(json);
}

Definition shippedDefinition(const std::string& file) {
    std::ifstream in(std::filesystem::path(MINDSET_SOURCE_DIR) / "plugins" / "continuous-improvement" / file);
    std::ostringstream text;
    text << in.rdbuf();
    return Definition::fromJson(text.str());
}

}  // namespace

TEST_CASE("scales compare across versions only where the newer version declares it", "[unit]") {
    const auto earlier = version("1.0.0", false);
    const auto later = version("2.0.0", true);

    CHECK(areScalesComparable(earlier, later, "a"));
    // b exists in both, under the same id, but its items changed: the trend line breaks.
    CHECK_FALSE(areScalesComparable(earlier, later, "b"));
    CHECK_FALSE(areScalesComparable(earlier, later, "no-such-scale"));
    // Either order of the arguments gives the same answer.
    CHECK(areScalesComparable(later, earlier, "a"));
    CHECK_FALSE(areScalesComparable(later, earlier, "b"));

    // Within one version every scale compares with itself; an unknown scale does not.
    CHECK(areScalesComparable(earlier, earlier, "b"));
    CHECK(areScalesComparable(later, version("2.0.0", true), "b"));
    CHECK_FALSE(areScalesComparable(earlier, earlier, "no-such-scale"));
}

TEST_CASE("scales never compare across instruments or undeclared versions", "[unit]") {
    const auto earlier = version("1.0.0", false);
    auto later = version("2.0.0", true);

    auto otherInstrument = earlier;
    otherInstrument.id = "other";
    CHECK_FALSE(areScalesComparable(otherInstrument, later, "a"));
    CHECK_FALSE(areScalesComparable(otherInstrument, earlier, "a"));  // same items and version, another instrument

    auto undeclared = earlier;
    undeclared.version = "1.5.0";
    CHECK_FALSE(areScalesComparable(undeclared, later, "a"));
    later.comparableWith.clear();
    CHECK_FALSE(areScalesComparable(earlier, later, "a"));
}

TEST_CASE("an item of a comparable scale finds the item it repeats in the other version", "[unit]") {
    const auto earlier = version("1.0.0", false);
    const auto later = version("2.0.0", true);

    const auto* repeated = earlierItemFor(earlier, later, "x1");
    REQUIRE(repeated);
    CHECK(repeated->id == "a2");
    REQUIRE(earlierItemFor(earlier, later, "x2"));
    CHECK(earlierItemFor(earlier, later, "x2")->id == "a1");
    CHECK_FALSE(earlierItemFor(earlier, later, "n1"));  // scale b is not comparable
    CHECK_FALSE(earlierItemFor(earlier, later, "no-such-item"));

    // Reversed: the newer version's item for an older item.
    REQUIRE(earlierItemFor(later, earlier, "a1"));
    CHECK(earlierItemFor(later, earlier, "a1")->id == "x2");
    CHECK_FALSE(earlierItemFor(later, earlier, "b1"));

    // Within one version an item is itself.
    REQUIRE(earlierItemFor(earlier, earlier, "b1"));
    CHECK(earlierItemFor(earlier, earlier, "b1") == earlier.findItem("b1"));
}

TEST_CASE("continuous-improvement 1.0.0 compares with the 2024-25 pilot on two of its three scales", "[unit]") {
    const auto pilot = shippedDefinition("definition-0.9.0.json");
    const auto current = shippedDefinition("definition.json");
    REQUIRE(pilot.key() == "continuous-improvement@0.9.0");
    REQUIRE(current.key() == "continuous-improvement@1.0.0");
    CHECK(mindset::loader::comparabilityProblems(current, pilot).empty());

    CHECK(areScalesComparable(pilot, current, "data-informed-practice"));
    CHECK(areScalesComparable(pilot, current, "learning-from-mistakes"));
    CHECK_FALSE(areScalesComparable(pilot, current, "improvement-cycles"));  // reworked items after the pilot

    // The pilot asked ci06 and ci07 the other way round.
    REQUIRE(earlierItemFor(pilot, current, "ci06"));
    CHECK(earlierItemFor(pilot, current, "ci06")->id == "cip07");
    CHECK(earlierItemFor(pilot, current, "ci06")->text.in("en") == current.findItem("ci06")->text.in("en"));
    CHECK_FALSE(earlierItemFor(pilot, current, "ci11"));

    // Declaring comparability leaves 1.0.0's stored layout alone: ci01..ci15 in order.
    REQUIRE(current.items.size() == 15);
    for (std::size_t i = 0; i < current.items.size(); ++i)
        CHECK(current.items[i].id == (i < 9 ? "ci0" : "ci") + std::to_string(i + 1));
}
