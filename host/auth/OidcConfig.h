#pragma once
/// Single sign-on with OpenID Connect: the operator's configuration (`mindset serve --oidc FILE`,
/// docs/accounts.md#single-sign-on) and the rules that turn a verified identity into a scope.
/// An identity no rule matches gets no scope at all: it is refused, never given a default.

#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mindset::auth {

/// The configuration file is unusable; the message names the file, the field and the reason.
class OidcConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What an account may see, as store::Account holds it: no district is the whole network; a
/// school always comes with its district.
struct GrantedScope {
    std::optional<std::string> districtSlug;
    std::optional<std::string> schoolSlug;
};

/// One mapping rule: an identity whose claims match it gets its scope.
struct ScopeRule {
    enum class Match {
        EmailDomain,   ///< the `email` claim's domain, and only when `email_verified` is true
        HostedDomain,  ///< Google's `hd` claim (the Workspace domain of the account), with a verified e-mail
        Group,         ///< one of the values of the groups claim (Entra: the group's object id)
    };
    Match match = Match::EmailDomain;
    std::string value;  ///< the domain (lowercase) or the group, as the provider sends it
    GrantedScope scope;
};

/// The operator's single sign-on configuration.
struct OidcConfig {
    std::string providerName;  ///< on the sign-in button: "Sign in with <providerName>"
    std::string issuer;        ///< exactly as the provider's `iss` claim and discovery document say it
    std::string clientId;
    std::string clientSecret;  ///< read from a file or an environment variable; never printed or logged
    std::string redirectUrl;   ///< this server's callback, https://HOST/login/oidc/callback
    std::vector<std::string> scopes = {"openid", "email", "profile"};
    std::string groupsClaim = "groups";
    std::vector<ScopeRule> rules;  ///< in the file's order: the first that matches decides
};

/// Looks an environment variable up; nullopt when it is not set.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string&)>;

/// The process's environment.
std::optional<std::string> systemEnvironment(const std::string& name);

/// Reads and checks a configuration file (JSON, fields in docs/accounts.md). Unknown fields, a
/// client secret written in the file itself, a rule without an explicit scope, an http:// issuer or
/// redirect URL other than on this machine, and a redirect URL whose path is not
/// /login/oidc/callback are all refused. Throws OidcConfigError.
OidcConfig readOidcConfig(const std::filesystem::path& file, const EnvironmentLookup& environment = systemEnvironment);

/// The scope of the first rule that the verified `claims` (an ID token's payload) match, or
/// nullopt when none does. E-mail and hosted-domain rules match only when `email_verified` is the
/// JSON value true.
std::optional<GrantedScope> scopeFor(const std::vector<ScopeRule>& rules, const nlohmann::json& claims, const std::string& groupsClaim);

/// True when `url` is http:// or https:// on a loopback host (localhost, 127.0.0.1, [::1]), the
/// only place plain http is allowed (development and the tests' own provider).
bool isLoopbackUrl(const std::string& url);

}  // namespace mindset::auth
