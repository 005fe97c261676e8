#pragma once
/// Server-side HTML: embedded mustache templates (every {{value}} HTML-escaped; {{{raw}}} is used
/// only for HTML we rendered ourselves) and the interface strings in each language.

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace mindset::web {

/// Languages the interface is written in; the first is the default.
inline constexpr std::string_view kInterfaceLanguages[] = {"en", "es"};

/// `requested` when the interface speaks it, else English.
std::string interfaceLanguage(std::string_view requested);

/// The interface strings for `language` (see host/web/messages.json).
const nlohmann::json& messages(std::string_view language);

/// An interface string with each {{name}} replaced by its value (the page escapes the result).
std::string fillMessage(std::string text, const std::map<std::string, std::string>& values);

/// The layout's language links for a page at `pathWithQuery` ("lang" is added to its query).
nlohmann::json languageLinks(const std::string& current, const std::string& pathWithQuery);

/// Renders template `name` (host/web/templates/<name>.mustache) with `view`.
std::string render(std::string_view name, const nlohmann::json& view);

/// Renders template `name` as a piece of another page: `view` must hold "lang"; the interface
/// strings are added to it as "t", as for a page, but no layout is wrapped around it.
std::string renderFragment(std::string_view name, const nlohmann::json& view);

/// Renders template `name` inside the page layout. `view` must hold "lang" and "title";
/// the interface strings are added to it as "t".
std::string renderPage(std::string_view name, nlohmann::json view);

}  // namespace mindset::web
