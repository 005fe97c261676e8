#pragma once
/// The school an access code binds its respondent to (issue 14): a code is issued for one school,
/// so on a code survey the school question is answered by the code, not by the respondent, and
/// participation (codes used per school) and results (responses per school) agree. Nothing here
/// links a response to a code: the response records its school as any response does.

#include <optional>
#include <string>

#include "store/Store.h"
#include "surveys/ResponseEncoding.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::web {

/// The question a code answers: the survey's first single-choice question whose choices are its
/// schools; nullptr when it has none (then a code binds nothing).
const surveys::DemographicQuestion* codeSchoolQuestion(const surveys::SurveyDefinition& survey);

/// The school (id) the code with `codeHash` was issued for, when the survey uses access codes, has
/// a school question, and the code exists; otherwise nullopt.
std::optional<std::string> schoolOfCode(store::Store& store, const surveys::SurveyDefinition& survey, const std::string& codeHash);

/// Replaces whatever `fields` answer to the school question with `schoolId`.
void bindSchool(const surveys::SurveyDefinition& survey, surveys::FormFields& fields, const std::string& schoolId);

/// The school `fields` answer, if any (the first answer to the school question).
std::optional<std::string> answeredSchool(const surveys::SurveyDefinition& survey, const surveys::FormFields& fields);

}  // namespace mindset::web
