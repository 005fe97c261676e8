#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/TestSite.h"
#include "support/TestSupport.h"
#include "surveys/ResponseEncoding.h"
#include "web/DraftContents.h"

using namespace mindset;
using nlohmann::json;

namespace {

json demoJson() {
    return json::parse(testing::readFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2026.json"));
}

}  // namespace

TEST_CASE("a draft keeps the page to continue on, a draft saved before pages were kept continues on page 1", "[unit]") {
    const web::DraftContents contents{"abc", {{"d.race", "asian"}, {"d.race", "white"}, {"d.role", "teacher"}}, 3};
    const auto back = web::unpackDraft(web::packDraft(contents));
    REQUIRE(back);
    CHECK(back->codeHash == "abc");
    CHECK(back->fields == contents.fields);
    CHECK(back->page == 3);

    const auto old = web::unpackDraft(R"({"code":"","fields":{"d.role":["teacher"]}})");
    REQUIRE(old);
    CHECK(old->page == 1);
    CHECK(web::unpackDraft(R"({"code":"","fields":{},"page":0})")->page == 1);
    CHECK(web::unpackDraft(R"({"code":"","fields":{},"page":"2"})")->page == 1);
    CHECK_FALSE(web::unpackDraft(R"({"fields":{}})"));
}

TEST_CASE("a test run's draft stays a test draft; every other draft is real", "[unit]") {
    CHECK(web::unpackDraft(web::packDraft({"", {{"d.role", "teacher"}}, 2, true}))->isTest);
    CHECK_FALSE(web::unpackDraft(web::packDraft({"", {{"d.role", "teacher"}}, 2}))->isTest);
    CHECK_FALSE(web::unpackDraft(R"({"code":"","fields":{},"page":2})")->isTest);  // saved before test runs
    CHECK_FALSE(web::unpackDraft(R"({"code":"","fields":{},"test":"yes"})")->isTest);
}

TEST_CASE("a draft's text is read back exactly, and anything that is not a draft is refused", "[unit]") {
    // A comment holds any text: quotes, new lines, tabs, non-ASCII letters and escapes survive.
    const web::DraftContents contents{"0f" + std::string(62, 'a'),
                                      {{"c.general", "Dijo \"sí\"\n\tluego\\no ☺"}, {"d.race", "white"}, {"i.x.y", "4"}}, 2};
    const auto back = web::unpackDraft(web::packDraft(contents));
    REQUIRE(back);
    CHECK(back->codeHash == contents.codeHash);
    CHECK(back->fields == contents.fields);
    CHECK(back->page == 2);

    // A draft saved as JSON text, before drafts were packed, reads the same.
    const auto asText = web::unpackDraft(
        R"({"code":")" + contents.codeHash + R"(","fields":{"c.general":["Dijo \"sí\"\n\tluego\\no ☺"],"d.race":["white"],"i.x.y":["4"]},"page":2})");
    REQUIRE(asText);
    CHECK(asText->fields == contents.fields);
    CHECK(asText->page == 2);

    // Members of a field's list that are not text are skipped; the rest of the list is kept.
    const auto mixed = web::unpackDraft(R"({"code":"","fields":{"d.race":["asian",7,["x"],{"y":"z"},"white"]},"page":2})");
    REQUIRE(mixed);
    CHECK(mixed->fields == surveys::FormFields{{"d.race", "asian"}, {"d.race", "white"}});

    for (const auto* notADraft : {"", "[]", "\"text\"", "{", R"({"code":1,"fields":{}})", R"({"code":"","fields":[]})",
                                  R"({"code":"","fields":{"d.race":"asian"}})", R"({"code":"","fields":{}} trailing)"}) {
        INFO(notADraft);
        CHECK_FALSE(web::unpackDraft(notADraft));
    }
}

TEST_CASE("the unanswered questions are listed in the order the form asks them, prefer-not answers count as answers", "[unit]") {
    const auto survey = testing::demoSurvey();
    const auto& first = survey.instruments.front();
    const auto& last = survey.instruments.back();
    const auto firstItem = surveys::itemFieldName(first, first.definition().items.front());
    const auto lastItem = surveys::itemFieldName(last, last.definition().items.back());

    auto fields = testing::completeResponse(survey);
    CHECK(surveys::unansweredFields(survey, fields).empty());

    std::erase_if(fields, [&](const auto& f) { return f.first == lastItem || f.first == "d.years" || f.first == firstItem; });
    fields.emplace_back("d.race", "prefer-not-to-say");
    CHECK(surveys::unansweredFields(survey, fields) == std::vector<std::string>{"d.years", firstItem, lastItem});

    fields.emplace_back(firstItem, surveys::kPreferNotToAnswer);
    fields.emplace_back(lastItem, "");  // an empty value is no answer
    CHECK(surveys::unansweredFields(survey, fields) == std::vector<std::string>{"d.years", lastItem});
}

TEST_CASE("a school's name may be given per language, English is required", "[unit]") {
    const auto survey = testing::demoSurvey();
    const auto& school = survey.demographics.front();
    REQUIRE(school.isFromSchools);
    const auto& central = school.choices.back();
    CHECK(central.id == "central-office");
    CHECK(central.label.in("en") == "Central office");
    CHECK(central.label.in("es") == "Oficina central");
    // A proper name is one string, the same in both languages.
    CHECK(school.choices.front().label.in("es") == school.choices.front().label.in("en"));

    auto changed = demoJson();
    changed["schools"][0]["name"] = json{{"es", "Escuela Primaria Cedar"}};
    CHECK_THROWS_WITH(surveys::parseSurvey(changed.dump(), "changed.json", testing::shippedInstruments()),
                      "changed.json: $.schools[0].name.en: English text is required");
}
