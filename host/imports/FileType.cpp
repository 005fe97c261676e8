#include "imports/FileType.h"

#include <algorithm>

namespace mindset::imports {

namespace {

std::string lowerExtension(const std::filesystem::path& file) {
    auto extension = file.extension().string();
    for (auto& c : extension)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return extension;
}

/// The header line as written (up to the first line break outside quotes).
std::string_view headerLine(std::string_view bytes) {
    bool isQuoted = false;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '"') isQuoted = !isQuoted;
        else if (!isQuoted && (bytes[i] == '\n' || bytes[i] == '\r')) return bytes.substr(0, i);
    }
    return bytes;
}

/// How often `c` occurs in `line` outside quotes.
std::size_t countOutsideQuotes(std::string_view line, char c) {
    bool isQuoted = false;
    std::size_t count = 0;
    for (const char x : line) {
        if (x == '"') isQuoted = !isQuoted;
        else if (!isQuoted && x == c) ++count;
    }
    return count;
}

std::string delimiterName(char delimiter) {
    switch (delimiter) {
        case ',': return "comma";
        case ';': return "semicolon";
        case '\t': return "tab";
        case '|': return "vertical bar";
        default: return std::string("'") + delimiter + "'";
    }
}

std::string delimiterOption(char delimiter) { return delimiter == '\t' ? "tab" : std::string("'") + delimiter + "'"; }

}  // namespace

std::optional<std::string> whyNotCsv(std::string_view bytes, const std::filesystem::path& file, char delimiter) {
    const auto extension = lowerExtension(file);
    const std::string saveAsCsv = "open it in Excel (or Google Sheets, LibreOffice) and save it as CSV: in Excel "
                                  "\"File > Save As > CSV UTF-8 (Comma delimited)\", then import that .csv file";
    if (extension == ".xlsx" || extension == ".xlsm" || bytes.starts_with(std::string_view("PK\x03\x04", 4)))
        return "is an Excel workbook (.xlsx), not a CSV file: " + saveAsCsv;
    if (extension == ".xls" || bytes.starts_with(std::string_view("\xD0\xCF\x11\xE0", 4)))
        return "is an old Excel workbook (.xls), not a CSV file: " + saveAsCsv;
    if (extension == ".ods") return "is a spreadsheet (.ods), not a CSV file: " + saveAsCsv;
    if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"))
        return "is UTF-16 text (Excel's \"Unicode Text\"), not UTF-8: save it as \"CSV UTF-8 (Comma delimited)\"";
    const auto start = bytes.substr(0, 4096);
    if (std::find(start.begin(), start.end(), '\0') != start.end())
        return "holds zero bytes, so it is not UTF-8 text (perhaps UTF-16 without a byte order mark, or not a CSV file at "
               "all): save it as \"CSV UTF-8 (Comma delimited)\"";

    auto header = headerLine(bytes);
    if (header.starts_with("\xEF\xBB\xBF")) header.remove_prefix(3);
    // Excel writes ";" where the region's list separator is ";", and leaves the commas of question
    // texts unquoted: the delimiter is the one that splits the header into more columns.
    const auto columns = countOutsideQuotes(header, delimiter) + 1;
    for (const char other : {';', '\t', ',', '|'}) {
        const auto otherColumns = countOutsideQuotes(header, other) + 1;
        if (other == delimiter || otherColumns <= columns) continue;
        return "is " + delimiterName(other) + "-separated (its header line splits into " + std::to_string(otherColumns) +
               " columns at " + delimiterName(other) + "s, " + std::to_string(columns) + " at " + delimiterName(delimiter) +
               "s): save it as comma-separated (\"CSV UTF-8 (Comma delimited)\") or pass --delimiter " + delimiterOption(other);
    }
    return std::nullopt;  // one column and nothing else: a file of one question may be just that
}

std::optional<char> delimiterNamed(std::string_view name) {
    if (name == "," || name == "comma") return ',';
    if (name == ";" || name == "semicolon") return ';';
    if (name == "tab" || name == "\t" || name == "\\t") return '\t';
    if (name == "|" || name == "pipe") return '|';
    return std::nullopt;
}

}  // namespace mindset::imports
