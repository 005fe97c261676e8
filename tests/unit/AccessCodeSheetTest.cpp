// The printed code sheet (issue 14): slips are cut apart, so each one carries the survey link with
// its code in both languages, and each code on the sheet is one the survey accepts.
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <sstream>

#include "app/Startup.h"
#include "cli/AccessCodes.h"
#include "store/Store.h"
#include "store/Tokens.h"
#include "support/TestSupport.h"

using namespace mindset;

TEST_CASE("every slip of the code sheet carries the link with its code, in English and Spanish", "[unit]") {
    store::Store store(":memory:");
    surveys::SurveyCatalog catalog;
    catalog.surveys.push_back(testing::demoSurvey());
    app::saveSurveys(catalog, store);
    REQUIRE(catalog.surveys.size() == 1);
    const auto& survey = catalog.surveys.front();

    std::ostringstream sheet;
    cli::issueAccessCodes(sheet, store, survey, "maple-elementary", 3, "https://survey.riverside.example/");
    const auto text = sheet.str();

    // One slip per code: between two cut lines.
    const std::string cut(78, '-');
    std::vector<std::string> slips;
    for (auto at = text.find(cut); at != std::string::npos;) {
        const auto next = text.find(cut, at + cut.size());
        if (next == std::string::npos) break;
        slips.push_back(text.substr(at + cut.size(), next - at - cut.size()));
        at = next;
    }
    REQUIRE(slips.size() == 3);
    const std::regex codeLine("Your code / Su código:  ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\n");
    std::set<std::string> codes;
    for (const auto& slip : slips) {
        INFO(slip);
        std::smatch match;
        REQUIRE(std::regex_search(slip, match, codeLine));
        const auto code = match[1].str();
        codes.insert(code);
        CHECK_THAT(slip, Catch::Contains("Open / Abra:  https://survey.riverside.example/surveys/riverside-2026?code=" + code + "\n"));
        CHECK_THAT(slip, Catch::Contains(survey.title.in("en") + " / " + survey.title.in("es")));
        CHECK_THAT(slip, Catch::Contains("Maple Elementary School · Riverside Independent School District · 2026-2027"));
        CHECK_THAT(slip, Catch::Contains("The code works once and is not stored with your answers."));
        CHECK_THAT(slip, Catch::Contains("El código funciona una sola vez y no se guarda con sus respuestas."));
        CHECK(store.accessCodeState(survey.storeId, store::sha256Hex(store::normalizeAccessCode(code))) == store::CodeState::Unused);
    }
    CHECK(codes.size() == 3);
    CHECK_THAT(text, Catch::EndsWith("3 codes issued for Maple Elementary School. Keep no other copy of this list.\n"));
}
