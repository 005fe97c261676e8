#include "cli/Import.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "imports/CsvReader.h"
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

void printProblem(std::ostream& out, const imports::CellProblem& problem) {
    out << "  line " << problem.line;
    if (problem.column > 0) out << ", column " << problem.column << " (\"" << problem.columnName << "\")";
    out << ": " << problem.reason << "\n";
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

    imports::ImportPlan plan;
    try {
        const auto mapping = imports::parseMapping(mappingText, survey);
        plan = imports::planImport(survey, mapping, csvText);
        out << "Rows read: " << plan.rowsRead << "\n"
            << "Rejected: " << plan.rejected.size() << "\n";
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
        for (const auto& row : plan.rejected)
            for (const auto& problem : row.problems) printProblem(out, problem);
    }

    const auto storedBefore = store.countResponses(survey.storeId);
    if (const auto why = refusal(plan, storedBefore, survey, request); !why.empty()) {
        out << (request.isDryRun ? "Dry run: nothing was stored. Without --dry-run nothing would be stored either: "
                                 : "Nothing was stored: ")
            << why << "\n";
        return false;
    }
    if (!plan.rejected.empty()) {
        std::string lines;
        for (const auto& row : plan.rejected) lines += (lines.empty() ? "" : ", ") + std::to_string(row.line);
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
        const auto storedAfter = store.importResponses(survey.storeId, rows, request.isAppending);
        out << "Stored: " << rows.size() << "\nSurvey " << survey.id << " now has " << storedAfter << " responses.\n";
        return true;
    } catch (const store::StoreError& e) {  // e.g. another process imported since the count above
        out << "Nothing was stored: " << e.what() << "\n";
        return false;
    }
}

}  // namespace mindset::cli
