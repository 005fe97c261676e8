// A link on a printed code slip carries the code (`?code=`, issue 14): the landing page opens with
// the access-code field filled in, so that staff following the link type nothing.
#include <catch2/catch.hpp>

#include "store/Tokens.h"
#include "support/TestSite.h"

using namespace mindset;
using testing::encodeForm;
using testing::TestSite;

namespace {

const std::string kSurvey = "/surveys/riverside-2026";

void useAccessCodes(surveys::SurveyDefinition& survey) { survey.access = surveys::Access::AccessCodes; }

std::string codeField(const std::string& value) {
    return R"(<input id="code" name="code" type="text" inputmode="text" autocomplete="off" autocapitalize="characters" spellcheck="false" value=")" +
           value + "\"";
}

}  // namespace

TEST_CASE("?code= in a survey link fills in the access-code field", "[http]") {
    TestSite site(useAccessCodes);
    const auto code = store::newAccessCode();
    site.store().addAccessCodes(site.survey().storeId, "maple-elementary", {store::sha256Hex(store::normalizeAccessCode(code))});

    const auto linked = site.get(kSurvey + "?code=" + code);
    CHECK(linked.status == 200);
    CHECK(linked.contains(codeField(code)));
    const auto spanish = site.get(kSurvey + "?lang=es&code=" + code);
    CHECK(spanish.contains(codeField(code)));
    CHECK(spanish.contains("<html lang=\"es\""));
    // Switching language keeps the code.
    CHECK(spanish.contains("<a href=\"/surveys/riverside-2026?lang=en&amp;code=" + code + "\" lang=\"en\""));

    // The page without the code (served from the page cache) never shows a code another link carried.
    const auto plain = site.get(kSurvey);
    CHECK(plain.contains(codeField("")));
    CHECK_FALSE(plain.contains(code));

    // What a link carries is text in an attribute, never markup.
    const auto hostile = site.get(kSurvey + "?code=%22%3E%3Cscript%3Ealert(1)%3C/script%3E");
    CHECK(hostile.contains(codeField("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;")));
    CHECK_FALSE(hostile.contains("<script>alert(1)"));

    // The prefilled code starts the survey like a typed one.
    const auto started = site.post(kSurvey + "/start", encodeForm({{"csrf", site.csrf()}, {"lang", "en"}, {"code", code}}));
    CHECK(started.status == 303);
}

TEST_CASE("an open-link survey has no code field, whatever the link carries", "[http]") {
    TestSite site;
    const auto page = site.get(kSurvey + "?code=ABCD-EFGH-JKMN");
    CHECK(page.status == 200);
    CHECK_FALSE(page.contains("name=\"code\""));
    CHECK_FALSE(page.contains("ABCD-EFGH-JKMN"));
}
