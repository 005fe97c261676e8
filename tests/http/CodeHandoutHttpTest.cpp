// Codes as they are really handed out (issue 14): a voided code (a lost or replaced sheet) is
// refused in English and Spanish and never counted; a code issued for a school fixes the
// respondent's school, so that participation (codes used per school) and results agree.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "auth/Passwords.h"
#include "store/Tokens.h"
#include "support/TestSite.h"

using namespace mindset;
using testing::completeResponse;
using testing::encodeForm;
using testing::TestSite;

namespace {

const std::string kSurvey = "/surveys/riverside-2026";

void useAccessCodes(surveys::SurveyDefinition& survey) { survey.access = surveys::Access::AccessCodes; }

std::string hashOf(const std::string& code) { return store::sha256Hex(store::normalizeAccessCode(code)); }

std::string issueCode(TestSite& site, const std::string& school) {
    const auto code = store::newAccessCode();
    site.store().addAccessCodes(site.survey().storeId, school, {hashOf(code)});
    return code;
}

testing::Reply startSurvey(TestSite& site, const std::string& code, const std::string& language = "en") {
    return site.post(kSurvey + "/start", encodeForm({{"csrf", site.csrf()}, {"lang", language}, {"code", code}}));
}

/// `fields` with the school question answered `school`.
surveys::FormFields withSchool(surveys::FormFields fields, const std::string& school) {
    for (auto& [name, value] : fields)
        if (name == "d.school") value = school;
    return fields;
}

/// Answers every page, choosing `school` on page 1, and submits.
testing::Reply answerAllPages(TestSite& site, const std::string& school) {
    const auto all = withSchool(completeResponse(site.survey()), school);
    const auto pages = site.survey().pageCount();
    for (std::size_t page = 1; page <= pages; ++page) {
        auto fields = surveys::pageAnswers(site.survey(), all, page);
        fields.insert(fields.begin(), {{"csrf", site.csrf()}, {"lang", "en"}, {"action", page == pages ? "submit" : "next"}});
        const auto reply = site.post(kSurvey + "/pages/" + std::to_string(page), encodeForm(fields));
        if (page < pages) REQUIRE(reply.status == 303);
        else return reply;
    }
    return {};
}

/// The school of every stored response.
std::vector<std::string> storedSchools(TestSite& site) {
    std::vector<std::string> schools;
    for (const auto& row : site.store().responses(site.survey().storeId)) {
        const auto decoded = surveys::decodeResponse(site.survey(), {row.demographics, row.answers});
        schools.push_back(decoded.demographics.at(0).empty() ? "" : decoded.demographics.at(0).front());
    }
    return schools;
}

}  // namespace

TEST_CASE("a voided code is refused with a clear message, in English and in Spanish", "[http]") {
    TestSite site(useAccessCodes);
    REQUIRE(site.survey().demographics.at(0).id == "school");
    const auto code = issueCode(site, "maple-elementary");
    REQUIRE(site.store().voidAccessCodes(site.survey().storeId, {hashOf(code)}) ==
            std::vector<store::CodeState>{store::CodeState::Unused});

    const auto english = startSurvey(site, code);
    CHECK(english.status == 410);
    CHECK(english.contains("This access code was cancelled by your survey coordinator"));
    CHECK(english.contains("Ask them for a new code."));
    const auto spanish = startSurvey(site, code, "es");
    CHECK(spanish.status == 410);
    CHECK(spanish.contains("La persona que coordina la encuesta anuló este código de acceso"));
    CHECK_FALSE(site.cookies().count("mindset_draft_riverside-2026"));
    CHECK(site.storedResponses() == 0);
}

TEST_CASE("a code voided while its respondent answers stores nothing on submit, and the draft is kept", "[http]") {
    TestSite site(useAccessCodes);
    const auto code = issueCode(site, "maple-elementary");
    REQUIRE(startSurvey(site, code).status == 303);
    site.store().voidAccessCodes(site.survey().storeId, {hashOf(code)});

    const auto submitted = answerAllPages(site, "maple-elementary");
    CHECK(submitted.status == 410);
    CHECK(submitted.contains("This access code was cancelled by your survey coordinator"));
    CHECK(site.storedResponses() == 0);
    CHECK(site.store().accessCodeState(site.survey().storeId, hashOf(code)) == store::CodeState::Voided);
    CHECK(site.store().countDrafts(site.survey().storeId) == 1);
}

TEST_CASE("a code issued for a school fixes the respondent's school: it is shown, not offered", "[http]") {
    TestSite site(useAccessCodes);
    const auto code = issueCode(site, "cedar-elementary");
    REQUIRE(startSurvey(site, code).status == 303);

    const auto first = site.get(kSurvey + "/pages/1?lang=en");
    CHECK(first.contains("<p class=\"fixed-answer\"><strong>Cedar Elementary School</strong></p>"));
    CHECK(first.contains("Your access code was issued for this school, so it is filled in for you."));
    CHECK_FALSE(first.contains("name=\"d.school\""));  // no other school to pick
    CHECK(first.contains("name=\"d.role\""));           // the other questions are asked as always
    const auto spanish = site.get(kSurvey + "/pages/1?lang=es");
    CHECK(spanish.contains("Su código de acceso se emitió para esta escuela"));

    // A hand-made POST naming another school changes nothing: the code's school is stored.
    REQUIRE(answerAllPages(site, "maple-elementary").status == 303);
    CHECK(storedSchools(site) == std::vector<std::string>{"cedar-elementary"});
    for (const auto& count : site.store().accessCodeCounts(site.survey().storeId))
        CHECK(count.used == (count.schoolSlug == "cedar-elementary" ? 1 : 0));
}

TEST_CASE("the one-page form takes the code's school when none is chosen, and refuses another", "[http]") {
    TestSite site(useAccessCodes);
    const auto code = issueCode(site, "cedar-elementary");
    const auto submit = [&](const std::optional<std::string>& school) {
        auto fields = completeResponse(site.survey());
        std::erase_if(fields, [](const auto& field) { return field.first == "d.school"; });
        if (school) fields.emplace_back("d.school", *school);
        fields.insert(fields.begin(), {{"csrf", site.csrf()}, {"lang", "en"}, {"code", code}, {"action", "submit"},
                                       {"submission", store::randomToken()}});
        return site.post(kSurvey + "/responses", encodeForm(fields));
    };
    const auto other = submit("maple-elementary");
    CHECK(other.status == 400);
    CHECK(other.contains("Your access code was issued for Cedar Elementary School, not for the school you chose."));
    CHECK(site.storedResponses() == 0);
    CHECK(site.store().accessCodeState(site.survey().storeId, hashOf(code)) == store::CodeState::Unused);

    CHECK(submit(std::nullopt).status == 303);
    CHECK(storedSchools(site) == std::vector<std::string>{"cedar-elementary"});
}

TEST_CASE("voided codes do not count in the response rate's denominator", "[http][participation]") {
    TestSite site(useAccessCodes);
    REQUIRE(site.store().createAccount({0, "leader", auth::hashPassword("correct horse battery"), std::nullopt, "2026-08-15"}));
    REQUIRE(site.signIn("leader", "correct horse battery").status == 303);
    std::vector<std::string> lost, kept;
    for (int i = 0; i < 6; ++i) lost.push_back(hashOf(store::newAccessCode()));
    for (int i = 0; i < 4; ++i) kept.push_back(hashOf(store::newAccessCode()));
    const auto lostBatch = site.store().addAccessCodes(site.survey().storeId, "maple-elementary", lost, "2026-11-20");
    site.store().addAccessCodes(site.survey().storeId, "maple-elementary", kept, "2026-11-23");
    REQUIRE(site.store().voidAccessCodeBatch(site.survey().storeId, lostBatch));

    const auto data = nlohmann::json::parse(site.get("/api/surveys/riverside-2026/participation").body);
    for (const auto& row : data["schools"])
        if (row["id"] == "maple-elementary") CHECK(row["expected"] == 4);
    CHECK(data["district"]["expected"] == 4);
}
