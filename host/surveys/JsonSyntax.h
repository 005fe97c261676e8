#pragma once
/// JSON syntax errors explained in plain words: where (line and column, counted in characters as
/// an editor shows them) and the likely cause (a comma after the last element, curly quotes from
/// a word processor, a text never closed), instead of the parser's own vocabulary.

#include <cstddef>
#include <string>
#include <string_view>

namespace mindset::surveys {

/// A line and column in a text, both from 1; the column counts characters, not bytes.
struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;
};

/// Where byte `offset` (from 0) of `text` is.
TextPosition positionOf(std::string_view text, std::size_t offset);

/// What is wrong with `text`, which nlohmann::json refused at byte `errorByte` (its parse_error's
/// `byte`: from 1, the last byte it read) with `parserMessage` (its what()). Starts with the line
/// and column, e.g. "line 4, column 3: a comma after the last element ...".
std::string explainJsonSyntaxError(std::string_view text, std::size_t errorByte, std::string_view parserMessage);

}  // namespace mindset::surveys
