#include "analytics/ResponseFormat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>

#include "analytics/NumberText.h"
#include "loader/DerivedScales.h"

namespace mindset::analytics {

namespace {

bool isSpanish(const std::string& language) { return language == "es"; }

}  // namespace

ScoreRange scoreRangeOf(const sdk::Definition& definition, const std::string& language) {
    const auto& options = definition.responseScale.options;
    return {static_cast<double>(definition.responseScale.minCode()), static_cast<double>(definition.responseScale.maxCode()),
            options.front().label.in(language), options.back().label.in(language)};
}

ScoreRange scoreRangeOf(const sdk::Definition& definition, const sdk::Scale& scale, const std::string& language) {
    if (const auto* figure = loader::customFigureOf(definition, scale)) return {figure->min, figure->max, "", ""};
    return scoreRangeOf(definition, language);
}

std::string customFigureReadingText(const sdk::Definition& definition, const sdk::Scale& scale, const std::string& language) {
    const auto* figure = loader::customFigureOf(definition, scale);
    if (!figure) return {};
    const auto min = thresholdText(figure->min, language), max = thresholdText(figure->max, language);
    const auto favorable = thresholdText(figure->favorableAtLeast, language);
    return isSpanish(language) ? "Cifra propia del instrumento, calculada por su propio código: " + figure->description.in(language) + " Va de " +
                                     min + " a " + max + "; favorable significa " + favorable + " o más."
                               : "A custom figure, computed by the instrument's own code: " + figure->description.in(language) + " It runs from " +
                                     min + " to " + max + "; favorable means " + favorable + " or more.";
}

std::string thresholdText(double threshold, const std::string& language) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", threshold);
    std::string out = text;
    std::replace(out.begin(), out.end(), '.', decimalMarkOf(language));
    return out;
}

std::string favorableRuleText(const sdk::Definition& definition, const std::string& language) {
    const bool es = isSpanish(language);
    // The declared scales only: a sub-score has the rule of its items' scales, a custom figure says its own.
    const auto declared = std::span(definition.scales).first(loader::declaredScaleCount(definition));
    bool isShared = true;
    for (const auto& scale : declared) isShared = isShared && scale.favorableAtLeast == declared.front().favorableAtLeast;
    if (isShared) {
        const auto threshold = thresholdText(declared.front().favorableAtLeast, language);
        return es ? "Favorable significa una puntuación de " + threshold + " o más." : "Favorable means a score of " + threshold + " or more.";
    }
    std::string list;
    for (const auto& scale : declared)
        list += (list.empty() ? "" : es ? "; " : ", ") + thresholdText(scale.favorableAtLeast, language) + (es ? " en " : " on ") +
                scale.title.in(language);
    return es ? "Favorable significa una puntuación de al menos " + list + "." : "Favorable means a score of at least " + list + ".";
}

std::string scaleReadingText(const sdk::Definition& definition, const std::string& language) {
    const auto range = scoreRangeOf(definition, language);
    const auto min = thresholdText(range.min, language), max = thresholdText(range.max, language);
    const bool hasReversed = std::any_of(definition.items.begin(), definition.items.end(), [](const auto& i) { return i.isReverseKeyed; });
    std::string text = isSpanish(language) ? "Cada escala va de " + min + " (" + range.minLabel + ") a " + max + " (" + range.maxLabel + ")"
                                           : "Each scale runs from " + min + " (" + range.minLabel + ") to " + max + " (" + range.maxLabel + ")";
    if (hasReversed)
        text += isSpanish(language) ? ", después de invertir las afirmaciones de sentido inverso" : ", after reverse-keyed statements are turned around";
    return text + ". " + favorableRuleText(definition, language);
}

std::string meanAxisLabel(const sdk::Definition& definition, const std::string& language) {
    const auto range = scoreRangeOf(definition, language);
    return (isSpanish(language) ? "Puntuación media (" : "Mean score (") + thresholdText(range.min, language) + " = " + range.minLabel + ", " +
           thresholdText(range.max, language) + " = " + range.maxLabel + ")";
}

std::string meanAxisLabel(const sdk::Definition& definition, const sdk::Scale& scale, const std::string& language) {
    const auto* figure = loader::customFigureOf(definition, scale);
    if (!figure) return meanAxisLabel(definition, language);
    return (isSpanish(language) ? "Media de la cifra propia del instrumento (" : "Mean of the instrument's custom figure (") +
           thresholdText(figure->min, language) + (isSpanish(language) ? " a " : " to ") + thresholdText(figure->max, language) + ")";
}

std::string rankingBasisText(const std::string& language) {
    return isSpanish(language)
               ? "Ordenadas por el porcentaje favorable: la proporción de personas cuya puntuación cumple la regla favorable de su "
                 "escala. Los instrumentos usan escalas de respuesta distintas (por ejemplo de 1 a 4 y de 1 a 7), así que sus medias no se "
                 "comparan entre sí; el porcentaje favorable sí."
               : "Ranked by % favorable: the share of respondents whose score meets their scale's favorable rule. Instruments use "
                 "different response scales (for example 1 to 4 and 1 to 7), so their means do not compare with each other; the share "
                 "favorable does.";
}

std::string scoreProblem(const sdk::Definition& definition, const std::vector<sdk::ScaleScore>& scores) {
    const auto declared = loader::declaredScaleCount(definition);
    if (scores.size() != declared)
        return "returned " + std::to_string(scores.size()) + " scale scores, expected " + std::to_string(declared) +
               " (one per scale, in the definition's order)";
    const double low = definition.responseScale.minCode(), high = definition.responseScale.maxCode();
    for (std::size_t s = 0; s < scores.size(); ++s) {
        const auto& scale = definition.scales[s];
        if (scores[s].value) {
            const double x = *scores[s].value;
            if (!std::isfinite(x) || x < low || x > high)
                return "gave " + std::to_string(x) + " for scale '" + scale.id + "', outside its declared range " +
                       std::to_string(definition.responseScale.minCode()) + " to " + std::to_string(definition.responseScale.maxCode()) +
                       " (the instrument's response codes)";
        }
        if (scores[s].figures.size() != scale.figures.size())
            return "returned " + std::to_string(scores[s].figures.size()) + " custom figures for scale '" + scale.id + "', expected " +
                   std::to_string(scale.figures.size()) + " (one per figure the scale declares, in order)";
        for (std::size_t f = 0; f < scale.figures.size(); ++f) {
            if (!scores[s].figures[f]) continue;
            const double x = *scores[s].figures[f];
            const auto& figure = scale.figures[f];
            if (!std::isfinite(x) || x < figure.min || x > figure.max)
                return "gave " + std::to_string(x) + " for custom figure '" + figure.id + "' of scale '" + scale.id +
                       "', outside its declared range " + thresholdText(figure.min, "en") + " to " + thresholdText(figure.max, "en");
        }
    }
    return {};
}

double shareOfRange(double mean, const ScoreRange& range) {
    return range.max == range.min ? 0 : (mean - range.min) / static_cast<double>(range.max - range.min);
}

}  // namespace mindset::analytics
