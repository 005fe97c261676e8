#pragma once
/// Pieces of a rendered survey form, for tests that check what one question offers.
#include <string>

namespace mindset::testing {

/// The markup of the form's fieldset that holds the input named `field` on `page` (its legend and
/// every choice, up to its </fieldset>); empty when no input has that name.
inline std::string fieldsetOf(const std::string& page, const std::string& field) {
    const auto input = page.find("name=\"" + field + "\"");
    if (input == std::string::npos) return {};
    const auto start = page.rfind("<fieldset", input);
    const auto end = page.find("</fieldset>", input);
    if (start == std::string::npos || end == std::string::npos) return {};
    return page.substr(start, end - start);
}

}  // namespace mindset::testing
