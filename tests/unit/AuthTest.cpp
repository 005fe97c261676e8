#include <catch2/catch.hpp>

#include <sstream>

#include "auth/LoginThrottle.h"
#include "auth/Passwords.h"
#include "auth/Sessions.h"
#include "auth/Usernames.h"
#include "cli/Users.h"
#include "store/Sqlite.h"
#include "store/Store.h"
#include "store/Tokens.h"
#include "web/SignIn.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

using namespace mindset;
using auth::LoginThrottle;
using namespace std::chrono_literals;

namespace {

/// A clock the test moves by hand.
struct FakeClock {
    LoginThrottle::Clock::time_point now{std::chrono::hours(1000)};
    std::function<LoginThrottle::Clock::time_point()> function() {
        return [this] { return now; };
    }
};

void failTimes(LoginThrottle& throttle, int times, const std::string& username, const std::string& address) {
    for (int i = 0; i < times; ++i) throttle.recordFailure(username, address);
}

store::Account account(const std::string& username, std::optional<std::string> district = std::nullopt) {
    return {0, username, "$argon2id$not-a-real-hash", std::move(district), "2026-08-15"};
}

}  // namespace

TEST_CASE("a password hash is Argon2id, salted, and verifies only the password it was made from", "[unit]") {
    const auto hash = auth::hashPassword("correct horse battery");
    CHECK(hash.starts_with("$argon2id$"));
    CHECK(hash.find("correct horse") == std::string::npos);
    CHECK(auth::verifyPassword("correct horse battery", hash));
    CHECK_FALSE(auth::verifyPassword("correct horse batterY", hash));
    CHECK_FALSE(auth::verifyPassword("", hash));
    CHECK(auth::hashPassword("correct horse battery") != hash);  // a new salt each time
    CHECK_FALSE(auth::verifyPassword("correct horse battery", ""));
    CHECK_FALSE(auth::verifyPassword("correct horse battery", "$argon2id$v=19$garbage"));
    CHECK_NOTHROW(auth::verifyAgainstDummy("anything at all"));
}

TEST_CASE("password length is counted in characters, not bytes", "[unit]") {
    CHECK(auth::characterCount("abc") == 3);
    CHECK(auth::characterCount("contraseña") == 10);  // ñ is two bytes
    CHECK(auth::characterCount("") == 0);
}

TEST_CASE("usernames are trimmed and lowered, and only a plain alphabet is accepted", "[unit]") {
    CHECK(auth::normalizeUsername("  Ana.Ruiz@Riverside.org ") == "ana.ruiz@riverside.org");
    CHECK(auth::isValidUsername("ana.ruiz@riverside.org"));
    CHECK(auth::isValidUsername("lee_2-b"));
    CHECK_FALSE(auth::isValidUsername(""));
    CHECK_FALSE(auth::isValidUsername("ana ruiz"));
    CHECK_FALSE(auth::isValidUsername("Ana"));  // not normalized
    CHECK_FALSE(auth::isValidUsername("josé"));
    CHECK_FALSE(auth::isValidUsername(std::string(auth::kMaxUsernameLength + 1, 'a')));
}

TEST_CASE("the throttle locks a username after five failures, and each later failure doubles the lock", "[unit]") {
    FakeClock clock;
    LoginThrottle throttle(clock.function());
    failTimes(throttle, LoginThrottle::kUsernameFailures - 1, "ana", "10.0.0.1");
    CHECK_FALSE(throttle.retryAfter("ana", "10.0.0.1"));
    throttle.recordFailure("ana", "10.0.0.1");
    CHECK(throttle.retryAfter("ana", "10.0.0.1") == 60s);
    CHECK(throttle.retryAfter("ana", "10.9.9.9") == 60s);  // the username is locked from anywhere
    CHECK_FALSE(throttle.retryAfter("bea", "10.9.9.9"));    // other people are not

    clock.now += 45s;
    CHECK(throttle.retryAfter("ana", "10.0.0.1") == 15s);
    clock.now += 15s;
    CHECK_FALSE(throttle.retryAfter("ana", "10.0.0.1"));
    throttle.recordFailure("ana", "10.0.0.1");
    CHECK(throttle.retryAfter("ana", "10.0.0.1") == 120s);
    clock.now += 120s;
    throttle.recordFailure("ana", "10.0.0.1");
    CHECK(throttle.retryAfter("ana", "10.0.0.1") == 240s);
    std::vector<std::chrono::seconds> locks;
    for (int i = 0; i < 3; ++i) {
        clock.now += *throttle.retryAfter("ana", "10.0.0.1");  // wait out the lock, then fail again
        throttle.recordFailure("ana", "10.0.0.1");
        locks.push_back(*throttle.retryAfter("ana", "10.0.0.1"));
    }
    CHECK(locks == std::vector<std::chrono::seconds>{480s, 900s, 900s});  // 8 min, then 15 at most
}

TEST_CASE("the throttle forgets failures after a success or an hour without one", "[unit]") {
    FakeClock clock;
    LoginThrottle throttle(clock.function());
    failTimes(throttle, LoginThrottle::kUsernameFailures - 1, "ana", "10.0.0.1");
    throttle.recordSuccess("ana");
    failTimes(throttle, LoginThrottle::kUsernameFailures - 1, "ana", "10.0.0.1");
    CHECK_FALSE(throttle.retryAfter("ana", "10.0.0.1"));  // the count started again at the success

    failTimes(throttle, 1, "bea", "10.0.0.2");
    failTimes(throttle, LoginThrottle::kUsernameFailures - 1, "bea", "10.0.0.2");
    REQUIRE(throttle.retryAfter("bea", "10.0.0.2"));
    clock.now += LoginThrottle::kForgetAfter;
    CHECK_FALSE(throttle.retryAfter("bea", "10.0.0.2"));
    throttle.recordFailure("bea", "10.0.0.2");
    CHECK_FALSE(throttle.retryAfter("bea", "10.0.0.2"));  // one failure after forgetting: not locked
}

TEST_CASE("the throttle locks an address trying many usernames, and a success elsewhere does not unlock it", "[unit]") {
    FakeClock clock;
    LoginThrottle throttle(clock.function());
    for (int i = 0; i < LoginThrottle::kAddressFailures - 1; ++i) throttle.recordFailure("user" + std::to_string(i), "10.0.0.7");
    CHECK_FALSE(throttle.retryAfter("someone-else", "10.0.0.7"));
    throttle.recordFailure("one-more", "10.0.0.7");
    throttle.recordSuccess("own-account");
    CHECK(throttle.retryAfter("someone-else", "10.0.0.7") == 60s);
    CHECK_FALSE(throttle.retryAfter("someone-else", "10.0.0.8"));
}

TEST_CASE("the throttle's memory is bounded when flooded with made-up usernames", "[unit]") {
    FakeClock clock;
    LoginThrottle throttle(clock.function());
    for (std::size_t i = 0; i < LoginThrottle::kMaxEntries + 50; ++i) {
        clock.now += 1ms;
        throttle.recordFailure("flood" + std::to_string(i), "10.0.0." + std::to_string(i % 200));
    }
    CHECK(throttle.rememberedCount() <= LoginThrottle::kMaxEntries + 200);  // usernames capped; 200 addresses
    failTimes(throttle, LoginThrottle::kUsernameFailures, "ana", "10.1.1.1");
    CHECK(throttle.retryAfter("ana", "10.1.1.2"));  // the newest entries are kept
}

TEST_CASE("the throttle never forgets a locked username or address to make room, and stays bounded", "[unit]") {
    FakeClock clock;
    LoginThrottle throttle(clock.function());
    // The one being guessed is locked first, so it is the stalest entry of all.
    failTimes(throttle, LoginThrottle::kUsernameFailures, "ana", "10.9.9.9");
    REQUIRE(throttle.retryAfter("ana", "10.1.1.1"));
    // Then a flood of other usernames, from many addresses, fills memory with recent failures.
    for (std::size_t i = 0; i < LoginThrottle::kMaxEntries + 50; ++i) {
        clock.now += 1ms;
        throttle.recordFailure("flood" + std::to_string(i), "10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250));
    }
    CHECK(throttle.retryAfter("ana", "10.1.1.1"));  // still locked
    CHECK(throttle.rememberedCount() <= 2 * LoginThrottle::kMaxEntries);

    // Memory full of locked entries only: a new key is not remembered, and no lock is lifted.
    LoginThrottle locked(clock.function());
    for (std::size_t i = 0; i < LoginThrottle::kMaxEntries; ++i)
        failTimes(locked, LoginThrottle::kUsernameFailures, "user" + std::to_string(i), "10.2.2.2");
    const auto before = locked.rememberedCount();
    failTimes(locked, LoginThrottle::kUsernameFailures, "newcomer", "10.2.2.2");
    CHECK(locked.rememberedCount() == before);
    CHECK(locked.retryAfter("user0", "10.3.3.3"));
    CHECK(locked.retryAfter("newcomer", "10.2.2.2"));  // the address is locked all the same
}

TEST_CASE("accounts are stored with a scope that may be the whole network, and usernames are unique", "[unit]") {
    store::Store store(testing::storeLocation());
    const auto id = store.createAccount(account("ana", "riverside"));
    REQUIRE(id);
    REQUIRE(store.createAccount(account("bea")));
    CHECK_FALSE(store.createAccount(account("ana")));

    const auto ana = store.findAccountByUsername("ana");
    REQUIRE(ana);
    CHECK(ana->id == *id);
    CHECK(ana->districtSlug == std::optional<std::string>("riverside"));
    CHECK(ana->createdOn == "2026-08-15");
    CHECK(store.findAccountByUsername("bea")->districtSlug == std::nullopt);
    CHECK_FALSE(store.findAccountByUsername("cai"));

    const auto all = store.listAccounts();
    REQUIRE(all.size() == 2);
    CHECK(all[0].username == "ana");
    CHECK(all[1].username == "bea");
}

TEST_CASE("a session is found by its token until it expires, and only the token's hash is stored", "[unit]") {
    store::Store store(testing::storeLocation());
    const auto id = *store.createAccount(account("ana"));
    const std::int64_t now = 1'800'000'000;
    const auto session = auth::startSession(store, id, now);
    CHECK(session.token.size() == 64);
    CHECK(session.expiresAt == now + 8 * 3600);

    const auto found = auth::findSession(store, session.token, now + 3600);
    REQUIRE(found);
    CHECK(found->account.username == "ana");
    CHECK(found->tokenHash == store::sha256Hex(session.token));
    CHECK_FALSE(store.findSession(session.token, now));  // the raw token is not a key
    CHECK_FALSE(auth::findSession(store, session.token, session.expiresAt));
    CHECK_FALSE(auth::findSession(store, "not-a-token", now));

    const auto other = auth::startSession(store, id, now);
    CHECK(store.deleteExpiredSessions(session.expiresAt) == 2);
    CHECK_FALSE(auth::findSession(store, other.token, now));
}

TEST_CASE("signing out or removing the account ends its sessions", "[unit]") {
    store::Store store(testing::storeLocation());
    const auto ana = *store.createAccount(account("ana"));
    const auto bea = *store.createAccount(account("bea"));
    const std::int64_t now = 1'800'000'000;
    const auto first = auth::startSession(store, ana, now);
    const auto second = auth::startSession(store, ana, now);
    const auto beas = auth::startSession(store, bea, now);

    auth::endSession(store, first.token);
    CHECK_FALSE(auth::findSession(store, first.token, now));
    CHECK(auth::findSession(store, second.token, now));

    CHECK(store.deleteAccount("ana"));
    CHECK_FALSE(store.deleteAccount("ana"));
    CHECK_FALSE(auth::findSession(store, second.token, now));
    CHECK(auth::findSession(store, beas.token, now));
}

TEST_CASE("mindset users add refuses short passwords and bad names, and stores only a hash", "[unit]") {
    store::Store store(testing::storeLocation());
    std::ostringstream out;
    CHECK_THROWS_WITH(cli::addUser(out, store, "ana", std::nullopt, {}, "elevenchars", "2026-08-15"),
                      "the password must have at least 12 characters; it has 11 (it is read from the first line of "
                      "standard input)");
    CHECK_THROWS_WITH(cli::addUser(out, store, "ana ruiz", std::nullopt, {}, "a long enough password", "2026-08-15"),
                      Catch::Contains("got 'ana ruiz'"));
    CHECK_THROWS_WITH(cli::addUser(out, store, "ana", std::string("River Side"), {"riverside"}, "a long enough password", "2026-08-15"),
                      Catch::Contains("--district expects a district id"));
    CHECK(store.listAccounts().empty());

    std::istringstream typed("a long enough password\r\nsecond line\n");
    const auto password = cli::readPasswordLine(typed);
    CHECK(password == "a long enough password");
    cli::addUser(out, store, " Ana ", std::string("riverside"), {"cypress-bend", "riverside"}, password, "2026-08-15");
    CHECK(out.str().find("Added account 'ana' for district 'riverside'") != std::string::npos);
    const auto stored = store.findAccountByUsername("ana");
    REQUIRE(stored);
    CHECK(auth::verifyPassword("a long enough password", stored->passwordHash));
    CHECK(stored->passwordHash.find("enough") == std::string::npos);
    CHECK_THROWS_WITH(cli::addUser(out, store, "ana", std::nullopt, {}, "another long password", "2026-08-15"),
                      Catch::Contains("an account named 'ana' already exists"));

    std::ostringstream listing;
    cli::printUsers(listing, store);
    CHECK(listing.str().find("ana") != std::string::npos);
    CHECK(listing.str().find("district riverside") != std::string::npos);
    cli::removeUser(out, store, "ANA");
    CHECK_FALSE(store.findAccountByUsername("ana"));
    CHECK_THROWS_WITH(cli::removeUser(out, store, "ana"), "there is no account named 'ana'");
}

TEST_CASE("mindset users add refuses a district no survey names, and says which there are", "[unit]") {
    store::Store store(testing::storeLocation());
    std::ostringstream out;
    const std::vector<std::string> known{"brazos-valley", "cypress-bend", "riverside-isd"};
    CHECK_THROWS_WITH(cli::addUser(out, store, "lee", std::string("riversid-isd"), known, "a long enough password", "2026-08-15"),
                      "--district 'riversid-isd' is not a known district; did you mean 'riverside-isd'? Known districts "
                      "(of the survey files and the surveys stored): brazos-valley, cypress-bend, riverside-isd");
    CHECK_THROWS_WITH(cli::addUser(out, store, "lee", std::string("lakeside"), known, "a long enough password", "2026-08-15"),
                      "--district 'lakeside' is not a known district. Known districts (of the survey files and the "
                      "surveys stored): brazos-valley, cypress-bend, riverside-isd");
    CHECK_THROWS_WITH(cli::addUser(out, store, "lee", std::string("riverside-isd"), {}, "a long enough password", "2026-08-15"),
                      Catch::Contains("no survey file names a district yet"));
    CHECK(store.listAccounts().empty());
    cli::addUser(out, store, "lee", std::string("riverside-isd"), known, "a long enough password", "2026-08-15");
    CHECK(store.findAccountByUsername("lee")->districtSlug == std::optional<std::string>("riverside-isd"));
}

TEST_CASE("mindset users password sets a new password and signs the account out everywhere", "[unit]") {
    store::Store store(testing::storeLocation());
    std::ostringstream out;
    cli::addUser(out, store, "ana", std::nullopt, {}, "the first long password", "2026-08-15");
    cli::addUser(out, store, "bea", std::nullopt, {}, "bea's own long password", "2026-08-15");
    const std::int64_t now = 1'800'000'000;
    const auto anas = auth::startSession(store, store.findAccountByUsername("ana")->id, now);
    const auto beas = auth::startSession(store, store.findAccountByUsername("bea")->id, now);

    CHECK_THROWS_WITH(cli::setUserPassword(out, store, "ana", "too short"),
                      Catch::StartsWith("the password must have at least 12 characters; it has 9"));
    CHECK(auth::verifyPassword("the first long password", store.findAccountByUsername("ana")->passwordHash));
    CHECK(auth::findSession(store, anas.token, now));
    CHECK_THROWS_WITH(cli::setUserPassword(out, store, "nobody", "a long enough password"), "there is no account named 'nobody'");

    cli::setUserPassword(out, store, " ANA ", "the second long password");
    CHECK_THAT(out.str(), Catch::Contains("New password for account 'ana'; it is signed out everywhere"));
    const auto ana = store.findAccountByUsername("ana");
    CHECK(auth::verifyPassword("the second long password", ana->passwordHash));
    CHECK_FALSE(auth::verifyPassword("the first long password", ana->passwordHash));
    CHECK_FALSE(auth::findSession(store, anas.token, now));
    CHECK(auth::findSession(store, beas.token, now));
    CHECK(auth::verifyPassword("bea's own long password", store.findAccountByUsername("bea")->passwordHash));
}

TEST_CASE("only local paths are accepted as where to go after signing in", "[unit]") {
    CHECK(web::safeNextPath("/leader") == std::optional<std::string>("/leader"));
    CHECK(web::safeNextPath("/leader/surveys/riverside-2026?lang=es") ==
          std::optional<std::string>("/leader/surveys/riverside-2026?lang=es"));
    for (const std::string bad : {"", "leader", "//evil.example/", "/\\evil.example", "https://evil.example/",
                                  "/leader\r\nSet-Cookie: x=1", "/a b", "/login", "/login?next=/x", "/logout"}) {
        INFO(bad);
        CHECK_FALSE(web::safeNextPath(bad));
    }
    CHECK_FALSE(web::safeNextPath("/" + std::string(2000, 'a')));
    CHECK(web::encodeQueryValue("/leader?lang=es&x=ñ") == "%2Fleader%3Flang%3Des%26x%3D%C3%B1");
}

TEST_CASE("API and export URLs are told apart from pages a person opens", "[unit]") {
    CHECK(web::isMachineUrl("/api/surveys"));
    CHECK(web::isMachineUrl("/leader/surveys/riverside-2026/export"));
    CHECK(web::isMachineUrl("/leader/surveys/riverside-2026/exports/raw"));
    CHECK(web::isMachineUrl("/leader/surveys/riverside-2026/export.csv"));
    CHECK(web::isMachineUrl("/leader/surveys/riverside-2026/profile.json"));
    CHECK_FALSE(web::isMachineUrl("/leader"));
    CHECK_FALSE(web::isMachineUrl("/leader/surveys/riverside-2026"));
    CHECK_FALSE(web::isMachineUrl("/leader/surveys/exporters-2026"));
    CHECK_FALSE(web::isMachineUrl("/apiary"));
}

TEST_CASE("a username's sign-in lock is kept in the database, so every host sharing it honours it", "[unit][auth]") {
    // Two hosts: two throttles (each with its own memory of addresses) on one store.
    store::Store store(testing::storeLocation());
    std::int64_t unixNow = 1'790'000'000;
    FakeClock clockA, clockB;
    LoginThrottle hostA(store, [&] { return unixNow; }, clockA.function());
    LoginThrottle hostB(store, [&] { return unixNow; }, clockB.function());

    failTimes(hostA, LoginThrottle::kUsernameFailures - 1, "ana", "10.0.0.1");
    CHECK_FALSE(hostB.retryAfter("ana", "10.0.0.2"));
    // The fifth failure, counted on the other host: the count is shared, not each host's own.
    hostB.recordFailure("ana", "10.0.0.2");
    const auto wait = hostA.retryAfter("ana", "10.0.0.3");
    REQUIRE(wait);
    CHECK(*wait == std::chrono::seconds(60));  // the first lock: one minute
    CHECK(hostB.retryAfter("ana", "10.0.0.4") == wait);
    CHECK_FALSE(hostB.retryAfter("ben", "10.0.0.4"));  // other usernames are not locked
    CHECK(hostA.rememberedCount() == 1);               // only the address is in memory

    // One more failure while locked doubles the lock; the lock ends when its time has passed.
    hostA.recordFailure("ana", "10.0.0.1");
    CHECK(hostB.retryAfter("ana", "10.0.0.4") == std::chrono::seconds(120));
    unixNow += 120;
    CHECK_FALSE(hostB.retryAfter("ana", "10.0.0.4"));

    // A good sign-in on one host forgets the count on all.
    hostB.recordSuccess("ana");
    hostA.recordFailure("ana", "10.0.0.1");
    CHECK_FALSE(hostB.retryAfter("ana", "10.0.0.4"));

    // An hour after the last failure, counting starts again from one.
    failTimes(hostA, LoginThrottle::kUsernameFailures - 2, "ana", "10.0.0.1");  // 4 in all
    unixNow += 3600;
    hostA.recordFailure("ana", "10.0.0.1");
    CHECK_FALSE(hostB.retryAfter("ana", "10.0.0.4"));
}

TEST_CASE("the shared sign-in lock keeps a username only as its hash", "[unit][auth][sqlite]") {
    // Someone who types their password into the username field must not find it in the database.
    testing::TempFolder folder;
    const auto file = (folder.path() / "mindset.sqlite").string();
    {
        store::Store store(file);
        LoginThrottle throttle(store);
        failTimes(throttle, LoginThrottle::kUsernameFailures, "hunter2-my-password", "10.0.0.1");
        CHECK(throttle.retryAfter("hunter2-my-password", "10.0.0.9"));
    }
    store::Connection db(file);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    CHECK(db.queryInt64("SELECT COUNT(*) FROM login_failures WHERE username_hash = '" + store::sha256Hex("hunter2-my-password") + "'") == 1);
    CHECK(testing::readFile(file).find("hunter2-my-password") == std::string::npos);
}
