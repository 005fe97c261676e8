#include "surveys/JsonSyntax.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace mindset::surveys {

namespace {

/// Quotation marks a word processor or a phone keyboard puts where JSON needs ".
constexpr std::array<std::string_view, 6> kLookalikeQuotes = {"\u201C", "\u201D", "\u2018", "\u2019", "\u00AB", "\u00BB"};
constexpr std::string_view kNoBreakSpace = "\u00A0";

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string where(std::string_view text, std::size_t offset) {
    const auto position = positionOf(text, offset);
    return "line " + std::to_string(position.line) + ", column " + std::to_string(position.column);
}

/// The last byte before `offset` that is not white space.
std::optional<std::size_t> previousNonSpace(std::string_view text, std::size_t offset) {
    while (offset > 0) {
        --offset;
        if (!isSpace(text[offset])) return offset;
    }
    return std::nullopt;
}

bool isEscaped(std::string_view text, std::size_t offset) {
    std::size_t backslashes = 0;
    while (offset > backslashes && text[offset - backslashes - 1] == '\\') ++backslashes;
    return backslashes % 2 == 1;
}

/// The opening quote of the text that the parser was reading at `offset` on this line.
std::optional<std::size_t> openingQuoteBefore(std::string_view text, std::size_t offset) {
    while (offset > 0) {
        --offset;
        if (text[offset] == '\n') return std::nullopt;
        if (text[offset] == '"' && !isEscaped(text, offset)) return offset;
    }
    return std::nullopt;
}

/// Where the token ending at `offset` starts: a whole "text" or word, as the parser read it.
std::size_t tokenStart(std::string_view text, std::size_t offset) {
    if (text[offset] == '"') {
        if (offset > 0)
            if (const auto opening = openingQuoteBefore(text, offset)) return *opening;
        return offset;
    }
    while (offset > 0 && (std::isalnum(static_cast<unsigned char>(text[offset - 1])) || text[offset - 1] == '.' ||
                          text[offset - 1] == '-' || text[offset - 1] == '+'))
        --offset;
    return offset;
}

/// The look-alike quote that starts at or just before `offset` (the parser stops inside it).
std::optional<std::pair<std::size_t, std::string_view>> lookalikeQuoteNear(std::string_view text, std::size_t offset) {
    for (std::size_t start = offset >= 2 ? offset - 2 : 0; start <= offset && start < text.size(); ++start)
        for (const auto quote : kLookalikeQuotes)
            if (text.substr(start, quote.size()) == quote) return std::make_pair(start, quote);
    return std::nullopt;
}

}  // namespace

TextPosition positionOf(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    TextPosition position;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++position.line;
            position.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
            ++position.column;
        }
    }
    return position;
}

std::string explainJsonSyntaxError(std::string_view text, std::size_t errorByte, std::string_view parserMessage) {
    const std::string message(parserMessage);
    const auto says = [&](std::string_view words) { return message.find(words) != std::string::npos; };
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return "the file is empty: a survey file is one JSON object, { ... }";
    const auto offset = std::min(errorByte == 0 ? 0 : errorByte - 1, text.size() - 1);
    const char c = text[offset];

    if (const auto quote = lookalikeQuoteNear(text, offset))
        return where(text, quote->first) + ": " + std::string(quote->second) +
               " is a curly (typographic) quote; JSON needs straight double quotes (\") around names and texts. "
               "A word processor or a phone keyboard makes them curly: retype the quotes in a plain-text editor";
    if (text.substr(offset >= 1 ? offset - 1 : 0, 3).find(kNoBreakSpace) != std::string_view::npos)
        return where(text, offset) + ": a no-break space (copied from a web page or a document) outside a text; "
                                     "replace it with an ordinary space";
    if (c == '\'' && says("invalid literal"))
        return where(text, offset) + ": ' is a single quote; JSON needs double quotes (\") around names and texts";
    if (says("ill-formed UTF-8"))
        return where(text, offset) + ": the file is not saved as UTF-8 (perhaps as Windows-1252 or Latin-1): "
                                     "save it again as UTF-8";
    if (says("missing closing quote") || says("U+000A") || says("U+000D")) {
        // The parser stops on the line break that ends the text, or at the end of the file.
        const auto opening = openingQuoteBefore(text, c == '\n' || c == '\r' ? offset : offset + 1);
        return where(text, opening.value_or(offset)) +
               ": this text is never closed: add the closing \" (a text cannot run past the end of its line; "
               "write \\n for a line break inside it)";
    }
    if (says("must be escaped"))
        return where(text, offset) + ": a tab or other control character inside a text; replace it with spaces";
    if ((c == '}' || c == ']') && says("unexpected '" + std::string(1, c) + "'")) {
        if (const auto before = previousNonSpace(text, offset); before && text[*before] == ',')
            return where(text, *before) + ": a comma after the last element, before the " + std::string(1, c) + " at " +
                   where(text, offset) + "; JSON allows no comma there: remove it";
    }
    if (says("unexpected end of input"))
        return where(text, text.size()) + ": the file ends before every { and [ is closed: a } or ] is missing";
    if (says("expected end of input"))
        return where(text, offset) + ": more after the survey's last closing }: a } or ] too many, or two surveys in one file";
    if ((says("; expected '}'") || says("; expected ']'")) && !says("unexpected ':'")) {
        const auto start = tokenStart(text, offset);
        return where(text, start) + ": a comma is missing before this" +
               (c == '"' ? std::string(" text") : std::string()) +
               ": the fields of an object and the elements of a list are separated by commas";
    }
    if (says("expected ':'"))
        return where(text, tokenStart(text, offset)) + ": a colon (:) is missing between a field's name and its value";
    if (says("unexpected ','"))
        return where(text, offset) + ": a value is missing before this comma";
    if (says("invalid literal"))
        return where(text, tokenStart(text, offset)) +
               ": not a JSON value: a text needs double quotes around it (\"like this\"); true, false and null are "
               "written in lowercase, numbers without quotes";
    // Anything else: the parser's own words, after its prefix, at our position.
    auto detail = message;
    if (const auto dash = detail.find(" - "); dash != std::string::npos) detail = detail.substr(dash + 3);
    return where(text, offset) + ": " + detail;
}

}  // namespace mindset::surveys
