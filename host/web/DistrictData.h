#pragma once
/// Which districts and surveys a signed-in account may see, and their protected profiles.
/// A district account sees only its own district; a network account (no district) sees all.
/// Anything an account may not see is answered "not found", so that it cannot learn what exists.

#include <memory>
#include <string>
#include <vector>

#include "analytics/SurveyYear.h"
#include "store/Store.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web {

/// The protected profile of `survey`, rebuilt only when its responses changed (Site::profileCache).
std::shared_ptr<const analytics::Profile> profileOf(const Site& site, const surveys::SurveyDefinition& survey);

/// True when `account` may see the district with this slug.
bool maySeeDistrict(const store::Account& account, const std::string& districtSlug);

/// The surveys `account` may see, in catalog order.
std::vector<const surveys::SurveyDefinition*> visibleSurveys(const Site& site, const store::Account& account);

/// The survey named by the URL's {survey} parameter if `account` may see it; otherwise HttpError
/// 404, so that an account cannot learn which other surveys exist.
const surveys::SurveyDefinition& surveyFor(const Site& site, const Request& request, const store::Account& account);

/// A district on this host: its slug and name (from its surveys).
struct District {
    std::string slug;
    std::string name;
};

/// Every district with at least one survey, in name order.
std::vector<District> districtsOf(const Site& site);

/// The district named by the URL's {district} parameter if `account` may see it and it has a
/// survey here; otherwise HttpError 404.
District districtFor(const Site& site, const Request& request, const store::Account& account);

/// The district's surveys with their profiles, oldest school year first (ties by survey id).
analytics::DistrictYears districtYears(const Site& site, const std::string& districtSlug);

}  // namespace mindset::web
