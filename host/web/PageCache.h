#pragma once
/// Rendered pages that are the same for every visitor but for the CSRF token in their forms:
/// the landing page and the first view of each form page. Rendering them once per language
/// instead of once per request is what lets the first page of a survey keep up with a whole
/// staff opening the link at once. Thread-safe.

#include <functional>
#include <map>
#include <shared_mutex>
#include <string>
#include <vector>

namespace mindset::web {

class PageCache {
public:
    /// What a page is rendered with in place of the visitor's token.
    static constexpr const char* kTokenPlaceholder = "00000000000000000000000000000000";

    /// The page under `key` with `token` in place of the placeholder; `render(placeholder)`
    /// produces it the first time.
    std::string page(const std::string& key, const std::string& token, const std::function<std::string(const std::string&)>& render);

private:
    std::shared_mutex mutex_;
    std::map<std::string, std::vector<std::string>> segmentsByKey_;  ///< the page split at the placeholder
};

}  // namespace mindset::web
