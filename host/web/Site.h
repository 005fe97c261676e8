#pragma once
/// What the web handlers work with: the loaded surveys, the store, today's date, and the state kept
/// between requests (caches, limits, throttles). A survey reload (`serve`, SIGHUP) makes a new Site
/// over the new surveys that shares the limits and throttles of the old one (app/ServedSite.h).

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "auth/LoginThrottle.h"
#include "auth/OidcProvider.h"
#include "auth/PendingSignIns.h"
#include "store/Store.h"
#include "surveys/SurveyCatalog.h"
#include "web/DraftLimits.h"
#include "web/PaddingGuard.h"
#include "web/PageCache.h"
#include "web/ProfileCache.h"

namespace mindset::web {

struct Site {
    const surveys::SurveyCatalog& catalog;
    store::Store& store;
    /// Today's date where the server runs; tests substitute a fixed day.
    std::function<std::chrono::year_month_day()> today;
    /// Pages rendered once and shared by every visitor (see PageCache).
    std::shared_ptr<PageCache> pageCache = std::make_shared<PageCache>();
    /// Published releases with their profiles, by survey and release number (see ProfileCache).
    std::shared_ptr<ProfileCache> profileCache = std::make_shared<ProfileCache>();
    /// New drafts per client address and hour (in memory only, see NewDraftLimit).
    std::shared_ptr<NewDraftLimit> newDraftLimit = std::make_shared<NewDraftLimit>();
    /// Submissions of open-link surveys into groups no release shows as large, per client address (see PaddingGuard).
    std::shared_ptr<PaddingGuard> paddingGuard = std::make_shared<PaddingGuard>();
    /// Sign-in failures: per username in the store (shared by every host), per client address in memory.
    std::shared_ptr<auth::LoginThrottle> loginThrottle = std::make_shared<auth::LoginThrottle>(store);
    /// Wrong resume codes, per client address (in memory only).
    std::shared_ptr<auth::LoginThrottle> resumeThrottle = std::make_shared<auth::LoginThrottle>();
    /// The district's OpenID Connect provider (`serve --oidc FILE`, docs/accounts.md#single-sign-on);
    /// null when single sign-on is not configured, and /login/oidc then answers 404.
    std::shared_ptr<auth::OidcProvider> oidcProvider = nullptr;
    /// Single sign-ons under way (in memory only, see PendingSignIns).
    std::shared_ptr<auth::PendingSignIns> pendingSignIns = std::make_shared<auth::PendingSignIns>();
};

/// Today's date in the server's local time zone.
std::chrono::year_month_day localToday();

/// A date as YYYY-MM-DD.
std::string formatDate(std::chrono::year_month_day day);

}  // namespace mindset::web
