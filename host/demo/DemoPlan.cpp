#include "demo/DemoPlan.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

namespace mindset::demo {

using nlohmann::json;

namespace {

/// Reads the plan, naming the file and the JSON path of whatever is wrong.
class PlanReader {
public:
    explicit PlanReader(const std::filesystem::path& file) : file_(file) {}

    [[noreturn]] void fail(const std::string& path, const std::string& reason) const { throw DemoPlanError(file_, path, reason); }

    /// Refuses fields the plan does not know, so that a misspelt one is not silently ignored.
    /// Every object may carry an "about" text for the reader.
    void onlyFields(const json& object, const std::string& path, std::initializer_list<const char*> known) const {
        if (!object.is_object()) fail(path, "expected an object, got " + object.dump());
        for (const auto& [name, value] : object.items()) {
            if (name == "about") continue;
            if (std::none_of(known.begin(), known.end(), [&](const char* k) { return name == k; }))
                fail(path + "." + name, "unknown field (expected one of: " + list(known) + ", about)");
        }
    }
    const json& required(const json& object, const std::string& path, const char* name) const {
        auto it = object.find(name);
        if (it == object.end()) fail(path + "." + name, "required field is missing");
        return *it;
    }
    std::string text(const json& object, const std::string& path, const char* name, bool isRequired = true) const {
        auto it = object.find(name);
        if (it == object.end()) {
            if (isRequired) fail(path + "." + name, "required field is missing");
            return {};
        }
        if (!it->is_string() || it->get<std::string>().empty()) fail(path + "." + name, "expected a non-empty string, got " + it->dump());
        return it->get<std::string>();
    }
    /// A finite number within [lowest, highest].
    double number(const json& value, const std::string& path, double lowest, double highest) const {
        if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < lowest || value.get<double>() > highest)
            fail(path, "expected a number from " + shortText(lowest) + " to " + shortText(highest) + ", got " + value.dump());
        return value.get<double>();
    }
    double optionalNumber(const json& object, const std::string& path, const char* name, double lowest, double highest,
                          double fallback) const {
        auto it = object.find(name);
        return it == object.end() ? fallback : number(*it, path + "." + name, lowest, highest);
    }
    std::int64_t whole(const json& object, const std::string& path, const char* name, std::int64_t lowest, std::int64_t highest) const {
        const auto& value = required(object, path, name);
        if (!value.is_number_integer() || value.get<std::int64_t>() < lowest || value.get<std::int64_t>() > highest)
            fail(path + "." + name, "expected a whole number from " + std::to_string(lowest) + " to " + std::to_string(highest) +
                                        ", got " + value.dump());
        return value.get<std::int64_t>();
    }

private:
    static std::string list(std::initializer_list<const char*> names) {
        std::string text;
        for (const auto* name : names) text += (text.empty() ? "" : ", ") + std::string(name);
        return text;
    }
    static std::string shortText(double x) {
        std::ostringstream out;
        out << x;
        return out.str();
    }

    std::filesystem::path file_;
};

// Latent shifts beyond a few standard deviations would put every answer at one end of the scale.
constexpr double kMaxShiftSd = 3.0;

DistrictAdjustment parseDistrict(const PlanReader& r, const std::string& districtId, const json& object, const std::string& path) {
    r.onlyFields(object, path, {"levelShift", "scales", "effects", "choiceWeights"});
    DistrictAdjustment district;
    district.districtId = districtId;
    district.levelShift = r.optionalNumber(object, path, "levelShift", -kMaxShiftSd, kMaxShiftSd, 0.0);
    if (auto scales = object.find("scales"); scales != object.end()) {
        if (!scales->is_object()) r.fail(path + ".scales", "expected an object of scale id -> { shift, meanPerYear }");
        for (const auto& [scaleId, value] : scales->items()) {
            const auto scalePath = path + ".scales." + scaleId;
            r.onlyFields(value, scalePath, {"shift", "meanPerYear"});
            ScaleAdjustment scale{scaleId, r.optionalNumber(value, scalePath, "shift", -kMaxShiftSd, kMaxShiftSd, 0.0)};
            if (value.contains("meanPerYear")) scale.meanPerYear = r.number(value["meanPerYear"], scalePath + ".meanPerYear", -1.0, 1.0);
            district.scales.push_back(std::move(scale));
        }
    }
    if (auto effects = object.find("effects"); effects != object.end()) {
        if (!effects->is_array()) r.fail(path + ".effects", "expected an array of group effects");
        for (std::size_t i = 0; i < effects->size(); ++i) {
            const auto effectPath = path + ".effects[" + std::to_string(i) + "]";
            const auto& e = (*effects)[i];
            r.onlyFields(e, effectPath, {"question", "choice", "scale", "shiftSd", "shiftPerYearSd"});
            district.effects.push_back({r.text(e, effectPath, "question"), r.text(e, effectPath, "choice"),
                                        r.text(e, effectPath, "scale", false),
                                        r.number(r.required(e, effectPath, "shiftSd"), effectPath + ".shiftSd", -kMaxShiftSd, kMaxShiftSd),
                                        r.optionalNumber(e, effectPath, "shiftPerYearSd", -1.0, 1.0, 0.0)});
        }
    }
    if (auto weights = object.find("choiceWeights"); weights != object.end()) {
        if (!weights->is_array()) r.fail(path + ".choiceWeights", "expected an array of choice weights");
        for (std::size_t i = 0; i < weights->size(); ++i) {
            const auto weightPath = path + ".choiceWeights[" + std::to_string(i) + "]";
            const auto& w = (*weights)[i];
            r.onlyFields(w, weightPath, {"question", "choice", "weight", "whenQuestion", "whenChoice"});
            ChoiceWeight weight{r.text(w, weightPath, "question"), r.text(w, weightPath, "choice"),
                                r.number(r.required(w, weightPath, "weight"), weightPath + ".weight", 0.0, 1e6),
                                r.text(w, weightPath, "whenQuestion", false), r.text(w, weightPath, "whenChoice", false)};
            if (weight.whenQuestionId.empty() != weight.whenChoiceId.empty())
                r.fail(weightPath, "whenQuestion and whenChoice go together: give both or neither");
            district.choiceWeights.push_back(std::move(weight));
        }
    }
    return district;
}

}  // namespace

DemoProfile DemoPlan::profileFor(const PlannedSurvey& planned, const std::string& districtId) const {
    DemoProfile profile;
    profile.yearIndex = planned.yearIndex;
    const auto found = std::find_if(districts.begin(), districts.end(), [&](const DistrictAdjustment& d) { return d.districtId == districtId; });
    if (found == districts.end()) return profile;
    const auto& district = *found;

    for (auto& level : profile.scaleLevels) level.mean += district.levelShift;
    for (const auto& change : district.scales) {
        auto level = std::find_if(profile.scaleLevels.begin(), profile.scaleLevels.end(),
                                  [&](const ScaleLevel& l) { return l.scaleId == change.scaleId; });
        if (level == profile.scaleLevels.end()) {
            profile.scaleLevels.push_back(ScaleLevel{change.scaleId});
            level = profile.scaleLevels.end() - 1;
            level->mean += district.levelShift;
        }
        level->mean += change.shift;
        if (change.meanPerYear) level->meanPerYear = *change.meanPerYear;
    }
    for (const auto& effect : district.effects) {
        auto same = std::find_if(profile.effects.begin(), profile.effects.end(), [&](const GroupEffect& e) {
            return e.questionId == effect.questionId && e.choiceId == effect.choiceId && e.scaleId == effect.scaleId;
        });
        if (same == profile.effects.end()) profile.effects.push_back(effect);
        else *same = effect;
    }
    for (const auto& weight : district.choiceWeights) {
        auto same = std::find_if(profile.choiceWeights.begin(), profile.choiceWeights.end(), [&](const ChoiceWeight& w) {
            return w.questionId == weight.questionId && w.choiceId == weight.choiceId && w.whenQuestionId == weight.whenQuestionId &&
                   w.whenChoiceId == weight.whenChoiceId;
        });
        if (same == profile.choiceWeights.end()) profile.choiceWeights.push_back(weight);
        else *same = weight;
    }
    return profile;
}

DemoPlan parseDemoPlan(std::string_view text, const std::filesystem::path& file) {
    const PlanReader r(file);
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& e) {
        r.fail("$", std::string("not valid JSON: ") + e.what());
    }
    r.onlyFields(root, "$", {"districts", "surveys"});
    DemoPlan plan;
    if (auto districts = root.find("districts"); districts != root.end()) {
        if (!districts->is_object()) r.fail("$.districts", "expected an object of district id -> adjustments");
        for (const auto& [districtId, adjustments] : districts->items())
            plan.districts.push_back(parseDistrict(r, districtId, adjustments, "$.districts." + districtId));
    }
    const auto& surveys = r.required(root, "$", "surveys");
    if (!surveys.is_array() || surveys.empty()) r.fail("$.surveys", "expected a non-empty array of planned surveys");
    for (std::size_t i = 0; i < surveys.size(); ++i) {
        const auto path = "$.surveys[" + std::to_string(i) + "]";
        const auto& s = surveys[i];
        r.onlyFields(s, path, {"survey", "responses", "seed", "yearIndex"});
        PlannedSurvey planned;
        planned.surveyId = r.text(s, path, "survey");
        for (const auto& other : plan.surveys)
            if (other.surveyId == planned.surveyId) r.fail(path + ".survey", "survey '" + planned.surveyId + "' is planned twice");
        planned.responses = static_cast<std::size_t>(r.whole(s, path, "responses", 1, static_cast<std::int64_t>(kMaxPlannedResponses)));
        planned.seed = static_cast<std::uint64_t>(r.whole(s, path, "seed", 0, std::numeric_limits<std::int64_t>::max()));
        planned.yearIndex = static_cast<int>(r.whole(s, path, "yearIndex", 0, 50));
        plan.surveys.push_back(std::move(planned));
    }
    return plan;
}

DemoPlan loadDemoPlan(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw DemoPlanError(file, "$", "cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    return parseDemoPlan(text.str(), file);
}

}  // namespace mindset::demo
