#include "web/Routes.h"

#include <map>

#include "auth/LoginThrottle.h"
#include "web/SignIn.h"
#include "web/handlers/AccountPages.h"
#include "web/handlers/BoardReportPages.h"
#include "web/handlers/CommentPages.h"
#include "web/handlers/ParticipationPages.h"
#include "web/handlers/GoalPages.h"
#include "web/handlers/HealthChecks.h"
#include "web/handlers/NetworkPages.h"
#include "web/handlers/PeerPages.h"
#include "web/handlers/ComparisonPages.h"
#include "web/handlers/ProfilePages.h"
#include "web/handlers/SummaryPages.h"
#include "web/handlers/SchoolPages.h"
#include "web/handlers/ResumePages.h"
#include "web/handlers/SingleSignOnPages.h"
#include "web/handlers/SurveyPages.h"

namespace mindset::embedded {
const std::map<std::string_view, std::string_view>& staticAssets();
}

namespace mindset::web {

namespace {

Response staticAsset(const Request& request) {
    const auto& assets = embedded::staticAssets();
    const auto& name = request.pathParams.at("file");
    auto asset = assets.find(name);
    if (asset == assets.end()) throw HttpError(404, "There is no file called “" + name + "”.");
    const bool isCss = name.size() > 4 && name.ends_with(".css");
    Response response{200, isCss ? "text/css; charset=utf-8" : "application/octet-stream", std::string(asset->second), {}};
    response.headers.emplace_back("Cache-Control", "public, max-age=300");
    return response;
}

}  // namespace

Router buildRouter(const Site& site) {
    auto with = [&site](Response (*handler)(const Site&, const Request&)) {
        return [&site, handler](const Request& request) { return handler(site, request); };
    };
    // The throttles are the site's (a reload's new routes keep counting where the old ones were).
    // Usernames' locks are in the database: a lock made on one host holds on every host sharing it.
    const auto loginThrottle = site.loginThrottle;
    const auto resumeThrottle = site.resumeThrottle;
    return Router({
        {"GET", "/", with(handlers::home)},
        // For service managers and load balancers (docs/running-a-survey.md): alive, and able to serve.
        {"GET", "/healthz", handlers::liveness},
        {"GET", "/readyz", with(handlers::readiness)},
        {"GET", "/static/{file}", staticAsset},
        {"GET", "/surveys/{survey}", with(handlers::landing)},
        {"POST", "/surveys/{survey}/start", with(handlers::start)},
        {"POST", "/surveys/{survey}/resume-code", with(handlers::createResumeCode)},
        {"POST", "/surveys/{survey}/resume", [&site, resumeThrottle](const Request& r) { return handlers::resumeWithCode(site, *resumeThrottle, r); }},
        {"GET", "/surveys/{survey}/pages/{page}", with(handlers::showPage)},
        {"POST", "/surveys/{survey}/pages/{page}", with(handlers::savePage)},
        {"GET", "/surveys/{survey}/review", with(handlers::review)},
        {"POST", "/surveys/{survey}/review", with(handlers::submitReviewed)},
        {"GET", "/surveys/{survey}/all", with(handlers::onePageForm)},
        {"POST", "/surveys/{survey}/responses", with(handlers::submitResponse)},
        {"GET", "/surveys/{survey}/thanks", with(handlers::thanks)},
        // Staff accounts (docs/accounts.md). Wrap every profile page, API and export in requireSignIn.
        {"GET", "/login", with(handlers::signInPage)},
        {"POST", "/login", [&site, loginThrottle](const Request& r) { return handlers::signIn(site, *loginThrottle, r); }},
        {"POST", "/logout", with(handlers::signOut)},
        // Single sign-on (`serve --oidc`): the same throttle as passwords counts bad states and tokens per address.
        {"GET", "/login/oidc", [&site, loginThrottle](const Request& r) { return handlers::startSingleSignOn(site, *loginThrottle, r); }},
        {"GET", "/login/oidc/callback", [&site, loginThrottle](const Request& r) { return handlers::finishSingleSignOn(site, *loginThrottle, r); }},
        // A school leader's account reaches only the routes marked SchoolLeaders::Served; every other
        // signed-in route answers it 404 before its handler runs (web/SignIn.h, docs/privacy.md).
        {"GET", "/leader", requireSignIn(site, handlers::leaderHome, SchoolLeaders::Served)},
        {"GET", "/leader/surveys/{survey}/schools/{school}", requireSignIn(site, handlers::schoolPage, SchoolLeaders::Served)},
        {"GET", "/leader/surveys/{survey}", requireSignIn(site, handlers::profilePage)},
        {"POST", "/leader/surveys/{survey}/releases", requireSignIn(site, handlers::publishRelease)},  // checks the CSRF token
        {"GET", "/leader/surveys/{survey}/tables/{table}", requireSignIn(site, handlers::profileTableCsv)},
        {"GET", "/api/surveys/{survey}/profile", requireSignIn(site, handlers::profileApi)},
        {"GET", "/leader/surveys/{survey}/participation", requireSignIn(site, handlers::participationPage)},
        {"GET", "/leader/surveys/{survey}/comments", requireSignIn(site, handlers::commentsPage)},  // final release only, page only
        {"GET", "/api/surveys/{survey}/participation", requireSignIn(site, handlers::participationApi)},
        // A district's goals (docs/goals.md): every POST checks the CSRF token.
        {"GET", "/leader/districts/{district}/goals", requireSignIn(site, handlers::goalsPage)},
        {"POST", "/leader/districts/{district}/goals", requireSignIn(site, handlers::createGoal)},
        {"GET", "/leader/districts/{district}/goals/{goal}", requireSignIn(site, handlers::editGoalPage)},
        {"POST", "/leader/districts/{district}/goals/{goal}", requireSignIn(site, handlers::updateGoal)},
        {"POST", "/leader/districts/{district}/goals/{goal}/remove", requireSignIn(site, handlers::removeGoal)},
        {"GET", "/leader/districts/{district}/goals/{goal}/actions", requireSignIn(site, handlers::goalPlanPage)},
        {"POST", "/leader/districts/{district}/goals/{goal}/actions", requireSignIn(site, handlers::createGoalAction)},
        {"POST", "/leader/districts/{district}/goals/{goal}/actions/{action}", requireSignIn(site, handlers::updateGoalAction)},
        {"POST", "/leader/districts/{district}/goals/{goal}/actions/{action}/remove", requireSignIn(site, handlers::removeGoalAction)},
        {"GET", "/api/districts/{district}/goals", requireSignIn(site, handlers::goalsApi)},
        {"GET", "/leader/districts/{district}/goals.csv", requireSignIn(site, handlers::goalsCsv)},
        // Peer districts (docs/peers.md): a district's standing among peers; /network (every district at a glance) for network accounts only.
        {"GET", "/leader/districts/{district}/peers", requireSignIn(site, handlers::peersPage)},
        {"GET", "/api/districts/{district}/peers", requireSignIn(site, handlers::peersApi)},
        {"GET", "/leader/districts/{district}/peers.csv", requireSignIn(site, handlers::peersCsv)},
        {"GET", "/network", requireSignIn(site, handlers::networkPage)},
        {"GET", "/leader/districts/{district}/summary", requireSignIn(site, handlers::summaryPage)},  // a leader's landing per district
        {"GET", "/leader/districts/{district}/report.pdf", requireSignIn(site, handlers::boardReportPdf)},  // the summary as a board report
        {"GET", "/leader/districts/{district}", requireSignIn(site, handlers::comparisonPage)},
        {"GET", "/leader/districts/{district}/trends.csv", requireSignIn(site, handlers::trendsCsv)},
        {"GET", "/api/districts/{district}/trends", requireSignIn(site, handlers::trendsApi)},
    });
}

}  // namespace mindset::web
