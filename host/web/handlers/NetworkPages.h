#pragma once
/// The network at a glance (docs/peers.md, "The network view"): for network staff, every district's
/// latest published release on one screen, sortable by server-side links.

#include "store/Store.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// GET /network?lang=..&sort=..&order=asc|desc: one row per district with a release: its name
/// (linking to its summary when the account may see it), survey status (open or closed) and the
/// release shown, its response rate in that release, each scale's average with the change since
/// the district's previous school year (coloured, with the same words the district's summary uses),
/// and its largest clear gap by race/ethnicity. `sort` is "district" (the default), "rate", "gap"
/// or a scale as "instrument.scale" (e.g. "equity-excellence.high-expectations"); a value it does
/// not know is a 400 naming it. A group or figure a release hides says only "hidden". Network
/// accounts only: a district account gets 404, as for anything else it may not see.
Response networkPage(const Site& site, const Request& request, const store::Account& account);

}  // namespace mindset::web::handlers
