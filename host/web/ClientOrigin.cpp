#include "web/ClientOrigin.h"

#include <algorithm>
#include <stdexcept>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/String.h>
#include <Poco/Net/SocketAddress.h>

namespace mindset::web {

namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

bool isTrusted(const Poco::Net::IPAddress& address, const std::vector<Poco::Net::IPAddress>& trustedProxies) {
    return std::find(trustedProxies.begin(), trustedProxies.end(), address) != trustedProxies.end();
}

}  // namespace

std::vector<std::string> headerValues(const Poco::Net::HTTPServerRequest& request, const std::string& name) {
    std::vector<std::string> values;
    for (auto it = request.find(name); it != request.end() && Poco::icompare(it->first, name) == 0; ++it) {
        std::size_t start = 0;
        for (;;) {
            const auto comma = it->second.find(',', start);
            values.push_back(trimmed(it->second.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    }
    return values;
}

std::vector<Poco::Net::IPAddress> parseTrustedProxies(const std::vector<std::string>& addresses) {
    std::vector<Poco::Net::IPAddress> parsed;
    for (const auto& text : addresses) {
        Poco::Net::IPAddress address;
        if (!Poco::Net::IPAddress::tryParse(text, address))
            throw std::invalid_argument("--trusted-proxy expects an IPv4 or IPv6 address (e.g. 127.0.0.1), got '" + text + "'");
        parsed.push_back(address);
    }
    return parsed;
}

ClientOrigin clientOrigin(const Poco::Net::HTTPServerRequest& request, const std::vector<Poco::Net::IPAddress>& trustedProxies) {
    const auto peer = request.clientAddress().host();
    if (!isTrusted(peer, trustedProxies)) return {peer.toString(), request.secure()};

    ClientOrigin origin{peer.toString(), request.secure()};
    const auto forwardedFor = headerValues(request, "X-Forwarded-For");
    for (auto it = forwardedFor.rbegin(); it != forwardedFor.rend(); ++it) {
        Poco::Net::IPAddress hop;
        if (!Poco::Net::IPAddress::tryParse(*it, hop)) break;  // not an address: stop at what we can trust
        origin.address = hop.toString();
        if (!isTrusted(hop, trustedProxies)) break;
    }
    const auto forwardedProto = headerValues(request, "X-Forwarded-Proto");
    // A chain may list several ("https, http"): the first is what the browser used.
    if (!forwardedProto.empty()) origin.isSecure = Poco::toLower(forwardedProto.front()) == "https";
    return origin;
}

}  // namespace mindset::web
