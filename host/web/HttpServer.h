#pragma once
/// The HTTP front door: a Poco HTTPServer whose one request handler (the boundary) routes each
/// request, turns every exception into an error page, and adds the security headers.

#include <atomic>
#include <cstddef>
#include <memory>

#include "web/Router.h"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace mindset::web {

/// Poco's HTTPServer gives each connection a thread for the connection's whole life, so these
/// numbers decide whether an idle or slow client can starve the others (see docs/architecture.md).
struct ServerOptions {
    unsigned short port = 8080;  ///< 0 picks a free port (tests)
    std::string host = "127.0.0.1";
    int threads = 64;             ///< threads block on idle sockets, so many are cheap (memory, not CPU)
    int queueLength = 128;        ///< connections waiting for a thread; beyond it Poco refuses them
    std::size_t maxBodyBytes = 64 * 1024;
    int keepAliveTimeoutSeconds = 2;  ///< an idle keep-alive connection gives its thread back after this
    int maxKeepAliveRequests = 1000;
    int requestTimeoutSeconds = 5;  ///< a client silent this long mid-request is dropped
};

class HttpServer {
public:
    HttpServer(Router router, const ServerOptions& options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    void start();
    void stop();
    /// The port actually listened on (useful with port 0).
    unsigned short port() const;

private:
    Router router_;
    std::atomic<const Poco::Net::HTTPServer*> running_{nullptr};  ///< read by handlers for fairness
    std::unique_ptr<Poco::ThreadPool> threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace mindset::web
