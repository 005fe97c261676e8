// "Don't know" / "not applicable" over HTTP (issue 10, item 2): the form offers them after the
// scale's points, in the same radio group and in both languages; a submission stores them; the
// leader's profile, its JSON and its CSV count them in columns of their own; and the release says
// which instrument fingerprints its figures were computed with.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "auth/Passwords.h"
#include "demo/DemoResponses.h"
#include "loader/Fingerprint.h"
#include "support/FixtureSurveys.h"
#include "support/FormMarkup.h"
#include "support/TestSite.h"

using namespace mindset;
using nlohmann::json;
using testing::TestSite;

namespace {

const std::string kSurvey = "readiness-dk-2026";
const std::string kPassword = "correct horse battery";

std::unique_ptr<TestSite> readinessSite() {
    std::vector<surveys::SurveyDefinition> definitions;
    definitions.push_back(testing::surveyWithInstruments("riverside-2026.json", kSurvey,
                                                         {"equity-excellence@1.0.0", "fixture-readiness-dk@1.0.0"}));
    return TestSite::withSurveys(std::move(definitions));
}

}  // namespace

TEST_CASE("the form offers don't know and not applicable after the scale, in the same radio group, in English and Spanish",
          "[http][formats]") {
    auto site = readinessSite();
    const auto page = site->get("/surveys/" + kSurvey + "/all");
    REQUIRE(page.status == 200);
    const auto v1 = testing::fieldsetOf(page.body, "i.fixture-readiness-dk.v1");
    const auto established = v1.find(R"(value="4"> <span>Established</span>)");
    const auto dontKnow = v1.find(R"(<label class="choice aside"><input type="radio" name="i.fixture-readiness-dk.v1" value="8"> <span>Don)");
    const auto notApplicable = v1.find(R"(<label class="choice aside"><input type="radio" name="i.fixture-readiness-dk.v1" value="9"> <span>Not applicable</span>)");
    REQUIRE(established != std::string::npos);
    REQUIRE(dontKnow != std::string::npos);
    REQUIRE(notApplicable != std::string::npos);
    CHECK(established < dontKnow);
    CHECK(dontKnow < notApplicable);
    CHECK(v1.find("<legend>A written equity vision guides decisions.</legend>") != std::string::npos);  // the group's name

    // The shipped instrument, which declares none, offers none.
    const auto shipped = testing::fieldsetOf(page.body, "i.equity-excellence." + site->survey().instruments[0].definition().items[0].id);
    REQUIRE_FALSE(shipped.empty());
    CHECK(shipped.find("choice aside") == std::string::npos);

    const auto spanish = site->get("/surveys/" + kSurvey + "/all?lang=es");
    REQUIRE(spanish.status == 200);
    const auto v1es = testing::fieldsetOf(spanish.body, "i.fixture-readiness-dk.v1");
    CHECK(v1es.find(R"(value="8"> <span>No sé</span>)") != std::string::npos);
    CHECK(v1es.find(R"(value="9"> <span>No aplica</span>)") != std::string::npos);

    // Set apart by the stylesheet: a row of their own under a rule.
    CHECK(site->get("/static/mindset.css").contains(".scale .choice:not(.aside) + .choice.aside"));
}

TEST_CASE("a submission stores don't know; the release counts it apart and records its instruments' fingerprints",
          "[http][formats][releases][fingerprint]") {
    auto site = readinessSite();
    const auto& survey = site->survey();
    auto fields = testing::completeResponse(survey);
    const std::map<std::string, std::string> readiness{{"i.fixture-readiness-dk.v1", "8"}, {"i.fixture-readiness-dk.v2", "9"},
                                                       {"i.fixture-readiness-dk.v3", "2"}, {"i.fixture-readiness-dk.d1", "8"},
                                                       {"i.fixture-readiness-dk.d2", "3"}};
    for (auto& [name, value] : fields)
        if (readiness.count(name)) value = readiness.at(name);
    fields.insert(fields.begin(), {{"csrf", site->csrf()}, {"submission", "0123456789abcdef0123456789abcdef"}, {"lang", "en"}});
    const auto reply = site->post("/surveys/" + kSurvey + "/responses", testing::encodeForm(fields));
    REQUIRE(reply.status == 303);
    REQUIRE(site->storedResponses() == 1);
    const auto first = site->store().responses(survey.storeId).front();
    const auto decoded = surveys::decodeResponse(survey, {first.demographics, first.answers});
    const auto at = survey.instruments[1].firstAnswerIndex;
    CHECK(std::vector<int>(decoded.answers.begin() + static_cast<std::ptrdiff_t>(at), decoded.answers.end()) ==
          std::vector<int>{8, 9, 2, 8, 3});

    std::vector<store::StoredResponse> rows;
    for (auto& r : demo::generateResponses(survey, 120, 5)) rows.push_back({r.demographics, r.answers});
    site->store().insertResponses(survey.storeId, rows);
    const auto release = site->publishRelease();
    REQUIRE(site->store().createAccount({0, "leader", auth::hashPassword(kPassword), std::nullopt, "2026-08-15"}));
    REQUIRE(site->signIn("leader", kPassword).status == 303);

    // What the store holds, counted here: item v1's answers by code.
    std::map<int, std::int64_t> storedV1;
    for (const auto& stored : site->store().responses(survey.storeId)) ++storedV1[stored.answers[at]];
    REQUIRE(storedV1[8] >= 2);  // ours and the demo's

    const auto api = site->get("/api/surveys/" + kSurvey + "/profile");
    REQUIRE(api.status == 200);
    const auto data = json::parse(api.body);
    const json* vision = nullptr;
    for (const auto& s : data["scales"])
        if (s["scale"] == "vision") vision = &s;
    REQUIRE(vision);
    const auto& v1 = (*vision)["items"][0];
    CHECK(v1["item"] == "v1");
    CHECK(v1["unscoredCounts"] == json::array({storedV1[8], storedV1[9]}));
    CHECK(v1["missing"] == storedV1[0]);
    for (int code = 1; code <= 4; ++code) CHECK(v1["counts"][std::to_string(code)] == storedV1[code]);
    CHECK(v1["counts"].size() == 4);  // no "8" among the scale's points

    // The release block names what its figures were computed with.
    const auto& fingerprints = data["release"]["instrumentFingerprints"];
    REQUIRE(fingerprints.size() == 2);
    for (const auto& instrument : survey.instruments)
        CHECK(fingerprints[instrument.key] == loader::fingerprintOf(*instrument.instrument));
    CHECK(json::parse(release.instrumentFingerprintsJson) == fingerprints);
    const auto reread = site->store().findRelease(survey.storeId, release.number);
    REQUIRE(reread);
    CHECK(reread->instrumentFingerprintsJson == release.instrumentFingerprintsJson);

    // The page and the CSV show them as columns of their own, never as a point of the scale.
    const auto page = site->get("/leader/surveys/" + kSurvey + "?lang=es&scale=fixture-readiness-dk.vision");
    REQUIRE(page.status == 200);
    CHECK(page.contains(R"(<th scope="col" class="unscored">No sé</th><th scope="col" class="unscored">No aplica</th>)"));
    const auto csv = site->get("/leader/surveys/" + kSurvey + "/tables/items.csv?lang=en");
    REQUIRE(csv.status == 200);
    CHECK(csv.contains("fixture-readiness-dk@1.0.0,vision,v1,0,unscored-8," + std::to_string(storedV1[8]) + "\n"));
    CHECK(csv.contains("fixture-readiness-dk@1.0.0,vision,v1,0,4," + std::to_string(storedV1[4]) + "\n"));
    CHECK_FALSE(csv.contains("fixture-readiness-dk@1.0.0,vision,v1,0,8,"));
}
