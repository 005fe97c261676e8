#pragma once
/// The district summary (docs/reading-results.md): a district leader's landing page, which answers
/// on its first screen what the latest published results say, in words a school board reads.

#include "store/Store.h"
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

}  // namespace mindset::web::handlers
