#include "cli/InstrumentSimulate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <random>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/Reliability.h"
#include "cli/InstrumentCheck.h"
#include "loader/DerivedScales.h"
#include "loader/InstrumentRegistry.h"
#include "loader/PluginLoader.h"

namespace mindset::cli {

namespace {

using nlohmann::json;

// Flags, with the usual thresholds of scale development: item–rest r below 0.2 adds little
// (Streiner & Norman); more than 15% of scores at either end is a floor or ceiling effect (Terwee
// et al. 2007); α below 0.70 is weak for comparing groups (Nunnally).
constexpr double kWeakItemRest = 0.2;
constexpr double kEndEffectShare = 0.15;
constexpr double kWeakAlpha = 0.70;
// Clearly negative, not a zero that came out below 0: an item that goes against its scale.
constexpr double kLikelyMiskeyed = -0.1;

std::string fixed(double x, int decimals = 2) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, x);
    return text;
}

std::string signedFixed(double x) { return (x >= 0 ? "+" : "") + fixed(x); }

std::string percent(double share) { return fixed(100 * share, 0) + "%"; }

/// The value at quantile p of sorted values (type 7, as R's default).
double quantile(const std::vector<double>& sorted, double p) {
    const double at = p * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(at));
    const auto above = std::min(below + 1, sorted.size() - 1);
    return sorted[below] + (at - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

/// Mean and 95% range of alphas over the samples, into alpha, low and high; nothing when none.
void summarizeAlphas(std::vector<double> alphas, std::optional<double>& alpha, double& low, double& high) {
    if (alphas.empty()) return;
    std::sort(alphas.begin(), alphas.end());
    double sum = 0;
    for (const double a : alphas) sum += a;
    alpha = sum / static_cast<double>(alphas.size());
    low = quantile(alphas, 0.025);
    high = quantile(alphas, 0.975);
}

/// The host's sub-scores of `definition` (sdk::Scale::subScoreOf), whose items Scale::holds says: a
/// loaded plugin's definition holds them already, a definition.json does not yet.
std::vector<sdk::Scale> subScoreScalesOf(const sdk::Definition& definition) {
    const bool isDerived = loader::declaredScaleCount(definition) < definition.scales.size();
    const auto scales = isDerived ? definition.scales : loader::withDerivedScales(definition).scales;
    std::vector<sdk::Scale> subScores;
    std::copy_if(scales.begin(), scales.end(), std::back_inserter(subScores), [](const sdk::Scale& s) { return s.subScoreOf.has_value(); });
    return subScores;
}

/// Each sub-score with items in `scale`: which of the scale's items (`members`) it holds.
std::vector<std::pair<SimulatedScale::SubScore, std::vector<std::size_t>>> subScoresIn(const sdk::Definition& definition,
                                                                                     const std::vector<sdk::Scale>& subScoreScales,
                                                                                     const sdk::Scale& scale,
                                                                                     const std::vector<const sdk::Item*>& members) {
    std::vector<std::pair<SimulatedScale::SubScore, std::vector<std::size_t>>> result;
    for (const auto& subScoreScale : subScoreScales) {
        SimulatedScale::SubScore subScore{subScoreScale.subScoreOf->group, subScoreScale.subScoreOf->value, {}, false, std::nullopt, 0, 0};
        std::vector<std::size_t> positions;
        for (std::size_t i = 0; i < members.size(); ++i) {
            if (!subScoreScale.holds(*members[i])) continue;
            subScore.itemIds.push_back(members[i]->id);
            positions.push_back(i);
        }
        if (positions.empty()) continue;
        subScore.spansScales = std::any_of(definition.items.begin(), definition.items.end(),
                                           [&](const sdk::Item& item) { return item.scaleId != scale.id && subScoreScale.holds(item); });
        result.emplace_back(std::move(subScore), std::move(positions));
    }
    return result;
}

double numberField(const json& object, const char* name, const std::string& path) {
    const auto& value = object.at(name);
    if (!value.is_number()) throw std::invalid_argument(path + "." + name + ": expected a number");
    return value.get<double>();
}

}  // namespace

SimulationModel readSimulationModel(std::string_view text, const sdk::Definition& definition) {
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& e) {
        throw std::invalid_argument(std::string("the model is not valid JSON: ") + e.what());
    }
    if (!root.is_object()) throw std::invalid_argument("the model: expected an object");
    SimulationModel model;
    for (const auto& [key, value] : root.items()) {
        if (key == "respondents") {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 3 || value.get<std::int64_t>() > 1'000'000)
                throw std::invalid_argument("$.respondents: expected a whole number from 3 to 1000000");
            model.respondents = value.get<std::int64_t>();
        } else if (key == "samples") {
            if (!value.is_number_integer() || value.get<int>() < 1 || value.get<int>() > 10'000)
                throw std::invalid_argument("$.samples: expected a whole number from 1 to 10000");
            model.samples = value.get<int>();
        } else if (key == "seed") {
            if (!value.is_number_unsigned()) throw std::invalid_argument("$.seed: expected a whole number of 0 or more");
            model.seed = value.get<std::uint64_t>();
        } else if (key == "defaultLoading") {
            model.defaultLoading = numberField(root, "defaultLoading", "$");
            if (model.defaultLoading < -1 || model.defaultLoading > 1) throw std::invalid_argument("$.defaultLoading: expected -1 to 1");
        } else if (key == "items") {
            if (!value.is_object()) throw std::invalid_argument("$.items: expected an object of item id -> {\"mean\", \"loading\"}");
            for (const auto& [id, spec] : value.items()) {
                const auto path = "$.items['" + id + "']";
                const auto* item = definition.findItem(id);
                if (!item) throw std::invalid_argument(path + ": " + definition.key() + " has no item '" + id + "'");
                if (!spec.is_object()) throw std::invalid_argument(path + ": expected {\"mean\": number, \"loading\": number}");
                SimulatedItem simulated;
                for (const auto& [field, _] : spec.items()) {
                    if (field == "mean") {
                        simulated.mean = numberField(spec, "mean", path);
                        const auto low = definition.responseScale.minCode(), high = definition.responseScale.maxCode();
                        if (*simulated.mean < low || *simulated.mean > high)
                            throw std::invalid_argument(path + ".mean: expected a mean answer from " + std::to_string(low) + " to " +
                                                        std::to_string(high) + " (the response codes)");
                    } else if (field == "loading") {
                        simulated.loading = numberField(spec, "loading", path);
                        if (*simulated.loading < -1 || *simulated.loading > 1) throw std::invalid_argument(path + ".loading: expected -1 to 1");
                    } else {
                        throw std::invalid_argument(path + "." + field + ": unknown field (expected mean, loading)");
                    }
                }
                model.items[id] = simulated;
            }
        } else {
            throw std::invalid_argument("$." + key + ": unknown field (expected respondents, samples, seed, defaultLoading, items)");
        }
    }
    return model;
}

std::vector<SimulatedScale> simulateScales(const sdk::Definition& definition, const SimulationModel& model) {
    const int low = definition.responseScale.minCode(), high = definition.responseScale.maxCode();
    // The latent value runs over the range as a normal variable of 4 SDs (±2 around the mean).
    const double spread = (high - low) / 4.0;
    std::mt19937_64 random(model.seed);
    std::normal_distribution<double> normal;
    std::vector<SimulatedScale> results;
    const auto subScoreScales = subScoreScalesOf(definition);
    for (const auto& scale : definition.scales) {
        if (!scale.isDeclared()) continue;  // a loaded plugin's sub-scores and custom figures: reported with their scales
        SimulatedScale result;
        result.scale = &scale;
        std::vector<const sdk::Item*> members;
        for (const auto& item : definition.items) {
            if (item.scaleId != scale.id) continue;
            const auto it = model.items.find(item.id);
            const auto& stated = it == model.items.end() ? SimulatedItem{} : it->second;
            SimulatedScale::Item simulated;
            simulated.id = item.id;
            simulated.isReverseKeyed = item.isReverseKeyed;
            simulated.mean = stated.mean.value_or((low + high) / 2.0);
            simulated.loading = stated.loading.value_or(item.isReverseKeyed ? -model.defaultLoading : model.defaultLoading);
            result.items.push_back(simulated);
            members.push_back(&item);
        }
        const auto k = members.size();
        auto subScores = subScoresIn(definition, subScoreScales, scale, members);
        std::vector<std::vector<double>> subScoreAlphas(subScores.size());
        std::vector<double> alphas, itemRestSums(k, 0.0), row(k);
        std::vector<int> itemRestCounts(k, 0);
        std::vector<std::int64_t> atLowest(k, 0), atHighest(k, 0);
        std::int64_t atFloor = 0, atCeiling = 0;
        for (int sample = 0; sample < model.samples; ++sample) {
            analytics::ItemCovariance covariance(k);
            std::vector<analytics::ItemCovariance> subScoreCovariances;
            for (const auto& [_, positions] : subScores) subScoreCovariances.emplace_back(positions.size());
            std::vector<double> subRow;
            for (std::int64_t r = 0; r < model.respondents; ++r) {
                const double factor = normal(random);
                double keyedSum = 0;
                for (std::size_t i = 0; i < k; ++i) {
                    const auto& c = result.items[i];
                    const double latent = c.loading * factor + std::sqrt(1 - c.loading * c.loading) * normal(random);
                    const int code = std::clamp(static_cast<int>(std::lround(c.mean + spread * latent)), low, high);
                    atLowest[i] += code == low;
                    atHighest[i] += code == high;
                    row[i] = c.isReverseKeyed ? low + high - code : code;
                    keyedSum += row[i];
                }
                covariance.add(row);
                for (std::size_t s = 0; s < subScores.size(); ++s) {
                    subRow.clear();
                    for (const auto i : subScores[s].second) subRow.push_back(row[i]);
                    subScoreCovariances[s].add(subRow);
                }
                const double score = keyedSum / static_cast<double>(k);
                atFloor += score == low;
                atCeiling += score == high;
            }
            const auto reliability = covariance.reliability();
            if (reliability.alpha) alphas.push_back(*reliability.alpha);
            for (std::size_t s = 0; s < subScores.size(); ++s)
                if (const auto alpha = subScoreCovariances[s].reliability().alpha) subScoreAlphas[s].push_back(*alpha);
            for (std::size_t i = 0; i < reliability.perItem.size(); ++i)
                if (const auto& r = reliability.perItem[i].correctedItemTotal) itemRestSums[i] += *r, ++itemRestCounts[i];
        }
        const double answers = static_cast<double>(model.respondents) * model.samples;
        summarizeAlphas(std::move(alphas), result.alpha, result.alphaLow, result.alphaHigh);
        if (result.alpha && *result.alpha < kWeakAlpha)
            result.warnings.push_back("alpha " + fixed(*result.alpha) + " is below " + fixed(kWeakAlpha) +
                                      ", weak for comparing groups: more items or stronger ones");
        for (std::size_t s = 0; s < subScores.size(); ++s) {
            auto& subScore = subScores[s].first;
            summarizeAlphas(std::move(subScoreAlphas[s]), subScore.alpha, subScore.alphaLow, subScore.alphaHigh);
            if (subScore.alpha && *subScore.alpha < kWeakAlpha)
                result.warnings.push_back("sub-score " + subScore.group + ":" + subScore.value + ": alpha " + fixed(*subScore.alpha) +
                                          " is below " + fixed(kWeakAlpha) + ": read it beside its scale, not alone, or give it more items");
            result.subScores.push_back(std::move(subScore));
        }
        for (std::size_t i = 0; i < k; ++i) {
            auto& item = result.items[i];
            item.atLowest = static_cast<double>(atLowest[i]) / answers;
            item.atHighest = static_cast<double>(atHighest[i]) / answers;
            if (itemRestCounts[i] == 0) continue;
            item.itemRest = itemRestSums[i] / itemRestCounts[i];
            if (*item.itemRest <= kLikelyMiskeyed)
                result.warnings.push_back("item " + item.id + ": item-rest r " + signedFixed(*item.itemRest) +
                                          ": its keyed answers fall as the rest of the scale rises; is the keying wrong? (reverseKeyed is " +
                                          (item.isReverseKeyed ? "true" : "false") + ")");
            else if (*item.itemRest < kWeakItemRest)
                result.warnings.push_back("item " + item.id + ": item-rest r " + signedFixed(*item.itemRest) + " is below " +
                                          fixed(kWeakItemRest) + ": it adds little to the scale");
        }
        result.atFloor = static_cast<double>(atFloor) / answers;
        result.atCeiling = static_cast<double>(atCeiling) / answers;
        if (result.atFloor > kEndEffectShare) result.warnings.push_back("floor effect: " + percent(result.atFloor) + " of scale scores at the lowest possible");
        if (result.atCeiling > kEndEffectShare)
            result.warnings.push_back("ceiling effect: " + percent(result.atCeiling) + " of scale scores at the highest possible");
        results.push_back(std::move(result));
    }
    return results;
}

void simulateInstrument(std::ostream& out, const sdk::Definition& definition, const SimulationModel& model) {
    const int low = definition.responseScale.minCode(), high = definition.responseScale.maxCode();
    out << definition.key() << ": " << model.samples << " simulated samples of " << model.respondents << " respondents (seed " << model.seed
        << "), answers on " << low << ".." << high << " drawn from one factor per scale\n";
    for (const auto& result : simulateScales(definition, model)) {
        const auto k = result.items.size();
        out << "\nscale " << result.scale->id << " (" << k << (k == 1 ? " item" : " items") << ", favorable at "
            << fixed(result.scale->favorableAtLeast, 1) << " or more)\n";
        if (!result.alpha) {
            out << "  Cronbach's alpha: none (it needs two items or more, with answers that vary)\n";
        } else {
            out << "  expected Cronbach's alpha " << fixed(*result.alpha) << "; 95% of samples between " << fixed(result.alphaLow) << " and "
                << fixed(result.alphaHigh);
            if (const auto feldt = analytics::feldtInterval(*result.alpha, model.respondents, k))
                out << " (one sample's Feldt interval: [" << fixed(feldt->lower) << ", " << fixed(feldt->upper) << "])";
            out << "\n";
        }
        out << "  item      mean  loading  item-rest r  lowest  highest\n";
        for (const auto& item : result.items) {
            char line[160];
            std::snprintf(line, sizeof line, "  %-8s %5s  %7s  %11s  %6s  %7s%s\n", item.id.c_str(), fixed(item.mean).c_str(),
                          signedFixed(item.loading).c_str(), item.itemRest ? signedFixed(*item.itemRest).c_str() : "-",
                          percent(item.atLowest).c_str(), percent(item.atHighest).c_str(), item.isReverseKeyed ? "  (reverse keyed)" : "");
            out << line;
        }
        for (const auto& subScore : result.subScores) {
            out << "  sub-score " << subScore.group << ":" << subScore.value << " (" << subScore.itemIds.size()
                << (subScore.itemIds.size() == 1 ? " item" : " items") << (subScore.spansScales ? " of this scale" : "") << ":";
            for (const auto& id : subScore.itemIds) out << " " << id;
            out << "): ";
            if (subScore.alpha)
                out << "expected Cronbach's alpha " << fixed(*subScore.alpha) << "; 95% of samples between " << fixed(subScore.alphaLow)
                    << " and " << fixed(subScore.alphaHigh) << "\n";
            else
                out << (subScore.itemIds.size() == 1 ? "no alpha (one item)\n" : "no alpha (its answers did not vary)\n");
        }
        out << "  scale scores at the lowest possible (" << low << "): " << percent(result.atFloor) << "; at the highest (" << high
            << "): " << percent(result.atCeiling) << "\n";
        for (const auto& warning : result.warnings) out << "  WARNING " << warning << "\n";
    }
}

void simulateFile(std::ostream& out, const std::filesystem::path& file, const std::filesystem::path& modelFile,
                  std::optional<std::int64_t> respondents, std::optional<std::uint64_t> seed) {
    std::vector<sdk::Definition> definitions;
    if (file.extension() == ".json") {
        definitions.push_back(sdk::Definition::fromJson(readTextFile(file)));
    } else {
        loader::InstrumentRegistry registry;
        loader::loadPluginFile(registry, file);
        for (const auto& refused : registry.refused())
            throw std::runtime_error(file.string() + " is refused (`mindset instrument check` says why): " + refused.reason);
        for (const auto& instrument : registry.instruments()) definitions.push_back(*instrument.definition);
    }
    const auto modelText = modelFile.empty() ? std::string() : readTextFile(modelFile);
    for (const auto& definition : definitions) {
        if (&definition != &definitions.front()) out << "\n";
        auto model = modelText.empty() ? SimulationModel{} : readSimulationModel(modelText, definition);
        if (respondents) model.respondents = std::max<std::int64_t>(3, *respondents);
        if (seed) model.seed = *seed;
        simulateInstrument(out, definition, model);
    }
}

}  // namespace mindset::cli
