#pragma once
/// Plain-text listings for the command line.

#include <ostream>

#include "loader/InstrumentRegistry.h"
#include "surveys/SurveyCatalog.h"

namespace mindset::cli {

/// Loaded instruments, then refused plugin files and refused instrument versions with the reason.
void printPlugins(std::ostream& out, const loader::InstrumentRegistry& registry);
/// Only the refused plugin files and instrument versions (nothing when there are none).
void printRefusedPlugins(std::ostream& out, const loader::InstrumentRegistry& registry);

/// Valid surveys, then invalid survey files with every problem (field and reason), then what in
/// the folder was not read.
void printSurveys(std::ostream& out, const surveys::SurveyCatalog& catalog);
/// Only the invalid survey files (nothing when there are none).
void printInvalidSurveys(std::ostream& out, const surveys::SurveyCatalog& catalog);
/// Only what in the survey folder is not a survey file, with why (nothing when there is none).
void printSkippedSurveyFiles(std::ostream& out, const surveys::SurveyCatalog& catalog);

}  // namespace mindset::cli
