#include "imports/ResponseImport.h"

#include <algorithm>
#include <map>
#include <set>

namespace mindset::imports {

namespace {

std::string inQuotes(std::string_view text) { return "'" + std::string(text) + "'"; }

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// Whether `text` starts with `lowered` (already in lower case), ASCII letters compared without case.
bool startsWithIgnoringCase(std::string_view text, std::string_view lowered) {
    if (text.size() < lowered.size()) return false;
    for (std::size_t i = 0; i < lowered.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lowered[i]) return false;
    }
    return true;
}

std::string reasonFor(const surveys::FieldProblem& problem, const ColumnSource& source, const surveys::SurveyDefinition& survey) {
    switch (problem.kind) {
        case surveys::ProblemKind::Missing:
            return source.field.starts_with("d.") ? "no answer to required " + source.subject
                                                  : "no answer, and survey '" + survey.id + "' requires every item";
        case surveys::ProblemKind::DuplicateField:
            return "more than one answer to " + source.subject + ", which takes one";
        case surveys::ProblemKind::InvalidChoice:
            return inQuotes(problem.value) + " is not an answer " + source.subject + " accepts";
        case surveys::ProblemKind::PreferNotToSayWithOthers:
            return "\"prefer not to say\" together with other choices for " + source.subject;
        case surveys::ProblemKind::NoItemAnswered:  // not checked for imports
        case surveys::ProblemKind::TooLong:         // comments are never imported
        case surveys::ProblemKind::NotText:
        case surveys::ProblemKind::UnknownField:
            break;
    }
    return "not a question of survey '" + survey.id + "'";
}

}  // namespace

std::vector<std::string_view> splitChoices(std::string_view cell, const ColumnSource& source) {
    const auto& separator = source.separator;
    if (separator.empty()) return {cell};
    // The listed texts that hold the separator, longest first: those are the ones a plain split would cut.
    std::vector<std::string_view> whole;
    for (const auto& [text, unused] : source.values)
        if (text.find(separator) != std::string::npos) whole.push_back(text);
    std::sort(whole.begin(), whole.end(), [](auto a, auto b) { return a.size() > b.size(); });

    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        auto at = start;
        while (at < cell.size() && isSpace(cell[at])) ++at;
        std::size_t end = std::string_view::npos;
        for (const auto text : whole) {
            if (!startsWithIgnoringCase(cell.substr(at), text)) continue;
            const auto after = at + text.size();
            auto rest = after;
            while (rest < cell.size() && isSpace(cell[rest])) ++rest;
            if (rest == cell.size() || cell.substr(after).starts_with(separator)) {
                end = after;
                break;
            }
        }
        if (end == std::string_view::npos) end = cell.find(separator, start);
        parts.push_back(cell.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos || end >= cell.size()) return parts;
        if (!cell.substr(end).starts_with(separator)) return parts;  // only spaces after a whole text
        start = end + separator.size();
    }
}

ImportPlan planImport(const surveys::SurveyDefinition& survey, const ImportMapping& mapping, std::string_view csv, char delimiter,
                      const std::set<std::size_t>& testLines) {
    CsvReader reader(csv, delimiter);
    const auto& header = reader.header();
    std::map<std::string, std::vector<std::size_t>> columnsByName;
    for (std::size_t i = 0; i < header.size(); ++i) columnsByName[normalizeSourceText(header[i])].push_back(i);

    std::vector<MappingProblem> problems;
    std::vector<std::size_t> columnOf;  // per source: its index in the header
    std::set<std::size_t> usedColumns;
    for (const auto& source : mapping.sources) {
        const auto& found = columnsByName[normalizeSourceText(source.column)];
        if (found.size() == 1) {
            columnOf.push_back(found.front());
            usedColumns.insert(found.front());
            continue;
        }
        columnOf.push_back(0);
        if (found.empty()) {
            problems.push_back({source.mappingPath, "the CSV file has no column " + inQuotes(source.column) + " in its header (line 1)"});
        } else {
            std::string where;
            for (const auto i : found) where += (where.empty() ? "" : ", ") + std::to_string(i + 1);
            problems.push_back({source.mappingPath, "the CSV header has " + std::to_string(found.size()) + " columns named " +
                                                        inQuotes(source.column) + " (columns " + where + "); which one is meant is unclear"});
        }
    }
    if (!problems.empty()) throw MappingError(std::move(problems));

    std::map<std::string, std::size_t> sourceByField;
    for (std::size_t i = 0; i < mapping.sources.size(); ++i) sourceByField[mapping.sources[i].field] = i;
    auto columnName = [&](std::size_t column) {
        return column >= 1 && column <= header.size() ? header[column - 1] : std::string();
    };

    ImportPlan plan;
    std::map<std::string, std::size_t> lineByAnswers;  // the stored bytes of each accepted row -> its first line
    for (std::size_t i = 0; i < header.size(); ++i)
        if (!usedColumns.count(i)) plan.unreadColumns.push_back(header[i]);

    std::size_t headerRowsLeft = mapping.extraHeaderRows;
    while (const auto record = reader.next()) {
        if (headerRowsLeft > 0) {
            --headerRowsLeft;
            continue;
        }
        ++plan.rowsRead;
        if (testLines.contains(record->line)) {
            plan.testLines.push_back(record->line);
            continue;
        }
        RejectedRow row{record->line, {}};
        if (record->problem) {
            const auto& position = record->problem->position;
            row.problems.push_back({position.line, position.column, columnName(position.column), record->problem->reason});
            plan.rejected.push_back(std::move(row));
            continue;
        }

        surveys::FormFields fields;
        std::set<std::string> fieldsWithProblems;
        for (std::size_t s = 0; s < mapping.sources.size(); ++s) {
            const auto& source = mapping.sources[s];
            const auto column = columnOf[s];
            for (const auto part : splitChoices(record->fields[column], source)) {
                const auto text = normalizeSourceText(part);
                if (text.empty()) continue;  // an empty cell, or nothing between two separators: no answer
                const auto value = source.values.find(text);
                if (value == source.values.end()) {
                    row.problems.push_back({record->line, column + 1, header[column],
                                            inQuotes(part) + " is not one of the texts the mapping lists for " + source.subject});
                    fieldsWithProblems.insert(source.field);
                } else if (!value->second.empty()) {
                    fields.emplace_back(source.field, value->second);
                }
            }
        }
        if (fields.empty() && row.problems.empty()) {
            row.problems.push_back({record->line, 0, {}, "no answer in any of the mapped columns: not a response"});
            plan.rejected.push_back(std::move(row));
            continue;
        }

        auto check = surveys::checkResponse(survey, fields, {});
        for (const auto& problem : check.problems) {
            if (fieldsWithProblems.count(problem.field)) continue;  // its cell's problem is already named
            const auto it = sourceByField.find(problem.field);
            if (it == sourceByField.end()) {  // a required question the mapping leaves out: parseMapping prevents it
                row.problems.push_back({record->line, 0, {}, "no answer to required field " + problem.field});
                continue;
            }
            const auto column = columnOf[it->second];
            row.problems.push_back(
                {record->line, column + 1, header[column], reasonFor(problem, mapping.sources[it->second], survey)});
        }
        if (!row.problems.empty()) {
            plan.rejected.push_back(std::move(row));
            continue;
        }
        const auto& response = check.response;
        std::string answers(response.demographics.begin(), response.demographics.end());
        answers.append(response.answers.begin(), response.answers.end());
        if (const auto [first, isNew] = lineByAnswers.emplace(std::move(answers), record->line); !isNew)
            plan.repeated.push_back({record->line, first->second});
        plan.responses.push_back(std::move(check.response));
    }
    for (const auto line : testLines)
        if (std::find(plan.testLines.begin(), plan.testLines.end(), line) == plan.testLines.end()) plan.unknownTestLines.push_back(line);
    return plan;
}

}  // namespace mindset::imports
