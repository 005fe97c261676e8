#pragma once
/// The district summary (docs/reading-results.md): a district leader's landing page, which answers
/// on its first screen what the latest published results say, in words a school board reads.

#include <nlohmann/json.hpp>

#include "analytics/Peers.h"
#include "analytics/SurveyYear.h"
#include "analytics/Trends.h"
#include "store/Store.h"
#include "web/DistrictData.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// GET /leader/districts/{district}/summary?lang=..: per scale of the latest school year its average
/// and % favorable, the change since the year before with a verdict in words, its place among peer
/// districts; the largest gaps between racial/ethnic groups and the rest of the district and whether
/// they are closing; a heatmap of every group against the rest of the district; a preliminary notice
/// at the top while the latest survey is open. Every figure is a figure of a published release
/// (the trends, peers and profile already computed), and the page names each release.
/// 404 for a district the account may not see.
Response summaryPage(const Site& site, const Request& request, const store::Account& account);

/// Everything the summary shows, computed once and shared by the page and the board report
/// (web/BoardReport), so that both show the same figures in the same words.
struct DistrictSummary {
    analytics::DistrictYears years;                      ///< oldest first; empty: nothing released yet
    analytics::Trends trends;                            ///< of `years` (empty without a release)
    std::vector<analytics::PeerYearStanding> standings;  ///< the district's, newest first
    /// The page's view (without the navigation frame): every figure as text in `language`, as the
    /// summary template shows it; "noRelease" when nothing is released yet.
    nlohmann::json view;
};

/// The summary of `district` in `language` ("en" or "es") from each year's latest release.
DistrictSummary districtSummary(const Site& site, const District& district, const std::string& language);

}  // namespace mindset::web::handlers
