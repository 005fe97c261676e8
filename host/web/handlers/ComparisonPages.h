#pragma once
/// A district's years compared, for signed-in leaders: the comparison page, its trends as JSON and
/// as CSV. Every figure comes from each year's protected profile (analytics::buildTrends); an
/// account sees only the districts it may see (others are "not found").

#include "analytics/Trends.h"
#include "store/Store.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// The trends of a district's years, with the instrument-version rule the host uses.
analytics::Trends districtTrends(const analytics::DistrictYears& years);

/// GET /leader/districts/{district}: trends per instrument and scale, with charts and tables.
Response comparisonPage(const Site& site, const Request& request, const store::Account& account);
/// GET /api/districts/{district}/trends: analytics::trendsToJson.
Response trendsApi(const Site& site, const Request& request, const store::Account& account);
/// GET /leader/districts/{district}/trends.csv: analytics::trendsToCsv.
Response trendsCsv(const Site& site, const Request& request, const store::Account& account);

}  // namespace mindset::web::handlers
