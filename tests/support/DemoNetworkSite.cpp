#include "support/DemoNetworkSite.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "auth/Passwords.h"
#include "demo/DemoPlan.h"
#include "demo/DemoResponses.h"

namespace mindset::testing {

std::unique_ptr<TestSite> demoNetworkSite() {
    const auto plan = demo::loadDemoPlan(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "demo" / "plan.json");
    std::vector<surveys::SurveyDefinition> definitions;
    for (const auto* id : {"riverside-2024", "riverside-2025", "riverside-2026", "brazos-valley-2026", "cypress-bend-2026", "llano-springs-2026",
                           "pecan-grove-2026", "trinity-falls-2026"})
        definitions.push_back(surveys::loadSurveyFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / (std::string(id) + ".json"),
                                                      shippedInstruments()));
    auto site = TestSite::withSurveys(std::move(definitions));
    for (const auto& survey : site->catalog().surveys) {
        const auto planned = std::find_if(plan.surveys.begin(), plan.surveys.end(), [&](const demo::PlannedSurvey& p) { return p.surveyId == survey.id; });
        if (planned == plan.surveys.end()) throw std::runtime_error("surveys/demo/plan.json has no survey " + survey.id);
        const auto count = survey.districtId == "riverside-isd" ? planned->responses : 150;
        std::vector<store::StoredResponse> rows;
        for (auto& r : demo::generateResponses(survey, count, planned->seed, plan.profileFor(*planned, survey.districtId)))
            rows.push_back({r.demographics, r.answers});
        site->store().insertResponses(survey.storeId, rows);
        site->publishRelease(survey.id);
    }
    for (const auto& [name, district] : {std::pair{"leader", "riverside-isd"}, std::pair{"brazos", "brazos-valley-isd"}})
        if (!site->store().createAccount({0, name, auth::hashPassword(kDemoNetworkPassword), std::string(district), "2026-08-15"}))
            throw std::runtime_error(std::string("could not create the account ") + name);
    return site;
}

}  // namespace mindset::testing
