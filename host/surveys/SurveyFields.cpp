#include "surveys/SurveyFields.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace mindset::surveys {

using json = nlohmann::ordered_json;

namespace {

constexpr std::array<std::string_view, 19> kSurveyFields = {
    "id",           "title",          "introduction", "district",       "schools",
    "schoolYear",   "languages",      "opens",        "closes",         "minGroupSize",
    "openLinkMinGroupSize", "requireEveryItem", "allowPreferNotToAnswer", "access", "instruments",
    "demographics", "staffByRole", "comments", "commentMinGroupSize"};
constexpr std::array<std::string_view, 2> kDistrictFields = {"id", "name"};
constexpr std::array<std::string_view, 3> kSchoolFields = {"id", "name", "staff"};
constexpr std::array<std::string_view, 8> kQuestionFields = {"id",       "label",    "hint",     "choices",
                                                             "fromSchools", "multiple", "required", "preferNotToSay"};
constexpr std::array<std::string_view, 3> kCommentFields = {"id", "label", "maxLength"};
constexpr std::array<std::string_view, 2> kChoiceFields = {"id", "label"};
constexpr std::array<std::string_view, 2> kLanguages = {"en", "es"};

/// Lowercase, without the separators people put between words in different naming styles.
std::string comparable(std::string_view name) {
    std::string text;
    for (const char c : name)
        if (c != '_' && c != '-' && c != ' ') text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

/// Edits (insert, delete, change, swap two neighbours) that turn `a` into `b` (optimal string
/// alignment distance).
std::size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

std::string listOf(std::span<const std::string_view> names) {
    std::string text;
    for (const auto name : names) text += (text.empty() ? "" : ", ") + std::string(name);
    return text;
}

class FieldCheck {
public:
    std::vector<SurveyProblem> problems;

    /// Reports each field of `object` not in `known`; `what` names the object for the message.
    void fields(const json& object, const std::string& path, std::span<const std::string_view> known, const char* what) {
        if (!object.is_object()) return;
        for (const auto& [name, value] : object.items()) {
            if (std::find(known.begin(), known.end(), name) != known.end()) continue;
            const auto nearest = nearestName(name, known);
            problems.push_back({path + "." + name, "unknown field \"" + name + "\" in " + what +
                                                       (nearest.empty() ? " (its fields are: " + listOf(known) + ")"
                                                                        : "; did you mean \"" + nearest + "\"?")});
        }
    }
    void text(const json& object, const std::string& path, const char* name) {
        if (object.is_object() && object.contains(name))
            fields(object[name], path + "." + name, kLanguages, "a text (languages)");
    }
    /// Calls `each(element, path)` for every element of the array `object[name]`, if it is one.
    template <typename Each>
    void elements(const json& object, const std::string& path, const char* name, Each each) {
        if (!object.is_object() || !object.contains(name) || !object[name].is_array()) return;
        const auto& array = object[name];
        for (std::size_t i = 0; i < array.size(); ++i) each(array[i], path + "." + name + "[" + std::to_string(i) + "]");
    }
};

}  // namespace

std::string nearestName(std::string_view typed, std::span<const std::string_view> known) {
    const auto wanted = comparable(typed);
    // Short names allow one slip, longer ones two or three: "acess" -> "access", "requried" -> "required".
    const std::size_t allowed = wanted.size() <= 5 ? 1 : wanted.size() <= 12 ? 2 : 3;
    std::string best;
    std::size_t bestDistance = allowed + 1;
    for (const auto name : known) {
        const auto distance = editDistance(wanted, comparable(name));
        if (distance < bestDistance) {
            best = name;
            bestDistance = distance;
        }
    }
    return best;
}

std::vector<SurveyProblem> unknownSurveyFields(const json& root) {
    FieldCheck check;
    check.fields(root, "$", kSurveyFields, "the survey");
    check.text(root, "$", "title");
    check.text(root, "$", "introduction");
    if (root.is_object() && root.contains("district")) check.fields(root["district"], "$.district", kDistrictFields, "the district");
    check.elements(root, "$", "schools", [&](const json& school, const std::string& path) {
        check.fields(school, path, kSchoolFields, "a school");
        check.text(school, path, "name");
    });
    check.elements(root, "$", "demographics", [&](const json& question, const std::string& path) {
        check.fields(question, path, kQuestionFields, "a demographic question");
        check.text(question, path, "label");
        check.text(question, path, "hint");
        check.elements(question, path, "choices", [&](const json& choice, const std::string& choicePath) {
            check.fields(choice, choicePath, kChoiceFields, "a choice");
            check.text(choice, choicePath, "label");
        });
    });
    check.elements(root, "$", "comments", [&](const json& question, const std::string& path) {
        check.fields(question, path, kCommentFields, "a comment question");
        check.text(question, path, "label");
    });
    return check.problems;
}

}  // namespace mindset::surveys
