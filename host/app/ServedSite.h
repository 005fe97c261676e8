#pragma once
/// What `serve` answers with, from one reading of the survey folder: the surveys, the Site over them
/// and its routes. A reload (SIGHUP, `systemctl reload mindset`) reads the folder again and builds a
/// new ServedSite beside the running one; the server swaps routes between two requests, and requests
/// under way finish on the old one (docs/running-a-survey.md#changing-a-survey-while-serve-runs).

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "surveys/SurveyCatalog.h"
#include "web/Router.h"
#include "web/Site.h"

namespace mindset::app {

class ServedSite {
public:
    /// The first one `serve` starts with: a Site over `catalog` with fresh caches, limits and throttles.
    ServedSite(surveys::SurveyCatalog catalog, store::Store& store, std::function<std::chrono::year_month_day()> today,
               std::shared_ptr<auth::OidcProvider> singleSignOn);
    /// A reload's: over `catalog`, with `previous`'s limits, throttles and single sign-ons under way
    /// (a reload must not reset what protects sign-in and the small groups), and fresh page and
    /// profile caches (the pages change with the surveys).
    ServedSite(surveys::SurveyCatalog catalog, const web::Site& previous);
    // The routes hold references to the site, and the site to the catalog: neither may move.
    ServedSite(const ServedSite&) = delete;
    ServedSite& operator=(const ServedSite&) = delete;

    const surveys::SurveyCatalog& catalog() const { return catalog_; }
    const web::Site& site() const { return site_; }

private:
    friend std::shared_ptr<const web::Router> routesOf(const std::shared_ptr<const ServedSite>& served);
    surveys::SurveyCatalog catalog_;
    web::Site site_;
    web::Router router_;
};

/// The routes of `served`, which keep all of `served` alive as long as a request holds them.
std::shared_ptr<const web::Router> routesOf(const std::shared_ptr<const ServedSite>& served);

/// The surveys to serve after a reload, and what changed (survey ids, in file order).
struct SurveyReload {
    surveys::SurveyCatalog catalog;
    std::vector<std::string> added;
    std::vector<std::string> changed;
    std::vector<std::string> removed;
    /// Served before, and their file now fails to load or breaks a promise to stored responses:
    /// the last good version is still served.
    std::vector<std::string> keptLastGood;
};

/// Merges a fresh reading of the survey folder (saved to the store as at start: app::saveSurveys)
/// with what is being served. A survey that loads is served as it now reads; a survey served before
/// whose file is now invalid or refused keeps its last good version; one whose file is gone (or now
/// holds another id) is no longer served.
SurveyReload mergeReload(const surveys::SurveyCatalog& serving, surveys::SurveyCatalog fresh);

/// What a reload did, for the server's log: one line of what changed; for every survey kept at its
/// last good version a WARNING with every problem of its file; files that are not served, with why.
void printReload(std::ostream& out, std::ostream& err, const SurveyReload& reload);

}  // namespace mindset::app
