#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "store/Tokens.h"
#include "support/TestSite.h"

// Issue 12: a language switch keeps the page's answers, starting again asks first, "Continue where
// you left off" returns to the page last saved, and a review lists what was skipped before the
// final submit; the way in is on the first screen with an estimate that follows the item count.

using namespace mindset;
using surveys::pageAnswers;
using testing::completeResponse;
using testing::encodeForm;
using testing::TestSite;

namespace {

const std::string kSurvey = "/surveys/riverside-2026";
const std::string kDraftCookie = "mindset_draft_riverside-2026";

std::string pagePath(std::size_t page, const std::string& language = "en") {
    return kSurvey + "/pages/" + std::to_string(page) + "?lang=" + language;
}

testing::Reply postPage(TestSite& site, std::size_t page, surveys::FormFields answers, const std::string& action,
                        const std::string& language = "en") {
    answers.insert(answers.begin(), {{"csrf", site.csrf()}, {"lang", language}, {"action", action}});
    return site.post(kSurvey + "/pages/" + std::to_string(page), encodeForm(answers));
}

testing::Reply startSurvey(TestSite& site, surveys::FormFields extra = {}) {
    surveys::FormFields fields{{"csrf", site.csrf()}, {"lang", "en"}};
    fields.insert(fields.end(), extra.begin(), extra.end());
    return site.post(kSurvey + "/start", encodeForm(fields));
}

std::string checked(const std::string& value) { return "value=\"" + value + "\" checked>"; }

/// The href of the landing page's "Continue where you left off" button.
std::string continueHref(TestSite& site) {
    const auto landing = site.get(kSurvey + "?lang=en");
    const std::string before = "<a class=\"button\" href=\"";
    const auto at = landing.body.find(before);
    if (at == std::string::npos) return {};
    const auto from = at + before.size();
    return landing.body.substr(from, landing.body.find('"', from) - from);
}

std::string fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string everyFileByte(const TestSite& site) {
    const auto db = site.databaseFile().string();
    return fileBytes(db) + fileBytes(db + "-wal") + fileBytes(db + "-shm");
}

std::string anchorOf(std::string field) {
    std::replace(field.begin(), field.end(), '.', '-');
    return "q-" + field;
}

}  // namespace

TEST_CASE("a language button on a form page saves what is on the page and shows the same page in the other language", "[http]") {
    TestSite site;
    REQUIRE(startSurvey(site).status == 303);
    const auto all = completeResponse(site.survey());

    // The switch is a button of the page's form, so the browser sends the answers with it; Enter
    // in the form still means the page's own button (a hidden copy of it comes first).
    const auto shown = site.get(pagePath(2));
    CHECK(shown.contains(R"(<button type="submit" form="answers" name="action" value="language:es" class="language-switch" lang="es">Español</button>)"));
    CHECK(shown.contains(R"(<form id="answers")"));
    CHECK(shown.body.find(R"(<button type="submit" form="answers" name="action" value="next" class="default-action" tabindex="-1" aria-hidden="true">)") ==
          shown.body.find("<button"));

    // Four of the page's statements answered, then Español.
    const auto page2 = pageAnswers(site.survey(), all, 2);
    const surveys::FormFields four(page2.begin(), page2.begin() + 4);
    const auto switched = postPage(site, 2, four, "language:es");
    REQUIRE(switched.status == 303);
    CHECK(switched.header("Location") == pagePath(2, "es"));

    const auto spanish = site.get(pagePath(2, "es"));
    CHECK(spanish.status == 200);
    CHECK(spanish.contains(R"(<html lang="es">)"));
    CHECK(spanish.contains("Paso 2 de 4"));
    for (const auto& [name, value] : four) CHECK(spanish.contains(R"(name=")" + name + R"(" )" + checked(value)));
    const auto checkedCount = [](const std::string& html) {
        std::size_t n = 0;
        for (auto at = html.find(" checked>"); at != std::string::npos; at = html.find(" checked>", at + 1)) ++n;
        return n;
    };
    CHECK(checkedCount(spanish.body) == 4);

    // Back to English from the Spanish page: still the same four, nothing else.
    REQUIRE(postPage(site, 2, four, "language:en", "es").header("Location") == pagePath(2, "en"));
    CHECK(checkedCount(site.get(pagePath(2)).body) == 4);

    // A half-answered first page (a required question still open) switches without complaint.
    const auto switchedFirst = postPage(site, 1, {{"d.years", "0-2"}}, "language:es");
    CHECK(switchedFirst.status == 303);
    CHECK(site.get(pagePath(1, "es")).contains(checked("0-2")));
    // A language the survey does not offer keeps the page's language.
    CHECK(postPage(site, 1, {{"d.years", "0-2"}}, "language:fr").header("Location") == pagePath(1, "en"));
    CHECK(site.storedResponses() == 0);
}

TEST_CASE("the one-page form's language button shows the form again in the other language with what was typed, and stores nothing", "[http]") {
    TestSite site;
    const auto form = site.get(kSurvey + "/all?lang=en");
    CHECK(form.contains(R"(form="answers" name="action" value="language:es")"));
    const std::string submission = store::randomToken();
    surveys::FormFields fields{{"csrf", site.csrf()}, {"lang", "en"}, {"submission", submission}, {"action", "language:es"},
                               {"d.role", "teacher"}, {"d.race", "asian"}, {"d.race", "black"}};
    const auto firstItem = surveys::itemFieldName(site.survey().instruments[1], site.survey().instruments[1].definition().items[2]);
    fields.emplace_back(firstItem, "4");
    const auto reply = site.post(kSurvey + "/responses", encodeForm(fields));
    CHECK(reply.status == 200);
    CHECK(reply.contains(R"(<html lang="es">)"));
    CHECK(reply.contains(R"(name="submission" value=")" + submission + "\""));
    CHECK(reply.contains(checked("teacher")));
    CHECK(reply.contains(checked("asian")));
    CHECK(reply.contains(checked("black")));
    CHECK(reply.contains(R"(name=")" + firstItem + R"(" value="4" checked>)"));
    CHECK_FALSE(reply.contains(R"(class="problems")"));
    CHECK(site.storedResponses() == 0);
}

TEST_CASE("Start with a draft on this device asks first, confirming empties the same draft", "[http]") {
    TestSite site;
    REQUIRE(startSurvey(site).status == 303);
    const auto token = site.cookies().at(kDraftCookie);
    const auto all = completeResponse(site.survey());
    REQUIRE(postPage(site, 1, pageAnswers(site.survey(), all, 1), "next").status == 303);
    REQUIRE(postPage(site, 2, pageAnswers(site.survey(), all, 2), "next").status == 303);

    const auto asked = startSurvey(site);
    CHECK(asked.status == 200);
    CHECK(asked.contains("<h1>Start again from the beginning?</h1>"));
    CHECK(asked.contains(R"(<a class="button" href=")" + pagePath(3) + R"(">Keep my answers and continue</a>)"));
    CHECK(asked.contains(R"(<input type="hidden" name="startOver" value="yes">)"));
    // Its language link leads to a page that exists: the landing page in the other language.
    CHECK(asked.contains(R"(<a href=")" + kSurvey + R"(?lang=es" lang="es")"));
    // Asking changed nothing: same cookie, the answers still there.
    CHECK(site.cookies().at(kDraftCookie) == token);
    CHECK(site.get(pagePath(1)).contains(checked("riverside-middle")));
    CHECK(site.get(pagePath(2)).contains(" checked>"));

    SECTION("in Spanish") {
        const auto spanish = site.post(kSurvey + "/start", encodeForm({{"csrf", site.csrf()}, {"lang", "es"}}));
        CHECK(spanish.contains("¿Comenzar de nuevo desde el principio?"));
        CHECK(spanish.contains("Borrar mis respuestas guardadas y comenzar de nuevo"));
    }
    SECTION("confirmed") {
        const auto confirmed = startSurvey(site, {{"startOver", "yes"}});
        CHECK(confirmed.status == 303);
        CHECK(confirmed.header("Location") == pagePath(1));
        CHECK(site.cookies().at(kDraftCookie) == token);
        CHECK(site.store().countDrafts(site.survey().storeId) == 1);
        CHECK_FALSE(site.get(pagePath(1)).contains(" checked>"));
        CHECK_FALSE(site.get(pagePath(2)).contains(" checked>"));
        CHECK(continueHref(site) == pagePath(1));
        // The emptied draft is sealed like any other: no draft JSON in clear in any file.
        CHECK(everyFileByte(site).find(R"("fields":)") == std::string::npos);
    }
}

TEST_CASE("Start with a draft and an access code asks first, and the confirmation carries the code", "[http]") {
    TestSite site([](surveys::SurveyDefinition& survey) { survey.access = surveys::Access::AccessCodes; });
    auto issue = [&site] {
        const auto code = store::newAccessCode();
        site.store().addAccessCodes(site.survey().storeId, "maple-elementary", {store::sha256Hex(store::normalizeAccessCode(code))});
        return code;
    };
    const auto first = issue();
    REQUIRE(startSurvey(site, {{"code", first}}).status == 303);
    REQUIRE(postPage(site, 1, pageAnswers(site.survey(), completeResponse(site.survey()), 1), "later").status == 200);

    // A wrong code is refused before anything is asked.
    CHECK(startSurvey(site, {{"code", "0000-0000-0000"}}).status == 400);
    const auto second = issue();
    const auto asked = startSurvey(site, {{"code", second}});
    CHECK(asked.status == 200);
    CHECK(asked.contains(R"(<input type="hidden" name="code" value=")" + second + "\">"));
    CHECK(startSurvey(site, {{"code", second}, {"startOver", "yes"}}).status == 303);
    CHECK_FALSE(site.get(pagePath(1)).contains(" checked>"));
}

TEST_CASE("Continue where you left off returns to the page the person was last on", "[http]") {
    TestSite site;
    REQUIRE(startSurvey(site).status == 303);
    const auto all = completeResponse(site.survey());
    CHECK(continueHref(site) == pagePath(1));
    REQUIRE(postPage(site, 1, pageAnswers(site.survey(), all, 1), "next").status == 303);
    CHECK(continueHref(site) == pagePath(2));
    REQUIRE(postPage(site, 2, {}, "later").status == 200);
    CHECK(continueHref(site) == pagePath(2));
    REQUIRE(postPage(site, 2, pageAnswers(site.survey(), all, 2), "next").status == 303);
    CHECK(continueHref(site) == pagePath(3));
    REQUIRE(postPage(site, 3, {}, "back").status == 303);
    CHECK(continueHref(site) == pagePath(2));
    // A page with a problem keeps the person where they are.
    REQUIRE(postPage(site, 1, {{"d.years", "0-2"}}, "next").status == 400);
    CHECK(continueHref(site) == pagePath(1));
    // The "saved" page's own link goes to the same place.
    const auto saved = postPage(site, 1, pageAnswers(site.survey(), all, 1), "later");
    CHECK(saved.contains(R"(<a href=")" + pagePath(1) + R"(">Continue where you left off</a>)"));
}

TEST_CASE("Submit with skipped questions shows a review that links each one, the person may still submit", "[http]") {
    TestSite site;
    REQUIRE(startSurvey(site).status == 303);
    const auto& survey = site.survey();
    auto answers = completeResponse(survey);
    const auto& second = survey.instruments[1];
    const auto skippedItem = surveys::itemFieldName(second, second.definition().items[3]);
    const auto& third = survey.instruments[2];
    const auto skippedLast = surveys::itemFieldName(third, third.definition().items.back());
    std::erase_if(answers, [&](const auto& f) { return f.first == "d.years" || f.first == skippedItem || f.first == skippedLast; });
    const auto pages = survey.pageCount();
    for (std::size_t page = 1; page < pages; ++page) REQUIRE(postPage(site, page, pageAnswers(survey, answers, page), "next").status == 303);

    const auto submitted = postPage(site, pages, pageAnswers(survey, answers, pages), "submit");
    REQUIRE(submitted.status == 303);
    CHECK(submitted.header("Location") == kSurvey + "/review?lang=en");
    CHECK(site.storedResponses() == 0);

    const auto review = site.get(kSurvey + "/review?lang=en");
    CHECK(review.status == 200);
    CHECK(review.contains("<h1>Before you submit</h1>"));
    CHECK(review.contains("You left 3 questions unanswered."));
    CHECK(review.contains(R"(<a href=")" + pagePath(1) + "#q-d-years\">How many years have you worked in this district?</a>"));
    CHECK(review.contains(R"(<a href=")" + pagePath(3) + "#" + anchorOf(skippedItem) + "\">" + second.definition().items[3].text.in("en") + "</a>"));
    CHECK(review.contains(R"(<a href=")" + pagePath(4) + "#" + anchorOf(skippedLast) + "\">" + third.definition().items.back().text.in("en") + "</a>"));
    CHECK(review.contains("Step 3 of 4: " + second.definition().title.in("en")));
    // The links lead to the questions themselves.
    CHECK(site.get(pagePath(3)).contains(R"(<fieldset id=")" + anchorOf(skippedItem) + "\""));

    const auto spanish = site.get(kSurvey + "/review?lang=es");
    CHECK(spanish.contains("Dejó 3 preguntas sin responder."));
    CHECK(spanish.contains(second.definition().items[3].text.in("es")));

    const auto sent = site.post(kSurvey + "/review", encodeForm({{"csrf", site.csrf()}, {"lang", "en"}}));
    CHECK(sent.status == 303);
    CHECK(sent.header("Location") == kSurvey + "/thanks?lang=en");
    CHECK(site.cookies().count(kDraftCookie) == 0);
    REQUIRE(site.storedResponses() == 1);
    // The skipped item is stored as unanswered (0), the answered ones as given.
    const auto index = second.firstAnswerIndex + 3;
    const auto responses = site.store().responses(survey.storeId);
    REQUIRE(responses.size() == 1);
    const auto& stored = responses.front().answers;
    REQUIRE(stored.size() == survey.answerCount());
    CHECK(stored[index] == 0);
    CHECK(stored[index - 1] != 0);
}

TEST_CASE("the review submits nothing that the final check refuses, and a resent review stores one response", "[http]") {
    TestSite site;
    REQUIRE(startSurvey(site).status == 303);
    const auto& survey = site.survey();
    SECTION("a required question still open") {
        REQUIRE(postPage(site, 1, {{"d.years", "0-2"}}, "later").status == 200);
        REQUIRE(postPage(site, 2, pageAnswers(survey, completeResponse(survey), 2), "later").status == 200);
        CHECK(site.get(kSurvey + "/review?lang=en").contains("Where do you work most of the time?"));
        const auto refused = site.post(kSurvey + "/review", encodeForm({{"csrf", site.csrf()}, {"lang", "en"}}));
        CHECK(refused.status == 400);
        CHECK(refused.contains("Step 1 of 4"));
        CHECK(refused.contains("Please answer this question."));
        CHECK(site.storedResponses() == 0);
    }
    SECTION("sent twice") {
        auto answers = completeResponse(survey);
        answers.pop_back();
        for (std::size_t page = 1; page <= survey.pageCount(); ++page)
            REQUIRE(postPage(site, page, pageAnswers(survey, answers, page), page == survey.pageCount() ? "submit" : "next").status == 303);
        const auto review = site.get(kSurvey + "/review?lang=en");
        CHECK(review.contains("You left 1 question unanswered."));
        const std::string marker = R"(name="submission" value=")";
        const auto submission = review.body.substr(review.body.find(marker) + marker.size(), 32);
        const surveys::FormFields form{{"csrf", site.csrf()}, {"lang", "en"}, {"submission", submission}};
        CHECK(site.post(kSurvey + "/review", encodeForm(form)).header("Location") == kSurvey + "/thanks?lang=en");
        // The second click arrives without the (expired) cookie: its submission token says it was sent.
        CHECK(site.post(kSurvey + "/review", encodeForm(form)).header("Location") == kSurvey + "/thanks?lang=en");
        CHECK(site.storedResponses() == 1);
    }
}

TEST_CASE("a complete response goes straight from Submit to the thanks, without a review", "[http]") {
    TestSite site;
    REQUIRE(startSurvey(site).status == 303);
    const auto all = completeResponse(site.survey());
    const auto pages = site.survey().pageCount();
    for (std::size_t page = 1; page <= pages; ++page)
        REQUIRE(postPage(site, page, pageAnswers(site.survey(), all, page), page == pages ? "submit" : "next").status == 303);
    CHECK(site.storedResponses() == 1);
}

TEST_CASE("the landing page puts the way in before the reading, with an estimate that follows the item count", "[http]") {
    TestSite site;
    const auto& survey = site.survey();
    REQUIRE(survey.answerCount() == 43);
    const auto landing = site.get(kSurvey + "?lang=en");
    const auto estimate = "It takes about " + std::to_string(survey.estimatedMinutes()) + " minutes (43 statements and 4 questions about you).";
    CHECK(landing.contains(estimate));
    const auto start = landing.body.find("Start the survey</button>");
    CHECK(start < landing.body.find(survey.introduction.in("en")));
    CHECK(start < landing.body.find("Who sees the results"));
    CHECK(site.get(kSurvey + "?lang=es").contains("Toma alrededor de " + std::to_string(survey.estimatedMinutes()) +
                                                  " minutos (43 afirmaciones y 4 preguntas sobre usted)."));

    TestSite shorter([](surveys::SurveyDefinition& s) { s.instruments.resize(1); });
    const auto items = shorter.survey().answerCount();
    REQUIRE(items < 43);
    CHECK(shorter.get(kSurvey + "?lang=en").contains("It takes about " + std::to_string(shorter.survey().estimatedMinutes()) + " minutes (" +
                                                     std::to_string(items) + " statements and 4 questions about you)."));
    CHECK(shorter.survey().estimatedMinutes() < survey.estimatedMinutes());
}

TEST_CASE("Central office is in Spanish on the Spanish pages", "[http]") {
    TestSite site;
    REQUIRE(startSurvey(site).status == 303);
    const auto spanish = site.get(pagePath(1, "es"));
    CHECK(spanish.contains(R"(value="central-office"> <span>Oficina central</span>)"));
    CHECK_FALSE(spanish.contains("Central office"));
    CHECK(site.get(pagePath(1)).contains(R"(value="central-office"> <span>Central office</span>)"));
    CHECK_FALSE(site.get(kSurvey + "/all?lang=es").contains("Central office"));
}
