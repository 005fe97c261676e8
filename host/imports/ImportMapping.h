#pragma once
/// The mapping file of an import: which survey the rows belong to, which CSV column holds each
/// demographic question and each item, and what the texts in those columns mean. Parsed and
/// checked against the survey before a single row is read. See docs/importing.md.

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "surveys/SurveyDefinition.h"

namespace mindset::imports {

/// One thing wrong with a mapping: the field (a JSON path such as `$.items["equity-excellence.ee01"]`)
/// and why.
struct MappingProblem {
    std::string field;
    std::string reason;
};

/// A mapping that cannot be used with its survey or its CSV file. Lists every problem found, so
/// that one round of corrections fixes them all.
class MappingError : public std::runtime_error {
public:
    explicit MappingError(std::vector<MappingProblem> problems);
    const std::vector<MappingProblem>& problems() const { return problems_; }

private:
    std::vector<MappingProblem> problems_;
};

/// Where the answers to one question or item come from, and how to read them.
struct ColumnSource {
    std::string field;        ///< the form field it fills: "d.<question>" or "i.<instrument>.<item>"
    std::string mappingPath;  ///< where the mapping says so, for messages
    std::string subject;      ///< what it is, for messages: "question role", "item equity-excellence.ee01"
    std::string column;       ///< the CSV column's name as written in the mapping
    std::string separator;    ///< multiple choice: what separates the choices in one cell; empty otherwise
    /// Source text (normalizeSourceText) -> the form value it stands for: a choice id, a response
    /// code, "pna" (declined an item), or "" (no answer). An empty cell is always no answer.
    std::map<std::string, std::string> values;
};

/// A mapping file, read and checked against its survey.
struct ImportMapping {
    std::string surveyId;
    /// Records after the header that hold no response (Qualtrics exports have two: question texts
    /// and import ids).
    std::size_t extraHeaderRows = 0;
    std::vector<ColumnSource> sources;  ///< demographic questions, then items, each in survey order
    /// The survey's questions and items no column answers: stored as unanswered
    /// ("question years", "item equity-excellence.ee14").
    std::vector<std::string> unmapped;
};

/// Parses a mapping file's text and checks it against `survey`: unknown fields, questions, items
/// and choices, required questions left out, two sources reading one column, codes the
/// instrument does not have. Throws MappingError listing every problem.
ImportMapping parseMapping(std::string_view json, const surveys::SurveyDefinition& survey);

/// How texts in the CSV and in the mapping are compared: without surrounding white space, and
/// ASCII letters in lower case ("Strongly Agree " matches "strongly agree").
std::string normalizeSourceText(std::string_view text);

}  // namespace mindset::imports
