#pragma once
/// The respondent's pages: the list of surveys, a survey's landing page, the page-by-page form
/// with a server-side draft, the one-page form, submitting, and thanks.

#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

Response home(const Site& site, const Request& request);
Response landing(const Site& site, const Request& request);
Response start(const Site& site, const Request& request);
Response showPage(const Site& site, const Request& request);
Response savePage(const Site& site, const Request& request);
Response onePageForm(const Site& site, const Request& request);
Response submitResponse(const Site& site, const Request& request);
Response thanks(const Site& site, const Request& request);

}  // namespace mindset::web::handlers
