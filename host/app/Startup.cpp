#include "app/Startup.h"

#include <map>

#include "auth/Sessions.h"
#include "cli/Users.h"
#include "loader/Fingerprint.h"
#include "loader/PluginLoader.h"
#include "surveys/Promises.h"

namespace mindset::app {

void loadPlugins(loader::InstrumentRegistry& registry, const std::filesystem::path& builtinFolder,
                 const std::vector<std::filesystem::path>& extraFolders) {
    loader::loadPluginFolder(registry, builtinFolder);
    for (const auto& folder : extraFolders) loader::loadPluginFolder(registry, folder);
}

analytics::ResponseSource storedResponses(store::Store& store, const surveys::SurveyDefinition& survey) {
    return [&store, surveyId = survey.storeId](const std::function<void(const analytics::ResponseBytes&)>& each) {
        store.forEachResponse(surveyId, [&each](std::span<const std::uint8_t> demographics, std::span<const std::uint8_t> answers) {
            each({demographics, answers});
        });
    };
}

void refuseBrokenPromises(surveys::SurveyCatalog& catalog, store::Store& store) {
    std::vector<surveys::SurveyDefinition> kept;
    for (auto& survey : catalog.surveys) {
        const auto stored = store.findSurvey(survey.id);
        const auto broken = stored && stored->responseCount > 0
                                ? surveys::brokenPromises(stored->definitionJson, stored->answerLayout, survey)
                                : std::vector<surveys::BrokenPromise>{};
        if (broken.empty()) {
            kept.push_back(std::move(survey));
            continue;
        }
        for (const auto& promise : broken)
            catalog.invalid.emplace_back(survey.file, promise.field, surveys::refusalReason(survey, stored->responseCount, promise));
    }
    catalog.surveys = std::move(kept);
}

void saveSurveys(surveys::SurveyCatalog& catalog, store::Store& store) {
    refuseBrokenPromises(catalog, store);
    std::vector<surveys::SurveyDefinition> saved;
    std::map<std::string, std::string> fingerprints;  // by id@version: several surveys pin the same one
    for (auto& survey : catalog.surveys) {
        store::SurveyRecord record{survey.id, survey.districtId, survey.districtName, {}, survey.schoolYear, survey.json,
                                   survey.answerLayout()};
        for (const auto& school : survey.schools) record.schools.emplace_back(school.id, school.name.in("en"));
        for (const auto& instrument : survey.instruments) {
            auto [it, isNew] = fingerprints.try_emplace(instrument.key);
            if (isNew) it->second = loader::fingerprintOf(*instrument.instrument, instrument.definition());
            record.instrumentFingerprints.emplace_back(instrument.key, it->second);
        }
        try {
            survey.storeId = store.saveSurvey(record);
            saved.push_back(std::move(survey));
        } catch (const store::SurveyConflict& e) {
            catalog.invalid.emplace_back(survey.file, "$", e.what());
        }
    }
    catalog.surveys = std::move(saved);
}

std::map<std::string, std::set<std::string>> knownDistricts(const surveys::SurveyCatalog& catalog, store::Store& store) {
    std::map<std::string, std::set<std::string>> districts;
    for (const auto& survey : catalog.surveys)
        for (auto& schools = districts[survey.districtId]; const auto& school : survey.schools) schools.insert(school.id);
    for (const auto& slug : store.districtSlugs())
        for (auto& schools = districts[slug]; auto& school : store.schoolSlugs(slug)) schools.insert(std::move(school));
    return districts;
}

std::shared_ptr<auth::OidcProvider> loadSingleSignOn(const std::filesystem::path& file,
                                                     const std::map<std::string, std::set<std::string>>& districts) {
    auto config = auth::readOidcConfig(file);
    std::vector<std::string> districtSlugs;
    for (const auto& [slug, schools] : districts) districtSlugs.push_back(slug);
    for (std::size_t i = 0; i < config.rules.size(); ++i) {
        const auto& scope = config.rules[i].scope;
        std::vector<std::string> schools;
        if (scope.districtSlug)
            if (const auto found = districts.find(*scope.districtSlug); found != districts.end()) schools.assign(found->second.begin(), found->second.end());
        try {
            cli::checkScope(scope.districtSlug, districtSlugs, scope.schoolSlug, schools);
        } catch (const std::invalid_argument& e) {
            throw auth::OidcConfigError("--oidc " + file.string() + ": rules[" + std::to_string(i) + "]: " + e.what());
        }
    }
    return std::make_shared<auth::OidcProvider>(std::move(config), auth::unixNow);
}

}  // namespace mindset::app
