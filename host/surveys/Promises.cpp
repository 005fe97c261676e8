#include "surveys/Promises.h"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

namespace mindset::surveys {

namespace {

using nlohmann::json;

json parsedOrEmpty(const std::string& text) {
    auto parsed = json::parse(text, nullptr, false);
    return parsed.is_discarded() || !parsed.is_object() ? json::object() : parsed;
}

std::optional<int> intField(const json& root, const char* name) {
    if (!root.contains(name) || !root[name].is_number_integer()) return std::nullopt;
    return root[name].get<int>();
}

/// The open-link minimum as the team decided (docs/privacy.md): the file's
/// openLinkMinGroupSize, else max(10, 2 x minGroupSize).
std::optional<int> openLinkMinimum(const json& root) {
    if (auto explicitValue = intField(root, "openLinkMinGroupSize")) return explicitValue;
    const auto minimum = intField(root, "minGroupSize");
    if (!minimum) return std::nullopt;
    return std::max(10, 2 * *minimum);
}

std::string accessOf(const json& root) {
    return root.contains("access") && root["access"].is_string() ? root["access"].get<std::string>() : std::string("open");
}

std::string describeQuestion(const json& question) {
    std::string text = question.value("multiple", false) ? "several of " : "one of ";
    text += "[";
    bool isFirst = true;
    for (const auto& choice : question.value("choices", json::array())) {
        text += (isFirst ? "" : ", ") + choice.get<std::string>();
        isFirst = false;
    }
    return text + "]";
}

const json* findQuestion(const json& questions, const std::string& id) {
    for (const auto& question : questions)
        if (question.value("id", "") == id) return &question;
    return nullptr;
}

constexpr const char* kNewSurveyAdvice =
    "Keep the questions as they were, or field the changed questions as a new survey with a new id (a new administration)";

}  // namespace

std::vector<BrokenPromise> brokenPromises(const std::string& storedJson, const std::string& storedLayout,
                                          const SurveyDefinition& updated) {
    std::vector<BrokenPromise> broken;
    const auto stored = parsedOrEmpty(storedJson);
    const auto changed = parsedOrEmpty(updated.json);

    const auto storedMinimum = intField(stored, "minGroupSize");
    if (storedMinimum && updated.minGroupSize < *storedMinimum)
        broken.push_back({"$.minGroupSize", std::to_string(*storedMinimum), std::to_string(updated.minGroupSize),
                          "Respondents were told that groups under " + std::to_string(*storedMinimum) +
                              " are never shown: keep minGroupSize at " + std::to_string(*storedMinimum) +
                              " or raise it; to report a new administration at a lower minimum, field it as a new survey "
                              "with a new id"});

    // Only where a file names it: a survey format without the field has no such promise.
    if (stored.contains("openLinkMinGroupSize") || changed.contains("openLinkMinGroupSize")) {
        const auto before = openLinkMinimum(stored);
        const auto after = openLinkMinimum(changed);
        if (before && after && *after < *before)
            broken.push_back({"$.openLinkMinGroupSize", std::to_string(*before), std::to_string(*after),
                              "Respondents on the open link were told that groups under " + std::to_string(*before) +
                                  " are never shown: keep openLinkMinGroupSize at " + std::to_string(*before) +
                                  " or raise it, or field a new survey with a new id"});
    }

    // Respondents who commented were told the school size below which comments are never shown.
    // A default threshold follows the minimums: when one of those is lowered, that is the refusal.
    if (stored.contains("comments") && broken.empty()) {
        const auto reporting = accessOf(stored) == "codes" ? intField(stored, "minGroupSize") : openLinkMinimum(stored);
        const auto before = stored.contains("commentMinGroupSize") ? intField(stored, "commentMinGroupSize")
                            : reporting                            ? std::optional<int>(std::max(10, *reporting))
                                                                   : std::nullopt;
        if (before && updated.commentMinGroupSize < *before)
            broken.push_back({"$.commentMinGroupSize", std::to_string(*before), std::to_string(updated.commentMinGroupSize),
                              "Respondents were told that comments of a school with fewer than " + std::to_string(*before) +
                                  " respondents are never shown: keep commentMinGroupSize at " + std::to_string(*before) +
                                  " or raise it, or field a new survey with a new id"});
    }

    if (accessOf(stored) == "codes" && accessOf(changed) != "codes")
        broken.push_back({"$.access", "\"codes\"", "\"" + accessOf(changed) + "\"",
                          "Respondents were told that only holders of a one-time access code can answer, so that "
                          "nobody can add responses to their groups: keep \"access\": \"codes\" (issue more codes with "
                          "`mindset codes issue`), or field an open-link survey with a new id"});

    const auto storedQuestions = parsedOrEmpty(storedLayout).value("demographics", json::array());
    const auto changedQuestions = parsedOrEmpty(updated.answerLayout()).value("demographics", json::array());
    for (const auto& question : storedQuestions) {
        const auto id = question.value("id", "");
        const auto* now = findQuestion(changedQuestions, id);
        if (!now) {
            broken.push_back({"$.demographics[" + id + "]", describeQuestion(question), "(removed)", kNewSurveyAdvice});
            continue;
        }
        if (question.value("choices", json::array()) != now->value("choices", json::array()) ||
            question.value("multiple", false) != now->value("multiple", false))
            broken.push_back({"$.demographics[" + id + "]", describeQuestion(question), describeQuestion(*now), kNewSurveyAdvice});
    }
    for (const auto& question : changedQuestions) {
        const auto id = question.value("id", "");
        if (!findQuestion(storedQuestions, id))
            broken.push_back({"$.demographics[" + id + "]", "(not asked)", describeQuestion(question), kNewSurveyAdvice});
    }
    // Reordering the same questions changes what each stored slot means, too.
    auto orderOf = [](const json& questions) {
        std::string text = "[";
        for (const auto& question : questions) text += (text.size() > 1 ? ", " : "") + question.value("id", "");
        return text + "]";
    };
    if (broken.empty() && orderOf(storedQuestions) != orderOf(changedQuestions))
        broken.push_back({"$.demographics", orderOf(storedQuestions), orderOf(changedQuestions), kNewSurveyAdvice});
    return broken;
}

std::string refusalReason(const SurveyDefinition& updated, std::int64_t responseCount, const BrokenPromise& broken) {
    return "survey '" + updated.id + "' already has " + std::to_string(responseCount) + " responses, collected under " +
           broken.field + " = " + broken.stored + "; this file says " + broken.updated + ". " + broken.advice +
           ". Nothing was changed.";
}

}  // namespace mindset::surveys
