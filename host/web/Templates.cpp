#include "web/Templates.h"

#include <map>
#include <stdexcept>

#include <kainjow/mustache.hpp>

namespace mindset::embedded {
const std::map<std::string_view, std::string_view>& templates();
const std::map<std::string_view, std::string_view>& webData();
}  // namespace mindset::embedded

namespace mindset::web {

namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

data toData(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::object: {
            data object{data::type::object};
            for (const auto& [key, item] : value.items()) object.set(key, toData(item));
            return object;
        }
        case nlohmann::json::value_t::array: {
            data list{data::type::list};
            for (const auto& item : value) list.push_back(toData(item));
            return list;
        }
        case nlohmann::json::value_t::string: {
            // An empty string is falsy, as in JavaScript mustache ({{#hint}} hides an empty hint).
            const auto& text = value.get_ref<const std::string&>();
            return text.empty() ? data(data::type::bool_false) : data(text);
        }
        case nlohmann::json::value_t::boolean: return data(value.get<bool>() ? data::type::bool_true : data::type::bool_false);
        case nlohmann::json::value_t::null: return data(data::type::bool_false);
        default: return data(value.dump());
    }
}

const nlohmann::json& allMessages() {
    static const nlohmann::json parsed = nlohmann::json::parse(embedded::webData().at("messages.json"));
    return parsed;
}

mustache& compiled(std::string_view name) {
    // Parsed once per thread: kainjow's renderer keeps state while rendering.
    thread_local std::map<std::string, mustache, std::less<>> cache;
    if (auto it = cache.find(name); it != cache.end()) return it->second;
    const auto& sources = embedded::templates();
    auto source = sources.find(std::string(name) + ".mustache");
    if (source == sources.end()) throw std::logic_error("no template named '" + std::string(name) + "'");
    mustache parsed{std::string(source->second)};
    if (!parsed.is_valid()) throw std::logic_error("template '" + std::string(name) + "': " + parsed.error_message());
    return cache.emplace(std::string(name), std::move(parsed)).first->second;
}

}  // namespace

std::string interfaceLanguage(std::string_view requested) {
    for (auto language : kInterfaceLanguages)
        if (language == requested) return std::string(language);
    return std::string(kInterfaceLanguages[0]);
}

const nlohmann::json& messages(std::string_view language) { return allMessages().at(interfaceLanguage(language)); }

std::string render(std::string_view name, const nlohmann::json& view) {
    auto& tmpl = compiled(name);
    auto html = tmpl.render(toData(view));
    if (!tmpl.is_valid()) throw std::logic_error("rendering template '" + std::string(name) + "': " + tmpl.error_message());
    return html;
}

std::string renderPage(std::string_view name, nlohmann::json view) {
    view["t"] = messages(view.at("lang").get<std::string>());
    // Mustache cannot test a list for emptiness portably, so each list gets a has<Name> flag.
    for (const char* list : {"languageLinks", "surveys", "problems"}) {
        std::string flag = std::string("has") + list;
        flag[3] = static_cast<char>(flag[3] - 'a' + 'A');
        view[flag] = view.contains(list) && view[list].is_array() && !view[list].empty();
    }
    view["content"] = render(name, view);
    return render("layout", view);
}

}  // namespace mindset::web
