#include "web/DraftContents.h"

#include <nlohmann/json.hpp>

namespace mindset::web {

using nlohmann::json;

std::string draftJson(const DraftContents& contents) {
    json fields = json::object();
    for (const auto& [name, value] : contents.fields) fields[name].push_back(value);
    return json{{"code", contents.codeHash}, {"fields", fields}, {"page", contents.page}}.dump();
}

std::optional<DraftContents> draftFromJson(const std::string& text) {
    const auto parsed = json::parse(text, nullptr, false);
    if (!parsed.is_object() || !parsed.contains("code") || !parsed["code"].is_string() || !parsed.contains("fields") ||
        !parsed["fields"].is_object())
        return std::nullopt;
    DraftContents contents{parsed["code"].get<std::string>(), {}, 1};
    for (const auto& [name, values] : parsed["fields"].items())
        for (const auto& value : values)
            if (value.is_string()) contents.fields.emplace_back(name, value.get<std::string>());
    if (const auto page = parsed.find("page"); page != parsed.end() && page->is_number_unsigned() && page->get<std::size_t>() >= 1)
        contents.page = page->get<std::size_t>();
    return contents;
}

}  // namespace mindset::web
