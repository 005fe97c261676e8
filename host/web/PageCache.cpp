#include "web/PageCache.h"

#include <mutex>
#include <string_view>

namespace mindset::web {

std::string PageCache::page(const std::string& key, const std::string& token,
                            const std::function<std::string(const std::string&)>& render) {
    auto join = [&token](const std::vector<std::string>& segments) {
        std::size_t size = token.size() * (segments.size() - 1);
        for (const auto& segment : segments) size += segment.size();
        std::string html;
        html.reserve(size);  // one allocation: the page is copied for every request
        html.append(segments.front());
        for (std::size_t i = 1; i < segments.size(); ++i) html.append(token).append(segments[i]);
        return html;
    };
    {
        std::shared_lock lock(mutex_);
        if (auto it = segmentsByKey_.find(key); it != segmentsByKey_.end()) return join(it->second);
    }
    const auto html = render(kTokenPlaceholder);
    std::vector<std::string> segments;
    const std::string_view placeholder = kTokenPlaceholder;
    std::size_t start = 0;
    for (auto at = html.find(placeholder); at != std::string::npos; at = html.find(placeholder, start)) {
        segments.emplace_back(html, start, at - start);
        start = at + placeholder.size();
    }
    segments.emplace_back(html, start);
    std::unique_lock lock(mutex_);
    return join(segmentsByKey_.emplace(key, std::move(segments)).first->second);
}

}  // namespace mindset::web
