#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "auth/Passwords.h"
#include "demo/DemoResponses.h"
#include "store/Sqlite.h"
#include "store/Tokens.h"
#include "surveys/Comments.h"
#include "support/TestSite.h"

// Issue 12 item 5: comments that stay anonymous. Stored apart from the response (no link, only the
// school), shown to leaders only with the final release, only for schools at or above
// commentMinGroupSize, masked, in a random order; respondents told before they submit.

using namespace mindset;
using namespace std::chrono;
using testing::encodeForm;
using testing::Reply;
using testing::TestSite;

namespace {

const std::string kSurvey = "/surveys/riverside-2026";
const std::string kComments = "/leader/surveys/riverside-2026/comments";
const std::string kPassword = "correct horse battery";
const std::string kField = "c.anything-else";

/// Submits the one-page form with a complete response and `comment`.
Reply submitWithComment(TestSite& site, const std::string& comment, const std::string& token = "0123456789abcdef0123456789abcdef",
                        const std::string& language = "en") {
    auto fields = testing::completeResponse(site.survey());
    fields.insert(fields.begin(), {{"csrf", site.csrf()}, {"submission", token}, {"lang", language}});
    fields.emplace_back(kField, comment);
    return site.post(kSurvey + "/responses", encodeForm(fields));
}

/// The rows `sql` selects, each of `columns` columns as text ("NULL" for null).
std::vector<std::vector<std::string>> rows(TestSite& site, const std::string& sql, int columns) {
    store::Connection connection(site.databaseFile().string());
    auto select = connection.prepare(sql);
    std::vector<std::vector<std::string>> result;
    while (select.step()) {
        std::vector<std::string> row;
        for (int c = 0; c < columns; ++c) row.push_back(select.isNull(c) ? "NULL" : select.columnText(c));
        result.push_back(row);
    }
    return result;
}

/// The value of the hidden field `name` in a page.
std::string hiddenField(const Reply& page, const std::string& name) {
    const auto marker = "name=\"" + name + "\" value=\"";
    const auto at = page.body.find(marker);
    if (at == std::string::npos) return {};
    const auto from = at + marker.size();
    return page.body.substr(from, page.body.find('"', from) - from);
}

std::string fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The index of a school among the demo survey's schools.
std::uint32_t schoolSlot(const surveys::SurveyDefinition& survey, const std::string& school) {
    const auto* question = surveys::commentGroupQuestion(survey);
    for (std::size_t i = 0; i < question->choices.size(); ++i)
        if (question->choices[i].id == school) return static_cast<std::uint32_t>(i + 1);
    FAIL("no school " + school);
    return 0;
}

void setSchool(const surveys::SurveyDefinition& survey, std::vector<std::uint8_t>& demographics, std::uint32_t slot) {
    const auto q = static_cast<std::size_t>(surveys::commentGroupQuestion(survey) - survey.demographics.data());
    for (int b = 0; b < 4; ++b) demographics[q * 4 + static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(slot >> (8 * b));
}

/// 300 demo responses: 15 at Cedar Elementary (shown in the profile at 10, below a comment
/// threshold of 20), 100 at Riverside Middle, the rest elsewhere. Each Cedar response comments
/// "Cedar comment N"; 12 Riverside Middle responses comment "Middle comment N" (with an e-mail address).
void seed(TestSite& site) {
    const auto& survey = site.survey();
    const auto cedar = schoolSlot(survey, "cedar-elementary"), middle = schoolSlot(survey, "riverside-middle"),
               lakeview = schoolSlot(survey, "lakeview-elementary");
    auto responses = demo::generateResponses(survey, 300, 11);
    for (std::size_t i = 0; i < responses.size(); ++i) {
        auto& response = responses[i];
        const auto q = static_cast<std::size_t>(surveys::commentGroupQuestion(survey) - survey.demographics.data());
        const auto generated = static_cast<std::uint32_t>(response.demographics[q * 4]);
        setSchool(survey, response.demographics, i < 15 ? cedar : i < 115 ? middle : generated == cedar || generated == middle ? lakeview : generated);
        store::Submission submission{survey.storeId, response.demographics, response.answers, store::sha256Hex("seed" + std::to_string(i)), "", "", {}};
        const auto group = surveys::commentGroupKey(survey, response.demographics);
        if (i < 15) submission.comments.push_back({"anything-else", group, "Cedar comment " + std::to_string(i)});
        if (i >= 15 && i < 27) submission.comments.push_back({"anything-else", group, "Middle comment " + std::to_string(i - 15) + " [email]"});
        REQUIRE(site.store().submit(std::move(submission)) == store::SubmitResult::Stored);
    }
}

std::unique_ptr<TestSite> leaderSite(int commentMinimum) {
    auto site = std::make_unique<TestSite>([commentMinimum](surveys::SurveyDefinition& s) { s.commentMinGroupSize = commentMinimum; });
    REQUIRE(site->store().createAccount({0, "leader", auth::hashPassword(kPassword), std::string("riverside-isd"), "2026-08-15"}));
    REQUIRE(site->signIn("leader", kPassword).status == 303);
    return site;
}

}  // namespace

TEST_CASE("a comment is stored apart from its response: its own random id, the school only, masked, no time", "[http][privacy][comments][sqlite]") {
    TestSite site;
    const auto reply = submitWithComment(site, "  The PD helped.\r\nCall me at (512) 555-0134 or ana.ruiz@riverside.org, see www.example.org  ");
    REQUIRE(reply.status == 303);
    REQUIRE(site.storedResponses() == 1);
    REQUIRE(site.store().countComments(site.survey().storeId) == 1);

    // The table holds nothing else: no response id, no time, no demographic answer but the school.
    const auto columns = rows(site, "SELECT name FROM pragma_table_info('comments') ORDER BY cid", 1);
    CHECK(columns == std::vector<std::vector<std::string>>{{"id"}, {"survey_id"}, {"question_id"}, {"group_key"}, {"text"}, {"release_number"}});
    const auto comments = rows(site, "SELECT id, question_id, group_key, text, release_number FROM comments", 5);
    REQUIRE(comments.size() == 1);
    CHECK(comments[0][1] == "anything-else");
    CHECK(comments[0][2] == "riverside-middle");  // completeResponse's school; its role and race are not kept
    CHECK(comments[0][3] == "The PD helped.\nCall me at [phone] or [email], see [web]");
    CHECK(comments[0][4] == "NULL");
    const auto responseIds = rows(site, "SELECT id FROM responses", 1);
    CHECK(responseIds[0][0] != comments[0][0]);
    // Nothing of the comment lingers next to the response in the write-ahead log.
    const auto db = site.databaseFile().string();
    CHECK(fileBytes(db + "-wal").find("The PD helped") == std::string::npos);
    CHECK(fileBytes(db).find("555-0134") == std::string::npos);
    CHECK(fileBytes(db).find("ana.ruiz") == std::string::npos);

    // A repeated submit stores neither the response nor the comment again.
    REQUIRE(submitWithComment(site, "The PD helped.").status == 303);
    CHECK(site.store().countComments(site.survey().storeId) == 1);
}

TEST_CASE("respondents are told before they submit that comments are shown word for word, in both languages", "[http][comments]") {
    TestSite site;
    const auto english = site.get(kSurvey + "/all?lang=en");
    CHECK(english.contains("Comments are shown to district leaders word for word."));
    CHECK(english.contains("Please do not name anyone"));
    CHECK(english.contains("name=\"c.anything-else\""));
    CHECK(english.contains("maxlength=\"2000\""));
    // The notice comes before the box, and the box before the submit button.
    CHECK(english.body.find("word for word") < english.body.find("<textarea"));
    CHECK(english.body.find("<textarea") < english.body.rfind("value=\"submit\""));  // the visible button, not the hidden default
    const auto spanish = site.get(kSurvey + "/all?lang=es");
    CHECK(spanish.contains("Los líderes del distrito verán los comentarios palabra por palabra."));
    CHECK(spanish.contains("no nombre a nadie"));
    CHECK(spanish.contains("Hasta 2000 caracteres."));
}

TEST_CASE("a comment longer than its limit is refused with its length, in English and Spanish, and nothing is stored", "[http][comments]") {
    TestSite site;
    const auto tooLong = submitWithComment(site, std::string(2001, 'a'));
    CHECK(tooLong.status == 400);
    CHECK(tooLong.contains("This comment is 2001 characters long, more than this box accepts"));
    const auto spanish = submitWithComment(site, std::string(2001, 'a'), "0123456789abcdef0123456789abcdee", "es");
    CHECK(spanish.status == 400);
    CHECK(spanish.contains("Este comentario tiene 2001 caracteres"));
    CHECK(site.storedResponses() == 0);
    CHECK(site.store().countComments(site.survey().storeId) == 0);

    // Characters, not bytes: 2,000 accented letters (4,000 bytes) fit.
    std::string accented;
    for (int i = 0; i < 2000; ++i) accented += "é";
    CHECK(submitWithComment(site, accented).status == 303);
    CHECK(site.store().countComments(site.survey().storeId) == 1);
}

TEST_CASE("crafted comment fields are refused: sent twice, or bytes that are not text", "[http][comments]") {
    TestSite site;
    auto fields = testing::completeResponse(site.survey());
    fields.insert(fields.begin(), {{"csrf", site.csrf()}, {"submission", "0123456789abcdef0123456789abcdef"}, {"lang", "en"}});
    fields.emplace_back(kField, "one");
    fields.emplace_back(kField, "two");
    CHECK(site.post(kSurvey + "/responses", encodeForm(fields)).status == 400);
    const auto notText = submitWithComment(site, std::string("caf\xC3", 4));
    CHECK(notText.status == 400);
    CHECK(notText.contains("c.anything-else"));
    CHECK(notText.contains("is not valid UTF-8 text."));
    CHECK(site.storedResponses() == 0);
}

TEST_CASE("a comment typed in the page flow is sealed in the draft, survives a language switch, is shown on the review page and stored once", "[http][comments][sqlite]") {
    TestSite site;
    REQUIRE(site.post(kSurvey + "/start", encodeForm({{"csrf", site.csrf()}, {"lang", "en"}})).status == 303);
    REQUIRE(site.post(kSurvey + "/pages/1", encodeForm({{"csrf", site.csrf()}, {"lang", "en"}, {"action", "next"},
                                                        {"d.school", "eastside-high"}, {"d.role", "teacher"}})).status == 303);
    const auto last = site.survey().pageCount();
    const auto lastPath = kSurvey + "/pages/" + std::to_string(last);
    const std::string comment = "Secret words about the schedule";
    auto switched = site.post(lastPath, encodeForm({{"csrf", site.csrf()}, {"lang", "en"}, {"action", "language:es"}, {kField, comment}}));
    REQUIRE(switched.status == 303);
    const auto spanish = site.get(switched.header("Location"));
    CHECK(spanish.contains("Comentarios"));
    CHECK(spanish.contains(comment + "</textarea>"));
    // The draft is sealed: its bytes do not hold the comment.
    const auto drafts = rows(site, "SELECT hex(sealed) FROM drafts", 1);
    REQUIRE(drafts.size() == 1);
    std::string hexComment;
    for (const unsigned char c : comment) {
        char two[3];
        std::snprintf(two, sizeof two, "%02X", c);
        hexComment += two;
    }
    CHECK(drafts[0][0].find(hexComment) == std::string::npos);

    // Submitting with items skipped goes to the review, which shows the comment and the rule again.
    const auto submit = site.post(lastPath, encodeForm({{"csrf", site.csrf()}, {"lang", "es"}, {"action", "submit"}, {"i.continuous-improvement.ci01", "3"}, {kField, comment}}));
    REQUIRE(submit.status == 303);
    const auto review = site.get(submit.header("Location"));
    CHECK(review.contains(comment + "</blockquote>"));
    CHECK(review.contains("palabra por palabra"));
    REQUIRE(site.store().countComments(site.survey().storeId) == 0);
    const auto reviewed =
        site.post(kSurvey + "/review", encodeForm({{"csrf", site.csrf()}, {"lang", "es"}, {"submission", hiddenField(review, "submission")}}));
    CHECK(reviewed.status == 303);
    CHECK(site.storedResponses() == 1);
    const auto stored = rows(site, "SELECT text FROM comments", 1);
    REQUIRE(stored.size() == 1);
    CHECK(stored[0][0] == comment);
    CHECK(rows(site, "SELECT group_key FROM comments", 1)[0][0] == "eastside-high");
}

TEST_CASE("leaders see comments only with the final release, only for schools at or above the comment threshold, masked and shuffled", "[http][releases][privacy][comments]") {
    auto site = leaderSite(20);
    seed(*site);

    // No release yet; then an interim release: no comment anywhere.
    CHECK(site->get(kComments).contains("No results have been released for this survey yet"));
    site->publishRelease();
    const auto interim = site->get(kComments + "?lang=en");
    REQUIRE(interim.status == 200);
    CHECK(interim.contains("Comments are shown with the final release, after the survey closes on 2027-06-30"));
    CHECK_FALSE(interim.contains("Middle comment"));
    CHECK_FALSE(interim.contains("Cedar comment"));
    CHECK(site->get("/leader/surveys/riverside-2026?lang=en").contains("/leader/surveys/riverside-2026/comments?lang=en"));

    // The survey closes: the final release shows Riverside Middle's comments, Cedar's only as hidden.
    site->setToday(2027y / July / 2d);
    const auto final = site->get(kComments + "?lang=en");
    REQUIRE(final.status == 200);
    CHECK(final.contains("Release 2 (final)"));
    CHECK_FALSE(final.contains("Cedar comment"));
    std::vector<std::size_t> order;
    for (int i = 0; i < 12; ++i) {
        const auto at = final.body.find("Middle comment " + std::to_string(i) + " [email]</blockquote>");
        CHECK(at != std::string::npos);
        order.push_back(at);
    }
    CHECK_FALSE(std::is_sorted(order.begin(), order.end()));  // not in submission order (1 in 479 million by chance)
    CHECK(final.contains("12 comments."));
    // Cedar Elementary's heading is followed by "hidden", nothing else.
    const auto cedar = final.body.find(">Cedar Elementary School</h3>");
    REQUIRE(cedar != std::string::npos);
    CHECK(final.body.substr(cedar, 120).find("hidden") != std::string::npos);
    // Only schools: never race/ethnicity or role.
    CHECK_FALSE(final.contains("Asian"));
    CHECK_FALSE(final.contains("Teacher"));

    // The first release, an interim one, still shows none.
    CHECK(site->get(kComments + "?release=1").contains("Comments are shown with the final release"));

    const auto spanish = site->get(kComments + "?lang=es");
    CHECK(spanish.contains("<h1>Comentarios:"));
    CHECK(spanish.contains("Middle comment 0 [correo]</blockquote>"));
    CHECK(spanish.contains("oculto"));

    // With the default threshold (10), Cedar's 15 respondents show its comments too.
    auto lower = leaderSite(10);
    seed(*lower);
    lower->setToday(2027y / July / 2d);
    CHECK(lower->get(kComments).contains("Cedar comment 3</blockquote>"));
}

TEST_CASE("comments are shown to signed-in leaders of the district only", "[http][privacy][comments]") {
    TestSite site;
    CHECK(site.get(kComments).status == 303);
    REQUIRE(site.store().createAccount({0, "other", auth::hashPassword(kPassword), std::string("pecan-grove-isd"), "2026-08-15"}));
    REQUIRE(site.signIn("other", kPassword).status == 303);
    CHECK(site.get(kComments).status == 404);
}
