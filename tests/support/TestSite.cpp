#include "support/TestSite.h"

#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include "app/Startup.h"
#include "releases/Releases.h"
#include "support/TestDatabase.h"
#include "web/Routes.h"

namespace mindset::testing {

TestSite::TestSite(std::function<void(surveys::SurveyDefinition&)> adjust, std::chrono::year_month_day today)
    : databaseFile_(folder_.path() / "mindset.sqlite"), store_(std::make_unique<store::Store>(storeLocation(databaseFile_.string()))),
      today_(today) {
    auto survey = demoSurvey();
    if (adjust) adjust(survey);
    catalog_.surveys.push_back(std::move(survey));
    app::saveSurveys(catalog_, *store_);
    site_ = std::make_unique<web::Site>(web::Site{catalog_, *store_, [this] { return today_; }});
    start(web::buildRouter(*site_));
}

TestSite::TestSite(SeveralSurveys, std::vector<surveys::SurveyDefinition> surveys, std::chrono::year_month_day today)
    : databaseFile_(folder_.path() / "mindset.sqlite"), store_(std::make_unique<store::Store>(storeLocation(databaseFile_.string()))),
      today_(today) {
    catalog_.surveys = std::move(surveys);
    app::saveSurveys(catalog_, *store_);
    site_ = std::make_unique<web::Site>(web::Site{catalog_, *store_, [this] { return today_; }});
    start(web::buildRouter(*site_));
}

std::unique_ptr<TestSite> TestSite::withSurveys(std::vector<surveys::SurveyDefinition> surveys, std::chrono::year_month_day today) {
    return std::unique_ptr<TestSite>(new TestSite(SeveralSurveys{}, std::move(surveys), today));
}

TestSite::TestSite(web::Router router)
    : databaseFile_(":memory:"), store_(std::make_unique<store::Store>(storeLocation())), today_(dayWhenDemoIsOpen()) {
    start(std::move(router));
}

TestSite::~TestSite() { server_.reset(); }

void TestSite::start(web::Router router, std::vector<std::string> trustedProxies) {
    router_ = std::make_unique<web::Router>(router);
    web::ServerOptions options;
    options.port = 0;
    options.threads = 4;
    options.maxBodyBytes = 16 * 1024;
    options.trustedProxies = std::move(trustedProxies);
    server_ = std::make_unique<web::HttpServer>(std::move(router), options);
    server_->start();
    session_.setHost("127.0.0.1");
    session_.setPort(server_->port());
}

void TestSite::trustProxies(std::vector<std::string> addresses) {
    server_.reset();
    session_.reset();
    start(*router_, std::move(addresses));
}

std::string TestSite::sendRaw(const std::string& raw) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", server_->port()));
    socket.setReceiveTimeout(Poco::Timespan(2, 0));
    socket.sendBytes(raw.data(), static_cast<int>(raw.size()));
    std::string answer;
    char buffer[4096];
    try {
        for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
    } catch (const Poco::TimeoutException&) {
    }
    return answer;
}

Reply TestSite::get(const std::string& path) { return send("GET", path, "", ""); }

Reply TestSite::post(const std::string& path, const std::string& body, const std::string& contentType) {
    return send("POST", path, body, contentType);
}

Reply TestSite::send(const std::string& method, const std::string& path, const std::string& body,
                     const std::string& contentType, const std::map<std::string, std::string>& extraHeaders) {
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!contentType.empty()) request.setContentType(contentType);
    if (method == "POST") request.setContentLength(static_cast<std::streamsize>(body.size()));
    if (!cookies_.empty()) {
        Poco::Net::NameValueCollection jar;
        for (const auto& [name, value] : cookies_) jar.add(name, value);
        request.setCookies(jar);
    }
    for (const auto& [name, value] : extraHeaders) request.set(name, value);
    session_.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    auto& in = session_.receiveResponse(response);
    Reply reply;
    reply.status = response.getStatus();
    for (const auto& [name, value] : response) reply.headers.emplace(name, value);
    std::vector<Poco::Net::HTTPCookie> setCookies;
    response.getCookies(setCookies);
    for (const auto& cookie : setCookies) {
        if (cookie.getMaxAge() == 0) cookies_.erase(cookie.getName());
        else cookies_[cookie.getName()] = cookie.getValue();
    }
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
}

store::ReleaseRecord TestSite::publishRelease(const std::string& surveyId) {
    const auto* survey = surveyId.empty() ? &this->survey() : catalog_.find(surveyId);
    if (!survey) throw std::runtime_error("no survey '" + surveyId + "' on this test site");
    const auto outcome = releases::publishRelease(*store_, *survey, releases::kindFor(*survey, today_), today_);
    if (!outcome.release) throw std::runtime_error(outcome.refusal);
    return *outcome.release;
}

std::string TestSite::csrf() {
    if (!cookies_.count("mindset_csrf")) get("/surveys/" + survey().id);
    return cookies_.at("mindset_csrf");
}

Reply TestSite::signIn(const std::string& username, const std::string& password) {
    return post("/login", encodeForm({{"csrf", csrf()}, {"lang", "en"}, {"next", "/leader"}, {"username", username}, {"password", password}}));
}

std::string encodeForm(const surveys::FormFields& fields) {
    std::string body;
    for (const auto& [name, value] : fields) {
        std::string encodedName, encodedValue;
        Poco::URI::encode(name, "&=+;", encodedName);
        Poco::URI::encode(value, "&=+;", encodedValue);
        body += (body.empty() ? "" : "&") + encodedName + "=" + encodedValue;
    }
    return body;
}

surveys::FormFields completeResponse(const surveys::SurveyDefinition& survey) {
    surveys::FormFields fields{{"d.school", "riverside-middle"}, {"d.role", "school-leader"}, {"d.years", "11-plus"},
                               {"d.race", "asian"}, {"d.race", "white"}};
    int code = 0;
    for (const auto& instrument : survey.instruments)
        for (const auto& item : instrument.definition().items)
            fields.emplace_back(surveys::itemFieldName(instrument, item), std::to_string(code++ % 5 + 1));
    return fields;
}


analytics::DistrictYears latestReleaseYears(TestSite& site, const std::string& districtId,
                                            std::vector<std::shared_ptr<const analytics::Profile>>& keep) {
    analytics::DistrictYears years;
    for (const auto& survey : site.catalog().surveys) {
        if (survey.districtId != districtId) continue;
        const auto record = site.store().releases(survey.storeId).back();
        keep.push_back(std::make_shared<const analytics::Profile>(releases::readRelease(site.store(), survey, record).profile));
        years.push_back({&survey, keep.back(), {record.number, store::releaseKindName(record.kind), record.publishedOn, record.responses}});
    }
    return years;
}

}  // namespace mindset::testing
