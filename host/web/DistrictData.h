#pragma once
/// Which districts, schools and surveys a signed-in account may see, and their published releases.
/// A district account sees only its own district; a network account (no district) sees all; a
/// school leader's account sees no district-wide page at all, only its own school's report (the
/// school's figures as the district's releases publish them; docs/privacy.md).
/// Anything an account may not see is answered "not found", so that it cannot learn what exists.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/SurveyYear.h"
#include "releases/Releases.h"
#include "store/Store.h"
#include "web/Http.h"
#include "web/Site.h"

namespace mindset::web {

/// A survey's published releases, and the one a reader asked for with its profile.
struct ReleaseView {
    std::vector<store::ReleaseRecord> all;               ///< oldest first; empty: nothing released yet
    std::shared_ptr<const releases::Release> selected;  ///< null when nothing is released yet
    bool isLatest = true;                               ///< selected is the newest release
};

/// Release `number` of `survey` (0: the latest), read once and kept (Site::profileCache). Publishes
/// the survey's final release first if it has closed without one (the store's transaction keeps
/// concurrent readers from publishing twice). HttpError 404 when `number` names no release.
ReleaseView releaseOf(const Site& site, const surveys::SurveyDefinition& survey, std::uint32_t number = 0);

/// The release number a request asks for with `?release=N`: 0 (the latest) when absent;
/// HttpError 400 naming the value when it is not a whole number from 1.
std::uint32_t requestedRelease(const Request& request);

/// Which release a page shows, in words: "Release 2 (interim), published 2026-11-30, 1,234 responses"
/// (a count below the survey's minimum group size only as "fewer than 5", as the profile shows it).
std::string releaseLabel(const store::ReleaseRecord& release, const surveys::SurveyDefinition& survey, const std::string& language);

/// A release as JSON: number, kind, publishedOn, responses (null below the minimum group size), label,
/// instrumentFingerprints (the "id@version" -> fingerprint it was computed with; {} when not recorded).
nlohmann::json releaseJson(const store::ReleaseRecord& release, const surveys::SurveyDefinition& survey, const std::string& language);

/// What a page says of a release whose figures no longer match what was published, and why when
/// the recorded fingerprints tell: an instrument changed (named), or none did and Mindset's own
/// computation did (an upgrade). Empty when they match.
std::string releaseMismatchText(const releases::Release& release, const std::string& language);

/// What a page says of a survey with no release yet: when its final release will come.
std::string noReleaseText(const surveys::SurveyDefinition& survey, const std::string& language);

/// True when `account` may see the district with this slug, i.e. its district-wide results: never
/// for a school leader's account.
bool maySeeDistrict(const store::Account& account, const std::string& districtSlug);

/// True when `account` may read the report of school `schoolId` of district `districtSlug`: a school
/// leader its own school only; any other account every school of a district it may see.
bool maySeeSchool(const store::Account& account, const std::string& districtSlug, const std::string& schoolId);

/// The index in survey.demographics of the question that asks for the respondent's school (its
/// choices are the survey's schools), or nullopt when the survey asks none.
std::optional<std::size_t> schoolQuestionOf(const surveys::SurveyDefinition& survey);

/// A school's report on one survey: what the URL's {survey} and {school} name.
struct SchoolReport {
    const surveys::SurveyDefinition* survey = nullptr;  ///< owned by the catalog
    const surveys::School* school = nullptr;            ///< one of survey->schools
    std::size_t schoolQuestion = 0;                     ///< index in survey->demographics
};

/// The surveys with a report for school `schoolId` of district `districtSlug` (they list the school
/// and ask respondents for theirs), in catalog order.
std::vector<SchoolReport> schoolReports(const Site& site, const std::string& districtSlug, const std::string& schoolId);

/// The school report named by the URL's {survey} and {school} if `account` may see that school and
/// the survey has a report for it; otherwise HttpError 404 with the words of an unknown address.
SchoolReport schoolReportFor(const Site& site, const Request& request, const store::Account& account);

/// The surveys `account` may see, in catalog order.
std::vector<const surveys::SurveyDefinition*> visibleSurveys(const Site& site, const store::Account& account);

/// The survey named by the URL's {survey} parameter if `account` may see it; otherwise HttpError
/// 404, so that an account cannot learn which other surveys exist.
const surveys::SurveyDefinition& surveyFor(const Site& site, const Request& request, const store::Account& account);

/// A district on this host: its slug and name (from its surveys).
struct District {
    std::string slug;
    std::string name;
};

/// Every district with at least one survey, in name order.
std::vector<District> districtsOf(const Site& site);

/// The district named by the URL's {district} parameter if `account` may see it and it has a
/// survey here; otherwise HttpError 404.
District districtFor(const Site& site, const Request& request, const store::Account& account);

/// The district's surveys with their latest releases' profiles, oldest school year first (ties by
/// survey id); a survey with no release yet is left out.
analytics::DistrictYears districtYears(const Site& site, const std::string& districtSlug);

}  // namespace mindset::web
