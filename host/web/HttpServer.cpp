#include "web/HttpServer.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include <poll.h>

#include <Poco/Delegate.h>
#include <Poco/Logger.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timestamp.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include "web/ClientOrigin.h"
#include "web/Compression.h"
#include "web/Templates.h"

namespace mindset::web {

namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

Response errorPage(int status, const std::string& message, const std::string& language) {
    const auto& t = messages(language);
    nlohmann::json view{{"lang", language}, {"title", t["errorTitle"]}, {"heading", t["errorTitle"]}, {"message", message}};
    return Response::html(renderPage("message", view), status);
}

/// Why the length of the request's body is ambiguous (RFC 9112 section 6.3), or empty. A proxy
/// in front of us may settle such a request differently than Poco does, and the two would
/// disagree about where the next request starts (request smuggling), so none of them is read.
std::string framingProblem(const Poco::Net::HTTPServerRequest& raw) {
    // Poco reads any third word of the request line as the version ("NOT A REQUEST").
    if (raw.getVersion() != Poco::Net::HTTPMessage::HTTP_1_1 && raw.getVersion() != Poco::Net::HTTPMessage::HTTP_1_0)
        return "The request line must end with HTTP/1.1 or HTTP/1.0.";
    const auto lengths = headerValues(raw, "Content-Length");
    const auto encodings = headerValues(raw, "Transfer-Encoding");
    if (!lengths.empty() && !encodings.empty())
        return "The request has both Content-Length and Transfer-Encoding; send one of them.";
    for (const auto& length : lengths)
        if (length != lengths.front())
            return "The request has several Content-Length values that differ (" + lengths.front() + ", " + length + ").";
    if (!encodings.empty() && (encodings.size() != 1 || Poco::toLower(encodings.front()) != "chunked"))
        return "Transfer-Encoding “" + raw.get("Transfer-Encoding") + "” is not accepted; send the body chunked or with a Content-Length.";
    return {};
}

/// Runs the route for one request; nothing thrown by a handler gets past it.
class BoundaryHandler final : public Poco::Net::HTTPRequestHandler {
public:
    BoundaryHandler(const std::atomic<std::shared_ptr<const Router>>& router, std::size_t maxBodyBytes,
                    const std::vector<Poco::Net::IPAddress>& trustedProxies, const std::atomic<const Poco::Net::TCPServer*>& server,
                    bool logRequests)
        : router_(router), maxBodyBytes_(maxBodyBytes), trustedProxies_(trustedProxies), server_(server), logRequests_(logRequests) {}

    void handleRequest(Poco::Net::HTTPServerRequest& raw, Poco::Net::HTTPServerResponse& out) override {
        const auto started = logRequests_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
        Response response;
        std::string language = "en";
        bool isClosing = false;
        const auto origin = clientOrigin(raw, trustedProxies_);
        if (const auto problem = framingProblem(raw); !problem.empty()) {
            // The body cannot be read safely, and so neither can anything after it: close.
            out.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
            send(raw, out, errorPage(400, problem, language), true, origin.isSecure);
            return;
        }
        try {
            response = dispatch(raw, language, origin);
        } catch (const HttpError& e) {
            response = errorPage(e.status(), e.what(), language);
            isClosing = !drainBody(raw);
        } catch (const std::exception& e) {
            logger().error("%s %s failed: %s", raw.getMethod(), pathOf(raw), std::string(e.what()));
            response = errorPage(500, messages(language)["serverError"], language);
            isClosing = true;
        } catch (...) {
            logger().error("%s %s failed with an unknown exception", raw.getMethod(), pathOf(raw));
            response = errorPage(500, messages(language)["serverError"], language);
            isClosing = true;
        }
        // A keep-alive connection holds its thread until it closes. When connections are queued
        // for a thread, end this one after its response so that nobody waits behind an idle client.
        const auto* server = server_.load();
        if (server && server->queuedConnections() > 0) isClosing = true;
        send(raw, out, response, isClosing, origin.isSecure);
        if (logRequests_) logRequest(raw, response.status, started);
    }

private:
    static Poco::Logger& logger() { return Poco::Logger::get("mindset.web"); }

    /// Reads and discards what is left of the request body, so that the client, still sending,
    /// receives our error page instead of a reset connection. Gives up past kMaxDrainBytes.
    static bool drainBody(Poco::Net::HTTPServerRequest& raw) {
        constexpr std::streamsize kMaxDrainBytes = 1 << 20;
        if (!hasBody(raw)) return true;
        if (raw.hasContentLength() && raw.getContentLength64() > kMaxDrainBytes) return false;
        try {
            char buffer[8192];
            std::streamsize drained = 0;
            auto& in = raw.stream();
            while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
                drained += in.gcount();
                if (drained > kMaxDrainBytes) return false;
            }
            return true;
        } catch (const std::exception&) {
            return false;
        }
    }

    // Only the path is logged: never the query, the client's address or its user agent.
    static std::string pathOf(const Poco::Net::HTTPServerRequest& raw) {
        const auto& uri = raw.getURI();
        return uri.substr(0, uri.find('?'));
    }

    /// "GET /surveys/riverside-2026/pages/2 200 1.3 ms": the path without its query (a code can
    /// ride in ?code=), no address, no time of day (the service manager's journal adds one).
    static void logRequest(const Poco::Net::HTTPServerRequest& raw, int status, std::chrono::steady_clock::time_point started) {
        const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
        char milliseconds[32];
        std::snprintf(milliseconds, sizeof milliseconds, "%.1f", took.count());
        // The path as sent, cut and with control characters replaced, so that one request stays one line.
        auto path = pathOf(raw).substr(0, 200);
        for (auto& c : path)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
        Poco::Logger::get("mindset.requests").information("%s %s %d %s ms", raw.getMethod(), path, status, std::string(milliseconds));
    }

    Response dispatch(Poco::Net::HTTPServerRequest& raw, std::string& language, const ClientOrigin& origin) {
        Poco::URI uri;
        std::map<std::string, std::string> query;
        try {
            uri = Poco::URI(raw.getURI());
            for (const auto& [name, value] : uri.getQueryParameters()) query.emplace(name, value);
        } catch (const Poco::Exception& e) {
            throw HttpError(400, "The address could not be read: " + e.displayText());
        }
        if (auto it = query.find("lang"); it != query.end()) language = interfaceLanguage(it->second);

        // The routes as they are now; a reload (HttpServer::replaceRouter) swaps in new ones, and
        // this request keeps the old ones alive until it is answered.
        const auto router = router_.load();
        const auto match = router->match(raw.getMethod(), uri.getPath());
        if (!match.route) {
            if (!match.isPathKnown) throw HttpError(404, messages(language)["notFound"]);
            std::string allowed;
            for (const auto& method : match.allowedMethods) allowed += (allowed.empty() ? "" : ", ") + method;
            auto response = errorPage(405, "This address does not accept " + raw.getMethod() + "; it accepts " + allowed + ".", language);
            response.headers.emplace_back("Allow", allowed);
            return response;
        }
        Request request{raw, raw.getMethod(), uri.getPath(), match.params, std::move(query), maxBodyBytes_, origin.address,
                        origin.isSecure};
        return match.route->handler(request);
    }

    static void send(Poco::Net::HTTPServerRequest& raw, Poco::Net::HTTPServerResponse& out, const Response& response,
                     bool isClosing, bool isSecure) {
        try {
            out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(response.status));
            out.setContentType(response.contentType);
            // add, not set: the response is fresh, and set() searches the headers first.
            out.add("Content-Security-Policy", kContentSecurityPolicy);
            out.add("X-Content-Type-Options", "nosniff");
            out.add("Referrer-Policy", "no-referrer");
            out.add("X-Frame-Options", "DENY");
            bool hasCacheControl = false;
            for (const auto& [name, value] : response.headers) {
                hasCacheControl = hasCacheControl || Poco::icompare(name, "Cache-Control") == 0;
                const bool isCookie = Poco::icompare(name, "Set-Cookie") == 0;
                // add, not set: Set-Cookie may repeat.
                out.add(name, isCookie && isSecure && Poco::toLower(value).find("; secure") == std::string::npos ? value + "; Secure" : value);
            }
            // Anything but a static asset may be personal (a leader's profile, an export): no cache keeps it.
            if (!hasCacheControl) out.add("Cache-Control", "no-store");
            if (isClosing) out.setKeepAlive(false);
            // Text goes gzip-compressed to a client that accepts it; a cache must then keep the two apart.
            const std::string* body = &response.body;
            std::string compressed;
            if (isCompressible(response.contentType)) {
                out.add("Vary", "Accept-Encoding");
                if (body->size() >= kMinCompressedBodyBytes && acceptsGzip(raw)) {
                    compressed = gzip(*body);
                    out.set("Content-Encoding", "gzip");
                    body = &compressed;
                }
            }
            out.setContentLength64(static_cast<Poco::Int64>(body->size()));
            sendWhole(raw, out, raw.getMethod() == "HEAD" ? std::string_view() : std::string_view(*body));
        } catch (const std::exception& e) {
            // The client went away mid-response; there is nobody left to tell.
            logger().debug("could not send the response: %s", std::string(e.what()));
        }
    }

    /// Writes the status line, headers and body with as few system calls as the kernel allows: one
    /// for a page of any size, where Poco's sendBuffer makes one per 4 KB of its stream buffer (the
    /// form page took four), each of which runs the whole TCP path on its own.
    static void sendWhole(Poco::Net::HTTPServerRequest& raw, Poco::Net::HTTPServerResponse& out, std::string_view body) {
        // KeepAliveConnection hands every handler an HTTPServerRequestImpl, which owns the connection.
        auto* request = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&raw);
        if (!request) throw std::logic_error("a request that did not come from a KeepAliveConnection has no connection to write to");
        std::ostringstream head;
        out.write(head);
        auto wire = std::move(head).str();
        wire.append(body);
        auto& socket = request->socket();
        for (std::size_t sent = 0; sent < wire.size();) {
            const auto chunk = static_cast<int>(std::min<std::size_t>(wire.size() - sent, 1 << 30));
            const auto n = socket.sendBytes(wire.data() + sent, chunk);
            if (n <= 0) throw std::runtime_error("the connection closed while the response was being sent");
            sent += static_cast<std::size_t>(n);
        }
    }

    const std::atomic<std::shared_ptr<const Router>>& router_;
    std::size_t maxBodyBytes_;
    const std::vector<Poco::Net::IPAddress>& trustedProxies_;
    const std::atomic<const Poco::Net::TCPServer*>& server_;
    bool logRequests_;
};

}  // namespace

/// Makes the boundary handler for each request, and tells connections when the server stops.
class BoundaryFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    BoundaryFactory(const std::atomic<std::shared_ptr<const Router>>& router, std::size_t maxBodyBytes,
                    const std::vector<Poco::Net::IPAddress>& trustedProxies, const std::atomic<const Poco::Net::TCPServer*>& server,
                    bool logRequests)
        : router_(router), maxBodyBytes_(maxBodyBytes), trustedProxies_(trustedProxies), server_(server), logRequests_(logRequests) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new BoundaryHandler(router_, maxBodyBytes_, trustedProxies_, server_, logRequests_);
    }
    /// Raised by HttpServer::stop: every open connection ends (true: at once, mid-request too).
    Poco::BasicEvent<const bool>& stopped() { return serverStopped; }

private:
    const std::atomic<std::shared_ptr<const Router>>& router_;
    std::size_t maxBodyBytes_;
    const std::vector<Poco::Net::IPAddress>& trustedProxies_;
    const std::atomic<const Poco::Net::TCPServer*>& server_;
    bool logRequests_;
};

namespace {

/// A connection's HTTP session that waits for the next request with one poll(2). Poco 1.11's
/// Socket::poll creates an epoll instance, adds the socket, waits and closes it: four system calls
/// every time a keep-alive connection waits, a sixth of the form page's server time (issue 12).
class KeepAliveSession final : public Poco::Net::HTTPServerSession {
public:
    using HTTPServerSession::HTTPServerSession;

    /// Whether the next request's first bytes arrive within `timeout`. They are read into the
    /// session's buffer, where hasMoreRequests() finds them without polling again.
    bool awaitNextRequest(Poco::Timespan timeout) {
        if (buffered() > 0) return true;
        pollfd readable{socket().impl()->sockfd(), POLLIN, 0};
        int ready = 0;
        do ready = ::poll(&readable, 1, static_cast<int>(timeout.totalMilliseconds()));
        while (ready < 0 && errno == EINTR);
        if (ready <= 0) return false;  // the keep-alive time is over
        try {
            peek();  // reads what arrived; nothing when the client closed
        } catch (const Poco::Exception&) {
            return false;  // reset by the client
        }
        return buffered() > 0;
    }
};

/// Poco's HTTPServerConnection loop (1.11), request for request, but for how it waits between
/// keep-alive requests (KeepAliveSession).
class KeepAliveConnection final : public Poco::Net::TCPServerConnection {
public:
    KeepAliveConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                        Poco::SharedPtr<BoundaryFactory> factory)
        : TCPServerConnection(socket), params_(std::move(params)), factory_(std::move(factory)) {
        factory_->stopped() += Poco::delegate(this, &KeepAliveConnection::onServerStopped);
    }

    ~KeepAliveConnection() override {
        try {
            factory_->stopped() -= Poco::delegate(this, &KeepAliveConnection::onServerStopped);
        } catch (...) {
        }
    }

    void run() override {
        KeepAliveSession session(socket(), params_);
        for (bool isFirst = true; !stopped_; isFirst = false) {
            if (!isFirst && !(session.getKeepAlive() && session.canKeepAlive() &&
                              session.awaitNextRequest(params_->getKeepAliveTimeout())))
                break;
            if (!session.hasMoreRequests()) break;
            try {
                Poco::FastMutex::ScopedLock lock(mutex_);
                if (stopped_) break;
                answerOne(session);
            } catch (const Poco::Net::NoMessageException&) {
                break;  // the client closed between requests
            } catch (const Poco::Net::MessageException&) {
                sendError(session, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
            } catch (const Poco::Exception&) {
                if (session.networkException()) session.networkException()->rethrow();
                throw;
            }
        }
    }

private:
    void answerOne(KeepAliveSession& session) {
        Poco::Net::HTTPServerResponseImpl response(session);
        Poco::Net::HTTPServerRequestImpl request(response, session, params_);
        response.setDate(Poco::Timestamp());
        response.setVersion(request.getVersion());
        response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() && session.canKeepAlive());
        try {
            std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(factory_->createRequestHandler(request));
            if (request.getExpectContinue() && response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) response.sendContinue();
            handler->handleRequest(request, response);
            session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() && session.canKeepAlive());
        } catch (const Poco::Exception&) {
            if (!response.sent()) {
                try {
                    sendError(session, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
                } catch (...) {
                }
            }
            throw;
        }
    }

    static void sendError(KeepAliveSession& session, Poco::Net::HTTPResponse::HTTPStatus status) {
        Poco::Net::HTTPServerResponseImpl response(session);
        response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
        response.setStatusAndReason(status);
        response.setKeepAlive(false);
        response.send();
        session.setKeepAlive(false);
    }

    void onServerStopped(const bool& abortCurrent) {
        stopped_ = true;
        // Aborting shuts the socket down under a request in progress; otherwise wait for it.
        std::unique_ptr<Poco::FastMutex::ScopedLock> lock;
        if (!abortCurrent) lock = std::make_unique<Poco::FastMutex::ScopedLock>(mutex_);
        try {
            socket().shutdown();
        } catch (...) {
        }
    }

    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::SharedPtr<BoundaryFactory> factory_;
    std::atomic<bool> stopped_{false};
    Poco::FastMutex mutex_;
};

class ConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    ConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::SharedPtr<BoundaryFactory> handlers)
        : params_(std::move(params)), handlers_(std::move(handlers)) {}
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
        return new KeepAliveConnection(socket, params_, handlers_);
    }

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::SharedPtr<BoundaryFactory> handlers_;
};

}  // namespace

ListeningSocket::ListeningSocket(const ServerOptions& options) {
    const auto where = options.host + ":" + std::to_string(options.port);
    try {
        socket_ = std::make_unique<Poco::Net::ServerSocket>();
        // SO_REUSEADDR lets a restarted server listen while old connections wait out TIME_WAIT; on
        // Linux it never lets two sockets listen on one port. SO_REUSEPORT would, so it stays off.
        socket_->bind(Poco::Net::SocketAddress(options.host, options.port), /*reuseAddress=*/true, /*reusePort=*/false);
        socket_->listen(256);
    } catch (const Poco::Exception& e) {
        if (e.code() == EADDRINUSE)
            throw ListenError("port " + std::to_string(options.port) + " on " + options.host +
                              " is already in use, perhaps by another `mindset serve`: stop that one, or choose another "
                              "port with --port N");
        throw ListenError("cannot listen on " + where + ": " + e.displayText());
    }
}

ListeningSocket::~ListeningSocket() = default;
ListeningSocket::ListeningSocket(ListeningSocket&&) noexcept = default;
ListeningSocket& ListeningSocket::operator=(ListeningSocket&&) noexcept = default;

unsigned short ListeningSocket::port() const { return socket_->address().port(); }

HttpServer::HttpServer(Router router, const ServerOptions& options)
    : HttpServer(std::move(router), options, ListeningSocket(options)) {}

HttpServer::HttpServer(Router router, const ServerOptions& options, ListeningSocket socket)
    : HttpServer(std::make_shared<const Router>(std::move(router)), options, std::move(socket)) {}

HttpServer::HttpServer(std::shared_ptr<const Router> router, const ServerOptions& options, ListeningSocket socket)
    : router_(std::move(router)), trustedProxies_(parseTrustedProxies(options.trustedProxies)) {
    Poco::Net::HTTPServerParams::Ptr params(new Poco::Net::HTTPServerParams);
    params->setMaxThreads(options.threads);
    params->setMaxQueued(options.queueLength);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(options.keepAliveTimeoutSeconds, 0));
    params->setMaxKeepAliveRequests(options.maxKeepAliveRequests);
    params->setTimeout(Poco::Timespan(options.requestTimeoutSeconds, 0));
    threads_ = std::make_unique<Poco::ThreadPool>(2, options.threads);
    handlers_ = new BoundaryFactory(router_, options.maxBodyBytes, trustedProxies_, running_, options.logRequests);
    server_ = std::make_unique<Poco::Net::TCPServer>(new ConnectionFactory(params, handlers_), *threads_, *socket.socket_, params);
    running_ = server_.get();
}

HttpServer::~HttpServer() {
    running_ = nullptr;
    stop();
    server_.reset();  // before the thread pool it runs on
}

void HttpServer::start() { server_->start(); }

void HttpServer::replaceRouter(std::shared_ptr<const Router> router) { router_.store(std::move(router)); }

void HttpServer::stop() {
    if (!server_) return;
    server_->stop();
    handlers_->stopped()(this, true);
}

unsigned short HttpServer::port() const { return server_->port(); }

}  // namespace mindset::web
