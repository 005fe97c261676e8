#include "loader/VersionMapping.h"

#include <algorithm>
#include <sstream>

namespace mindset::loader {

namespace {

std::string quoted(const std::string& text) { return "'" + text + "'"; }

/// Codes are consecutive (sdk::validate), so the first and the last say which codes there are.
std::string codeRange(const sdk::ResponseScale& scale) {
    return std::to_string(scale.minCode()) + ".." + std::to_string(scale.maxCode());
}

std::string number(double value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

}  // namespace

std::vector<std::string> comparabilityProblems(const sdk::Definition& later, const sdk::Definition& earlier) {
    const auto* declared = later.comparabilityWith(earlier.version);
    if (later.id != earlier.id || !declared) return {};
    std::vector<std::string> problems;
    const auto earlierKey = earlier.key();

    // Stored codes are compared as they are: a mean of 1..4 answers is no trend point for 1..5.
    if (codeRange(later.responseScale) != codeRange(earlier.responseScale))
        problems.push_back("response codes: expected " + codeRange(earlier.responseScale) + " as in " + earlierKey +
                           ", got " + codeRange(later.responseScale));

    for (const auto& scaleId : declared->scaleIds) {
        const auto where = "scale " + quoted(scaleId) + ": ";
        const auto* laterScale = later.findScale(scaleId);
        const auto* earlierScale = earlier.findScale(scaleId);
        if (!laterScale) continue;  // sdk::validate reports it
        if (!earlierScale) {
            problems.push_back(where + "expected a scale " + quoted(scaleId) + " in " + earlierKey + ", which has none");
            continue;
        }
        if (laterScale->favorableAtLeast != earlierScale->favorableAtLeast)
            problems.push_back(where + "favorableAtLeast expected " + number(earlierScale->favorableAtLeast) + " as in " +
                               earlierKey + ", got " + number(laterScale->favorableAtLeast));

        std::vector<std::string> covered;  // earlier items reached from this scale
        for (const auto& item : later.items) {
            if (item.scaleId != scaleId) continue;
            auto mapped = declared->earlierItemIds.find(item.id);
            if (mapped == declared->earlierItemIds.end()) continue;  // sdk::validate reports it
            const auto& earlierId = mapped->second;
            const auto* earlierItem = earlier.findItem(earlierId);
            const auto mapping = "item " + quoted(item.id) + " maps to " + quoted(earlierId);
            if (!earlierItem) {
                problems.push_back(where + mapping + ", which " + earlierKey + " does not have");
                continue;
            }
            if (earlierItem->scaleId != scaleId) {
                problems.push_back(where + mapping + ", which is in scale " + quoted(earlierItem->scaleId) + " in " +
                                   earlierKey + " (expected scale " + quoted(scaleId) + ")");
                continue;
            }
            covered.push_back(earlierId);
            if (item.isReverseKeyed != earlierItem->isReverseKeyed)
                problems.push_back(where + mapping + ": reverse keying expected " +
                                   (earlierItem->isReverseKeyed ? "true" : "false") + " as in " + earlierKey + ", got " +
                                   (item.isReverseKeyed ? "true" : "false"));
        }
        for (const auto& earlierItem : earlier.items) {
            if (earlierItem.scaleId != scaleId) continue;
            if (std::find(covered.begin(), covered.end(), earlierItem.id) == covered.end())
                problems.push_back(where + "item " + quoted(earlierItem.id) + " of " + earlierKey +
                                   " is mapped from no item (expected every item of the earlier scale to be mapped once)");
        }
    }
    return problems;
}

}  // namespace mindset::loader
