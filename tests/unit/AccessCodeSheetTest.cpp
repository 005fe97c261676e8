// The printed code sheet (issue 14): slips are cut apart, so each one carries the survey link with
// its code in both languages, and each code on the sheet is one the survey accepts.
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <sstream>

#include "app/Startup.h"
#include "cli/AccessCodes.h"
#include "imports/CsvReader.h"
#include "store/Store.h"
#include "store/Tokens.h"
#include "support/TestSupport.h"
#include "support/TestDatabase.h"

using namespace mindset;

TEST_CASE("every slip of the code sheet carries the link with its code, in English and Spanish", "[unit]") {
    store::Store store(testing::storeLocation());
    surveys::SurveyCatalog catalog;
    catalog.surveys.push_back(testing::demoSurvey());
    app::saveSurveys(catalog, store);
    REQUIRE(catalog.surveys.size() == 1);
    const auto& survey = catalog.surveys.front();

    std::ostringstream sheet;
    cli::issueAccessCodes(sheet, store, survey, "maple-elementary", 3, "https://survey.riverside.example/");
    const auto text = sheet.str();

    // One slip per code: between two cut lines.
    const std::string cut(78, '-');
    std::vector<std::string> slips;
    for (auto at = text.find(cut); at != std::string::npos;) {
        const auto next = text.find(cut, at + cut.size());
        if (next == std::string::npos) break;
        slips.push_back(text.substr(at + cut.size(), next - at - cut.size()));
        at = next;
    }
    REQUIRE(slips.size() == 3);
    const std::regex codeLine("Your code / Su código:  ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\n");
    std::set<std::string> codes;
    for (const auto& slip : slips) {
        INFO(slip);
        std::smatch match;
        REQUIRE(std::regex_search(slip, match, codeLine));
        const auto code = match[1].str();
        codes.insert(code);
        CHECK_THAT(slip, Catch::Contains("Open / Abra:  https://survey.riverside.example/surveys/riverside-2026?code=" + code + "\n"));
        CHECK_THAT(slip, Catch::Contains(survey.title.in("en") + " / " + survey.title.in("es")));
        CHECK_THAT(slip, Catch::Contains("Maple Elementary School · Riverside Independent School District · 2026-2027"));
        CHECK_THAT(slip, Catch::Contains("The code works once and is not stored with your answers."));
        CHECK_THAT(slip, Catch::Contains("El código funciona una sola vez y no se guarda con sus respuestas."));
        CHECK(store.accessCodeState(survey.storeId, store::sha256Hex(store::normalizeAccessCode(code))) == store::CodeState::Unused);
    }
    CHECK(codes.size() == 3);
    CHECK_THAT(text, Catch::EndsWith("3 codes issued for Maple Elementary School as batch 1. Keep no other copy of this list; if it is "
                                     "lost: mindset codes void --survey riverside-2026 --batch 1\n"));
}

namespace {

/// The demo survey saved in `store`.
surveys::SurveyDefinition savedDemoSurvey(store::Store& store) {
    surveys::SurveyCatalog catalog;
    catalog.surveys.push_back(testing::demoSurvey());
    app::saveSurveys(catalog, store);
    REQUIRE(catalog.surveys.size() == 1);
    return catalog.surveys.front();
}

std::string hashOf(const std::string& code) { return store::sha256Hex(store::normalizeAccessCode(code)); }

}  // namespace

TEST_CASE("codes as CSV for a mail merge: one row per code with its school and the link that carries it", "[unit]") {
    store::Store store(testing::storeLocation());
    const auto survey = savedDemoSurvey(store);
    cli::issueAccessCodes(store, survey, "maple-elementary", 2, "https://x.example", "2026-11-20");  // batch 1
    const auto issued = cli::issueAccessCodes(store, survey, "central-office", 3, "https://survey.riverside.example/", "2026-12-02");
    CHECK(issued.batch == 2);
    std::ostringstream out;
    cli::writeCodeCsv(out, issued);
    const auto text = out.str();
    CHECK(text.find("\r\n") != std::string::npos);  // RFC 4180 line ends, as Excel and Word expect

    // Read back with the strict reader the imports use: every row whole, one per code.
    const auto table = imports::readCsv(text);
    CHECK(table.header == std::vector<std::string>{"code", "link", "school", "school_es", "school_id", "survey", "title", "title_es",
                                                   "district", "school_year", "batch"});
    REQUIRE(table.records.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& row = table.records[i];
        REQUIRE_FALSE(row.problem);
        CHECK(row.fields[0] == issued.codes[i]);
        CHECK(row.fields[1] == "https://survey.riverside.example/surveys/riverside-2026?code=" + issued.codes[i]);
        CHECK(row.fields[2] == "Central office");
        CHECK(row.fields[3] == "Oficina central");
        CHECK(row.fields[4] == "central-office");
        CHECK(row.fields[5] == "riverside-2026");
        CHECK(row.fields[6] == survey.title.in("en"));
        CHECK(row.fields[7] == survey.title.in("es"));
        CHECK(row.fields[8] == "Riverside Independent School District");
        CHECK(row.fields[9] == "2026-2027");
        CHECK(row.fields[10] == "2");
        CHECK(store.findAccessCode(survey.storeId, hashOf(issued.codes[i]))->schoolSlug == "central-office");
    }
}

TEST_CASE("voiding codes: by code (a mistyped code voids nothing) and by batch, used codes stay used", "[unit]") {
    store::Store store(testing::storeLocation());
    const auto survey = savedDemoSurvey(store);
    const auto maple = cli::issueAccessCodes(store, survey, "maple-elementary", 3, "https://x.example", "2026-11-20");
    const auto cedar = cli::issueAccessCodes(store, survey, "cedar-elementary", 4, "https://x.example", "2026-11-21");
    // One maple code is answered.
    store::Submission answered{survey.storeId, {}, {}, store::sha256Hex("submission-1"), hashOf(maple.codes[0]), {}};
    answered.demographics.assign(4 * survey.demographics.size(), 0);
    answered.answers.assign(survey.answerCount(), 0);
    REQUIRE(store.submit(answered) == store::SubmitResult::Stored);

    std::ostringstream out, err;
    // A list with a code this survey never issued: refused whole, nothing voided.
    CHECK_FALSE(cli::voidAccessCodes(out, err, store, survey, {maple.codes[1], "ZZZZ-ZZZZ-ZZZZ"}));
    CHECK_THAT(err.str(), Catch::Contains("mindset codes void: 'ZZZZ-ZZZZ-ZZZZ' is not a code of survey 'riverside-2026'"));
    CHECK_THAT(err.str(), Catch::Contains("Nothing was voided"));
    CHECK(store.accessCodeState(survey.storeId, hashOf(maple.codes[1])) == store::CodeState::Unused);

    // Typed as people type them: lower case, without dashes.
    std::string typed;
    for (char c : maple.codes[1])
        if (c != '-') typed.push_back(static_cast<char>(std::tolower(c)));
    CHECK(cli::voidAccessCodes(out, err, store, survey, {typed, maple.codes[0]}));
    CHECK_THAT(out.str(), Catch::Contains("  " + typed + ": voided\n"));
    CHECK_THAT(out.str(), Catch::Contains("  " + maple.codes[0] + ": already used, so not voided"));
    CHECK_THAT(out.str(), Catch::Contains("1 code voided in riverside-2026"));
    CHECK(store.accessCodeState(survey.storeId, hashOf(maple.codes[1])) == store::CodeState::Voided);
    CHECK(store.accessCodeState(survey.storeId, hashOf(maple.codes[0])) == store::CodeState::Used);

    // A voided code cannot be used.
    store::Submission late{survey.storeId, answered.demographics, answered.answers, store::sha256Hex("submission-2"),
                           hashOf(maple.codes[1]), {}};
    CHECK(store.submit(late) == store::SubmitResult::CodeVoided);
    CHECK(store.countResponses(survey.storeId) == 1);

    // The lost cedar sheet, as a batch.
    std::ostringstream batchOut;
    CHECK(cli::voidAccessCodeBatch(batchOut, err, store, survey, cedar.batch));
    CHECK_THAT(batchOut.str(), Catch::Contains("Batch 2 of riverside-2026 (4 codes for Cedar Elementary School, issued 2026-11-21): 4 voided now."));
    std::ostringstream missing;
    CHECK_FALSE(cli::voidAccessCodeBatch(out, missing, store, survey, 9));
    CHECK_THAT(missing.str(), Catch::Contains("survey 'riverside-2026' has no batch 9; its batches are 1 to 2"));

    // Counts: issued, voided, valid (the response rate's denominator), used.
    for (const auto& count : store.accessCodeCounts(survey.storeId)) {
        INFO(count.schoolSlug);
        if (count.schoolSlug == "maple-elementary") CHECK((count.issued == 3 && count.voided == 1 && count.valid() == 2 && count.used == 1));
        else if (count.schoolSlug == "cedar-elementary") CHECK((count.issued == 4 && count.voided == 4 && count.valid() == 0));
        else CHECK(count.issued == 0);
    }
    std::ostringstream status;
    cli::printAccessCodeStatus(status, store, survey);
    CHECK_THAT(status.str(), Catch::Contains("  Maple Elementary School                 3        1        2        1    50%\n"));
    CHECK_THAT(status.str(), Catch::Contains("  all schools                             7        5        2        1    50%\n"));
    CHECK_THAT(status.str(), Catch::Contains("     2  Cedar Elementary School          2026-11-21      4 issued,      4 voided,      0 used\n"));
}
