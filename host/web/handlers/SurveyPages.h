#pragma once
/// The respondent's pages: the list of surveys, a survey's landing page, the page-by-page form
/// with a server-side draft (and the question before starting over), the review of skipped
/// questions, the one-page form, submitting, and thanks.

#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

Response home(const Site& site, const Request& request);
Response landing(const Site& site, const Request& request);
Response start(const Site& site, const Request& request);
Response showPage(const Site& site, const Request& request);
Response savePage(const Site& site, const Request& request);
/// The review before the final submit: what was left unanswered, linked; and Submit.
Response review(const Site& site, const Request& request);
/// Submits the draft as it is, from the review page.
Response submitReviewed(const Site& site, const Request& request);
Response onePageForm(const Site& site, const Request& request);
Response submitResponse(const Site& site, const Request& request);
Response thanks(const Site& site, const Request& request);

}  // namespace mindset::web::handlers
