#include <catch2/catch.hpp>

#include "store/DraftSeal.h"
#include "store/Store.h"
#include "store/Tokens.h"
#include "web/DraftLimits.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

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

TEST_CASE("a store that keeps drafts in memory reads each as it last wrote it, and never one submitted or expired", "[unit][sqlite]") {
    testing::TempFolder folder;
    const auto file = (folder.path() / "mindset.sqlite").string();
    store::Store store(file);
    store.keepDraftsInMemory();
    const auto surveyId = store.saveSurvey({"s", "d", "District", {{"a", "A"}}, "2026-2027", "{}", "{}"});
    const auto otherSurvey = store.saveSurvey({"t", "d", "District", {{"a", "A"}}, "2026-2027", "{}", "{}"});
    const auto token = store::sha256Hex("a respondent");
    REQUIRE(store.createDraft({token, surveyId, {1}}, "2027-01-01", 10));
    CHECK(store.findDraft(surveyId, token, "2026-12-01")->sealed == std::vector<std::uint8_t>{1});

    store.saveDraft(token, {2, 2});
    CHECK(store.findDraft(surveyId, token, "2026-12-01")->sealed == std::vector<std::uint8_t>{2, 2});
    CHECK_FALSE(store.findDraft(otherSurvey, token, "2026-12-01"));  // another survey's link
    CHECK_FALSE(store.findDraft(surveyId, token, "2027-01-01"));     // the day it expires

    // Written to the database too: a store opened later on the file finds the last save.
    CHECK(store::Store(file).findDraft(surveyId, token, "2026-12-01")->sealed == std::vector<std::uint8_t>{2, 2});

    // Kept in memory, read from memory: a write by another process is not seen, which is why
    // `mindset serve` holds its database alone (app/ServeLock.h).
    store::Store(file).saveDraft(token, {9});
    CHECK(store.findDraft(surveyId, token, "2026-12-01")->sealed == std::vector<std::uint8_t>{2, 2});

    REQUIRE(store.submit({surveyId, {1}, {1}, store::sha256Hex("submission"), "", token}) == store::SubmitResult::Stored);
    CHECK_FALSE(store.findDraft(surveyId, token, "2026-12-01"));

    const auto expiring = store::sha256Hex("another respondent");
    REQUIRE(store.createDraft({expiring, surveyId, {3}}, "2026-12-15", 10));
    CHECK(store.findDraft(surveyId, expiring, "2026-12-01"));
    CHECK(store.deleteExpiredDrafts("2026-12-15") == 1);
    CHECK_FALSE(store.findDraft(surveyId, expiring, "2026-12-01"));  // gone from memory as from the database
}

TEST_CASE("the drafts kept in memory are bounded: past the bound the first cached goes", "[unit]") {
    store::DraftCache cache;
    for (std::size_t i = 0; i <= store::DraftCache::kMaxDrafts; ++i) cache.put(std::to_string(i), {1, "2027-01-01", {1}});
    CHECK(cache.size() == store::DraftCache::kMaxDrafts);
    CHECK_FALSE(cache.find("0", 1, "2026-12-01"));
    CHECK(cache.find("1", 1, "2026-12-01"));
    CHECK(cache.find(std::to_string(store::DraftCache::kMaxDrafts), 1, "2026-12-01"));
    cache.erase("1");
    cache.put("new", {1, "2027-01-01", {1}});  // there was room: nothing goes
    CHECK(cache.size() == store::DraftCache::kMaxDrafts);
    CHECK(cache.find("2", 1, "2026-12-01"));
    cache.put("newer", {1, "2027-01-01", {1}});  // the oldest still cached goes, not the one erased before
    CHECK_FALSE(cache.find("2", 1, "2026-12-01"));
    CHECK(cache.find("3", 1, "2026-12-01"));
    CHECK(cache.find("newer", 1, "2026-12-01"));
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
