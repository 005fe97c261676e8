#pragma once
/// What the web handlers work with: the loaded surveys, the store, and today's date.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

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
