#include <catch2/catch.hpp>

#include <sstream>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include "app/Startup.h"
#include "support/TestSupport.h"
#include "surveys/ResponseEncoding.h"
#include "web/HttpServer.h"
#include "web/Routes.h"

using namespace mindset;

namespace {

struct Reply {
    int status = 0;
    std::map<std::string, std::string> headers;
    std::string body;

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
};

/// The host's web stack on a free port, with the demo survey and an empty database.
class TestSite {
public:
    explicit TestSite(std::chrono::year_month_day today = testing::dayWhenDemoIsOpen())
        : store_((folder_.path() / "mindset.sqlite").string()), today_(today) {
        catalog_.surveys.push_back(testing::demoSurvey());
        app::saveSurveys(catalog_, store_);
        start(web::buildRouter(site_));
    }
    explicit TestSite(web::Router router) : store_(":memory:") { start(std::move(router)); }

    Reply get(const std::string& path) { return send("GET", path, "", ""); }
    Reply post(const std::string& path, const std::string& body,
               const std::string& contentType = "application/x-www-form-urlencoded") {
        return send("POST", path, body, contentType);
    }
    Reply send(const std::string& method, const std::string& path, const std::string& body, const std::string& contentType) {
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!contentType.empty()) request.setContentType(contentType);
        if (method == "POST") request.setContentLength(static_cast<std::streamsize>(body.size()));
        session_.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        auto& in = session_.receiveResponse(response);
        Reply reply;
        reply.status = response.getStatus();
        for (const auto& [name, value] : response) reply.headers[name] = value;
        Poco::StreamCopier::copyToString(in, reply.body);
        return reply;
    }

    std::int64_t storedResponses() { return store_.countResponses(catalog_.surveys.front().storeId); }
    store::Store& store() { return store_; }
    const surveys::SurveyDefinition& survey() const { return catalog_.surveys.front(); }

private:
    void start(web::Router router) {
        server_ = std::make_unique<web::HttpServer>(std::move(router), options());
        server_->start();
        session_.setHost("127.0.0.1");
        session_.setPort(server_->port());
    }
    static web::ServerOptions options() {
        web::ServerOptions options;
        options.port = 0;
        options.threads = 4;
        options.maxBodyBytes = 16 * 1024;
        return options;
    }

    testing::TempFolder folder_;
    store::Store store_;
    surveys::SurveyCatalog catalog_;
    std::chrono::year_month_day today_;
    web::Site site_{catalog_, store_, [this] { return today_; }};
    std::unique_ptr<web::HttpServer> server_;
    Poco::Net::HTTPClientSession session_;
};

std::unique_ptr<TestSite> startSite(std::chrono::year_month_day today = testing::dayWhenDemoIsOpen()) {
    return std::make_unique<TestSite>(today);
}

std::string encodeForm(const surveys::FormFields& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
        std::string encodedName, encodedValue;
        Poco::URI::encode(name, "&=+", encodedName);
        Poco::URI::encode(value, "&=+", encodedValue);
        body += (body.empty() ? "" : "&") + encodedName + "=" + encodedValue;
    }
    return body;
}

surveys::FormFields completeResponse(const surveys::SurveyDefinition& survey) {
    surveys::FormFields fields{{"lang", "en"}, {"d.school", "riverside-middle"}, {"d.role", "school-leader"},
                               {"d.years", "11-plus"}, {"d.race", "asian"}, {"d.race", "white"}};
    int code = 0;
    for (const auto& instrument : survey.instruments)
        for (const auto& item : instrument.definition().items) fields.emplace_back(surveys::itemFieldName(instrument, item), std::to_string(code++ % 5 + 1));
    return fields;
}

const std::string kSubmit = "/surveys/riverside-2026/responses";

}  // namespace

TEST_CASE("the survey page renders every item as a labelled radio group", "[http]") {
    auto site = startSite();
    const auto page = site->get("/surveys/riverside-2026");
    REQUIRE(page.status == 200);
    CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
    std::size_t fieldsets = 0;
    for (auto at = page.body.find("<fieldset"); at != std::string::npos; at = page.body.find("<fieldset", at + 1)) ++fieldsets;
    CHECK(fieldsets == 4 + 43);
    CHECK(page.body.find("<legend>I believe every student at my school can reach high academic standards.</legend>") != std::string::npos);
    CHECK(page.body.find(R"(<input type="radio" name="i.equity-excellence.ee01" value="5">)") != std::string::npos);
    CHECK(page.body.find(R"(<input type="checkbox" name="d.race" value="black">)") != std::string::npos);
    CHECK(page.body.find("Results are only shown for groups of at least 5 people.") != std::string::npos);

    const auto spanish = site->get("/surveys/riverside-2026?lang=es");
    CHECK(spanish.body.find(R"(<html lang="es">)") != std::string::npos);
    CHECK(spanish.body.find("Creo que todos los estudiantes de mi escuela pueden alcanzar") != std::string::npos);
    CHECK(spanish.body.find("Enviar mis respuestas") != std::string::npos);
}

TEST_CASE("every page carries the security headers", "[http]") {
    auto site = startSite();
    for (const auto* path : {"/", "/surveys/riverside-2026", "/nowhere", "/static/mindset.css"}) {
        const auto reply = site->get(path);
        INFO(path);
        CHECK(reply.header("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
        CHECK(reply.header("Content-Security-Policy").find("script-src") == std::string::npos);  // no script at all
        CHECK(reply.header("X-Content-Type-Options") == "nosniff");
        CHECK(reply.header("Referrer-Policy") == "no-referrer");
    }
}

TEST_CASE("a complete response is stored and acknowledged with a redirect to the thank-you page", "[http]") {
    auto site = startSite();
    const auto fields = completeResponse(site->survey());
    const auto reply = site->post(kSubmit, encodeForm(fields));
    CHECK(reply.status == 303);
    CHECK(reply.header("Location") == "/surveys/riverside-2026/thanks?lang=en");
    REQUIRE(site->storedResponses() == 1);

    const auto stored = site->store().responses(site->survey().storeId).front();
    const auto decoded = surveys::decodeResponse(site->survey(), {stored.demographics, stored.answers});
    CHECK(decoded.demographics[0] == std::vector<std::string>{"riverside-middle"});
    CHECK(decoded.demographics[1] == std::vector<std::string>{"school-leader"});
    CHECK(decoded.demographics[3] == std::vector<std::string>{"asian", "white"});
    for (std::size_t i = 0; i < decoded.answers.size(); ++i) CHECK(decoded.answers[i] == static_cast<int>(i % 5 + 1));

    const auto thanks = site->get(reply.header("Location"));
    CHECK(thanks.status == 200);
    CHECK(thanks.body.find("Your answers have been saved.") != std::string::npos);
}

TEST_CASE("malformed or incomplete responses get a 4xx page naming the problem and store nothing", "[http]") {
    auto site = startSite();
    auto fields = completeResponse(site->survey());
    auto replaced = [&](const std::string& name, const std::string& value) {
        auto changed = fields;
        for (auto& [n, v] : changed)
            if (n == name) v = value;
        return encodeForm(changed);
    };

    SECTION("an answer out of range") {
        const auto reply = site->post(kSubmit, replaced("i.continuous-improvement.ci03", "6"));
        CHECK(reply.status == 400);
        CHECK(reply.body.find("“6” is not one of the choices.") != std::string::npos);
        CHECK(reply.body.find(R"(href="#q-i-continuous-improvement-ci03")") != std::string::npos);
    }
    SECTION("an unknown item") {
        fields.emplace_back("i.equity-excellence.ee77", "3");
        const auto reply = site->post(kSubmit, encodeForm(fields));
        CHECK(reply.status == 400);
        CHECK(reply.body.find("a field the survey does not ask: i.equity-excellence.ee77") != std::string::npos);
    }
    SECTION("a missing required question, in Spanish") {
        std::erase_if(fields, [](const auto& f) { return f.first == "d.school" || f.first == "lang"; });
        fields.emplace_back("lang", "es");
        const auto reply = site->post(kSubmit, encodeForm(fields));
        CHECK(reply.status == 400);
        CHECK(reply.body.find("¿Dónde trabaja la mayor parte del tiempo?</a>: Responda esta pregunta.") != std::string::npos);
        // What was answered is kept on the page, so nothing has to be answered twice.
        CHECK(reply.body.find(R"(value="school-leader" checked>)") != std::string::npos);
    }
    SECTION("a single-answer field sent twice") {
        fields.emplace_back("i.equity-excellence.ee01", "2");
        CHECK(site->post(kSubmit, encodeForm(fields)).status == 400);
    }
    SECTION("a body over the size limit") {
        const auto reply = site->post(kSubmit, encodeForm(fields) + "&pad=" + std::string(20 * 1024, 'x'));
        CHECK(reply.status == 413);
        CHECK(reply.body.find("the limit is 16384 bytes") != std::string::npos);
    }
    SECTION("a body that is not a form") {
        const auto reply = site->post(kSubmit, R"({"d.school":"x"})", "application/json");
        CHECK(reply.status == 415);
        CHECK(reply.body.find("Expected a form") != std::string::npos);
    }
    SECTION("broken percent-encoding") {
        CHECK(site->post(kSubmit, "d.school=%zz").status == 400);
    }
    SECTION("an unknown survey") {
        const auto reply = site->post("/surveys/no-such-survey/responses", encodeForm(fields));
        CHECK(reply.status == 404);
        CHECK(reply.body.find("There is no survey called “no-such-survey”.") != std::string::npos);
    }
    CHECK(site->storedResponses() == 0);
}

TEST_CASE("a closed survey shows its dates and refuses submissions", "[http]") {
    auto site = startSite(std::chrono::year_month_day{std::chrono::year(2027), std::chrono::month(8), std::chrono::day(1)});
    const auto page = site->get("/surveys/riverside-2026");
    CHECK(page.body.find("It is open from 2026-09-01 to 2027-06-30.") != std::string::npos);
    CHECK(site->post(kSubmit, encodeForm(completeResponse(site->survey()))).status == 403);
    CHECK(site->storedResponses() == 0);
}

TEST_CASE("unknown addresses and methods get a clear error page", "[http]") {
    auto site = startSite();
    CHECK(site->get("/surveys/no-such-survey").status == 404);
    CHECK(site->get("/no/such/page").status == 404);
    const auto wrongMethod = site->send("DELETE", kSubmit, "", "");
    CHECK(wrongMethod.status == 405);
    CHECK(wrongMethod.header("Allow") == "POST");
}

TEST_CASE("an exception in a handler becomes an error page, never a dropped connection", "[http]") {
    web::Router router({
        {"GET", "/throws-std", [](const web::Request&) -> web::Response { throw std::runtime_error("secret detail"); }},
        {"GET", "/throws-other", [](const web::Request&) -> web::Response { throw 42; }},
        {"GET", "/fine", [](const web::Request&) { return web::Response::html("fine"); }},
    });
    TestSite site(std::move(router));
    for (const auto* path : {"/throws-std", "/throws-other"}) {
        const auto reply = site.get(path);
        INFO(path);
        CHECK(reply.status == 500);
        CHECK(reply.body.find("The server could not complete this request. Nothing was saved.") != std::string::npos);
        CHECK(reply.body.find("secret detail") == std::string::npos);  // internals stay in the log
    }
    CHECK(site.get("/fine").body == "fine");
}
