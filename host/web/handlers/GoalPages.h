#pragma once
/// A district's goals (docs/goals.md): the page listing every goal with its status for each year
/// and the evidence, the forms that add, change and remove goals, each goal's action plan, the
/// change history (who, what, when), and the same as JSON. Signed-in accounts that may see the district may edit its goals;
/// every POST needs the CSRF token (web/Csrf.h), and a form with a problem stores nothing.

#include <string>

#include "analytics/SurveyYear.h"
#include "store/Store.h"
#include "web/DistrictData.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// GET /leader/districts/{district}/goals: every goal with its status per year, the form to add
/// one, and the change history. `?done=created|changed|unchanged|removed` shows what just happened.
Response goalsPage(const Site& site, const Request& request, const store::Account& account);

/// POST /leader/districts/{district}/goals (csrf, lang, scale, measure, group, target, targetYear,
/// baselineYear): adds a goal, then 303 to the goals page; 400 with the problems beside their fields.
Response createGoal(const Site& site, const Request& request, const store::Account& account);

/// GET /leader/districts/{district}/goals/{goal}: the form to change the goal, and to remove it.
Response editGoalPage(const Site& site, const Request& request, const store::Account& account);

/// POST /leader/districts/{district}/goals/{goal}: changes the goal (same fields as createGoal).
Response updateGoal(const Site& site, const Request& request, const store::Account& account);

/// POST /leader/districts/{district}/goals/{goal}/remove (csrf, lang): removes the goal; its
/// history stays.
Response removeGoal(const Site& site, const Request& request, const store::Account& account);

/// GET /leader/districts/{district}/goals/{goal}/actions: the goal's action plan (docs/goals.md#action-plans),
/// each action with its owner, due date and status (overdue ones marked), and the form to add an
/// action; `?edit={action}` puts that action in the form to change or remove it.
Response goalPlanPage(const Site& site, const Request& request, const store::Account& account);

/// POST /leader/districts/{district}/goals/{goal}/actions (csrf, lang, description, owner, dueOn,
/// status): adds an action, then 303 to the plan; 400 with the problems beside their fields.
Response createGoalAction(const Site& site, const Request& request, const store::Account& account);

/// POST /leader/districts/{district}/goals/{goal}/actions/{action}: changes the action (same fields).
Response updateGoalAction(const Site& site, const Request& request, const store::Account& account);

/// POST /leader/districts/{district}/goals/{goal}/actions/{action}/remove (csrf, lang): removes the
/// action from the plan; its history stays.
Response removeGoalAction(const Site& site, const Request& request, const store::Account& account);

/// GET /api/districts/{district}/goals?lang=: the goals with every year's figure, status and
/// evidence, and the change history, as JSON.
Response goalsApi(const Site& site, const Request& request, const store::Account& account);

/// GET /leader/districts/{district}/goals.csv?lang=: analytics::goalsToCsv of the goals that are not
/// removed, with scale titles and group labels in `lang`.
Response goalsCsv(const Site& site, const Request& request, const store::Account& account);

/// The district's goals in brief, as data: "goals" (each with "title", "targetText", "schoolYear"
/// of its latest judged year, "statusCode" as analytics::goalStatusCode, "statusText", "href"),
/// "hasGoals", "href" (the goals page) and "t" (the interface texts of `language`).
nlohmann::json goalStatusView(const Site& site, const District& district, const analytics::DistrictYears& years, const std::string& language);

/// goalStatusView as the HTML fragment goalStatusSection renders.
std::string goalStatusSection(const nlohmann::json& statusView);

/// The district's goals in brief, for another page (the comparison page): each goal with its
/// latest status, and a link to the goals page. An HTML fragment (a <section> with an <h2>),
/// rendered from templates/goal-summary.mustache in `language`.
std::string goalStatusSection(const Site& site, const District& district, const analytics::DistrictYears& years,
                              const std::string& language);

}  // namespace mindset::web::handlers
