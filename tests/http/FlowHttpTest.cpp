#include <catch2/catch.hpp>

#include "store/Tokens.h"
#include "support/TestSite.h"

using namespace mindset;
using testing::completeResponse;
using testing::encodeForm;
using surveys::pageAnswers;
using testing::TestSite;

namespace {

const std::string kSurvey = "/surveys/riverside-2026";

std::string pagePath(std::size_t page) { return kSurvey + "/pages/" + std::to_string(page); }

/// POSTs one page of the flow with `action` (next, back, later, submit).
testing::Reply postPage(TestSite& site, std::size_t page, surveys::FormFields answers, const std::string& action,
                        const std::string& language = "en") {
    answers.insert(answers.begin(), {{"csrf", site.csrf()}, {"lang", language}, {"action", action}});
    return site.post(pagePath(page), encodeForm(answers));
}

testing::Reply startSurvey(TestSite& site, const std::string& code = {}) {
    surveys::FormFields fields{{"csrf", site.csrf()}, {"lang", "en"}};
    if (!code.empty()) fields.emplace_back("code", code);
    return site.post(kSurvey + "/start", encodeForm(fields));
}

/// Answers every page with "next" and the last one with "submit".
testing::Reply answerAllPages(TestSite& site) {
    const auto all = completeResponse(site.survey());
    const auto pages = site.survey().pageCount();
    for (std::size_t page = 1; page < pages; ++page) REQUIRE(postPage(site, page, pageAnswers(site.survey(), all, page), "next").status == 303);
    return postPage(site, pages, pageAnswers(site.survey(), all, pages), "submit");
}

void useAccessCodes(surveys::SurveyDefinition& survey) { survey.access = surveys::Access::AccessCodes; }

std::string issueCode(TestSite& site, const std::string& school = "maple-elementary") {
    const auto code = store::newAccessCode();
    site.store().addAccessCodes(site.survey().storeId, school, {store::sha256Hex(store::normalizeAccessCode(code))});
    return code;
}

}  // namespace

TEST_CASE("staff answer page by page with a progress indicator, and back and next keep answers", "[http]") {
    TestSite site;
    const auto started = startSurvey(site);
    REQUIRE(started.status == 303);
    CHECK(started.header("Location") == pagePath(1) + "?lang=en");
    REQUIRE(site.cookies().count("mindset_draft_riverside-2026") == 1);

    const auto first = site.get(pagePath(1));
    CHECK(first.contains("Step 1 of 4: About you"));
    CHECK(first.contains(R"(<progress max="4" value="1")"));

    const auto all = completeResponse(site.survey());
    // Next with the required school missing: the problem is shown beside the question, answers kept.
    auto withoutSchool = pageAnswers(site.survey(), all, 1);
    std::erase_if(withoutSchool, [](const auto& f) { return f.first == "d.school"; });
    const auto missing = postPage(site, 1, withoutSchool, "next");
    CHECK(missing.status == 400);
    CHECK(missing.contains(R"(<p class="error" id="q-d-school-error">Please answer this question.</p>)"));
    CHECK(missing.contains(R"(value="school-leader" checked>)"));

    CHECK(postPage(site, 1, pageAnswers(site.survey(), all, 1), "next").header("Location") == pagePath(2) + "?lang=en");
    const auto second = site.get(pagePath(2));
    CHECK(second.contains("Step 2 of 4: Equity &amp; Excellence"));

    // Half of page 2, then back: page 1 still shows its answers, page 2 keeps the half.
    auto half = pageAnswers(site.survey(), all, 2);
    half.resize(5);
    CHECK(postPage(site, 2, half, "back").header("Location") == pagePath(1) + "?lang=en");
    CHECK(site.get(pagePath(1)).contains(R"(value="riverside-middle" checked>)"));
    CHECK(site.get(pagePath(2)).contains(R"(name="i.equity-excellence.ee05" value="5" checked>)"));
    CHECK(site.storedResponses() == 0);
}

TEST_CASE("a draft can be resumed later from another browser session holding the cookie", "[http]") {
    TestSite site;
    startSurvey(site);
    const auto all = completeResponse(site.survey());
    postPage(site, 1, pageAnswers(site.survey(), all, 1), "next");
    const auto saved = postPage(site, 2, pageAnswers(site.survey(), all, 2), "later");
    CHECK(saved.status == 200);
    CHECK(saved.contains("Your answers are saved"));

    const auto draftCookie = site.cookies().at("mindset_draft_riverside-2026");
    site.cookies().clear();  // a new browser session: only the draft cookie survives
    site.cookies()["mindset_draft_riverside-2026"] = draftCookie;
    const auto landing = site.get(kSurvey);
    CHECK(landing.contains("Continue where you left off"));
    CHECK(site.get(pagePath(2)).contains(R"(name="i.equity-excellence.ee14" value="4" checked>)"));

    for (std::size_t page = 3; page < 4; ++page) postPage(site, page, pageAnswers(site.survey(), all, page), "next");
    CHECK(postPage(site, 4, pageAnswers(site.survey(), all, 4), "submit").status == 303);
    CHECK(site.storedResponses() == 1);
}

TEST_CASE("submitting the last page twice stores one response and deletes the draft", "[http]") {
    TestSite site;
    startSurvey(site);
    // The last page carries the draft's submission token, as a hidden field.
    const std::string marker = R"(name="submission" value=")";
    const auto lastPage = site.get(pagePath(4)).body;
    REQUIRE(lastPage.find(marker) != std::string::npos);
    const auto submission = lastPage.substr(lastPage.find(marker) + marker.size(), 32);
    const auto submitted = answerAllPages(site);
    CHECK(submitted.status == 303);
    CHECK(submitted.header("Location") == kSurvey + "/thanks?lang=en");
    CHECK(site.cookies().count("mindset_draft_riverside-2026") == 0);  // expired: nothing left to find the draft by

    // The browser repeats the POST (refresh, double click, retry), with the form's hidden token.
    auto lastAnswers = pageAnswers(site.survey(), completeResponse(site.survey()), 4);
    lastAnswers.emplace_back("submission", submission);
    const auto again = postPage(site, 4, lastAnswers, "submit");
    CHECK(again.status == 303);
    CHECK(again.header("Location") == kSurvey + "/thanks?lang=en");
    CHECK(site.storedResponses() == 1);
    CHECK(site.get(pagePath(1)).status == 303);  // the draft is gone
}

TEST_CASE("pages without a draft send the respondent back to the landing page", "[http]") {
    TestSite site;
    const auto reply = site.get(pagePath(2));
    CHECK(reply.status == 303);
    CHECK(site.get(reply.header("Location")).contains("We could not find your saved answers on this device."));
}

TEST_CASE("one-time access codes: unknown and used codes are refused with a clear message", "[http]") {
    TestSite site(useAccessCodes);
    const auto code = issueCode(site);
    issueCode(site, "cedar-elementary");

    const auto landing = site.get(kSurvey);
    CHECK(landing.contains(R"(<label for="code">Your access code</label>)"));
    CHECK_FALSE(landing.contains("All questions on one page"));

    CHECK(startSurvey(site, "").status == 400);
    const auto unknown = startSurvey(site, "AAAA-BBBB-CCCC");
    CHECK(unknown.status == 400);
    CHECK(unknown.contains("This access code is not valid for this survey."));

    // Lower case and without dashes is the same code.
    std::string typed;
    for (char c : code)
        if (c != '-') typed.push_back(static_cast<char>(std::tolower(c)));
    REQUIRE(startSurvey(site, typed).status == 303);
    REQUIRE(answerAllPages(site).status == 303);
    CHECK(site.storedResponses() == 1);

    const auto used = startSurvey(site, code);
    CHECK(used.status == 409);
    CHECK(used.contains("This access code has already been used."));

    const auto counts = site.store().accessCodeCounts(site.survey().storeId);
    REQUIRE(counts.size() == 6);
    for (const auto& count : counts) {
        INFO(count.schoolSlug);
        CHECK(count.issued == (count.schoolSlug == "maple-elementary" || count.schoolSlug == "cedar-elementary" ? 1 : 0));
        CHECK(count.used == (count.schoolSlug == "maple-elementary" ? 1 : 0));
    }
}

TEST_CASE("two drafts started with the same code store only one response", "[http]") {
    TestSite site(useAccessCodes);
    const auto code = issueCode(site);
    REQUIRE(startSurvey(site, code).status == 303);
    const auto firstDraft = site.cookies().at("mindset_draft_riverside-2026");
    site.cookies().erase("mindset_draft_riverside-2026");  // a second browser, before either submits
    REQUIRE(startSurvey(site, code).status == 303);
    REQUIRE(answerAllPages(site).status == 303);

    site.cookies()["mindset_draft_riverside-2026"] = firstDraft;
    const auto second = answerAllPages(site);
    CHECK(second.status == 409);
    CHECK(second.contains("This access code has already been used."));
    CHECK(site.storedResponses() == 1);
}

TEST_CASE("nothing stored links a response to its access code, the client's address or the time", "[http][sqlite]") {
    TestSite site(useAccessCodes);
    const auto code = issueCode(site);
    const auto userAgent = "DistinctiveBrowser/9.9 (unique-agent-marker)";
    surveys::FormFields start{{"csrf", site.csrf()}, {"lang", "en"}, {"code", code}};
    site.send("POST", kSurvey + "/start", encodeForm(start), "application/x-www-form-urlencoded", {{"User-Agent", userAgent}});
    REQUIRE(answerAllPages(site).status == 303);
    REQUIRE(site.storedResponses() == 1);

    // Everything the database holds, as text, after the WAL is folded in.
    store::Connection db(site.databaseFile().string());
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    std::string everything;
    auto tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    std::vector<std::string> names;
    while (tables.step()) names.push_back(tables.columnText(0));
    for (const auto& table : names) {
        auto rows = db.prepare("SELECT * FROM " + table);
        while (rows.step())
            for (int column = 0; column < 8; ++column) everything += rows.columnText(column) + "|";
    }
    const auto codeHash = store::sha256Hex(store::normalizeAccessCode(code));
    CHECK(everything.find(codeHash) != std::string::npos);  // the code itself is kept, as a hash, marked used
    CHECK(everything.find(code) == std::string::npos);
    CHECK(everything.find("127.0.0.1") == std::string::npos);
    CHECK(everything.find("unique-agent-marker") == std::string::npos);
    CHECK(everything.find("2026-11-24") == std::string::npos);  // the day it was answered
    CHECK(db.queryInt64("SELECT COUNT(*) FROM drafts") == 0);

    // The response row has no column that could hold any of it, and nothing refers to it.
    auto columns = db.prepare("SELECT name FROM pragma_table_info('responses') ORDER BY cid");
    std::vector<std::string> responseColumns;
    while (columns.step()) responseColumns.push_back(columns.columnText(0));
    // release_number says only which release a response first appeared in: as coarse as the releases;
    // import_batch_id only which `mindset import` stored it (NULL for a response answered here).
    CHECK(responseColumns == std::vector<std::string>{"id", "survey_id", "demographics", "answers", "release_number", "import_batch_id"});
    CHECK(db.queryInt64("SELECT COUNT(*) FROM responses WHERE import_batch_id IS NOT NULL") == 0);
    auto testColumns = db.prepare("SELECT name FROM pragma_table_info('test_responses') ORDER BY cid");
    std::vector<std::string> testResponseColumns;
    while (testColumns.step()) testResponseColumns.push_back(testColumns.columnText(0));
    CHECK(testResponseColumns == std::vector<std::string>{"id", "survey_id", "demographics", "answers"});
    CHECK(db.queryInt64("SELECT COUNT(*) FROM responses WHERE release_number IS NOT NULL") == 0);  // none published yet
    auto codeColumns = db.prepare("SELECT name FROM pragma_table_info('access_codes') ORDER BY cid");
    std::vector<std::string> accessCodeColumns;
    while (codeColumns.step()) accessCodeColumns.push_back(codeColumns.columnText(0));
    // batch_id: the printed sheet it came on; is_voided: cancelled before use. Neither names a response.
    CHECK(accessCodeColumns == std::vector<std::string>{"code_hash", "survey_id", "school_id", "is_used", "batch_id", "is_voided"});
}
