#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "store/Tokens.h"
#include "support/TestSite.h"
#include "web/DraftLimits.h"

using namespace mindset;
using surveys::pageAnswers;
using testing::completeResponse;
using testing::encodeForm;
using testing::TestSite;

namespace {

const std::string kSurvey = "/surveys/riverside-2026";
const std::string kDraftCookie = "mindset_draft_riverside-2026";

std::string pagePath(std::size_t page) { return kSurvey + "/pages/" + std::to_string(page); }

testing::Reply postPage(TestSite& site, std::size_t page, surveys::FormFields answers, const std::string& action,
                        const std::string& submission = {}) {
    answers.insert(answers.begin(), {{"csrf", site.csrf()}, {"lang", "en"}, {"action", action}});
    if (!submission.empty()) answers.emplace_back("submission", submission);
    return site.post(pagePath(page), encodeForm(answers));
}

testing::Reply startSurvey(TestSite& site, const std::string& code = {}) {
    surveys::FormFields fields{{"csrf", site.csrf()}, {"lang", "en"}};
    if (!code.empty()) fields.emplace_back("code", code);
    return site.post(kSurvey + "/start", encodeForm(fields));
}

std::string issueCode(TestSite& site) {
    const auto code = store::newAccessCode();
    site.store().addAccessCodes(site.survey().storeId, "maple-elementary", {store::sha256Hex(store::normalizeAccessCode(code))});
    return code;
}

/// The submission token the last page of the flow carries in its hidden field.
std::string submissionField(const testing::Reply& page) {
    const std::string marker = R"(name="submission" value=")";
    const auto at = page.body.find(marker);
    if (at == std::string::npos) return {};
    return page.body.substr(at + marker.size(), 32);
}

std::string fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The bytes of the database, its write-ahead log and its shared-memory index, as a reader with a
/// copy of the data folder would have them.
std::string everyFileByte(const TestSite& site) {
    const auto db = site.databaseFile().string();
    return fileBytes(db) + fileBytes(db + "-wal") + fileBytes(db + "-shm");
}

bool holds(const std::string& bytes, const std::string& text) { return bytes.find(text) != std::string::npos; }

void useAccessCodes(surveys::SurveyDefinition& survey) { survey.access = surveys::Access::AccessCodes; }

}  // namespace

TEST_CASE("after code-based submissions through drafts, no file of the data folder links a code or cookie to answers", "[http][sqlite]") {
    TestSite site(useAccessCodes);
    const auto all = completeResponse(site.survey());
    const auto pages = site.survey().pageCount();
    std::vector<std::string> draftTokenHashes, codeHashes;
    for (int respondent = 0; respondent < 3; ++respondent) {
        site.cookies().erase(kDraftCookie);
        const auto code = issueCode(site);
        codeHashes.push_back(store::sha256Hex(store::normalizeAccessCode(code)));
        REQUIRE(startSurvey(site, code).status == 303);
        const auto token = site.cookies().at(kDraftCookie);
        draftTokenHashes.push_back(store::sha256Hex(token));
        for (std::size_t page = 1; page < pages; ++page) REQUIRE(postPage(site, page, pageAnswers(site.survey(), all, page), "next").status == 303);

        // While the draft exists, its answers and its code are sealed: the draft's JSON (as it is
        // kept before sealing) is in no file, next to its token hash or anywhere else.
        const auto during = everyFileByte(site);
        CHECK_FALSE(holds(during, R"("d.role":["school-leader"])"));
        CHECK_FALSE(holds(during, R"("code":")" + codeHashes.back()));

        const auto last = site.get(pagePath(pages));
        const auto submission = submissionField(last);
        REQUIRE(submission.size() == 32);
        const auto submitted = postPage(site, pages, pageAnswers(site.survey(), all, pages), "submit", submission);
        REQUIRE(submitted.status == 303);
        CHECK(submitted.header("Location") == kSurvey + "/thanks?lang=en");
    }
    REQUIRE(site.storedResponses() == 3);

    const auto bytes = everyFileByte(site);
    CHECK(fileBytes(site.databaseFile().string() + "-wal").empty());  // checkpointed and truncated
    for (const auto& hash : draftTokenHashes) CHECK_FALSE(holds(bytes, hash));
    for (const auto& hash : codeHashes) {
        // Only the burned code's own row holds it: in the database file, once, in access_codes.
        const auto first = bytes.find(hash);
        CHECK(first != std::string::npos);
        CHECK(bytes.find(hash, first + 1) == std::string::npos);
    }
    CHECK_FALSE(holds(bytes, R"("d.role":[)"));
    CHECK_FALSE(holds(bytes, R"("fields":)"));
}

TEST_CASE("the thank-you redirect expires the draft cookie, and a resent last page still gets the thanks once", "[http]") {
    TestSite site;
    REQUIRE(startSurvey(site).status == 303);
    const auto all = completeResponse(site.survey());
    const auto pages = site.survey().pageCount();
    for (std::size_t page = 1; page < pages; ++page) REQUIRE(postPage(site, page, pageAnswers(site.survey(), all, page), "next").status == 303);
    const auto submission = submissionField(site.get(pagePath(pages)));
    REQUIRE(submission.size() == 32);
    const auto token = site.cookies().at(kDraftCookie);

    const auto submitted = postPage(site, pages, pageAnswers(site.survey(), all, pages), "submit", submission);
    REQUIRE(submitted.status == 303);
    bool isExpired = false;
    auto [from, to] = submitted.headers.equal_range("Set-Cookie");
    for (auto it = from; it != to; ++it)
        if (it->second.starts_with(kDraftCookie + "=;")) isExpired = it->second.find("Max-Age=0") != std::string::npos;
    CHECK(isExpired);
    CHECK(site.cookies().count(kDraftCookie) == 0);

    // A second click that arrives after the cookie is gone: its form's token says it was submitted.
    const auto resent = postPage(site, pages, pageAnswers(site.survey(), all, pages), "submit", submission);
    CHECK(resent.status == 303);
    CHECK(resent.header("Location") == kSurvey + "/thanks?lang=en");
    // And one that still carried the old cookie.
    site.cookies()[kDraftCookie] = token;
    CHECK(postPage(site, pages, pageAnswers(site.survey(), all, pages), "submit").header("Location") == kSurvey + "/thanks?lang=en");
    CHECK(site.storedResponses() == 1);
}

TEST_CASE("a draft save with an answer the page does not offer is refused and stores nothing", "[http]") {
    TestSite site;
    REQUIRE(startSurvey(site).status == 303);
    const auto all = completeResponse(site.survey());
    REQUIRE(postPage(site, 1, pageAnswers(site.survey(), all, 1), "later").status == 200);

    for (const auto& action : {"later", "back", "next"}) {
        INFO(action);
        const auto junk = postPage(site, 1, {{"d.school", "maple-elementary"}, {"d.role", "astronaut"}}, action);
        CHECK(junk.status == 400);
        CHECK(junk.contains("“astronaut” is not one of the choices."));
        const auto other = postPage(site, 1, {{"d.school", "maple-elementary"}, {"x.padding", std::string(4000, 'x')}}, action);
        CHECK(other.status == 400);
    }
    // The draft still holds what was saved before, and nothing of the refused saves.
    const auto page = site.get(pagePath(1));
    CHECK(page.contains(R"(value="riverside-middle" checked>)"));
    CHECK_FALSE(page.contains(R"(value="maple-elementary" checked>)"));
}

TEST_CASE("new drafts are limited per client and per survey, with a 429 page that says what to do", "[http]") {
    SECTION("per client") {
        TestSite site;
        site.site()->newDraftLimit = std::make_shared<web::NewDraftLimit>(3);
        // Each from another browser behind the same address (one would be asked before starting again).
        for (int i = 0; i < 3; ++i) {
            site.cookies().erase(kDraftCookie);
            REQUIRE(startSurvey(site).status == 303);
        }
        site.cookies().erase(kDraftCookie);
        const auto refused = startSurvey(site);
        CHECK(refused.status == 429);
        CHECK(refused.contains("Many surveys were started from your network in the last hour"));
        CHECK(refused.contains(kSurvey + "/all"));
        CHECK(refused.header("Retry-After") == "3600");
        CHECK(site.store().countDrafts(site.survey().storeId) == 3);
    }
    SECTION("per survey: three per expected respondent") {
        TestSite site([](surveys::SurveyDefinition& survey) {
            for (auto& school : survey.schools) school.staff = 0;
            survey.schools.front().staff = 1;
        });
        REQUIRE(web::maxDraftsFor(site.survey()) == 3);
        // Each from another browser behind the same address (one would be asked before starting again).
        for (int i = 0; i < 3; ++i) {
            site.cookies().erase(kDraftCookie);
            REQUIRE(startSurvey(site).status == 303);
        }
        site.cookies().erase(kDraftCookie);
        const auto refused = startSurvey(site);
        CHECK(refused.status == 429);
        CHECK(refused.contains("This survey has reached its limit of answers in progress"));
        CHECK(site.store().countDrafts(site.survey().storeId) == 3);
    }
}

TEST_CASE("a response without a single answered item is refused on both forms, next to the first item", "[http]") {
    TestSite site;
    const auto firstItem = surveys::itemFieldName(site.survey().instruments.front(), site.survey().instruments.front().definition().items.front());
    const auto demographicsOnly = pageAnswers(site.survey(), completeResponse(site.survey()), 1);

    SECTION("one-page form") {
        surveys::FormFields fields{{"csrf", site.csrf()}, {"lang", "en"}, {"submission", store::randomToken()}};
        fields.insert(fields.end(), demographicsOnly.begin(), demographicsOnly.end());
        const auto refused = site.post(kSurvey + "/responses", encodeForm(fields));
        CHECK(refused.status == 400);
        CHECK(refused.contains("Please answer at least one statement"));
        auto anchor = "q-" + firstItem;
        std::replace(anchor.begin(), anchor.end(), '.', '-');
        CHECK(refused.contains(R"(<p class="error" id=")" + anchor + R"(-error">Please answer at least one statement)"));
    }
    SECTION("page by page") {
        REQUIRE(startSurvey(site).status == 303);
        REQUIRE(postPage(site, 1, demographicsOnly, "next").status == 303);
        for (std::size_t page = 2; page < site.survey().pageCount(); ++page) REQUIRE(postPage(site, page, {}, "next").status == 303);
        const auto refused = postPage(site, site.survey().pageCount(), {}, "submit");
        CHECK(refused.status == 400);
        CHECK(refused.contains("Please answer at least one statement"));
        CHECK(refused.contains("Step 2 of"));
    }
    CHECK(site.storedResponses() == 0);
}
