#pragma once
/// The comments of a survey's final release, for leaders: word for word, contact details masked,
/// by school, only for schools at or above the survey's commentMinGroupSize (docs/privacy.md, R10).
/// A page only: comments are never offered as a download on the web (the operator's
/// `mindset export --comments` writes them for a researcher).

#include "store/Store.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web::handlers {

/// GET /leader/surveys/{survey}/comments?release=N&lang=..: the release's comments by question and
/// school; before the final release, when they will be shown. 404 for a survey the account may not
/// see or a release that does not exist.
Response commentsPage(const Site& site, const Request& request, const store::Account& account);

}  // namespace mindset::web::handlers
