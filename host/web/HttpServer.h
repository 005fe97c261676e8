#pragma once
/// The HTTP front door: a Poco HTTPServer whose one request handler (the boundary) routes each
/// request, turns every exception into an error page, and adds the security headers. At the
/// boundary, for every request:
/// - a body whose length is ambiguous (Content-Length with Transfer-Encoding, several differing
///   Content-Length values, a Transfer-Encoding other than chunked) gets 400 and the connection
///   is closed, so that no proxy in front of us can read a request differently than we do;
/// - every response without a Cache-Control of its own (all but static assets) gets
///   `Cache-Control: no-store`: signed-in pages, JSON, CSV and exports stay out of caches;
/// - every cookie gets `Secure` when the browser came over HTTPS (web/ClientOrigin.h).

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <Poco/Net/IPAddress.h>

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
    /// Peers whose X-Forwarded-For and X-Forwarded-Proto headers are believed (`--trusted-proxy`,
    /// see web/ClientOrigin.h); from any other peer those headers are ignored.
    std::vector<std::string> trustedProxies = {};
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
    std::vector<Poco::Net::IPAddress> trustedProxies_;
    std::atomic<const Poco::Net::HTTPServer*> running_{nullptr};  ///< read by handlers for fairness
    std::unique_ptr<Poco::ThreadPool> threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace mindset::web
