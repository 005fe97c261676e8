#pragma once
/// Participation while a survey is in the field: responses by school and by role against the
/// numbers expected, for leaders to follow up (analytics/Participation.h has the privacy rule).

#include <string>

#include <nlohmann/json.hpp>

#include "store/Store.h"
#include "surveys/SurveyDefinition.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// GET /leader/surveys/{survey}/participation?lang=..: whether the survey is open, and its
/// participation section. 404 for a survey the account may not see.
Response participationPage(const Site& site, const Request& request, const store::Account& account);

/// GET /api/surveys/{survey}/participation?lang=..: the same figures as JSON (analytics::participationToJson).
Response participationApi(const Site& site, const Request& request, const store::Account& account);

/// The participation of `survey` as an HTML <section> (its own heading, window state, tables by
/// school and by role with a bar per rate, the privacy note), for any page that shows it, such as
/// the district comparison page for a survey still open. The caller checks the account may see it.
std::string participationSection(const Site& site, const surveys::SurveyDefinition& survey, const std::string& language);

/// participationSection's figures as text, for an output that is not HTML (the board report):
/// "summary" (the district's response rate in a sentence), "windowText", "privacyNote", and the
/// rows by school and role ("schools", "roles": "label", "responded", "expected", "rate").
nlohmann::json participationView(const Site& site, const surveys::SurveyDefinition& survey, const std::string& language);

}  // namespace mindset::web::handlers
