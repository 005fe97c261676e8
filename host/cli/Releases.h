#pragma once
/// `mindset release publish SURVEY` and `mindset release list SURVEY`, the final releases made at
/// start-up, and which release `mindset report` and `mindset export` read.

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "releases/Releases.h"
#include "store/Store.h"
#include "surveys/SurveyCatalog.h"

namespace mindset::cli {

/// Publishes the survey's next release (interim while it is open, final once it has closed) and
/// prints what was published to `out`, or the reason it was refused to `err`. True when published.
bool publishRelease(std::ostream& out, std::ostream& err, store::Store& store, const surveys::SurveyDefinition& survey,
                    std::chrono::year_month_day today);

/// Prints the survey's releases, oldest first, one line each, or that it has none yet and why (the
/// refusal, when its final release was due and refused). A final release due on `today` is published first.
void printReleases(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey, std::chrono::year_month_day today);

/// Publishes the final release of every survey of `catalog` that has closed without one, printing
/// a line for each release made (to `out`) and each refusal (to `err`).
void publishDueFinalReleases(std::ostream& out, std::ostream& err, store::Store& store, const surveys::SurveyCatalog& catalog,
                             std::chrono::year_month_day today);

/// Release `number` of the survey (0: the latest), read back; nullopt with the reason in `err` when
/// there is none. Publishes the final release first if the survey has closed without one.
std::optional<releases::Release> readRelease(std::ostream& err, store::Store& store, const surveys::SurveyDefinition& survey,
                                             std::uint32_t number, std::chrono::year_month_day today);

/// A release in one line: "release 2 (interim), published 2026-11-30, 1234 responses".
std::string describeRelease(const store::ReleaseRecord& release);

}  // namespace mindset::cli
