#include "surveys/ContactMasking.h"

#include <algorithm>
#include <functional>
#include <regex>

namespace mindset::surveys {

namespace {

/// Replaces capture `group` of every match of `pattern` in `text` for which `isContact` holds by `mask`.
std::string replaceMatches(const std::string& text, const std::regex& pattern, std::size_t group, std::string_view mask,
                           const std::function<bool(const std::string&)>& isContact) {
    std::string out;
    auto from = text.cbegin();
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
        const auto& match = (*it)[group];
        if (!isContact(match.str())) continue;
        out.append(from, match.first);
        out += mask;
        from = match.second;
    }
    out.append(from, text.cend());
    return out;
}

std::size_t digitCount(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

/// A school year or a date written with digits only ("2024-2025", "2024/25", "2025-03-01",
/// "03/01/2025"): numbers people write in comments that look like telephone numbers.
bool isYearOrDate(const std::string& text) {
    static const std::regex yearOrDate(R"((19|20)\d\d\s?[-/–]\s?((19|20)?\d\d)([-/]\d\d)?|\d{1,2}[-/.]\d{1,2}[-/.](19|20)\d\d)");
    return std::regex_match(text, yearOrDate);
}

const auto always = [](const std::string&) { return true; };

}  // namespace

std::string maskContacts(std::string_view input) {
    // Patterns on bytes: every part they match is ASCII, and a UTF-8 sequence never contains an
    // ASCII byte, so a match never splits a character.
    static const std::regex email(R"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)");
    // Spelled out so that a filter would miss it: "ana arroba example punto com", "ana (at) example (dot) org".
    static const std::regex spelledEmail(
        R"([A-Za-z0-9._%+-]+\s*(\(at\)|\[at\]|\s(at|arroba)\s)\s*[A-Za-z0-9-]+(\s*(\.|\(dot\)|\[dot\]|\s(dot|punto)\s)\s*[A-Za-z0-9-]+)*\s*(\.|\(dot\)|\[dot\]|\s(dot|punto)\s)\s*(com|org|net|edu|gov|us|mx|es|info)\b)",
        std::regex::icase);
    static const std::regex web(R"(\b((https?://|www\.)[^\s<>"]*[^\s<>".,;:!?)\]]))", std::regex::icase);
    static const std::regex domain(
        R"(\b([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.(com|org|net|edu|gov|io|us|mx|es|info|ly|co|app|site)(/[^\s<>"]*[^\s<>".,;:!?)\]])?)\b)",
        std::regex::icase);
    // A run of 2-4 digit groups, optionally after a country code and an area code in brackets;
    // the first group may be 1 digit only after a country code. Not inside a longer word or number.
    static const std::regex phone(
        R"((?:^|[^\w+])((?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){1,4})(?![\w]))");

    std::string text(input);
    text = replaceMatches(text, email, 0, kMaskedEmail, always);
    text = replaceMatches(text, spelledEmail, 0, kMaskedEmail, always);
    text = replaceMatches(text, web, 1, kMaskedWeb, always);
    text = replaceMatches(text, domain, 1, kMaskedWeb, always);
    text = replaceMatches(text, phone, 1, kMaskedPhone, [](const std::string& run) {
        const auto digits = digitCount(run);
        return digits >= 7 && digits <= 15 && !isYearOrDate(run);
    });
    return text;
}

}  // namespace mindset::surveys
