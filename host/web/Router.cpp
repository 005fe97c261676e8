#include "web/Router.h"

namespace mindset::web {

namespace {

/// The segments of a path that starts with '/': "/a/b" -> {"a", "b"}; "/" -> {""}.
std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t start = 1;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        parts.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

bool isParameter(std::string_view segment) { return segment.size() > 2 && segment.front() == '{' && segment.back() == '}'; }

/// Whether the path's segments fit the pattern; compares without allocating, since every
/// request is tried against every route until one fits.
bool fits(std::string_view pattern, const std::vector<std::string_view>& have) {
    std::size_t start = 1;
    for (const auto segment : have) {
        if (start > pattern.size()) return false;
        auto end = pattern.find('/', start);
        if (end == std::string_view::npos) end = pattern.size();
        const auto want = pattern.substr(start, end - start);
        if (isParameter(want) ? segment.empty() : want != segment) return false;
        start = end + 1;
    }
    return start > pattern.size();
}

std::map<std::string, std::string> parameters(std::string_view pattern, const std::vector<std::string_view>& have) {
    std::map<std::string, std::string> found;
    const auto want = segments(pattern);
    for (std::size_t i = 0; i < want.size(); ++i)
        if (isParameter(want[i])) found.emplace(want[i].substr(1, want[i].size() - 2), have[i]);
    return found;
}

}  // namespace

Router::Match Router::match(std::string_view method, std::string_view path) const {
    Match result;
    if (path.empty() || path.front() != '/') return result;
    const auto have = segments(path);
    for (const auto& route : routes_) {
        if (!fits(route.pattern, have)) continue;
        if (route.method == method || (method == "HEAD" && route.method == "GET")) {
            result.route = &route;
            result.params = parameters(route.pattern, have);
            return result;
        }
        result.isPathKnown = true;
        result.allowedMethods.push_back(route.method);
    }
    return result;
}

}  // namespace mindset::web
