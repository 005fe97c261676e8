#pragma once
/// `mindset import`: an earlier year's responses from a CSV file exported by another tool, read
/// through a mapping file (docs/importing.md), stored all at once or not at all.

#include <filesystem>
#include <set>
#include <ostream>

#include "store/Store.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::cli {

/// What `mindset import` was asked to do.
struct ImportRequest {
    std::filesystem::path csvFile;
    std::filesystem::path mappingFile;
    bool isDryRun = false;       ///< report only; store nothing
    bool isAppending = false;    ///< add to a survey that already has responses
    bool skipsRejected = false;  ///< store the good rows even if some are rejected
    char delimiter = ',';        ///< the CSV's field separator (--delimiter)
    /// Lines on which the coordinator's own test submissions start (--test-lines): left out.
    std::set<std::size_t> testLines = {};
};

/// Reads the mapping and the CSV file and reports what the import does: rows read, rows stored
/// (or, in a dry run, that would be), the columns never read, every rejected row with line, column
/// and why (a problem found in several rows once, with their count and first lines), and the rows
/// that repeat an earlier row's answers. A file that is not CSV (a workbook, UTF-16, another
/// delimiter) is refused with what to do. Then, unless it is a dry run, stores the accepted rows in one transaction.
/// Refuses, storing nothing, when the mapping or the file cannot be read, when any row is
/// rejected (unless `skipsRejected`), when no row is left, or when the survey already has
/// responses (unless `isAppending`). Returns whether the import succeeded (in a dry run: would).
/// Throws std::invalid_argument when a file cannot be opened.
bool importResponses(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey,
                     const ImportRequest& request);

}  // namespace mindset::cli
