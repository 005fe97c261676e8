// The smallest Poco HTTPServer that answers every GET with one fixed ~2 KB HTML page: the
// benchmark's yardstick for "the fastest a Poco server can answer" on this machine, measured in the
// same run as Mindset and started with the same thread, queue and keep-alive settings (run.sh
// passes identical values to both). It is not part of Mindset and is never installed.
//
// usage: mindset_bench_minimal_server PORT [--threads N] [--min-threads N] [--queue N]
//            [--backlog N] [--keep-alive-timeout S] [--max-keep-alive-requests N] [--timeout S]
//            [--page-bytes N]   (the page's size, default about 2,000 bytes; run.sh also measures one
//                                as large as Mindset's form page, to tell bytes from work)
// Listens on 127.0.0.1:PORT, prints "listening on 127.0.0.1:PORT" and runs until SIGINT/SIGTERM.

#include <csignal>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>

#include <pthread.h>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

namespace {

/// Values mirror mindset::web::ServerOptions and HttpServer.cpp; run.sh passes the real ones.
struct Settings {
    unsigned short port = 0;
    int threads = 16;
    int minThreads = 2;
    int queue = 256;
    int backlog = 256;
    int keepAliveTimeoutSeconds = 5;
    int maxKeepAliveRequests = 100;
    int timeoutSeconds = 10;
    int pageBytes = 2000;
};

std::string makePage(std::size_t pageBytes) {
    std::string page =
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Minimal Poco page</title></head>\n<body>\n"
        "<h1>Minimal Poco page</h1>\n";
    // Filler paragraphs bring the page to about pageBytes (2 KB: the same order as a small Mindset page).
    const std::string paragraph =
        "<p>This fixed page is the benchmark's baseline: no routing, no templates, no database, only Poco's "
        "HTTPServer writing a buffer.</p>\n";
    while (page.size() + paragraph.size() < pageBytes) page += paragraph;
    page += "</body>\n</html>\n";
    return page;
}

class PageHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit PageHandler(const std::string& page) : page_(page) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET) {
            response.setStatus(Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
            response.set("Allow", "GET");
            response.setContentLength(0);
            response.send();
            return;
        }
        response.setContentType("text/html; charset=utf-8");
        response.setContentLength64(static_cast<Poco::Int64>(page_.size()));
        response.sendBuffer(page_.data(), page_.size());
    }

private:
    const std::string& page_;
};

class PageFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit PageFactory(std::string page) : page_(std::move(page)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new PageHandler(page_);
    }

private:
    std::string page_;
};

int parseNumber(const std::string& name, const std::string& text, int minimum, int maximum) {
    std::size_t used = 0;
    int value = minimum - 1;
    try {
        value = std::stoi(text, &used);
    } catch (const std::exception&) {
    }
    if (used != text.size() || value < minimum || value > maximum)
        throw std::invalid_argument(name + " expects a number from " + std::to_string(minimum) + " to " +
                                    std::to_string(maximum) + ", got '" + text + "'");
    return value;
}

Settings parseArguments(int argc, char** argv) {
    if (argc < 2) throw std::invalid_argument("missing PORT");
    Settings settings;
    settings.port = static_cast<unsigned short>(parseNumber("PORT", argv[1], 0, 65535));
    const std::map<std::string, std::pair<int*, int>> options{
        {"--threads", {&settings.threads, 1}},
        {"--min-threads", {&settings.minThreads, 1}},
        {"--queue", {&settings.queue, 1}},
        {"--backlog", {&settings.backlog, 1}},
        {"--keep-alive-timeout", {&settings.keepAliveTimeoutSeconds, 0}},
        {"--max-keep-alive-requests", {&settings.maxKeepAliveRequests, 0}},
        {"--timeout", {&settings.timeoutSeconds, 1}},
        {"--page-bytes", {&settings.pageBytes, 200}},
    };
    for (int i = 2; i < argc; i += 2) {
        const auto option = options.find(argv[i]);
        if (option == options.end()) throw std::invalid_argument(std::string("unknown option '") + argv[i] + "'");
        if (i + 1 >= argc) throw std::invalid_argument(option->first + " expects a value");
        *option->second.first = parseNumber(option->first, argv[i + 1], option->second.second, 1'000'000);
    }
    if (settings.minThreads > settings.threads) settings.minThreads = settings.threads;
    return settings;
}

}  // namespace

int main(int argc, char** argv) {
    Settings settings;
    try {
        settings = parseArguments(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "mindset_bench_minimal_server: " << e.what() << "\n"
                  << "usage: mindset_bench_minimal_server PORT [--threads N] [--min-threads N] [--queue N] [--backlog N]\n"
                     "           [--keep-alive-timeout S] [--max-keep-alive-requests N] [--timeout S] [--page-bytes N]\n";
        return 64;
    }

    // Block the stop signals before any thread starts so that only sigwait below receives them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    try {
        // Configured exactly as mindset::web::HttpServer configures its server.
        auto params = new Poco::Net::HTTPServerParams;  // owned by the server (reference counted)
        params->setMaxThreads(settings.threads);
        params->setMaxQueued(settings.queue);
        params->setKeepAlive(true);
        params->setKeepAliveTimeout(Poco::Timespan(settings.keepAliveTimeoutSeconds, 0));
        params->setMaxKeepAliveRequests(settings.maxKeepAliveRequests);
        params->setTimeout(Poco::Timespan(settings.timeoutSeconds, 0));
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", settings.port), settings.backlog);
        Poco::ThreadPool threads(settings.minThreads, settings.threads);
        Poco::Net::HTTPServer server(new PageFactory(makePage(static_cast<std::size_t>(settings.pageBytes))), threads, socket, params);
        server.start();
        std::cout << "listening on 127.0.0.1:" << server.port() << " (threads " << settings.threads << ", queue "
                  << settings.queue << ", keep-alive " << settings.keepAliveTimeoutSeconds << " s / "
                  << settings.maxKeepAliveRequests << " requests, timeout " << settings.timeoutSeconds << " s)"
                  << std::endl;

        int received = 0;
        sigwait(&stopSignals, &received);
        server.stopAll(true);
        threads.joinAll();
    } catch (const Poco::Exception& e) {
        std::cerr << "mindset_bench_minimal_server: " << e.displayText() << "\n";
        return 1;
    }
    return 0;
}
