#pragma once
/// The HTTP front door: Poco's TCPServer running Poco's HTTP sessions (the loop of Poco's
/// HTTPServerConnection, but waiting for a keep-alive request with one poll), whose one request
/// handler (the boundary) routes each request, turns every exception into an error page, and adds
/// the security headers. At the boundary, for every request:
/// - a body whose length is ambiguous (Content-Length with Transfer-Encoding, several differing
///   Content-Length values, a Transfer-Encoding other than chunked) gets 400 and the connection
///   is closed, so that no proxy in front of us can read a request differently than we do;
/// - every response without a Cache-Control of its own (all but static assets) gets
///   `Cache-Control: no-store`: signed-in pages, JSON, CSV and exports stay out of caches;
/// - every cookie gets `Secure` when the browser came over HTTPS (web/ClientOrigin.h).

#include <atomic>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <Poco/Net/IPAddress.h>
#include <Poco/SharedPtr.h>

#include "web/Router.h"

namespace Poco {
class ThreadPool;
namespace Net {
class ServerSocket;
class TCPServer;
}
}  // namespace Poco

namespace mindset::web {

/// Poco's TCPServer gives each connection a thread for the connection's whole life, so these
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
    /// One line per request on the "mindset.requests" logger (standard error): method, path, status
    /// and milliseconds; never the query, the client's address, a cookie or the body (`serve
    /// --log-requests`, docs/deploying.md#logs).
    bool logRequests = false;
};

/// The server cannot listen where it was asked to: the port is taken (by another `mindset serve`
/// or another program), or the address is not this machine's. The message says which and what to do.
class ListenError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A socket listening on options.host:options.port, opened before anything else starts so that a
/// server whose port is taken fails at once. It does not share the port: without SO_REUSEPORT a
/// second server on the same port is refused (with it, the kernel would split the connections
/// between two servers and their two databases).
class ListeningSocket {
public:
    /// Throws ListenError.
    explicit ListeningSocket(const ServerOptions& options);
    ~ListeningSocket();
    ListeningSocket(ListeningSocket&&) noexcept;
    ListeningSocket& operator=(ListeningSocket&&) noexcept;
    /// The port actually listened on (useful with port 0).
    unsigned short port() const;

private:
    friend class HttpServer;
    std::unique_ptr<Poco::Net::ServerSocket> socket_;
};

class BoundaryFactory;

class HttpServer {
public:
    /// Listens as ListeningSocket does (throws ListenError) and serves `router` once started.
    HttpServer(Router router, const ServerOptions& options);
    /// Serves `router` on a socket opened earlier.
    HttpServer(Router router, const ServerOptions& options, ListeningSocket socket);
    /// Serves shared routes (which may keep their site alive) on a socket opened earlier.
    HttpServer(std::shared_ptr<const Router> router, const ServerOptions& options, ListeningSocket socket);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    void start();
    void stop();
    /// Serves `router` from the next request on; requests under way finish on the routes they
    /// started with (each holds its own reference). `serve` swaps in routes over reloaded surveys.
    void replaceRouter(std::shared_ptr<const Router> router);
    /// The port actually listened on (useful with port 0).
    unsigned short port() const;

private:
    std::atomic<std::shared_ptr<const Router>> router_;
    std::vector<Poco::Net::IPAddress> trustedProxies_;
    std::atomic<const Poco::Net::TCPServer*> running_{nullptr};  ///< read by handlers for fairness
    Poco::SharedPtr<BoundaryFactory> handlers_;
    std::unique_ptr<Poco::ThreadPool> threads_;
    std::unique_ptr<Poco::Net::TCPServer> server_;
};

}  // namespace mindset::web
