// A coordinator's test run (issue 14): the survey's test link opens the one-page form before the
// survey opens and without a code; what it sends is kept apart as a test response, counted nowhere,
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
