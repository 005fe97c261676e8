#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <regex>

#include "auth/LoginThrottle.h"
#include "store/ResumeCode.h"
#include "store/Tokens.h"
#include "support/TestSite.h"

// Issue 12, item 4: a resume code, shown once, continues a draft on another device; the store keeps
// only its hash and the draft's token wrapped under it; wrong codes are bounded per client.

using namespace mindset;
using surveys::pageAnswers;
using testing::completeResponse;
using testing::encodeForm;
using testing::TestSite;

namespace {

const std::string kSurvey = "/surveys/riverside-2026";
const std::string kDraftCookie = "mindset_draft_riverside-2026";

testing::Reply postPage(TestSite& site, std::size_t page, surveys::FormFields answers, const std::string& action) {
    answers.insert(answers.begin(), {{"csrf", site.csrf()}, {"lang", "en"}, {"action", action}});
    return site.post(kSurvey + "/pages/" + std::to_string(page), encodeForm(answers));
}

testing::Reply askForCode(TestSite& site, const std::string& language = "en") {
    return site.post(kSurvey + "/resume-code", encodeForm({{"csrf", site.csrf()}, {"lang", language}}));
}

testing::Reply resume(TestSite& site, const std::string& code, const std::string& language = "en") {
    return site.post(kSurvey + "/resume", encodeForm({{"csrf", site.csrf()}, {"lang", language}, {"resumeCode", code}}));
}

/// The code a resume-code page shows, or empty.
std::string shownCode(const testing::Reply& reply) {
    static const std::regex code(R"(<strong>([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})</strong>)");
    std::smatch match;
    return std::regex_search(reply.body, match, code) ? match[1].str() : std::string();
}

/// Another device: no cookie of this one (a fresh CSRF cookie comes with its first page).
void switchDevice(TestSite& site) { site.cookies().clear(); }

std::string everyFileByte(const TestSite& site) {
    std::string bytes;
    for (const auto& suffix : {"", "-wal", "-shm"}) {
        std::ifstream in(site.databaseFile().string() + suffix, std::ios::binary);
        bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return bytes;
}

/// A survey started on this device with the first page and half the second answered, left on page 2.
surveys::FormFields startAndAnswerSome(TestSite& site) {
    REQUIRE(site.post(kSurvey + "/start", encodeForm({{"csrf", site.csrf()}, {"lang", "en"}})).status == 303);
    const auto all = completeResponse(site.survey());
    REQUIRE(postPage(site, 1, pageAnswers(site.survey(), all, 1), "next").status == 303);
    const auto page2 = pageAnswers(site.survey(), all, 2);
    surveys::FormFields some(page2.begin(), page2.begin() + 5);
    REQUIRE(postPage(site, 2, some, "later").status == 200);
    return some;
}

}  // namespace

TEST_CASE("saving for later offers a resume code, shown once, kept only as a hash with the token wrapped", "[http][resume]") {
    TestSite site;
    startAndAnswerSome(site);
    const auto saved = postPage(site, 2, {}, "later");
    CHECK(saved.contains("Continue on another device"));
    CHECK(saved.contains(R"(action="/surveys/riverside-2026/resume-code")"));

    const auto page = askForCode(site);
    REQUIRE(page.status == 200);
    const auto code = shownCode(page);
    REQUIRE(code.size() == 23);
    CHECK(page.header("Cache-Control") == "no-store");
    CHECK(page.contains("It is shown only now"));
    CHECK(page.contains("Do not share it"));
    CHECK(site.store().countResumeCodes(site.survey().storeId) == 1);

    // Nothing in the database, its log or its shared memory holds the code or the draft's token in
    // clear; only its hash (under its own context, not the SHA-256 used for other tokens).
    const auto bytes = everyFileByte(site);
    const auto normalized = store::normalizeResumeCode(code);
    CHECK(bytes.find(code) == std::string::npos);
    CHECK(bytes.find(normalized) == std::string::npos);
    CHECK(bytes.find(site.cookies().at(kDraftCookie)) == std::string::npos);
    CHECK(bytes.find(store::sha256Hex(normalized)) == std::string::npos);

    // Asking again shows a new code and the first one stops working: one code per draft.
    const auto second = shownCode(askForCode(site));
    REQUIRE(!second.empty());
    CHECK(second != code);
    CHECK(site.store().countResumeCodes(site.survey().storeId) == 1);
    switchDevice(site);
    CHECK(resume(site, code).status == 400);

    // In Spanish.
    switchDevice(site);
    startAndAnswerSome(site);
    const auto spanish = askForCode(site, "es");
    CHECK(spanish.contains("Su código de reanudación"));
    CHECK(spanish.contains("No lo comparta"));
    CHECK(shownCode(spanish).size() == 23);
}

TEST_CASE("a resume code continues the draft on another device at the page it was left on, once", "[http][resume]") {
    TestSite site;
    const auto answered = startAndAnswerSome(site);
    const auto code = shownCode(askForCode(site));
    REQUIRE(!code.empty());

    // The other device: the landing page offers the field in both languages.
    switchDevice(site);
    const auto landing = site.get(kSurvey + "?lang=en");
    CHECK(landing.contains(R"(<label for="resume-code">Resume code</label>)"));
    CHECK(site.get(kSurvey + "?lang=es").contains(R"(<label for="resume-code">Código de reanudación</label>)"));
    CHECK(landing.body.find("<details class=\"resume-elsewhere\"") > landing.body.find("class=\"start\""));

    // Typed the way people type: lower case, spaces instead of dashes, O for 0.
    std::string typed;
    for (char c : code) typed.push_back(c == '-' ? ' ' : c == '0' ? 'o' : static_cast<char>(std::tolower(c)));
    const auto resumed = resume(site, typed);
    REQUIRE(resumed.status == 303);
    CHECK(resumed.header("Location") == kSurvey + "/pages/2?lang=en");
    REQUIRE(site.cookies().count(kDraftCookie) == 1);
    const auto page2 = site.get(kSurvey + "/pages/2?lang=en");
    for (const auto& [name, value] : answered) CHECK(page2.contains(R"(name=")" + name + R"(" value=")" + value + R"(" checked>)"));
    CHECK(site.store().countResumeCodes(site.survey().storeId) == 0);

    // Used once: a third device cannot use it again.
    const auto deviceB = site.cookies();
    switchDevice(site);
    const auto again = resume(site, code);
    CHECK(again.status == 400);
    CHECK(again.contains("This resume code does not open any saved answers"));

    // The second device finishes; the response is stored once and the draft (with any code) is gone.
    site.cookies() = deviceB;
    const auto all = completeResponse(site.survey());
    for (std::size_t page = 2; page <= site.survey().pageCount(); ++page) {
        const bool isLast = page == site.survey().pageCount();
        auto answers = pageAnswers(site.survey(), all, page);
        if (isLast) answers.push_back({"submission", store::sha256Hex("submission:" + site.cookies().at(kDraftCookie)).substr(0, 32)});
        const auto reply = postPage(site, page, answers, isLast ? "submit" : "next");
        REQUIRE(reply.status == 303);
        if (isLast) CHECK(reply.header("Location") == kSurvey + "/thanks?lang=en");
    }
    CHECK(site.storedResponses() == 1);
    CHECK(site.store().countDrafts(site.survey().storeId) == 0);
}

TEST_CASE("a resume code asks before its answers replace the answers saved on this device", "[http][resume]") {
    TestSite site;
    startAndAnswerSome(site);  // device A, left on page 2
    const auto code = shownCode(askForCode(site));
    REQUIRE(!code.empty());

    // Device B has answers of its own, left on page 1.
    switchDevice(site);
    REQUIRE(site.post(kSurvey + "/start", encodeForm({{"csrf", site.csrf()}, {"lang", "es"}})).status == 303);
    const auto ownDraft = site.cookies().at(kDraftCookie);

    const auto asked = resume(site, code, "es");
    REQUIRE(asked.status == 200);
    CHECK(asked.contains("¿Reemplazar las respuestas guardadas en este dispositivo?"));
    CHECK(asked.contains(R"(name="replaceDraft" value="yes")"));
    CHECK(asked.contains(R"(name="resumeCode" value=")" + code + "\""));
    CHECK(asked.contains(R"(href="/surveys/riverside-2026/pages/1?lang=es")"));  // keeping them goes back to them
    CHECK(site.cookies().at(kDraftCookie) == ownDraft);
    CHECK(site.store().countResumeCodes(site.survey().storeId) == 1);  // the code was not used by asking

    // Confirmed: the code's draft takes this device, at the page it was left on.
    const auto confirmed = site.post(kSurvey + "/resume", encodeForm({{"csrf", site.csrf()}, {"lang", "es"}, {"resumeCode", code},
                                                                      {"replaceDraft", "yes"}}));
    REQUIRE(confirmed.status == 303);
    CHECK(confirmed.header("Location") == kSurvey + "/pages/2?lang=es");
    CHECK(site.cookies().at(kDraftCookie) != ownDraft);
    CHECK(site.store().countResumeCodes(site.survey().storeId) == 0);
}

TEST_CASE("a wrong or mistyped resume code is refused on the landing page in both languages, and nothing changes", "[http][resume]") {
    TestSite site;
    startAndAnswerSome(site);
    const auto code = shownCode(askForCode(site));
    switchDevice(site);

    const auto wrong = resume(site, store::newResumeCode());
    CHECK(wrong.status == 400);
    CHECK(wrong.contains(R"(<p class="error" id="resume-code-error">This resume code does not open any saved answers.)"));
    CHECK(wrong.contains("<details class=\"resume-elsewhere\" open>"));
    CHECK(wrong.contains(R"(aria-invalid="true")"));
    CHECK(site.cookies().count(kDraftCookie) == 0);

    const auto mistyped = resume(site, "7KQ2M-9XD4H");
    CHECK(mistyped.status == 400);
    CHECK(mistyped.contains("A resume code has 20 letters and digits, in four groups of five."));
    CHECK(mistyped.contains(R"(value="7KQ2M-9XD4H")"));
    CHECK(resume(site, "").contains("Please enter your resume code."));

    const auto spanish = resume(site, store::newResumeCode(), "es");
    CHECK(spanish.status == 400);
    CHECK(spanish.contains("Este código de reanudación no abre ninguna respuesta guardada."));
    CHECK(resume(site, "abc", "es").contains("Un código de reanudación tiene 20 letras y dígitos"));

    // The right code still works after the wrong ones.
    CHECK(site.store().countResumeCodes(site.survey().storeId) == 1);
    CHECK(resume(site, code).status == 303);
}

TEST_CASE("wrong resume codes from one address are bounded as failed sign-ins are", "[http][resume]") {
    TestSite site;
    startAndAnswerSome(site);
    const auto code = shownCode(askForCode(site));
    switchDevice(site);

    // Mistyped codes (wrong length) are not guesses and do not count.
    for (int i = 0; i < 30; ++i) REQUIRE(resume(site, "TOO-SHORT").status == 400);
    for (int i = 0; i < auth::LoginThrottle::kAddressFailures; ++i) REQUIRE(resume(site, store::newResumeCode()).status == 400);
    const auto locked = resume(site, store::newResumeCode());
    CHECK(locked.status == 429);
    CHECK(!locked.header("Retry-After").empty());
    CHECK(locked.contains("Too many wrong resume codes"));
    CHECK(resume(site, store::newResumeCode(), "es").contains("Demasiados códigos de reanudación incorrectos"));
    // While locked even the right code waits, and is not used up.
    CHECK(resume(site, code).status == 429);
    CHECK(site.store().countResumeCodes(site.survey().storeId) == 1);
}

TEST_CASE("asking for a resume code without a draft leads back to the landing page", "[http][resume]") {
    TestSite site;
    const auto reply = askForCode(site);
    CHECK(reply.status == 303);
    CHECK(reply.header("Location") == kSurvey + "?lang=en&resume=missing");
    CHECK(site.store().countResumeCodes(site.survey().storeId) == 0);
}
