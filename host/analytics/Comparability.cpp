#include "analytics/Comparability.h"

namespace mindset::analytics {

bool areScalesComparable(const sdk::Definition& earlier, const sdk::Definition& later, std::string_view scaleId) {
    if (earlier.id != later.id || !earlier.findScale(scaleId) || !later.findScale(scaleId)) return false;
    if (earlier.version == later.version) return true;
    const auto* declared = later.comparabilityWith(earlier.version);
    if (!declared) declared = earlier.comparabilityWith(later.version);
    return declared && declared->listsScale(scaleId);
}

const sdk::Item* earlierItemFor(const sdk::Definition& earlier, const sdk::Definition& later, std::string_view laterItemId) {
    const auto* laterItem = later.findItem(laterItemId);
    if (!laterItem || !areScalesComparable(earlier, later, laterItem->scaleId)) return nullptr;
    if (earlier.version == later.version) return earlier.findItem(laterItemId);
    if (const auto* declared = later.comparabilityWith(earlier.version)) {
        auto mapped = declared->earlierItemIds.find(std::string(laterItemId));
        return mapped == declared->earlierItemIds.end() ? nullptr : earlier.findItem(mapped->second);
    }
    // `earlier` is the newer version here: find the item of it that maps to `laterItemId`.
    const auto* declared = earlier.comparabilityWith(later.version);
    for (const auto& [newerId, olderId] : declared->earlierItemIds)
        if (olderId == laterItemId) return earlier.findItem(newerId);
    return nullptr;
}

}  // namespace mindset::analytics
