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

/// {"t": messages} and the partials for each interface language, converted once: pages look strings
/// up in it through the rendering context instead of copying them into every view.
const data& messagesData(const std::string& language) {
    static const std::map<std::string, data, std::less<>> byLanguage = [] {
        std::map<std::string, data, std::less<>> result;
        for (auto code : kInterfaceLanguages) {
            data wrapper{data::type::object};
            wrapper.set("t", toData(allMessages().at(std::string(code))));
            // Templates named part-*.mustache are partials every page may include: {{> part-name}}.
            for (const auto& [name, source] : embedded::templates())
                if (name.starts_with("part-") && name.ends_with(".mustache"))
                    wrapper.set(std::string(name.substr(0, name.size() - 9)),
                                data(kainjow::mustache::partial([text = source] { return std::string(text); })));
            result.emplace(std::string(code), std::move(wrapper));
        }
        return result;
    }();
    return byLanguage.at(interfaceLanguage(language));
}

std::string renderWith(mustache& tmpl, kainjow::mustache::context<std::string>& context, std::string_view name) {
    auto html = tmpl.render(context);
    if (!tmpl.is_valid()) throw std::logic_error("rendering template '" + std::string(name) + "': " + tmpl.error_message());
    return html;
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

std::string fillMessage(std::string text, const std::map<std::string, std::string>& values) {
    for (const auto& [name, value] : values) {
        const auto marker = "{{" + name + "}}";
        for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker, at + value.size()))
            text.replace(at, marker.size(), value);
    }
    return text;
}

std::string render(std::string_view name, const nlohmann::json& view) {
    auto& tmpl = compiled(name);
    auto html = tmpl.render(toData(view));
    if (!tmpl.is_valid()) throw std::logic_error("rendering template '" + std::string(name) + "': " + tmpl.error_message());
    return html;
}

std::string renderFragment(std::string_view name, const nlohmann::json& view) {
    kainjow::mustache::context<std::string> context(&messagesData(view.at("lang").get<std::string>()));
    const auto viewData = toData(view);
    context.push(&viewData);
    return renderWith(compiled(name), context, name);
}

std::string renderPage(std::string_view name, nlohmann::json view) {
    // Mustache cannot test a list for emptiness portably, so each list gets a has<Name> flag.
    for (const char* list : {"languageLinks", "surveys", "problems"}) {
        std::string flag = std::string("has") + list;
        flag[3] = static_cast<char>(flag[3] - 'a' + 'A');
        view[flag] = view.contains(list) && view[list].is_array() && !view[list].empty();
    }
    // Lookups go from the top of the context down: the view, then the interface strings.
    kainjow::mustache::context<std::string> context(&messagesData(view.at("lang").get<std::string>()));
    const auto viewData = toData(view);
    context.push(&viewData);
    const data content{"content", data(renderWith(compiled(name), context, name))};
    context.push(&content);
    return renderWith(compiled("layout"), context, "layout");
}

nlohmann::json languageLinks(const std::string& current, const std::string& pathWithQuery) {
    auto links = nlohmann::json::array();
    const auto separator = pathWithQuery.find('?') == std::string::npos ? "?" : "&";
    for (auto code : kInterfaceLanguages)
        links.push_back({{"code", code},
                         {"label", messages(code)["languageName"]},
                         {"href", pathWithQuery + separator + "lang=" + std::string(code)},
                         {"current", code == current}});
    return links;
}

}  // namespace mindset::web
