#pragma once
/// The board report (docs/reading-results.md#the-board-report): the district summary as a PDF of a
/// few pages to hand to a school board — each scale's latest figure with its change and place
/// among peers, the response rate, the largest gaps, the groups × scales heatmap, each scale year
/// by year, the goals, the peer comparison, how to read it and where its figures come from.
/// Every figure and sentence is the summary page's own (districtSummary), or formatted from the
/// same trends and peer standings the years-compared and peers pages show; nothing a page hides
/// is printed.

#include <string>

#include "report/Document.h"
#include "store/Store.h"
#include "web/DistrictData.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// The board report of `district` in `language` ("en" or "es") as a document to render
/// (report::renderPdf), from each year's latest release. A district without a release gets a
/// one-page document that says so.
report::Document boardReportDocument(const Site& site, const District& district, const std::string& language);

/// The file name of the report on paper `paperName`: "riverside-isd-board-report-letter.pdf".
std::string boardReportFileName(const District& district, const std::string& paperName);

/// GET /leader/districts/{district}/report.pdf?paper=letter|a4&lang=..: the board report as a
/// download (Content-Disposition: attachment; never cached). 404 for a district the account may
/// not see; 400 naming the value for a paper other than letter or a4 (default: letter).
Response boardReportPdf(const Site& site, const Request& request, const store::Account& account);

}  // namespace mindset::web::handlers
