#include "surveys/Comments.h"

namespace mindset::surveys {

std::string commentFieldName(const CommentQuestion& question) { return "c." + question.id; }

std::optional<std::size_t> utf8Length(std::string_view text) {
    std::size_t characters = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
        if (length == 0 || i + length > text.size()) return std::nullopt;
        std::uint32_t point = length == 1 ? lead : lead & (0xFF >> (length + 1));
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return std::nullopt;
            point = (point << 6) | (next & 0x3F);
        }
        // Overlong forms, surrogates and points beyond Unicode are not valid UTF-8.
        constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (point < kSmallest[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) return std::nullopt;
        i += length;
        ++characters;
    }
    return characters;
}

std::string tidyComment(std::string_view typed) {
    std::string text;
    text.reserve(typed.size());
    for (std::size_t i = 0; i < typed.size(); ++i) {
        const auto c = static_cast<unsigned char>(typed[i]);
        if (c == '\r') {
            text += '\n';
            if (i + 1 < typed.size() && typed[i + 1] == '\n') ++i;
        } else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F)) {
            text += static_cast<char>(c);
        }
    }
    const auto first = text.find_first_not_of(" \t\n");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\n") - first + 1);
}

const DemographicQuestion* commentGroupQuestion(const SurveyDefinition& survey) {
    for (const auto& question : survey.demographics)
        if (question.isFromSchools && !question.isMultiple) return &question;
    return nullptr;
}

std::string commentGroupKey(const SurveyDefinition& survey, std::span<const std::uint8_t> demographics) {
    const auto* question = commentGroupQuestion(survey);
    if (!question) return {};
    const auto index = static_cast<std::size_t>(question - survey.demographics.data());
    if (demographics.size() < (index + 1) * 4) return "no-answer";
    std::uint32_t slot = 0;
    for (int b = 3; b >= 0; --b) slot = (slot << 8) | demographics[index * 4 + static_cast<std::size_t>(b)];
    if (slot == 0 || slot > question->choices.size()) return "no-answer";
    return question->choices[slot - 1].id;
}

}  // namespace mindset::surveys
