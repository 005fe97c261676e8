#pragma once
/// `mindset demo`: synthetic responses for one survey, or for a whole demo network from a plan
/// (surveys/demo/plan.json), so that every page of a fresh installation shows something.

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "demo/DemoPlan.h"
#include "store/Store.h"
#include "surveys/SurveyCatalog.h"

namespace mindset::cli {

/// What seeding did to one planned survey.
struct SeededSurvey {
    std::string surveyId;
    std::int64_t added = 0;          ///< responses added (0 when it already had some and only empty ones were filled)
    std::int64_t alreadyStored = 0;  ///< responses it held before
};

/// Adds each planned survey's synthetic responses, with its district's adjustments, and prints a
/// line per survey. With `onlyIfEmpty`, a survey that already holds responses is left alone, so
/// running it again, or on a data folder that holds some of the surveys, fills only the rest.
/// Then, so that a leader has something to read, each planned survey without a release gets one,
/// dated `today`: its final release if it has closed, otherwise an interim release.
/// Throws std::invalid_argument naming a planned survey that is not in `catalog` (nothing added).
std::vector<SeededSurvey> seedDemoPlan(std::ostream& out, store::Store& store, const surveys::SurveyCatalog& catalog,
                                       const demo::DemoPlan& plan, bool onlyIfEmpty, std::chrono::year_month_day today);

}  // namespace mindset::cli
