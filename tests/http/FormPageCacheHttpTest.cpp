#include <catch2/catch.hpp>

#include "support/TestSite.h"

// Issue 12, item 6: a form page with saved answers is served from one cached rendering with a
// slot at every choice; each draft must still see exactly its own answers checked.

using namespace mindset;
using surveys::pageAnswers;
using testing::completeResponse;
using testing::encodeForm;
using testing::TestSite;

namespace {

const std::string kSurvey = "/surveys/riverside-2026";

std::size_t checkedCount(const std::string& html) {
    std::size_t n = 0;
    for (auto at = html.find(" checked>"); at != std::string::npos; at = html.find(" checked>", at + 1)) ++n;
    return n;
}

/// Starts a draft on a fresh device and saves `answers` on page 2.
void saveOnPage2(TestSite& site, const surveys::FormFields& answers) {
    site.cookies().clear();
    REQUIRE(site.post(kSurvey + "/start", encodeForm({{"csrf", site.csrf()}, {"lang", "en"}})).status == 303);
    auto fields = answers;
    fields.insert(fields.begin(), {{"csrf", site.csrf()}, {"lang", "en"}, {"action", "later"}});
    REQUIRE(site.post(kSurvey + "/pages/2", encodeForm(fields)).status == 200);
}

}  // namespace

TEST_CASE("a form page with saved answers shows exactly this draft's answers checked, from one shared rendering", "[http]") {
    TestSite site;
    const auto page2 = pageAnswers(site.survey(), completeResponse(site.survey()), 2);
    const surveys::FormFields first(page2.begin(), page2.begin() + 5);
    surveys::FormFields second{page2.back()};
    second.back().second = "1";

    for (const auto& answers : {first, second, first}) {
        saveOnPage2(site, answers);
        for (const std::string language : {"en", "es"}) {
            const auto shown = site.get(kSurvey + "/pages/2?lang=" + language);
            REQUIRE(shown.status == 200);
            CHECK(checkedCount(shown.body) == answers.size());
            for (const auto& [name, value] : answers)
                CHECK(shown.contains(R"(name=")" + name + R"(" value=")" + value + R"(" checked>)"));
            CHECK(shown.body.find('\x1e') == std::string::npos);
            CHECK(shown.body.find('\x1f') == std::string::npos);
            CHECK(shown.contains(R"(name="csrf" value=")" + site.csrf() + "\""));
        }
    }
}
