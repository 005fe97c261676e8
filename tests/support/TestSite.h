#pragma once
/// The host's web stack on a free port, with the demo survey and an empty database, and a
/// client that keeps cookies like a browser.

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <Poco/Net/HTTPClientSession.h>

#include "analytics/SurveyYear.h"
#include "store/Store.h"
#include "support/TestSupport.h"
#include "surveys/ResponseEncoding.h"
#include "surveys/SurveyCatalog.h"
#include "web/HttpServer.h"
#include "web/Site.h"

namespace mindset::testing {

struct Reply {
    int status = 0;
    std::multimap<std::string, std::string> headers;
    std::string body;

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
    bool contains(const std::string& text) const { return body.find(text) != std::string::npos; }
};

class TestSite {
public:
    /// The demo survey, changed by `adjust` (e.g. to require access codes), open on `today`.
    explicit TestSite(std::function<void(surveys::SurveyDefinition&)> adjust = {},
                      std::chrono::year_month_day today = dayWhenDemoIsOpen());
    /// Several surveys (e.g. a district's school years and other districts), open on `today`;
    /// survey() is the first.
    static std::unique_ptr<TestSite> withSurveys(std::vector<surveys::SurveyDefinition> surveys,
                                                 std::chrono::year_month_day today = dayWhenDemoIsOpen());
    /// Any router, for testing the boundary itself.
    explicit TestSite(web::Router router);
    ~TestSite();

    Reply get(const std::string& path);
    Reply post(const std::string& path, const std::string& body,
               const std::string& contentType = "application/x-www-form-urlencoded");
    Reply send(const std::string& method, const std::string& path, const std::string& body,
               const std::string& contentType, const std::map<std::string, std::string>& extraHeaders = {});

    /// The CSRF token this client holds (fetching the landing page first if it has none).
    std::string csrf();
    /// Signs in through the sign-in form (as a browser would, with the CSRF token); the reply is
    /// 303 on success.
    Reply signIn(const std::string& username, const std::string& password);
    std::map<std::string, std::string>& cookies() { return cookies_; }

    std::int64_t storedResponses() { return store_->countResponses(survey().storeId); }
    /// Publishes the next release of `surveyId` (default: survey()) as of today(): interim while
    /// it is open, final once closed. Throws std::runtime_error with the refusal if refused.
    store::ReleaseRecord publishRelease(const std::string& surveyId = {});
    store::Store& store() { return *store_; }
    const surveys::SurveyDefinition& survey() const { return catalog_.surveys.front(); }
    const surveys::SurveyCatalog& catalog() const { return catalog_; }
    const std::filesystem::path& databaseFile() const { return databaseFile_; }
    void setToday(std::chrono::year_month_day today) { today_ = today; }
    /// The web site the server runs (e.g. to replace its draft limits); null for a router-only site.
    web::Site* site() { return site_.get(); }
    /// Restarts the server (same site, same store, new port, cookies kept) believing the
    /// forwarding headers of peers at `addresses` (ServerOptions::trustedProxies).
    void trustProxies(std::vector<std::string> addresses);
    /// Sends `raw` bytes as one request on a new connection and returns everything the server
    /// answers until it closes the connection or 2 s pass (for requests no client library sends).
    std::string sendRaw(const std::string& raw);

private:
    struct SeveralSurveys {};
    TestSite(SeveralSurveys, std::vector<surveys::SurveyDefinition> surveys, std::chrono::year_month_day today);
    void start(web::Router router, std::vector<std::string> trustedProxies = {});

    TempFolder folder_;
    std::filesystem::path databaseFile_;
    std::unique_ptr<store::Store> store_;
    surveys::SurveyCatalog catalog_;
    std::chrono::year_month_day today_;
    std::unique_ptr<web::Site> site_;
    std::unique_ptr<web::Router> router_;  ///< a copy, for trustProxies
    std::unique_ptr<web::HttpServer> server_;
    Poco::Net::HTTPClientSession session_;
    std::map<std::string, std::string> cookies_;
};

/// A district's years with the profiles of their latest releases, read from the store directly (not
/// through web::districtYears, which the pages under test use), oldest first; `keep` owns the profiles.
analytics::DistrictYears latestReleaseYears(TestSite& site, const std::string& districtId,
                                            std::vector<std::shared_ptr<const analytics::Profile>>& keep);

/// Form fields, URL-encoded as a browser would.
std::string encodeForm(const surveys::FormFields& fields);

/// A complete answer to the demo survey: every item answered, codes cycling 1..5.
surveys::FormFields completeResponse(const surveys::SurveyDefinition& survey);

}  // namespace mindset::testing
