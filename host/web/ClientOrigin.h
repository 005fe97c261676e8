#pragma once
/// Where a request came from: the client's address and whether the browser used HTTPS. The
/// headers a reverse proxy adds (X-Forwarded-For, X-Forwarded-Proto) are believed only when the
/// connection comes from an address the operator named with `mindset serve --trusted-proxy ADDR`;
/// from anyone else they are whatever the client chose to send, and are ignored.

#include <string>
#include <vector>

#include <Poco/Net/IPAddress.h>

namespace Poco::Net {
class HTTPServerRequest;
}

namespace mindset::web {

struct ClientOrigin {
    std::string address;    ///< for in-memory limits only: never store or log it
    bool isSecure = false;  ///< the browser reached us over HTTPS
};

/// Every value of header `name` (it may repeat), each split at commas and trimmed, in order.
std::vector<std::string> headerValues(const Poco::Net::HTTPServerRequest& request, const std::string& name);

/// The addresses given with --trusted-proxy, parsed. Throws std::invalid_argument naming the
/// value that is not an IPv4 or IPv6 address.
std::vector<Poco::Net::IPAddress> parseTrustedProxies(const std::vector<std::string>& addresses);

/// The origin of `request`. When its peer is one of `trustedProxies`, the client is the
/// right-most address of X-Forwarded-For that is not itself a trusted proxy (each proxy appends
/// the address it saw; what comes before was sent by the client and proves nothing), and the
/// request is secure when the first value of X-Forwarded-Proto is "https". Otherwise the client is
/// the peer and the request is secure only when it came over TLS here.
ClientOrigin clientOrigin(const Poco::Net::HTTPServerRequest& request, const std::vector<Poco::Net::IPAddress>& trustedProxies);

}  // namespace mindset::web
