#pragma once
/// Comments as a response carries them: their form fields, the text as it is kept (checked,
/// tidied, contact details masked) and the one group a comment is stored under. Comments are kept
/// apart from the response they came with (docs/privacy.md, R10).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "surveys/SurveyDefinition.h"

namespace mindset::surveys {

/// The form field of a comment question ("c." + id).
std::string commentFieldName(const CommentQuestion& question);

/// Characters (Unicode code points) in `text`, or nullopt when it is not valid UTF-8.
std::optional<std::size_t> utf8Length(std::string_view text);

/// A comment as typed, tidied: line breaks as "\n", control characters (other than line breaks
/// and tabs) removed, surrounding white space trimmed. Empty: no comment.
std::string tidyComment(std::string_view typed);

/// The demographic question a comment's group comes from: the survey's single-choice question
/// whose choices are its schools, or null when it has none (then every comment is in one group,
/// the district).
const DemographicQuestion* commentGroupQuestion(const SurveyDefinition& survey);

/// The group key stored with a comment: the school's choice id, "no-answer" when the school
/// question was not answered, or "" for a survey without a school question. The same ids as the
/// profile's categories (analytics::categoriesOf), so a release's cells tell whether it is shown.
std::string commentGroupKey(const SurveyDefinition& survey, std::span<const std::uint8_t> demographics);

}  // namespace mindset::surveys
