#include "analytics/NetworkGlance.h"

#include <cmath>

namespace mindset::analytics {

namespace {

/// A gap is clear as the profile and the district summary say "beyond noise".
constexpr double kClearGapBelowQ = 0.05;

GlanceChange changeOf(const ScaleTrend& scale, std::size_t latest, std::optional<double>& difference) {
    if (latest == 0) return GlanceChange::FirstYear;
    if (const auto& change = scale.district.changes[latest - 1]; change && change->comparison.difference) {
        difference = *change->comparison.difference;
        if (!change->isRealChange()) return GlanceChange::NoClearChange;
        return *difference > 0 ? GlanceChange::ClearlyUp : GlanceChange::ClearlyDown;
    }
    if (scale.links[latest - 1].state == LinkState::NotComparable) return GlanceChange::NotComparable;
    if (scale.district.points[latest - 1].state == PointState::NotMeasured) return GlanceChange::NotMeasured;
    return GlanceChange::NoComparison;
}

/// The gaps of the latest year by kGlanceGapQuestion: the largest clear one (else the largest shown).
void addGaps(DistrictGlance& glance, const ScaleTrend& scale, std::size_t latest) {
    for (const auto& breakdown : scale.breakdowns) {
        if (breakdown.questionId != kGlanceGapQuestion) continue;
        if (glance.gapState == GlanceGapState::NotAsked) glance.gapState = GlanceGapState::Hidden;
        for (const auto& group : breakdown.groups) {
            const auto& gap = group.gaps[latest];
            if (gap.state != PointState::Shown || !gap.gap || !gap.gap->difference) continue;
            glance.gapState = GlanceGapState::Shown;
            const bool isClear = gap.qValue && *gap.qValue < kClearGapBelowQ;
            if (isClear) ++glance.clearGaps;
            const double difference = *gap.gap->difference;
            const auto& best = glance.largest;
            const bool isBetter = !best || (isClear && !best->isClear) ||
                                  (isClear == best->isClear && std::abs(difference) > std::abs(best->difference));
            if (isBetter) glance.largest = GlanceGap{group.label, scale.title, difference, isClear};
        }
    }
}

}  // namespace

std::string_view glanceChangeCode(GlanceChange change) {
    switch (change) {
        case GlanceChange::ClearlyUp: return "clearly-up";
        case GlanceChange::ClearlyDown: return "clearly-down";
        case GlanceChange::NoClearChange: return "no-clear-change";
        case GlanceChange::FirstYear: return "first-year";
        case GlanceChange::NotComparable: return "not-comparable";
        case GlanceChange::NotMeasured: return "not-measured";
        case GlanceChange::NoComparison: return "no-comparison";
    }
    return "";
}

std::vector<DistrictGlance> networkGlance(const PeerInput& network, const ScaleComparability& comparable) {
    std::vector<DistrictGlance> glances;
    for (const auto& district : network) {
        if (district.years.empty()) continue;
        const auto trends = buildTrends(district.years, comparable);
        const auto latest = trends.schoolYears.size() - 1;
        DistrictGlance glance{district.id, district.name, district.years.back(), std::nullopt, {}, GlanceGapState::NotAsked, std::nullopt, 0};
        if (latest > 0) glance.previousYear = trends.schoolYears[latest - 1];
        for (const auto& instrument : trends.instruments) {
            if (!instrument.years[latest]) continue;  // not fielded in the latest year
            for (const auto& scale : instrument.scales) {
                const auto& point = scale.district.points[latest];
                if (point.state == PointState::NotMeasured) continue;
                GlanceScale out{instrument.instrumentId, scale.scaleId, point.state, std::nullopt, std::nullopt, GlanceChange::NoComparison, std::nullopt};
                if (point.state == PointState::Shown && point.figures) {
                    out.mean = point.figures->summary.mean;
                    out.favorable = point.figures->favorable.share;
                    out.change = changeOf(scale, latest, out.difference);
                } else if (latest == 0) {
                    out.change = GlanceChange::FirstYear;
                }
                glance.scales.push_back(std::move(out));
                addGaps(glance, scale, latest);
            }
        }
        glances.push_back(std::move(glance));
    }
    return glances;
}

}  // namespace mindset::analytics
