#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "report/PdfRenderer.h"
#include "support/TestSupport.h"

using namespace mindset;

// The PDF renderer's page breaks, read back page by page with pdftotext (poppler-utils): a heading
// always shares its page with what follows it, a group row with its first row, and a table that
// continues on another page repeats its header row there.

namespace {

/// The text of every page of `pdf`, one string per page.
std::vector<std::string> pagesOf(const report::RenderedPdf& pdf, const std::filesystem::path& folder) {
    const auto file = folder / "document.pdf";
    std::ofstream(file, std::ios::binary) << pdf.bytes;
    return testing::pdfPageTexts(file, pdf.pages);
}

/// The page (0-based) whose text holds `needle`; -1 if none.
int pageOf(const std::vector<std::string>& pages, const std::string& needle) {
    for (std::size_t p = 0; p < pages.size(); ++p)
        if (pages[p].find(needle) != std::string::npos) return static_cast<int>(p);
    return -1;
}

/// Sections of 1 to 6 paragraphs of different lengths, so that some headings fall where a page
/// ends, then a long table in groups.
report::Document longDocument() {
    report::Document document{"en", "Test", "FOOTER", "Page {{page}} of {{pages}}", {}};
    document.blocks.push_back(report::Heading{1, "A document of many pages"});
    for (int k = 1; k <= 24; ++k) {
        document.blocks.push_back(report::Heading{2, "Section " + std::to_string(k)});
        const int paragraphs = 1 + (k * 7) % 6;
        for (int i = 0; i < paragraphs; ++i) {
            std::string words = (i == 0 ? "First of section " + std::to_string(k) + "." : "More.");
            for (int w = 0; w < 12 + (k * 13 + i * 5) % 60; ++w) words += " word";
            document.blocks.push_back(report::Paragraph{words});
        }
    }
    report::Table table;
    table.columnWeights = {3, 1, 1};
    table.header = {{"Column A"}, {"Column B"}, {"Column C"}};
    for (int g = 1; g <= 12; ++g) {
        table.rows.push_back({{{"Group " + std::to_string(g)}}, true});
        for (int r = 1; r <= 6; ++r)
            table.rows.push_back({{{"Row " + std::to_string(g) + "." + std::to_string(r)}, {"+0.12", report::Tone::ClearAbove}, {"hidden", report::Tone::Hidden}}});
    }
    document.blocks.push_back(report::Heading{2, "The table"});
    document.blocks.push_back(table);
    return document;
}

}  // namespace

TEST_CASE("the PDF renderer never strands a heading or a group row at a page bottom and repeats a continued table's header",
          "[unit][report]") {
    testing::TempFolder folder;
    const auto document = longDocument();
    for (const auto paper : {report::Paper::Letter, report::Paper::A4}) {
        INFO(report::paperName(paper));
        const auto pdf = report::renderPdf(document, paper);
        REQUIRE(pdf.bytes.rfind("%PDF-", 0) == 0);
        REQUIRE(pdf.pages >= 4);
        const auto pages = pagesOf(pdf, folder.path());
        REQUIRE(static_cast<int>(pages.size()) == pdf.pages);
        for (int k = 1; k <= 24; ++k) {
            INFO("section " << k);
            const auto heading = pageOf(pages, "Section " + std::to_string(k) + "\n");
            REQUIRE(heading >= 0);
            CHECK(heading == pageOf(pages, "First of section " + std::to_string(k) + "."));
        }
        CHECK(pageOf(pages, "The table") == pageOf(pages, "Column A"));
        for (int g = 1; g <= 12; ++g) {
            INFO("group " << g);
            CHECK(pageOf(pages, "Group " + std::to_string(g) + "\n") == pageOf(pages, "Row " + std::to_string(g) + ".1"));
        }
        // Every page with a row of the table has its header and the label of the rows' group (repeated
        // when the group continues); the last row never stands alone.
        int pagesWithRows = 0;
        for (const auto& page : pages) {
            const auto firstRow = page.find("Row ");
            if (firstRow == std::string::npos) continue;
            ++pagesWithRows;
            CHECK(page.find("Column A") != std::string::npos);
            const auto group = page.substr(firstRow + 4, page.find('.', firstRow) - firstRow - 4);
            CHECK(page.find("Group " + group + "\n") != std::string::npos);
        }
        CHECK(pagesWithRows >= 2);
        CHECK(pageOf(pages, "Row 12.5") == pageOf(pages, "Row 12.6"));
        for (int p = 0; p < pdf.pages; ++p)
            CHECK(pages[p].find("Page " + std::to_string(p + 1) + " of " + std::to_string(pdf.pages)) != std::string::npos);
    }
}

TEST_CASE("paper names are letter and a4 in any case, nothing else", "[unit][report]") {
    CHECK(report::paperNamed("letter") == report::Paper::Letter);
    CHECK(report::paperNamed("A4") == report::Paper::A4);
    CHECK_FALSE(report::paperNamed("legal"));
    CHECK_FALSE(report::paperNamed(""));
    CHECK(report::paperName(report::Paper::A4) == "a4");
}
