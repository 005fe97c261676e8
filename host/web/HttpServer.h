#pragma once
/// The HTTP front door: a Poco HTTPServer whose one request handler (the boundary) routes each
/// request, turns every exception into an error page, and adds the security headers.

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

struct ServerOptions {
    unsigned short port = 8080;  ///< 0 picks a free port (tests)
    std::string host = "127.0.0.1";
    int threads = 16;
    int queueLength = 256;
    std::size_t maxBodyBytes = 64 * 1024;
    int keepAliveTimeoutSeconds = 5;
    int maxKeepAliveRequests = 100;
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
    std::unique_ptr<Poco::ThreadPool> threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace mindset::web
