#include "web/DistrictData.h"

#include <algorithm>

#include "app/Startup.h"

namespace mindset::web {

std::shared_ptr<const analytics::Profile> profileOf(const Site& site, const surveys::SurveyDefinition& survey) {
    return site.profileCache->get(survey.id, site.store.countResponses(survey.storeId), [&] {
        return analytics::buildProfile(survey, app::storedResponses(site.store, survey));
    });
}

bool maySeeDistrict(const store::Account& account, const std::string& districtSlug) {
    return !account.districtSlug || *account.districtSlug == districtSlug;
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
        if (survey.districtId == districtSlug) years.push_back({&survey, profileOf(site, survey)});
    std::sort(years.begin(), years.end(), [](const analytics::SurveyYear& a, const analytics::SurveyYear& b) {
        return a.survey->schoolYear != b.survey->schoolYear ? a.survey->schoolYear < b.survey->schoolYear
                                                             : a.survey->id < b.survey->id;
    });
    return years;
}

}  // namespace mindset::web
