#pragma once
/// A coordinator's test run and its undo (issue 14): the survey's test link and its test responses,
/// and import batches listed and undone. Each command says exactly what it changed.

#include <cstdint>
#include <ostream>
#include <string>

#include "store/Store.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::cli {

/// `mindset survey test-link`: makes a new secret test link for the survey (the store keeps only
/// its hash; the previous link stops working) and prints it with what it does.
void printNewTestLink(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey, const std::string& baseUrl);

/// `mindset responses remove-tests`: deletes the survey's test responses and says how many.
void removeTestResponses(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey);

/// `mindset import list`: the survey's import batches with their date, size, what is left of them
/// and whether they can still be undone.
void printImportBatches(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey);

/// `mindset import undo`: removes exactly import batch `number`'s responses and says how many;
/// false (nothing changed) with the reason when the batch is unknown, already undone, or in a
/// published release.
bool undoImport(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey, std::uint32_t number);

}  // namespace mindset::cli
