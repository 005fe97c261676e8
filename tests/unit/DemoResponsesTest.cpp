#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <numeric>

#include "demo/DemoResponses.h"
#include "store/Store.h"
#include "support/FixtureSurveys.h"
#include "support/TestSupport.h"
#include "surveys/ResponseEncoding.h"

using namespace mindset;

namespace {

/// Where one item sits in the stored answers, and how to key it.
struct KeyedItem {
    std::size_t index = 0;
    bool isReverseKeyed = false;
    int minCode = 1;
    int maxCode = 5;
};

/// Every scale of the survey by id, with its items.
std::map<std::string, std::vector<KeyedItem>> itemsByScale(const surveys::SurveyDefinition& survey) {
    std::map<std::string, std::vector<KeyedItem>> scales;
    for (const auto& instrument : survey.instruments) {
        const auto& definition = instrument.definition();
        for (std::size_t i = 0; i < definition.items.size(); ++i)
            scales[definition.items[i].scaleId].push_back({instrument.firstAnswerIndex + i, definition.items[i].isReverseKeyed,
                                                           definition.responseScale.minCode(),
                                                           definition.responseScale.maxCode()});
    }
    return scales;
}

int keyed(const KeyedItem& item, int code) { return item.isReverseKeyed ? item.minCode + item.maxCode - code : code; }

/// Cronbach's alpha over the respondents who answered every item of the scale (listwise deletion).
double cronbachAlpha(const std::vector<surveys::EncodedResponse>& responses, const std::vector<KeyedItem>& items) {
    const auto k = items.size();
    std::vector<std::vector<double>> rows;
    for (const auto& response : responses) {
        std::vector<double> row;
        for (const auto& item : items)
            if (response.answers[item.index] != 0) row.push_back(keyed(item, response.answers[item.index]));
        if (row.size() == k) rows.push_back(std::move(row));
    }
    auto variance = [&](auto value) {
        double sum = 0.0, squares = 0.0;
        for (const auto& row : rows) {
            const double v = value(row);
            sum += v;
            squares += v * v;
        }
        const double n = static_cast<double>(rows.size());
        return (squares - sum * sum / n) / (n - 1.0);
    };
    double itemVariances = 0.0;
    for (std::size_t i = 0; i < k; ++i) itemVariances += variance([i](const auto& row) { return row[i]; });
    const double totalVariance = variance([](const auto& row) { return std::accumulate(row.begin(), row.end(), 0.0); });
    return static_cast<double>(k) / static_cast<double>(k - 1) * (1.0 - itemVariances / totalVariance);
}

/// The respondent's scale score (mean of keyed answers), or NaN with fewer than 3 answers.
double scaleScore(const surveys::EncodedResponse& response, const std::vector<KeyedItem>& items) {
    double sum = 0.0;
    int answered = 0;
    for (const auto& item : items)
        if (const int code = response.answers[item.index]; code != 0) {
            sum += keyed(item, code);
            ++answered;
        }
    return answered >= 3 ? sum / answered : std::nan("");
}

struct GroupComparison {
    double meanIn = 0.0;
    double meanOut = 0.0;
    double hedgesG = 0.0;
};

/// Scale scores of respondents who chose `choiceId` of `questionId` against those who chose
/// `versusChoiceId`, or against everyone else when that is empty.
GroupComparison compare(const surveys::SurveyDefinition& survey, const std::vector<surveys::EncodedResponse>& responses,
                        const std::string& questionId, const std::string& choiceId, const std::vector<KeyedItem>& items,
                        const std::string& versusChoiceId = {}) {
    std::size_t question = 0;
    while (survey.demographics[question].id != questionId) ++question;
    std::vector<double> in, out;
    for (const auto& response : responses) {
        const double score = scaleScore(response, items);
        if (std::isnan(score)) continue;
        const auto chosen = surveys::decodeResponse(survey, response).demographics[question];
        auto hasChosen = [&](const std::string& id) { return std::find(chosen.begin(), chosen.end(), id) != chosen.end(); };
        if (hasChosen(choiceId))
            in.push_back(score);
        else if (versusChoiceId.empty() || hasChosen(versusChoiceId))
            out.push_back(score);
    }
    auto mean = [](const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size()); };
    auto squares = [](const std::vector<double>& v, double m) {
        double s = 0.0;
        for (const double x : v) s += (x - m) * (x - m);
        return s;
    };
    GroupComparison result{mean(in), mean(out), 0.0};
    const double n1 = static_cast<double>(in.size()), n2 = static_cast<double>(out.size());
    const double pooled = std::sqrt((squares(in, result.meanIn) + squares(out, result.meanOut)) / (n1 + n2 - 2.0));
    result.hedgesG = (result.meanIn - result.meanOut) / pooled * (1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0));
    return result;
}

/// How many respondents chose each choice of `questionId`.
std::map<std::string, int> groupSizes(const surveys::SurveyDefinition& survey,
                                      const std::vector<surveys::EncodedResponse>& responses, const std::string& questionId) {
    std::size_t question = 0;
    while (survey.demographics[question].id != questionId) ++question;
    std::map<std::string, int> sizes;
    for (const auto& choice : survey.demographics[question].choices) sizes[choice.id] = 0;
    for (const auto& response : responses) {
        const auto decoded = surveys::decodeResponse(survey, response);
        for (const auto& choice : decoded.demographics[question]) ++sizes[choice];
    }
    return sizes;
}

/// The answers as form fields, as a respondent would have submitted them.
surveys::FormFields asFormFields(const surveys::SurveyDefinition& survey, const surveys::DecodedResponse& decoded) {
    surveys::FormFields fields;
    for (std::size_t q = 0; q < survey.demographics.size(); ++q)
        for (const auto& choice : decoded.demographics[q]) fields.emplace_back(surveys::demographicFieldName(survey.demographics[q]), choice);
    for (const auto& instrument : survey.instruments) {
        const auto& items = instrument.definition().items;
        for (std::size_t i = 0; i < items.size(); ++i)
            if (const int code = decoded.answers[instrument.firstAnswerIndex + i]; code != 0)
                fields.emplace_back(surveys::itemFieldName(instrument, items[i]), std::to_string(code));
    }
    return fields;
}

}  // namespace

TEST_CASE("demo responses are the same bytes for the same seed, and differ for another seed", "[unit]") {
    const auto survey = testing::demoSurvey();
    const auto first = demo::generateResponses(survey, 500, 42);
    const auto again = demo::generateResponses(survey, 500, 42);
    const auto other = demo::generateResponses(survey, 500, 43);
    REQUIRE(first.size() == 500);
    auto sameBytes = [](const auto& a, const auto& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const auto& x, const auto& y) {
            return x.demographics == y.demographics && x.answers == y.answers;
        });
    };
    CHECK(sameBytes(first, again));
    CHECK_FALSE(sameBytes(first, other));
    CHECK(demo::generateResponses(survey, 0, 42).empty());
}

TEST_CASE("every demo response is one the survey form accepts, with the required questions answered", "[unit]") {
    const auto survey = testing::demoSurvey();
    const auto responses = demo::generateResponses(survey, 2000, 7);
    std::size_t required = 0;
    for (const auto& question : survey.demographics) required += question.isRequired ? 1 : 0;
    REQUIRE(required == 2);  // school and role
    for (const auto& response : responses) {
        const auto decoded = surveys::decodeResponse(survey, response);
        for (std::size_t q = 0; q < survey.demographics.size(); ++q)
            if (survey.demographics[q].isRequired) REQUIRE_FALSE(decoded.demographics[q].empty());
        // Submitting those answers through the form's own check gives back exactly these bytes.
        const auto check = surveys::checkResponse(survey, asFormFields(survey, decoded), {});
        REQUIRE(check.isValid());
        REQUIRE(check.response.demographics == response.demographics);
        REQUIRE(check.response.answers == response.answers);
    }
}

TEST_CASE("demo responses miss a few answers, and a few respondents stop part-way", "[unit]") {
    const auto survey = testing::demoSurvey();
    const auto responses = demo::generateResponses(survey, 2000, 11);
    std::size_t missing = 0, total = 0, stoppedEarly = 0, skippedRace = 0, multipleRaces = 0;
    for (const auto& response : responses) {
        missing += static_cast<std::size_t>(std::count(response.answers.begin(), response.answers.end(), 0));
        total += response.answers.size();
        // The last 10 items all unanswered: far too unlikely by chance at a few percent each.
        stoppedEarly += std::all_of(response.answers.end() - 10, response.answers.end(), [](auto code) { return code == 0; });
        const auto decoded = surveys::decodeResponse(survey, response);
        skippedRace += decoded.demographics[3].empty();
        multipleRaces += decoded.demographics[3].size() >= 2;
    }
    const double missingShare = static_cast<double>(missing) / static_cast<double>(total);
    CHECK(missingShare > 0.025);  // 2.5% at random (varying by item) plus those who stopped early
    CHECK(missingShare < 0.07);
    CHECK(stoppedEarly >= 20);   // about 3%, most of them before the last 10 items
    CHECK(stoppedEarly <= 100);
    CHECK(skippedRace >= 10);    // optional questions are sometimes left out
    CHECK(skippedRace <= 80);
    CHECK(multipleRaces >= 20);  // "two or more" races, about 3%
    CHECK(multipleRaces <= 120);

    demo::DemoProfile complete;
    complete.itemMissingShare = 0.0;
    complete.stopEarlyShare = 0.0;
    for (const auto& response : demo::generateResponses(survey, 200, 11, complete))
        REQUIRE(std::count(response.answers.begin(), response.answers.end(), 0) == 0);
}

TEST_CASE("300 demo responses leave a school and a race group too small to report, and large ones", "[unit]") {
    const auto survey = testing::demoSurvey();
    const auto responses = demo::generateResponses(survey, 300, 2026);

    const auto schools = groupSizes(survey, responses, "school");
    CHECK(schools.at("central-office") >= 1);
    CHECK(schools.at("central-office") < survey.minGroupSize);
    CHECK(schools.at("eastside-high") > 80);
    CHECK(schools.at("maple-elementary") > 30);

    const auto races = groupSizes(survey, responses, "race");
    const bool hasSmallRaceGroup = std::any_of(races.begin(), races.end(), [&](const auto& group) {
        return group.second >= 1 && group.second < survey.minGroupSize;
    });
    CHECK(hasSmallRaceGroup);
    CHECK(races.at("white") > 80);
    CHECK(races.at("hispanic") > 80);
    CHECK(races.at("black") > 30);

    const auto roles = groupSizes(survey, responses, "role");
    CHECK(roles.at("teacher") > 150);
    CHECK(roles.at("teacher") > roles.at("paraprofessional") + roles.at("other-staff") + roles.at("school-leader"));
}

TEST_CASE("every demo scale is reliable after reverse keying", "[unit]") {
    const auto survey = testing::demoSurvey();
    const auto responses = demo::generateResponses(survey, 2000, 3);
    const auto scales = itemsByScale(survey);
    REQUIRE(scales.size() == 9);
    for (const auto& [scaleId, items] : scales) {
        const double alpha = cronbachAlpha(responses, items);
        INFO(scaleId << ": alpha " << alpha);
        CHECK(alpha > 0.70);
        CHECK(alpha < 0.95);
    }
    // Without reverse keying the reverse-keyed items would pull alpha down: the keying matters.
    auto unkeyed = scales.at("high-expectations");
    for (auto& item : unkeyed) item.isReverseKeyed = false;
    CHECK(cronbachAlpha(responses, unkeyed) < cronbachAlpha(responses, scales.at("high-expectations")) - 0.1);
}

TEST_CASE("group differences set in the demo profile show in the scale means", "[unit]") {
    const auto survey = testing::demoSurvey();
    const auto scales = itemsByScale(survey);

    SECTION("the built-in profile: Black staff endorse equitable resourcing more, Maple trusts more") {
        const auto responses = demo::generateResponses(survey, 2000, 5);
        const auto resourcing = compare(survey, responses, "race", "black", scales.at("equitable-resourcing"), "white");
        INFO("Black vs White staff on equitable resourcing: " << resourcing.meanIn << " vs " << resourcing.meanOut
                                                              << ", g = " << resourcing.hedgesG);
        CHECK(resourcing.hedgesG > 0.2);  // set to 0.45 latent SD
        CHECK(resourcing.hedgesG < 0.7);
        const auto trust = compare(survey, responses, "school", "maple-elementary", scales.at("professional-trust"));
        INFO("Maple vs others on professional trust: g = " << trust.hedgesG);
        CHECK(trust.hedgesG > 0.3);  // set to 0.55 latent SD
        CHECK(trust.hedgesG < 0.8);
        const auto ownership = compare(survey, responses, "school", "eastside-high", scales.at("shared-ownership"));
        CHECK(ownership.hedgesG < -0.2);  // set to -0.45 latent SD
    }

    SECTION("a profile with one effect shows that effect and no other") {
        demo::DemoProfile profile;
        profile.effects = {{"years", "0-2", "improvement-cycles", -0.6}};
        const auto responses = demo::generateResponses(survey, 2000, 5, profile);
        const auto newcomers = compare(survey, responses, "years", "0-2", scales.at("improvement-cycles"));
        INFO("newcomers vs others on improvement cycles: g = " << newcomers.hedgesG);
        CHECK(newcomers.hedgesG < -0.35);
        CHECK(newcomers.hedgesG > -0.8);
        const auto black = compare(survey, responses, "race", "black", scales.at("equitable-resourcing"), "white");
        INFO("Black vs White staff on equitable resourcing, no effect set: g = " << black.hedgesG);
        CHECK(std::abs(black.hedgesG) < 0.2);
    }

    SECTION("later years drift up on the scales the profile says, and a gap narrows") {
        demo::DemoProfile later;
        later.yearIndex = 3;
        const auto first = demo::generateResponses(survey, 5000, 5);
        const auto third = demo::generateResponses(survey, 5000, 6, later);
        auto mean = [&](const auto& responses, const std::string& scaleId) {
            double sum = 0.0;
            int n = 0;
            for (const auto& response : responses)
                if (const double score = scaleScore(response, scales.at(scaleId)); !std::isnan(score)) {
                    sum += score;
                    ++n;
                }
            return sum / n;
        };
        // +0.10 latent SD a year for three years; no drift set for high expectations.
        CHECK(mean(third, "data-informed-practice") - mean(first, "data-informed-practice") > 0.1);
        CHECK(std::abs(mean(third, "high-expectations") - mean(first, "high-expectations")) < 0.08);
        // Eastside's gap on shared ownership: -0.45 latent SD, narrowing by 0.08 a year.
        const auto gapBefore = compare(survey, first, "school", "eastside-high", scales.at("shared-ownership"));
        const auto gapAfter = compare(survey, third, "school", "eastside-high", scales.at("shared-ownership"));
        INFO("Eastside vs others on shared ownership: g = " << gapBefore.hedgesG << " then " << gapAfter.hedgesG);
        CHECK(gapAfter.hedgesG > gapBefore.hedgesG + 0.08);
        CHECK(gapAfter.hedgesG < 0.0);
    }
}

TEST_CASE("a million demo responses: generating and storing them", "[.bench]") {
    const auto survey = testing::demoSurvey();
    constexpr std::size_t kCount = 1'000'000;
    using Clock = std::chrono::steady_clock;
    auto seconds = [](Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); };

    auto start = Clock::now();
    auto generated = demo::generateResponses(survey, kCount, 1);
    const double generateSeconds = seconds(start);
    REQUIRE(generated.size() == kCount);

    std::vector<store::StoredResponse> rows;
    rows.reserve(generated.size());
    for (auto& response : generated) rows.push_back({std::move(response.demographics), std::move(response.answers)});

    testing::TempFolder folder;
    const auto file = folder.path() / "mindset.sqlite";
    double insertSeconds = 0.0;
    {
        store::Store store(file.string());
        const auto surveyId = store.saveSurvey({survey.id, survey.districtId, survey.districtName, {}, survey.schoolYear,
                                                survey.json, survey.answerLayout()});
        start = Clock::now();
        store.insertResponses(surveyId, rows);
        insertSeconds = seconds(start);
        REQUIRE(store.countResponses(surveyId) == static_cast<std::int64_t>(kCount));
        start = Clock::now();
        const auto readBack = store.responses(surveyId);
        std::cout << "read back:  " << readBack.size() << " responses in " << seconds(start) << " s\n";
    }
    std::cout << "generated:  " << kCount << " responses in " << generateSeconds << " s\n"
              << "inserted:   " << kCount << " responses in " << insertSeconds << " s\n"
              << "file size:  " << std::filesystem::file_size(file) << " bytes after closing\n";
}

TEST_CASE("the demo profile at a glance", "[.bench]") {
    const auto survey = testing::demoSurvey();
    const auto responses = demo::generateResponses(survey, 2000, 3);
    const auto scales = itemsByScale(survey);
    for (const auto& [scaleId, items] : scales) {
        double sum = 0.0;
        int n = 0;
        for (const auto& response : responses)
            if (const double score = scaleScore(response, items); !std::isnan(score)) {
                sum += score;
                ++n;
            }
        std::cout << scaleId << ": alpha " << cronbachAlpha(responses, items) << ", mean " << sum / n << "\n";
    }
    std::size_t missing = 0;
    for (const auto& response : responses) missing += static_cast<std::size_t>(std::count(response.answers.begin(), response.answers.end(), 0));
    std::cout << "missing item answers: " << 100.0 * static_cast<double>(missing) / (2000.0 * static_cast<double>(survey.answerCount())) << "%\n";
    for (const auto& question : {"school", "role", "years", "race"}) {
        std::cout << question << ":";
        for (const auto& [choice, size] : groupSizes(survey, responses, question)) std::cout << " " << choice << " " << size;
        std::cout << "\n";
    }
    for (const auto& effect : demo::DemoProfile{}.effects) {
        // Race/ethnicity against White staff, the reference group of the built-in effects; the rest against everyone else.
        const std::string versus = effect.questionId == "race" ? "white" : "";
        const auto c = compare(survey, responses, effect.questionId, effect.choiceId, scales.at(effect.scaleId), versus);
        std::cout << effect.questionId << "=" << effect.choiceId << " vs " << (versus.empty() ? "others" : versus) << " on "
                  << effect.scaleId << ": set " << effect.shiftSd << ", means " << c.meanIn << " vs " << c.meanOut << ", g "
                  << c.hedgesG << "\n";
    }
}

TEST_CASE("demo responses follow a survey's own demographic choices and every instrument's options", "[unit][formats]") {
    // Regression (issue 10): with choices the built-in demo weights do not name, every respondent
    // was "prefer not to say".
    auto root = nlohmann::json::parse(testing::readFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2026.json"));
    for (auto& question : root["demographics"])
        if (question["id"] == "role")
            for (auto& choice : question["choices"]) choice["id"] = "own-" + choice["id"].get<std::string>();
    nlohmann::json staff = nlohmann::json::object();
    for (const auto& [role, count] : root["staffByRole"].items()) staff["own-" + role] = count;
    root["staffByRole"] = staff;
    root["instruments"] = {"fixture-stages@1.0.0", "fixture-agreement7@1.0.0"};
    const auto survey = surveys::parseSurvey(root.dump(), "own-choices.json", testing::instrumentsWithFixtures());
    std::map<std::string, int> roles;
    std::map<int, int> codes;
    for (const auto& response : demo::generateResponses(survey, 2000, 5)) {
        const auto decoded = surveys::decodeResponse(survey, response);
        for (std::size_t q = 0; q < survey.demographics.size(); ++q)
            if (survey.demographics[q].id == "role")
                for (const auto& choice : decoded.demographics[q]) ++roles[choice];
        for (const auto code : decoded.answers) ++codes[code];
    }
    for (const auto& choice : survey.demographics[1].choices) {
        if (choice.isPreferNotToSay) continue;
        INFO(choice.id);
        CHECK(roles[choice.id] > 50);  // every choice, about evenly
    }
    CHECK(roles["prefer-not-to-say"] < 200);
    for (int code = 1; code <= 7; ++code) CHECK(codes[code] > 0);  // the 7-point instrument uses all seven
}
