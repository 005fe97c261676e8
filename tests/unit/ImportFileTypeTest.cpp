// Real exports arrive as workbooks, UTF-16 text and semicolon-separated CSV (issue 14): each is
// refused before any row is read, with a sentence that says what to do.
#include <catch2/catch.hpp>

#include "imports/FileType.h"
#include "support/ImportFixtures.h"

using namespace mindset;
using imports::whyNotCsv;

TEST_CASE("an Excel workbook is refused with a message to save it as CSV", "[unit][import]") {
    const auto workbook = testing::readFile(testing::importFixture("riverside-2024-forms.xlsx"));
    const auto why = whyNotCsv(workbook, "riverside-2024-forms.xlsx", ',');
    REQUIRE(why);
    CHECK_THAT(*why, Catch::StartsWith("is an Excel workbook (.xlsx), not a CSV file: open it in Excel"));
    CHECK_THAT(*why, Catch::Contains("save it as CSV"));
    // By its content too, whatever its name.
    CHECK(whyNotCsv(workbook, "export.csv", ','));
    CHECK_THAT(*whyNotCsv("\xD0\xCF\x11\xE0rest", "old.XLS", ','), Catch::StartsWith("is an old Excel workbook (.xls)"));
}

TEST_CASE("UTF-16 text is refused with a message to save it as UTF-8", "[unit][import]") {
    const std::string utf16("\xFF\xFET\0i\0m\0e\0", 10);
    CHECK_THAT(*whyNotCsv(utf16, "export.csv", ','), Catch::StartsWith("is UTF-16 text"));
    const std::string noMark("T\0i\0m\0e\0", 8);
    CHECK_THAT(*whyNotCsv(noMark, "export.csv", ','), Catch::StartsWith("holds zero bytes"));
}

TEST_CASE("a semicolon-separated file is recognised and named, unless its delimiter is given", "[unit][import]") {
    const auto semicolons = testing::readFile(testing::importFixture("riverside-2024-forms-semicolon.csv"));
    const auto why = whyNotCsv(semicolons, "forms.csv", ',');
    REQUIRE(why);
    CHECK_THAT(*why, Catch::StartsWith("is semicolon-separated (its header line splits into 50 columns at semicolons, "));
    CHECK_THAT(*why, Catch::EndsWith("save it as comma-separated (\"CSV UTF-8 (Comma delimited)\") or pass --delimiter ';'"));
    CHECK_FALSE(whyNotCsv(semicolons, "forms.csv", ';'));
    CHECK_THAT(*whyNotCsv("a\tb\tc\r\n1\t2\t3\r\n", "x.csv", ','), Catch::EndsWith("or pass --delimiter tab"));

    // Commas in the header, or inside its quoted names only: a comma file, read as one.
    CHECK_FALSE(whyNotCsv(testing::readFile(testing::importFixture("riverside-2024-forms.csv")), "forms.csv", ','));
    CHECK_FALSE(whyNotCsv("Only column\r\nx;y\r\n", "one.csv", ','));
    CHECK(whyNotCsv("\"Role; school, year\";Q1\r\n", "q.csv", ','));
}

TEST_CASE("the --delimiter option names a delimiter", "[unit][import]") {
    CHECK(imports::delimiterNamed(";") == ';');
    CHECK(imports::delimiterNamed("tab") == '\t');
    CHECK(imports::delimiterNamed(",") == ',');
    CHECK(imports::delimiterNamed("semicolon") == ';');  // typed without quotes in a shell
    CHECK_FALSE(imports::delimiterNamed("colon"));
}
