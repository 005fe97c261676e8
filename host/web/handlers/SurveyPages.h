#pragma once
/// The respondent's pages: the list of surveys, a survey's form, submitting it, and thanks.

#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

Response home(const Site& site, const Request& request);
Response surveyForm(const Site& site, const Request& request);
Response submitResponse(const Site& site, const Request& request);
Response thanks(const Site& site, const Request& request);

}  // namespace mindset::web::handlers
