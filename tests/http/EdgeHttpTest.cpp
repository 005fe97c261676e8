#include <catch2/catch.hpp>

#include <thread>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "auth/Passwords.h"
#include "support/TestSite.h"
#include "web/HttpServer.h"
#include "web/Router.h"

using namespace mindset;
using testing::encodeForm;
using testing::TestSite;

namespace {

/// A site whose one route answers with what the boundary worked out about the client.
web::Router originEcho() {
    return web::Router({{"GET", "/origin", [](const web::Request& request) {
                             web::Response response{200, "text/plain; charset=utf-8",
                                                    request.clientAddress + (request.isSecure ? " https" : " http"), {}};
                             response.setCookie("probe", "1", "Path=/; HttpOnly");
                             return response;
                         }},
                         {"POST", "/echo", [](const web::Request& request) {
                             return web::Response{200, "text/plain; charset=utf-8", request.readBody(), {}};
                         }},
                         // Not compressible: the bytes arrive as made.
                         {"GET", "/large", [](const web::Request&) {
                             std::string body(300'000, 'x');
                             for (std::size_t i = 0; i < body.size(); i += 1000) body[i] = static_cast<char>('a' + i / 1000 % 26);
                             return web::Response{200, "application/octet-stream", body, {}};
                         }}});
}

std::string statusLine(const std::string& answer) { return answer.substr(0, answer.find("\r\n")); }

/// A client's end of one connection, reading with a 5 s limit (a Poco TimeoutException past it).
struct RawConnection {
    Poco::Net::StreamSocket socket;
    explicit RawConnection(unsigned short port) : socket(Poco::Net::SocketAddress("127.0.0.1", port)) {
        socket.setReceiveTimeout(Poco::Timespan(5, 0));
    }
    void send(const std::string& bytes) { socket.sendBytes(bytes.data(), static_cast<int>(bytes.size())); }
    /// Reads until `ending` has arrived (a response of known body) or the server closed.
    std::string readUntil(const std::string& ending) {
        std::string got;
        char buffer[4096];
        while (!got.ends_with(ending)) {
            const int n = socket.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) break;
            got.append(buffer, static_cast<std::size_t>(n));
        }
        return got;
    }
    std::string readUntilClosed() { return readUntil("\n(never sent)"); }
    /// Whether the server closed the connection (rather than sending more) within 5 s.
    bool isClosedByServer() {
        char byte = 0;
        return socket.receiveBytes(&byte, 1) == 0;
    }
};

}  // namespace

TEST_CASE("X-Forwarded-For and X-Forwarded-Proto count only from a peer named with --trusted-proxy", "[http]") {
    TestSite site(originEcho());
    const std::map<std::string, std::string> forwarded{{"X-Forwarded-For", "198.51.100.7, 203.0.113.9"},
                                                       {"X-Forwarded-Proto", "https"}};
    const auto untrusted = site.send("GET", "/origin", "", "", forwarded);
    CHECK(untrusted.body == "127.0.0.1 http");
    CHECK(untrusted.header("Set-Cookie") == "probe=1; Path=/; HttpOnly");

    site.trustProxies({"127.0.0.1"});
    const auto trusted = site.send("GET", "/origin", "", "", forwarded);
    CHECK(trusted.body == "203.0.113.9 https");  // the address the proxy saw, not what the client wrote before it
    CHECK(trusted.header("Set-Cookie") == "probe=1; Path=/; HttpOnly; Secure");
    CHECK(site.send("GET", "/origin", "", "", {{"X-Forwarded-Proto", "http"}}).body == "127.0.0.1 http");

    site.trustProxies({"10.1.2.3"});  // some other proxy: this peer is not it
    CHECK(site.send("GET", "/origin", "", "", forwarded).body == "127.0.0.1 http");
    CHECK_THROWS_WITH(site.trustProxies({"not-an-address"}),
                      Catch::Contains("--trusted-proxy expects an IPv4 or IPv6 address") && Catch::Contains("not-an-address"));
}

TEST_CASE("a request whose body length is ambiguous gets 400 and its connection is closed", "[http]") {
    TestSite site(originEcho());
    const std::string head = "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n";

    const auto both = site.sendRaw(head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    CHECK(statusLine(both) == "HTTP/1.1 400 Bad Request");
    CHECK(both.find("both Content-Length and Transfer-Encoding") != std::string::npos);
    CHECK(both.find("Connection: Close") != std::string::npos);

    const auto twoLengths = site.sendRaw(head + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
    CHECK(statusLine(twoLengths) == "HTTP/1.1 400 Bad Request");
    CHECK(twoLengths.find("several Content-Length values that differ (5, 6)") != std::string::npos);

    const auto gzip = site.sendRaw(head + "Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    CHECK(statusLine(gzip) == "HTTP/1.1 400 Bad Request");
    CHECK(gzip.find("Transfer-Encoding “gzip, chunked” is not accepted") != std::string::npos);

    // The unambiguous forms still work.
    const auto chunked = site.sendRaw(head + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    CHECK(statusLine(chunked) == "HTTP/1.1 200 OK");
    CHECK(chunked.ends_with("hello"));
    const auto sameLength = site.sendRaw(head + "Content-Length: 5\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    CHECK(statusLine(sameLength) == "HTTP/1.1 200 OK");
}

TEST_CASE("a response arrives whole, headers and body in one piece; HEAD gets the headers alone", "[http]") {
    // The server writes the status line, headers and body itself (web/HttpServer.cpp, sendWhole).
    TestSite site(originEcho());
    const auto get = site.sendRaw("GET /large HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    CHECK(statusLine(get) == "HTTP/1.1 200 OK");
    const auto bodyAt = get.find("\r\n\r\n");
    REQUIRE(bodyAt != std::string::npos);
    CHECK(get.find("Content-Length: 300000\r\n") < bodyAt);
    CHECK(get.find("Content-Security-Policy: ") < bodyAt);
    const auto body = get.substr(bodyAt + 4);
    REQUIRE(body.size() == 300'000);
    for (std::size_t i = 0; i < body.size(); i += 1000) CHECK(body[i] == static_cast<char>('a' + i / 1000 % 26));

    const auto head = site.sendRaw("HEAD /large HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    CHECK(statusLine(head) == "HTTP/1.1 200 OK");
    CHECK(head.find("Content-Length: 300000\r\n") != std::string::npos);
    CHECK(head.ends_with("\r\n\r\n"));

    // Keep-alive: two requests on one connection get two whole answers.
    const auto twice = site.sendRaw("GET /origin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /origin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    CHECK(twice.find("HTTP/1.1 200 OK") == 0);
    CHECK(twice.find("HTTP/1.1 200 OK", 1) != std::string::npos);
    CHECK(twice.ends_with("127.0.0.1 http"));
}

TEST_CASE("a keep-alive connection answers each request when it comes, ends after its idle time, and ends when the server stops", "[http]") {
    // web/HttpServer.cpp runs Poco's connection loop with its own wait between requests.
    const web::Router router({{"GET", "/hello", [](const web::Request&) { return web::Response{200, "text/plain", "hello!", {}}; }}});
    auto startServer = [&router](int keepAliveSeconds) {
        web::ServerOptions options;
        options.port = 0;
        options.keepAliveTimeoutSeconds = keepAliveSeconds;
        auto server = std::make_unique<web::HttpServer>(router, options);
        server->start();
        return server;
    };
    const std::string request = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    auto isAnswered = [&request](RawConnection& client) {
        client.send(request);
        const auto answer = client.readUntil("hello!");
        return statusLine(answer) == "HTTP/1.1 200 OK" && answer.find("Connection: Keep-Alive") != std::string::npos;
    };
    {
        const auto server = startServer(1);
        RawConnection client(server->port());
        CHECK(isAnswered(client));
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the next request comes later
        CHECK(isAnswered(client));
        CHECK(client.isClosedByServer());  // idle for a second: closed, not left holding a thread

        RawConnection closing(server->port());  // a client that closes between requests frees its thread
        CHECK(isAnswered(closing));
        closing.socket.close();

        RawConnection garbled(server->port());
        garbled.send(request + "NOT A REQUEST\r\n\r\n");
        const auto answers = garbled.readUntilClosed();  // the first answered, the second refused, then closed
        CHECK(statusLine(answers) == "HTTP/1.1 200 OK");
        CHECK(answers.find("HTTP/1.1 400 Bad Request\r\n", 1) != std::string::npos);
        CHECK(answers.find("The request line must end with HTTP/1.1 or HTTP/1.0.") != std::string::npos);
    }
    // A connection waiting for its next request ends when the server stops, long before its idle time.
    const auto server = startServer(60);
    RawConnection client(server->port());
    CHECK(isAnswered(client));
    server->stop();
    CHECK(client.isClosedByServer());
}

TEST_CASE("a request with neither Content-Length nor Transfer-Encoding has no body, and is answered at once", "[http]") {
    // RFC 9112, 6.3. Read to the end of the connection, its answer would wait for the client to give up.
    TestSite site(originEcho());
    // sendRaw gives up after 2 s, before the server's 5 s request timeout would end a wait for the body.
    const auto answers =
        site.sendRaw("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /origin HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    CHECK(statusLine(answers) == "HTTP/1.1 200 OK");
    CHECK(answers.find("Content-Length: 0\r\n") != std::string::npos);  // the POST's empty echo
    CHECK(answers.ends_with("127.0.0.1 http"));                           // the GET after it, read as a request
}

TEST_CASE("every response to a signed-in request is Cache-Control: no-store, JSON and CSV included", "[http]") {
    TestSite site;
    REQUIRE(site.store().createAccount({0, "ana", auth::hashPassword("correct horse battery"), std::nullopt, "2026-08-15"}));
    REQUIRE(site.signIn("ana", "correct horse battery").status == 303);
    const auto survey = site.survey().id;
    for (const auto& path : {std::string("/leader"), "/leader/surveys/" + survey, "/api/surveys/" + survey + "/profile",
                             "/leader/surveys/" + survey + "/tables/scales.csv",
                             "/api/surveys/" + survey + "/participation", "/leader/surveys/" + survey + "/nothing-here"}) {
        INFO(path);
        const auto reply = site.get(path);
        CHECK(reply.header("Cache-Control") == "no-store");
    }
    CHECK(site.get("/static/mindset.css").header("Cache-Control") == "public, max-age=300");
}

TEST_CASE("a survey's cookies are Secure when a trusted proxy says the browser used https", "[http]") {
    TestSite site;
    site.trustProxies({"127.0.0.1"});
    const std::map<std::string, std::string> https{{"X-Forwarded-Proto", "https"}};
    const auto landing = site.send("GET", "/surveys/" + site.survey().id, "", "", https);
    REQUIRE(landing.header("Set-Cookie").starts_with("mindset_csrf="));
    CHECK(landing.header("Set-Cookie").ends_with("; Secure"));
    const auto started = site.send("POST", "/surveys/" + site.survey().id + "/start",
                                   encodeForm({{"csrf", site.csrf()}, {"lang", "en"}}), "application/x-www-form-urlencoded", https);
    REQUIRE(started.status == 303);
    CHECK(started.header("Set-Cookie").starts_with("mindset_draft_"));
    CHECK(started.header("Set-Cookie").ends_with("; Secure"));
}

TEST_CASE("a client cannot escape the sign-in throttle by writing its own X-Forwarded-For", "[http]") {
    TestSite site;
    int refusedAt = 0;
    for (int attempt = 1; attempt <= 22 && refusedAt == 0; ++attempt) {
        const auto body = encodeForm({{"csrf", site.csrf()}, {"lang", "en"}, {"next", "/leader"},
                                      {"username", "guess" + std::to_string(attempt)}, {"password", "wrong password"}});
        const auto reply = site.send("POST", "/login", body, "application/x-www-form-urlencoded",
                                     {{"X-Forwarded-For", "192.0.2." + std::to_string(attempt)}});
        if (reply.status == 429) refusedAt = attempt;
    }
    CHECK(refusedAt == 21);  // 20 failures from one address, whatever the header says
}
