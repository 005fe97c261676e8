#include <catch2/catch.hpp>

#include <random>

#include "analytics/Csv.h"
#include "imports/CsvReader.h"

using namespace mindset;
using imports::CsvError;
using imports::readCsv;

namespace {

using Fields = std::vector<std::string>;

/// The problem of the only record, or fails.
const imports::CsvProblem& onlyProblem(const imports::CsvTable& table) {
    REQUIRE(table.records.size() == 1);
    REQUIRE(table.records[0].problem);
    return *table.records[0].problem;
}

}  // namespace

TEST_CASE("the CSV reader reads quoted fields, doubled quotes, line breaks inside quotes and both line ends", "[unit][import]") {
    const auto table = readCsv("\xEF\xBB\xBF" "name,comment,answer\r\n"
                               "plain,\"with, comma\",4\r\n"
                               "\"\",\"She said \"\"yes\"\"\",\n"
                               "x,\"two\r\nlines\nthree\",5\n"
                               "last,\"\"\"quoted\"\"\",1");
    CHECK(table.header == Fields{"name", "comment", "answer"});  // the byte order mark is not part of "name"
    REQUIRE(table.records.size() == 4);
    CHECK(table.records[0].fields == Fields{"plain", "with, comma", "4"});
    CHECK(table.records[1].fields == Fields{"", "She said \"yes\"", ""});
    CHECK(table.records[2].fields == Fields{"x", "two\r\nlines\nthree", "5"});  // line breaks inside quotes kept as written
    CHECK(table.records[3].fields == Fields{"last", "\"quoted\"", "1"});        // no line break after the last record
    CHECK(table.records[0].line == 2);
    CHECK(table.records[1].line == 3);
    CHECK(table.records[2].line == 4);
    CHECK(table.records[3].line == 7);  // the record before spans lines 4 to 6
    for (const auto& record : table.records) CHECK_FALSE(record.problem);
}

TEST_CASE("the CSV reader ignores empty lines at the end but not in the middle", "[unit][import]") {
    auto table = readCsv("a,b\n1,2\n\r\n\n");
    CHECK(table.records.size() == 1);

    imports::CsvReader reader("a,b\n1,2\n\n\r\n3,4\n\n");
    CHECK(reader.next()->fields == Fields{"1", "2"});
    for (const std::size_t line : {3, 4}) {
        const auto empty = reader.next();
        REQUIRE(empty->problem);
        CHECK(empty->problem->position.line == line);
        CHECK(empty->problem->reason == "an empty line; expected 2 fields as in the header");
    }
    const auto last = reader.next();
    CHECK(last->fields == Fields{"3", "4"});
    CHECK(last->line == 5);
    CHECK_FALSE(reader.next());
    CHECK_FALSE(reader.next());
}

TEST_CASE("the CSV reader names line and column of a record with too few or too many fields", "[unit][import]") {
    auto table = readCsv("a,b,c\n1,2\n");
    CHECK(onlyProblem(table).position.line == 2);
    CHECK(onlyProblem(table).position.column == 3);  // the first field that is missing
    CHECK(onlyProblem(table).reason == "expected 3 fields as in the header, found 2");

    table = readCsv("a,b,c\r\n1,2,3,4,5\r\n");
    CHECK(onlyProblem(table).position.column == 4);  // the first field too many
    CHECK(onlyProblem(table).reason == "expected 3 fields as in the header, found 5");

    table = readCsv("a,b,c\n1,2,3,\n");  // a trailing comma is one more, empty, field
    CHECK(onlyProblem(table).reason == "expected 3 fields as in the header, found 4");
}

TEST_CASE("an unterminated quote makes the whole file unreadable, naming where the quote opened", "[unit][import]") {
    try {
        readCsv("a,b,c\n1,2,3\n4,\"never closed,6\n7,8,9\n10,11,12\n");
        FAIL("expected a CsvError");
    } catch (const CsvError& e) {
        CHECK(e.position().line == 3);
        CHECK(e.position().column == 2);
        CHECK(std::string(e.what()) ==
              "line 3, column 2: a quoted field starts here and is never closed (unterminated quote); nothing after it can be read");
    }
}

TEST_CASE("stray quotes and lone carriage returns are problems of their record only", "[unit][import]") {
    auto table = readCsv("a,b\n1,ab\"c\n2,3\n");
    REQUIRE(table.records.size() == 2);
    REQUIRE(table.records[0].problem);
    CHECK(table.records[0].problem->position.column == 2);
    CHECK(table.records[0].problem->reason == "a quote inside an unquoted field; quote the whole field and double the quote (\"\")");
    CHECK_FALSE(table.records[1].problem);

    table = readCsv("a,b\n\"1\"x,2\n");
    CHECK(onlyProblem(table).position.column == 1);
    CHECK(onlyProblem(table).reason == "text after the closing quote; a quote inside a quoted field must be doubled (\"\")");

    table = readCsv("a,b\n1,\"never closed\n2,\"3\"\n");  // a stray quote pairs with the next one, two lines on
    CHECK(onlyProblem(table).position.line == 3);
    CHECK(onlyProblem(table).reason ==
          "text after the closing quote of a field that opened on line 2; a quote inside a quoted field must be doubled (\"\")");

    table = readCsv("a,b\n1,2\r3,4\n");  // an old Mac line end: not a record boundary, and not data either
    CHECK(onlyProblem(table).reason == "a carriage return not followed by a line feed");
}

TEST_CASE("invalid UTF-8 is named by line and column, also inside a multi-line field", "[unit][import]") {
    auto table = readCsv("a,b\n1,Se\xF1ora\n");  // Latin-1, as Excel's plain "CSV" writes it
    CHECK(onlyProblem(table).position.line == 2);
    CHECK(onlyProblem(table).position.column == 2);
    CHECK(onlyProblem(table).reason == "invalid UTF-8 (byte 0xF1 at byte 3 of the field); save the file as UTF-8");

    table = readCsv("a,b\n1,\"first\nsecond\nth\xC3\"\n");  // a truncated two-byte sequence on the third line
    CHECK(onlyProblem(table).position.line == 4);
    CHECK(onlyProblem(table).position.column == 2);
}

TEST_CASE("a CSV without a usable header is refused", "[unit][import]") {
    CHECK_THROWS_WITH(readCsv(""), "line 1, column 1: the file is empty; expected a header line naming the columns");
    CHECK_THROWS_WITH(readCsv("\xEF\xBB\xBF"), "line 1, column 1: the file is empty; expected a header line naming the columns");
    CHECK_THROWS_WITH(readCsv("\n1,2\n"), "line 1, column 1: the header line is empty; expected the names of the columns");
    CHECK_THROWS_WITH(readCsv("a,b\xFF\n1,2\n"),
                      "line 1, column 2: in the header: invalid UTF-8 (byte 0xFF at byte 2 of the field); save the file as UTF-8");
}

TEST_CASE("UTF-8 is checked as RFC 3629 defines it", "[unit][import]") {
    CHECK_FALSE(imports::firstInvalidUtf8("plain ASCII"));
    CHECK_FALSE(imports::firstInvalidUtf8("Se\xC3\xB1ora \xE2\x82\xAC \xF0\x9F\x98\x80"));  // ñ, €, an emoji
    CHECK_FALSE(imports::firstInvalidUtf8("\xF4\x8F\xBF\xBF"));                             // U+10FFFF, the last code point
    CHECK(imports::firstInvalidUtf8("ab\xC0\x80") == 2u);                                    // overlong NUL
    CHECK(imports::firstInvalidUtf8("\xE0\x80\xAF") == 0u);                                  // overlong '/'
    CHECK(imports::firstInvalidUtf8("x\xED\xA0\x80") == 1u);                                 // a UTF-16 surrogate
    CHECK(imports::firstInvalidUtf8("\xF4\x90\x80\x80") == 0u);                              // above U+10FFFF
    CHECK(imports::firstInvalidUtf8("abc\xE2\x82") == 3u);                                   // cut short
    CHECK(imports::firstInvalidUtf8("\x80") == 0u);                                          // a continuation byte alone
}

TEST_CASE("whatever the CSV writer writes, the reader reads back exactly", "[unit][import]") {
    std::mt19937 random(2024);
    const std::string alphabet[] = {"a", "Z", " ", ",", "\"", "\r\n", "\n", "\xC3\xB1", "\xE2\x82\xAC", "x"};
    std::vector<Fields> rows;
    std::string text;
    for (int r = 0; r < 300; ++r) {
        Fields row;
        for (int c = 0; c < 4; ++c) {
            std::string field;
            const int length = static_cast<int>(random() % 8);
            for (int i = 0; i < length; ++i) field += alphabet[random() % std::size(alphabet)];
            if (c > 0) text += ',';
            analytics::appendCsvField(text, field);
            row.push_back(std::move(field));
        }
        text += "\r\n";
        rows.push_back(std::move(row));
    }
    const auto table = readCsv(text);
    CHECK(table.header == rows[0]);
    REQUIRE(table.records.size() == rows.size() - 1);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        CHECK_FALSE(table.records[i - 1].problem);
        CHECK(table.records[i - 1].fields == rows[i]);
    }
}
