#include "analytics/NumberText.h"

#include <algorithm>
#include <charconv>

namespace mindset::analytics {

namespace {

constexpr std::string_view kMinus = "\u2212";
constexpr std::string_view kNoBreakSpace = "\u00A0";

bool isSpanish(std::string_view language) { return language == "es"; }

/// The separator between the two ends of an interval in `language`.
std::string_view listSeparator(std::string_view language) { return isSpanish(language) ? "; " : ", "; }

}  // namespace

char decimalMarkOf(std::string_view language) { return isSpanish(language) ? ',' : '.'; }

std::string decimalText(double value, int digits, char decimalMark, std::string_view minus) {
    digits = std::clamp(digits, 0, 6);
    char buffer[400];  // room for any double in fixed notation
    auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, std::abs(value), std::chars_format::fixed, digits);
    std::string text(buffer, error == std::errc() ? end : buffer);
    const bool isNegative = value < 0 && text.find_first_not_of("0.") != std::string::npos;  // "−0.00" is written "0.00"
    std::replace(text.begin(), text.end(), '.', decimalMark);
    return isNegative ? std::string(minus) + text : text;
}

std::string decimalText(double value, int digits, std::string_view language) { return decimalText(value, digits, decimalMarkOf(language)); }

std::string signedDecimalText(double value, int digits, std::string_view language) {
    auto text = decimalText(value, digits, language);
    const bool isZero = text.find_first_not_of("0.,") == std::string::npos;
    return isZero || text.starts_with(kMinus) ? text : "+" + text;
}

std::string percentText(double share, std::string_view language) { return decimalText(100 * share, 0, language) + "%"; }

std::string signedPointsText(double share, std::string_view language) { return signedDecimalText(100 * share, 0, language); }

std::string intervalText(double lower, double upper, int digits, std::string_view language) {
    return "[" + decimalText(lower, digits, language) + std::string(listSeparator(language)) + decimalText(upper, digits, language) + "]";
}

std::string percentIntervalText(double lower, double upper, std::string_view language) {
    return "[" + percentText(lower, language) + std::string(listSeparator(language)) + percentText(upper, language) + "]";
}

std::string countText(std::int64_t count, std::string_view language) {
    auto digits = std::to_string(count < 0 ? -count : count);
    const bool isGrouped = isSpanish(language) ? digits.size() > 4 : digits.size() > 3;
    if (isGrouped) {
        const std::string separator = isSpanish(language) ? std::string(kNoBreakSpace) : ",";
        for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), separator);
    }
    return count < 0 ? std::string(kMinus) + digits : digits;
}

}  // namespace mindset::analytics
