#include <catch2/catch.hpp>

#include <chrono>

#include "auth/LoginThrottle.h"
#include "auth/Passwords.h"
#include "store/Tokens.h"
#include "support/TestSite.h"
#include "web/SignIn.h"

using namespace mindset;
using testing::encodeForm;
using testing::Reply;
using testing::TestSite;

namespace {

const std::string kPassword = "correct horse battery";

void addAccount(TestSite& site, const std::string& username, const std::string& password = kPassword) {
    REQUIRE(site.store().createAccount({0, username, auth::hashPassword(password), std::nullopt, "2026-08-15"}));
}

Reply signIn(TestSite& site, const std::string& username, const std::string& password, const std::string& next = "/leader",
             const std::map<std::string, std::string>& headers = {}) {
    const auto body = encodeForm({{"csrf", site.csrf()}, {"lang", "en"}, {"next", next}, {"username", username}, {"password", password}});
    return site.send("POST", "/login", body, "application/x-www-form-urlencoded", headers);
}

/// Every Set-Cookie header for `name`.
std::vector<std::string> setCookies(const Reply& reply, const std::string& name) {
    std::vector<std::string> found;
    auto [from, to] = reply.headers.equal_range("Set-Cookie");
    for (auto it = from; it != to; ++it)
        if (it->second.starts_with(name + "=")) found.push_back(it->second);
    return found;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
    return text;
}

}  // namespace

TEST_CASE("a leader's page sends someone not signed in to the sign-in form and back", "[http]") {
    TestSite site;
    addAccount(site, "ana");
    const auto away = site.get("/leader");
    CHECK(away.status == 303);
    CHECK(away.header("Location") == "/login?next=%2Fleader");

    const auto form = site.get(away.header("Location"));
    CHECK(form.status == 200);
    CHECK(form.contains(R"(<input type="hidden" name="next" value="/leader">)"));
    CHECK(form.contains(R"(autocomplete="current-password")"));
    CHECK(form.contains("You do not need an account to answer a survey."));

    const auto signedIn = signIn(site, "ana", kPassword, "/leader");
    CHECK(signedIn.status == 303);
    CHECK(signedIn.header("Location") == "/leader");
    const auto leader = site.get("/leader");
    CHECK(leader.status == 200);
    CHECK(leader.contains("Signed in as ana"));
    CHECK(leader.contains(R"(<a href="/leader/surveys/riverside-2026?lang=en">)"));
    CHECK(leader.contains(R"(<form method="post" action="/logout")"));
}

TEST_CASE("signing in sets an HttpOnly, SameSite=Strict session cookie, Secure only behind TLS or a trusted proxy's https", "[http]") {
    TestSite site;
    addAccount(site, "ana");
    const auto plain = signIn(site, "ANA ", kPassword, "/not-checked-here");  // the username is typed loosely
    REQUIRE(plain.status == 303);
    const auto cookies = setCookies(plain, "mindset_session");
    REQUIRE(cookies.size() == 1);
    CHECK(cookies[0].find("; Path=/") != std::string::npos);
    CHECK(cookies[0].find("; HttpOnly") != std::string::npos);
    CHECK(cookies[0].find("; SameSite=Strict") != std::string::npos);
    CHECK(cookies[0].find("Secure") == std::string::npos);
    CHECK(site.cookies().at("mindset_session").size() == 64);

    // Anyone can send the header: from a peer not named with --trusted-proxy it means nothing.
    const auto claimed = signIn(site, "ana", kPassword, "/leader", {{"X-Forwarded-Proto", "https"}});
    REQUIRE(claimed.status == 303);
    REQUIRE(setCookies(claimed, "mindset_session").size() == 1);
    CHECK(setCookies(claimed, "mindset_session")[0].find("Secure") == std::string::npos);

    site.trustProxies({"127.0.0.1"});
    const auto proxied = signIn(site, "ana", kPassword, "/leader", {{"X-Forwarded-Proto", "https"}});
    REQUIRE(proxied.status == 303);
    const auto secureCookies = setCookies(proxied, "mindset_session");
    REQUIRE(secureCookies.size() == 1);
    CHECK(secureCookies[0].ends_with("; Secure"));
}

TEST_CASE("a wrong password and an unknown username get the same 401 answer in about the same time", "[http]") {
    TestSite site;
    addAccount(site, "known.leader");
    using Clock = std::chrono::steady_clock;
    auto timed = [&](const std::string& username, Reply& reply) {
        const auto start = Clock::now();
        reply = signIn(site, username, "not the password");
        return Clock::now() - start;
    };
    Reply wrong, unknown;
    const auto wrongTime = timed("known.leader", wrong);
    const auto unknownTime = timed("nobody.here", unknown);
    CHECK(wrong.status == 401);
    CHECK(unknown.status == 401);
    CHECK(wrong.contains("The username or password is not right."));
    CHECK(wrong.header("WWW-Authenticate").starts_with("Cookie "));
    CHECK(setCookies(wrong, "mindset_session").empty());
    // The only difference is the username echoed back into the form.
    CHECK(replaced(wrong.body, "known.leader", "X") == replaced(unknown.body, "nobody.here", "X"));
    // An unknown username still costs a password verification (tens of milliseconds, not microseconds).
    CHECK(unknownTime * 4 > wrongTime);
    CHECK(site.get("/leader").status == 303);
}

TEST_CASE("signing in without the CSRF token is refused", "[http]") {
    TestSite site;
    addAccount(site, "ana");
    const auto noToken = site.post("/login", encodeForm({{"username", "ana"}, {"password", kPassword}}));
    CHECK(noToken.status == 403);
    CHECK(noToken.contains("This sign-in form has expired or came from another site."));
    CHECK(setCookies(noToken, "mindset_session").empty());

    site.csrf();
    const auto wrongToken = site.post("/login", encodeForm({{"csrf", std::string(32, 'a')}, {"username", "ana"}, {"password", kPassword}}));
    CHECK(wrongToken.status == 403);
    CHECK(setCookies(wrongToken, "mindset_session").empty());
    CHECK(site.get("/leader").status == 303);
}

TEST_CASE("after five failures the sixth attempt is refused with 429 and when to try again, even with the right password", "[http]") {
    TestSite site;
    addAccount(site, "ana");
    for (int i = 0; i < auth::LoginThrottle::kUsernameFailures; ++i) REQUIRE(signIn(site, "ana", "guess " + std::to_string(i)).status == 401);
    const auto throttled = signIn(site, "ana", kPassword);
    CHECK(throttled.status == 429);
    CHECK(throttled.header("Retry-After") == "60");
    CHECK(throttled.contains("try again in 1 min."));
    CHECK(setCookies(throttled, "mindset_session").empty());

    addAccount(site, "bea");
    CHECK(signIn(site, "bea", kPassword).status == 303);  // another person from the same address is not held back
}

TEST_CASE("signing out ends the session on the server, so the old cookie no longer works", "[http]") {
    TestSite site;
    addAccount(site, "ana");
    REQUIRE(signIn(site, "ana", kPassword).status == 303);
    const auto token = site.cookies().at("mindset_session");
    REQUIRE(site.get("/leader").status == 200);

    const auto signedOut = site.post("/logout", encodeForm({{"csrf", site.csrf()}, {"lang", "en"}}));
    CHECK(signedOut.status == 303);
    CHECK(signedOut.header("Location") == "/login?lang=en&signedout=1");
    const auto cleared = setCookies(signedOut, "mindset_session");
    REQUIRE(cleared.size() == 1);
    CHECK(cleared[0].find("Max-Age=0") != std::string::npos);
    CHECK(site.get(signedOut.header("Location")).contains("You are signed out."));

    site.cookies()["mindset_session"] = token;  // a copy of the cookie kept from before
    CHECK(site.get("/leader").status == 303);
    CHECK_FALSE(site.store().findSession(store::sha256Hex(token), 0));
}

TEST_CASE("signing out needs the CSRF token, so another site cannot sign a leader out", "[http]") {
    TestSite site;
    addAccount(site, "ana");
    REQUIRE(signIn(site, "ana", kPassword).status == 303);
    CHECK(site.post("/logout", encodeForm({{"lang", "en"}})).status == 403);
    CHECK(site.get("/leader").status == 200);
}

TEST_CASE("after signing in, only a path on this site is followed", "[http]") {
    TestSite site;
    addAccount(site, "ana");
    CHECK(signIn(site, "ana", kPassword, "//evil.example/phish").header("Location") == "/leader?lang=en");
    CHECK(signIn(site, "ana", kPassword, "https://evil.example/").header("Location") == "/leader?lang=en");
    CHECK(signIn(site, "ana", kPassword, "/leader/surveys/riverside-2026?lang=es").header("Location") ==
          "/leader/surveys/riverside-2026?lang=es");
    // Already signed in: the form goes straight on.
    CHECK(site.get("/login?next=%2Fleader%3Flang%3Des").header("Location") == "/leader?lang=es");
}

TEST_CASE("the session token is stored only as a hash, and each sign-in gets a new one", "[http][sqlite]") {
    TestSite site;
    addAccount(site, "ana");
    REQUIRE(signIn(site, "ana", kPassword).status == 303);
    const auto first = site.cookies().at("mindset_session");
    REQUIRE(signIn(site, "ana", kPassword).status == 303);
    const auto second = site.cookies().at("mindset_session");
    CHECK(first != second);
    CHECK_FALSE(site.store().findSession(store::sha256Hex(first), 0));  // the session it replaced is over

    store::Connection db(site.databaseFile().string());
    CHECK(db.queryInt64("SELECT COUNT(*) FROM sessions") == 1);
    CHECK(db.queryInt64("SELECT COUNT(*) FROM sessions WHERE token_hash = '" + store::sha256Hex(second) + "'") == 1);
    CHECK(db.queryInt64("SELECT COUNT(*) FROM sessions WHERE token_hash = '" + second + "'") == 0);
}

TEST_CASE("an API or CSV table URL without a session gets 401 and how to sign in, not a redirect", "[http]") {
    web::Router router({{"GET", "/api/surveys", [](const web::Request& request) { return web::signInRequired(request); }},
                        {"GET", "/leader/surveys/{survey}/tables/scales.csv", [](const web::Request& request) { return web::signInRequired(request); }}});
    TestSite site(std::move(router));
    const auto api = site.get("/api/surveys");
    CHECK(api.status == 401);
    CHECK(api.header("Content-Type") == "application/json; charset=utf-8");
    CHECK(api.header("WWW-Authenticate") == R"(Cookie realm="Mindset", form-action="/login", cookie-name="mindset_session")");
    CHECK(api.body == R"({"error": "sign-in required", "signIn": "/login?next=%2Fapi%2Fsurveys"})" "\n");
    CHECK(site.get("/leader/surveys/riverside-2026/tables/scales.csv?lang=es").status == 401);
}
