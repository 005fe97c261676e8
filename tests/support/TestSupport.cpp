#include "support/TestSupport.h"

#include <fstream>
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

}  // namespace mindset::testing
