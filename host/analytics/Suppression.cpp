#include "analytics/Suppression.h"

#include <limits>

namespace mindset::analytics {

std::string_view hiddenCode(HiddenBecause reason) {
    // One word for every reason: telling "below the minimum" from "hidden to protect another group"
    // would tell a reader which hidden groups are the small ones.
    return reason == HiddenBecause::Shown ? "shown" : "hidden";
}

std::vector<HiddenBecause> protectCells(const std::vector<std::int64_t>& sizes, const std::vector<CellSum>& sums,
                                        std::int64_t minimum) {
    std::vector<HiddenBecause> reasons(sizes.size(), HiddenBecause::Shown);
    // Empty cells reveal nothing and are not hidden: there is nobody in them.
    for (std::size_t i = 0; i < sizes.size(); ++i)
        if (sizes[i] > 0 && sizes[i] < minimum) reasons[i] = HiddenBecause::BelowMinimum;
    auto isHidden = [&](std::size_t i) { return reasons[i] != HiddenBecause::Shown; };

    for (bool isChanged = true; isChanged;) {
        isChanged = false;
        for (const auto& sum : sums) {
            std::int64_t hiddenTotal = 0;
            std::size_t hiddenCount = 0;
            for (auto i : sum.parts)
                if (isHidden(i)) {
                    hiddenTotal += sizes[i];
                    ++hiddenCount;
                }
            const bool isTotalHidden = sum.total && isHidden(*sum.total);
            const bool isSafe = isTotalHidden ? hiddenCount >= 1 : hiddenCount == 0 || (hiddenCount >= 2 && hiddenTotal >= minimum);
            if (isSafe) continue;
            // Hide the smallest non-empty shown part; an empty one would add nothing.
            std::size_t smallest = sizes.size();
            auto smallestSize = std::numeric_limits<std::int64_t>::max();
            for (auto i : sum.parts)
                if (!isHidden(i) && sizes[i] > 0 && sizes[i] < smallestSize) {
                    smallest = i;
                    smallestSize = sizes[i];
                }
            // No part left to hide (every non-empty part is hidden): hide the total instead, or
            // the parts' sum would be read off it.
            if (smallest == sizes.size() && sum.total && !isTotalHidden && sizes[*sum.total] > 0) smallest = *sum.total;
            if (smallest == sizes.size()) continue;
            reasons[smallest] = HiddenBecause::ComplementaryProtection;
            isChanged = true;
        }
    }
    return reasons;
}

std::vector<HiddenBecause> protectCells(const std::vector<std::int64_t>& sizes,
                                        const std::vector<std::vector<std::size_t>>& publishedSums, std::int64_t minimum) {
    std::vector<CellSum> sums;
    for (const auto& parts : publishedSums) sums.push_back({parts, std::nullopt});
    return protectCells(sizes, sums, minimum);
}

}  // namespace mindset::analytics
