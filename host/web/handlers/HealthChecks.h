#pragma once
/// What a service manager or load balancer asks (docs/running-a-survey.md, "Health checks"):
/// is the process alive, and can it serve. Plain text, never cached, no secrets, no sign-in.

#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// GET /healthz: liveness. 200 "ok" whenever the server answers at all; touches nothing else, so
/// that a slow database never gets a live process restarted.
Response liveness(const Request& request);

/// GET /readyz: readiness. 200 "ready" when the database answers a trivial query with the schema
/// this program runs, and at least one survey is served (so its instrument plugins loaded);
/// otherwise 503 "not ready: REASON", one line per reason.
Response readiness(const Site& site, const Request& request);

}  // namespace mindset::web::handlers
