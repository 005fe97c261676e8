#pragma once
/// Continuing a draft on another device: a resume code shown once on the device that holds the
/// draft, and typed on the survey's landing page of another (store/ResumeCode.h says how the code
/// opens the sealed draft without the server being able to).

#include "auth/LoginThrottle.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// POST /surveys/{survey}/resume-code: makes a new resume code for this browser's draft (replacing
/// any earlier one) and shows it, once. Without a draft, back to the landing page.
Response createResumeCode(const Site& site, const Request& request);

/// POST /surveys/{survey}/resume: opens the draft of the typed resume code on this browser (its
/// cookie) and goes to the page it was left on; the code is then used up. Wrong codes count
/// against the client's address in `throttle` (as failed sign-ins do): past the limit, 429.
Response resumeWithCode(const Site& site, auth::LoginThrottle& throttle, const Request& request);

}  // namespace mindset::web::handlers
