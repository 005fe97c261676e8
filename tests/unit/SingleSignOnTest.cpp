#include <catch2/catch.hpp>

#include <sstream>

#include "app/Startup.h"
#include "auth/IdToken.h"
#include "auth/OidcConfig.h"
#include "auth/PendingSignIns.h"
#include "cli/Users.h"
#include "store/Store.h"
#include "support/TestDatabase.h"
#include "support/TestSupport.h"

// Single sign-on (issue 14, item 5): the operator's configuration, the mapping rules, the pending
// sign-ins and the accounts it keeps. The flow itself is tested over HTTP (SingleSignOnHttpTest).

using namespace mindset;
using Match = auth::ScopeRule::Match;

namespace {

const char* kGoodConfig = R"({
  "provider_name": "Riverside Google",
  "issuer": "https://accounts.google.com",
  "client_id": "1234.apps.googleusercontent.com",
  "client_secret_env": "MINDSET_TEST_OIDC_SECRET",
  "redirect_url": "https://mindset.riverside.org/login/oidc/callback",
  "rules": [
    {"hosted_domain": "Riverside.org", "district": "riverside-isd"},
    {"group": "lakeview-leaders", "district": "riverside-isd", "school": "lakeview-elementary"},
    {"email_domain": "equity-network.org", "network": true}
  ]
})";

std::optional<std::string> testEnvironment(const std::string& name) {
    if (name == "MINDSET_TEST_OIDC_SECRET") return std::string("s3cret-from-the-environment");
    return std::nullopt;
}

/// The configuration `text` read from a file, or the error it gives ("" when none).
std::string refusalOf(const std::string& text) {
    testing::TempFolder folder;
    const auto file = folder.path() / "oidc.json";
    testing::writeFile(file, text);
    try {
        auth::readOidcConfig(file, testEnvironment);
    } catch (const auth::OidcConfigError& e) {
        return e.what();
    }
    return "";
}

std::string withField(const std::string& field, const std::string& replacement) {
    auto json = nlohmann::json::parse(kGoodConfig);
    if (replacement.empty()) json.erase(field);
    else json[field] = nlohmann::json::parse(replacement);
    return json.dump();
}

}  // namespace

TEST_CASE("a single sign-on configuration is read with its rules in order and its secret from the environment or a file", "[unit][sso]") {
    testing::TempFolder folder;
    const auto file = folder.path() / "oidc.json";
    testing::writeFile(file, kGoodConfig);
    const auto config = auth::readOidcConfig(file, testEnvironment);
    CHECK(config.providerName == "Riverside Google");
    CHECK(config.issuer == "https://accounts.google.com");
    CHECK(config.clientSecret == "s3cret-from-the-environment");
    CHECK(config.scopes == std::vector<std::string>{"openid", "email", "profile"});
    REQUIRE(config.rules.size() == 3);
    CHECK(config.rules[0].match == Match::HostedDomain);
    CHECK(config.rules[0].value == "riverside.org");  // domains compare without case
    CHECK(config.rules[1].scope.schoolSlug == std::optional<std::string>("lakeview-elementary"));
    CHECK_FALSE(config.rules[2].scope.districtSlug);

    testing::writeFile(folder.path() / "secret", "from-a-file\n");
    auto json = nlohmann::json::parse(kGoodConfig);
    json.erase("client_secret_env");
    json["client_secret_file"] = (folder.path() / "secret").string();
    testing::writeFile(file, json.dump());
    CHECK(auth::readOidcConfig(file, testEnvironment).clientSecret == "from-a-file");
}

TEST_CASE("a single sign-on configuration that is wrong is refused with the field and the reason", "[unit][sso]") {
    CHECK_THAT(refusalOf(withField("client_secret", "\"abc\"")), Catch::Contains("the client secret must not be written in this file"));
    CHECK_THAT(refusalOf(withField("isuer", "\"x\"")), Catch::Contains("unknown field \"isuer\"; did you mean \"issuer\"?"));
    CHECK_THAT(refusalOf(withField("issuer", "\"http://accounts.google.com\"")), Catch::Contains("issuer: 'http://accounts.google.com' must start with https://"));
    CHECK(refusalOf(withField("issuer", "\"http://127.0.0.1:9999\"")).empty());  // plain http on this machine only
    CHECK_THAT(refusalOf(withField("redirect_url", "\"https://mindset.riverside.org/oidc\"")),
               Catch::Contains("redirect_url: the path must be /login/oidc/callback"));
    CHECK_THAT(refusalOf(withField("client_secret_env", "\"NOT_SET_ANYWHERE\"")),
               Catch::Contains("client_secret_env: the environment variable NOT_SET_ANYWHERE is not set"));
    CHECK_THAT(refusalOf(withField("client_secret_env", "")), Catch::Contains("exactly one of \"client_secret_file\" or \"client_secret_env\""));
    CHECK_THAT(refusalOf(withField("rules", "[]")), Catch::Contains("rules: expected a non-empty list"));
    CHECK_THAT(refusalOf(withField("scopes", "[\"email\"]")), Catch::Contains("must include \"openid\""));
    // The widest scope is never a default: a rule must say what it gives.
    CHECK_THAT(refusalOf(withField("rules", R"([{"email_domain": "riverside.org"}])")),
               Catch::Contains("rules[0]: say which scope the rule gives"));
    CHECK_THAT(refusalOf(withField("rules", R"([{"email_domain": "riverside.org", "group": "g", "district": "d"}])")),
               Catch::Contains("rules[0]: say exactly one of"));
    CHECK_THAT(refusalOf(withField("rules", R"([{"email_domain": "@riverside.org", "district": "d"}])")), Catch::Contains("a domain has no '@'"));
    CHECK_THAT(refusalOf(withField("rules", R"([{"group": "g", "network": false}])")), Catch::Contains("\"network\" may only be true"));
    CHECK_THAT(refusalOf(withField("rules", R"([{"group": "g", "school": "s", "network": true}])")), Catch::Contains("\"school\" needs \"district\""));
    CHECK_THAT(refusalOf(withField("rules", R"([{"group": "g", "distrct": "d"}])")), Catch::Contains("did you mean \"district\"?"));
    CHECK_THAT(refusalOf("{\"issuer\": "), Catch::Contains("not valid JSON"));
}

TEST_CASE("serve refuses a rule whose district or school no survey names, as users add does", "[unit][sso]") {
    testing::TempFolder folder;
    const auto file = folder.path() / "oidc.json";
    testing::writeFile(file, kGoodConfig);
    ::setenv("MINDSET_TEST_OIDC_SECRET", "s3cret", 1);
    const std::map<std::string, std::set<std::string>> known{{"riverside-isd", {"lakeview-elementary", "eastside-high"}}};
    CHECK(app::loadSingleSignOn(file, known));
    CHECK_THROWS_WITH(app::loadSingleSignOn(file, {{"riversid-isd", {"lakeview-elementary"}}}),
                      Catch::Contains("rules[0]: --district 'riverside-isd' is not a known district; did you mean 'riversid-isd'?"));
    CHECK_THROWS_WITH(app::loadSingleSignOn(file, {{"riverside-isd", {"eastside-high"}}}),
                      Catch::Contains("rules[1]: --school 'lakeview-elementary' is not a school of district 'riverside-isd'"));
    ::unsetenv("MINDSET_TEST_OIDC_SECRET");
}

TEST_CASE("the first rule an identity matches gives its scope; e-mail and hosted domains only when the e-mail is verified", "[unit][sso]") {
    const std::vector<auth::ScopeRule> rules{
        {Match::Group, "lakeview-leaders", {std::string("riverside-isd"), std::string("lakeview-elementary")}},
        {Match::EmailDomain, "riverside.org", {std::string("riverside-isd"), std::nullopt}},
        {Match::HostedDomain, "equity-network.org", {std::nullopt, std::nullopt}}};
    auto scopeOf = [&](const nlohmann::json& claims) { return auth::scopeFor(rules, claims, "groups"); };

    const auto school = scopeOf({{"email", "pat@riverside.org"}, {"email_verified", true}, {"groups", {"x", "lakeview-leaders"}}});
    REQUIRE(school);
    CHECK(school->schoolSlug == std::optional<std::string>("lakeview-elementary"));
    const auto district = scopeOf({{"email", "Lee@RIVERSIDE.org"}, {"email_verified", true}});
    REQUIRE(district);
    CHECK_FALSE(district->schoolSlug);
    CHECK(scopeOf({{"groups", {"lakeview-leaders"}}}));  // a group needs no e-mail
    CHECK(scopeOf({{"email", "ana@gmail.com"}, {"hd", "equity-network.org"}, {"email_verified", true}}));

    CHECK_FALSE(scopeOf({{"email", "lee@riverside.org"}, {"email_verified", false}}));
    CHECK_FALSE(scopeOf({{"email", "lee@riverside.org"}}));
    CHECK_FALSE(scopeOf({{"email", "lee@riverside.org"}, {"email_verified", "true"}}));
    CHECK_FALSE(scopeOf({{"email", "lee@sub.riverside.org"}, {"email_verified", true}}));
    CHECK_FALSE(scopeOf({{"email", "riverside.org@evil.example"}, {"email_verified", true}}));
    CHECK_FALSE(scopeOf({{"hd", "equity-network.org"}, {"email_verified", false}}));
    CHECK_FALSE(scopeOf({{"groups", {"Lakeview-Leaders"}}}));  // group ids compare exactly
    CHECK_FALSE(scopeOf(nlohmann::json::object()));
}

TEST_CASE("a pending sign-in is taken once, and not after it expires", "[unit][sso]") {
    auth::PendingSignIns pending;
    const auto state = pending.add({"nonce", "verifier", "hash", "/leader", "en"}, "192.0.2.1", 1000);
    REQUIRE(state);
    CHECK(state->size() == 64);
    const auto taken = pending.take(*state, 1001);
    REQUIRE(taken);
    CHECK(taken->nonce == "nonce");
    CHECK_FALSE(pending.take(*state, 1002));

    const auto old = pending.add({"n", "v", "h", "/leader", "en"}, "192.0.2.1", 1000);
    CHECK_FALSE(pending.take(*old, 1000 + auth::PendingSignIns::kLifetime.count()));

    for (std::size_t i = 0; i < auth::PendingSignIns::kMaxPerAddress; ++i) REQUIRE(pending.add({"n", "v", "h", "/", "en"}, "192.0.2.9", 2000));
    CHECK_FALSE(pending.add({"n", "v", "h", "/", "en"}, "192.0.2.9", 2000));
    CHECK(pending.add({"n", "v", "h", "/", "en"}, "192.0.2.10", 2000));
}

TEST_CASE("PKCE's S256 challenge is RFC 7636's", "[unit][sso]") {
    // RFC 7636 appendix B.
    CHECK(auth::pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST_CASE("a single sign-on account is keyed by issuer and subject, follows its rules' scope, and takes no name of another account", "[unit][sso]") {
    store::Store store(testing::storeLocation());
    store::Account lee{0, "lee@riverside.org", "", std::string("riverside-isd"), "2026-12-03", std::nullopt,
                       std::string("https://accounts.google.com"), std::string("1001")};
    const auto made = store.saveSingleSignOnAccount(lee);
    REQUIRE(made);
    CHECK(made->isSingleSignOn());

    lee.username = "lee.park@riverside.org";  // a new address: the same account
    lee.schoolSlug = "lakeview-elementary";
    const auto again = store.saveSingleSignOnAccount(lee);
    REQUIRE(again);
    CHECK(again->id == made->id);
    CHECK(again->schoolSlug == std::optional<std::string>("lakeview-elementary"));
    CHECK(store.listAccounts().size() == 1);

    REQUIRE(store.createAccount({0, "pat", "hash", std::nullopt, "2026-12-03"}));
    store::Account other{0, "pat", "", std::nullopt, "2026-12-03", std::nullopt, std::string("https://accounts.google.com"), std::string("1002")};
    CHECK_FALSE(store.saveSingleSignOnAccount(other));
    CHECK_FALSE(store.findAccountByUsername("pat")->isSingleSignOn());

    std::ostringstream out;
    CHECK_THROWS_WITH(cli::setUserPassword(out, store, "lee.park@riverside.org", "a long enough password"),
                      Catch::Contains("signs in with single sign-on and has no password here"));
    std::ostringstream listing;
    cli::printUsers(listing, store);
    CHECK_THAT(listing.str(), Catch::Contains("school lakeview-elementary of district riverside-isd (single sign-on)"));
}
