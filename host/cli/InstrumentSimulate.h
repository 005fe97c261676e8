#pragma once
/// `mindset instrument simulate FILE [--model MODEL.json]`: what a researcher can expect of an
/// instrument before fielding it. Responses are drawn from a stated one-factor model per scale
/// (each item's mean answer and loading), many samples of the planned size are scored, and the
/// report gives each scale's expected Cronbach's α with the range it takes across samples, each
/// item's item–rest r and floor/ceiling shares, the expected α of each sub-score's items in the
/// scale, and flags items whose keying looks wrong.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <mindset/sdk.h>

namespace mindset::cli {

/// One item's part of the model, on the raw answer (before reverse keying).
struct SimulatedItem {
    std::optional<double> mean;     ///< the average raw answer, in option codes; default the middle of the range
    std::optional<double> loading;  ///< correlation of the raw answer's latent value with the scale's factor, -1..1
};

struct SimulationModel {
    std::int64_t respondents = 300;
    int samples = 200;
    std::uint64_t seed = 1;
    /// Loading of an item the model does not name: this, negated for a reverse-keyed item (a model
    /// that assumes the keying is right).
    double defaultLoading = 0.6;
    std::map<std::string, SimulatedItem> items;  ///< by item id
};

/// Reads a model file: {"respondents": 300, "samples": 200, "seed": 1, "defaultLoading": 0.6,
/// "items": {"v1": {"mean": 3.2, "loading": 0.7}, ...}}; every field optional. Throws
/// std::invalid_argument naming the field for anything else, and for an item the definition lacks.
SimulationModel readSimulationModel(std::string_view json, const sdk::Definition& definition);

/// What the samples gave for one scale.
struct SimulatedScale {
    struct Item {
        std::string id;
        double mean = 0, loading = 0;  ///< as simulated (the model's, or the defaults)
        bool isReverseKeyed = false;
        std::optional<double> itemRest;  ///< mean over the samples of the corrected item-total r
        double atLowest = 0, atHighest = 0;  ///< shares of raw answers at the lowest and highest code
    };
    /// The items of one sub-score (a tag value, Definition::tagGroups) that are in this scale,
    /// simulated with the scale's other items.
    struct SubScore {
        std::string group, value;          ///< TagGroup::id and TagValue::id
        std::vector<std::string> itemIds;  ///< in this scale
        bool spansScales = false;          ///< the sub-score holds items of other scales too (not simulated together)
        std::optional<double> alpha;       ///< mean over the samples, from two items on
        double alphaLow = 0, alphaHigh = 0;
    };
    const sdk::Scale* scale = nullptr;
    std::optional<double> alpha;               ///< mean over the samples
    double alphaLow = 0, alphaHigh = 0;        ///< 2.5% and 97.5% quantiles over the samples
    std::vector<Item> items;
    std::vector<SubScore> subScores;           ///< in tagGroups order
    double atFloor = 0, atCeiling = 0;         ///< shares of scale scores at the lowest and highest possible
    std::vector<std::string> warnings;         ///< likely keying mistakes, weak items, floor/ceiling, weak alpha
};

/// Draws model.samples samples of model.respondents respondents, scale by scale.
std::vector<SimulatedScale> simulateScales(const sdk::Definition& definition, const SimulationModel& model);

/// `mindset instrument simulate FILE`: every instrument version of a plugin module (all must load)
/// or one definition.json, with the model in `modelFile` (defaults when empty); `respondents` and
/// `seed`, when given, replace the model's. Throws std::exception with the reason otherwise.
void simulateFile(std::ostream& out, const std::filesystem::path& file, const std::filesystem::path& modelFile,
                  std::optional<std::int64_t> respondents, std::optional<std::uint64_t> seed);

/// Simulates and prints the report for one instrument version.
void simulateInstrument(std::ostream& out, const sdk::Definition& definition, const SimulationModel& model);

}  // namespace mindset::cli
