// Access codes as a PDF of slips (issue 14, item 4), read back as a person and a phone would: pages
// with pdfinfo and pdftotext (poppler-utils), where each word stands with pdftotext -bbox, and the QR
// codes decoded by zbarimg (zbar-tools) from page 1 rendered by pdftoppm into
// build/test-artifacts/code-slips/, where a person looks at it.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <sys/stat.h>

#include "cli/AccessCodes.h"
#include "report/CodeSlips.h"
#include "store/Tokens.h"
#include "support/TestSupport.h"

using namespace mindset;

namespace {

std::filesystem::path artifactDir() {
    const auto dir = std::filesystem::path(MINDSET_TEST_ARTIFACT_DIR) / "code-slips";
    std::filesystem::create_directories(dir);
    return dir;
}

/// `count` fresh codes of `survey` for `schoolId` as batch 3, made without a store (the slips only
/// read what was issued).
cli::IssuedCodes issuedByHand(const surveys::SurveyDefinition& survey, const std::string& schoolId, int count, const std::string& baseUrl) {
    cli::IssuedCodes issued{&survey, nullptr, 3, {}, cli::codeLinkBase(survey, baseUrl)};
    for (const auto& school : survey.schools)
        if (school.id == schoolId) issued.school = &school;
    REQUIRE(issued.school);
    for (int i = 0; i < count; ++i) issued.codes.push_back(store::newAccessCode());
    return issued;
}

std::filesystem::path written(const report::RenderedPdf& pdf, const std::string& name) {
    const auto file = artifactDir() / name;
    std::ofstream(file, std::ios::binary | std::ios::trunc) << pdf.bytes;
    return file;
}

/// Every run of white space made one space: pdftotext breaks a wrapped paragraph into lines.
std::string squeezed(const std::string& text) { return std::regex_replace(text, std::regex("\\s+"), " "); }

std::size_t countOf(const std::string& text, const std::string& needle) {
    std::size_t count = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
    return count;
}

struct WordBox {
    std::string text;
    double xMin, yMin, xMax, yMax;
};

/// The words of page `page` of `pdf` with their boxes in points from the page's top left.
std::vector<WordBox> wordsOnPage(const std::filesystem::path& pdf, int page) {
    const auto html = testing::runCommand("pdftotext -bbox -f " + std::to_string(page) + " -l " + std::to_string(page) + " '" + pdf.string() + "' -");
    const std::regex word(R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>)re");
    std::vector<WordBox> words;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), word); it != std::sregex_iterator(); ++it)
        words.push_back({(*it)[5], std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4])});
    return words;
}

/// Every word above the page's foot lies inside one slip of the 2 × 4 grid, whose margins are
/// 36 pt and 54 pt at the bottom (report/CodeSlips.cpp): nothing is printed over a cut line.
void checkWordsStayInTheirSlips(const std::filesystem::path& pdf, int page, double pageWidth, double pageHeight) {
    const double slipWidth = (pageWidth - 72) / 2, slipHeight = (pageHeight - 36 - 54) / 4;
    const auto words = wordsOnPage(pdf, page);
    REQUIRE(words.size() > 20);
    constexpr double kTolerance = 0.5;  // pdftotext's boxes are the font's, a little larger than the ink
    for (const auto& w : words) {
        if (w.yMin > pageHeight - 54) continue;  // the page's foot
        INFO("page " << page << ": '" << w.text << "' at x " << w.xMin << "-" << w.xMax << ", y " << w.yMin << "-" << w.yMax);
        const int column = static_cast<int>((w.xMin - 36) / slipWidth), row = static_cast<int>((w.yMin - 36) / slipHeight);
        REQUIRE(column >= 0);
        REQUIRE(row >= 0);
        CHECK(w.xMax <= 36 + (column + 1) * slipWidth + kTolerance);
        CHECK(w.yMax <= 36 + (row + 1) * slipHeight + kTolerance);
        CHECK(row < 4);
        CHECK(column < 2);
    }
}

}  // namespace

TEST_CASE("code slips as PDF: 8 a page, each code on its page with the address, each QR code carrying its own ?code= link",
          "[unit][report][codes]") {
    const auto survey = testing::demoSurvey();
    const auto issued = issuedByHand(survey, "maple-elementary", 19, "https://survey.riverside.example/");
    const auto sheet = cli::codeSlipSheet(issued);
    for (const auto paper : {report::Paper::Letter, report::Paper::A4}) {
        const auto paperName = report::paperName(paper);
        INFO(paperName);
        const auto started = std::chrono::steady_clock::now();
        const auto pdf = report::renderCodeSlips(sheet, paper);
        const auto elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
        WARN("19 slips on " << paperName << ": " << pdf.pages << " pages, " << pdf.bytes.size() / 1024 << " KiB, " << elapsedMs << " ms");
        REQUIRE(pdf.pages == 3);  // 8 + 8 + 3
        const auto file = written(pdf, "slips-" + paperName + ".pdf");
        const auto info = testing::runCommand("pdfinfo '" + file.string() + "'");
        CHECK_THAT(info, Catch::Contains("Pages:           3"));
        CHECK_THAT(info, Catch::Contains(paper == report::Paper::Letter ? "612 x 792 pts (letter)" : "595.28 x 841.89 pts (A4)"));
        CHECK_THAT(info, Catch::Contains("Title:           Access codes for Maple Elementary School (riverside-2026, batch 3)"));

        const auto pages = testing::pdfPageTexts(file, pdf.pages);
        for (std::size_t i = 0; i < issued.codes.size(); ++i) {
            INFO("code " << i << ": " << issued.codes[i]);
            for (std::size_t p = 0; p < pages.size(); ++p) CHECK(countOf(pages[p], issued.codes[i]) == (p == i / 8 ? 1u : 0u));
        }
        const std::vector<std::size_t> slipsOnPage{8, 8, 3};
        for (std::size_t p = 0; p < pages.size(); ++p) {
            INFO("page " << p + 1);
            const auto text = squeezed(pages[p]);
            // Every slip carries the address, the title and school, and the instructions in both languages.
            CHECK(countOf(text, "Open / Abra: https://survey.riverside.example/surveys/riverside-2026 ") == slipsOnPage[p]);
            CHECK(countOf(text, "Maple Elementary School · Riverside Independent School District · 2026-2027") == slipsOnPage[p]);
            CHECK(countOf(text, survey.title.in("en") + " / " + survey.title.in("es")) == slipsOnPage[p]);
            CHECK(countOf(text, "Your code / Su código") == slipsOnPage[p]);
            CHECK(countOf(text, "The code works once and is not stored with your answers.") == slipsOnPage[p]);
            CHECK(countOf(text, "El código funciona una sola vez y no se guarda con sus respuestas.") == slipsOnPage[p]);
            CHECK_THAT(text, Catch::Contains("riverside-2026 batch 3 · page " + std::to_string(p + 1) + " of 3"));
            CHECK_THAT(pages[p], Catch::Contains("; if lost: mindset codes void --survey riverside-2026 --batch 3\n"));  // on one line
        }
        const bool isLetter = paper == report::Paper::Letter;
        for (int p = 1; p <= 3; ++p) checkWordsStayInTheirSlips(file, p, isLetter ? 612 : 595.28, isLetter ? 792 : 841.89);

        // Page 1 as a phone's camera would see a printout; every QR code on it read back.
        const auto image = artifactDir() / ("slips-" + paperName + "-page1");
        testing::runCommand("pdftoppm -png -r 150 -f 1 -l 1 -singlefile '" + file.string() + "' '" + image.string() + "'");
        std::set<std::string> decoded;
        std::istringstream lines(testing::runCommand("zbarimg --quiet --raw '" + image.string() + ".png' 2>/dev/null"));
        for (std::string line; std::getline(lines, line);) decoded.insert(line);  // its stderr: only notes on the missing desktop bus
        std::set<std::string> expected;
        for (std::size_t i = 0; i < 8; ++i) expected.insert("https://survey.riverside.example/surveys/riverside-2026?code=" + issued.codes[i]);
        CHECK(decoded == expected);
    }
}

TEST_CASE("long titles, school names and addresses are set smaller on the slip, never over its cut lines", "[unit][report][codes]") {
    report::CodeSlipSheet sheet;
    sheet.documentTitle = "Long texts";
    sheet.title = "Encuesta de cultura escolar y responsabilidad compartida para todo el personal del distrito / District-wide staff culture and shared responsibility survey";
    sheet.subtitle = "Dr. Martin Luther King Jr. Early College and Career Academy / Academia Universitaria Temprana y Profesional Dr. Martin Luther King Jr. · "
                     "Greater Riverside Consolidated Independent School District · 2026-2027";
    sheet.codeLabel = "Your code / Su código";
    sheet.address = "Open / Abra:  https://staff-surveys.greater-riverside-consolidated.k12.example.org/mindset/surveys/riverside-consolidated-2026-spring";
    sheet.addressBoldFrom = 14;
    sheet.instructions = {"Scan the square with a phone's camera, or open the address and type your code. The code works once and is not stored with your answers.",
                          "Escanee el cuadrado con la cámara de un teléfono, o abra la dirección y escriba su código. El código funciona una sola vez y no se "
                          "guarda con sus respuestas."};
    sheet.footer = "page {{page}} of {{pages}}";
    for (int i = 0; i < 8; ++i) {
        const auto code = store::newAccessCode();
        sheet.slips.push_back({code, "https://staff-surveys.greater-riverside-consolidated.k12.example.org/mindset/surveys/riverside-consolidated-2026-spring?code=" + code});
    }
    for (const auto paper : {report::Paper::Letter, report::Paper::A4}) {
        INFO(report::paperName(paper));
        const auto pdf = report::renderCodeSlips(sheet, paper);
        REQUIRE(pdf.pages == 1);
        const auto file = written(pdf, "long-texts-" + report::paperName(paper) + ".pdf");
        const bool isLetter = paper == report::Paper::Letter;
        checkWordsStayInTheirSlips(file, 1, isLetter ? 612 : 595.28, isLetter ? 792 : 841.89);
        const auto text = squeezed(testing::pdfPageTexts(file, 1).front());
        for (const auto& slip : sheet.slips) CHECK(countOf(text, slip.code) == 1);
        CHECK(countOf(text, "guarda con sus respuestas.") == 8);  // the last words of each slip, not cut off
        testing::runCommand("pdftoppm -png -r 150 -singlefile '" + file.string() + "' '" + (artifactDir() / ("long-texts-" + report::paperName(paper))).string() + "'");
    }
}

TEST_CASE("a sheet of code slips needs a code, and every link must fit in a QR code", "[unit][report][codes]") {
    report::CodeSlipSheet sheet;
    CHECK_THROWS_WITH(report::renderCodeSlips(sheet, report::Paper::Letter), "a sheet of code slips needs at least one code, got none");
    sheet.slips.push_back({"AAAA-BBBB-CCCC", "https://x.example/?code=AAAA-BBBB-CCCC&pad=" + std::string(3000, 'x')});
    CHECK_THROWS_WITH(report::renderCodeSlips(sheet, report::Paper::Letter),
                      "cannot make a QR code of 3043 bytes: at most 2331 fit at error correction level M");
}

TEST_CASE("files of codes are made readable by their owner only, and never over an existing file", "[unit][codes]") {
    testing::TempFolder folder;
    const auto file = folder.path() / "slips.pdf";
    REQUIRE(cli::createPrivateFile(file));
    struct stat status {};
    REQUIRE(::stat(file.c_str(), &status) == 0);
    CHECK((status.st_mode & 0777) == 0600);
    testing::writeFile(file, "codes handed out");
    CHECK_FALSE(cli::createPrivateFile(file));
    CHECK(testing::readFile(file) == "codes handed out");
}
