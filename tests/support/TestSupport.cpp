#include "support/TestSupport.h"

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <random>
#include <sstream>

#include "loader/PluginLoader.h"

namespace mindset::testing {

const loader::InstrumentRegistry& shippedInstruments() {
    static const auto* registry = [] {
        auto* r = new loader::InstrumentRegistry;  // lives until exit, like the host's
        loader::loadPluginFolder(*r, MINDSET_BUILTIN_PLUGIN_DIR);
        return r;
    }();
    return *registry;
}

surveys::SurveyDefinition demoSurvey() {
    return surveys::loadSurveyFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2026.json",
                                   shippedInstruments());
}

std::chrono::year_month_day dayWhenDemoIsOpen() {
    using namespace std::chrono;
    return year_month_day{year(2026), month(11), day(24)};
}

TempFolder::TempFolder() {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() / ("mindset-test-" + std::to_string(random()) + std::to_string(random()));
    std::filesystem::create_directories(path_);
}

TempFolder::~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string readFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeFile(const std::filesystem::path& file, const std::string& text) {
    std::ofstream out(file, std::ios::binary);
    out << text;
}

std::string runCommand(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run: " + command);
    char buffer[4096];
    while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
    if (const int status = pclose(pipe); status != 0)
        throw std::runtime_error("`" + command + "` exited with status " + std::to_string(status) + "; it printed:\n" + out);
    return out;
}

std::vector<std::string> pdfPageTexts(const std::filesystem::path& pdf, int pages) {
    std::vector<std::string> texts;
    for (int p = 1; p <= pages; ++p)
        texts.push_back(runCommand("pdftotext -enc UTF-8 -f " + std::to_string(p) + " -l " + std::to_string(p) + " '" + pdf.string() + "' -"));
    return texts;
}

}  // namespace mindset::testing
