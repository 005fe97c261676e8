#include "cli/InstrumentCheck.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <mindset/sdk.h>

#include "loader/DerivedScales.h"
#include "loader/InstrumentRegistry.h"
#include "loader/PluginLoader.h"

namespace mindset::cli {

namespace {

/// A multi-line reason with every line after the first indented under `prefix`.
void printReason(std::ostream& out, const std::string& prefix, const std::string& reason) {
    std::istringstream lines(reason);
    std::string line;
    bool isFirst = true;
    while (std::getline(lines, line)) {
        out << (isFirst ? prefix : std::string(prefix.size(), ' ')) << line << "\n";
        isFirst = false;
    }
}

void printPasses(std::ostream& out, const std::string& file, const sdk::Definition& definition) {
    std::string unscored;  // "don't know" and the like, which a researcher should see were read as intended
    for (const auto& option : definition.responseScale.unscoredOptions)
        unscored += (unscored.empty() ? " + unscored: " : ", ") + std::to_string(option.code) + " \"" + option.label.in("en") + "\"";
    // Sub-scores and custom figures, which a researcher should see were read as intended.
    std::string subScores;
    for (const auto& group : definition.tagGroups)
        subScores += (subScores.empty() ? ", sub-scores by " : "; by ") + group.id + ": " + std::to_string(group.values.size());
    std::size_t figures = 0;
    for (const auto& scale : definition.scales) figures += scale.figures.size();
    if (figures > 0) subScores += ", custom figures: " + std::to_string(figures);
    // The scales the definition declares: a loaded plugin's definition also holds the sub-scores and
    // custom figures the host derives, counted above.
    out << file << ": " << definition.key() << ": ok (" << definition.items.size() << " items, " << loader::declaredScaleCount(definition)
        << " scales" << subScores << ", " << definition.responseScale.options.size() << " response options" << unscored
        << "; English and Spanish)\n";
}

bool checkDefinitionFile(std::ostream& out, const std::filesystem::path& file) {
    const auto name = file.string();
    std::string text;
    try {
        text = readTextFile(file);
    } catch (const std::runtime_error&) {
        out << name << ": cannot read the file\n";
        return false;
    }
    try {
        printPasses(out, name, sdk::Definition::fromJson(text));
        return true;
    } catch (const sdk::DefinitionError& e) {
        const auto key = e.instrumentKey().empty() ? std::string("definition") : e.instrumentKey();
        for (const auto& problem : e.problems()) out << name << ": " << key << ": " << problem << "\n";
        out << name << ": " << key << " is refused: " << e.problems().size() << " problem(s)\n";
        return false;
    }
}

bool checkPluginModule(std::ostream& out, const std::filesystem::path& file) {
    const auto name = file.string();
    loader::InstrumentRegistry registry;
    loader::loadPluginFile(registry, file);
    std::size_t refusedVersions = 0;
    for (const auto& refused : registry.refused()) {
        if (refused.isWholeFile()) {
            printReason(out, name + ": ", refused.reason);
            continue;
        }
        ++refusedVersions;
        if (refused.problems.empty()) {  // every such reason names the instrument already
            printReason(out, name + ": ", refused.reason);
            continue;
        }
        for (const auto& problem : refused.problems) out << name << ": " << refused.instrument << ": " << problem << "\n";
    }
    const auto loaded = registry.instruments();
    for (const auto& instrument : loaded) printPasses(out, name, *instrument.definition);
    const bool isWholeFileRefused = std::any_of(registry.refused().begin(), registry.refused().end(),
                                                [](const auto& r) { return r.isWholeFile(); });
    if (isWholeFileRefused) {
        out << name << ": refused: no instrument of it would load\n";
        return false;
    }
    out << name << ": " << loaded.size() << " instrument version(s) pass, " << refusedVersions << " refused\n";
    return refusedVersions == 0;
}

}  // namespace

std::string readTextFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

bool checkInstrument(std::ostream& out, const std::filesystem::path& file) {
    if (file.extension() == ".json") return checkDefinitionFile(out, file);
    return checkPluginModule(out, file);
}

}  // namespace mindset::cli
