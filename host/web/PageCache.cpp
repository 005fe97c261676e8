#include "web/PageCache.h"

#include <algorithm>
#include <mutex>

namespace mindset::web {

namespace {

constexpr char kSlotStart = '\x1e';
constexpr char kSlotEnd = '\x1f';
constexpr std::string_view kChecked = " checked";

}  // namespace

std::string PageCache::checkedSlot(std::string_view name, std::string_view value) {
    std::string slot;
    slot.reserve(name.size() + value.size() + 3);
    slot.append(1, kSlotStart).append(name).append(1, '=').append(value).append(1, kSlotEnd);
    return slot;
}

PageCache::Rendered PageCache::parse(std::string html) {
    Rendered rendered;
    const std::string_view placeholder = kTokenPlaceholder;
    const std::string_view text = html;
    auto token = text.find(placeholder);
    auto slot = text.find(kSlotStart);
    while (token != std::string_view::npos || slot != std::string_view::npos) {
        if (slot < token) {
            const auto end = text.find(kSlotEnd, slot);
            if (end == std::string_view::npos) {  // not a slot after all: left as it is
                slot = std::string_view::npos;
                continue;
            }
            rendered.holeOfSlot.emplace(text.substr(slot + 1, end - slot - 1), rendered.holes.size());
            rendered.holes.push_back({slot, end + 1 - slot, true});
            slot = text.find(kSlotStart, end + 1);
            if (token < end + 1) token = text.find(placeholder, end + 1);
        } else {
            rendered.holes.push_back({token, placeholder.size(), false});
            token = text.find(placeholder, token + placeholder.size());
        }
    }
    rendered.html = std::move(html);
    return rendered;
}

std::string PageCache::fill(const Rendered& rendered, const std::string& token, const std::vector<std::string>& checked) {
    std::vector<bool> isChecked(rendered.holes.size());
    for (const auto& choice : checked)
        if (auto it = rendered.holeOfSlot.find(choice); it != rendered.holeOfSlot.end()) isChecked[it->second] = true;
    const std::string_view html = rendered.html;
    std::string page;
    page.reserve(html.size() + rendered.holes.size() * std::max(token.size(), kChecked.size()));
    std::size_t from = 0;
    for (std::size_t i = 0; i < rendered.holes.size(); ++i) {
        const auto& hole = rendered.holes[i];
        page.append(html.substr(from, hole.at - from));
        if (!hole.isSlot) page.append(token);
        else if (isChecked[i]) page.append(kChecked);
        from = hole.at + hole.length;
    }
    page.append(html.substr(from));
    return page;
}

std::string PageCache::page(const std::string& key, const std::string& token,
                            const std::function<std::string(const std::string&)>& render, const std::vector<std::string>& checked) {
    {
        std::shared_lock lock(mutex_);
        if (auto it = pagesByKey_.find(key); it != pagesByKey_.end()) return fill(it->second, token, checked);
    }
    auto rendered = parse(render(kTokenPlaceholder));
    std::unique_lock lock(mutex_);
    return fill(pagesByKey_.try_emplace(key, std::move(rendered)).first->second, token, checked);
}

}  // namespace mindset::web
