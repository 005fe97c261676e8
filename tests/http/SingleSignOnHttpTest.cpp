#include <catch2/catch.hpp>

#include <mutex>

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/URI.h>

#include "auth/LoginThrottle.h"
#include "auth/OidcProvider.h"
#include "auth/Passwords.h"
#include "auth/Sessions.h"
#include "support/TestOidcProvider.h"
#include "support/TestSite.h"
#include "surveys/SurveyCatalog.h"

// Single sign-on with OpenID Connect (issue 14, item 5; docs/accounts.md#single-sign-on), against
// a provider the tests start themselves on 127.0.0.1.

using namespace mindset;
using testing::encodeForm;
using testing::Reply;
using testing::TestOidcProvider;
using testing::TestSite;

namespace {

using Match = auth::ScopeRule::Match;

/// Riverside's rules as a coordinator would write them: the district's verified e-mail domain, a
/// group of Lakeview Elementary's leaders, and the network staff's Workspace domain.
std::vector<auth::ScopeRule> riversideRules() {
    return {{Match::Group, "lakeview-leaders", {std::string("riverside-isd"), std::string("lakeview-elementary")}},
            {Match::EmailDomain, "riverside.org", {std::string("riverside-isd"), std::nullopt}},
            {Match::HostedDomain, "equity-network.org", {std::nullopt, std::nullopt}}};
}

/// Riverside's and Brazos Valley's 2026-27 surveys, with single sign-on through `provider`.
std::unique_ptr<TestSite> ssoSite(TestOidcProvider& provider) {
    std::vector<surveys::SurveyDefinition> definitions;
    for (const auto* id : {"riverside-2026", "brazos-valley-2026"})
        definitions.push_back(surveys::loadSurveyFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / (std::string(id) + ".json"),
                                                      testing::shippedInstruments()));
    auto site = TestSite::withSurveys(std::move(definitions));
    site->site()->oidcProvider = std::make_shared<auth::OidcProvider>(provider.config(riversideRules()), auth::unixNow);
    return site;
}

/// What a browser does: opens /login/oidc, follows it to the provider, which consents at once,
/// and follows the provider's redirect back to the callback. `callbackUrl` receives that URL.
Reply signInThroughProvider(TestSite& site, TestOidcProvider& provider, const std::string& start = "/login/oidc?lang=en",
                            std::string* callbackUrl = nullptr) {
    const auto started = site.get(start);
    REQUIRE(started.status == 303);
    REQUIRE(started.header("Location").starts_with(provider.issuer() + "/authorize?"));
    const auto callback = Poco::URI(provider.authorize(started.header("Location"))).getPathAndQuery();
    REQUIRE(callback.starts_with("/login/oidc/callback?"));
    if (callbackUrl) *callbackUrl = callback;
    return site.get(callback);
}

bool isSignedIn(TestSite& site) { return site.get("/leader?lang=en").status == 200; }

/// A refusal after the provider answered with a token: no session cookie, nobody signed in, no account made.
void checkRefusedAfterToken(TestSite& site, TestOidcProvider& provider) {
    CHECK(provider.tokensIssued() == 1);
    CHECK(site.cookies().count("mindset_session") == 0);
    CHECK_FALSE(isSignedIn(site));
    CHECK(site.store().listAccounts().empty());
}

/// Puts `channel` on `logger` until it goes out of scope (also when a REQUIRE throws), then the
/// channel the logger had. Only AutoPtrs are handed over: Poco's Logger::setChannel takes a
/// Channel::Ptr, and a raw pointer given to it is adopted without a reference of its own, so the
/// logger later releases a reference it never had (a use after free, then a double free).
class LoggerChannelSwap {
public:
    LoggerChannelSwap(Poco::Logger& logger, Poco::Channel::Ptr channel) : logger_(logger), previous_(logger.getChannel()) {
        logger_.setChannel(std::move(channel));
    }
    ~LoggerChannelSwap() { logger_.setChannel(previous_); }
    LoggerChannelSwap(const LoggerChannelSwap&) = delete;
    LoggerChannelSwap& operator=(const LoggerChannelSwap&) = delete;

private:
    Poco::Logger& logger_;
    Poco::Channel::Ptr previous_;
};

nlohmann::json riversideLeader() {
    return {{"sub", "10769150350006150715113082367"}, {"email", "Lee@Riverside.org"}, {"email_verified", true}, {"name", "Lee Park"}};
}

/// Keeps what a logger writes, for reading back.
class RecordingChannel : public Poco::Channel {
public:
    void log(const Poco::Message& message) override {
        std::lock_guard lock(mutex_);
        text_ += message.getText() + "\n";
    }
    std::string text() {
        std::lock_guard lock(mutex_);
        return text_;
    }

private:
    std::mutex mutex_;
    std::string text_;
};

}  // namespace

TEST_CASE("a leader signs in with the district's provider and lands on /leader with the district the rules give, and no other",
          "[http][sso]") {
    TestOidcProvider provider;
    auto site = ssoSite(provider);
    provider.setIdentity(riversideLeader());

    const auto login = site->get("/login?lang=en");
    CHECK(login.contains("Sign in with Riverside Google"));
    CHECK(login.contains("href=\"/login/oidc?next="));
    CHECK(login.contains("name=\"password\""));  // password sign-in stays

    const auto callback = signInThroughProvider(*site, provider);
    REQUIRE(callback.status == 200);
    // The session cookie is SameSite=Strict, so the page moves on by itself (a navigation our own
    // page starts carries it; the provider's redirect could not).
    CHECK(callback.contains("http-equiv=\"refresh\" content=\"0; url=/leader?lang=en\""));
    CHECK(site->cookies().count("mindset_session") == 1);
    CHECK(site->cookies().count("mindset_sso") == 0);  // the browser binding is cleared once used

    const auto leader = site->get("/leader?lang=en");
    REQUIRE(leader.status == 200);
    CHECK(leader.contains("Signed in as lee@riverside.org"));
    CHECK(leader.contains("/leader/surveys/riverside-2026"));
    CHECK_FALSE(leader.contains("/leader/surveys/brazos-valley-2026"));
    CHECK(site->get("/leader/districts/riverside-isd/goals").status == 200);
    CHECK(site->get("/leader/surveys/brazos-valley-2026").status == 404);
    CHECK(site->get("/leader/districts/brazos-valley-isd/goals").status == 404);
    CHECK(site->get("/network").status == 404);

    const auto account = site->store().findAccountByUsername("lee@riverside.org");
    REQUIRE(account);
    CHECK(account->isSingleSignOn());
    CHECK(account->passwordHash.empty());
    CHECK(account->districtSlug == std::optional<std::string>("riverside-isd"));
    CHECK_FALSE(account->schoolSlug);
    CHECK(account->ssoSubject == std::optional<std::string>("10769150350006150715113082367"));

    // Signing out is the same as for a password session: the cookie stops working at once.
    const auto signOut = site->post("/logout", encodeForm({{"csrf", site->csrf()}, {"lang", "en"}}));
    CHECK(signOut.status == 303);
    CHECK_FALSE(isSignedIn(*site));
}

TEST_CASE("a single sign-on account cannot sign in with a password, not even an empty one", "[http][sso]") {
    TestOidcProvider provider;
    auto site = ssoSite(provider);
    provider.setIdentity(riversideLeader());
    REQUIRE(signInThroughProvider(*site, provider).status == 200);
    site->cookies().erase("mindset_session");

    for (const auto* password : {"", "correct horse battery"}) {
        const auto reply = site->post("/login", encodeForm({{"csrf", site->csrf()}, {"lang", "en"}, {"next", "/leader"},
                                                             {"username", "lee@riverside.org"}, {"password", password}}));
        CHECK(reply.status == 401);
        CHECK(site->cookies().count("mindset_session") == 0);
    }
}

TEST_CASE("a group the rules map to a school makes a school leader's account, which sees that school only", "[http][sso]") {
    TestOidcProvider provider;
    auto site = ssoSite(provider);
    provider.setIdentity({{"sub", "pat"}, {"email", "pat@riverside.org"}, {"email_verified", true}, {"groups", {"all-staff", "lakeview-leaders"}}});

    REQUIRE(signInThroughProvider(*site, provider).status == 200);
    const auto account = site->store().findAccountByUsername("pat@riverside.org");
    REQUIRE(account);
    CHECK(account->schoolSlug == std::optional<std::string>("lakeview-elementary"));  // the first rule that matches decides
    CHECK(site->get("/leader?lang=en").status == 200);
    CHECK(site->get("/leader/districts/riverside-isd/goals").status == 404);

    // The rules are read at every sign-in: out of the group, the same person has the district's scope.
    provider.setIdentity({{"sub", "pat"}, {"email", "pat@riverside.org"}, {"email_verified", true}, {"groups", {"all-staff"}}});
    site->cookies().erase("mindset_session");
    REQUIRE(signInThroughProvider(*site, provider).status == 200);
    CHECK_FALSE(site->store().findAccountByUsername("pat@riverside.org")->schoolSlug);
    CHECK(site->get("/leader/districts/riverside-isd/goals").status == 200);
}

TEST_CASE("an identity no rule maps is refused with a page that says so, and gets no session and no account", "[http][sso]") {
    TestOidcProvider provider;
    auto site = ssoSite(provider);

    SECTION("an e-mail domain no rule names") {
        provider.setIdentity({{"sub", "sam"}, {"email", "sam@elsewhere.org"}, {"email_verified", true}});
    }
    SECTION("the district's domain, but email_verified is false") {
        provider.setIdentity({{"sub", "sam"}, {"email", "sam@riverside.org"}, {"email_verified", false}});
    }
    SECTION("the district's domain, but email_verified is missing") {
        provider.setIdentity({{"sub", "sam"}, {"email", "sam@riverside.org"}});
    }
    SECTION("the district's domain, but email_verified is the string \"true\", not true") {
        provider.setIdentity({{"sub", "sam"}, {"email", "sam@riverside.org"}, {"email_verified", "true"}});
    }
    SECTION("the network's hosted domain, but email_verified is false") {
        provider.setIdentity({{"sub", "sam"}, {"email", "sam@equity-network.org"}, {"hd", "equity-network.org"}, {"email_verified", false}});
    }
    SECTION("a look-alike domain") {
        provider.setIdentity({{"sub", "sam"}, {"email", "sam@notriverside.org"}, {"email_verified", true}});
    }

    const auto reply = signInThroughProvider(*site, provider);
    CHECK(reply.status == 403);
    CHECK(reply.contains("This Riverside Google account is not given access to Mindset; ask your coordinator."));
    checkRefusedAfterToken(*site, provider);  // a good token, refused by the rules
}

TEST_CASE("the network's hosted domain gives the whole network", "[http][sso]") {
    TestOidcProvider provider;
    auto site = ssoSite(provider);
    provider.setIdentity({{"sub", "ana"}, {"email", "ana@equity-network.org"}, {"hd", "equity-network.org"}, {"email_verified", true}});
    REQUIRE(signInThroughProvider(*site, provider).status == 200);
    CHECK(site->get("/network").status == 200);
    CHECK_FALSE(site->store().findAccountByUsername("ana@equity-network.org")->districtSlug);
}

TEST_CASE("an ID token that fails a check is refused, with no session and no account", "[http][sso]") {
    TestOidcProvider provider;
    auto site = ssoSite(provider);
    provider.setIdentity(riversideLeader());

    using Spoil = TestOidcProvider::Spoil;
    auto spoil = Spoil::Nothing;
    SECTION("signed by another key") { spoil = Spoil::OtherKey; }
    SECTION("meant for another client (aud)") { spoil = Spoil::WrongAudience; }
    SECTION("from another issuer") { spoil = Spoil::WrongIssuer; }
    SECTION("expired") { spoil = Spoil::Expired; }
    SECTION("with the nonce of another sign-in") { spoil = Spoil::WrongNonce; }
    SECTION("HS256 keyed with the public key") { spoil = Spoil::HmacWithPublicKey; }
    provider.setSpoil(spoil);

    const auto reply = signInThroughProvider(*site, provider);
    CHECK(reply.status == 401);
    CHECK(reply.contains("could not be verified, so you are not signed in"));
    checkRefusedAfterToken(*site, provider);  // the provider answered; Mindset refused the token
}

TEST_CASE("a state is good once, for the browser that started it, and a replayed callback signs nobody in", "[http][sso]") {
    TestOidcProvider provider;
    auto site = ssoSite(provider);
    provider.setIdentity(riversideLeader());

    SECTION("the same callback again, with the same browser cookie") {
        const auto binding = [&] {
            site->get("/login/oidc?lang=en");  // sets the binding cookie the next start reuses
            return site->cookies().at("mindset_sso");
        }();
        std::string callback;
        REQUIRE(signInThroughProvider(*site, provider, "/login/oidc?lang=en", &callback).status == 200);
        site->cookies().erase("mindset_session");
        site->cookies()["mindset_sso"] = binding;

        const auto replay = site->get(callback);
        CHECK(replay.status == 400);
        CHECK(replay.contains("This sign-in has expired or was already used."));
        CHECK(provider.tokensIssued() == 1);  // the code was not even exchanged again
    }
    SECTION("the callback in another browser (login CSRF: signing someone in as the attacker)") {
        const auto started = site->get("/login/oidc?lang=en");
        const auto callback = Poco::URI(provider.authorize(started.header("Location"))).getPathAndQuery();
        site->cookies()["mindset_sso"] = std::string(64, 'a');  // the victim's browser has its own binding, or none
        const auto reply = site->get(callback);
        CHECK(reply.status == 400);
        CHECK(provider.tokensIssued() == 0);
    }
    SECTION("a made-up state") {
        site->get("/login/oidc?lang=en");
        CHECK(site->get("/login/oidc/callback?code=abc&state=" + std::string(64, 'f')).status == 400);
    }
    CHECK(site->cookies().count("mindset_session") == 0);
    CHECK_FALSE(isSignedIn(*site));
}

TEST_CASE("bad states count against the client address like wrong passwords, and lock both ways of signing in", "[http][sso]") {
    TestOidcProvider provider;
    auto site = ssoSite(provider);
    provider.setIdentity(riversideLeader());
    for (int i = 0; i < auth::LoginThrottle::kAddressFailures; ++i)
        REQUIRE(site->get("/login/oidc/callback?code=x&state=" + std::to_string(i)).status == 400);

    const auto start = site->get("/login/oidc?lang=en");
    CHECK(start.status == 429);
    CHECK_FALSE(start.header("Retry-After").empty());
    const auto password = site->post("/login", encodeForm({{"csrf", site->csrf()}, {"lang", "en"}, {"next", "/leader"},
                                                            {"username", "someone"}, {"password", "whatever password"}}));
    CHECK(password.status == 429);
}

TEST_CASE("a name that belongs to a password account is not taken over by single sign-on", "[http][sso]") {
    TestOidcProvider provider;
    auto site = ssoSite(provider);
    REQUIRE(site->store().createAccount({0, "lee@riverside.org", auth::hashPassword("correct horse battery"), std::nullopt, "2026-08-15"}));
    provider.setIdentity(riversideLeader());

    const auto reply = signInThroughProvider(*site, provider);
    CHECK(reply.status == 409);
    CHECK(reply.contains("already belongs to another Mindset account"));
    CHECK_FALSE(isSignedIn(*site));
    CHECK_FALSE(site->store().findAccountByUsername("lee@riverside.org")->isSingleSignOn());
}

TEST_CASE("single sign-on speaks Spanish, and is absent without a provider", "[http][sso]") {
    TestOidcProvider provider;
    auto site = ssoSite(provider);
    CHECK(site->get("/login?lang=es").contains("Iniciar sesión con Riverside Google"));
    provider.setIdentity({{"sub", "sam"}, {"email", "sam@elsewhere.org"}, {"email_verified", true}});
    const auto refused = signInThroughProvider(*site, provider, "/login/oidc?lang=es");
    CHECK(refused.status == 403);
    CHECK(refused.contains("no tiene acceso a Mindset"));

    site->site()->oidcProvider = nullptr;
    CHECK(site->get("/login/oidc?lang=en").status == 404);
    CHECK(site->get("/login/oidc/callback?code=x&state=y").status == 404);
    CHECK_FALSE(site->get("/login?lang=en").contains("Sign in with"));
}

TEST_CASE("the log says why a sign-in was refused, without the secret, code, state, token or e-mail address", "[http][sso]") {
    Poco::AutoPtr<RecordingChannel> recording(new RecordingChannel);
    const LoggerChannelSwap swap(Poco::Logger::get("mindset.sso"), recording);

    TestOidcProvider provider;
    auto site = ssoSite(provider);
    std::string wrongNonce;
    provider.setIdentity(riversideLeader());
    provider.setSpoil(TestOidcProvider::Spoil::WrongNonce);
    CHECK(signInThroughProvider(*site, provider, "/login/oidc?lang=en", &wrongNonce).status == 401);
    std::string unmapped;
    provider.setIdentity({{"sub", "sam"}, {"email", "sam@elsewhere.org"}, {"email_verified", true}, {"groups", {"g1", "g2"}}});
    provider.setSpoil(TestOidcProvider::Spoil::Nothing);
    CHECK(signInThroughProvider(*site, provider, "/login/oidc?lang=en", &unmapped).status == 403);

    const auto log = recording->text();
    CHECK_THAT(log, Catch::Contains("the ID token's nonce is not the one sent with this sign-in"));
    CHECK_THAT(log, Catch::Contains("e-mail domain 'elsewhere.org', email_verified true, hd '', 2 value(s) in claim 'groups'"));
    CHECK_THAT(log, !Catch::Contains("sam@") && !Catch::Contains("lee@") && !Catch::Contains("Lee@"));
    CHECK_THAT(log, !Catch::Contains(TestOidcProvider::kClientSecret));
    for (const auto& callback : {wrongNonce, unmapped})
        for (const auto& [name, value] : Poco::URI(callback).getQueryParameters()) CHECK_THAT(log, !Catch::Contains(value));
}
