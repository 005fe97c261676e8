#include "imports/CsvReader.h"

#include <algorithm>
#include <cstdio>

namespace mindset::imports {

namespace {

std::string describe(CsvPosition position, const std::string& reason) {
    return "line " + std::to_string(position.line) + ", column " + std::to_string(position.column) + ": " + reason;
}

std::string hexByte(unsigned char byte) {
    char text[8];
    std::snprintf(text, sizeof text, "0x%02X", byte);
    return text;
}

bool isEmptyLine(const CsvRecord& record) {
    return !record.problem && record.fields.size() == 1 && record.fields[0].empty();
}

}  // namespace

/// Splits text into records, one at a time, keeping track of physical lines.
class CsvReader::Parser {
public:
    Parser(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {}

    bool isDone() const { return pos_ >= text_.size(); }

    CsvRecord next() {
        CsvRecord record;
        record.line = line_;
        for (;;) {
            const std::size_t column = record.fields.size() + 1;
            const std::size_t fieldLine = line_;
            std::string field;
            if (pos_ < text_.size() && text_[pos_] == '"') readQuoted(record, column, field);
            readUnquoted(record, column, field);
            if (const auto bad = firstInvalidUtf8(field)) {
                const auto before = std::string_view(field).substr(0, *bad);
                const auto linesBefore = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
                note(record, {fieldLine + linesBefore, column},
                     "invalid UTF-8 (byte " + hexByte(static_cast<unsigned char>(field[*bad])) + " at byte " +
                         std::to_string(*bad + 1) + " of the field); save the file as UTF-8");
            }
            record.fields.push_back(std::move(field));
            if (pos_ >= text_.size()) return record;  // the end of the file ends the last record
            if (text_[pos_] == delimiter_) {
                ++pos_;
                continue;
            }
            pos_ += text_[pos_] == '\r' ? 2 : 1;  // readUnquoted stops only at a CRLF or an LF
            ++line_;
            return record;
        }
    }

private:
    void note(CsvRecord& record, CsvPosition position, std::string reason) {
        if (!record.problem) record.problem = CsvProblem{position, std::move(reason)};
    }

    /// From an opening quote to its closing quote; what follows must end the field.
    void readQuoted(CsvRecord& record, std::size_t column, std::string& field) {
        const CsvPosition start{line_, column};
        ++pos_;
        for (;;) {
            if (pos_ >= text_.size())
                throw CsvError(start, "a quoted field starts here and is never closed (unterminated quote); "
                                      "nothing after it can be read");
            const char c = text_[pos_++];
            if (c == '"') {
                if (pos_ < text_.size() && text_[pos_] == '"') {
                    field += '"';
                    ++pos_;
                    continue;
                }
                break;
            }
            if (c == '\n') ++line_;
            field += c;
        }
        if (pos_ < text_.size() && !endsField(pos_)) {
            // A stray quote pairs with the next quote in the file, however far: say where it was.
            const auto opened = start.line == line_ ? std::string() : " of a field that opened on line " + std::to_string(start.line);
            note(record, {line_, column},
                 "text after the closing quote" + opened + "; a quote inside a quoted field must be doubled (\"\")");
        }
    }

    /// Up to the next delimiter or line end. After a problem the rest of the field is read the same
    /// way, so that the record still ends where a reader of the file would expect it to.
    void readUnquoted(CsvRecord& record, std::size_t column, std::string& field) {
        while (pos_ < text_.size() && !endsField(pos_)) {
            const char c = text_[pos_++];
            if (c == '"')
                note(record, {line_, column}, "a quote inside an unquoted field; quote the whole field and double the quote (\"\")");
            else if (c == '\r')
                note(record, {line_, column}, "a carriage return not followed by a line feed");
            field += c;
        }
    }

    bool endsField(std::size_t at) const {
        const char c = text_[at];
        return c == delimiter_ || c == '\n' || (c == '\r' && at + 1 < text_.size() && text_[at + 1] == '\n');
    }

    std::string_view text_;
    char delimiter_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

CsvError::CsvError(CsvPosition position, std::string reason)
    : std::runtime_error(describe(position, reason)), position_(position), reason_(std::move(reason)) {}

CsvReader::CsvReader(std::string_view text, char delimiter) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    parser_ = std::make_unique<Parser>(text, delimiter);
    if (parser_->isDone()) throw CsvError({1, 1}, "the file is empty; expected a header line naming the columns");
    auto header = parser_->next();
    if (header.problem) throw CsvError(header.problem->position, "in the header: " + header.problem->reason);
    if (isEmptyLine(header)) throw CsvError({1, 1}, "the header line is empty; expected the names of the columns");
    header_ = std::move(header.fields);
}

CsvReader::~CsvReader() = default;

std::optional<CsvRecord> CsvReader::next() {
    const auto width = header_.size();
    while (ready_.empty() && !parser_->isDone()) {
        auto record = parser_->next();
        if (isEmptyLine(record)) {
            emptyLines_.push_back(std::move(record));
            continue;
        }
        const auto expected = "expected " + std::to_string(width) + " fields as in the header";
        for (auto& empty : emptyLines_) {
            if (width != 1) empty.problem = CsvProblem{{empty.line, 1}, "an empty line; " + expected};  // one column: an empty field
            ready_.push_back(std::move(empty));
        }
        emptyLines_.clear();
        if (!record.problem && record.fields.size() != width) {
            const auto found = record.fields.size();
            record.problem = CsvProblem{{record.line, std::min(found, width) + 1}, expected + ", found " + std::to_string(found)};
        }
        ready_.push_back(std::move(record));
    }
    if (ready_.empty()) return std::nullopt;  // the end, perhaps after empty lines, which count for nothing
    auto record = std::move(ready_.front());
    ready_.pop_front();
    return record;
}

CsvTable readCsv(std::string_view text, char delimiter) {
    CsvReader reader(text, delimiter);
    CsvTable table{reader.header(), {}};
    while (auto record = reader.next()) table.records.push_back(std::move(*record));
    return table;
}

std::optional<std::size_t> firstInvalidUtf8(std::string_view text) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t size = text.size();
    std::size_t i = 0;
    while (i < size) {
        const unsigned char lead = bytes[i];
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;  // the range of the second byte (RFC 3629, table 3-7)
        if (lead >= 0xC2 && lead <= 0xDF) length = 2;
        else if (lead == 0xE0) length = 3, low = 0xA0;
        else if (lead >= 0xE1 && lead <= 0xEC) length = 3;
        else if (lead == 0xED) length = 3, high = 0x9F;  // no UTF-16 surrogates
        else if (lead >= 0xEE && lead <= 0xEF) length = 3;
        else if (lead == 0xF0) length = 4, low = 0x90;
        else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
        else if (lead == 0xF4) length = 4, high = 0x8F;  // nothing above U+10FFFF
        else return i;
        if (i + length > size) return i;
        if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
        for (std::size_t k = 2; k < length; ++k)
            if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return i;
        i += length;
    }
    return std::nullopt;
}

}  // namespace mindset::imports
