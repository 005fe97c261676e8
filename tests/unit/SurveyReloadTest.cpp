// `mindset serve` reads the survey folder again on SIGHUP (issue 14, item 2): edits are served
// without a restart, and a survey whose file fails after an edit keeps its last good version.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <nlohmann/json.hpp>

#include "app/ServedSite.h"
#include "app/Startup.h"
#include "demo/DemoResponses.h"
#include "surveys/SurveyCatalog.h"
#include "support/TestSupport.h"
#include "web/HttpServer.h"

using namespace mindset;
using nlohmann::json;

namespace {

const std::filesystem::path kShippedSurveys = std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys";

json shippedSurvey(const std::string& id) { return json::parse(testing::readFile(kShippedSurveys / (id + ".json"))); }

void writeSurvey(const std::filesystem::path& folder, const std::string& fileId, const json& survey) {
    testing::writeFile(folder / (fileId + ".json"), survey.dump(2));
}

/// The survey folder read and saved to the store, as `serve` does at start and on SIGHUP.
surveys::SurveyCatalog readAndSave(const std::filesystem::path& folder, store::Store& store) {
    auto catalog = surveys::loadSurveyFolder(folder, testing::shippedInstruments());
    app::saveSurveys(catalog, store);
    return catalog;
}

const surveys::SurveyDefinition& served(const surveys::SurveyCatalog& catalog, const std::string& id) {
    const auto* survey = catalog.find(id);
    REQUIRE(survey);
    return *survey;
}

std::string titleOf(const surveys::SurveyDefinition& survey) { return json::parse(survey.json)["title"]["en"]; }

struct Page {
    int status = 0;
    std::string body;
};

Page fetch(unsigned short port, const std::string& path) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    Page page;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), page.body);
    page.status = response.getStatus();
    return page;
}

}  // namespace

TEST_CASE("a reload serves edited and new surveys, keeps a broken file's last good version and drops a deleted one", "[unit][reload]") {
    testing::TempFolder folder;
    store::Store store(":memory:");
    writeSurvey(folder.path(), "riverside-2026", shippedSurvey("riverside-2026"));
    writeSurvey(folder.path(), "pecan-grove-2026", shippedSurvey("pecan-grove-2026"));
    writeSurvey(folder.path(), "trinity-falls-2026", shippedSurvey("trinity-falls-2026"));
    const auto serving = readAndSave(folder.path(), store);
    REQUIRE(serving.surveys.size() == 3);

    auto edited = shippedSurvey("riverside-2026");
    edited["title"]["en"] = "Riverside ISD staff survey, spring 2027";
    writeSurvey(folder.path(), "riverside-2026", edited);
    testing::writeFile(folder.path() / "pecan-grove-2026.json", testing::readFile(folder.path() / "pecan-grove-2026.json") + ",");
    std::filesystem::remove(folder.path() / "trinity-falls-2026.json");
    writeSurvey(folder.path(), "riverside-2025", shippedSurvey("riverside-2025"));

    const auto reload = app::mergeReload(serving, readAndSave(folder.path(), store));
    CHECK(reload.changed == std::vector<std::string>{"riverside-2026"});
    CHECK(reload.added == std::vector<std::string>{"riverside-2025"});
    CHECK(reload.keptLastGood == std::vector<std::string>{"pecan-grove-2026"});
    CHECK(reload.removed == std::vector<std::string>{"trinity-falls-2026"});
    CHECK(titleOf(served(reload.catalog, "riverside-2026")) == "Riverside ISD staff survey, spring 2027");
    const auto& kept = served(reload.catalog, "pecan-grove-2026");
    CHECK(kept.json == served(serving, "pecan-grove-2026").json);
    CHECK(kept.storeId == served(serving, "pecan-grove-2026").storeId);
    CHECK_FALSE(reload.catalog.find("trinity-falls-2026"));
    REQUIRE(reload.catalog.invalid.size() == 1);
    CHECK(reload.catalog.invalid.front().file() == folder.path() / "pecan-grove-2026.json");

    std::ostringstream out, err;
    app::printReload(out, err, reload);
    CHECK(out.str() == "Surveys reloaded: 3 served; changed: riverside-2026; new: riverside-2025; no longer served (file gone): "
                       "trinity-falls-2026.\n");
    CHECK_THAT(err.str(), Catch::Contains("pecan-grove-2026.json") &&
                              Catch::Contains("WARNING: survey pecan-grove-2026 did not load after its file was edited (problems above): "
                                              "staff are still served its last good version."));
}

TEST_CASE("an edit that would break stored responses keeps the survey's last good version, and says why", "[unit][reload]") {
    testing::TempFolder folder;
    store::Store store(":memory:");
    writeSurvey(folder.path(), "riverside-2026", shippedSurvey("riverside-2026"));
    const auto serving = readAndSave(folder.path(), store);
    const auto& survey = served(serving, "riverside-2026");
    std::vector<store::StoredResponse> rows;
    for (auto& response : demo::generateResponses(survey, 3, 7, {})) rows.push_back({response.demographics, response.answers});
    store.insertResponses(survey.storeId, rows);

    // The coordinator's mistake from issue 14: a demographic question added after the first response.
    auto edited = shippedSurvey("riverside-2026");
    auto question = edited["demographics"].back();
    question["id"] = "years-in-district";
    edited["demographics"].push_back(question);
    writeSurvey(folder.path(), "riverside-2026", edited);

    const auto reload = app::mergeReload(serving, readAndSave(folder.path(), store));
    CHECK(reload.keptLastGood == std::vector<std::string>{"riverside-2026"});
    CHECK(served(reload.catalog, "riverside-2026").json == survey.json);
    CHECK(reload.changed.empty());
    std::ostringstream out, err;
    app::printReload(out, err, reload);
    CHECK(out.str() == "Surveys reloaded: 1 served; nothing changed.\n");
    CHECK_THAT(err.str(), Catch::Contains("riverside-2026.json") && Catch::Contains("3 responses") &&
                              Catch::Contains("WARNING: survey riverside-2026 did not load after its file was edited"));
    CHECK(store.countResponses(survey.storeId) == 3);
}

TEST_CASE("the server answers with reloaded surveys from the next request, and the sign-in throttles carry on", "[http][reload]") {
    testing::TempFolder folder;
    store::Store store(":memory:");
    writeSurvey(folder.path(), "riverside-2026", shippedSurvey("riverside-2026"));
    writeSurvey(folder.path(), "pecan-grove-2026", shippedSurvey("pecan-grove-2026"));
    auto first = readAndSave(folder.path(), store);
    const auto openDay = served(first, "riverside-2026").opens;
    auto before = std::make_shared<const app::ServedSite>(std::move(first), store, [openDay] { return openDay; }, nullptr);
    web::ServerOptions options;
    options.port = 0;
    web::HttpServer server(app::routesOf(before), options, web::ListeningSocket(options));
    server.start();
    CHECK_THAT(fetch(server.port(), "/surveys/riverside-2026?lang=en").body, Catch::Contains("Riverside ISD staff mindset survey, 2026–27"));

    auto edited = shippedSurvey("riverside-2026");
    edited["title"]["en"] = "Riverside ISD staff survey, spring 2027";
    writeSurvey(folder.path(), "riverside-2026", edited);
    std::filesystem::remove(folder.path() / "pecan-grove-2026.json");
    auto reload = app::mergeReload(before->catalog(), readAndSave(folder.path(), store));
    const auto after = std::make_shared<const app::ServedSite>(std::move(reload.catalog), before->site());
    server.replaceRouter(app::routesOf(after));

    const auto page = fetch(server.port(), "/surveys/riverside-2026?lang=en");
    CHECK(page.status == 200);
    CHECK_THAT(page.body, Catch::Contains("Riverside ISD staff survey, spring 2027"));
    CHECK(fetch(server.port(), "/surveys/pecan-grove-2026?lang=en").status == 404);
    // What protects sign-in and small groups is the same object before and after: a reload resets no count.
    CHECK(after->site().loginThrottle == before->site().loginThrottle);
    CHECK(after->site().paddingGuard == before->site().paddingGuard);
    CHECK(after->site().newDraftLimit == before->site().newDraftLimit);
    CHECK(after->site().pageCache != before->site().pageCache);
}
