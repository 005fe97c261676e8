#pragma once
/// The Instrument interface: what a plugin gives the host.
///
/// Ownership and lifetime: the host owns every Instrument a plugin registers and destroys it before
/// it could ever unload the plugin's library (in practice libraries stay loaded until exit).
/// Threading: the host calls every method from many request threads at once, so implementations
/// must be immutable after construction (no mutable state, no caches without locks).

#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

#include "Definition.h"

namespace mindset::sdk {

/// One respondent's answers to one instrument, aligned with Definition::items.
/// A code of 0 means the item was not answered; otherwise it is a scored code of the response
/// scale. The host passes an unscored answer (ResponseScale::unscoredOptions, "don't know") as 0
/// too: score() never sees one.
struct ItemAnswers {
    std::vector<int> codes;
};

/// One respondent's score on one scale.
struct ScaleScore {
    std::string scaleId;
    std::optional<double> value;  ///< empty when fewer than Scale::minAnswered items were answered
    int answeredCount = 0;
    /// A custom score() only: one per Scale::figures, in order (empty when the scale declares none);
    /// each empty or within its figure's [min, max].
    std::vector<std::optional<double>> figures;
};

/// The keyed value of an answer: reverse-keyed items map code c to (min + max - c) on the
/// declared response range, so that a higher keyed value is always the more favorable answer.
inline int keyedCode(const Definition& d, const Item& item, int code) {
    return item.isReverseKeyed ? d.responseScale.minCode() + d.responseScale.maxCode() - code : code;
}

/// The default scoring: for each scale, the mean of its answered items after reverse keying,
/// present only when at least Scale::minAnswered of its items were answered. An unscored answer
/// ("don't know") counts as not answered. (The host scores its sub-scores, Scale::subScoreOf, the
/// same way over the items that carry their tag.)
inline std::vector<ScaleScore> meanOfAnsweredItems(const Definition& d, const ItemAnswers& answers) {
    std::vector<ScaleScore> scores;
    scores.reserve(d.scales.size());
    for (const auto& scale : d.scales) {
        double sum = 0;
        int answered = 0;
        for (std::size_t i = 0; i < d.items.size() && i < answers.codes.size(); ++i) {
            if (!scale.holds(d.items[i]) || answers.codes[i] == 0 || d.responseScale.isUnscoredCode(answers.codes[i])) continue;
            sum += keyedCode(d, d.items[i], answers.codes[i]);
            ++answered;
        }
        ScaleScore score{scale.id, std::nullopt, answered, {}};
        if (answered >= scale.minAnswered) score.value = sum / answered;
        scores.push_back(std::move(score));
    }
    return scores;
}

/// Where a scale stands in a district profile, as the host ranks the scales by their means.
enum class Standing { Strength, AreaForGrowth };

/// A scale's district result, given to Instrument::interpret.
struct ScaleResult {
    std::string scaleId;
    Standing standing = Standing::Strength;
    double mean = 0;                       ///< on the keyed response range
    std::optional<double> favorableShare;  ///< 0..1
    std::int64_t respondents = 0;
};

/// Words for an equity leader about one scale's result.
struct Interpretation {
    std::string text;
    std::vector<std::string> practices;  ///< recommended practices, most useful first
};

/// A versioned instrument. Subclass it only for custom behaviour; a JSON definition alone is
/// enough for most instruments (see JsonInstrument and MINDSET_INSTRUMENT_FROM_JSON).
class Instrument {
public:
    virtual ~Instrument() = default;

    /// **Required.** The instrument's definition. Must return the same object for the
    /// instrument's whole life. Called from any thread.
    virtual const Definition& definition() const = 0;

    /// **Optional.** Scores one response into one ScaleScore per scale, in Definition::scales
    /// order. `answers.codes` has one entry per item and every non-zero code is valid (the host
    /// validates before scoring). Default: meanOfAnsweredItems. Called from any thread.
    virtual std::vector<ScaleScore> score(const ItemAnswers& answers) const {
        return meanOfAnsweredItems(definition(), answers);
    }

    /// **Optional.** What to tell an equity leader about a scale's result in `language` ("en",
    /// "es"), or nothing. Default: the scale's `interpretation` texts from the definition, the
    /// strength text for a strength, and the growth text with the practices for an area for growth.
    /// Called from any thread.
    virtual std::optional<Interpretation> interpret(const ScaleResult& result, std::string_view language) const {
        const auto* scale = definition().findScale(result.scaleId);
        if (!scale || !scale->interpretation) return std::nullopt;
        const auto& texts = *scale->interpretation;
        if (result.standing == Standing::Strength) return Interpretation{texts.strength.in(language), {}};
        Interpretation interpretation{texts.growth.in(language), {}};
        for (const auto& practice : texts.practices) interpretation.practices.push_back(practice.in(language));
        return interpretation;
    }
};

/// An instrument whose behaviour is entirely described by its definition.
class JsonInstrument final : public Instrument {
public:
    /// Parses `jsonText`; throws DefinitionError naming the bad field.
    explicit JsonInstrument(std::string_view jsonText) : definition_(Definition::fromJson(jsonText)) {}
    const Definition& definition() const override { return definition_; }

private:
    Definition definition_;
};

}  // namespace mindset::sdk
