#pragma once
/// gzip for text responses: whether a client accepts it (Accept-Encoding, RFC 9110 section 12.5.3)
/// and the compression itself (Poco's DeflatingOutputStream). The boundary (web/HttpServer) applies
/// it to every HTML, JSON, CSV and CSS response: a district's years-compared page is ~10x smaller.

#include <cstddef>
#include <string>
#include <string_view>

namespace Poco::Net {
class HTTPServerRequest;
}

namespace mindset::web {

/// Bodies shorter than this are sent as they are: gzip's own 18 bytes and a round trip of CPU buy nothing.
inline constexpr std::size_t kMinCompressedBodyBytes = 256;

/// True when the request's Accept-Encoding accepts gzip: "gzip" or "x-gzip" (or "*") with a q-value
/// above 0. No header, "identity", or "gzip;q=0" is false.
bool acceptsGzip(const Poco::Net::HTTPServerRequest& request);

/// True for content types worth compressing: text/* and application/json.
bool isCompressible(std::string_view contentType);

/// `body` as a gzip member (RFC 1952), default compression level.
std::string gzip(std::string_view body);

}  // namespace mindset::web
