#pragma once
/// The frame every signed-in results page shares: the logo leads to the leader's home, a navigation
/// between the district's results pages (summary, years compared, each school year's profile,
/// participation, goals, peers) marks the page being read, and the layout's language switch.

#include <string>

#include <nlohmann/json.hpp>

#include "web/Site.h"

namespace mindset::web {

/// "instrument.scale": how the results pages name a scale in their links (`?scale=`); ids have no dots.
std::string scaleKey(const std::string& instrumentId, const std::string& scaleId);

/// `text` as an id for a URL fragment: every character but letters and digits becomes '-'. The
/// summary links the years-compared page's anchors, so both make them with this.
std::string fragmentId(std::string text);

/// "/leader?lang=..": where the logo leads a signed-in reader.
std::string leaderHomeHref(const std::string& language);

/// Adds the frame to a page's view (templates/layout.mustache): "homeHref", "resultsNav" for the
/// district (its links in `language`; the one whose path is `currentPath` carries aria-current)
/// and "languageLinks" for `currentPath` with `query` ("release=2", or empty) kept. The district's
/// surveys come from the catalog (the caller has already checked that the account may see it).
void addLeaderFrame(nlohmann::json& view, const Site& site, const std::string& districtSlug, const std::string& currentPath,
                    const std::string& query, const std::string& language);

}  // namespace mindset::web
