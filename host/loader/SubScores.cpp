#include "loader/SubScores.h"

#include <algorithm>

namespace mindset::loader {

sdk::Definition withSubScores(const sdk::Definition& declared) {
    auto definition = declared;
    for (const auto& group : declared.tagGroups) {
        for (const auto& value : group.values) {
            sdk::Scale scale;
            scale.id = group.id + ":" + value.id;
            scale.subScoreOf = sdk::Scale::Tag{group.id, value.id};
            for (const auto& [language, title] : value.title.byLanguage)
                scale.title.byLanguage[language] = (group.title.has(language) ? group.title.in(language) + ": " : "") + title;
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
        std::count_if(definition.scales.begin(), definition.scales.end(), [](const sdk::Scale& scale) { return !scale.isSubScore(); }));
}

}  // namespace mindset::loader
