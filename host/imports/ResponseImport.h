#pragma once
/// Turns the rows of a CSV file into responses exactly as the form would store them, through the
/// same check (surveys::checkResponse), and says why each row it cannot use is rejected. Only the
/// columns the mapping names are read: names, email addresses, times, IP addresses and anything
/// else in the file are never looked at. Stores nothing: that is the caller's decision.

#include <cstddef>
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

/// What an import would store and leave out; nothing is stored yet.
struct ImportPlan {
    std::size_t rowsRead = 0;  ///< records after the header rows
    std::vector<surveys::EncodedResponse> responses;  ///< the accepted rows, encoded as the form would store them
    std::vector<RejectedRow> rejected;                 ///< in file order
    std::vector<std::string> unreadColumns;            ///< header names the mapping does not use
};

/// Reads the CSV text record by record (throws CsvError when it cannot be read to its end),
/// checks the mapping's columns against its header (each must be there exactly once; throws
/// MappingError naming every one that is not) and converts every row. A row is rejected when
/// the CSV reader could not accept it, when a cell holds a text the mapping does not list, when
/// checkResponse finds a problem (a required question unanswered, "prefer not to say" with other
/// choices, ...), or when none of its mapped cells holds an answer.
ImportPlan planImport(const surveys::SurveyDefinition& survey, const ImportMapping& mapping, std::string_view csv);

}  // namespace mindset::imports
