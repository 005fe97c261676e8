#pragma once
/// The scales the host derives from an instrument's definition: one per custom figure of a scale
/// (sdk::CustomFigure, given by the instrument's own score()) and one per tag value of its items
/// (sdk::TagGroup, a sub-score the host computes). The host works with the instrument's definition
/// plus these, appended after the declared scales, so that every output that reports a scale
/// (profile, breakdowns, suppression and the disclosure audit, trends, JSON, CSV, codebook, pages)
/// reports them the same way and protects them the same way: each is one more published mean over
/// the same groups.

#include <cstddef>
#include <optional>

#include <mindset/sdk.h>

namespace mindset::loader {

/// `declared` with, after its own scales, one scale per custom figure (id "scale~figure", title
/// "Scale title: figure title", the figure's description and favorable rule; its range is the
/// figure's) and then one per tag value (id "group:value", title "Group title: value title" in each
/// language, the value's description, the favorable rule of the scales of its items, which
/// sdk::validate makes one, a score from one answered item on). Scales and items of `declared` keep
/// their order and indexes.
sdk::Definition withDerivedScales(const sdk::Definition& declared);

/// How many of `definition`'s scales the instrument declares itself: its score() gives one score
/// each, in order; the derived scales come after them.
std::size_t declaredScaleCount(const sdk::Definition& definition);

/// Where a derived scale's custom figure is: its declared scale's index in `definition.scales`
/// (also its index in what score() returns) and the figure's index in that scale's figures.
struct FigurePosition {
    std::size_t scale = 0;
    std::size_t figure = 0;
};

/// The position of the custom figure a derived scale reports, or nothing for any other scale.
std::optional<FigurePosition> figurePositionOf(const sdk::Definition& definition, const sdk::Scale& scale);

/// The custom figure a derived scale reports, or nullptr for any other scale.
const sdk::CustomFigure* customFigureOf(const sdk::Definition& definition, const sdk::Scale& scale);

}  // namespace mindset::loader
