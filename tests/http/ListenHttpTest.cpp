// `mindset serve` on a port already in use must fail (issue 14), not share the port with the first
// server: with SO_REUSEPORT the kernel would split connections between two servers and two databases.
#include <catch2/catch.hpp>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include "web/HttpServer.h"

using namespace mindset;

namespace {

/// A server whose one page says `name`, so a reply tells which server answered.
web::Router namedRouter(const std::string& name) {
    return web::Router({{"GET", "/", [name](const web::Request&) { return web::Response::html(name); }}});
}

std::string whoAnswers(unsigned short port) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    Poco::Net::HTTPRequest request("GET", "/", Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    std::getline(session.receiveResponse(response), body);
    return body;
}

}  // namespace

TEST_CASE("a second server on a port in use is refused, and the first keeps every connection", "[http]") {
    web::ServerOptions options;
    options.port = 0;
    web::HttpServer first(namedRouter("first"), options);
    first.start();
    options.port = first.port();
    const auto expected = "port " + std::to_string(first.port()) +
                          " on 127.0.0.1 is already in use, perhaps by another `mindset serve`: stop that one, or choose "
                          "another port with --port N";
    CHECK_THROWS_WITH(web::ListeningSocket(options), expected);
    CHECK_THROWS_AS(web::HttpServer(namedRouter("second"), options), web::ListenError);
    for (int i = 0; i < 8; ++i) CHECK(whoAnswers(first.port()) == "first");
}

TEST_CASE("an address that is not this machine's is refused with the address", "[http]") {
    web::ServerOptions options;
    options.port = 0;
    options.host = "192.0.2.1";  // TEST-NET-1: never a local address
    CHECK_THROWS_WITH(web::ListeningSocket(options), Catch::StartsWith("cannot listen on 192.0.2.1:0: "));
}

TEST_CASE("a socket opened before the server starts is the one it serves on", "[http]") {
    web::ServerOptions options;
    options.port = 0;
    web::ListeningSocket socket(options);
    const auto port = socket.port();
    REQUIRE(port != 0);
    web::HttpServer server(namedRouter("early"), options, std::move(socket));
    server.start();
    CHECK(server.port() == port);
    CHECK(whoAnswers(port) == "early");
}
