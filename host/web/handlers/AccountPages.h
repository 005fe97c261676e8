#pragma once
/// Signing in and out, and the signed-in leader's landing page. Accounts are made with
/// `mindset users add`; see docs/accounts.md.

#include "auth/LoginThrottle.h"
#include "store/Store.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// GET /login?next=PATH&lang=..: the sign-in form. A visitor already signed in goes on to `next`.
Response signInPage(const Site& site, const Request& request);

/// POST /login (username, password, csrf, next, lang): 303 to `next` (or /leader) with the session
/// cookie; 401 with one message whether the username or the password was wrong; 429 while
/// `throttle` holds the username or the address back; 403 without a valid CSRF token.
Response signIn(const Site& site, auth::LoginThrottle& throttle, const Request& request);

/// POST /logout (csrf, lang): ends the session in the store, clears the cookie, 303 to /login.
Response signOut(const Site& site, const Request& request);

/// GET /leader: the surveys a leader can open, and the sign-out button.
Response leaderHome(const Site& site, const Request& request, const store::Account& account);

}  // namespace mindset::web::handlers
