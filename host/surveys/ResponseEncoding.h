#pragma once
/// Turns a submitted form into the bytes the store keeps, checking every field strictly, and
/// turns stored bytes back into answers. A respondent's mistake is a FieldProblem, not an exception.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "surveys/SurveyDefinition.h"

namespace mindset::surveys {

/// Form field names, shared by the page that renders the form and the check that reads it.
std::string demographicFieldName(const DemographicQuestion& question);
std::string itemFieldName(const SurveyInstrument& instrument, const sdk::Item& item);

enum class ProblemKind {
    Missing,                   ///< a required question or item has no answer
    UnknownField,              ///< a field the survey does not ask
    DuplicateField,            ///< a single-answer field sent more than once
    InvalidChoice,             ///< not one of the question's choices / not a response code
    PreferNotToSayWithOthers,  ///< "prefer not to say" together with other choices
    NoItemAnswered,            ///< a whole response without a single item answered (see checkAnyItemAnswered)
    TooLong,                   ///< a comment longer than its question's maxLength (value: its length in characters)
    NotText,                   ///< a comment that is not valid UTF-8 text
};

struct FieldProblem {
    std::string field;  ///< the form field name
    ProblemKind kind;
    std::string value;  ///< the offending value, if any
};

/// One comment of a response: its question and its text as kept (tidied, contact details masked).
struct CommentAnswer {
    std::string questionId;
    std::string text;
};

/// A response as stored: see host/store/migrations/001_initial.sql for the byte layout. Its comments
/// are stored apart from it, without anything that links them (010_comments.sql).
struct EncodedResponse {
    std::vector<std::uint8_t> demographics;
    std::vector<std::uint8_t> answers;
    std::vector<CommentAnswer> comments{};
};

struct ResponseCheck {
    EncodedResponse response;
    std::vector<FieldProblem> problems;
    bool isValid() const { return problems.empty(); }
};

using FormFields = std::vector<std::pair<std::string, std::string>>;

/// The value of an item answered "Prefer not to answer" (stored as no answer).
inline constexpr const char* kPreferNotToAnswer = "pna";

/// Checks every submitted field against the survey. Fields named in `ignoredFields` (e.g. the
/// language) are not part of the response. An empty value counts as no answer.
ResponseCheck checkResponse(const SurveyDefinition& survey, const FormFields& fields,
                            const std::vector<std::string>& ignoredFields);

/// The forms' rule that a response answers at least one item ("Prefer not to answer" counts as
/// an answer): nullopt when `fields` do, else a NoItemAnswered problem on the survey's first item.
/// A response without one says nothing, and an outsider could use such responses to fill small
/// groups (docs/privacy.md). Imports of earlier years do not apply it: they keep what was collected.
std::optional<FieldProblem> checkAnyItemAnswered(const SurveyDefinition& survey, const FormFields& fields);

/// Checks only the questions of page `page` (1-based, see SurveyDefinition::pageCount); fields
/// of other pages count as unknown. The encoded response is meaningful only for that page.
ResponseCheck checkPage(const SurveyDefinition& survey, std::size_t page, const FormFields& fields,
                        const std::vector<std::string>& ignoredFields);

/// The page (1-based) that asks field `name`, or 0 if no page does. Comments are asked on the last page.
std::size_t pageOfField(const SurveyDefinition& survey, const std::string& name);

/// The fields among `fields` that page `page` asks.
FormFields pageAnswers(const SurveyDefinition& survey, const FormFields& fields, std::size_t page);

/// The questions and items that `fields` leave unanswered, as field names in the order the form
/// asks them (comments are optional and never listed) (an empty value is no answer; "Prefer not to answer" and "Prefer not to say" are
/// answers). What the review before the final submit lists.
std::vector<std::string> unansweredFields(const SurveyDefinition& survey, const FormFields& fields);

/// A stored response read back: for each demographic question the chosen choice ids (none when
/// unanswered), and for each item its code (0 when unanswered), in survey order.
struct DecodedResponse {
    std::vector<std::vector<std::string>> demographics;
    std::vector<int> answers;
};
/// Throws std::invalid_argument when the bytes do not fit the survey's layout.
DecodedResponse decodeResponse(const SurveyDefinition& survey, const EncodedResponse& stored);

}  // namespace mindset::surveys
