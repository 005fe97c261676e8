#include <catch2/catch.hpp>

#include <set>
#include <sstream>

#include "app/Startup.h"
#include "cli/Import.h"
#include "imports/ResponseImport.h"
#include "support/ImportFixtures.h"

using namespace mindset;
using surveys::FormFields;

namespace {

/// A small mapping in the style of a hand-made spreadsheet: three questions, three items.
constexpr std::string_view kSpreadsheetMapping = R"({
  "survey": "riverside-2024",
  "demographics": {
    "school": {"column": "School", "values": {"Maple": "maple-elementary", "Cedar": "cedar-elementary"}},
    "role": {"column": "Role", "values": {"Teacher": "teacher", "Prefer not to say": "prefer-not-to-say"}},
    "race": {"column": "Race", "separator": ";",
             "values": {"Black": "black", "Hispanic": "hispanic", "White": "white",
                        "Prefer not to say": "prefer-not-to-say", "Declined": null}}
  },
  "answers": {"Strongly disagree": 1, "Disagree": 2, "Neutral": 3, "Agree": 4, "Strongly agree": 5, "N/A": null},
  "items": {"equity-excellence.ee01": "Q1", "equity-excellence.ee04": "Q2", "continuous-improvement.cip14": "Q3"}
})";

imports::ImportPlan plan(const surveys::SurveyDefinition& survey, std::string_view csv,
                         std::string_view mapping = kSpreadsheetMapping) {
    return imports::planImport(survey, imports::parseMapping(mapping, survey), csv);
}

surveys::EncodedResponse formWouldStore(const surveys::SurveyDefinition& survey, const FormFields& fields) {
    const auto check = surveys::checkResponse(survey, fields, {});
    REQUIRE(check.isValid());
    return check.response;
}

using Bytes = std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>>;
Bytes bytes(const surveys::EncodedResponse& response) { return {response.demographics, response.answers}; }

imports::CellProblem onlyProblem(const imports::ImportPlan& plan) {
    REQUIRE(plan.rejected.size() == 1);
    REQUIRE(plan.rejected[0].problems.size() == 1);
    return plan.rejected[0].problems[0];
}

constexpr std::string_view kHeader = "Timestamp,Email,School,Role,Race,Q1,Q2,Q3\r\n";

}  // namespace

TEST_CASE("an imported row is stored exactly as the form would store the same answers", "[unit][import]") {
    const auto survey = testing::riverside2024();
    const auto result = plan(survey, std::string(kHeader) +
                                         "2024-10-01 08:00,ana@example.org,Maple,Teacher,Black;Hispanic,Strongly agree,disagree,\r\n"
                                         "2024-10-01 09:00,ben@example.org, cedar ,Prefer not to say,Declined,N/A,Neutral,AGREE\r\n");
    CHECK(result.rowsRead == 2);
    CHECK(result.rejected.empty());
    REQUIRE(result.responses.size() == 2);

    CHECK(bytes(result.responses[0]) == bytes(formWouldStore(survey, {{"d.school", "maple-elementary"}, {"d.role", "teacher"},
                                                         {"d.race", "black"}, {"d.race", "hispanic"},
                                                         {"i.equity-excellence.ee01", "5"}, {"i.equity-excellence.ee04", "2"}})));
    CHECK(bytes(result.responses[1]) == bytes(formWouldStore(survey, {{"d.school", "cedar-elementary"}, {"d.role", "prefer-not-to-say"},
                                                         {"i.equity-excellence.ee04", "3"}, {"i.continuous-improvement.cip14", "4"}})));

    const auto first = surveys::decodeResponse(survey, result.responses[0]);
    CHECK(first.demographics[0] == std::vector<std::string>{"maple-elementary"});
    CHECK(first.demographics[2].empty());  // years: not in the mapping, so unanswered
    CHECK(first.demographics[3] == std::vector<std::string>{"black", "hispanic"});
    CHECK(first.answers[0] == 5);                    // ee01
    CHECK(first.answers[3] == 2);                    // ee04: the code as given; reverse keying is the scoring's business
    CHECK(first.answers[survey.answerCount() - 1] == 0);  // ci15 left empty
    CHECK(result.unreadColumns == std::vector<std::string>{"Timestamp", "Email"});
}

TEST_CASE("each rejected row names its line, column and reason", "[unit][import]") {
    const auto survey = testing::riverside2024();

    SECTION("a text the mapping does not list") {
        const auto problem = onlyProblem(plan(survey, std::string(kHeader) + "t,e,Maple,Custodian,,Agree,Agree,Agree\r\n"));
        CHECK(problem.line == 2);
        CHECK(problem.column == 4);
        CHECK(problem.columnName == "Role");
        CHECK(problem.reason == "'Custodian' is not one of the texts the mapping lists for question 'role'");
    }
    SECTION("a required question left blank") {
        const auto problem = onlyProblem(plan(survey, std::string(kHeader) + "t,e,,Teacher,,Agree,Agree,Agree\r\n"));
        CHECK(problem.column == 3);
        CHECK(problem.reason == "no answer to required question 'school'");
    }
    SECTION("\"prefer not to say\" together with another choice") {
        const auto problem = onlyProblem(plan(survey, std::string(kHeader) + "t,e,Maple,Teacher,Prefer not to say;White,Agree,,\r\n"));
        CHECK(problem.column == 5);
        CHECK(problem.reason == "\"prefer not to say\" together with other choices for question 'race'");
    }
    SECTION("a row with nothing in the mapped columns") {
        const auto problem = onlyProblem(plan(survey, std::string(kHeader) + "t,only-an-email@example.org,,,,N/A,,\r\n"));
        CHECK(problem.line == 2);
        CHECK(problem.column == 0);
        CHECK(problem.reason == "no answer in any of the mapped columns: not a response");
    }
    SECTION("a record the CSV reader could not accept") {
        const auto problem = onlyProblem(plan(survey, std::string(kHeader) + "t,\"two\nlines\",Maple,Teacher,,Agree\r\n"));
        CHECK(problem.line == 2);  // where the row starts
        CHECK(problem.column == 7);
        CHECK(problem.columnName == "Q2");
        CHECK(problem.reason == "expected 8 fields as in the header, found 6");
    }
    SECTION("every problem of a row, and the rows around it untouched") {
        const auto result = plan(survey, std::string(kHeader) + "t,e,Maple,Teacher,,Agree,,\r\n" +
                                             "t,e,Lakeview,Teacher,Asian,Agreed,Agree,\r\n" + "t,e,Cedar,Teacher,,,,Agree\r\n");
        CHECK(result.responses.size() == 2);
        REQUIRE(result.rejected.size() == 1);
        CHECK(result.rejected[0].line == 3);
        const auto& problems = result.rejected[0].problems;
        REQUIRE(problems.size() == 3);  // the required school is not reported twice
        CHECK(problems[0].reason == "'Lakeview' is not one of the texts the mapping lists for question 'school'");
        CHECK(problems[1].reason == "'Asian' is not one of the texts the mapping lists for question 'race'");
        CHECK(problems[2].columnName == "Q1");
        CHECK(problems[2].reason == "'Agreed' is not one of the texts the mapping lists for item equity-excellence.ee01");
    }
}

TEST_CASE("the columns a mapping names must each be in the CSV header exactly once", "[unit][import]") {
    const auto survey = testing::riverside2024();
    try {
        plan(survey, "Timestamp,School,Role,Race,Q1,Q2,Q2\n");
        FAIL("expected a MappingError");
    } catch (const imports::MappingError& e) {
        REQUIRE(e.problems().size() == 2);
        CHECK(e.problems()[0].field == "$.items[\"equity-excellence.ee04\"]");
        CHECK(e.problems()[0].reason == "the CSV header has 2 columns named 'Q2' (columns 6, 7); which one is meant is unclear");
        CHECK(e.problems()[1].field == "$.items[\"continuous-improvement.cip14\"]");
        CHECK(e.problems()[1].reason == "the CSV file has no column 'Q3' in its header (line 1)");
    }
    // Columns the mapping does not read may repeat: they are never looked at.
    CHECK(plan(survey, "Email,Email,School,Role,Race,Q1,Q2,Q3\nx,y,Maple,Teacher,,Agree,,\n").responses.size() == 1);
}

TEST_CASE("a Google Forms and a Qualtrics export of the same answers import identically", "[unit][import]") {
    const auto survey = testing::riverside2024();
    auto planFixture = [&](const std::string& name) {
        return plan(survey, testing::readFile(testing::importFixture("riverside-2024-" + name + ".csv")),
                    testing::readFile(testing::importFixture("riverside-2024-" + name + ".mapping.json")));
    };
    const auto forms = planFixture("forms");
    const auto qualtrics = planFixture("qualtrics");
    CHECK(forms.rowsRead == 36);
    CHECK(forms.rejected.empty());
    CHECK(forms.unreadColumns ==
          std::vector<std::string>{"Timestamp", "Email Address", "Your name (optional)", "Anything else you would like to tell us?"});
    CHECK(qualtrics.rowsRead == 8);  // the two extra header lines are not rows
    CHECK(qualtrics.rejected.empty());
    REQUIRE(forms.responses.size() == 36);
    REQUIRE(qualtrics.responses.size() == 8);
    // make_fixtures.py writes the same eight people into both files, in labels and in codes.
    for (std::size_t i = 0; i < 8; ++i) CHECK(bytes(qualtrics.responses[i]) == bytes(forms.responses[i]));
}

TEST_CASE("names, email addresses, times, IP addresses and comments in the file are never stored", "[unit][import]") {
    const auto survey = testing::riverside2024();
    const testing::TempFolder folder;
    // Every value of every column the mappings do not read, long enough not to occur by chance.
    std::set<std::string> secrets;
    for (const auto* name : {"forms", "qualtrics"}) {
        const auto csv = testing::readFile(testing::importFixture("riverside-2024-" + std::string(name) + ".csv"));
        const auto table = imports::readCsv(csv);
        const auto mapping = imports::parseMapping(
            testing::readFile(testing::importFixture("riverside-2024-" + std::string(name) + ".mapping.json")), survey);
        const auto unread = imports::planImport(survey, mapping, csv).unreadColumns;
        for (std::size_t c = 0; c < table.header.size(); ++c) {
            if (std::find(unread.begin(), unread.end(), table.header[c]) == unread.end()) continue;
            secrets.insert(table.header[c]);
            for (const auto& record : table.records)
                if (record.fields[c].size() >= 6) secrets.insert(record.fields[c]);
        }
    }
    CHECK(secrets.size() > 100);
    CHECK(secrets.count("staff1000@riverside-isd.example.org"));
    CHECK(secrets.count("10.20.0.1"));
    CHECK(secrets.count("2024/10/01 7:00:00 AM CST"));

    {
        store::Store store((folder.path() / "mindset.sqlite").string());
        surveys::SurveyCatalog catalog{{survey}, {}};
        app::saveSurveys(catalog, store);
        std::ostringstream report;
        cli::ImportRequest request{testing::importFixture("riverside-2024-forms.csv"),
                                   testing::importFixture("riverside-2024-forms.mapping.json")};
        REQUIRE(cli::importResponses(report, store, catalog.surveys[0], request));
        request = {testing::importFixture("riverside-2024-qualtrics.csv"), testing::importFixture("riverside-2024-qualtrics.mapping.json")};
        request.isAppending = true;
        REQUIRE(cli::importResponses(report, store, catalog.surveys[0], request));
        CHECK(store.countResponses(catalog.surveys[0].storeId) == 44);
    }
    std::string stored;  // the database and anything SQLite left beside it
    for (const auto& file : std::filesystem::directory_iterator(folder.path())) stored += testing::readFile(file.path());
    REQUIRE(stored.find("riverside-2024") != std::string::npos);  // the right bytes: the survey itself is there
    for (const auto& secret : secrets) {
        INFO(secret);
        CHECK(stored.find(secret) == std::string::npos);
    }
}

TEST_CASE("a choice whose text holds the separator is read whole, alone or among others", "[unit][import]") {
    imports::ColumnSource source;
    source.separator = ", ";
    source.values = {{"hispanic, latino, or spanish origin", "hispanic"}, {"white", "white"}, {"hispanic", "x"}, {"asian", "asian"}};
    using Parts = std::vector<std::string_view>;
    CHECK(imports::splitChoices("Hispanic, Latino, or Spanish origin", source) == Parts{"Hispanic, Latino, or Spanish origin"});
    CHECK(imports::splitChoices("White, Hispanic, Latino, or Spanish origin", source) ==
          Parts{"White", "Hispanic, Latino, or Spanish origin"});
    CHECK(imports::splitChoices("Hispanic, Latino, or Spanish origin, Asian", source) ==
          Parts{"Hispanic, Latino, or Spanish origin", "Asian"});
    CHECK(imports::splitChoices("Hispanic, Asian", source) == Parts{"Hispanic", "Asian"});  // the longer text does not fit here
    CHECK(imports::splitChoices("Asian, White", source) == Parts{"Asian", "White"});
    source.separator.clear();
    CHECK(imports::splitChoices("Asian, White", source) == Parts{"Asian, White"});
}

TEST_CASE("the Census wording imports from a Google Forms export, and a double submission is flagged", "[unit][import]") {
    const auto survey = testing::riverside2024();
    const auto mapping = imports::parseMapping(testing::readFile(testing::importFixture("riverside-2024-forms-census.mapping.json")), survey);
    const auto result = imports::planImport(survey, mapping, testing::readFile(testing::importFixture("riverside-2024-forms-census.csv")));
    CHECK(result.rowsRead == 37);
    CHECK(result.rejected.empty());
    REQUIRE(result.repeated.size() == 1);
    CHECK(result.repeated[0].line == 25);  // the copy of the fifth row (line 6), sent again later
    CHECK(result.repeated[0].firstLine == 6);

    // The same answers as the original export, whose choice read "Hispanic or Latino".
    const auto original = imports::planImport(survey, imports::parseMapping(testing::readFile(testing::importFixture("riverside-2024-forms.mapping.json")), survey),
                                              testing::readFile(testing::importFixture("riverside-2024-forms.csv")));
    REQUIRE(original.responses.size() == 36);
    auto census = result.responses;
    census.erase(census.begin() + 20);
    REQUIRE(census.size() == 36);
    for (std::size_t i = 0; i < census.size(); ++i) CHECK(bytes(census[i]) == bytes(original.responses[i]));
}

TEST_CASE("a semicolon-separated file reads with its delimiter", "[unit][import]") {
    const auto survey = testing::riverside2024();
    const auto mapping = imports::parseMapping(testing::readFile(testing::importFixture("riverside-2024-forms.mapping.json")), survey);
    const auto semicolons = testing::readFile(testing::importFixture("riverside-2024-forms-semicolon.csv"));
    const auto result = imports::planImport(survey, mapping, semicolons, ';');
    CHECK(result.rowsRead == 36);
    CHECK(result.rejected.empty());
    CHECK(result.repeated.empty());
}

TEST_CASE("rows the coordinator marks as tests are left out unread, and a marked line without a row is named", "[unit][import]") {
    const auto survey = testing::riverside2024();
    const auto mapping = imports::parseMapping(testing::readFile(testing::importFixture("riverside-2024-forms-census.mapping.json")), survey);
    const auto csv = testing::readFile(testing::importFixture("riverside-2024-forms-census.csv"));
    const auto all = imports::planImport(survey, mapping, csv);
    // The double submission (line 25) and the row on line 3, marked as the coordinator's tests.
    const auto marked = imports::planImport(survey, mapping, csv, ',', {3, 25});
    CHECK(marked.rowsRead == all.rowsRead);
    CHECK(marked.testLines == std::vector<std::size_t>{3, 25});
    CHECK(marked.unknownTestLines.empty());
    CHECK(marked.repeated.empty());  // the copy was left out, so nothing repeats
    REQUIRE(marked.responses.size() == all.responses.size() - 2);
    CHECK(bytes(marked.responses[0]) == bytes(all.responses[0]));
    CHECK(bytes(marked.responses[1]) == bytes(all.responses[2]));  // line 3's row is gone

    const auto beyond = imports::planImport(survey, mapping, csv, ',', {3, 99});
    CHECK(beyond.unknownTestLines == std::vector<std::size_t>{99});
}
