#pragma once
/// The small request/response vocabulary that handlers speak; the Boundary adapts it to Poco.

#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace Poco::Net {
class HTTPServerRequest;
}

namespace mindset::web {

/// An error the respondent or client caused (404, 400, 405, 413 ...). The Boundary renders it
/// as an error page in the request's language; `message` is shown to the person.
class HttpError : public std::runtime_error {
public:
    HttpError(int status, std::string message) : std::runtime_error(std::move(message)), status_(status) {}
    int status() const { return status_; }

private:
    int status_;
};

/// Whether the request carries a body: a Content-Length or chunked Transfer-Encoding (RFC 9112,
/// 6.3); without either it has none, whatever its method.
bool hasBody(const Poco::Net::HTTPServerRequest& raw);

struct Request {
    Poco::Net::HTTPServerRequest& raw;
    std::string method;
    std::string path;
    std::map<std::string, std::string> pathParams;  ///< from {name} segments of the route
    std::map<std::string, std::string> query;       ///< first value of each query parameter
    std::size_t maxBodyBytes;
    /// Where the request came from, as the boundary worked it out (web/ClientOrigin.h): the peer's
    /// address, or what a trusted proxy says. Never store or log it.
    std::string clientAddress = {};
    /// True when the browser reached us over HTTPS, directly or through a trusted proxy.
    bool isSecure = false;

    /// The query parameter, or `fallback`.
    std::string queryValue(const std::string& name, const std::string& fallback = {}) const {
        auto it = query.find(name);
        return it == query.end() ? fallback : it->second;
    }
    /// The request body; throws HttpError 413 when it is larger than maxBodyBytes.
    std::string readBody() const;
    /// The fields of an application/x-www-form-urlencoded body, in order, duplicates kept.
    /// Throws HttpError 415 for another content type, 413 when too large, 400 when malformed
    /// (including a name or value that is not valid UTF-8).
    std::vector<std::pair<std::string, std::string>> readForm() const;
    /// The value of cookie `name`, or empty.
    std::string cookie(const std::string& name) const;
};

struct Response {
    int status = 200;
    std::string contentType = "text/html; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    static Response html(std::string body, int status = 200) { return {status, "text/html; charset=utf-8", std::move(body), {}}; }
    static Response redirect(const std::string& location) { return {303, "text/plain; charset=utf-8", "", {{"Location", location}}}; }
    /// Adds a Set-Cookie header; `attributes` e.g. "Path=/; HttpOnly; SameSite=Strict".
    Response& setCookie(const std::string& name, const std::string& value, const std::string& attributes) {
        headers.emplace_back("Set-Cookie", name + "=" + value + "; " + attributes);
        return *this;
    }
};

/// The first value of form field `name`, or empty.
/// The value of cookie `name` in one Cookie header ("a=1; b=2"), without surrounding quotes;
/// nullopt when the header has no such cookie. Names are compared exactly (RFC 6265).
std::optional<std::string_view> cookieValue(std::string_view header, std::string_view name);

std::string formValue(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& name);

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool isValidUtf8(std::string_view text);

}  // namespace mindset::web
