#pragma once
/// Matches a method and path against a table of routes like "GET /surveys/{survey}".

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "web/Http.h"

namespace mindset::web {

using Handler = std::function<Response(const Request&)>;

struct Route {
    std::string method;   ///< "GET", "POST"
    std::string pattern;  ///< "/surveys/{survey}/responses": {name} matches one non-empty segment
    Handler handler;
};

class Router {
public:
    explicit Router(std::vector<Route> routes) : routes_(std::move(routes)) {}

    struct Match {
        const Route* route = nullptr;        ///< null when nothing matched
        std::map<std::string, std::string> params;
        bool isPathKnown = false;            ///< the path matched under another method (405)
        std::vector<std::string> allowedMethods;
    };
    Match match(std::string_view method, std::string_view path) const;
    const std::vector<Route>& routes() const { return routes_; }

private:
    std::vector<Route> routes_;
};

}  // namespace mindset::web
