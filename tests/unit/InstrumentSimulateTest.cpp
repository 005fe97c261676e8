#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/InstrumentSimulate.h"

using namespace mindset;
using nlohmann::json;

namespace {

/// One scale "a" of `items` items q1..qN on codes 1..codes; the items in `reversed` reverse keyed;
/// `phases` tags items (item id -> value of the tag group "phase").
sdk::Definition oneScale(int codes, int items, std::set<std::string> reversed = {}, std::map<std::string, std::string> phases = {}) {
    json options = json::array(), list = json::array();
    for (int c = 1; c <= codes; ++c) options.push_back({{"code", c}, {"label", {{"en", std::to_string(c)}, {"es", std::to_string(c)}}}});
    const json text{{"en", "t"}, {"es", "t"}};
    std::set<std::string> phaseValues;
    for (int i = 1; i <= items; ++i) {
        const auto id = "q" + std::to_string(i);
        json item{{"id", id}, {"scale", "a"}, {"text", {{"en", "x"}, {"es", "x"}}}, {"reverseKeyed", reversed.count(id) > 0}};
        if (phases.contains(id)) item["tags"] = {{"phase", phases[id]}}, phaseValues.insert(phases[id]);
        list.push_back(item);
    }
    json definition{{"id", "sim"}, {"version", "1.0.0"}, {"title", text}, {"description", text}, {"citation", ""},
                    {"responseScale", {{"id", "r"}, {"options", options}}},
                    {"scales", json::array({{{"id", "a"}, {"title", text}, {"description", text},
                                             {"favorableAtLeast", (codes + 1) / 2.0}, {"minAnswered", 1}}})},
                    {"items", list}};
    if (!phaseValues.empty()) {
        json values = json::array();
        for (const auto& value : phaseValues) values.push_back({{"id", value}, {"title", text}, {"description", text}});
        definition["tagGroups"] = json::array({{{"id", "phase"}, {"title", text}, {"values", values}}});
    }
    return sdk::Definition::fromJson(definition.dump());
}

/// Large samples of items loading 0.7 on their scale's factor, so that alphas come close to theory.
cli::SimulationModel parallelItemsModel() {
    cli::SimulationModel model;
    model.respondents = 2000;
    model.samples = 50;
    model.defaultLoading = 0.7;
    return model;
}

bool hasWarning(const cli::SimulatedScale& scale, const std::string& part) {
    for (const auto& warning : scale.warnings)
        if (warning.find(part) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("simulated alpha of parallel items matches Spearman-Brown, by hand, for a fine response scale", "[simulate]") {
    // Six items loading 0.7 on one factor: inter-item correlation 0.49 and, by Spearman-Brown,
    // alpha = 6(0.49) / (1 + 5(0.49)) = 0.852 for continuous answers. Answers on 1..11 (the latent
    // value spread over +-2 SD, 2.5 codes per SD) lose a little to rounding (variance + 1/12) and
    // to clipping at +-2 SD (a clipped normal keeps 0.921 of its variance and covariance
    // 0.9545^2 rho): r = 0.911(0.49)(0.921)(6.25) / (0.921(6.25) + 0.083) = 0.478, alpha = 0.846.
    const auto definition = oneScale(11, 6);
    auto model = parallelItemsModel();
    const auto scales = cli::simulateScales(definition, model);
    REQUIRE(scales.size() == 1);
    REQUIRE(scales[0].alpha);
    CHECK(*scales[0].alpha == Approx(0.846).margin(0.01));
    CHECK(scales[0].alphaLow < *scales[0].alpha);
    CHECK(scales[0].alphaHigh > *scales[0].alpha);
    // Item-rest r of parallel items: r.drop = k' r / sqrt(k' + k'(k'-1) r) with k' = 5 others:
    // 5(0.478) / sqrt(5 (1 + 4(0.478))) = 2.39 / 3.82 = 0.626.
    for (const auto& item : scales[0].items) CHECK(*item.itemRest == Approx(0.626).margin(0.015));
    CHECK(scales[0].warnings.empty());
}

TEST_CASE("items that share no factor give an alpha near zero, flagged as weak", "[simulate]") {
    const auto definition = oneScale(5, 5);
    cli::SimulationModel model;
    model.defaultLoading = 0;
    const auto scales = cli::simulateScales(definition, model);
    REQUIRE(scales[0].alpha);
    CHECK(std::abs(*scales[0].alpha) < 0.05);
    CHECK(hasWarning(scales[0], "below 0.70"));
    // Each item adds little; none is called mis-keyed for an item-rest r that is zero give or take.
    for (const auto& item : scales[0].items) CHECK(hasWarning(scales[0], "item " + item.id + ": item-rest r"));
    CHECK_FALSE(hasWarning(scales[0], "keying"));
}

TEST_CASE("an item keyed the wrong way is flagged with its id and its declared keying", "[simulate]") {
    // q4 is declared reverse keyed, but the model says its raw answers rise with the factor like
    // the others: keyed, it runs against the scale.
    const auto definition = oneScale(5, 4, {"q4"});
    const auto model = cli::readSimulationModel(R"({"defaultLoading": 0.7, "items": {"q4": {"loading": 0.7}}})", definition);
    const auto scales = cli::simulateScales(definition, model);
    CHECK(*scales[0].items[3].itemRest < 0);
    CHECK(hasWarning(scales[0], "item q4: item-rest r -"));
    CHECK(hasWarning(scales[0], "(reverseKeyed is true)"));
    for (std::size_t i = 0; i < 3; ++i) CHECK_FALSE(hasWarning(scales[0], "item q" + std::to_string(i + 1) + ":"));

    // Keyed as the model says (the default loading is negated for a reverse-keyed item): no flag.
    const auto right = cli::simulateScales(definition, cli::readSimulationModel(R"({"defaultLoading": 0.7})", definition));
    CHECK(*right[0].items[3].itemRest > 0.3);
    CHECK_FALSE(hasWarning(right[0], "keying"));
}

TEST_CASE("answers piled at the lowest code show as a floor effect", "[simulate]") {
    const auto definition = oneScale(5, 3);
    const auto model = cli::readSimulationModel(
        R"({"items": {"q1": {"mean": 1, "loading": 0.95}, "q2": {"mean": 1, "loading": 0.95}, "q3": {"mean": 1, "loading": 0.95}}})", definition);
    const auto scales = cli::simulateScales(definition, model);
    CHECK(scales[0].items[0].atLowest > 0.45);  // half of a normal around the lowest code, and the clipped tail
    CHECK(scales[0].atFloor > 0.15);
    CHECK(hasWarning(scales[0], "floor effect"));
    CHECK_FALSE(hasWarning(scales[0], "ceiling"));
}

TEST_CASE("a simulation is repeatable from its seed, and the report names each scale and item", "[simulate]") {
    const auto definition = oneScale(4, 3, {"q2"});
    cli::SimulationModel model;
    model.samples = 20;
    std::ostringstream first, second, other;
    cli::simulateInstrument(first, definition, model);
    cli::simulateInstrument(second, definition, model);
    model.seed = 2;
    cli::simulateInstrument(other, definition, model);
    CHECK(first.str() == second.str());
    CHECK(first.str() != other.str());
    CHECK(first.str().find("sim@1.0.0: 20 simulated samples of 300 respondents (seed 1), answers on 1..4") == 0);
    CHECK(first.str().find("scale a (3 items, favorable at 2.5 or more)") != std::string::npos);
    CHECK(first.str().find("  q2 ") != std::string::npos);
    CHECK(first.str().find("(reverse keyed)") != std::string::npos);
}

TEST_CASE("each sub-score's items get their own expected alpha, by Spearman-Brown, and a short one is flagged", "[simulate][tags]") {
    // The six parallel items of the first case (r = 0.478 between any two on 1..11), tagged
    // phase x (q1, q2), y (q3-q5) and z (q6). Spearman-Brown: two items 2r / (1 + r) = 0.647,
    // three 3r / (1 + 2r) = 0.733; one item has no alpha.
    const auto definition = oneScale(11, 6, {}, {{"q1", "x"}, {"q2", "x"}, {"q3", "y"}, {"q4", "y"}, {"q5", "y"}, {"q6", "z"}});
    auto model = parallelItemsModel();
    const auto scales = cli::simulateScales(definition, model);
    REQUIRE(scales.size() == 1);
    const auto& subScores = scales[0].subScores;
    REQUIRE(subScores.size() == 3);
    CHECK(subScores[0].value == "x");
    CHECK(subScores[0].itemIds == std::vector<std::string>{"q1", "q2"});
    REQUIRE(subScores[0].alpha);
    CHECK(*subScores[0].alpha == Approx(0.647).margin(0.015));
    REQUIRE(subScores[1].alpha);
    CHECK(*subScores[1].alpha == Approx(0.733).margin(0.015));
    CHECK(subScores[1].alphaLow < *subScores[1].alpha);
    CHECK_FALSE(subScores[2].alpha);
    CHECK(hasWarning(scales[0], "sub-score phase:x: alpha 0.6"));
    CHECK_FALSE(hasWarning(scales[0], "sub-score phase:y"));
    CHECK_FALSE(hasWarning(scales[0], "weak for comparing groups"));  // the whole scale is fine

    std::ostringstream report;
    model.samples = 5;
    cli::simulateInstrument(report, definition, model);
    CHECK(report.str().find("  sub-score phase:y (3 items: q3 q4 q5): expected Cronbach's alpha 0.7") != std::string::npos);
    CHECK(report.str().find("  sub-score phase:z (1 item: q6): no alpha (one item)") != std::string::npos);
}

TEST_CASE("a model with a mistake is refused with the field named", "[simulate]") {
    const auto definition = oneScale(5, 3);
    auto refusal = [&](const char* text) {
        try {
            cli::readSimulationModel(text, definition);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    CHECK(refusal(R"({"items": {"q9": {"mean": 3}}})") == "$.items['q9']: sim@1.0.0 has no item 'q9'");
    CHECK(refusal(R"({"items": {"q1": {"loading": 1.5}}})") == "$.items['q1'].loading: expected -1 to 1");
    CHECK(refusal(R"({"items": {"q1": {"mean": 7}}})") == "$.items['q1'].mean: expected a mean answer from 1 to 5 (the response codes)");
    CHECK(refusal(R"({"items": {"q1": {"loadng": 0.5}}})") == "$.items['q1'].loadng: unknown field (expected mean, loading)");
    CHECK(refusal(R"({"respondents": 2})") == "$.respondents: expected a whole number from 3 to 1000000");
    CHECK(refusal(R"({"sample": 10})").starts_with("$.sample: unknown field"));
    CHECK(refusal("{").starts_with("the model is not valid JSON"));
}
