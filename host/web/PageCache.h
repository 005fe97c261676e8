#pragma once
/// Rendered pages that are the same for every visitor but for the CSRF token in their forms and,
/// on a form page, which choices are checked: the landing page and each form page. Rendering them
/// once per language instead of once per request is what lets the first page of a survey keep up
/// with a whole staff opening the link at once, and the form page with saved answers keep up with
/// staff moving between pages. Thread-safe.

#include <functional>
#include <map>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mindset::web {

class PageCache {
public:
    /// What a page is rendered with in place of the visitor's token.
    static constexpr const char* kTokenPlaceholder = "00000000000000000000000000000000";

    /// A choice's place in a page whose checked state differs per visitor: checkedSlot(name, value)
    /// where the input's " checked" would go. Its bytes are control characters no template, text
    /// or id contains.
    static std::string checkedSlot(std::string_view name, std::string_view value);

    /// The page under `key` with `token` in place of the placeholder and the slot of each choice in
    /// `checked` ("name=value") replaced by " checked", every other slot by nothing;
    /// `render(placeholder)` produces it the first time. Built in one pass into one allocation: it
    /// runs on every request.
    std::string page(const std::string& key, const std::string& token, const std::function<std::string(const std::string&)>& render,
                     const std::vector<std::string>& checked = {});

private:
    /// A page as rendered, with where its tokens and slots are.
    struct Rendered {
        struct Hole {
            std::size_t at = 0;      ///< offset in html
            std::size_t length = 0;  ///< bytes of html it replaces
            bool isSlot = false;     ///< a choice slot; otherwise the token placeholder
        };
        std::string html;
        std::vector<Hole> holes;  ///< in order
        std::unordered_map<std::string, std::size_t> holeOfSlot;  ///< "name=value" -> index in holes
    };
    static Rendered parse(std::string html);
    static std::string fill(const Rendered& rendered, const std::string& token, const std::vector<std::string>& checked);

    std::shared_mutex mutex_;
    std::map<std::string, Rendered, std::less<>> pagesByKey_;
};

}  // namespace mindset::web
