#include "cli/DemoSeeding.h"

#include <stdexcept>

#include "cli/Releases.h"
#include "releases/Releases.h"

namespace mindset::cli {

std::vector<SeededSurvey> seedDemoPlan(std::ostream& out, store::Store& store, const surveys::SurveyCatalog& catalog,
                                       const demo::DemoPlan& plan, bool onlyIfEmpty, std::chrono::year_month_day today) {
    // Every planned survey must be valid here before anything is added: a half-seeded network
    // would show peers without the demo district, or the other way round.
    for (const auto& planned : plan.surveys)
        if (!catalog.find(planned.surveyId))
            throw std::invalid_argument("the demo plan names survey '" + planned.surveyId + "', which is not a valid survey here");

    std::vector<SeededSurvey> seeded;
    for (const auto& planned : plan.surveys) {
        const auto& survey = *catalog.find(planned.surveyId);
        SeededSurvey result{survey.id, 0, store.countResponses(survey.storeId)};
        if (onlyIfEmpty && result.alreadyStored > 0) {
            out << "  " << survey.id << ": already has " << result.alreadyStored << " responses; left as it is\n";
            seeded.push_back(result);
            continue;
        }
        const auto profile = plan.profileFor(planned, survey.districtId);
        std::vector<store::StoredResponse> rows;
        rows.reserve(planned.responses);
        for (auto& response : demo::generateResponses(survey, planned.responses, planned.seed, profile))
            rows.push_back({std::move(response.demographics), std::move(response.answers)});
        store.insertResponses(survey.storeId, rows);
        result.added = static_cast<std::int64_t>(rows.size());
        out << "  " << survey.id << ": added " << result.added << " synthetic responses (year " << planned.yearIndex
            << " of " << survey.districtId << ", seed " << planned.seed << ")\n";
        seeded.push_back(result);
    }
    for (const auto& planned : plan.surveys) {
        const auto& survey = *catalog.find(planned.surveyId);
        if (!releases::hasClosed(survey, today) && !store.releases(survey.storeId).empty()) continue;
        const auto outcome = releases::hasClosed(survey, today)
                                 ? releases::publishFinalIfDue(store, survey, today)
                                 : releases::publishRelease(store, survey, store::ReleaseKind::Interim, today);
        if (!outcome) continue;
        if (outcome->release) out << "  " << survey.id << ": published " << describeRelease(*outcome->release) << "\n";
        else out << "  " << survey.id << ": no release: " << outcome->refusal << "\n";
    }
    return seeded;
}

}  // namespace mindset::cli
