#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "analytics/Csv.h"
#include "app/Startup.h"
#include "cli/Import.h"
#include "demo/DemoResponses.h"
#include "imports/ResponseImport.h"
#include "store/Sqlite.h"
#include "support/ImportFixtures.h"

using namespace mindset;

namespace {

using Row = std::vector<std::string>;
using Bytes = std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>>;

/// A data folder with riverside-2024 (empty) and riverside-2025 (200 demo responses) saved, as
/// `mindset import` finds it.
struct ImportWorkspace {
    testing::TempFolder folder;
    std::filesystem::path database = folder.path() / "mindset.sqlite";
    std::unique_ptr<store::Store> store = std::make_unique<store::Store>(database.string());
    surveys::SurveyCatalog catalog;

    ImportWorkspace() {
        catalog.surveys.push_back(testing::riverside2024());
        catalog.surveys.push_back(surveys::loadSurveyFile(
            std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2025.json", testing::shippedInstruments()));
        app::saveSurveys(catalog, *store);
        REQUIRE(catalog.surveys.size() == 2);
        std::vector<store::StoredResponse> demo;
        for (auto& r : demo::generateResponses(survey2025(), 200, 7)) demo.push_back({r.demographics, r.answers});
        store->insertResponses(survey2025().storeId, demo);
    }
    const surveys::SurveyDefinition& survey2024() const { return catalog.surveys[0]; }
    const surveys::SurveyDefinition& survey2025() const { return catalog.surveys[1]; }

    /// Every stored response (id, survey, bytes) and every survey row, read past the Store.
    std::string snapshot() const {
        store::Connection connection(database.string());
        std::string text;
        auto responses = connection.prepare("SELECT id, survey_id, hex(demographics), hex(answers) FROM responses ORDER BY id");
        while (responses.step())
            text += std::to_string(responses.columnInt64(0)) + " " + std::to_string(responses.columnInt64(1)) + " " +
                    responses.columnText(2) + " " + responses.columnText(3) + "\n";
        auto surveys = connection.prepare("SELECT id, slug, definition, answer_layout FROM surveys ORDER BY id");
        while (surveys.step()) text += surveys.columnText(1) + surveys.columnText(2) + surveys.columnText(3) + "\n";
        return text;
    }

    std::multiset<Bytes> contents(const surveys::SurveyDefinition& survey) const {
        std::multiset<Bytes> result;
        for (auto& r : store->responses(survey.storeId)) result.emplace(std::move(r.demographics), std::move(r.answers));
        return result;
    }

    /// Runs `mindset import` into riverside-2024 with the Google Forms mapping.
    bool import(const std::filesystem::path& csv, std::string& report, bool isDryRun = false, bool isAppending = false,
                bool skipsRejected = false) {
        std::ostringstream out;
        const cli::ImportRequest request{csv, testing::importFixture("riverside-2024-forms.mapping.json"), isDryRun, isAppending,
                                         skipsRejected};
        const bool isDone = cli::importResponses(out, *store, survey2024(), request);
        report = out.str();
        return isDone;
    }
};

/// The Google Forms fixture's header and rows.
std::pair<Row, std::vector<Row>> formsFixture() {
    auto table = imports::readCsv(testing::readFile(testing::importFixture("riverside-2024-forms.csv")));
    std::vector<Row> rows;
    for (auto& record : table.records) rows.push_back(std::move(record.fields));
    return {std::move(table.header), std::move(rows)};
}

std::string csvLine(const Row& row) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i > 0) line += ',';
        analytics::appendCsvField(line, row[i]);
    }
    return line + "\r\n";
}

/// 10,000 rows made of the fixture's 36 (or of those with no quoted field), over and over, with
/// the row at `badIndex` (0-based) replaced by `badLine` when given. Also returns the line that
/// row starts on.
std::pair<std::string, std::size_t> tenThousandRows(std::size_t badIndex = 0, const std::string& badLine = {},
                                                    bool isWithoutQuotes = false) {
    auto [header, rows] = formsFixture();
    if (isWithoutQuotes) std::erase_if(rows, [](const Row& row) { return csvLine(row).find('"') != std::string::npos; });
    std::string text = csvLine(header);
    std::size_t badLineNumber = 0;
    for (std::size_t i = 0; i < 10'000; ++i) {
        if (!badLine.empty() && i == badIndex) {
            badLineNumber = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
            text += badLine;
        } else {
            text += csvLine(rows[i % rows.size()]);
        }
    }
    return {text, badLineNumber};
}

}  // namespace

TEST_CASE("a dry run reports what it would store and stores nothing", "[unit][import]") {
    ImportWorkspace workspace;
    const auto before = workspace.snapshot();
    std::string report;
    CHECK(workspace.import(testing::importFixture("riverside-2024-forms.csv"), report, true));
    CHECK_THAT(report, Catch::Contains("Rows read: 36\nRejected: 0\n"));
    CHECK_THAT(report, Catch::Contains("Would be stored: 36\nDry run: nothing was stored.\n"));
    CHECK(workspace.store->countResponses(workspace.survey2024().storeId) == 0);
    CHECK(workspace.snapshot() == before);

    CHECK_FALSE(workspace.import(testing::importFixture("riverside-2024-forms-corrupt.csv"), report, true));
    CHECK_THAT(report, Catch::Contains("Rejected: 7\n"));
    CHECK_THAT(report, Catch::EndsWith("Dry run: nothing was stored. Without --dry-run nothing would be stored either: 7 rows "
                                       "were rejected. Fix them, or add --skip-rejected to store the other 5 and leave these out.\n"));
    CHECK(workspace.snapshot() == before);
}

TEST_CASE("a stray quote in the middle of 10,000 rows stores nothing and changes nothing stored", "[unit][import]") {
    ImportWorkspace workspace;
    std::string report;
    REQUIRE(workspace.import(testing::importFixture("riverside-2024-forms.csv"), report));  // an earlier import: 36 rows
    const auto before = workspace.snapshot();

    auto row = formsFixture().second[0];
    row.back() = "x";
    auto line = csvLine(row);
    line.replace(line.size() - 3, 1, "\"never closed");  // the last field opens a quote
    const auto file = workspace.folder.path() / "stray-quote.csv";

    SECTION("no quote after it: the file cannot be read past it") {
        const auto [csv, badLine] = tenThousandRows(5'000, line, true);
        testing::writeFile(file, csv);
        CHECK_FALSE(workspace.import(file, report, false, true));  // appending is allowed: the file is the problem
        CHECK_THAT(report, Catch::Contains(": line " + std::to_string(badLine) +
                                           ", column 50: a quoted field starts here and is never closed (unterminated quote)"));
        CHECK_THAT(report, Catch::EndsWith("\nNothing was stored.\n"));
    }
    SECTION("quoted fields after it: it pairs with a later quote, and the rows it garbles are rejected") {
        const auto [csv, badLine] = tenThousandRows(5'000, line);
        testing::writeFile(file, csv);
        CHECK_FALSE(workspace.import(file, report, false, true));
        CHECK_THAT(report, Catch::Contains("  line " + std::to_string(badLine + 1) +
                                           ", column 50 (\"Anything else you would like to tell us?\"): text after the closing "
                                           "quote of a field that opened on line " + std::to_string(badLine) + ";"));
        CHECK_THAT(report, Catch::Contains("\nNothing was stored: "));
    }
    CHECK(workspace.store->countResponses(workspace.survey2024().storeId) == 36);
    CHECK(workspace.snapshot() == before);
}

TEST_CASE("one bad row in the middle of 10,000 stores nothing, or with --skip-rejected exactly the others", "[unit][import]") {
    ImportWorkspace workspace;
    std::string report;
    REQUIRE(workspace.import(testing::importFixture("riverside-2024-forms.csv"), report));
    const auto before = workspace.snapshot();
    const auto contentsBefore = workspace.contents(workspace.survey2024());

    auto bad = formsFixture().second[3];
    bad[4] = "Custodian";
    const auto [csv, badLine] = tenThousandRows(5'000, csvLine(bad));
    const auto file = workspace.folder.path() / "one-bad-row.csv";
    testing::writeFile(file, csv);

    CHECK_FALSE(workspace.import(file, report, false, true));
    CHECK_THAT(report, Catch::Contains("Rows read: 10000\nRejected: 1\n"));
    CHECK_THAT(report, Catch::Contains("  line " + std::to_string(badLine) +
                                       ", column 5 (\"What is your role?\"): 'Custodian' is not one of the texts the mapping "
                                       "lists for question 'role'\n"));
    CHECK_THAT(report, Catch::EndsWith("Nothing was stored: 1 row was rejected. Fix them, or add --skip-rejected to store "
                                       "the other 9999 and leave these out.\n"));
    CHECK(workspace.snapshot() == before);

    CHECK(workspace.import(file, report, false, true, true));
    CHECK_THAT(report, Catch::Contains("Left out: 1 rejected row (line " + std::to_string(badLine) + ")\n"));
    CHECK_THAT(report, Catch::Contains("Stored: 9999 (import batch 2)\nSurvey riverside-2024 now has 10035 responses.\n"));
    // Exactly the other rows: the file without the bad row, as the import reads it, added to what was there.
    const auto goodCsv = tenThousandRows().first;
    auto expected = contentsBefore;
    const auto mapping = testing::readFile(testing::importFixture("riverside-2024-forms.mapping.json"));
    const auto all = imports::planImport(workspace.survey2024(), imports::parseMapping(mapping, workspace.survey2024()), goodCsv);
    REQUIRE(all.responses.size() == 10'000);
    for (std::size_t i = 0; i < all.responses.size(); ++i)
        if (i != 5'000) expected.emplace(all.responses[i].demographics, all.responses[i].answers);
    CHECK(workspace.contents(workspace.survey2024()) == expected);
    CHECK(workspace.store->countResponses(workspace.survey2025().storeId) == 200);
}

TEST_CASE("with --skip-rejected the import stores exactly the good rows of the corrupt example and names those left out", "[unit][import]") {
    ImportWorkspace workspace;
    std::string report;
    CHECK(workspace.import(testing::importFixture("riverside-2024-forms-corrupt.csv"), report, false, false, true));
    CHECK_THAT(report, Catch::Contains("Rejected rows (left out):\n  line 5, column 5"));
    CHECK_THAT(report, Catch::Contains("Left out: 7 rejected rows (lines 5, 7, 8, 10, 11, 12, 13)\nStored: 5 (import batch 1)\n"));

    // The good rows start on lines 2 (it spans 2 and 3), 4, 6, 9 and 14: the records 0, 1, 3, 6, 11.
    const auto corrupt = imports::readCsv(testing::readFile(testing::importFixture("riverside-2024-forms-corrupt.csv")));
    std::string goodOnly = csvLine(corrupt.header);
    for (const auto i : {0, 1, 3, 6, 11}) goodOnly += csvLine(corrupt.records[static_cast<std::size_t>(i)].fields);
    const auto mapping = testing::readFile(testing::importFixture("riverside-2024-forms.mapping.json"));
    const auto good = imports::planImport(workspace.survey2024(), imports::parseMapping(mapping, workspace.survey2024()), goodOnly);
    REQUIRE(good.rejected.empty());
    std::multiset<Bytes> expected;
    for (const auto& r : good.responses) expected.emplace(r.demographics, r.answers);
    CHECK(workspace.contents(workspace.survey2024()) == expected);
}

TEST_CASE("an import into a survey that has responses is refused unless appending", "[unit][import]") {
    ImportWorkspace workspace;
    std::string report;
    REQUIRE(workspace.import(testing::importFixture("riverside-2024-forms.csv"), report));
    const auto before = workspace.snapshot();

    CHECK_FALSE(workspace.import(testing::importFixture("riverside-2024-forms.csv"), report));
    CHECK_THAT(report, Catch::EndsWith("Nothing was stored: survey riverside-2024 already has 36 responses, and importing into it "
                                       "again would count them twice. Add --append only if the rows in this file are not among them.\n"));
    CHECK(workspace.snapshot() == before);

    // The store refuses too, whoever calls it.
    const std::vector<store::StoredResponse> one{{std::vector<std::uint8_t>(16, 0), std::vector<std::uint8_t>(43, 3)}};
    CHECK_THROWS_AS(workspace.store->importResponses(workspace.survey2024().storeId, one, false), store::ImportRefused);
    CHECK(workspace.snapshot() == before);

    CHECK(workspace.import(testing::importFixture("riverside-2024-forms.csv"), report, false, true));
    CHECK_THAT(report, Catch::Contains("Stored: 36 (import batch 2)\nSurvey riverside-2024 now has 72 responses.\n"));
}

TEST_CASE("the store keeps all rows of an import or, if one fails, none", "[unit][import]") {
    ImportWorkspace workspace;
    const auto surveyId = workspace.survey2024().storeId;
    std::vector<store::StoredResponse> rows(10'000, {std::vector<std::uint8_t>(16, 0), std::vector<std::uint8_t>(43, 4)});
    REQUIRE(workspace.store->importResponses(surveyId, std::span(rows).first(10), false) == 10);
    const auto before = workspace.snapshot();

    // A row the database refuses among 10,000 (rows go in in random id order, so on average half
    // of the others are already inserted in the transaction when it comes).
    store::Connection(workspace.database.string())
        .exec("CREATE TRIGGER refuse_poison BEFORE INSERT ON responses WHEN NEW.answers = X'FF' "
              "BEGIN SELECT RAISE(ABORT, 'poisoned row'); END");
    rows[5'000].answers = {0xFF};
    CHECK_THROWS_AS(workspace.store->importResponses(surveyId, rows, true), store::StoreError);
    CHECK(workspace.store->countResponses(surveyId) == 10);
    CHECK(workspace.snapshot() == before);

    rows[5'000].answers = std::vector<std::uint8_t>(43, 4);
    CHECK(workspace.store->importResponses(surveyId, rows, true) == 10'010);
}
