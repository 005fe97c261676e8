#include "attack/Districts.h"

#include <algorithm>
#include <random>
#include <sstream>
#include <stdexcept>

#include "auth/Passwords.h"
#include "cli/DemoSeeding.h"
#include "demo/DemoPlan.h"
#include "demo/DemoResponses.h"

namespace mindset::attack {

namespace {

const std::filesystem::path kSource = MINDSET_SOURCE_DIR;

void signInLeader(testing::TestSite& site, const std::string& district) {
    static const auto passwordHash = auth::hashPassword(kLeaderPassword);  // Argon2id is slow on purpose: once
    if (!site.store().createAccount({0, "leader", passwordHash, district, "2026-08-15"}))
        throw std::runtime_error("could not create the leader account");
    const auto reply = site.signIn("leader", kLeaderPassword);
    if (reply.status != 303) throw std::runtime_error("the leader could not sign in: " + std::to_string(reply.status));
}

/// A number in [0, 1) from the generator's standard output sequence (the same on every platform).
double uniform(std::mt19937_64& random) { return static_cast<double>(random() >> 11) * 0x1.0p-53; }

}  // namespace

std::unique_ptr<testing::TestSite> riversideSite(const std::vector<std::string>& surveyIds) {
    std::vector<surveys::SurveyDefinition> definitions;
    for (const auto& id : surveyIds)
        definitions.push_back(surveys::loadSurveyFile(kSource / "surveys" / (id + ".json"), testing::shippedInstruments()));
    auto site = testing::TestSite::withSurveys(std::move(definitions));
    auto plan = demo::loadDemoPlan(kSource / "surveys" / "demo" / "plan.json");
    std::erase_if(plan.surveys, [&](const demo::PlannedSurvey& planned) {
        return std::find(surveyIds.begin(), surveyIds.end(), planned.surveyId) == surveyIds.end();
    });
    std::ostringstream ignored;
    cli::seedDemoPlan(ignored, site->store(), site->catalog(), plan, false, testing::dayWhenDemoIsOpen());
    signInLeader(*site, "riverside-isd");
    return site;
}

std::vector<RandomDistrict> randomDistricts(std::size_t count, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::vector<RandomDistrict> districts;
    for (std::size_t i = 0; i < count; ++i) {
        // Every other district is tiny (25-60 responses): where small groups are the rule.
        const auto responses = 25 + static_cast<std::size_t>(random() % (i % 2 == 0 ? 36 : 176));
        districts.push_back({random(), responses});
    }
    return districts;
}

std::unique_ptr<testing::TestSite> randomDistrictSite(const RandomDistrict& district) {
    auto site = testing::TestSite::withSurveys({testing::demoSurvey()});
    const auto& survey = site->survey();
    std::mt19937_64 random(district.seed);
    demo::DemoProfile profile;
    profile.yearIndex = static_cast<int>(random() % 3);
    profile.choiceWeights.clear();
    // Every choice gets a random weight; about a third of them are rare (a few percent or less).
    for (const auto& question : survey.demographics)
        for (const auto& choice : question.choices) {
            const bool isRare = uniform(random) < 0.35;
            const double weight = isRare ? 0.05 + 0.5 * uniform(random) : 1 + 20 * uniform(random);
            profile.choiceWeights.push_back({question.id, choice.id, weight});
        }
    std::vector<store::StoredResponse> rows;
    for (auto& r : demo::generateResponses(survey, district.responses, district.seed, profile))
        rows.push_back({std::move(r.demographics), std::move(r.answers)});
    site->store().insertResponses(survey.storeId, rows);
    signInLeader(*site, survey.districtId);
    return site;
}

std::string categoryOfAnswer(const std::vector<std::string>& choices) {
    if (choices.empty()) return "no-answer";
    if (choices.size() > 1) return "two-or-more";
    return choices.front();
}

Truth truthOf(testing::TestSite& site, const surveys::SurveyDefinition& survey) {
    Truth truth;
    for (const auto& stored : site.store().responses(survey.storeId)) {
        const auto decoded = surveys::decodeResponse(survey, {stored.demographics, stored.answers});
        std::vector<std::string> groups;
        std::map<std::string, std::string> categoryOf;
        for (std::size_t q = 0; q < survey.demographics.size(); ++q) {
            const auto category = categoryOfAnswer(decoded.demographics[q]);
            categoryOf[survey.demographics[q].id] = category;
            groups.push_back(survey.demographics[q].id + "=" + category);
        }
        if (categoryOf.count("race") && categoryOf.count("role"))
            groups.push_back("race=" + categoryOf["race"] + " & role=" + categoryOf["role"]);
        groups.push_back("district");
        for (const auto& instrument : survey.instruments) {
            const auto& definition = instrument.definition();
            sdk::ItemAnswers answers;
            for (std::size_t i = 0; i < definition.items.size(); ++i) answers.codes.push_back(decoded.answers[instrument.firstAnswerIndex + i]);
            const auto scores = instrument.instrument->score(answers);
            for (std::size_t s = 0; s < scores.size() && s < definition.scales.size(); ++s) {
                if (!scores[s].value) continue;
                const auto scaleKey = instrument.key + "/" + definition.scales[s].id;
                for (const auto& group : groups) {
                    auto& t = truth[scaleKey][group];
                    ++t.count;
                    t.favorable += *scores[s].value >= definition.scales[s].favorableAtLeast;
                    t.sum += *scores[s].value;
                }
            }
        }
    }
    return truth;
}

}  // namespace mindset::attack
