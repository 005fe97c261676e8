#pragma once
/// Turns the rows of a CSV file into responses exactly as the form would store them, through the
/// same check (surveys::checkResponse), and says why each row it cannot use is rejected. Only the
/// columns the mapping names are read: names, email addresses, times, IP addresses and anything
/// else in the file are never looked at. Stores nothing: that is the caller's decision.

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "imports/CsvReader.h"
#include "imports/ImportMapping.h"
#include "surveys/ResponseEncoding.h"

namespace mindset::imports {

/// One reason a row cannot be imported, naming its cell.
struct CellProblem {
    std::size_t line = 0;
    std::size_t column = 0;  ///< 1-based; 0 when the problem belongs to no single column
    std::string columnName;
    std::string reason;
};

/// A row that would not be stored, with every reason found.
struct RejectedRow {
    std::size_t line = 0;  ///< the line the row starts on
    std::vector<CellProblem> problems;
};

/// An accepted row whose answers (every mapped question and item) are exactly those of an earlier
/// accepted row: a double submission, or two people who answered alike. Flagged, still stored.
struct RepeatedRow {
    std::size_t line = 0;       ///< the row that repeats
    std::size_t firstLine = 0;  ///< the first row with the same answers
};

/// What an import would store and leave out; nothing is stored yet.
struct ImportPlan {
    std::size_t rowsRead = 0;  ///< records after the header rows
    std::vector<surveys::EncodedResponse> responses;  ///< the accepted rows, encoded as the form would store them
    std::vector<RejectedRow> rejected;                 ///< in file order
    std::vector<RepeatedRow> repeated;                 ///< accepted rows that repeat an earlier one, in file order
    std::vector<std::string> unreadColumns;            ///< header names the mapping does not use
    std::vector<std::size_t> testLines;                ///< rows the coordinator marked as tests: left out, in file order
    std::vector<std::size_t> unknownTestLines;         ///< lines marked as tests on which no row starts
};

/// The choices in one cell of a column read with `source`: the cell split at the source's
/// separator, except where a text the mapping lists runs across a separator (the Census wording
/// "Hispanic, Latino, or Spanish origin" in a Google Forms cell joined by ", "): at each place the
/// longest listed text that ends at a separator or at the end of the cell is taken whole. A cell
/// without a separator is one choice.
std::vector<std::string_view> splitChoices(std::string_view cell, const ColumnSource& source);

/// Reads the CSV text record by record (throws CsvError when it cannot be read to its end),
/// checks the mapping's columns against its header (each must be there exactly once; throws
/// MappingError naming every one that is not) and converts every row. A row is rejected when
/// the CSV reader could not accept it, when a cell holds a text the mapping does not list, when
/// checkResponse finds a problem (a required question unanswered, "prefer not to say" with other
/// choices, ...), or when none of its mapped cells holds an answer.
/// Accepted rows with the same answers as an earlier one are listed in `repeated`. `delimiter` is
/// the CSV's field separator (CsvReader). Rows starting on one of `testLines` (the coordinator's
/// own test submissions, `--test-lines`) are left out unread and listed in `testLines`; a marked
/// line on which no row starts is listed in `unknownTestLines`.
ImportPlan planImport(const surveys::SurveyDefinition& survey, const ImportMapping& mapping, std::string_view csv,
                      char delimiter = ',', const std::set<std::size_t>& testLines = {});

}  // namespace mindset::imports
