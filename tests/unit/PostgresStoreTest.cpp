// The PostgreSQL backend of the store (store/PostgresDatabase.h). The first cases need no server.
// The hidden [.postgresql] cases need one (MINDSET_TEST_POSTGRESQL; CTest starts a throwaway
// server for them) and check what only several hosts on one database can break: two Store objects
// on one database stand for two `mindset serve` processes.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string_view>
#include <thread>

#include "store/PostgresDatabase.h"
#include "store/Store.h"
#include "store/Tokens.h"
#include "support/TestDatabase.h"

namespace mindset::embedded {
const std::map<std::string_view, std::string_view>& migrations();
const std::map<std::string_view, std::string_view>& postgresqlMigrations();
}  // namespace mindset::embedded

using namespace mindset;

namespace {

store::SurveyRecord surveyRecord() {
    return {"survey-2026", "district", "District", {{"north", "North School"}, {"south", "South School"}}, "2026-2027",
            "{}", R"({"items":["x@1.0.0/a"]})"};
}

store::Submission submissionWith(std::int64_t surveyId, const std::string& token, const std::string& code) {
    store::Submission submission;
    submission.surveyId = surveyId;
    submission.demographics = {1, 0, 0, 0};
    submission.answers = {4};
    submission.submissionTokenHash = store::sha256Hex(token);
    submission.codeHash = code.empty() ? "" : store::sha256Hex(code);
    return submission;
}

void requireServer() {
    INFO("set MINDSET_TEST_POSTGRESQL to a postgresql:// URI, or run these through ctest -L postgresql");
    REQUIRE(testing::isTestingPostgresql());
}

}  // namespace

TEST_CASE("every SQLite migration has a PostgreSQL twin under the same name, and no twin lacks its original", "[unit]") {
    std::set<std::string_view> sqlite, postgresql;
    for (const auto& [name, sql] : embedded::migrations()) sqlite.insert(name);
    for (const auto& [name, sql] : embedded::postgresqlMigrations()) postgresql.insert(name);
    for (const auto& name : sqlite) {
        INFO("host/store/migrations/" << name << " needs a twin in host/store/migrations/postgresql/ (docs/postgresql.md)");
        CHECK(postgresql.count(name) == 1);
    }
    for (const auto& name : postgresql) {
        INFO("host/store/migrations/postgresql/" << name << " has no SQLite original of that name");
        CHECK(sqlite.count(name) == 1);
    }
}

TEST_CASE("SQLite placeholders are written as PostgreSQL's, outside quotes and comments", "[unit]") {
    CHECK(store::postgresPlaceholders("SELECT a FROM t WHERE b = ?1 AND c = ?12") == "SELECT a FROM t WHERE b = $1 AND c = $12");
    CHECK(store::postgresPlaceholders("SELECT '?1', \"?2\" -- ?3\nFROM t WHERE x = ?4") == "SELECT '?1', \"?2\" -- ?3\nFROM t WHERE x = $4");
    CHECK_THROWS_WITH(store::postgresPlaceholders("SELECT a FROM t WHERE b = ?"), Catch::Contains("a bare ? has no PostgreSQL spelling"));
}

TEST_CASE("a database location is PostgreSQL only by its scheme, and is shown without its password", "[unit]") {
    CHECK(store::databaseKindOf("postgresql://mindset@db:5432/mindset") == store::DatabaseKind::Postgresql);
    CHECK(store::databaseKindOf("postgres://db/mindset") == store::DatabaseKind::Postgresql);
    CHECK(store::databaseKindOf("data/mindset.sqlite") == store::DatabaseKind::Sqlite);
    CHECK(store::databaseKindOf(":memory:") == store::DatabaseKind::Sqlite);
    CHECK(store::displayLocation("postgresql://mindset:s3cret@db:5432/mindset") == "postgresql://mindset@db:5432/mindset");
    CHECK(store::displayLocation("postgresql://mindset@db/mindset?password=s3cret&sslmode=require") ==
          "postgresql://mindset@db/mindset?sslmode=require");
}

TEST_CASE("an unreachable PostgreSQL server is refused with a message naming it, without its password", "[unit]") {
    // Port 1 on the loopback: nothing listens there, so the refusal is immediate.
    try {
        store::Store store("postgresql://mindset:s3cret@127.0.0.1:1/mindset?connect_timeout=2");
        FAIL("a store opened on a server that does not exist");
    } catch (const store::StoreError& e) {
        const std::string message = e.what();
        CHECK(message.find("opening database postgresql://mindset@127.0.0.1:1/mindset") != std::string::npos);
        CHECK(message.find("s3cret") == std::string::npos);
    }
}

TEST_CASE("PostgreSQL: the schema has nothing that could link a response to a person, a code, an address or a time",
          "[.postgresql]") {
    requireServer();
    const auto location = testing::storeLocation();
    store::Store store(location);
    const auto surveyId = store.saveSurvey(surveyRecord());
    for (int i = 0; i < 50; ++i) store.insertResponse(surveyId, std::vector<std::uint8_t>{1, 0, 0, 0}, std::vector<std::uint8_t>{5});

    auto inspect = store::openDatabase(location);
    auto columns = inspect->prepare(
        "SELECT column_name::text, COALESCE(column_default, '') FROM information_schema.columns "
        "WHERE table_name = 'responses' ORDER BY ordinal_position");
    std::vector<std::string> names;
    while (columns.step()) {
        names.push_back(columns.columnText(0));
        CHECK(columns.columnText(1).empty());  // no default fills in a time (or anything) behind our back
    }
    CHECK(names == std::vector<std::string>{"id", "survey_id", "demographics", "answers", "release_number", "import_batch_id"});
    auto triggers = inspect->prepare("SELECT COUNT(*) FROM information_schema.triggers");
    REQUIRE(triggers.step());
    CHECK(triggers.columnInt64(0) == 0);

    // Ids are random: neither a sequence nor the order of insertion.
    auto ids = inspect->prepare("SELECT id FROM responses ORDER BY ctid");
    std::vector<std::int64_t> rowIds;
    while (ids.step()) rowIds.push_back(ids.columnInt64(0));
    testing::checkIdsRevealNoOrder(rowIds, 50);
}

TEST_CASE("PostgreSQL: two hosts starting at once on a new database migrate it once", "[.postgresql]") {
    requireServer();
    const auto location = testing::storeLocation();
    std::atomic<int> failures{0};
    std::mutex messagesMutex;
    std::string messages;
    std::vector<int> versions(4);
    std::vector<std::thread> hosts;
    for (int i = 0; i < 4; ++i)
        hosts.emplace_back([&, i] {
            try {
                store::Store store(location);
                versions[static_cast<std::size_t>(i)] = store.schemaVersion();
            } catch (const std::exception& e) {
                std::lock_guard lock(messagesMutex);
                messages += std::string(e.what()) + "\n";
                ++failures;
            }
        });
    for (auto& host : hosts) host.join();
    INFO(messages);
    CHECK(failures == 0);
    const int latest = std::stoi(std::string(embedded::postgresqlMigrations().rbegin()->first.substr(0, 3)));
    CHECK(versions == std::vector<int>(4, latest));
    store::Store store(location);
    CHECK(store.readinessProblem() == std::nullopt);
}

TEST_CASE("PostgreSQL: one access code posted to two hosts at the same moment stores exactly one response", "[.postgresql]") {
    requireServer();
    const auto location = testing::storeLocation();
    store::Store hostA(location);
    store::Store hostB(location);
    const auto surveyId = hostA.saveSurvey(surveyRecord());
    REQUIRE(hostB.saveSurvey(surveyRecord()) == surveyId);
    constexpr int kCodes = 40;
    std::vector<std::string> codeHashes;
    for (int c = 0; c < kCodes; ++c) codeHashes.push_back(store::sha256Hex("code-" + std::to_string(c)));
    hostA.addAccessCodes(surveyId, "north", codeHashes, "2026-12-03");

    // Every code is sent twice, with different submission tokens (two browsers), once to each host.
    std::atomic<int> stored{0}, refusedAsUsed{0}, other{0};
    std::vector<std::thread> browsers;
    for (int c = 0; c < kCodes; ++c)
        for (int side = 0; side < 2; ++side)
            browsers.emplace_back([&, c, side] {
                auto& host = side == 0 ? hostA : hostB;
                const auto result =
                    host.submit(submissionWith(surveyId, "browser-" + std::to_string(c) + "-" + std::to_string(side), "code-" + std::to_string(c)));
                if (result == store::SubmitResult::Stored) ++stored;
                else if (result == store::SubmitResult::CodeUsed) ++refusedAsUsed;
                else ++other;
            });
    for (auto& browser : browsers) browser.join();
    CHECK(stored == kCodes);
    CHECK(refusedAsUsed == kCodes);
    CHECK(other == 0);
    CHECK(hostA.countResponses(surveyId) == kCodes);
    CHECK(hostB.countResponses(surveyId) == kCodes);
    for (const auto& hash : codeHashes) CHECK(hostB.accessCodeState(surveyId, hash) == store::CodeState::Used);
    // Both browsers of code 0 send again, each to the other host: the one that was stored is
    // recognised by its submission token, the other still finds the code used; nothing is stored.
    std::multiset<store::SubmitResult> again{hostB.submit(submissionWith(surveyId, "browser-0-0", "code-0")),
                                             hostA.submit(submissionWith(surveyId, "browser-0-1", "code-0"))};
    CHECK(again == std::multiset<store::SubmitResult>{store::SubmitResult::AlreadySubmitted, store::SubmitResult::CodeUsed});
    CHECK(hostA.countResponses(surveyId) == kCodes);
}

TEST_CASE("PostgreSQL: a draft saved through one host is continued and submitted through the other", "[.postgresql]") {
    requireServer();
    const auto location = testing::storeLocation();
    store::Store hostA(location);
    store::Store hostB(location);
    const auto surveyId = hostA.saveSurvey(surveyRecord());
    const std::vector<std::uint8_t> sealed{9, 8, 7, 0, 6};  // opaque to the store; a zero byte included
    REQUIRE(hostA.createDraft({"draft-token-hash", surveyId, sealed}, "2027-07-01", 100));
    const auto found = hostB.findDraft(surveyId, "draft-token-hash", "2027-01-15");
    REQUIRE(found);
    CHECK(found->sealed == sealed);
    hostB.saveDraft("draft-token-hash", {1, 2, 3});
    CHECK(hostA.findDraft(surveyId, "draft-token-hash", "2027-01-15")->sealed == std::vector<std::uint8_t>{1, 2, 3});

    auto submission = submissionWith(surveyId, "draft-submission", "");
    submission.draftTokenHash = "draft-token-hash";
    CHECK(hostB.submit(submission) == store::SubmitResult::Stored);
    CHECK(hostA.findDraft(surveyId, "draft-token-hash", "2027-01-15") == std::nullopt);  // gone with the submission
    CHECK(hostA.countResponses(surveyId) == 1);
    CHECK(hostA.submit(submission) == store::SubmitResult::AlreadySubmitted);
}

TEST_CASE("PostgreSQL: a session started on one host is signed in on the other, and ends on both", "[.postgresql]") {
    requireServer();
    const auto location = testing::storeLocation();
    store::Store hostA(location);
    store::Store hostB(location);
    const auto accountId = hostA.createAccount({0, "leader", "hash", std::string("district"), "2026-12-03"});
    REQUIRE(accountId);
    CHECK(hostB.createAccount({0, "leader", "other", std::nullopt, "2026-12-03"}) == std::nullopt);  // the name is taken everywhere
    hostA.createSession("session-hash", *accountId, 2000);
    const auto session = hostB.findSession("session-hash", 1000);
    REQUIRE(session);
    CHECK(session->account.username == "leader");
    CHECK(session->account.districtSlug == std::optional<std::string>("district"));
    hostB.deleteSession("session-hash");
    CHECK(hostA.findSession("session-hash", 1000) == std::nullopt);
}

TEST_CASE("PostgreSQL: of two final releases published on two hosts at once, exactly one is stored", "[.postgresql]") {
    requireServer();
    const auto location = testing::storeLocation();
    store::Store hostA(location);
    store::Store hostB(location);
    const auto surveyId = hostA.saveSurvey(surveyRecord());
    for (int i = 0; i < 5; ++i) hostA.insertResponse(surveyId, std::vector<std::uint8_t>{1, 0, 0, 0}, std::vector<std::uint8_t>{3});
    store::NewRelease release{surveyId, "2026-12-03", store::ReleaseKind::Final, 5, "{}", "{}", "sha"};
    std::vector<store::ReleaseResult> results(2);
    std::thread a([&] { results[0] = hostA.publishRelease(release); });
    std::thread b([&] { results[1] = hostB.publishRelease(release); });
    a.join();
    b.join();
    std::multiset<store::ReleaseResult> outcomes(results.begin(), results.end());
    CHECK(outcomes == std::multiset<store::ReleaseResult>{store::ReleaseResult::Published, store::ReleaseResult::AlreadyFinal});
    REQUIRE(hostB.releases(surveyId).size() == 1);
    CHECK(hostA.releases(surveyId)[0].responses == 5);
    CHECK(hostA.countUnreleasedResponses(surveyId) == 0);
}
