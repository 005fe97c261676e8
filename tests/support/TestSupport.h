#pragma once
/// Shared test helpers: the built-in instruments, the demo survey, and a temporary folder.

#include <filesystem>
#include <string>
#include <vector>

#include "loader/InstrumentRegistry.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::testing {

/// A registry with every shipped instrument loaded from the build tree (once per process).
const loader::InstrumentRegistry& shippedInstruments();

/// The demo survey from surveys/, parsed against the shipped instruments.
surveys::SurveyDefinition demoSurvey();

/// A day on which the demo survey is open.
std::chrono::year_month_day dayWhenDemoIsOpen();

/// A fresh empty folder under the system temp folder, removed when the object dies.
class TempFolder {
public:
    TempFolder();
    ~TempFolder();
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::string readFile(const std::filesystem::path& file);

/// What a shell `command` prints on standard output. Throws std::runtime_error naming the command
/// and its exit status when it does not exit with 0 (a missing tool fails the test, never skips it).
std::string runCommand(const std::string& command);

/// The text of pages 1 to `pages` of a PDF file as pdftotext (poppler-utils) reads it, one string a page.
std::vector<std::string> pdfPageTexts(const std::filesystem::path& pdf, int pages);
void writeFile(const std::filesystem::path& file, const std::string& text);

}  // namespace mindset::testing
