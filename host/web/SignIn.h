#pragma once
/// Who is signed in, and what to answer when nobody is. Every profile page, API and export goes
/// through requireSignIn (in Routes.cpp, where the route table shows which URLs it guards) or
/// calls signedInAccount / signInRequired itself. Respondents never sign in.

#include <functional>
#include <optional>
#include <string>

#include "store/Store.h"
#include "web/Http.h"
#include "web/Router.h"
#include "web/Site.h"

namespace mindset::web {

/// The cookie holding a session token (64 hex digits): Path=/; HttpOnly; SameSite=Strict, and
/// Secure when the request is secure (see isSecureRequest). No Max-Age: it ends with the browser
/// session, and the server ends the session itself after auth::kSessionLifetime.
inline constexpr const char* kSessionCookie = "mindset_session";

/// The account whose unexpired session cookie came with `request`, or nullopt.
std::optional<store::Account> signedInAccount(const Site& site, const Request& request);

/// The answer to a request that needs an account and has none:
/// - an API or export URL (isMachineUrl) gets 401 with a JSON body
///   {"error": "...", "signIn": "/login?next=..."} and
///   `WWW-Authenticate: Cookie realm="Mindset", form-action="/login", cookie-name="mindset_session"`;
/// - any other URL, a page a person opened, gets 303 to /login?next=<the URL, percent-encoded>
///   (for a GET or HEAD; other methods return to /leader after signing in).
Response signInRequired(const Request& request);

/// True for URLs that programs rather than browsers fetch: paths under /api/, paths with a
/// segment "export" or "exports" or starting with "export." (…/export, …/exports/2026.csv,
/// …/export.json), and paths whose last segment ends in .csv, .json or .xlsx.
bool isMachineUrl(const std::string& path);

/// A handler for signed-in accounts only.
using SignedInHandler = std::function<Response(const Site&, const Request&, const store::Account&)>;

/// Whether a signed-in route serves school leaders' accounts (store::Account::isSchoolScoped).
enum class SchoolLeaders {
    Refused,  ///< district-wide results: a school account gets the answer of an address that does not exist
    Served,   ///< the handler itself limits a school account to its own school (web/DistrictData.h)
};

/// A route handler that runs `handler` with the signed-in account, and answers everyone else
/// with signInRequired. Usage in Routes.cpp: {"GET", "/leader", requireSignIn(site, handlers::leaderHome)}.
/// A school leader's account reads only its school's report (docs/privacy.md): unless a route says
/// SchoolLeaders::Served, it answers such an account 404 with the words of an unknown address, before
/// the handler runs, so that every route added later is closed to school accounts until it says otherwise.
Handler requireSignIn(const Site& site, SignedInHandler handler, SchoolLeaders schoolLeaders = SchoolLeaders::Refused);

/// `next` when it is a path on this site that is safe to redirect to after signing in: it starts
/// with one "/" (not "//" or "/\", which browsers read as another host), holds only printable
/// ASCII without "\", is at most 2000 characters and is not /login or /logout. Else nullopt.
std::optional<std::string> safeNextPath(const std::string& next);

/// `text` percent-encoded for a query value (everything but A-Z a-z 0-9 - . _ ~).
std::string encodeQueryValue(const std::string& text);

/// The client's address, for in-memory limits only (LoginThrottle): the peer, or what a proxy
/// named with --trusted-proxy says (web/ClientOrigin.h). Never store or log it.
std::string clientAddress(const Request& request);

/// The Set-Cookie attributes of the session cookie for this request.
std::string sessionCookieAttributes(const Request& request);

/// Signs the browser of `request` in as `accountId` on `response`: ends the session it had, if any
/// (a new token at every sign-in: no session fixation), starts a new one and sets its cookie. The
/// one way every sign-in (password or single sign-on) makes a session.
void startSignedInSession(const Site& site, const Request& request, std::int64_t accountId, Response& response);

}  // namespace mindset::web
