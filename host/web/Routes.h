#pragma once
#include "web/Router.h"
#include "web/Site.h"

namespace mindset::web {

/// Every URL Mindset answers, in one place.
Router buildRouter(const Site& site);

}  // namespace mindset::web
