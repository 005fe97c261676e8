#pragma once
/// What signed-in equity leaders read: a survey's district profile as a page, as JSON and as CSV
/// tables, always one published release of it (`?release=N`, by default the latest). Every output
/// of a release comes from the same protected analytics::Profile.

#include "store/Store.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

Response profilePage(const Site& site, const Request& request, const store::Account& account);
Response profileApi(const Site& site, const Request& request, const store::Account& account);
Response profileTableCsv(const Site& site, const Request& request, const store::Account& account);
/// POST from the profile page: publishes the survey's next release (interim while it is open,
/// final once closed), then shows it; a refusal (409) says why.
Response publishRelease(const Site& site, const Request& request, const store::Account& account);

}  // namespace mindset::web::handlers
