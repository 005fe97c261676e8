#include "demo/DemoResponses.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <string_view>

namespace mindset::demo {

std::vector<ChoiceWeight> defaultChoiceWeights() {
    // Shares of responding staff. Central office is 1% so that it stays below the reporting
    // threshold at a few hundred responses, as a small site does in a real district.
    return {
        {"school", "eastside-high", 31},
        {"school", "riverside-middle", 22},
        {"school", "cedar-elementary", 17},
        {"school", "lakeview-elementary", 16},
        {"school", "maple-elementary", 13},
        {"school", "central-office", 1},

        {"role", "teacher", 62},
        {"role", "paraprofessional", 13},
        {"role", "school-leader", 4},
        {"role", "student-support", 6},
        {"role", "central-office", 0.5},
        {"role", "other-staff", 12},
        {"role", "prefer-not-to-say", 2.5},
        // Nearly everyone who works at the central office has a central-office role.
        {"role", "central-office", 80, "school", "central-office"},
        {"role", "student-support", 6, "school", "central-office"},
        {"role", "other-staff", 8, "school", "central-office"},
        {"role", "prefer-not-to-say", 6, "school", "central-office"},

        {"years", "0-2", 24},
        {"years", "3-5", 21},
        {"years", "6-10", 22},
        {"years", "11-plus", 31},
        {"years", "prefer-not-to-say", 2},

        // A diverse Texas district's staff: White and Hispanic about a third each, Black a sixth,
        // and three groups rare enough to be suppressed almost everywhere.
        {"race", "white", 37},
        {"race", "hispanic", 34},
        {"race", "black", 17},
        {"race", "asian", 3},
        {"race", "middle-eastern", 0.7},
        {"race", "american-indian", 0.7},
        {"race", "pacific-islander", 0.3},
        {"race", "prefer-not-to-say", 4},
    };
}

std::vector<GroupEffect> defaultGroupEffects() {
    return {
        // Schools: a collaborative elementary, a data-driven one, and a large high school where
        // ownership of all students is weaker (a gap that narrows a little each year).
        {"school", "maple-elementary", "professional-trust", 0.55},
        {"school", "maple-elementary", "shared-ownership", 0.45},
        {"school", "maple-elementary", "learning-from-mistakes", 0.35},
        {"school", "lakeview-elementary", "data-informed-practice", 0.50},
        {"school", "lakeview-elementary", "improvement-cycles", 0.45},
        {"school", "cedar-elementary", "high-expectations", 0.20},
        {"school", "eastside-high", "shared-ownership", -0.45, 0.08},
        {"school", "eastside-high", "joint-accountability", -0.35},
        {"school", "eastside-high", "asset-based-views", -0.20},
        {"school", "riverside-middle", "professional-trust", -0.30},
        {"school", "riverside-middle", "learning-from-mistakes", -0.20},
        {"school", "central-office", "equitable-resourcing", 0.30},

        // Roles: leaders see their school's routines more favourably; paraprofessionals are
        // less often part of data work; student-support staff lean towards asset-based views.
        {"role", "school-leader", "joint-accountability", 0.40},
        {"role", "school-leader", "improvement-cycles", 0.40},
        {"role", "school-leader", "data-informed-practice", 0.40},
        {"role", "school-leader", "professional-trust", 0.30},
        {"role", "paraprofessional", "data-informed-practice", -0.35},
        {"role", "paraprofessional", "improvement-cycles", -0.25},
        {"role", "paraprofessional", "asset-based-views", 0.15},
        {"role", "student-support", "asset-based-views", 0.35},
        {"role", "student-support", "shared-ownership", 0.30},
        {"role", "student-support", "equitable-resourcing", 0.30},

        // Race/ethnicity: Black and Hispanic staff more often endorse equitable resourcing and
        // asset-based views; Black staff report less professional trust, a gap that narrows.
        {"race", "black", "equitable-resourcing", 0.45},
        {"race", "black", "asset-based-views", 0.35},
        {"race", "black", "high-expectations", 0.25},
        {"race", "black", "professional-trust", -0.30, 0.06},
        {"race", "hispanic", "asset-based-views", 0.40},
        {"race", "hispanic", "equitable-resourcing", 0.30},
        {"race", "asian", "high-expectations", 0.10},

        // Years in the district: newcomers are more open about mistakes but trust less;
        // veterans are more sceptical of data and improvement cycles.
        {"years", "0-2", "learning-from-mistakes", 0.15},
        {"years", "0-2", "professional-trust", -0.15},
        {"years", "11-plus", "improvement-cycles", -0.20},
        {"years", "11-plus", "data-informed-practice", -0.15},
    };
}

std::vector<ScaleLevel> defaultScaleLevels() {
    // Beliefs staff readily endorse sit high; practices that ask more of them (resourcing,
    // accountability, improvement cycles) lower. The practices that the district works on drift up.
    return {
        {"high-expectations", 1.00, 0.00, 0.85},
        {"equitable-resourcing", 0.35, 0.00, 1.00},
        {"asset-based-views", 0.80, 0.00, 0.80},
        {"shared-ownership", 0.70, 0.00, 0.95},
        {"joint-accountability", 0.40, 0.05, 0.75},
        {"professional-trust", 0.55, 0.05, 0.70},
        {"data-informed-practice", 0.60, 0.10, 0.95},
        {"learning-from-mistakes", 0.75, 0.06, 1.00},
        {"improvement-cycles", 0.30, 0.12, 0.85},
    };
}

namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

// Latent structure: a general factor shared by every scale, one per instrument, and one per
// scale. Scales of one instrument then correlate about 0.50, of different instruments about 0.30.
constexpr double kGeneralLoading = 0.55;
constexpr double kInstrumentLoading = 0.45;
const double kScaleLoading = std::sqrt(1.0 - kGeneralLoading * kGeneralLoading - kInstrumentLoading * kInstrumentLoading);

/// The tables of Marsaglia and Tsang's ziggurat method for the standard normal (128 layers):
/// most draws cost one 32-bit random number and a multiplication, with no call into libm (a
/// million demo responses took 1.7 s with it here, 2.8 s with Box–Muller).
struct Ziggurat {
    static constexpr std::size_t kLayers = 128;
    static constexpr double kTailStart = 3.442619855899;         // where the base layer's tail begins
    static constexpr double kLayerArea = 9.91256303526217e-3;    // the area of each layer
    static constexpr double kScale = 16777216.0;                 // 2^24: draws carry a signed 25-bit value

    std::array<std::uint32_t, kLayers> bound{};  ///< |value| below this: inside the layer's rectangle
    std::array<double, kLayers> width{};         ///< value -> x
    std::array<double, kLayers> density{};       ///< exp(-x²/2) at each layer's edge

    Ziggurat() {
        double edge = kTailStart;
        double previousEdge = edge;
        const double q = kLayerArea / std::exp(-0.5 * edge * edge);
        bound[0] = static_cast<std::uint32_t>(edge / q * kScale);
        bound[1] = 0;
        width[0] = q / kScale;
        width[kLayers - 1] = edge / kScale;
        density[0] = 1.0;
        density[kLayers - 1] = std::exp(-0.5 * edge * edge);
        for (std::size_t i = kLayers - 2; i >= 1; --i) {
            edge = std::sqrt(-2.0 * std::log(kLayerArea / edge + std::exp(-0.5 * edge * edge)));
            bound[i + 1] = static_cast<std::uint32_t>(edge / previousEdge * kScale);
            previousEdge = edge;
            density[i] = std::exp(-0.5 * edge * edge);
            width[i] = edge / kScale;
        }
    }
};

const Ziggurat& ziggurat() {
    static const Ziggurat tables;
    return tables;
}

/// mt19937_64 is specified bit for bit by the standard, the std:: distributions are not; the few
/// used here are written out so that a seed gives the same responses with every standard library.
class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed), ziggurat_(ziggurat()) {}

    /// 32 random bits; each output of the engine serves twice.
    std::uint32_t bits32() {
        if (hasHalf_) {
            hasHalf_ = false;
            return half_;
        }
        const std::uint64_t x = engine_();
        half_ = static_cast<std::uint32_t>(x >> 32);
        hasHalf_ = true;
        return static_cast<std::uint32_t>(x);
    }

    /// Uniform in [0, 1).
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

    /// Uniform in [0, n), without modulo bias; n > 0.
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
        std::uint64_t x = engine_();
        while (x >= limit) x = engine_();
        return x % n;
    }

    /// Standard normal (ziggurat).
    double normal() {
        const auto& z = ziggurat_;
        for (;;) {
            const std::uint32_t u = bits32();
            const std::size_t layer = u & (Ziggurat::kLayers - 1);
            const std::int32_t value = static_cast<std::int32_t>(u) >> 7;  // the other 25 bits, signed
            const double x = value * z.width[layer];
            if (static_cast<std::uint32_t>(std::abs(value)) < z.bound[layer]) return x;
            if (layer == 0) {
                // The tail beyond kTailStart (Marsaglia's method for the normal tail).
                double tail = 0.0, y = 0.0;
                do {
                    tail = -std::log(1.0 - uniform()) / Ziggurat::kTailStart;
                    y = -std::log(1.0 - uniform());
                } while (y + y < tail * tail);
                return value > 0 ? Ziggurat::kTailStart + tail : -Ziggurat::kTailStart - tail;
            }
            if (z.density[layer] + uniform() * (z.density[layer - 1] - z.density[layer]) < std::exp(-0.5 * x * x)) return x;
        }
    }

private:
    std::mt19937_64 engine_;
    const Ziggurat& ziggurat_;
    std::uint32_t half_ = 0;
    bool hasHalf_ = false;
};

/// FNV-1a: a stable seed per item, so an item behaves the same in every survey, year and seed.
std::uint64_t stableHash(std::string_view text) {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ull;
    }
    return hash;
}

/// Cumulative weights over a question's choices.
struct WeightTable {
    std::vector<double> cumulative;

    bool isUsable() const { return !cumulative.empty() && cumulative.back() > 0.0; }
    std::size_t draw(Random& random) const {
        const double target = random.uniform() * cumulative.back();
        const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
        return std::min(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
    }
    double weightOf(std::size_t choice) const { return cumulative[choice] - (choice == 0 ? 0.0 : cumulative[choice - 1]); }
};

struct ConditionalTable {
    std::size_t whenQuestion = 0;
    std::size_t whenChoice = 0;
    WeightTable table;
};

struct QuestionPlan {
    bool isRequired = false;
    bool isMultiple = false;
    bool isQuota = false;
    std::size_t choiceCount = 0;
    std::size_t preferNotToSay = kNone;
    WeightTable table;
    std::vector<ConditionalTable> conditional;
    std::vector<std::vector<double>> shifts;  ///< [choice][scale], in latent SDs
};

struct ScalePlan {
    std::size_t instrument = 0;
    double mean = 0.0;
};

struct ItemPlan {
    std::size_t scale = 0;
    bool isReverseKeyed = false;
    double offset = 0.0;
    double noise = 1.0;
    std::uint32_t missingBelow = 0;  ///< missing when 32 random bits fall below this
    int minCode = 1;
    int maxCode = 5;
    int unscoredCode = 0;             ///< the instrument's first unscored option ("don't know"), 0 when none
    std::uint32_t unscoredBelow = 0;  ///< answered with it when 32 random bits fall below this
    const std::vector<double>* thresholds = nullptr;
};

struct Plan {
    std::vector<QuestionPlan> questions;
    std::vector<ScalePlan> scales;
    std::vector<ItemPlan> items;
    std::vector<std::vector<double>> thresholds;  ///< per instrument
    std::size_t instrumentCount = 0;
    bool mayStopEarly = false;
    bool mayMissItems = false;
};

std::size_t indexOfChoice(const surveys::DemographicQuestion& question, std::string_view id) {
    for (std::size_t i = 0; i < question.choices.size(); ++i)
        if (question.choices[i].id == id) return i;
    return kNone;
}

std::size_t indexOfQuestion(const surveys::SurveyDefinition& survey, std::string_view id) {
    for (std::size_t i = 0; i < survey.demographics.size(); ++i)
        if (survey.demographics[i].id == id) return i;
    return kNone;
}

WeightTable cumulate(const std::vector<double>& weights) {
    WeightTable table;
    double total = 0.0;
    for (const double w : weights) table.cumulative.push_back(total += std::max(w, 0.0));
    return table;
}

WeightTable uniformTable(const QuestionPlan& plan) {
    // "Prefer not to say" takes 3% of answers, the real choices share the rest equally.
    const auto realChoices = plan.choiceCount - (plan.preferNotToSay == kNone ? 0 : 1);
    std::vector<double> weights(plan.choiceCount, 1.0);
    if (plan.preferNotToSay != kNone && realChoices > 0) weights[plan.preferNotToSay] = 0.03 * realChoices / 0.97;
    return cumulate(weights);
}

/// Cut points on the latent answer scale between neighbouring response codes, spread so that a
/// respondent at the latent mean of a typical scale answers "agree".
std::vector<double> thresholdsFor(std::size_t optionCount) {
    if (optionCount < 2) return {};
    if (optionCount == 2) return {-0.2};
    std::vector<double> cuts;
    for (std::size_t j = 0; j + 1 < optionCount; ++j) cuts.push_back(-1.8 + 3.2 * static_cast<double>(j) / static_cast<double>(optionCount - 2));
    return cuts;
}

Plan makePlan(const surveys::SurveyDefinition& survey, const DemoProfile& profile) {
    Plan plan;
    plan.instrumentCount = survey.instruments.size();

    auto levelOf = [&](const std::string& scaleId) {
        for (const auto& level : profile.scaleLevels)
            if (level.scaleId == scaleId) return level;
        return ScaleLevel{scaleId};
    };
    std::vector<std::string> scaleIds;
    for (std::size_t k = 0; k < survey.instruments.size(); ++k) {
        const auto& definition = survey.instruments[k].definition();
        plan.thresholds.push_back(thresholdsFor(definition.responseScale.options.size()));
        const auto firstScale = plan.scales.size();
        for (const auto& scale : definition.scales) {
            if (!scale.isDeclared()) continue;  // sub-scores and custom figures come from the declared scales' answers
            const auto level = levelOf(scale.id);
            plan.scales.push_back({k, level.mean + profile.yearIndex * level.meanPerYear});
            scaleIds.push_back(scale.id);
        }
        for (const auto& item : definition.items) {
            std::size_t scale = firstScale;
            while (scale < plan.scales.size() && scaleIds[scale] != item.scaleId) ++scale;
            const auto level = levelOf(item.scaleId);
            // Item characteristics are fixed per item, whatever the seed, so that every year of a
            // demo district shows the same easy and hard statements.
            Random itemRandom(stableHash(definition.id + "/" + item.id));
            ItemPlan plannedItem;
            plannedItem.scale = scale;
            plannedItem.isReverseKeyed = item.isReverseKeyed;
            // Negatively worded statements draw more agreement and are noisier, as in real surveys.
            plannedItem.offset = 0.2 * itemRandom.normal() - (item.isReverseKeyed ? 0.3 : 0.0);
            // A level the profile sets for one of the item's tags (a phase of REO readiness) moves
            // the item from its scale's level to that one: its sub-score then tells the story.
            for (const auto& [group, value] : item.tags)
                for (const auto& tagLevel : profile.scaleLevels)
                    if (tagLevel.scaleId == value || tagLevel.scaleId == group + ":" + value) plannedItem.offset += tagLevel.mean - level.mean;
            plannedItem.noise = level.itemNoise * (item.isReverseKeyed ? 1.3 : 1.0) * (0.85 + 0.3 * itemRandom.uniform());
            const double missingShare = std::clamp(profile.itemMissingShare * (0.5 + itemRandom.uniform()), 0.0, 1.0);
            plannedItem.missingBelow = static_cast<std::uint32_t>(std::min(missingShare * 0x1.0p32, 4294967295.0));
            plannedItem.minCode = definition.responseScale.minCode();
            plannedItem.maxCode = definition.responseScale.maxCode();
            if (const auto& unscored = definition.responseScale.unscoredOptions; !unscored.empty()) {
                // Some staff cannot judge some statements: 2 to 8 % "don't know", fixed per item.
                plannedItem.unscoredCode = unscored.front().code;
                plannedItem.unscoredBelow = static_cast<std::uint32_t>((0.02 + 0.06 * itemRandom.uniform()) * 0x1.0p32);
            }
            plan.items.push_back(plannedItem);
        }
    }
    for (auto& item : plan.items) item.thresholds = &plan.thresholds[plan.scales[item.scale].instrument];

    const bool offersNoAnswer = !survey.requiresEveryItem || survey.allowsPreferNotToAnswer;
    plan.mayMissItems = offersNoAnswer && profile.itemMissingShare > 0.0;
    plan.mayStopEarly = offersNoAnswer && profile.stopEarlyShare > 0.0 && !plan.items.empty();

    for (std::size_t q = 0; q < survey.demographics.size(); ++q) {
        const auto& question = survey.demographics[q];
        QuestionPlan qp;
        qp.isRequired = question.isRequired;
        qp.isMultiple = question.isMultiple;
        qp.isQuota = question.id == profile.quotaQuestionId;
        qp.choiceCount = question.choices.size();
        for (std::size_t c = 0; c < question.choices.size(); ++c)
            if (question.choices[c].isPreferNotToSay) qp.preferNotToSay = c;

        std::vector<double> unconditional(qp.choiceCount, 0.0);
        bool hasUnconditional = false;
        for (const auto& w : profile.choiceWeights) {
            if (w.questionId != question.id) continue;
            const auto choice = indexOfChoice(question, w.choiceId);
            if (choice == kNone) continue;
            if (w.whenQuestionId.empty()) {
                unconditional[choice] += w.weight;
                // Weights that name only "prefer not to say" of a survey with its own choices would
                // make every respondent prefer not to say: they count only with a real choice.
                hasUnconditional = hasUnconditional || (choice != qp.preferNotToSay && w.weight > 0);
                continue;
            }
            const auto whenQuestion = indexOfQuestion(survey, w.whenQuestionId);
            if (whenQuestion == kNone || whenQuestion >= q) continue;  // only earlier answers can condition
            const auto whenChoice = indexOfChoice(survey.demographics[whenQuestion], w.whenChoiceId);
            if (whenChoice == kNone) continue;
            auto found = std::find_if(qp.conditional.begin(), qp.conditional.end(), [&](const ConditionalTable& t) {
                return t.whenQuestion == whenQuestion && t.whenChoice == whenChoice;
            });
            if (found == qp.conditional.end()) {
                qp.conditional.push_back({whenQuestion, whenChoice, WeightTable{std::vector<double>(qp.choiceCount, 0.0)}});
                found = qp.conditional.end() - 1;
            }
            found->table.cumulative[choice] += w.weight;  // still plain weights; cumulated below
        }
        std::erase_if(qp.conditional, [&](const ConditionalTable& t) {  // likewise: only "prefer not to say" named
            for (std::size_t c = 0; c < t.table.cumulative.size(); ++c)
                if (c != qp.preferNotToSay && t.table.cumulative[c] > 0) return false;
            return true;
        });
        for (auto& conditional : qp.conditional) conditional.table = cumulate(conditional.table.cumulative);
        std::erase_if(qp.conditional, [](const ConditionalTable& t) { return !t.table.isUsable(); });
        qp.table = hasUnconditional ? cumulate(unconditional) : WeightTable{};
        if (!qp.table.isUsable()) qp.table = uniformTable(qp);

        qp.shifts.assign(qp.choiceCount, std::vector<double>(plan.scales.size(), 0.0));
        for (const auto& effect : profile.effects) {
            if (effect.questionId != question.id) continue;
            const auto choice = indexOfChoice(question, effect.choiceId);
            if (choice == kNone) continue;
            const double shift = effect.shiftSd + profile.yearIndex * effect.shiftPerYearSd;
            for (std::size_t s = 0; s < plan.scales.size(); ++s)
                if (effect.scaleId.empty() || effect.scaleId == scaleIds[s]) qp.shifts[choice][s] += shift;
        }
        plan.questions.push_back(std::move(qp));
    }
    return plan;
}

/// Choice indices for the quota question, in random order: the largest-remainder split of
/// `count` by the question's weights, so small groups are exactly as small as the weights say.
std::vector<std::uint32_t> quotaChoices(const QuestionPlan& question, std::size_t count, Random& random) {
    const auto& table = question.table;
    const double total = table.cumulative.back();
    std::vector<std::size_t> sizes(question.choiceCount);
    std::vector<std::pair<double, std::size_t>> remainders;
    std::size_t assigned = 0;
    for (std::size_t c = 0; c < question.choiceCount; ++c) {
        const double exact = static_cast<double>(count) * table.weightOf(c) / total;
        sizes[c] = static_cast<std::size_t>(exact);
        assigned += sizes[c];
        remainders.emplace_back(exact - static_cast<double>(sizes[c]), c);
    }
    std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; assigned < count; ++i, ++assigned) ++sizes[remainders[i % remainders.size()].second];

    std::vector<std::uint32_t> choices;
    choices.reserve(count);
    for (std::size_t c = 0; c < question.choiceCount; ++c) choices.insert(choices.end(), sizes[c], static_cast<std::uint32_t>(c));
    // Fisher–Yates with our own bounded draw: std::shuffle's sequence differs between libraries.
    for (std::size_t i = choices.size(); i > 1; --i) std::swap(choices[i - 1], choices[random.below(i)]);
    return choices;
}

bool hasChosen(const QuestionPlan& question, std::uint32_t slot, std::size_t choice) {
    if (question.isMultiple) return (slot >> choice) & 1u;
    return slot == choice + 1;
}

void appendUint32(std::vector<std::uint8_t>& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

}  // namespace

std::vector<surveys::EncodedResponse> generateResponses(const surveys::SurveyDefinition& survey, std::size_t count,
                                                        std::uint64_t seed, const DemoProfile& profile) {
    const Plan plan = makePlan(survey, profile);
    Random random(seed);

    std::vector<std::uint32_t> quota;
    std::size_t quotaQuestion = kNone;
    for (std::size_t q = 0; q < plan.questions.size(); ++q)
        if (plan.questions[q].isQuota && plan.questions[q].choiceCount > 0) quotaQuestion = q;
    if (quotaQuestion != kNone) quota = quotaChoices(plan.questions[quotaQuestion], count, random);

    const auto questionCount = plan.questions.size();
    const auto scaleCount = plan.scales.size();
    const auto itemCount = plan.items.size();
    std::vector<std::uint32_t> slots(questionCount);
    std::vector<double> latent(scaleCount);
    std::vector<double> instrumentFactor(plan.instrumentCount);

    std::vector<surveys::EncodedResponse> responses(count);
    for (std::size_t r = 0; r < count; ++r) {
        auto& response = responses[r];
        std::fill(latent.begin(), latent.end(), 0.0);

        for (std::size_t q = 0; q < questionCount; ++q) {
            const auto& question = plan.questions[q];
            std::uint32_t& slot = slots[q];
            slot = 0;
            if (question.choiceCount == 0) continue;
            if (q == quotaQuestion) {
                slot = quota[r] + 1;
                for (std::size_t s = 0; s < scaleCount; ++s) latent[s] += question.shifts[quota[r]][s];
                continue;
            }
            if (!question.isRequired && random.uniform() < profile.optionalSkipShare) continue;
            const WeightTable* table = &question.table;
            for (const auto& conditional : question.conditional)
                if (hasChosen(plan.questions[conditional.whenQuestion], slots[conditional.whenQuestion], conditional.whenChoice)) {
                    table = &conditional.table;
                    break;
                }
            const auto first = table->draw(random);
            if (!question.isMultiple) {
                slot = static_cast<std::uint32_t>(first + 1);
                for (std::size_t s = 0; s < scaleCount; ++s) latent[s] += question.shifts[first][s];
                continue;
            }
            slot = 1u << first;
            if (first != question.preferNotToSay && random.uniform() < profile.multipleChoiceShare) {
                // A second choice, and now and then a third; "prefer not to say" never joins others.
                const int extra = random.uniform() < 0.15 ? 2 : 1;
                for (int added = 0, attempts = 0; added < extra && attempts < 32; ++attempts) {
                    const auto choice = table->draw(random);
                    if (choice == question.preferNotToSay || ((slot >> choice) & 1u)) continue;
                    slot |= 1u << choice;
                    ++added;
                }
            }
            const double share = 1.0 / std::popcount(slot);
            for (std::size_t c = 0; c < question.choiceCount; ++c)
                if ((slot >> c) & 1u)
                    for (std::size_t s = 0; s < scaleCount; ++s) latent[s] += share * question.shifts[c][s];
        }
        response.demographics.reserve(4 * questionCount);
        for (const auto slot : slots) appendUint32(response.demographics, slot);

        const double general = random.normal();
        for (auto& factor : instrumentFactor) factor = random.normal();
        for (std::size_t s = 0; s < scaleCount; ++s)
            latent[s] += plan.scales[s].mean + kGeneralLoading * general +
                         kInstrumentLoading * instrumentFactor[plan.scales[s].instrument] + kScaleLoading * random.normal();

        std::size_t stopAt = itemCount;
        if (plan.mayStopEarly && random.uniform() < profile.stopEarlyShare) stopAt = random.below(itemCount);

        response.answers.assign(itemCount, 0);
        for (std::size_t i = 0; i < stopAt; ++i) {
            const auto& item = plan.items[i];
            if (plan.mayMissItems && random.bits32() < item.missingBelow) continue;
            if (item.unscoredBelow > 0 && random.bits32() < item.unscoredBelow) {  // only for instruments that offer it
                response.answers[i] = static_cast<std::uint8_t>(item.unscoredCode);
                continue;
            }
            const double value = latent[item.scale] + item.offset + item.noise * random.normal();
            int step = 0;  // counted without branches: which side of a cut an answer falls is unpredictable
            for (const double cut : *item.thresholds) step += value >= cut;
            const int keyed = item.minCode + step;
            response.answers[i] = static_cast<std::uint8_t>(item.isReverseKeyed ? item.minCode + item.maxCode - keyed : keyed);
        }
    }
    return responses;
}

}  // namespace mindset::demo
