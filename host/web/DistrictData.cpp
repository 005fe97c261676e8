#include "web/DistrictData.h"

#include <algorithm>

#include <Poco/String.h>

#include "analytics/NumberText.h"
#include "web/Templates.h"

namespace mindset::web {

ReleaseView releaseOf(const Site& site, const surveys::SurveyDefinition& survey, std::uint32_t number) {
    releases::publishFinalIfDue(site.store, survey, site.today());  // a refusal leaves the earlier releases to read
    ReleaseView view;
    view.all = site.store.releases(survey.storeId);
    if (view.all.empty()) {
        if (number != 0) throw HttpError(404, "Survey “" + survey.id + "” has no release yet.");
        return view;
    }
    if (number > view.all.size())
        throw HttpError(404, "Survey “" + survey.id + "” has no release " + std::to_string(number) + "; its releases are 1 to " +
                                 std::to_string(view.all.size()) + ".");
    const auto& record = number == 0 ? view.all.back() : view.all[number - 1];
    view.isLatest = record.number == view.all.back().number;
    view.selected = site.profileCache->get(survey.id, record.number, [&] { return releases::readRelease(site.store, survey, record); });
    return view;
}

std::uint32_t requestedRelease(const Request& request) {
    const auto text = request.queryValue("release");
    if (text.empty()) return 0;
    std::uint32_t number = 0;
    for (const char c : text) {
        if (c < '0' || c > '9' || number > 100'000) throw HttpError(400, "“release” must be a release number such as 1 or 2, not “" + text + "”.");
        number = number * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (number == 0) throw HttpError(400, "“release” must be a release number such as 1 or 2, not “" + text + "”.");
    return number;
}

std::string releaseLabel(const store::ReleaseRecord& release, const surveys::SurveyDefinition& survey, const std::string& language) {
    const auto& t = messages(language);
    const auto responses = release.responses >= survey.reportingThreshold()
                               ? analytics::countText(release.responses, language)
                               : fillMessage(t["fewerThan"], {{"min", std::to_string(survey.reportingThreshold())}});
    return fillMessage(t["releaseLabel"], {{"number", std::to_string(release.number)},
                                           {"kind", t[release.kind == store::ReleaseKind::Final ? "releaseFinal" : "releaseInterim"]},
                                           {"date", release.publishedOn},
                                           {"responses", responses}});
}

nlohmann::json releaseJson(const store::ReleaseRecord& release, const surveys::SurveyDefinition& survey, const std::string& language) {
    // What its figures were computed with ("id@version" -> fingerprint); {} before they were recorded.
    auto fingerprints = nlohmann::json::parse(release.instrumentFingerprintsJson, nullptr, false);
    if (!fingerprints.is_object()) fingerprints = nlohmann::json::object();
    return {{"number", release.number},
            {"kind", store::releaseKindName(release.kind)},
            {"publishedOn", release.publishedOn},
            {"responses", release.responses >= survey.reportingThreshold() ? nlohmann::json(release.responses) : nlohmann::json()},
            {"label", releaseLabel(release, survey, language)},
            {"instrumentFingerprints", std::move(fingerprints)}};
}

std::string releaseMismatchText(const releases::Release& release, const std::string& language) {
    if (release.isMatchingPublished) return {};
    const auto& t = messages(language);
    const auto& date = release.record.publishedOn;
    if (!release.hasRecordedFingerprints) return fillMessage(t["releaseMismatch"], {{"date", date}});
    if (release.changedInstruments.empty()) return fillMessage(t["releaseMismatchHost"], {{"date", date}});
    const auto instruments = Poco::cat(std::string(", "), release.changedInstruments.begin(), release.changedInstruments.end());
    return fillMessage(t["releaseMismatchInstruments"], {{"date", date}, {"instruments", instruments}});
}

std::string noReleaseText(const surveys::SurveyDefinition& survey, const std::string& language) {
    return fillMessage(messages(language)["noReleaseYet"], {{"closes", releases::isoDate(survey.closes)}});
}

bool maySeeDistrict(const store::Account& account, const std::string& districtSlug) {
    if (account.isSchoolScoped()) return false;  // a school leader reads its school's report only
    return !account.districtSlug || *account.districtSlug == districtSlug;
}

bool maySeeSchool(const store::Account& account, const std::string& districtSlug, const std::string& schoolId) {
    if (account.isSchoolScoped()) return account.districtSlug == districtSlug && account.schoolSlug == schoolId;
    return maySeeDistrict(account, districtSlug);
}

std::optional<std::size_t> schoolQuestionOf(const surveys::SurveyDefinition& survey) {
    for (std::size_t q = 0; q < survey.demographics.size(); ++q)
        if (survey.demographics[q].isFromSchools) return q;
    return std::nullopt;
}

std::vector<SchoolReport> schoolReports(const Site& site, const std::string& districtSlug, const std::string& schoolId) {
    std::vector<SchoolReport> reports;
    for (const auto& survey : site.catalog.surveys) {
        if (survey.districtId != districtSlug) continue;
        const auto question = schoolQuestionOf(survey);
        const auto school = std::find_if(survey.schools.begin(), survey.schools.end(), [&](const surveys::School& s) { return s.id == schoolId; });
        if (question && school != survey.schools.end()) reports.push_back({&survey, &*school, *question});
    }
    return reports;
}

SchoolReport schoolReportFor(const Site& site, const Request& request, const store::Account& account) {
    const auto* survey = site.catalog.find(request.pathParams.at("survey"));
    const auto& schoolId = request.pathParams.at("school");
    if (survey && maySeeSchool(account, survey->districtId, schoolId))
        for (const auto& report : schoolReports(site, survey->districtId, schoolId))
            if (report.survey == survey) return report;
    // The words of an address that does not exist: another school's report is not even said to exist.
    throw HttpError(404, messages(interfaceLanguage(request.queryValue("lang")))["notFound"]);
}

std::vector<const surveys::SurveyDefinition*> visibleSurveys(const Site& site, const store::Account& account) {
    std::vector<const surveys::SurveyDefinition*> surveys;
    for (const auto& survey : site.catalog.surveys)
        if (maySeeDistrict(account, survey.districtId)) surveys.push_back(&survey);
    return surveys;
}

const surveys::SurveyDefinition& surveyFor(const Site& site, const Request& request, const store::Account& account) {
    const auto& id = request.pathParams.at("survey");
    const auto* survey = site.catalog.find(id);
    if (!survey || !maySeeDistrict(account, survey->districtId))
        throw HttpError(404, "There is no survey called “" + id + "” that this account can see.");
    return *survey;
}

std::vector<District> districtsOf(const Site& site) {
    std::vector<District> districts;
    for (const auto& survey : site.catalog.surveys)
        if (std::none_of(districts.begin(), districts.end(), [&](const District& d) { return d.slug == survey.districtId; }))
            districts.push_back({survey.districtId, survey.districtName});
    std::sort(districts.begin(), districts.end(), [](const District& a, const District& b) { return a.name < b.name; });
    return districts;
}

District districtFor(const Site& site, const Request& request, const store::Account& account) {
    const auto& slug = request.pathParams.at("district");
    if (maySeeDistrict(account, slug))
        for (const auto& district : districtsOf(site))
            if (district.slug == slug) return district;
    throw HttpError(404, "There is no district called “" + slug + "” that this account can see.");
}

analytics::DistrictYears districtYears(const Site& site, const std::string& districtSlug) {
    analytics::DistrictYears years;
    for (const auto& survey : site.catalog.surveys)
        if (survey.districtId == districtSlug) {
            const auto release = releaseOf(site, survey).selected;
            if (!release) continue;
            const auto& record = release->record;
            // The profile shares the release's lifetime (aliasing constructor): the cache may drop neither.
            years.push_back({&survey, std::shared_ptr<const analytics::Profile>(release, &release->profile),
                             {record.number, store::releaseKindName(record.kind), record.publishedOn, record.responses}});
        }
    std::sort(years.begin(), years.end(), [](const analytics::SurveyYear& a, const analytics::SurveyYear& b) {
        return a.survey->schoolYear != b.survey->schoolYear ? a.survey->schoolYear < b.survey->schoolYear
                                                             : a.survey->id < b.survey->id;
    });
    return years;
}

}  // namespace mindset::web
