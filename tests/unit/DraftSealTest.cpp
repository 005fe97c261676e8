#include <catch2/catch.hpp>

#include "store/DraftSeal.h"
#include "store/Store.h"
#include "store/Tokens.h"
#include "web/DraftLimits.h"
#include "support/TestDatabase.h"

using namespace mindset;

TEST_CASE("a draft sealed with its cookie token opens only with that token, and says nothing in clear", "[unit]") {
    const auto token = store::randomToken();
    const std::string text = R"({"code":"abc","fields":{"d.role":["school-leader"]}})";
    const auto sealed = store::sealDraft(token, text);
    const std::string bytes(sealed.begin(), sealed.end());
    CHECK(bytes.find("school-leader") == std::string::npos);
    CHECK(bytes.find(store::sha256Hex(token)) == std::string::npos);
    CHECK(store::openDraft(token, sealed) == text);
    CHECK(store::sealDraft(token, text) != sealed);  // a new nonce each time

    CHECK_FALSE(store::openDraft(store::randomToken(), sealed));
    auto altered = sealed;
    altered.back() ^= 1;
    CHECK_FALSE(store::openDraft(token, altered));
    CHECK_FALSE(store::openDraft(token, {}));
}

TEST_CASE("the store keeps at most the given number of drafts per survey", "[unit]") {
    store::Store store(testing::storeLocation());
    const auto surveyId = store.saveSurvey({"s", "d", "District", {{"a", "A"}}, "2026-2027", "{}", "{}"});
    for (int i = 0; i < 2; ++i)
        CHECK(store.createDraft({store::sha256Hex(std::to_string(i)), surveyId, {1, 2, 3}}, "2027-01-01", 2));
    CHECK_FALSE(store.createDraft({store::sha256Hex("third"), surveyId, {1, 2, 3}}, "2027-01-01", 2));
    CHECK(store.countDrafts(surveyId) == 2);
    CHECK_FALSE(store.findDraft(surveyId, store::sha256Hex("third"), "2026-12-01"));
    CHECK(store.findDraft(surveyId, store::sha256Hex("0"), "2026-12-01")->sealed == std::vector<std::uint8_t>{1, 2, 3});
}

TEST_CASE("new drafts per client are limited over an hour, and a refused client is not forgotten early", "[unit]") {
    web::NewDraftLimit::Clock::time_point now{std::chrono::hours(100)};
    web::NewDraftLimit limit(2, [&now] { return now; });
    CHECK(limit.tryStart("10.0.0.1"));
    CHECK(limit.tryStart("10.0.0.1"));
    CHECK_FALSE(limit.tryStart("10.0.0.1"));
    CHECK(limit.tryStart("10.0.0.2"));  // another client has its own count
    now += web::NewDraftLimit::kWindow;
    CHECK(limit.tryStart("10.0.0.1"));
}

TEST_CASE("a survey's draft cap is three per expected respondent when staff counts are known", "[unit]") {
    surveys::SurveyDefinition survey;
    auto named = [](const char* name) { return sdk::LocalizedText{{{"en", name}}}; };
    survey.schools = {{"a", named("A"), 40}, {"b", named("B"), 60}};
    CHECK(web::maxDraftsFor(survey) == 300);
    survey.schools.push_back({"c", named("C"), std::nullopt});
    CHECK(web::maxDraftsFor(survey) == web::kMaxDraftsPerSurvey);
}
