#include "app/ServedSite.h"

#include <algorithm>
#include <ostream>
#include <set>

#include "cli/Listings.h"
#include "web/Routes.h"

namespace mindset::app {

ServedSite::ServedSite(surveys::SurveyCatalog catalog, store::Store& store, std::function<std::chrono::year_month_day()> today,
                       std::shared_ptr<auth::OidcProvider> singleSignOn)
    : catalog_(std::move(catalog)),
      site_{.catalog = catalog_, .store = store, .today = std::move(today), .oidcProvider = std::move(singleSignOn)},
      router_(web::buildRouter(site_)) {}

ServedSite::ServedSite(surveys::SurveyCatalog catalog, const web::Site& previous)
    : catalog_(std::move(catalog)),
      site_{.catalog = catalog_,
            .store = previous.store,
            .today = previous.today,
            .newDraftLimit = previous.newDraftLimit,
            .paddingGuard = previous.paddingGuard,
            .loginThrottle = previous.loginThrottle,
            .resumeThrottle = previous.resumeThrottle,
            .oidcProvider = previous.oidcProvider,
            .pendingSignIns = previous.pendingSignIns},
      router_(web::buildRouter(site_)) {}

std::shared_ptr<const web::Router> routesOf(const std::shared_ptr<const ServedSite>& served) {
    return {served, &served->router_};
}

SurveyReload mergeReload(const surveys::SurveyCatalog& serving, surveys::SurveyCatalog fresh) {
    SurveyReload reload;
    std::set<std::string> freshIds;
    for (const auto& survey : fresh.surveys) {
        freshIds.insert(survey.id);
        const auto* before = serving.find(survey.id);
        if (!before) reload.added.push_back(survey.id);
        else if (before->json != survey.json) reload.changed.push_back(survey.id);
    }
    auto failed = [&fresh](const std::filesystem::path& file) {
        return std::any_of(fresh.invalid.begin(), fresh.invalid.end(), [&file](const auto& error) { return error.file() == file; });
    };
    for (const auto& survey : serving.surveys) {
        if (freshIds.contains(survey.id)) continue;
        if (failed(survey.file)) {
            reload.keptLastGood.push_back(survey.id);
            fresh.surveys.push_back(survey);  // its store id and stored definition are still the last good ones
        } else {
            reload.removed.push_back(survey.id);
        }
    }
    reload.catalog = std::move(fresh);
    return reload;
}

namespace {

std::string listed(const std::vector<std::string>& ids) {
    std::string text;
    for (const auto& id : ids) text += (text.empty() ? "" : ", ") + id;
    return text;
}

}  // namespace

void printReload(std::ostream& out, std::ostream& err, const SurveyReload& reload) {
    out << "Surveys reloaded: " << reload.catalog.surveys.size() << " served";
    if (!reload.changed.empty()) out << "; changed: " << listed(reload.changed);
    if (!reload.added.empty()) out << "; new: " << listed(reload.added);
    if (!reload.removed.empty()) out << "; no longer served (file gone): " << listed(reload.removed);
    if (reload.changed.empty() && reload.added.empty() && reload.removed.empty()) out << "; nothing changed";
    out << "." << std::endl;
    cli::printInvalidSurveys(err, reload.catalog);
    for (const auto& id : reload.keptLastGood)
        err << "WARNING: survey " << id << " did not load after its file was edited (problems above): staff are still "
            << "served its last good version. Fix the file, check it with `mindset surveys`, and reload again.\n";
    err.flush();
}

}  // namespace mindset::app
