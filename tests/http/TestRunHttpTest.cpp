// A coordinator's test run (issue 14): the survey's test link opens the survey as staff see it (and
// its one-page form) before the survey opens and without a code; what it sends is kept apart as a test response, counted nowhere,
// and does not lock the survey's questions.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/TestRuns.h"
#include "store/Tokens.h"
#include "support/TestSite.h"

using namespace mindset;
using testing::completeResponse;
using testing::encodeForm;
using testing::TestSite;

namespace {

const std::string kSurvey = "/surveys/riverside-2026";

/// The token of a new test link, made as `mindset survey test-link` makes it.
std::string newTestToken(TestSite& site) {
    std::ostringstream out;
    cli::printNewTestLink(out, site.store(), site.survey(), "https://survey.example.org/");
    const auto text = out.str();
    const auto at = text.find("https://survey.example.org/surveys/riverside-2026/all?test=");
    REQUIRE(at != std::string::npos);
    const auto start = text.find("=", at) + 1;
    return text.substr(start, text.find('\n', start) - start);
}

std::string pagePath(std::size_t page) { return kSurvey + "/pages/" + std::to_string(page); }

testing::Reply postPage(TestSite& site, std::size_t page, surveys::FormFields answers, const std::string& action,
                        const std::string& submission = {}) {
    answers.insert(answers.begin(), {{"csrf", site.csrf()}, {"lang", "en"}, {"action", action}});
    if (!submission.empty()) answers.emplace_back("submission", submission);
    return site.post(pagePath(page), encodeForm(answers));
}

/// The submission token the last page of the flow carries in its hidden field.
std::string submissionField(const testing::Reply& page) {
    const std::string marker = R"(name="submission" value=")";
    const auto at = page.body.find(marker);
    return at == std::string::npos ? std::string() : page.body.substr(at + marker.size(), 32);
}

testing::Reply submitTest(TestSite& site, const std::string& token) {
    auto fields = completeResponse(site.survey());
    fields.insert(fields.begin(), {{"csrf", site.csrf()}, {"lang", "en"}, {"test", token}, {"action", "submit"},
                                   {"submission", store::randomToken()}});
    return site.post(kSurvey + "/responses", encodeForm(fields));
}

}  // namespace

TEST_CASE("a test link tries a code survey before it opens, and its response is kept apart", "[http]") {
    // A day before the survey opens, and the survey asks for access codes: a staff link would refuse both.
    TestSite site([](surveys::SurveyDefinition& s) { s.access = surveys::Access::AccessCodes; },
                  std::chrono::year_month_day{std::chrono::year(2026), std::chrono::month(8), std::chrono::day(31)});
    CHECK(site.get(kSurvey + "/all").contains("This survey opens on"));
    const auto token = newTestToken(site);

    const auto page = site.get(kSurvey + "/all?test=" + token);
    REQUIRE(page.status == 200);
    CHECK(page.contains("<strong>Test run.</strong>"));
    CHECK(page.contains(R"(<input type="hidden" name="test" value=")" + token + "\">"));
    CHECK_FALSE(page.contains("name=\"code\""));
    CHECK(site.get(kSurvey + "/all?lang=es&test=" + token).contains("<strong>Prueba.</strong>"));

    const auto sent = submitTest(site, token);
    CHECK(sent.status == 303);
    CHECK(sent.header("Location").find("/thanks") != std::string::npos);
    CHECK(site.store().countTestResponses(site.survey().storeId) == 1);
    CHECK(site.storedResponses() == 0);
    CHECK(site.store().findSurvey("riverside-2026")->responseCount == 0);
}

TEST_CASE("a stale or made-up test token is refused and stores nothing", "[http]") {
    TestSite site;
    const auto old = newTestToken(site);
    const auto current = newTestToken(site);  // replaces the first
    CHECK(site.get(kSurvey + "/all?test=" + old).status == 403);
    CHECK(site.get(kSurvey + "/all?test=" + old).contains("a newer test link replaced it"));
    CHECK(site.get(kSurvey + "/all?test=nonsense").status == 403);
    CHECK(submitTest(site, old).status == 403);
    CHECK(site.store().countTestResponses(site.survey().storeId) == 0);
    CHECK(site.storedResponses() == 0);
    CHECK(submitTest(site, current).status == 303);
    CHECK(site.store().countTestResponses(site.survey().storeId) == 1);
}

TEST_CASE("test responses are in no release, and removing them says how many", "[http][releases]") {
    TestSite site;
    const auto token = newTestToken(site);
    for (int i = 0; i < 3; ++i) REQUIRE(submitTest(site, token).status == 303);
    // No release can be made from test responses alone.
    CHECK_THROWS(site.publishRelease());

    // One real response: the release holds it alone.
    auto fields = completeResponse(site.survey());
    fields.insert(fields.begin(), {{"csrf", site.csrf()}, {"lang", "en"}, {"submission", store::randomToken()}});
    REQUIRE(site.post(kSurvey + "/responses", encodeForm(fields)).status == 303);
    CHECK(site.publishRelease().responses == 1);

    std::ostringstream out;
    cli::removeTestResponses(out, site.store(), site.survey());
    CHECK(out.str() == "Removed 3 test responses from riverside-2026; its real responses (1) are unchanged.\n");
    CHECK(site.store().countTestResponses(site.survey().storeId) == 0);
    CHECK(site.storedResponses() == 1);
}

TEST_CASE("a test link walks the paged survey as staff see it before it opens, and the response is kept apart", "[http]") {
    // A day before the survey opens, and a code survey: the staff link shows neither a Start without a code nor a page.
    TestSite site([](surveys::SurveyDefinition& s) { s.access = surveys::Access::AccessCodes; },
                  std::chrono::year_month_day{std::chrono::year(2026), std::chrono::month(8), std::chrono::day(31)});
    CHECK(site.get(kSurvey + "?lang=en").contains("This survey opens on"));
    const auto token = newTestToken(site);

    const auto landing = site.get(kSurvey + "?lang=en&test=" + token);
    REQUIRE(landing.status == 200);
    CHECK(landing.contains("<strong>Test run.</strong>"));
    CHECK(landing.contains(R"(<input type="hidden" name="test" value=")" + token + "\">"));
    CHECK_FALSE(landing.contains("name=\"code\""));
    CHECK(landing.contains("?lang=es&amp;test=" + token));  // the language switch keeps the test run
    CHECK(site.get(kSurvey + "?lang=en&test=nonsense").status == 403);

    const auto started = site.post(kSurvey + "/start", encodeForm({{"csrf", site.csrf()}, {"lang", "en"}, {"test", token}}));
    REQUIRE(started.status == 303);
    CHECK(started.header("Location") == pagePath(1) + "?lang=en");
    const auto all = completeResponse(site.survey());
    const auto pages = site.survey().pageCount();
    for (std::size_t page = 1; page < pages; ++page) {
        const auto shown = site.get(pagePath(page) + "?lang=en");
        REQUIRE(shown.status == 200);
        CHECK(shown.contains("<strong>Test run.</strong>"));
        REQUIRE(postPage(site, page, surveys::pageAnswers(site.survey(), all, page), "next").status == 303);
    }
    const auto submission = submissionField(site.get(pagePath(pages) + "?lang=en"));
    REQUIRE(submission.size() == 32);
    const auto sent = postPage(site, pages, surveys::pageAnswers(site.survey(), all, pages), "submit", submission);
    REQUIRE(sent.status == 303);
    CHECK(sent.header("Location") == kSurvey + "/thanks?lang=en");
    CHECK(site.store().countTestResponses(site.survey().storeId) == 1);
    CHECK(site.storedResponses() == 0);
    CHECK(site.store().findSurvey("riverside-2026")->responseCount == 0);
    // The test draft went with its submission: the staff link is back to "opens on", with nothing to continue.
    CHECK(site.get(pagePath(1) + "?lang=en").contains("This survey opens on"));
}

TEST_CASE("a stale test token cannot start a draft before the survey opens", "[http]") {
    TestSite site({}, std::chrono::year_month_day{std::chrono::year(2026), std::chrono::month(8), std::chrono::day(31)});
    const auto old = newTestToken(site);
    newTestToken(site);  // replaces it
    const auto refused = site.post(kSurvey + "/start", encodeForm({{"csrf", site.csrf()}, {"lang", "en"}, {"test", old}}));
    CHECK(refused.status == 403);
    CHECK(refused.contains("a newer test link replaced it"));
    CHECK_FALSE(site.cookies().contains("mindset_draft_riverside-2026"));
    // Without a token, the start is a staff member's, and the survey is not open yet.
    CHECK(site.post(kSurvey + "/start", encodeForm({{"csrf", site.csrf()}, {"lang", "en"}})).status == 403);
    CHECK(site.get(pagePath(1) + "?lang=en").contains("This survey opens on"));
}
