#pragma once
/// Signing in through the district's OpenID Connect provider (docs/accounts.md#single-sign-on):
/// the authorization code flow with PKCE (S256), a single-use `state` bound to the browser by a
/// cookie, and a `nonce` the ID token must carry back. The session it makes is the one a password
/// sign-in makes (web/SignIn.h: startSignedInSession). Both routes answer 404 without `--oidc`.

#include "auth/LoginThrottle.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// GET /login/oidc?next=PATH&lang=..: 303 to the provider's authorization endpoint, with the
/// mindset_sso cookie (SameSite=Lax, so that it comes back with the provider's redirect). Someone
/// signed in goes on to `next`; 429 while `throttle` holds the client address back or too many
/// sign-ins from it are under way; 502 when the provider's discovery document cannot be read.
Response startSingleSignOn(const Site& site, auth::LoginThrottle& throttle, const Request& request);

/// GET /login/oidc/callback?code=..&state=..: exchanges the code, verifies the ID token, maps the
/// identity to a scope and signs the browser in; then a page that moves on to `next` itself. Every
/// refusal is a page that says why, with no session: 400 a state unknown, used or of another
/// browser, 401 a token that fails a check, 403 an identity no rule gives a scope, 409 a name held
/// by another account, 502 the provider unreachable. A bad state or token counts as a failed
/// sign-in of the client address in `throttle`, as a wrong password does.
Response finishSingleSignOn(const Site& site, auth::LoginThrottle& throttle, const Request& request);

}  // namespace mindset::web::handlers
