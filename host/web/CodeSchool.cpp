#include "web/CodeSchool.h"

#include <algorithm>

namespace mindset::web {

const surveys::DemographicQuestion* codeSchoolQuestion(const surveys::SurveyDefinition& survey) {
    for (const auto& question : survey.demographics)
        if (question.isFromSchools && !question.isMultiple) return &question;
    return nullptr;
}

std::optional<std::string> schoolOfCode(store::Store& store, const surveys::SurveyDefinition& survey, const std::string& codeHash) {
    if (survey.access != surveys::Access::AccessCodes || codeHash.empty()) return std::nullopt;
    const auto* question = codeSchoolQuestion(survey);
    if (!question) return std::nullopt;
    const auto code = store.findAccessCode(survey.storeId, codeHash);
    if (!code) return std::nullopt;
    // A school removed from the survey file since the code was issued binds nothing: the
    // respondent then answers the question like anyone else.
    const bool isChoice = std::any_of(question->choices.begin(), question->choices.end(),
                                      [&](const surveys::Choice& choice) { return choice.id == code->schoolSlug; });
    return isChoice ? std::optional<std::string>(code->schoolSlug) : std::nullopt;
}

void bindSchool(const surveys::SurveyDefinition& survey, surveys::FormFields& fields, const std::string& schoolId) {
    const auto* question = codeSchoolQuestion(survey);
    if (!question) return;
    const auto name = surveys::demographicFieldName(*question);
    std::erase_if(fields, [&name](const auto& field) { return field.first == name; });
    fields.emplace_back(name, schoolId);
}

std::optional<std::string> answeredSchool(const surveys::SurveyDefinition& survey, const surveys::FormFields& fields) {
    const auto* question = codeSchoolQuestion(survey);
    if (!question) return std::nullopt;
    const auto name = surveys::demographicFieldName(*question);
    for (const auto& [field, value] : fields)
        if (field == name) return value;
    return std::nullopt;
}

}  // namespace mindset::web
