#include "surveys/ResponseEncoding.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "surveys/Comments.h"
#include "surveys/ContactMasking.h"

namespace mindset::surveys {

namespace {

void appendUint32(std::vector<std::uint8_t>& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

std::uint32_t readUint32(const std::vector<std::uint8_t>& in, std::size_t offset) {
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i) value = (value << 8) | in[offset + static_cast<std::size_t>(i)];
    return value;
}

std::optional<std::size_t> choiceIndex(const DemographicQuestion& question, const std::string& id) {
    for (std::size_t i = 0; i < question.choices.size(); ++i)
        if (question.choices[i].id == id) return i;
    return std::nullopt;
}

/// Strict decimal: digits only, no sign, no spaces, no leading zeros beyond "0".
std::optional<int> parseCode(const std::string& text) {
    if (text.empty() || text.size() > 3) return std::nullopt;
    if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    if (text.size() > 1 && text[0] == '0') return std::nullopt;
    return std::stoi(text);
}

}  // namespace

std::string demographicFieldName(const DemographicQuestion& question) { return "d." + question.id; }

std::string itemFieldName(const SurveyInstrument& instrument, const sdk::Item& item) {
    return "i." + instrument.definition().id + "." + item.id;
}

namespace {

/// Checks the fields of one page, or of every page when `page` is 0.
ResponseCheck check(const SurveyDefinition& survey, std::size_t page, const FormFields& fields,
                    const std::vector<std::string>& ignoredFields) {
    auto isChecked = [page](std::size_t p) { return page == 0 || page == p; };
    ResponseCheck check;
    std::map<std::string, std::vector<std::string>> values;
    for (const auto& [name, value] : fields) {
        if (std::find(ignoredFields.begin(), ignoredFields.end(), name) != ignoredFields.end()) continue;
        values[name].push_back(value);
    }
    auto take = [&](const std::string& name) {
        auto node = values.extract(name);
        std::vector<std::string> found = node.empty() ? std::vector<std::string>{} : std::move(node.mapped());
        std::erase(found, std::string());  // an empty value is no answer
        return found;
    };
    auto problem = [&](const std::string& field, ProblemKind kind, std::string value = {}) {
        check.problems.push_back({field, kind, std::move(value)});
    };

    for (const auto& question : survey.demographics) {
        if (!isChecked(1)) break;
        const auto name = demographicFieldName(question);
        const auto chosen = take(name);
        std::uint32_t slot = 0;
        if (!question.isMultiple && chosen.size() > 1) {
            problem(name, ProblemKind::DuplicateField);
        } else {
            bool isPreferNotToSay = false;
            for (const auto& id : chosen) {
                const auto index = choiceIndex(question, id);
                if (!index) {
                    problem(name, ProblemKind::InvalidChoice, id);
                    continue;
                }
                isPreferNotToSay = isPreferNotToSay || question.choices[*index].isPreferNotToSay;
                slot = question.isMultiple ? slot | (1u << *index) : static_cast<std::uint32_t>(*index + 1);
            }
            if (isPreferNotToSay && chosen.size() > 1) problem(name, ProblemKind::PreferNotToSayWithOthers);
            if (chosen.empty() && question.isRequired) problem(name, ProblemKind::Missing);
        }
        appendUint32(check.response.demographics, slot);
    }

    for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
        if (!isChecked(2 + i)) continue;
        const auto& instrument = survey.instruments[i];
        const auto& definition = instrument.definition();
        for (const auto& item : definition.items) {
            const auto name = itemFieldName(instrument, item);
            const auto chosen = take(name);
            std::uint8_t code = 0;
            if (chosen.size() > 1) {
                problem(name, ProblemKind::DuplicateField);
            } else if (chosen.size() == 1 && survey.allowsPreferNotToAnswer && chosen.front() == kPreferNotToAnswer) {
                code = 0;  // answered, by declining: satisfies a required item, stored as no answer
            } else if (chosen.size() == 1) {
                const auto parsed = parseCode(chosen.front());
                if (parsed && definition.responseScale.isValidCode(*parsed))
                    code = static_cast<std::uint8_t>(*parsed);
                else
                    problem(name, ProblemKind::InvalidChoice, chosen.front());
            } else if (survey.requiresEveryItem) {
                problem(name, ProblemKind::Missing);
            }
            check.response.answers.push_back(code);
        }
    }

    for (const auto& question : survey.comments) {
        if (!isChecked(survey.pageCount())) break;
        const auto name = commentFieldName(question);
        const auto typed = take(name);
        if (typed.size() > 1) {
            problem(name, ProblemKind::DuplicateField);
            continue;
        }
        if (typed.empty()) continue;
        const auto text = tidyComment(typed.front());
        const auto length = utf8Length(text);
        if (!length) problem(name, ProblemKind::NotText);
        else if (*length > question.maxLength) problem(name, ProblemKind::TooLong, std::to_string(*length));
        else if (!text.empty()) check.response.comments.push_back({question.id, maskContacts(text)});
    }

    for (const auto& [name, unused] : values) problem(name, ProblemKind::UnknownField);
    return check;
}

}  // namespace

ResponseCheck checkResponse(const SurveyDefinition& survey, const FormFields& fields,
                            const std::vector<std::string>& ignoredFields) {
    return check(survey, 0, fields, ignoredFields);
}

ResponseCheck checkPage(const SurveyDefinition& survey, std::size_t page, const FormFields& fields,
                        const std::vector<std::string>& ignoredFields) {
    return check(survey, page, fields, ignoredFields);
}

std::optional<FieldProblem> checkAnyItemAnswered(const SurveyDefinition& survey, const FormFields& fields) {
    std::string firstItem;
    for (const auto& instrument : survey.instruments) {
        for (const auto& item : instrument.definition().items) {
            const auto name = itemFieldName(instrument, item);
            if (firstItem.empty()) firstItem = name;
            for (const auto& [field, value] : fields)
                if (field == name && !value.empty()) return std::nullopt;
        }
    }
    if (firstItem.empty()) return std::nullopt;  // a survey without items: nothing to answer
    return FieldProblem{firstItem, ProblemKind::NoItemAnswered, {}};
}

std::size_t pageOfField(const SurveyDefinition& survey, const std::string& name) {
    // Read from the name's parts rather than by building every field's name: the form page asks
    // this for every saved answer on every request.
    const std::string_view field = name;
    if (field.starts_with("d.")) {
        const auto id = field.substr(2);
        for (const auto& question : survey.demographics)
            if (question.id == id) return 1;
    } else if (field.starts_with("i.")) {
        const auto rest = field.substr(2);
        for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
            const auto& definition = survey.instruments[i].definition();
            const std::string_view instrument = definition.id;
            if (!rest.starts_with(instrument) || rest.size() <= instrument.size() || rest[instrument.size()] != '.') continue;
            const auto itemId = rest.substr(instrument.size() + 1);
            for (const auto& item : definition.items)
                if (item.id == itemId) return 2 + i;
        }
    } else if (field.starts_with("c.")) {
        const auto id = field.substr(2);
        for (const auto& question : survey.comments)
            if (question.id == id) return survey.pageCount();
    }
    return 0;
}

FormFields pageAnswers(const SurveyDefinition& survey, const FormFields& fields, std::size_t page) {
    FormFields result;
    for (const auto& field : fields)
        if (pageOfField(survey, field.first) == page) result.push_back(field);
    return result;
}

std::vector<std::string> unansweredFields(const SurveyDefinition& survey, const FormFields& fields) {
    auto isAnswered = [&fields](const std::string& name) {
        return std::any_of(fields.begin(), fields.end(), [&name](const auto& field) { return field.first == name && !field.second.empty(); });
    };
    std::vector<std::string> unanswered;
    for (const auto& question : survey.demographics)
        if (const auto name = demographicFieldName(question); !isAnswered(name)) unanswered.push_back(name);
    for (const auto& instrument : survey.instruments)
        for (const auto& item : instrument.definition().items)
            if (const auto name = itemFieldName(instrument, item); !isAnswered(name)) unanswered.push_back(name);
    return unanswered;
}

DecodedResponse decodeResponse(const SurveyDefinition& survey, const EncodedResponse& stored) {
    if (stored.demographics.size() != survey.demographics.size() * 4 || stored.answers.size() != survey.answerCount())
        throw std::invalid_argument("stored response does not match the layout of survey '" + survey.id + "'");
    DecodedResponse decoded;
    for (std::size_t q = 0; q < survey.demographics.size(); ++q) {
        const auto& question = survey.demographics[q];
        const auto slot = readUint32(stored.demographics, q * 4);
        std::vector<std::string> chosen;
        if (question.isMultiple) {
            for (std::size_t i = 0; i < question.choices.size(); ++i)
                if (slot & (1u << i)) chosen.push_back(question.choices[i].id);
        } else if (slot > 0 && slot <= question.choices.size()) {
            chosen.push_back(question.choices[slot - 1].id);
        }
        decoded.demographics.push_back(std::move(chosen));
    }
    decoded.answers.assign(stored.answers.begin(), stored.answers.end());
    return decoded;
}

}  // namespace mindset::surveys
