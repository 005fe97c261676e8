#include "cli/Listings.h"

#include <algorithm>

#include "loader/DerivedScales.h"

namespace mindset::cli {

void printPlugins(std::ostream& out, const loader::InstrumentRegistry& registry) {
    const auto instruments = registry.instruments();
    out << "Loaded instruments (" << instruments.size() << "):\n";
    for (const auto& loaded : instruments) {
        const auto& definition = *loaded.definition;
        out << "  " << definition.key() << "  " << definition.title.in("en") << "  (" << definition.items.size()
            << " items, " << loader::declaredScaleCount(definition) << " scales";
        const auto subScores = std::count_if(definition.scales.begin(), definition.scales.end(), [](const auto& s) { return s.isSubScore(); });
        const auto figures = std::count_if(definition.scales.begin(), definition.scales.end(), [](const auto& s) { return s.isCustomFigure(); });
        if (figures > 0) out << ", " << figures << (figures == 1 ? " custom figure" : " custom figures");
        if (subScores > 0) out << " and " << subScores << " sub-scores";
        out << "; " << loaded.file.string() << ")\n";
    }
    printRefusedPlugins(out, registry);
}

void printRefusedPlugins(std::ostream& out, const loader::InstrumentRegistry& registry) {
    const auto& refused = registry.refused();
    const auto files = static_cast<std::size_t>(std::count_if(refused.begin(), refused.end(), [](const auto& r) { return r.isWholeFile(); }));
    if (files > 0) {
        out << "Refused plugin files (" << files << "):\n";
        for (const auto& r : refused)
            if (r.isWholeFile()) out << "  " << r.file.string() << ": " << r.reason << "\n";
    }
    if (files == refused.size()) return;
    // A refused version leaves the plugin's other versions loaded: say which one and why.
    out << "Refused instrument versions (" << refused.size() - files << "):\n";
    for (const auto& r : refused)
        if (!r.isWholeFile()) out << "  " << r.instrument << " (" << r.file.string() << "): " << r.reason << "\n";
}

void printSurveys(std::ostream& out, const surveys::SurveyCatalog& catalog) {
    out << "Surveys (" << catalog.surveys.size() << "):\n";
    for (const auto& survey : catalog.surveys) {
        out << "  " << survey.id << "  " << survey.districtName << ", " << survey.schoolYear << "  [";
        for (std::size_t i = 0; i < survey.instruments.size(); ++i) out << (i ? ", " : "") << survey.instruments[i].key;
        out << "]  (" << survey.file.string() << ")\n";
    }
    printInvalidSurveys(out, catalog);
    printSkippedSurveyFiles(out, catalog);
}

void printInvalidSurveys(std::ostream& out, const surveys::SurveyCatalog& catalog) {
    if (catalog.invalid.empty()) return;
    out << "Invalid survey files (" << catalog.invalid.size() << "):\n";
    for (const auto& error : catalog.invalid) {
        if (error.problems().size() == 1) {
            out << "  " << error.file().string() << ": " << error.field() << ": " << error.reason() << "\n";
            continue;
        }
        out << "  " << error.file().string() << " (" << error.problems().size() << " problems):\n";
        for (const auto& problem : error.problems()) out << "    " << problem.field << ": " << problem.reason << "\n";
    }
}

void printSkippedSurveyFiles(std::ostream& out, const surveys::SurveyCatalog& catalog) {
    if (catalog.skipped.empty()) return;
    out << "Not read from the survey folder (" << catalog.skipped.size() << "):\n";
    for (const auto& skipped : catalog.skipped) out << "  " << skipped.path.string() << ": " << skipped.reason << "\n";
}

}  // namespace mindset::cli
