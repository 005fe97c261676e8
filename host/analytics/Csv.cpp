#include "analytics/Csv.h"

#include <charconv>

namespace mindset::analytics {

void appendCsvField(std::string& record, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        record += field;
        return;
    }
    record += '"';
    for (const char c : field) {
        if (c == '"') record += '"';
        record += c;
    }
    record += '"';
}

std::string csvField(std::string_view field) {
    std::string text;
    appendCsvField(text, field);
    return text;
}

void appendShortestNumber(std::string& record, double x) {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, x);
    record.append(text, result.ptr);
}

std::string shortestNumber(double x) {
    std::string text;
    appendShortestNumber(text, x);
    return text;
}

}  // namespace mindset::analytics
