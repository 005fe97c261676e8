#pragma once
/// Sub-scores: the host's reading of an instrument's tag groups (sdk::TagGroup). The host works
/// with the instrument's definition plus one scale per tag value, appended after the declared
/// scales, so that every output that reports a scale (profile, breakdowns, suppression and the
/// disclosure audit, trends, JSON, CSV, codebook, pages) reports a sub-score the same way and
/// protects it the same way: a sub-score is one more published mean over the same groups.

#include <cstddef>

#include <mindset/sdk.h>

namespace mindset::loader {

/// `declared` with one scale per tag value after its own scales: id "group:value", title "Group
/// title: value title" in each language, the value's description, the favorable rule of the scales
/// of its items (sdk::validate makes them one), a score from one answered item on. Scales and items
/// of `declared` keep their order and indexes.
sdk::Definition withSubScores(const sdk::Definition& declared);

/// How many of `definition`'s scales the instrument declares itself: its score() gives one score
/// each, in order; the sub-scores after them are the host's.
std::size_t declaredScaleCount(const sdk::Definition& definition);

}  // namespace mindset::loader
