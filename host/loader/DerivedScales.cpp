#include "loader/DerivedScales.h"

#include <algorithm>

namespace mindset::loader {

namespace {

/// "Prefix: title" in every language `title` has.
sdk::LocalizedText prefixed(const sdk::LocalizedText& prefix, const sdk::LocalizedText& title) {
    sdk::LocalizedText text;
    for (const auto& [language, words] : title.byLanguage)
        text.byLanguage[language] = (prefix.has(language) ? prefix.in(language) + ": " : "") + words;
    return text;
}

}  // namespace

sdk::Definition withDerivedScales(const sdk::Definition& declared) {
    auto definition = declared;
    for (const auto& scale : declared.scales) {
        for (const auto& figure : scale.figures) {
            sdk::Scale derived;
            derived.id = scale.id + "~" + figure.id;
            derived.customFigureOf = sdk::Scale::FigureRef{scale.id, figure.id};
            derived.title = prefixed(scale.title, figure.title);
            derived.description = figure.description;
            derived.favorableAtLeast = figure.favorableAtLeast;
            derived.minAnswered = 1;
            definition.scales.push_back(std::move(derived));
        }
    }
    for (const auto& group : declared.tagGroups) {
        for (const auto& value : group.values) {
            sdk::Scale scale;
            scale.id = group.id + ":" + value.id;
            scale.subScoreOf = sdk::Scale::Tag{group.id, value.id};
            scale.title = prefixed(group.title, value.title);
            scale.description = value.description;
            scale.minAnswered = 1;
            for (const auto& item : declared.items) {
                if (!scale.holds(item)) continue;
                if (const auto* itemScale = declared.findScale(item.scaleId)) scale.favorableAtLeast = itemScale->favorableAtLeast;
                break;
            }
            definition.scales.push_back(std::move(scale));
        }
    }
    return definition;
}

std::size_t declaredScaleCount(const sdk::Definition& definition) {
    return static_cast<std::size_t>(
        std::count_if(definition.scales.begin(), definition.scales.end(), [](const sdk::Scale& scale) { return scale.isDeclared(); }));
}

std::optional<FigurePosition> figurePositionOf(const sdk::Definition& definition, const sdk::Scale& scale) {
    if (!scale.customFigureOf) return std::nullopt;
    const auto* owner = definition.findScale(scale.customFigureOf->scale);
    if (!owner) return std::nullopt;
    for (std::size_t f = 0; f < owner->figures.size(); ++f)
        if (owner->figures[f].id == scale.customFigureOf->figure)
            return FigurePosition{static_cast<std::size_t>(owner - definition.scales.data()), f};
    return std::nullopt;
}

const sdk::CustomFigure* customFigureOf(const sdk::Definition& definition, const sdk::Scale& scale) {
    const auto position = figurePositionOf(definition, scale);
    return position ? &definition.scales[position->scale].figures[position->figure] : nullptr;
}

}  // namespace mindset::loader
