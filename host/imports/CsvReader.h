#pragma once
/// A strict RFC 4180 reader for CSV files exported by other survey tools (Google Forms, Qualtrics,
/// spreadsheets). Strict, because an import must not guess: a file it cannot read exactly is
/// refused with the line and column of the problem. Pure functions over text already in memory.
/// (analytics/Csv is the matching writer; the tests read its output back with this reader.)

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mindset::imports {

/// Where something is in a CSV file: the physical line (1-based; a line break inside a quoted
/// field starts a new line) and the field of the record (1-based).
struct CsvPosition {
    std::size_t line = 0;
    std::size_t column = 0;
};

/// A CSV that cannot be read from some point on (an unterminated quote runs to the end of the
/// file) or whose header is unusable: nothing in it can be trusted.
class CsvError : public std::runtime_error {
public:
    CsvError(CsvPosition position, std::string reason);
    const CsvPosition& position() const { return position_; }
    const std::string& reason() const { return reason_; }

private:
    CsvPosition position_;
    std::string reason_;
};

/// Why one record cannot be used, and where.
struct CsvProblem {
    CsvPosition position;
    std::string reason;
};

/// One record after the header. A record the reader could delimit but not accept (a stray quote,
/// a lone carriage return, invalid UTF-8, a different number of fields than the header) carries
/// the first problem found, and its fields are not to be used.
struct CsvRecord {
    std::size_t line = 0;  ///< the line the record starts on
    std::vector<std::string> fields;
    std::optional<CsvProblem> problem;
};

/// A whole CSV file: its header and every record after it.
struct CsvTable {
    std::vector<std::string> header;
    std::vector<CsvRecord> records;
};

/// Reads a CSV file record by record, so that a large file is never held twice. The first record
/// is the header. Accepts a UTF-8 byte order mark, CRLF or LF line ends (also mixed), quoted
/// fields with doubled quotes and line breaks, and a last record with or without a line break;
/// empty lines at the very end are ignored. Not thread-safe; `text` must outlive the reader.
class CsvReader {
public:
    /// Reads the header. Throws CsvError for a header that is empty or has a problem of its own.
    /// `delimiter` separates fields: ',' (RFC 4180), or ';' or '\t' when the file says so.
    explicit CsvReader(std::string_view text, char delimiter = ',');
    ~CsvReader();
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    const std::vector<std::string>& header() const { return header_; }

    /// The next record, or nullopt after the last. Throws CsvError for an unterminated quoted field.
    std::optional<CsvRecord> next();

private:
    class Parser;
    std::unique_ptr<Parser> parser_;
    std::vector<std::string> header_;
    std::deque<CsvRecord> ready_;        ///< records to hand out before reading on
    std::vector<CsvRecord> emptyLines_;  ///< empty lines: a problem only if a record follows them
};

/// Reads a whole CSV file (see CsvReader) into memory.
CsvTable readCsv(std::string_view text, char delimiter = ',');

/// The byte offset of the first byte in `text` that is not part of well-formed UTF-8 (overlong
/// forms, surrogates and code points above U+10FFFF count as malformed), or nullopt.
std::optional<std::size_t> firstInvalidUtf8(std::string_view text);

}  // namespace mindset::imports
