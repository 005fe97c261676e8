#include "app/InstrumentPreview.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "app/Startup.h"
#include "loader/PluginLoader.h"
#include "store/Store.h"
#include "surveys/SurveyCatalog.h"
#include "web/HttpServer.h"
#include "web/Routes.h"
#include "web/Site.h"

namespace mindset::app {

using nlohmann::json;

namespace {

constexpr const char* kPreviewSurveyId = "instrument-preview";

/// A survey that asks only `definition`, open today, with one unit and one optional question
/// about it, in every interface language the instrument offers.
std::string previewSurveyJson(const sdk::Definition& definition, std::chrono::year_month_day today) {
    json languages = json::array({"en"});
    if (definition.title.has("es")) languages.push_back("es");
    const auto day = std::chrono::sys_days(today);
    const auto text = [](std::chrono::sys_days d) { return web::formatDate(std::chrono::year_month_day(d)); };
    const auto year = static_cast<int>(today.year());
    json survey = {
        {"id", kPreviewSurveyId},
        {"title", {{"en", "Preview: " + definition.title.in("en")}, {"es", "Vista previa: " + definition.title.in("es")}}},
        {"introduction",
         {{"en", "A preview of " + definition.key() + " as staff will see it. Nothing typed here is kept."},
          {"es", "Una vista previa de " + definition.key() + " tal como la verá el personal. No se guarda nada de lo escrito."}}},
        {"district", {{"id", "preview-district"}, {"name", "Preview district"}}},
        {"schools", json::array({{{"id", "preview-school"}, {"name", {{"en", "Preview school"}, {"es", "Escuela de vista previa"}}}}})},
        {"schoolYear", std::to_string(year) + "-" + std::to_string(year + 1)},
        {"languages", languages},
        {"minGroupSize", 5},
        {"opens", text(day - std::chrono::days(1))},
        {"closes", text(day + std::chrono::days(30))},
        {"instruments", json::array({definition.key()})},
        {"demographics",
         json::array({{{"id", "school"},
                       {"label", {{"en", "Which school do you work in?"}, {"es", "¿En qué escuela trabaja?"}}},
                       {"fromSchools", true}}})},
    };
    return survey.dump();
}

/// A browser's part in the conversation: cookies kept between requests.
class PreviewClient {
public:
    explicit PreviewClient(unsigned short port) : session_("127.0.0.1", port) {}

    std::string get(const std::string& path) { return send(Poco::Net::HTTPRequest::HTTP_GET, path, ""); }
    std::string post(const std::string& path, const std::string& form) { return send(Poco::Net::HTTPRequest::HTTP_POST, path, form); }
    std::string cookie(const std::string& name) const {
        const auto found = cookies_.find(name);
        return found == cookies_.end() ? std::string() : found->second;
    }

private:
    std::string send(const std::string& method, const std::string& path, const std::string& form) {
        Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::NameValueCollection cookies;
        for (const auto& [name, value] : cookies_) cookies.add(name, value);
        request.setCookies(cookies);
        if (!form.empty()) {
            request.setContentType("application/x-www-form-urlencoded");
            request.setContentLength(static_cast<std::streamsize>(form.size()));
        }
        session_.sendRequest(request) << form;
        Poco::Net::HTTPResponse response;
        auto& in = session_.receiveResponse(response);
        std::string body;
        Poco::StreamCopier::copyToString(in, body);
        std::vector<Poco::Net::HTTPCookie> set;
        response.getCookies(set);
        for (const auto& c : set) cookies_[c.getName()] = c.getValue();
        const auto status = static_cast<int>(response.getStatus());
        if (status >= 400) throw std::runtime_error(method + " " + path + " answered " + std::to_string(status));
        return body;
    }

    Poco::Net::HTTPClientSession session_;
    std::map<std::string, std::string> cookies_;
};

void writeFile(std::ostream& out, const std::filesystem::path& file, const std::string& text,
               std::vector<std::filesystem::path>& written) {
    std::ofstream stream(file, std::ios::binary | std::ios::trunc);
    stream << text;
    if (!stream.flush()) throw std::runtime_error("cannot write " + file.string());
    out << "wrote " << file.string() << "\n";
    written.push_back(file);
}

/// The page as a file beside its style sheet: the sheet's site path becomes a relative one.
std::string asFile(std::string html) {
    const std::string sheet = "href=\"/static/mindset.css\"";
    if (const auto at = html.find(sheet); at != std::string::npos) html.replace(at, sheet.size(), "href=\"mindset.css\"");
    return html;
}

std::vector<std::filesystem::path> previewOne(std::ostream& out, const loader::InstrumentRegistry& registry,
                                              const sdk::Definition& definition, const std::filesystem::path& folder) {
    const auto today = web::localToday();
    surveys::SurveyCatalog catalog;
    catalog.surveys.push_back(surveys::parseSurvey(previewSurveyJson(definition, today), "(preview survey)", registry));
    store::Store store(":memory:");
    saveSurveys(catalog, store);
    if (catalog.surveys.empty())
        throw std::runtime_error(definition.key() + ": the preview survey was refused: " + catalog.invalid.front().what());
    const web::Site site{catalog, store, [today] { return today; }};
    web::ServerOptions options;
    options.port = 0;
    options.threads = 2;
    web::HttpServer server(web::buildRouter(site), options);
    server.start();

    std::filesystem::create_directories(folder);
    std::vector<std::filesystem::path> written;
    const std::string base = std::string("/surveys/") + kPreviewSurveyId;
    writeFile(out, folder / "mindset.css", PreviewClient(server.port()).get("/static/mindset.css"), written);
    for (const auto& language : catalog.surveys.front().languages) {
        PreviewClient client(server.port());  // a new visitor per language: the landing page as first seen
        const auto query = "?lang=" + language;
        writeFile(out, folder / (language + "-landing.html"), asFile(client.get(base + query)), written);
        writeFile(out, folder / (language + "-one-page.html"), asFile(client.get(base + "/all" + query)), written);
        // The instrument's own page of the paged form needs a draft, started as a browser would.
        client.post(base + "/start", "csrf=" + client.cookie("mindset_csrf") + "&lang=" + language);
        writeFile(out, folder / (language + "-instrument-page.html"), asFile(client.get(base + "/pages/2" + query)), written);
    }
    server.stop();
    return written;
}

}  // namespace

std::vector<std::filesystem::path> previewInstrument(std::ostream& out, const std::filesystem::path& plugin,
                                                     const std::filesystem::path& outFolder) {
    loader::InstrumentRegistry registry;
    loader::loadPluginFile(registry, plugin);
    for (const auto& refused : registry.refused())
        out << plugin.string() << ": " << (refused.isWholeFile() ? "refused" : refused.instrument + " refused") << ": "
            << refused.reason << "\n";
    const auto loaded = registry.instruments();
    if (loaded.empty())
        throw std::runtime_error(plugin.string() + " exports no instrument that loads (see `mindset instrument check " +
                                 plugin.string() + "`)");
    std::vector<std::filesystem::path> written;
    for (const auto& instrument : loaded) {
        const auto files = previewOne(out, registry, *instrument.definition, outFolder / instrument.definition->key());
        written.insert(written.end(), files.begin(), files.end());
    }
    return written;
}

}  // namespace mindset::app
