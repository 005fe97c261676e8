#pragma once
/// What a reader of results can get from Mindset over HTTP, and nothing more: the files a signed-in
/// district leader downloads about a survey, the step that makes the product publish its figures,
/// and a second browser for submitting through the open link. The attacks (TableAttack.h,
/// SubmissionAttacks.h) see the product only through this file.

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/TestSite.h"

namespace mindset::attack {

/// Everything a signed-in leader downloads about one survey that can constrain a hidden group.
struct Downloads {
    std::string surveyId;
    nlohmann::json profile;        ///< GET /api/surveys/{id}/profile
    nlohmann::json participation;  ///< GET /api/surveys/{id}/participation
    /// GET /leader/surveys/{id}/export.csv, header row first (empty when the product serves no rows).
    std::vector<std::vector<std::string>> exportRows;
};

/// Makes the product publish what leaders may read of `surveyId` as it stands now, as a leader
/// (or the survey's closing) would: the next release. True when it was published, false when the
/// product refused (then readers keep seeing the releases published before).
bool publishFigures(testing::TestSite& site, const std::string& surveyId);

/// Downloads the survey's profile, participation and raw export with the site's current session
/// (sign in first with TestSite::signIn). Throws std::runtime_error naming the address when a
/// download does not answer 200.
Downloads downloadEverything(testing::TestSite& site, const std::string& surveyId);

/// RFC 4180 records (quoted fields, doubled quotes, CRLF or LF line ends).
std::vector<std::vector<std::string>> parseCsv(const std::string& text);

/// Runs `visit` as another browser (no cookies of the signed-in leader), then gives the leader's
/// cookies back.
void asAnotherBrowser(testing::TestSite& site, const std::function<void()>& visit);

/// The form fields an outsider reads off the one-page form of an open-link survey: every item
/// field name in page order, and for every demographic field its choice values.
struct FormLayout {
    std::vector<std::string> itemFields;
    std::vector<std::pair<std::string, std::vector<std::string>>> demographicFields;  ///< "d.role" -> choices
};

/// Reads the one-page form (GET /surveys/{id}/all) as an outsider would.
FormLayout readForm(testing::TestSite& site, const std::string& surveyId);

/// Submits one whole response through the one-page form, as a browser with the open link does:
/// fetches the form for its CSRF cookie, then POSTs /surveys/{id}/responses with a fresh
/// exactly-once token. Returns the reply's status (303 when stored). With `forwardedFor`, the POST
/// says it was forwarded for that client address (the site must trust the test client as a proxy).
int submitThroughForm(testing::TestSite& site, const std::string& surveyId, const surveys::FormFields& answers,
                      const std::string& forwardedFor = {});

}  // namespace mindset::attack
