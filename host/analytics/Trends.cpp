#include "analytics/Trends.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analytics/Quantiles.h"

namespace mindset::analytics {

namespace {

/// Appends `id` to `ids` unless it is there already; true when it was added.
bool addUnique(std::vector<std::string>& ids, const std::string& id) {
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) return false;
    ids.push_back(id);
    return true;
}

/// A shown year's scores as moments, from the n, mean and SD its profile publishes.
Moments momentsOf(const Summary& summary) {
    const double sd = summary.sd.value_or(0);
    return Moments::fromParts(summary.n, summary.mean.value_or(0), sd * sd * static_cast<double>(summary.n - 1));
}

/// The profile's scale index for an instrument of the survey and a scale id, if it has one.
std::optional<std::size_t> scaleIndexOf(const Profile& profile, std::size_t instrumentIndex, const std::string& scaleId) {
    for (std::size_t g = 0; g < profile.scales.size(); ++g)
        if (profile.scales[g].ref.instrument == instrumentIndex && profile.scales[g].scaleId == scaleId) return g;
    return std::nullopt;
}

const Breakdown* breakdownOf(const Profile& profile, const std::string& questionId) {
    for (const auto& breakdown : profile.breakdowns)
        if (breakdown.questionId == questionId) return &breakdown;
    return nullptr;
}

std::optional<std::size_t> categoryIndexOf(const Breakdown& breakdown, const std::string& categoryId) {
    for (std::size_t c = 0; c < breakdown.categories.size(); ++c)
        if (breakdown.categories[c].id == categoryId) return c;
    return std::nullopt;
}

/// A cell of the profile as a trend point (and its gap as a gap point).
void pointsOfCell(const Cell& cell, TrendPoint& point, GapPoint& gap) {
    if (cell.size == 0 && cell.hidden == HiddenBecause::Shown) {  // a withheld breakdown hides its empty groups too
        point.state = gap.state = PointState::NoRespondents;
        return;
    }
    if (cell.hidden != HiddenBecause::Shown || !cell.figures) {
        point.state = gap.state = PointState::Hidden;
        point.hidden = cell.hidden;
        gap.hidden = cell.gapHidden == HiddenBecause::Shown ? cell.hidden : cell.gapHidden;
        return;
    }
    point.state = PointState::Shown;
    point.figures = cell.figures;
    if (cell.gap && cell.gapHidden == HiddenBecause::Shown) {
        gap.state = PointState::Shown;
        gap.gap = cell.gap;
        gap.qValue = cell.gapQValue;
    } else {
        gap.state = PointState::Hidden;
        gap.hidden = cell.gapHidden;
    }
}

/// Changes of a series along the connected links whose two points are both shown.
void addChanges(TrendSeries& series, const std::vector<YearLink>& links) {
    series.changes.assign(links.size(), std::nullopt);
    for (std::size_t k = 0; k < links.size(); ++k) {
        const auto& earlier = series.points[k];
        const auto& later = series.points[k + 1];
        if (links[k].state != LinkState::Connected || earlier.state != PointState::Shown || later.state != PointState::Shown) continue;
        YearChange change;
        change.comparison = compareGroups(momentsOf(later.figures->summary), momentsOf(earlier.figures->summary));
        series.changes[k] = change;
    }
}

void addGapChanges(GroupTrend& group, const std::vector<YearLink>& links) {
    group.gapChanges.assign(links.size(), std::nullopt);
    for (std::size_t k = 0; k < links.size(); ++k) {
        const auto& earlier = group.gaps[k];
        const auto& later = group.gaps[k + 1];
        if (links[k].state != LinkState::Connected || earlier.state != PointState::Shown || later.state != PointState::Shown) continue;
        if (!earlier.gap->difference || !later.gap->difference) continue;
        GapChange change;
        change.change = *later.gap->difference - *earlier.gap->difference;
        if (earlier.gap->welch && later.gap->welch) {
            const double se = std::hypot(later.gap->welch->standardError, earlier.gap->welch->standardError);
            if (se > 0) {
                const double halfWidth = detail::normalQuantile975() * se;
                change.standardError = se;
                change.z = change.change / se;
                change.pValue = detail::normalTwoSidedP(*change.z);
                change.ci95 = Interval{change.change - halfWidth, change.change + halfWidth};
            }
        }
        group.gapChanges[k] = change;
    }
}

}  // namespace

GapDirection gapDirection(double earlierGap, double laterGap, bool isReal) {
    if (!isReal) return GapDirection::WithinNoise;
    if (std::abs(laterGap) < std::abs(earlierGap)) return GapDirection::Closing;
    // Crossing zero and ending further from it than before is neither closing nor widening the
    // same gap: the group went from one side of the rest of the district to the other.
    const bool isSameSide = earlierGap == 0 || (earlierGap < 0) == (laterGap < 0);
    return isSameSide ? GapDirection::Widening : GapDirection::Reversed;
}

Trends buildTrends(const DistrictYears& years, const ScaleComparability& comparable) {
    for (std::size_t i = 0; i < years.size(); ++i)
        if (!years[i].survey || !years[i].profile)
            throw std::invalid_argument("buildTrends: year " + std::to_string(i) + " has no " + (years[i].survey ? "profile" : "survey") +
                                        ", expected both");
    Trends trends;
    std::vector<std::size_t> columnOf;  // survey index -> school year index
    for (const auto& year : years) {
        if (trends.schoolYears.empty() || trends.schoolYears.back() != year.survey->schoolYear) trends.schoolYears.push_back(year.survey->schoolYear);
        columnOf.push_back(trends.schoolYears.size() - 1);
    }
    const auto columns = trends.schoolYears.size();
    const auto linkCount = columns > 0 ? columns - 1 : 0;

    // Instruments by id: the latest survey's order first, then older ones.
    std::vector<std::string> instrumentIds;
    for (auto year = years.rbegin(); year != years.rend(); ++year)
        for (const auto& instrument : year->survey->instruments) addUnique(instrumentIds, instrument.definition().id);

    for (const auto& instrumentId : instrumentIds) {
        InstrumentTrend instrument;
        instrument.instrumentId = instrumentId;
        instrument.years.assign(columns, std::nullopt);
        for (std::size_t s = 0; s < years.size(); ++s) {
            auto& slot = instrument.years[columnOf[s]];
            if (slot) continue;  // the first survey of the school year that pins it
            const auto& pinned = years[s].survey->instruments;
            for (std::size_t i = 0; i < pinned.size(); ++i)
                if (pinned[i].definition().id == instrumentId) {
                    slot = InstrumentYear{s, i, &pinned[i].definition()};
                    break;
                }
        }
        // The latest version names the instrument and orders its scales.
        std::vector<std::string> scaleIds;
        for (auto year = instrument.years.rbegin(); year != instrument.years.rend(); ++year) {
            if (!*year) continue;
            if (instrument.title.byLanguage.empty()) instrument.title = (*year)->definition->title;
            for (const auto& scale : (*year)->definition->scales) addUnique(scaleIds, scale.id);
        }

        for (const auto& scaleId : scaleIds) {
            ScaleTrend scale;
            scale.scaleId = scaleId;
            // Where the scale is in each year's profile; none when that year did not measure it.
            std::vector<std::optional<std::size_t>> scaleIndex(columns);
            for (std::size_t k = columns; k-- > 0;) {
                const auto& year = instrument.years[k];
                if (!year || !year->definition->findScale(scaleId)) continue;
                if (scale.title.byLanguage.empty()) scale.title = year->definition->findScale(scaleId)->title;
                scaleIndex[k] = scaleIndexOf(*years[year->surveyIndex].profile, year->instrumentIndex, scaleId);
            }
            auto profileOf = [&](std::size_t k) -> const Profile& { return *years[instrument.years[k]->surveyIndex].profile; };

            for (std::size_t k = 0; k < linkCount; ++k) {
                YearLink link;
                if (instrument.years[k]) link.earlierKey = instrument.years[k]->definition->key();
                if (instrument.years[k + 1]) link.laterKey = instrument.years[k + 1]->definition->key();
                if (scaleIndex[k] && scaleIndex[k + 1])
                    link.state = comparable(*instrument.years[k]->definition, *instrument.years[k + 1]->definition, scaleId)
                                     ? LinkState::Connected
                                     : LinkState::NotComparable;
                scale.links.push_back(std::move(link));
            }

            scale.district.points.resize(columns);
            for (std::size_t k = 0; k < columns; ++k) {
                if (!scaleIndex[k]) continue;
                const auto& figures = profileOf(k).scales[*scaleIndex[k]];
                auto& point = scale.district.points[k];
                if (figures.hidden != HiddenBecause::Shown || !figures.district) {
                    point.state = PointState::Hidden;
                    point.hidden = figures.hidden;
                } else {
                    point.state = PointState::Shown;
                    point.figures = figures.district;
                }
            }
            addChanges(scale.district, scale.links);

            // Questions and their categories, matched by id: the latest year's order first.
            std::vector<std::string> questionIds;
            for (std::size_t k = columns; k-- > 0;)
                if (scaleIndex[k])
                    for (const auto& breakdown : profileOf(k).breakdowns) addUnique(questionIds, breakdown.questionId);
            for (const auto& questionId : questionIds) {
                BreakdownTrend breakdown;
                breakdown.questionId = questionId;
                std::vector<std::string> categoryIds;
                std::vector<sdk::LocalizedText> labels;
                for (std::size_t k = columns; k-- > 0;) {
                    if (!scaleIndex[k]) continue;
                    const auto* asked = breakdownOf(profileOf(k), questionId);
                    if (!asked) continue;
                    if (breakdown.label.byLanguage.empty()) breakdown.label = asked->label;
                    for (const auto& category : asked->categories)
                        if (addUnique(categoryIds, category.id)) labels.push_back(category.label);
                }
                for (std::size_t c = 0; c < categoryIds.size(); ++c) {
                    GroupTrend group;
                    group.categoryId = categoryIds[c];
                    group.label = labels[c];
                    group.series.points.resize(columns);
                    group.gaps.resize(columns);
                    for (std::size_t k = 0; k < columns; ++k) {
                        if (!scaleIndex[k]) continue;
                        const auto* asked = breakdownOf(profileOf(k), questionId);
                        if (!asked) continue;
                        const auto category = categoryIndexOf(*asked, group.categoryId);
                        if (!category) continue;
                        pointsOfCell(asked->cellsByScale[*scaleIndex[k]][*category], group.series.points[k], group.gaps[k]);
                    }
                    addChanges(group.series, scale.links);
                    addGapChanges(group, scale.links);
                    breakdown.groups.push_back(std::move(group));
                }
                scale.breakdowns.push_back(std::move(breakdown));
            }
            instrument.scales.push_back(std::move(scale));
        }
        trends.instruments.push_back(std::move(instrument));
    }

    // Every test the trends report, adjusted together: year changes of the district and of every
    // group on every scale, and every gap change.
    std::vector<double> pValues;
    std::vector<std::optional<double>*> qValues;
    auto collect = [&](TrendSeries& series) {
        for (auto& change : series.changes)
            if (change && change->comparison.welch) {
                pValues.push_back(change->comparison.welch->pValue);
                qValues.push_back(&change->qValue);
            }
    };
    for (auto& instrument : trends.instruments)
        for (auto& scale : instrument.scales) {
            collect(scale.district);
            for (auto& breakdown : scale.breakdowns)
                for (auto& group : breakdown.groups) {
                    collect(group.series);
                    for (auto& change : group.gapChanges)
                        if (change && change->pValue) {
                            pValues.push_back(*change->pValue);
                            qValues.push_back(&change->qValue);
                        }
                }
        }
    const auto adjusted = benjaminiHochberg(pValues);
    for (std::size_t i = 0; i < qValues.size(); ++i) *qValues[i] = adjusted[i];
    trends.testCount = pValues.size();

    for (auto& instrument : trends.instruments)
        for (auto& scale : instrument.scales)
            for (auto& breakdown : scale.breakdowns)
                for (auto& group : breakdown.groups)
                    for (std::size_t k = 0; k < group.gapChanges.size(); ++k) {
                        auto& change = group.gapChanges[k];
                        if (!change) continue;
                        const bool isReal = change->qValue && *change->qValue < YearChange::kRealChangeBelowQ;
                        change->direction = gapDirection(*group.gaps[k].gap->difference, *group.gaps[k + 1].gap->difference, isReal);
                    }
    return trends;
}

}  // namespace mindset::analytics
