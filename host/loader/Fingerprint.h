#pragma once
/// The fingerprint of a published instrument version: what must never change once a survey has
/// responses under it. A researcher who rewords an item, flips its reverse keying, changes an
/// option, a favorable rule or the scoring in place would silently change stored results (54%
/// favorable becoming 0%); the host records each version's fingerprint with the surveys that pin
/// it and refuses a changed one (store::Store::saveSurvey).

#include <string>

#include <mindset/sdk.h>

namespace mindset::loader {

/// SHA-256 (64 hex digits) over a canonical JSON of the instrument's id, version, response scale
/// (codes and labels in every language, and its unscored options such as "don't know" when it
/// declares any), scales (ids, titles, favorableAtLeast, minAnswered),
/// items (ids, scales, texts in every language, reverse keying) and its scoring: the scores its
/// score() gives on loader::syntheticAnswers, to 9 significant digits (so that a rebuild with
/// another optimizer does not count as a change). Descriptions, citation and interpretation texts
/// are left out: they do not change what an answer means or how it scores. Calls score() through
/// loader::guardHook (a throw counts as part of the scoring). `definition` is the instrument's, as
/// the loader read it (LoadedInstrument::definition): definition() itself is not called.
std::string fingerprintOf(const sdk::Instrument& instrument, const sdk::Definition& definition);

/// The same for an instrument not loaded through the registry (e.g. a definition being checked),
/// reading its definition() once under loader::guardHook; throws std::runtime_error naming the
/// failure when definition() throws.
std::string fingerprintOf(const sdk::Instrument& instrument);

}  // namespace mindset::loader
