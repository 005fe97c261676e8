#include "cli/Import.h"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "imports/CsvReader.h"
#include "imports/FileType.h"
#include "imports/ImportMapping.h"
#include "imports/ResponseImport.h"

namespace mindset::cli {

namespace {

std::string readWholeFile(const std::filesystem::path& file, const char* option) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::invalid_argument(std::string(option) + ": cannot open '" + file.string() + "'");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string joined(const std::vector<std::string>& texts) {
    std::string text;
    for (const auto& t : texts) text += (text.empty() ? "" : ", ") + t;
    return text;
}

/// How many lines a report lists before it says how many more there are.
constexpr std::size_t kLinesShown = 10;

/// "5, 7, 9" or, past kLinesShown, "5, 7, 9, ... and 12 more".
std::string lineList(const std::vector<std::size_t>& lines, std::size_t shown = kLinesShown) {
    std::string text;
    for (std::size_t i = 0; i < lines.size() && i < shown; ++i) text += (i == 0 ? "" : ", ") + std::to_string(lines[i]);
    if (lines.size() > shown) text += ", ... and " + std::to_string(lines.size() - shown) + " more";
    return text;
}

/// Every problem of the rejected rows, each distinct one (same column, same reason) once: alone
/// with its line, or with how many rows have it and the first of their lines. One text the
/// mapping lacks can reject thousands of rows; that is one thing to fix, and it reads as one.
void printProblems(std::ostream& out, const std::vector<imports::RejectedRow>& rejected) {
    struct Distinct {
        const imports::CellProblem* first;
        std::vector<std::size_t> lines;
    };
    std::vector<Distinct> distinct;
    std::map<std::pair<std::size_t, std::string>, std::size_t> indexOf;
    for (const auto& row : rejected)
        for (const auto& problem : row.problems) {
            const auto [it, isNew] = indexOf.emplace(std::make_pair(problem.column, problem.reason), distinct.size());
            if (isNew) distinct.push_back({&problem, {}});
            distinct[it->second].lines.push_back(problem.line);
        }
    for (const auto& [problem, lines] : distinct) {
        const auto where = problem->column > 0 ? "column " + std::to_string(problem->column) + " (\"" + problem->columnName + "\")" : "";
        if (lines.size() == 1) out << "  line " << lines.front() << (where.empty() ? "" : ", " + where);
        else out << "  " << (where.empty() ? "" : where + ", ") << lines.size() << " rows (lines " << lineList(lines, 5) << ")";
        out << ": " << problem->reason << "\n";
    }
}

/// The accepted rows that repeat an earlier row's answers exactly.
void printRepeated(std::ostream& out, const std::vector<imports::RepeatedRow>& repeated) {
    if (repeated.empty()) return;
    out << "Possible double submissions: " << repeated.size() << (repeated.size() == 1 ? " row has" : " rows have")
        << " exactly the answers of an earlier row (every mapped question and item). They are imported like the others; "
           "delete a line from the file if it is a double submission, keep it if two people answered alike:\n";
    for (std::size_t i = 0; i < repeated.size() && i < kLinesShown; ++i)
        out << "  line " << repeated[i].line << " repeats line " << repeated[i].firstLine << "\n";
    if (repeated.size() > kLinesShown) out << "  ... and " << repeated.size() - kLinesShown << " more\n";
}

/// Why the import must not store anything, or empty when it may.
std::string refusal(const imports::ImportPlan& plan, std::int64_t storedBefore, const surveys::SurveyDefinition& survey,
                    const ImportRequest& request) {
    const auto rejected = plan.rejected.size();
    if (rejected > 0 && !request.skipsRejected)
        return std::to_string(rejected) + (rejected == 1 ? " row was" : " rows were") +
               " rejected. Fix them, or add --skip-rejected to store the other " + std::to_string(plan.responses.size()) +
               " and leave these out.";
    if (plan.responses.empty()) return "no row can be imported.";
    if (storedBefore > 0 && !request.isAppending)
        return "survey " + survey.id + " already has " + std::to_string(storedBefore) +
               " responses, and importing into it again would count them twice. Add --append only if the rows "
               "in this file are not among them.";
    return {};
}

}  // namespace

bool importResponses(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey,
                     const ImportRequest& request) {
    const auto mappingText = readWholeFile(request.mappingFile, "--mapping");
    const auto csvText = readWholeFile(request.csvFile, "--csv");
    out << "Import into " << survey.id << " (" << survey.districtName << ", " << survey.schoolYear << ")"
        << (request.isDryRun ? ", dry run" : "") << "\n"
        << "  from " << request.csvFile.string() << "\n  with " << request.mappingFile.string() << "\n";

    if (const auto why = imports::whyNotCsv(csvText, request.csvFile, request.delimiter)) {
        out << request.csvFile.string() << " " << *why << ".\nNothing was stored.\n";
        return false;
    }
    imports::ImportPlan plan;
    try {
        const auto mapping = imports::parseMapping(mappingText, survey);
        plan = imports::planImport(survey, mapping, csvText, request.delimiter, request.testLines);
        if (!plan.unknownTestLines.empty()) {
            out << "--test-lines: no row of " << request.csvFile.string() << " starts on line " << lineList(plan.unknownTestLines)
                << " (a row's line is the one a text editor shows; line 1 is the header).\nNothing was stored.\n";
            return false;
        }
        out << "Rows read: " << plan.rowsRead << "\n"
            << "Rejected: " << plan.rejected.size() << "\n";
        if (!plan.testLines.empty())
            out << "Marked as tests (--test-lines), left out: " << plan.testLines.size() << (plan.testLines.size() == 1 ? " row (line " : " rows (lines ")
                << lineList(plan.testLines) << ")\n";
        if (!plan.unreadColumns.empty())
            out << "Columns not read (never stored): " << joined(plan.unreadColumns) << "\n";
        if (!mapping.unmapped.empty())
            out << "Not in the mapping (stored as unanswered): " << joined(mapping.unmapped) << "\n";
    } catch (const imports::MappingError& e) {
        out << request.mappingFile.string() << ": " << e.what() << "\nNothing was stored.\n";
        return false;
    } catch (const imports::CsvError& e) {
        out << request.csvFile.string() << ": " << e.what() << "\nNothing was stored.\n";
        return false;
    }

    if (!plan.rejected.empty()) {
        out << "Rejected rows" << (request.skipsRejected ? " (left out)" : "") << ":\n";
        printProblems(out, plan.rejected);
    }
    printRepeated(out, plan.repeated);

    const auto storedBefore = store.countResponses(survey.storeId);
    if (const auto why = refusal(plan, storedBefore, survey, request); !why.empty()) {
        out << (request.isDryRun ? "Dry run: nothing was stored. Without --dry-run nothing would be stored either: "
                                 : "Nothing was stored: ")
            << why << "\n";
        return false;
    }
    if (!plan.rejected.empty()) {
        std::vector<std::size_t> rejectedLines;
        for (const auto& row : plan.rejected) rejectedLines.push_back(row.line);
        const auto lines = lineList(rejectedLines);
        out << "Left out: " << plan.rejected.size() << (plan.rejected.size() == 1 ? " rejected row (line " : " rejected rows (lines ")
            << lines << ")\n";
    }
    if (request.isDryRun) {
        out << "Would be stored: " << plan.responses.size() << "\nDry run: nothing was stored.\n";
        return true;
    }

    std::vector<store::StoredResponse> rows;
    rows.reserve(plan.responses.size());
    for (auto& response : plan.responses) rows.push_back({std::move(response.demographics), std::move(response.answers)});
    try {
        std::uint32_t batch = 0;
        const auto storedAfter = store.importResponses(survey.storeId, rows, request.isAppending, {}, &batch);
        out << "Stored: " << rows.size() << " (import batch " << batch << ")\nSurvey " << survey.id << " now has " << storedAfter
            << " responses.\nTo take this import back out: mindset import undo --survey " << survey.id << " --batch " << batch << "\n";
        return true;
    } catch (const store::StoreError& e) {  // e.g. another process imported since the count above
        out << "Nothing was stored: " << e.what() << "\n";
        return false;
    }
}

}  // namespace mindset::cli
