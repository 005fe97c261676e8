#pragma once
/// Peer districts (docs/peers.md): where a district stands among the other districts on this host,
/// for its leaders (network staff's view of every district is handlers/NetworkPages). All of it
/// comes from analytics/Peers, which reads the districts' protected profiles only.

#include <string>

#include "store/Store.h"
#include "web/DistrictData.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// GET /leader/districts/{district}/peers?lang=..: the district's standing on each scale, for each
/// of its school years (newest first), as band charts with tables; a withheld comparison says why.
/// 404 for a district the account may not see.
Response peersPage(const Site& site, const Request& request, const store::Account& account);

/// GET /api/districts/{district}/peers?lang=..: the same as JSON.
Response peersApi(const Site& site, const Request& request, const store::Account& account);

/// GET /leader/districts/{district}/peers.csv: analytics::peerStandingsToCsv.
Response peersCsv(const Site& site, const Request& request, const store::Account& account);

}  // namespace mindset::web::handlers
