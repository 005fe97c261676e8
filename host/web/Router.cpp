#include "web/Router.h"

namespace mindset::web {

namespace {

std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t start = 1;  // paths start with '/'
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        parts.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

bool matchPattern(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params) {
    const auto want = segments(pattern);
    const auto have = segments(path);
    if (want.size() != have.size()) return false;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < want.size(); ++i) {
        if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
            if (have[i].empty()) return false;
            found.emplace(want[i].substr(1, want[i].size() - 2), have[i]);
        } else if (want[i] != have[i]) {
            return false;
        }
    }
    params = std::move(found);
    return true;
}

}  // namespace

Router::Match Router::match(std::string_view method, std::string_view path) const {
    Match result;
    if (path.empty() || path.front() != '/') return result;
    for (const auto& route : routes_) {
        std::map<std::string, std::string> params;
        if (!matchPattern(route.pattern, path, params)) continue;
        if (route.method == method || (method == "HEAD" && route.method == "GET")) {
            result.route = &route;
            result.params = std::move(params);
            return result;
        }
        result.isPathKnown = true;
        result.allowedMethods.push_back(route.method);
    }
    return result;
}

}  // namespace mindset::web
