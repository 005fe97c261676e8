#include "auth/OidcConfig.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include "surveys/SurveyFields.h"

namespace mindset::auth {

using nlohmann::json;

namespace {

constexpr std::string_view kCallbackPath = "/login/oidc/callback";

constexpr std::array<std::string_view, 9> kTopFields{"provider_name", "issuer",        "client_id", "client_secret_file",
                                                     "client_secret_env", "redirect_url", "scopes", "groups_claim", "rules"};
constexpr std::array<std::string_view, 6> kRuleFields{"email_domain", "hosted_domain", "group", "district", "school", "network"};

std::string lowered(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

class Reader {
public:
    explicit Reader(std::filesystem::path file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const std::string& where, const std::string& reason) const {
        throw OidcConfigError("--oidc " + file_.string() + ": " + (where.empty() ? "" : where + ": ") + reason);
    }

    template <std::size_t N>
    void refuseUnknownFields(const json& object, const std::array<std::string_view, N>& known, const std::string& where) const {
        for (const auto& [key, value] : object.items()) {
            if (std::find(known.begin(), known.end(), key) != known.end()) continue;
            if (key == "client_secret")
                fail(where, "the client secret must not be written in this file (it is easily shared or checked in); put it in a "
                            "file readable only by the server's user and name it with \"client_secret_file\", or name an "
                            "environment variable with \"client_secret_env\"");
            const auto nearest = surveys::nearestName(key, std::span<const std::string_view>(known.data(), known.size()));
            fail(where, "unknown field \"" + key + "\"" + (nearest.empty() ? std::string() : "; did you mean \"" + nearest + "\"?"));
        }
    }

    std::string text(const json& object, const std::string& field, const std::string& where, bool isRequired = true) const {
        const auto found = object.find(field);
        if (found == object.end()) {
            if (isRequired) fail(where, "\"" + field + "\" is missing");
            return {};
        }
        if (!found->is_string() || found->get<std::string>().empty()) fail(where, "\"" + field + "\" must be a non-empty string");
        return found->get<std::string>();
    }

private:
    std::filesystem::path file_;
};

std::string readSecretFile(const Reader& reader, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) reader.fail("client_secret_file", "cannot read '" + path + "'");
    std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r' || secret.back() == ' ')) secret.pop_back();
    if (secret.empty()) reader.fail("client_secret_file", "'" + path + "' is empty");
    return secret;
}

ScopeRule readRule(const Reader& reader, const json& rule, std::size_t index) {
    const auto where = "rules[" + std::to_string(index) + "]";
    if (!rule.is_object()) reader.fail(where, "a rule is an object such as {\"email_domain\": \"riverside.org\", \"district\": \"riverside-isd\"}");
    reader.refuseUnknownFields(rule, kRuleFields, where);

    ScopeRule result;
    int matches = 0;
    if (rule.contains("email_domain")) {
        ++matches;
        result = {ScopeRule::Match::EmailDomain, lowered(reader.text(rule, "email_domain", where)), {}};
    }
    if (rule.contains("hosted_domain")) {
        ++matches;
        result = {ScopeRule::Match::HostedDomain, lowered(reader.text(rule, "hosted_domain", where)), {}};
    }
    if (rule.contains("group")) {
        ++matches;
        result = {ScopeRule::Match::Group, reader.text(rule, "group", where), {}};
    }
    if (matches != 1) reader.fail(where, "say exactly one of \"email_domain\", \"hosted_domain\" or \"group\" (found " + std::to_string(matches) + ")");
    if (result.match != ScopeRule::Match::Group && result.value.find('@') != std::string::npos)
        reader.fail(where, "a domain has no '@': write \"riverside.org\", not \"" + result.value + "\"");

    // The widest scope is never a default: a rule without a district must say so.
    const bool isNetwork = rule.contains("network");
    if (isNetwork && rule["network"] != true) reader.fail(where, "\"network\" may only be true (the whole network)");
    if (rule.contains("district")) result.scope.districtSlug = reader.text(rule, "district", where);
    if (rule.contains("school")) result.scope.schoolSlug = reader.text(rule, "school", where);
    if (isNetwork && result.scope.districtSlug) reader.fail(where, "say either \"district\" or \"network\": true, not both");
    if (!isNetwork && !result.scope.districtSlug)
        reader.fail(where, "say which scope the rule gives: \"district\" (optionally with \"school\"), or \"network\": true for the whole network");
    if (result.scope.schoolSlug && !result.scope.districtSlug) reader.fail(where, "\"school\" needs \"district\"");
    return result;
}

void requireUrl(const Reader& reader, const std::string& field, const std::string& url) {
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception&) {
        reader.fail(field, "'" + url + "' is not a URL");
    }
    if (uri.getScheme() == "https" && !uri.getHost().empty()) return;
    if (uri.getScheme() == "http" && isLoopbackUrl(url)) return;
    reader.fail(field, "'" + url + "' must start with https:// (plain http is accepted only on this machine: localhost, 127.0.0.1)");
}

}  // namespace

std::optional<std::string> systemEnvironment(const std::string& name) {
    if (const char* value = std::getenv(name.c_str())) return std::string(value);
    return std::nullopt;
}

bool isLoopbackUrl(const std::string& url) {
    try {
        const Poco::URI uri(url);
        const auto host = uri.getHost();
        return (uri.getScheme() == "http" || uri.getScheme() == "https") &&
               (host == "localhost" || host == "127.0.0.1" || host == "::1");
    } catch (const Poco::Exception&) {
        return false;
    }
}

OidcConfig readOidcConfig(const std::filesystem::path& file, const EnvironmentLookup& environment) {
    const Reader reader(file);
    std::ifstream in(file, std::ios::binary);
    if (!in) reader.fail("", "cannot read the file");
    json document;
    try {
        document = json::parse(in);
    } catch (const json::parse_error& e) {
        reader.fail("", std::string("not valid JSON (") + e.what() + ")");
    }
    if (!document.is_object()) reader.fail("", "expected a JSON object with \"issuer\", \"client_id\", ... (docs/accounts.md)");
    reader.refuseUnknownFields(document, kTopFields, "");

    OidcConfig config;
    config.providerName = reader.text(document, "provider_name", "");
    config.issuer = reader.text(document, "issuer", "");
    requireUrl(reader, "issuer", config.issuer);
    config.clientId = reader.text(document, "client_id", "");
    config.redirectUrl = reader.text(document, "redirect_url", "");
    requireUrl(reader, "redirect_url", config.redirectUrl);
    if (const auto path = Poco::URI(config.redirectUrl).getPath(); path != kCallbackPath)
        reader.fail("redirect_url", "the path must be " + std::string(kCallbackPath) + " (Mindset's callback), got '" + path + "'");

    const auto secretFile = reader.text(document, "client_secret_file", "", false);
    const auto secretVariable = reader.text(document, "client_secret_env", "", false);
    if (secretFile.empty() == secretVariable.empty())
        reader.fail("", "name the client secret's place with exactly one of \"client_secret_file\" or \"client_secret_env\"");
    if (!secretFile.empty()) {
        config.clientSecret = readSecretFile(reader, secretFile);
    } else {
        const auto value = environment(secretVariable);
        if (!value || value->empty()) reader.fail("client_secret_env", "the environment variable " + secretVariable + " is not set");
        config.clientSecret = *value;
    }

    if (document.contains("scopes")) {
        const auto& scopes = document["scopes"];
        if (!scopes.is_array() || scopes.empty() || !std::all_of(scopes.begin(), scopes.end(), [](const json& s) { return s.is_string(); }))
            reader.fail("scopes", "expected a list of strings such as [\"openid\", \"email\", \"profile\"]");
        config.scopes = scopes.get<std::vector<std::string>>();
        if (std::find(config.scopes.begin(), config.scopes.end(), "openid") == config.scopes.end())
            reader.fail("scopes", "must include \"openid\" (without it the provider sends no ID token)");
    }
    if (document.contains("groups_claim")) config.groupsClaim = reader.text(document, "groups_claim", "");

    const auto rules = document.find("rules");
    if (rules == document.end() || !rules->is_array() || rules->empty())
        reader.fail("rules", "expected a non-empty list of rules; without one nobody could sign in");
    for (std::size_t i = 0; i < rules->size(); ++i) config.rules.push_back(readRule(reader, (*rules)[i], i));
    return config;
}

std::optional<GrantedScope> scopeFor(const std::vector<ScopeRule>& rules, const nlohmann::json& claims, const std::string& groupsClaim) {
    const bool isEmailVerified = claims.contains("email_verified") && claims["email_verified"] == true;
    std::string emailDomain;
    if (isEmailVerified && claims.contains("email") && claims["email"].is_string()) {
        const auto email = claims["email"].get<std::string>();
        if (const auto at = email.rfind('@'); at != std::string::npos) emailDomain = lowered(email.substr(at + 1));
    }
    const auto hostedDomain = isEmailVerified && claims.contains("hd") && claims["hd"].is_string() ? lowered(claims["hd"].get<std::string>()) : "";
    std::vector<std::string> groups;
    if (const auto found = claims.find(groupsClaim); found != claims.end()) {
        if (found->is_string()) groups.push_back(found->get<std::string>());
        if (found->is_array())
            for (const auto& group : *found)
                if (group.is_string()) groups.push_back(group.get<std::string>());
    }

    for (const auto& rule : rules) {
        const bool isMatch = rule.match == ScopeRule::Match::EmailDomain  ? !emailDomain.empty() && emailDomain == rule.value
                             : rule.match == ScopeRule::Match::HostedDomain ? !hostedDomain.empty() && hostedDomain == rule.value
                                                                           : std::find(groups.begin(), groups.end(), rule.value) != groups.end();
        if (isMatch) return rule.scope;
    }
    return std::nullopt;
}

}  // namespace mindset::auth
