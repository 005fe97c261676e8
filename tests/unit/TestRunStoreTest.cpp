// Issue 14's test run and undo in the store: test responses live apart, so that no reader of
// responses counts one and the survey stays editable; an import batch is undone exactly, or not at
// all when unknown or released.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/TestRuns.h"
#include "store/Sqlite.h"
#include "store/Store.h"
#include "store/Tokens.h"
#include "support/TestSupport.h"

using namespace mindset;

namespace {

store::SurveyRecord surveyRecord(const std::string& layout = R"({"items":["x@1.0.0/a"]})") {
    return {"survey-2026", "district", "District", {{"north", "North School"}}, "2026-2027", "{}", layout};
}

store::Submission testSubmission(std::int64_t surveyId) {
    store::Submission s;
    s.surveyId = surveyId;
    s.demographics = {1, 0, 0, 0};
    s.answers = {4, 4, 4};
    s.submissionTokenHash = store::sha256Hex(store::randomToken());
    s.isTest = true;
    return s;
}

/// How many responses each reader of the store sees for the survey: they must all agree.
std::vector<std::int64_t> everyReadersCount(store::Store& store, std::int64_t surveyId) {
    std::int64_t each = 0, released = 0;
    store.forEachResponse(surveyId, [&](auto, auto) { ++each; });
    store.forEachReleaseResponse(surveyId, 0, [&](auto, auto, auto) { ++released; });
    return {store.countResponses(surveyId), store.findSurvey("survey-2026")->responseCount, store.countUnreleasedResponses(surveyId),
            static_cast<std::int64_t>(store.responses(surveyId).size()), each, released};
}

/// Every row of `responses` and of `test_responses`, read past the Store.
std::string tables(const std::filesystem::path& database) {
    store::Connection connection(database.string());
    std::string text;
    for (const auto* table : {"responses", "test_responses"}) {
        auto rows = connection.prepare(std::string("SELECT id, survey_id, hex(demographics), hex(answers) FROM ") + table + " ORDER BY id");
        while (rows.step()) text += std::string(table) + " " + std::to_string(rows.columnInt64(0)) + " " + rows.columnText(2) + rows.columnText(3) + "\n";
    }
    return text;
}

surveys::SurveyDefinition definitionFor(std::int64_t storeId) {
    surveys::SurveyDefinition survey;
    survey.id = "survey-2026";
    survey.storeId = storeId;
    return survey;
}

}  // namespace

TEST_CASE("a test response is counted by no reader of responses and does not lock the survey", "[store]") {
    testing::TempFolder folder;
    store::Store store((folder.path() / "mindset.sqlite").string());
    const auto surveyId = store.saveSurvey(surveyRecord());
    REQUIRE(store.submit(testSubmission(surveyId)) == store::SubmitResult::Stored);
    REQUIRE(store.submit(testSubmission(surveyId)) == store::SubmitResult::Stored);

    CHECK(store.countTestResponses(surveyId) == 2);
    CHECK(everyReadersCount(store, surveyId) == std::vector<std::int64_t>(6, 0));
    CHECK(store.publishRelease({surveyId, "2026-10-01", store::ReleaseKind::Interim, 0, "{}", "{}", ""}) ==
          store::ReleaseResult::NoResponses);
    // Questions stay editable until the first real response.
    CHECK_NOTHROW(store.saveSurvey(surveyRecord(R"({"items":["x@1.0.0/a","x@1.0.0/b"]})")));

    store.insertResponse(surveyId, std::vector<std::uint8_t>{1, 0, 0, 0}, std::vector<std::uint8_t>{4, 4});
    CHECK(everyReadersCount(store, surveyId) == std::vector<std::int64_t>(6, 1));
    CHECK_THROWS_AS(store.saveSurvey(surveyRecord()), store::SurveyConflict);

    std::ostringstream out;
    cli::removeTestResponses(out, store, definitionFor(surveyId));
    CHECK(out.str() == "Removed 2 test responses from survey-2026; its real responses (1) are unchanged.\n");
    CHECK(store.countTestResponses(surveyId) == 0);
    CHECK(everyReadersCount(store, surveyId) == std::vector<std::int64_t>(6, 1));
}

TEST_CASE("a test response burns no access code", "[store]") {
    testing::TempFolder folder;
    store::Store store((folder.path() / "mindset.sqlite").string());
    const auto surveyId = store.saveSurvey(surveyRecord());
    const auto hash = store::sha256Hex("ABCDEFGH");
    store.addAccessCodes(surveyId, "north", {hash});
    auto submission = testSubmission(surveyId);
    submission.codeHash = hash;
    REQUIRE(store.submit(submission) == store::SubmitResult::Stored);
    CHECK(store.accessCodeState(surveyId, hash) == store::CodeState::Unused);
    CHECK(store.accessCodeCounts(surveyId).front().used == 0);
}

TEST_CASE("undoing an import removes exactly its batch, and refuses an unknown or released one", "[store]") {
    testing::TempFolder folder;
    const auto database = folder.path() / "mindset.sqlite";
    store::Store store(database.string());
    const auto surveyId = store.saveSurvey(surveyRecord());
    const auto survey = definitionFor(surveyId);
    store.insertResponse(surveyId, std::vector<std::uint8_t>{9, 0, 0, 0}, std::vector<std::uint8_t>{9});  // a web response
    const std::vector<store::StoredResponse> first(3, {{1, 0, 0, 0}, {1}}), second(5, {{2, 0, 0, 0}, {2}});
    std::uint32_t number = 0;
    CHECK(store.importResponses(surveyId, first, true, "2026-11-02", &number) == 4);
    CHECK(number == 1);
    const auto afterFirst = tables(database);
    CHECK(store.importResponses(surveyId, second, true, "2026-11-03", &number) == 9);
    CHECK(number == 2);

    std::ostringstream list;
    cli::printImportBatches(list, store, survey);
    CHECK(list.str() == "Imports into survey-2026:\n"
                        "  batch 1, imported 2026-11-02: 3 rows stored, 3 still stored (`mindset import undo --survey survey-2026 --batch 1`)\n"
                        "  batch 2, imported 2026-11-03: 5 rows stored, 5 still stored (`mindset import undo --survey survey-2026 --batch 2`)\n");

    const auto before = tables(database);
    std::ostringstream unknown;
    CHECK_FALSE(cli::undoImport(unknown, store, survey, 3));
    CHECK(unknown.str() == "Nothing was removed: survey survey-2026 has no import batch 3. Its batches: 1 2 "
                           "(see `mindset import list --survey survey-2026`).\n");
    CHECK(tables(database) == before);

    std::ostringstream undone;
    CHECK(cli::undoImport(undone, store, survey, 2));
    CHECK(undone.str() == "Removed import batch 2 of survey-2026 (imported 2026-11-03): 5 responses. Survey survey-2026 now has 4 responses.\n");
    CHECK(tables(database) == afterFirst);  // exactly the second batch's rows are gone
    std::ostringstream again;
    CHECK_FALSE(cli::undoImport(again, store, survey, 2));
    CHECK(again.str() == "Nothing was removed: import batch 2 of survey-2026 was already undone.\n");

    // Once released, batch 1 stays: a release never changes.
    REQUIRE(store.publishRelease({surveyId, "2026-11-04", store::ReleaseKind::Interim, 4, "{}", "{}", ""}) ==
            store::ReleaseResult::Published);
    const auto released = tables(database);
    std::ostringstream refused;
    CHECK_FALSE(cli::undoImport(refused, store, survey, 1));
    CHECK(refused.str() == "Nothing was removed: 3 of the 3 responses of import batch 1 are in a published release of survey-2026, "
                           "and a release never changes once published (docs/privacy.md).\n");
    CHECK(tables(database) == released);
    std::ostringstream listed;
    cli::printImportBatches(listed, store, survey);
    CHECK(listed.str() == "Imports into survey-2026:\n"
                          "  batch 1, imported 2026-11-02: 3 rows stored, 3 of them in a published release (cannot be undone)\n"
                          "  batch 2, imported 2026-11-03: 5 rows stored, undone\n");
}
