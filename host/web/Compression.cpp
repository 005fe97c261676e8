#include "web/Compression.h"

#include <optional>
#include <sstream>

#include <Poco/DeflatingStream.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include "web/ClientOrigin.h"

namespace mindset::web {

namespace {

/// The q-value of one Accept-Encoding element ("gzip;q=0.5"): 1 without one, 0 when unreadable
/// (a client that sends nonsense gets the plain body, which every client reads).
double qValueOf(const std::string& element) {
    std::size_t at = element.find(';');
    while (at != std::string::npos) {
        const auto next = element.find(';', at + 1);
        const auto parameter = Poco::trim(element.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1));
        if (parameter.size() > 2 && Poco::icompare(parameter.substr(0, 2), "q=") == 0) {
            double q = 0;
            return Poco::NumberParser::tryParseFloat(parameter.substr(2), q) && q >= 0 && q <= 1 ? q : 0;
        }
        at = next;
    }
    return 1;
}

}  // namespace

bool acceptsGzip(const Poco::Net::HTTPServerRequest& request) {
    std::optional<double> gzipQ, anyQ;
    for (const auto& element : headerValues(request, "Accept-Encoding")) {
        const auto coding = Poco::toLower(Poco::trim(element.substr(0, element.find(';'))));
        if (coding == "gzip" || coding == "x-gzip") gzipQ = qValueOf(element);
        else if (coding == "*") anyQ = qValueOf(element);
    }
    // A named coding overrides "*" (RFC 9110: "*" matches any coding not listed).
    if (gzipQ) return *gzipQ > 0;
    return anyQ && *anyQ > 0;
}

bool isCompressible(std::string_view contentType) {
    const auto type = Poco::toLower(std::string(contentType.substr(0, contentType.find(';'))));
    return type.starts_with("text/") || Poco::trim(type) == "application/json";
}

std::string gzip(std::string_view body) {
    std::ostringstream out;
    {
        Poco::DeflatingOutputStream deflater(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
        deflater.write(body.data(), static_cast<std::streamsize>(body.size()));
        deflater.close();
    }
    return std::move(out).str();
}

}  // namespace mindset::web
