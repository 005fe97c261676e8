// `mindset instrument preview` (issue 10, item 6): a researcher sees the pages staff will see,
// as files, before fielding: every item in each language, the instrument's own answer scale, and
// pages that open from disk with their style sheet.
#include <catch2/catch.hpp>

#include <sstream>

#include "app/InstrumentPreview.h"
#include "support/TestSupport.h"

using namespace mindset;

namespace {

/// `text` as the page's markup writes it.
std::string asMarkup(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else if (c == '\'') out += "&apos;";
        else out += c;
    }
    return out;
}

}  // namespace

TEST_CASE("a preview writes the pages staff will see, in each language, with every item and the instrument's own scale", "[http][instruments]") {
    testing::TempFolder out;
    std::ostringstream log;
    const auto files = app::previewInstrument(log, std::filesystem::path(MINDSET_BUILTIN_PLUGIN_DIR) / "reo-readiness.so", out.path());
    const auto folder = out.path() / "reo-readiness@1.0.0";
    CHECK(files.size() == 14);  // for each of its two versions: the style sheet and three pages in each of two languages
    CHECK(std::filesystem::exists(out.path() / "reo-readiness@1.1.0" / "en-instrument-page.html"));
    for (const auto& file : files) CHECK(log.str().find("wrote " + file.string()) != std::string::npos);

    const auto english = testing::readFile(folder / "en-instrument-page.html");
    const auto spanish = testing::readFile(folder / "es-instrument-page.html");
    const auto& definition = *testing::shippedInstruments().definitionOf("reo-readiness@1.0.0");
    for (const auto& item : definition.items) {
        INFO(item.id);
        CHECK(english.find(asMarkup(item.text.in("en"))) != std::string::npos);
        CHECK(spanish.find(asMarkup(item.text.in("es"))) != std::string::npos);
    }
    CHECK(english.find(R"(<div class="scale points-4">)") != std::string::npos);
    CHECK(english.find("Not started") != std::string::npos);
    CHECK(spanish.find("No sé") != std::string::npos);
    // Opened from disk: the style sheet is the file beside the page, not a path on a server.
    CHECK(english.find(R"(href="mindset.css")") != std::string::npos);
    CHECK(english.find("/static/") == std::string::npos);
    CHECK(testing::readFile(folder / "mindset.css").find(".scale.points-4") != std::string::npos);
    CHECK(testing::readFile(folder / "en-one-page.html").find(asMarkup(definition.items.back().text.in("en"))) != std::string::npos);
    CHECK(testing::readFile(folder / "es-landing.html").find("Vista previa") != std::string::npos);
}

TEST_CASE("a preview of a plugin that does not load says so and writes nothing", "[http][instruments]") {
    testing::TempFolder out;
    std::ostringstream log;
    const auto broken = std::filesystem::path(MINDSET_FIXTURE_PLUGIN_DIR) / "invalid-definition";
    const auto plugin = *std::filesystem::directory_iterator(broken);
    CHECK_THROWS_WITH(app::previewInstrument(log, plugin.path(), out.path()),
                      Catch::Contains(plugin.path().string()) && Catch::Contains("exports no instrument that loads"));
    CHECK(log.str().find("refused") != std::string::npos);
    CHECK(std::filesystem::is_empty(out.path()));
}
