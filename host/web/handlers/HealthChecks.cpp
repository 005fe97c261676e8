#include "web/handlers/HealthChecks.h"

#include <string>
#include <vector>

namespace mindset::web::handlers {

namespace {

Response plainText(int status, std::string body) {
    Response response{status, "text/plain; charset=utf-8", std::move(body), {}};
    // A cached "ok" would hide a server that has since stopped answering.
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

}  // namespace

Response liveness(const Request&) { return plainText(200, "ok\n"); }

Response readiness(const Site& site, const Request&) {
    std::vector<std::string> problems;
    if (auto problem = site.store.readinessProblem()) problems.push_back(std::move(*problem));
    // A survey is served only when every instrument it pins was loaded from a plugin.
    if (site.catalog.surveys.empty())
        problems.emplace_back("no survey is served (no instrument plugin loaded, or no valid survey file)");
    if (problems.empty()) return plainText(200, "ready\n");
    std::string body;
    for (const auto& problem : problems) body += "not ready: " + problem + "\n";
    return plainText(503, std::move(body));
}

}  // namespace mindset::web::handlers
