#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/DemoNetworkSite.h"
#include "support/TestSupport.h"

using namespace mindset;
using testing::Reply;
using testing::TestSite;

// The board report (issue 11, item 4): the district summary as a PDF of 2-6 pages on Letter and A4,
// in English and Spanish, downloadable by the district's leaders only. Its pages are read back with
// poppler (pdfinfo, pdftotext) and rendered with pdftoppm into build/test-artifacts/board-report/,
// where a person looks at them.

namespace {

const std::string kReport = "/leader/districts/riverside-isd/report.pdf";
const std::string kSummary = "/leader/districts/riverside-isd/summary";

void signInAs(TestSite& site, const std::string& username) {
    site.cookies().clear();
    REQUIRE(site.signIn(username, testing::kDemoNetworkPassword).status == 303);
}

std::filesystem::path artifactDir() {
    const auto dir = std::filesystem::path(MINDSET_TEST_ARTIFACT_DIR) / "board-report";
    std::filesystem::create_directories(dir);
    return dir;
}

/// The text of a PDF as pdftotext reads it, every run of white space made one space (a table cell
/// wraps its words over lines).
std::string textOfPdf(const std::filesystem::path& pdf) {
    const auto text = testing::runCommand("pdftotext -enc UTF-8 '" + pdf.string() + "' -");
    return std::regex_replace(text, std::regex("\\s+"), " ");
}

/// Group 1 of every match of `pattern` in `html`, in order.
std::vector<std::string> allMatches(const std::string& html, const std::string& pattern) {
    std::vector<std::string> found;
    const std::regex re(pattern);
    for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it) found.push_back((*it)[1]);
    return found;
}

}  // namespace

TEST_CASE("the board report is a download for the district's own leaders only, never cached", "[http][report][privacy]") {
    auto site = testing::demoNetworkSite();
    const auto signedOut = site->get(kReport);
    CHECK(signedOut.status == 303);
    CHECK(signedOut.header("Location").rfind("/login?next=", 0) == 0);

    signInAs(*site, "brazos");
    const auto other = site->get(kReport);
    CHECK(other.status == 404);
    CHECK(other.body.rfind("%PDF", 0) == std::string::npos);
    CHECK(site->get("/leader/districts/brazos-valley-isd/report.pdf").status == 200);

    signInAs(*site, "leader");
    const auto letter = site->get(kReport + "?paper=letter");
    REQUIRE(letter.status == 200);
    CHECK(letter.header("Content-Type") == "application/pdf");
    CHECK(letter.header("Content-Disposition") == "attachment; filename=\"riverside-isd-board-report-letter.pdf\"");
    CHECK(letter.header("Cache-Control") == "no-store");
    CHECK(letter.body.rfind("%PDF-", 0) == 0);
    const auto a4 = site->get(kReport + "?paper=A4&lang=es");
    REQUIRE(a4.status == 200);
    CHECK(a4.header("Content-Disposition") == "attachment; filename=\"riverside-isd-board-report-a4.pdf\"");
    CHECK(a4.header("Cache-Control") == "no-store");

    const auto legal = site->get(kReport + "?paper=legal");
    CHECK(legal.status == 400);
    CHECK(legal.contains("The paper must be letter or a4, not “legal”."));

    // The summary page offers both papers in its own language.
    const auto summary = site->get(kSummary + "?lang=es");
    REQUIRE(summary.status == 200);
    CHECK(summary.contains("href=\"" + kReport + "?paper=letter&amp;lang=es\" download>Informe para el consejo escolar (PDF, carta)</a>"));
    CHECK(summary.contains("href=\"" + kReport + "?paper=a4&amp;lang=es\" download>Informe para el consejo escolar (PDF, A4)</a>"));
}

TEST_CASE("the board report of the demo district is 2 to 6 pages on Letter and A4 in both languages, with the summary's figures",
          "[http][report]") {
    auto site = testing::demoNetworkSite();
    // A goal, so that the report's goal table has a row: a target of 1 (the bottom of the scale) is met.
    site->store().createGoal({0, "riverside-isd", "equity-excellence", "high-expectations", "mean", "", "", 1, "2027-2028", "", false}, "maria",
                             "2026-09-14T15:04:05Z");
    signInAs(*site, "leader");
    const auto dir = artifactDir();

    for (const std::string language : {"en", "es"}) {
        const auto page = site->get(kSummary + "?lang=" + language);
        REQUIRE(page.status == 200);
        // The figures of the summary's first table, and its heatmap's cells, as the page writes them.
        const auto means = allMatches(page.body, "<td class=\"value\"><strong>([^<]+)</strong>");
        REQUIRE(means.size() == 9);
        const auto release = allMatches(page.body, "<p class=\"meta\">([^<]+)</p>").at(0);
        const auto heatCells = allMatches(page.body, "<td class=\"heat heat-[a-z-]+\">(?:<span aria-hidden=\"true\">[^<]* </span>)?([^<]+)");
        REQUIRE(heatCells.size() > 100);
        const auto hiddenCells = std::count(heatCells.begin(), heatCells.end(), language == "en" ? "hidden" : "oculto");
        REQUIRE(hiddenCells > 0);

        for (const std::string paper : {"letter", "a4"}) {
            INFO(language << " " << paper);
            const auto reply = site->get(kReport + "?paper=" + paper + "&lang=" + language);
            REQUIRE(reply.status == 200);
            const auto file = dir / ("riverside-isd-" + language + "-" + paper + ".pdf");
            std::ofstream(file, std::ios::binary) << reply.body;

            const auto info = testing::runCommand("pdfinfo '" + file.string() + "'");
            std::smatch pages;
            REQUIRE(std::regex_search(info, pages, std::regex("Pages:\\s+(\\d+)")));
            const int pageCount = std::stoi(pages[1]);
            CHECK(pageCount >= 2);
            CHECK(pageCount <= 6);
            CHECK(info.find(paper == "letter" ? "612 x 792 pts" : "595.28 x 841.89 pts") != std::string::npos);

            const auto text = textOfPdf(file);
            CHECK(text.find(language == "en" ? "Riverside Independent School District: staff survey results for the school board"
                                             : "Riverside Independent School District: resultados de la encuesta al personal para el consejo escolar") !=
                  std::string::npos);
            // 2026-27 is still open: the report says it is preliminary, and from which release it comes.
            CHECK(text.find(language == "en" ? "Preliminary." : "Preliminar.") != std::string::npos);
            CHECK(text.find(std::regex_replace(release, std::regex("\\s+"), " ")) != std::string::npos);
            CHECK(text.find(language == "en" ? "Response rate:" : "Tasa de respuesta:") != std::string::npos);
            for (const auto& mean : means) CHECK(text.find(mean) != std::string::npos);
            for (const auto* heading : language == "en" ? std::vector<const char*>{"Largest gaps between racial/ethnic groups", "Every group against the rest of the district",
                                                                                    "Each scale year by year", "Goals", "Among peer districts, 2026–27",
                                                                                    "How to read this report", "Where these figures come from"}
                                                        : std::vector<const char*>{"Cada escala, año por año", "Metas", "Entre los distritos pares, 2026–27",
                                                                                    "Cómo leer este informe"})
                CHECK(text.find(heading) != std::string::npos);
            CHECK(text.find(language == "en" ? "Met" : "Cumplida") != std::string::npos);
            // The heatmap's hidden cells are printed as hidden, as on the page (and nothing in their place).
            const std::regex hiddenWord(language == "en" ? "\\bhidden\\b" : "\\boculto\\b");
            CHECK(std::distance(std::sregex_iterator(text.begin(), text.end(), hiddenWord), std::sregex_iterator()) >= hiddenCells);
            // Numbers as the language writes them: "3,77" in Spanish, never "3.77" beside it.
            if (language == "es") {
                CHECK(means.front().find(',') != std::string::npos);
                CHECK_FALSE(std::regex_search(text, std::regex("\\b\\d\\.\\d\\d\\b")));
            }
            CHECK(text.find((language == "en" ? "Page 1 of " : "Página 1 de ") + std::to_string(pageCount)) != std::string::npos);

            // Every page as an image, for a person to look at (kept under the build folder).
            const auto prefix = (dir / ("riverside-isd-" + language + "-" + paper)).string();
            auto isPageImage = [&](const std::filesystem::path& p) {
                return p.filename().string().rfind("riverside-isd-" + language + "-" + paper + "-", 0) == 0 && p.extension() == ".png";
            };
            for (const auto& entry : std::filesystem::directory_iterator(dir))  // an earlier run's pages
                if (isPageImage(entry.path())) std::filesystem::remove(entry.path());
            testing::runCommand("pdftoppm -png -r 70 '" + file.string() + "' '" + prefix + "'");
            int images = 0;
            for (const auto& entry : std::filesystem::directory_iterator(dir))
                if (isPageImage(entry.path())) ++images;
            CHECK(images == pageCount);
        }
    }
}
