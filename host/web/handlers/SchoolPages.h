#pragma once
/// A school's report (docs/reading-results.md, *A school's report*): what a school leader reads, and
/// what a district leader reads of one school. It shows the school's own row of the district
/// release's breakdown by school, and nothing else of the release: no other school, no breakdown
/// within the school, no item counts (docs/privacy.md, *School leaders*).

#include <nlohmann/json.hpp>

#include "store/Store.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// GET /leader/surveys/{survey}/schools/{school}?lang=..[&release=N]: the school on every scale of
/// the survey's release N (default the latest) beside the district's figure and its difference from
/// the rest of the district in words; the school across the district's school years (each year's
/// latest release); what the page does not show and why. 404, with the words of an unknown address,
/// for a school the account may not see (a school leader sees only its own) or a survey that does
/// not ask for it.
Response schoolPage(const Site& site, const Request& request, const store::Account& account);

/// The school leader's part of /leader: their school's report for each survey of the district that
/// asks for it, as a view for templates/leader.mustache ("school": name, intro, reports).
nlohmann::json schoolHomeView(const Site& site, const store::Account& account, const std::string& language);

}  // namespace mindset::web::handlers
