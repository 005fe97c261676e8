#include "cli/TestRuns.h"

#include "store/Tokens.h"

namespace mindset::cli {

void printNewTestLink(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey, const std::string& baseUrl) {
    const auto token = store::randomToken();
    store.setTestLink(survey.storeId, store::sha256Hex(token));
    auto base = baseUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    out << "Test link for " << survey.id << " (any earlier test link no longer works):\n  " << base << "/surveys/" << survey.id
        << "?test=" << token << "\n"
        << "It opens the survey as staff see it (first page, one page per section, review before sending), before\n"
           "and while the survey is open, without an access code; the same survey on one page:\n  " << base << "/surveys/"
        << survey.id << "/all?test=" << token << "\n"
        << "What is sent through it is stored as a test response: counted in no result, release or response rate,\n"
           "and it does not lock the survey's questions. Keep the link to the people trying the survey.\n"
        << "Test responses stored now: " << store.countTestResponses(survey.storeId) << " (remove them with `mindset responses "
        << "remove-tests --survey " << survey.id << "`).\n";
}

void removeTestResponses(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey) {
    const auto removed = store.removeTestResponses(survey.storeId);
    out << "Removed " << removed << (removed == 1 ? " test response" : " test responses") << " from " << survey.id
        << "; its real responses (" << store.countResponses(survey.storeId) << ") are unchanged.\n";
}

void printImportBatches(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey) {
    const auto batches = store.importBatches(survey.storeId);
    if (batches.empty()) {
        out << "Survey " << survey.id << " has no recorded import.\n";
        return;
    }
    out << "Imports into " << survey.id << ":\n";
    for (const auto& batch : batches) {
        out << "  batch " << batch.number << ", imported " << batch.importedOn << ": " << batch.rowCount << " rows stored, ";
        if (batch.remaining == 0) out << "undone\n";
        else if (batch.released > 0) out << batch.released << " of them in a published release (cannot be undone)\n";
        else out << batch.remaining << " still stored (`mindset import undo --survey " << survey.id << " --batch " << batch.number << "`)\n";
    }
}

bool undoImport(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey, std::uint32_t number) {
    store::ImportBatch batch;
    switch (store.undoImport(survey.storeId, number, batch)) {
        case store::UndoImportResult::Removed:
            out << "Removed import batch " << number << " of " << survey.id << " (imported " << batch.importedOn << "): "
                << batch.remaining << (batch.remaining == 1 ? " response" : " responses") << ". Survey " << survey.id << " now has "
                << store.countResponses(survey.storeId) << " responses.\n";
            return true;
        case store::UndoImportResult::UnknownBatch: {
            out << "Nothing was removed: survey " << survey.id << " has no import batch " << number << ".";
            const auto batches = store.importBatches(survey.storeId);
            if (batches.empty()) out << " It has no recorded import.";
            else {
                out << " Its batches:";
                for (const auto& b : batches) out << " " << b.number;
                out << " (see `mindset import list --survey " << survey.id << "`).";
            }
            out << "\n";
            return false;
        }
        case store::UndoImportResult::AlreadyUndone:
            out << "Nothing was removed: import batch " << number << " of " << survey.id << " was already undone.\n";
            return false;
        case store::UndoImportResult::Released:
            out << "Nothing was removed: " << batch.released << " of the " << batch.remaining << " responses of import batch "
                << number << " are in a published release of " << survey.id
                << ", and a release never changes once published (docs/privacy.md).\n";
            return false;
    }
    return false;
}

}  // namespace mindset::cli
