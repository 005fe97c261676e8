#include "imports/ImportMapping.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "surveys/ResponseEncoding.h"

namespace mindset::imports {

using nlohmann::json;

namespace {

/// The path of member `name` of the object at `path`: `$.items` or `$.answers["Strongly agree"]`.
std::string member(const std::string& path, std::string_view name) {
    const bool isPlain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
    return isPlain ? path + "." + std::string(name) : path + "[" + json(std::string(name)).dump() + "]";
}

std::string inQuotes(std::string_view text) { return "'" + std::string(text) + "'"; }

template <typename Range, typename Name>
std::string listOf(const Range& range, Name name) {
    std::string text;
    for (const auto& element : range) text += (text.empty() ? "" : ", ") + name(element);
    return text;
}

/// Parses the JSON, recording each key that appears twice in one object: nlohmann keeps only the
/// last, and a mapping that silently loses "Agree": 4 would misread every such cell.
json parseRecordingDuplicates(std::string_view text, std::vector<MappingProblem>& problems) {
    struct Frame {
        std::string path;
        bool isObject = false;
        std::set<std::string> keys;
        std::string lastKey;
    };
    std::vector<Frame> frames;
    auto callback = [&](int, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
            case json::parse_event_t::array_start: {
                std::string path = "$";
                if (!frames.empty())
                    path = frames.back().isObject ? member(frames.back().path, frames.back().lastKey) : frames.back().path + "[]";
                frames.push_back({std::move(path), event == json::parse_event_t::object_start, {}, {}});
                break;
            }
            case json::parse_event_t::object_end:
            case json::parse_event_t::array_end:
                frames.pop_back();
                break;
            case json::parse_event_t::key: {
                auto& frame = frames.back();
                frame.lastKey = parsed.get<std::string>();
                if (!frame.keys.insert(frame.lastKey).second)
                    problems.push_back({member(frame.path, frame.lastKey), "appears twice in one object; only one of them can count"});
                break;
            }
            case json::parse_event_t::value:
                break;
        }
        return true;
    };
    try {
        return json::parse(text.begin(), text.end(), callback);
    } catch (const json::parse_error& e) {
        throw MappingError({MappingProblem{"$", std::string("not valid JSON: ") + e.what()}});
    }
}

/// Reads the mapping against the survey, collecting problems instead of stopping at the first.
class Checker {
public:
    explicit Checker(const surveys::SurveyDefinition& survey, std::vector<MappingProblem>& problems)
        : survey_(survey), problems_(problems) {}

    void problem(std::string field, std::string reason) {
        const bool isKnown = std::any_of(problems_.begin(), problems_.end(),
                                         [&](const auto& p) { return p.field == field && p.reason == reason; });
        if (!isKnown) problems_.push_back({std::move(field), std::move(reason)});
    }

    void onlyKnownFields(const json& object, const std::string& path, std::initializer_list<std::string_view> known) {
        for (const auto& [name, unused] : object.items())
            if (std::find(known.begin(), known.end(), name) == known.end())
                problem(member(path, name),
                        "unknown field (expected one of: " + listOf(known, [](auto k) { return std::string(k); }) + ")");
    }

    /// The object at `path`, or nullptr (with a problem if it is there but not an object).
    const json* object(const json& parent, const std::string& path, const char* name) {
        const auto it = parent.find(name);
        if (it == parent.end()) return nullptr;
        if (it->is_object()) return &*it;
        problem(member(path, name), "expected an object");
        return nullptr;
    }

    std::string column(const json& spec, const std::string& path) {
        const auto it = spec.find("column");
        if (it == spec.end()) {
            problem(path + ".column", "required field is missing: the name of the CSV column, as in its header");
            return {};
        }
        if (!it->is_string() || normalizeSourceText(it->get<std::string>()).empty()) {
            problem(path + ".column", "expected the name of the CSV column, as in its header");
            return {};
        }
        return it->get<std::string>();
    }

    /// Source text -> form value, for one demographic question.
    std::map<std::string, std::string> choices(const json& values, const std::string& path,
                                               const surveys::DemographicQuestion& question) {
        std::map<std::string, std::string> result;
        if (!values.is_object() || values.empty()) {
            problem(path, "expected an object of source text -> choice id of question '" + question.id + "'");
            return result;
        }
        for (const auto& [text, value] : values.items()) {
            const auto at = member(path, text);
            std::string formValue;
            if (value.is_string()) {
                formValue = value.get<std::string>();
                const bool isChoice = std::any_of(question.choices.begin(), question.choices.end(),
                                                  [&](const auto& choice) { return choice.id == formValue; });
                if (!isChoice) {
                    problem(at, inQuotes(formValue) + " is not a choice of question '" + question.id + "' (its choices: " +
                                    listOf(question.choices, [](const auto& c) { return c.id; }) + ")");
                    continue;
                }
            } else if (!value.is_null()) {
                problem(at, "expected a choice id of question '" + question.id + "', or null for no answer");
                continue;
            }
            insert(result, text, std::move(formValue), at);
        }
        return result;
    }

    /// Source text -> form value, for the items of one instrument.
    std::map<std::string, std::string> answers(const json& values, const std::string& path, const surveys::SurveyInstrument& instrument) {
        std::map<std::string, std::string> result;
        if (!values.is_object() || values.empty()) {
            problem(path, "expected an object of source text -> response code");
            return result;
        }
        const auto& scale = instrument.definition().responseScale;
        for (const auto& [text, value] : values.items()) {
            const auto at = member(path, text);
            std::string formValue;
            if (value.is_number_integer()) {
                const auto code = value.get<std::int64_t>();
                if (code < 1 || code > 255 || !scale.isValidCode(static_cast<int>(code))) {
                    // Named by response scale, not instrument: instruments sharing a scale share one message.
                    std::string unscored;  // "don't know" and the like are codes an earlier year may hold too
                    for (const auto& option : scale.unscoredOptions) unscored += ", " + std::to_string(option.code);
                    problem(at, std::to_string(code) + " is not a code of response scale '" + scale.id + "' (codes " +
                                    std::to_string(scale.minCode()) + " to " + std::to_string(scale.maxCode()) + unscored + ")");
                    continue;
                }
                formValue = std::to_string(code);
            } else if (value == "prefer-not-to-answer") {
                if (!survey_.allowsPreferNotToAnswer) {
                    problem(at, "survey '" + survey_.id + "' does not offer \"Prefer not to answer\" on items; use null for no answer");
                    continue;
                }
                formValue = surveys::kPreferNotToAnswer;
            } else if (!value.is_null()) {
                problem(at, "expected a response code, null for no answer, or \"prefer-not-to-answer\"");
                continue;
            }
            insert(result, text, std::move(formValue), at);
        }
        return result;
    }

private:
    void insert(std::map<std::string, std::string>& values, const std::string& text, std::string formValue, const std::string& at) {
        const auto key = normalizeSourceText(text);
        if (key.empty()) {
            problem(at, "an empty cell always means no answer; leave this entry out");
            return;
        }
        if (!values.emplace(key, std::move(formValue)).second)
            problem(at, "the same text as another entry once case and surrounding spaces are ignored");
    }

    const surveys::SurveyDefinition& survey_;
    std::vector<MappingProblem>& problems_;
};

std::string itemKey(const surveys::SurveyInstrument& instrument, const sdk::Item& item) {
    return instrument.definition().id + "." + item.id;
}

/// Why `key` names no item of the survey.
std::string unknownItemReason(const surveys::SurveyDefinition& survey, const std::string& key) {
    const auto dot = key.find('.');
    if (dot == std::string::npos) return "expected <instrument>.<item>, such as equity-excellence.ee01";
    const auto instrumentId = key.substr(0, dot);
    for (const auto& instrument : survey.instruments)
        if (instrument.definition().id == instrumentId)
            // Versions differ in their items (continuous-improvement's pilot 0.9.0 has cip01-cip14,
            // its 1.0.0 ci01-ci15): list the ones this survey's version has.
            return "instrument " + instrument.key + " has no item " + inQuotes(key.substr(dot + 1)) + " (its items: " +
                   listOf(instrument.definition().items, [](const auto& item) { return item.id; }) + ")";
    return "survey '" + survey.id + "' has no instrument " + inQuotes(instrumentId) + " (its instruments: " +
           listOf(survey.instruments, [](const auto& i) { return i.definition().id; }) + ")";
}

/// Where one demographic question's answers come from, or nullopt when `spec` is not even an object.
std::optional<ColumnSource> demographicSource(Checker& check, const json& spec, const std::string& path,
                                              const surveys::DemographicQuestion& question) {
    if (!spec.is_object()) {
        check.problem(path, "expected an object with \"column\" and \"values\"");
        return std::nullopt;
    }
    check.onlyKnownFields(spec, path, {"column", "values", "separator"});
    ColumnSource source{surveys::demographicFieldName(question), path, "question '" + question.id + "'", check.column(spec, path), {}, {}};
    if (const auto separator = spec.find("separator"); separator != spec.end()) {
        if (!separator->is_string() || separator->get<std::string>().empty())
            check.problem(path + ".separator", "expected the text between two choices in one cell, such as \", \" or \";\"");
        else if (!question.isMultiple)
            check.problem(path + ".separator",
                          "question '" + question.id + "' takes one choice; only a multiple-choice question has a separator");
        else
            source.separator = separator->get<std::string>();
    }
    if (const auto values = spec.find("values"); values == spec.end())
        check.problem(path + ".values", "required field is missing: source text -> choice id");
    else
        source.values = check.choices(*values, path + ".values", question);
    return source;
}

/// Adds a source for each demographic question the mapping answers, in survey order.
void readDemographics(Checker& check, const json* demographics, const surveys::SurveyDefinition& survey, ImportMapping& mapping) {
    for (const auto& question : survey.demographics) {
        const auto path = member("$.demographics", question.id);
        const auto it = demographics ? demographics->find(question.id) : json::const_iterator{};
        if (!demographics || it == demographics->end()) {
            if (question.isRequired)
                check.problem(path, "required question '" + question.id + "' has no column; every response needs an answer to it");
            else
                mapping.unmapped.push_back("question " + question.id);
            continue;
        }
        if (auto source = demographicSource(check, *it, path, question)) mapping.sources.push_back(std::move(*source));
    }
    if (!demographics) return;
    for (const auto& [id, unused] : demographics->items()) {
        const bool isQuestion = std::any_of(survey.demographics.begin(), survey.demographics.end(),
                                            [&](const auto& q) { return q.id == id; });
        if (!isQuestion)
            check.problem(member("$.demographics", id),
                          "survey '" + survey.id + "' has no demographic question " + inQuotes(id) + " (its questions: " +
                              listOf(survey.demographics, [](const auto& q) { return q.id; }) + ")");
    }
}

/// Adds a source for each item the mapping answers, in survey order.
void readItems(Checker& check, const json* items, const json* sharedAnswers, const surveys::SurveyDefinition& survey,
               ImportMapping& mapping) {
    if (!items || items->empty())
        check.problem("$.items", "expected an object of <instrument>.<item> -> CSV column, with at least one item");
    std::set<std::string> knownItems;
    for (const auto& instrument : survey.instruments) {
        std::optional<std::map<std::string, std::string>> shared;  // read once per instrument, when first needed
        for (const auto& item : instrument.definition().items) {
            const auto key = itemKey(instrument, item);
            knownItems.insert(key);
            const auto path = member("$.items", key);
            const auto it = items ? items->find(key) : json::const_iterator{};
            if (!items || it == items->end()) {
                if (survey.requiresEveryItem)
                    check.problem(path, "survey '" + survey.id + "' requires every item, so every item needs a column");
                else
                    mapping.unmapped.push_back("item " + key);
                continue;
            }
            ColumnSource source{surveys::itemFieldName(instrument, item), path, "item " + key, {}, {}, {}};
            const json* ownAnswers = nullptr;
            if (it->is_string()) {
                source.column = it->get<std::string>();
                if (normalizeSourceText(source.column).empty())
                    check.problem(path, "expected the name of the CSV column, as in its header");
            } else if (it->is_object()) {
                check.onlyKnownFields(*it, path, {"column", "answers"});
                source.column = check.column(*it, path);
                if (const auto answers = it->find("answers"); answers != it->end()) ownAnswers = &*answers;
            } else {
                check.problem(path, "expected the CSV column's name, or an object with \"column\" and \"answers\"");
                continue;
            }
            if (ownAnswers) {
                source.values = check.answers(*ownAnswers, path + ".answers", instrument);
            } else if (sharedAnswers) {
                if (!shared) shared = check.answers(*sharedAnswers, "$.answers", instrument);
                source.values = *shared;
            } else {
                check.problem(path, "no answers to read it with: add \"answers\" here, or a shared \"answers\" at the top");
            }
            mapping.sources.push_back(std::move(source));
        }
    }
    if (!items) return;
    for (const auto& [key, unused] : items->items())
        if (!knownItems.count(key)) check.problem(member("$.items", key), unknownItemReason(survey, key));
}

/// One column answers one question or item: a second reader of a column is a mistake.
void checkColumnsDiffer(Checker& check, const ImportMapping& mapping) {
    std::map<std::string, const ColumnSource*> byColumn;
    for (const auto& source : mapping.sources) {
        const auto column = normalizeSourceText(source.column);
        if (column.empty()) continue;  // already reported
        const auto [it, isNew] = byColumn.emplace(column, &source);
        if (!isNew)
            check.problem(source.mappingPath, "column " + inQuotes(source.column) + " is already read for " + it->second->subject +
                                                  "; one column can answer only one question or item");
    }
}

}  // namespace

MappingError::MappingError(std::vector<MappingProblem> problems)
    : std::runtime_error([&] {
          std::string text = "the mapping cannot be used:";
          for (const auto& p : problems) text += "\n  " + p.field + ": " + p.reason;
          return text;
      }()),
      problems_(std::move(problems)) {}

std::string normalizeSourceText(std::string_view text) {
    auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
    std::string result(text);
    for (auto& c : result)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return result;
}

ImportMapping parseMapping(std::string_view text, const surveys::SurveyDefinition& survey) {
    std::vector<MappingProblem> problems;
    const auto root = parseRecordingDuplicates(text, problems);
    if (!root.is_object()) throw MappingError({MappingProblem{"$", "expected an object"}});
    Checker check(survey, problems);
    check.onlyKnownFields(root, "$", {"survey", "description", "extraHeaderRows", "demographics", "answers", "items"});

    ImportMapping mapping;
    if (const auto it = root.find("survey"); it == root.end() || !it->is_string()) {
        check.problem("$.survey", "required field is missing: the id of the survey the responses belong to");
    } else {
        mapping.surveyId = it->get<std::string>();
        if (mapping.surveyId != survey.id)
            check.problem("$.survey", "the mapping is for survey " + inQuotes(mapping.surveyId) + ", not " + inQuotes(survey.id));
    }
    if (const auto it = root.find("description"); it != root.end() && !it->is_string())
        check.problem("$.description", "expected text");
    if (const auto it = root.find("extraHeaderRows"); it != root.end()) {
        if (!it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() > 10)
            check.problem("$.extraHeaderRows", "expected a whole number from 0 to 10, got " + it->dump());
        else
            mapping.extraHeaderRows = it->get<std::size_t>();
    }

    readDemographics(check, check.object(root, "$", "demographics"), survey, mapping);
    const auto* sharedAnswers = check.object(root, "$", "answers");
    readItems(check, check.object(root, "$", "items"), sharedAnswers, survey, mapping);
    checkColumnsDiffer(check, mapping);

    if (!problems.empty()) throw MappingError(std::move(problems));
    return mapping;
}

}  // namespace mindset::imports
