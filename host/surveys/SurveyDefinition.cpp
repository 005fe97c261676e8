#include "surveys/SurveyDefinition.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "surveys/JsonSyntax.h"
#include "surveys/SurveyFields.h"

namespace mindset::surveys {

using json = nlohmann::ordered_json;

namespace {

/// Reads one survey file, noting every problem against its path and the field being read, and
/// going on with a placeholder value, so that one run lists every problem of the file.
class Reader {
public:
    explicit Reader(const std::filesystem::path& file) : file_(file) {}

    /// Notes a problem (once: reading the same broken field twice does not repeat it).
    void fail(const std::string& field, const std::string& reason) {
        for (const auto& problem : problems_)
            if (problem.field == field && problem.reason == reason) return;
        problems_.push_back({field, reason});
    }
    /// Throws SurveyError listing every problem noted, if any.
    void throwIfFailed() const {
        if (!problems_.empty()) throw SurveyError(file_, problems_);
    }

    /// What field() gives for a field that is missing or cannot be read (already reported).
    static const json& missing() {
        static const json value;
        return value;
    }
    static bool isMissing(const json& value) { return &value == &missing(); }

    const json& field(const json& object, const std::string& path, const char* name) {
        if (isMissing(object)) return missing();
        if (!object.is_object()) {
            fail(path, "expected an object");
            return missing();
        }
        auto it = object.find(name);
        if (it == object.end()) {
            fail(join(path, name), "required field is missing");
            return missing();
        }
        return *it;
    }
    const json* optional(const json& object, const char* name) const {
        if (!object.is_object()) return nullptr;
        auto it = object.find(name);
        return it == object.end() ? nullptr : &*it;
    }
    std::string string(const json& object, const std::string& path, const char* name) {
        const auto& value = field(object, path, name);
        if (isMissing(value)) return {};
        if (!value.is_string() || value.get<std::string>().empty()) {
            fail(join(path, name), "expected a non-empty string");
            return {};
        }
        return value.get<std::string>();
    }
    std::string identifier(const json& object, const std::string& path, const char* name) {
        auto value = string(object, path, name);
        if (!value.empty() && !sdk::detail::isIdentifier(value))
            fail(join(path, name), "expected lowercase letters, digits, - or _ (1-64 chars), got '" + value + "'");
        return value;
    }
    sdk::LocalizedText text(const json& value, const std::string& path) {
        if (isMissing(value)) return {};
        if (value.is_string()) return sdk::LocalizedText{{{"en", value.get<std::string>()}}};
        if (!value.is_object()) {
            fail(path, "expected text, or an object of language -> text");
            return {};
        }
        sdk::LocalizedText text;
        for (const auto& [language, item] : value.items()) {
            if (!item.is_string()) {
                fail(path + "." + language, "expected a string");
                continue;
            }
            text.byLanguage[language] = item.get<std::string>();
        }
        if (!text.has("en")) fail(path + ".en", "English text is required");
        return text;
    }
    sdk::LocalizedText text(const json& object, const std::string& path, const char* name) {
        return text(field(object, path, name), join(path, name));
    }
    bool flag(const json& object, const std::string& path, const char* name, bool fallback) {
        const auto* value = optional(object, name);
        if (!value) return fallback;
        if (!value->is_boolean()) {
            fail(join(path, name), "expected true or false, got " + value->dump());
            return fallback;
        }
        return value->get<bool>();
    }
    /// A non-empty array, or an empty one after noting the problem.
    const json& array(const json& object, const std::string& path, const char* name) {
        static const json none = json::array();
        const auto& value = field(object, path, name);
        if (isMissing(value)) return none;
        if (!value.is_array() || value.empty()) {
            fail(join(path, name), "expected a non-empty array");
            return none;
        }
        return value;
    }
    /// A date, or an invalid one (!ok()) after noting the problem.
    std::chrono::year_month_day date(const json& object, const std::string& path, const char* name) {
        const auto text = string(object, path, name);
        if (text.empty()) return {};
        int y = 0;
        unsigned m = 0, d = 0;
        char dash1 = 0, dash2 = 0;
        std::istringstream in(text);
        in >> y >> dash1 >> m >> dash2 >> d;
        const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
        if (!in || !in.eof() || dash1 != '-' || dash2 != '-' || text.size() != 10 || !date.ok()) {
            fail(join(path, name), "expected a date as YYYY-MM-DD, got '" + text + "'");
            return {};
        }
        return date;
    }
    /// An optional staff count: a whole number from 1 to kMaxStaffCount.
    std::optional<std::int64_t> staffCount(const json& object, const std::string& path, const char* name) {
        const auto* value = optional(object, name);
        if (!value) return std::nullopt;
        if (!value->is_number_integer() || value->get<std::int64_t>() < 1 || value->get<std::int64_t>() > kMaxStaffCount) {
            fail(join(path, name), "expected a whole number of staff from 1 to " + std::to_string(kMaxStaffCount) + ", got " + value->dump());
            return std::nullopt;
        }
        return value->get<std::int64_t>();
    }
    static std::string join(const std::string& path, const char* name) { return path + "." + name; }
    static std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

private:
    std::filesystem::path file_;
    std::vector<SurveyProblem> problems_;
};

/// What in `definition` has no text in `language` (e.g. "item sr04"), or empty if everything has.
std::string firstTextMissing(const sdk::Definition& definition, const std::string& language) {
    if (!definition.title.has(language)) return "its title";
    if (!definition.description.has(language)) return "its description";
    for (const auto& option : definition.responseScale.options)
        if (!option.label.has(language)) return "response option " + std::to_string(option.code);
    for (const auto& scale : definition.scales)
        if (!scale.title.has(language)) return "scale " + scale.id;
    for (const auto& item : definition.items)
        if (!item.text.has(language)) return "item " + item.id;
    return {};
}

std::string languageName(const std::string& language) {
    return language == "es" ? "Spanish" : language == "en" ? "English" : language;
}

/// Every text of the survey file (not of its instruments) that has nothing in a language the survey
/// offers besides English (English is checked as each text is read).
std::vector<SurveyProblem> missingTranslations(const SurveyDefinition& s) {
    std::vector<SurveyProblem> problems;
    const auto check = [&](const sdk::LocalizedText& text, const std::string& path) {
        if (!text.has("en")) return;  // reported already, or absent and optional
        for (const auto& language : s.languages)
            if (!text.has(language) || text.in(language).empty())
                problems.push_back({path + (text.has(language) ? "." + language : ""),
                                    "no " + languageName(language) + " (\"" + language + "\") text for \"" + text.in("en") +
                                        "\", and the survey offers \"" + language + "\" in $.languages"});
    };
    check(s.title, "$.title");
    check(s.introduction, "$.introduction");
    for (std::size_t i = 0; i < s.demographics.size(); ++i) {
        const auto& question = s.demographics[i];
        const auto path = "$.demographics[" + std::to_string(i) + "]";
        check(question.label, path + ".label");
        check(question.hint, path + ".hint");
        if (question.isFromSchools) continue;  // school names are plain strings, the same in every language
        for (std::size_t j = 0; j < question.choices.size(); ++j)
            if (!question.choices[j].isPreferNotToSay)
                check(question.choices[j].label, path + ".choices[" + std::to_string(j) + "].label");
    }
    for (std::size_t i = 0; i < s.comments.size(); ++i) check(s.comments[i].label, "$.comments[" + std::to_string(i) + "].label");
    return problems;
}

sdk::LocalizedText preferNotToSayLabel() {
    return sdk::LocalizedText{{{"en", "Prefer not to say"}, {"es", "Prefiero no decirlo"}}};
}

}  // namespace

std::size_t SurveyDefinition::answerCount() const {
    std::size_t count = 0;
    for (const auto& instrument : instruments) count += instrument.definition().items.size();
    return count;
}

int SurveyDefinition::estimatedMinutes() const {
    // About 10 seconds per statement and 15 per question about the respondent, rounded up.
    const auto seconds = 10 * answerCount() + 15 * demographics.size();
    return static_cast<int>((seconds + 59) / 60);
}

bool SurveyDefinition::offersLanguage(std::string_view language) const {
    for (const auto& l : languages)
        if (l == language) return true;
    return false;
}

std::string SurveyDefinition::answerLayout() const {
    nlohmann::json layout{{"demographics", nlohmann::json::array()}, {"items", nlohmann::json::array()}};
    for (const auto& question : demographics) {
        nlohmann::json choices = nlohmann::json::array();
        for (const auto& choice : question.choices) choices.push_back(choice.id);
        layout["demographics"].push_back({{"id", question.id}, {"multiple", question.isMultiple}, {"choices", choices}});
    }
    for (const auto& instrument : instruments)
        for (const auto& item : instrument.definition().items) layout["items"].push_back(instrument.key + "/" + item.id);
    return layout.dump();
}

SurveyDefinition parseSurvey(std::string_view text, const std::filesystem::path& file,
                             const loader::InstrumentRegistry& registry) {
    Reader r(file);
    json root;
    try {
        root = json::parse(text);
    } catch (const json::parse_error& e) {
        throw SurveyError(file, "$", "not valid JSON: " + explainJsonSyntaxError(text, e.byte, e.what()));
    }
    if (!root.is_object())
        throw SurveyError(file, "$", std::string("expected one JSON object { ... } holding the survey, got ") + root.type_name());
    for (const auto& problem : unknownSurveyFields(root)) r.fail(problem.field, problem.reason);

    const std::string kRoot = "$";
    SurveyDefinition s;
    s.file = file;
    s.json = std::string(text);
    s.id = r.identifier(root, kRoot, "id");
    s.title = r.text(root, kRoot, "title");
    if (const auto* intro = r.optional(root, "introduction")) s.introduction = r.text(*intro, "$.introduction");

    const auto& district = r.field(root, kRoot, "district");
    s.districtId = r.identifier(district, "$.district", "id");
    s.districtName = r.string(district, "$.district", "name");

    const auto& schools = r.array(root, kRoot, "schools");
    for (std::size_t i = 0; i < schools.size(); ++i) {
        const auto path = Reader::at("$.schools", i);
        School school{r.identifier(schools[i], path, "id"), r.text(schools[i], path, "name"), r.staffCount(schools[i], path, "staff")};
        for (const auto& other : s.schools)
            if (!school.id.empty() && other.id == school.id) r.fail(path + ".id", "duplicate school id '" + school.id + "'");
        s.schools.push_back(std::move(school));
    }

    s.schoolYear = r.string(root, kRoot, "schoolYear");
    const auto& languages = r.array(root, kRoot, "languages");
    for (std::size_t i = 0; i < languages.size(); ++i) {
        if (!languages[i].is_string() || (languages[i] != "en" && languages[i] != "es")) {
            r.fail(Reader::at("$.languages", i), "expected \"en\" or \"es\", got " + languages[i].dump());
            continue;
        }
        s.languages.push_back(languages[i].get<std::string>());
    }
    if (!languages.empty() && !s.offersLanguage("en")) r.fail("$.languages", "English (\"en\") must be offered");

    s.opens = r.date(root, kRoot, "opens");
    s.closes = r.date(root, kRoot, "closes");
    if (s.opens.ok() && s.closes.ok() && s.closes < s.opens) r.fail("$.closes", "the survey closes before it opens");

    const auto& minGroupSize = r.field(root, kRoot, "minGroupSize");
    if (Reader::isMissing(minGroupSize)) {
    } else if (!minGroupSize.is_number_integer() || minGroupSize.get<std::int64_t>() < 3 || minGroupSize.get<std::int64_t>() > 100) {
        r.fail("$.minGroupSize", "expected a whole number from 3 to 100, got " + minGroupSize.dump());
    } else {
        s.minGroupSize = minGroupSize.get<int>();
    }
    s.requiresEveryItem = r.flag(root, kRoot, "requireEveryItem", false);
    s.allowsPreferNotToAnswer = r.flag(root, kRoot, "allowPreferNotToAnswer", false);
    if (const auto* access = r.optional(root, "access")) {
        if (*access == "open") s.access = Access::OpenLink;
        else if (*access == "codes") s.access = Access::AccessCodes;
        else r.fail("$.access", "expected \"open\" or \"codes\", got " + access->dump());
    }
    s.openLinkMinGroupSize = std::max(10, 2 * s.minGroupSize);
    if (const auto* openLink = r.optional(root, "openLinkMinGroupSize")) {
        if (!openLink->is_number_integer() || openLink->get<std::int64_t>() < s.minGroupSize || openLink->get<std::int64_t>() > 1000)
            r.fail("$.openLinkMinGroupSize", "expected a whole number from minGroupSize (" + std::to_string(s.minGroupSize) +
                                                 ") to 1000, got " + openLink->dump());
        else
            s.openLinkMinGroupSize = openLink->get<int>();
    }

    const auto& instruments = r.array(root, kRoot, "instruments");
    std::set<std::string> instrumentIds;
    std::size_t nextAnswer = 0;
    for (std::size_t i = 0; i < instruments.size(); ++i) {
        const auto path = Reader::at("$.instruments", i);
        if (!instruments[i].is_string()) {
            r.fail(path, "expected \"id@version\", got " + instruments[i].dump());
            continue;
        }
        const auto key = instruments[i].get<std::string>();
        const auto at = key.find('@');
        if (at == std::string::npos) {
            r.fail(path, "expected a pinned version \"id@version\", got '" + key + "'");
            continue;
        }
        const auto* instrument = registry.find(key);
        const auto* definition = registry.definitionOf(key);
        if (!instrument || !definition) {
            // A version refused at load time is named with its reason, not as merely absent.
            if (const auto* refused = registry.refusalOf(key))
                r.fail(path, "instrument " + key + " was refused when its plugin " + refused->file.string() +
                                 " was loaded: " + refused->reason);
            std::string loaded;
            for (const auto& l : registry.instruments()) loaded += (loaded.empty() ? "" : ", ") + l.definition->key();
            r.fail(path, "instrument " + key + " is not loaded (loaded: " + (loaded.empty() ? "none" : loaded) + ")");
            continue;
        }
        if (!instrumentIds.insert(key.substr(0, at)).second) {
            r.fail(path, "instrument '" + key.substr(0, at) + "' is listed twice; a survey uses one version of each");
            continue;
        }
        for (const auto& language : s.languages)
            if (auto missing = firstTextMissing(*definition, language); !missing.empty())
                r.fail(path, "instrument " + key + " has no '" + language + "' text for " + missing +
                                 ", and the survey offers '" + language + "'");
        s.instruments.push_back({key, instrument, nextAnswer, definition});
        nextAnswer += definition->items.size();
    }

    const auto& demographics = r.array(root, kRoot, "demographics");
    for (std::size_t i = 0; i < demographics.size(); ++i) {
        const auto path = Reader::at("$.demographics", i);
        const auto& q = demographics[i];
        DemographicQuestion question;
        question.id = r.identifier(q, path, "id");
        for (const auto& other : s.demographics)
            if (!question.id.empty() && other.id == question.id) r.fail(path + ".id", "duplicate question id '" + question.id + "'");
        question.label = r.text(q, path, "label");
        if (const auto* hint = r.optional(q, "hint")) question.hint = r.text(*hint, path + ".hint");
        question.isMultiple = r.flag(q, path, "multiple", false);
        question.isRequired = r.flag(q, path, "required", false);
        question.isFromSchools = r.flag(q, path, "fromSchools", false);
        if (question.isFromSchools) {
            if (r.optional(q, "choices")) r.fail(path + ".choices", "a question with fromSchools takes its choices from $.schools");
            for (const auto& school : s.schools) question.choices.push_back({school.id, school.name});
        } else {
            const auto& choices = r.array(q, path, "choices");
            for (std::size_t j = 0; j < choices.size(); ++j) {
                const auto choicePath = Reader::at(path + ".choices", j);
                Choice choice{r.identifier(choices[j], choicePath, "id"), r.text(choices[j], choicePath, "label")};
                for (const auto& other : question.choices)
                    if (!choice.id.empty() && other.id == choice.id) r.fail(choicePath + ".id", "duplicate choice id '" + choice.id + "'");
                question.choices.push_back(std::move(choice));
            }
        }
        if (r.flag(q, path, "preferNotToSay", false))
            question.choices.push_back({"prefer-not-to-say", preferNotToSayLabel(), true});
        if (question.isMultiple && question.choices.size() > kMaxMultipleChoices)
            r.fail(path + ".choices", "a multiple-choice question may have at most " + std::to_string(kMaxMultipleChoices) +
                                          " choices, got " + std::to_string(question.choices.size()));
        s.demographics.push_back(std::move(question));
    }

    if (const auto* staffByRole = r.optional(root, "staffByRole")) {
        const DemographicQuestion* role = nullptr;
        for (const auto& question : s.demographics)
            if (question.id == kRoleQuestionId) role = &question;
        if (!role) {
            r.fail("$.staffByRole", "staff counts by role need a demographic question with id \"role\"");
        } else if (!staffByRole->is_object()) {
            r.fail("$.staffByRole", "expected an object of role choice id -> number of staff");
        } else {
            std::string roleIds;
            for (const auto& choice : role->choices)
                if (!choice.isPreferNotToSay) roleIds += (roleIds.empty() ? "" : ", ") + choice.id;
            for (const auto& [roleId, value] : staffByRole->items()) {
                const auto known = std::find_if(role->choices.begin(), role->choices.end(),
                                                [&](const Choice& c) { return c.id == roleId && !c.isPreferNotToSay; });
                if (known == role->choices.end())
                    r.fail("$.staffByRole." + roleId, "not a choice of the role question (its choices: " + roleIds + ")");
            }
            // Kept in the question's choice order, whatever the order in the file.
            for (const auto& choice : role->choices)
                if (const auto count = r.staffCount(*staffByRole, "$.staffByRole", choice.id.c_str()))
                    s.staffByRole.push_back({choice.id, *count});
        }
    }
    if (const auto* comments = r.optional(root, "comments")) {
        if (!comments->is_array()) {
            r.fail("$.comments", "expected an array of comment questions");
        } else if (comments->size() > kMaxCommentQuestions) {
            r.fail("$.comments", "a survey may ask at most " + std::to_string(kMaxCommentQuestions) + " comment questions, got " +
                                     std::to_string(comments->size()));
        } else {
            for (std::size_t i = 0; i < comments->size(); ++i) {
                const auto path = Reader::at("$.comments", i);
                const auto& c = (*comments)[i];
                CommentQuestion question;
                question.id = r.identifier(c, path, "id");
                for (const auto& other : s.comments)
                    if (!question.id.empty() && other.id == question.id) r.fail(path + ".id", "duplicate comment question id '" + question.id + "'");
                question.label = r.text(c, path, "label");
                if (const auto* maxLength = r.optional(c, "maxLength")) {
                    if (!maxLength->is_number_integer() || maxLength->get<std::int64_t>() < 1 ||
                        maxLength->get<std::int64_t>() > static_cast<std::int64_t>(kMaxCommentLength))
                        r.fail(path + ".maxLength", "expected a whole number of characters from 1 to " + std::to_string(kMaxCommentLength) +
                                                        ", got " + maxLength->dump());
                    else
                        question.maxLength = maxLength->get<std::size_t>();
                }
                s.comments.push_back(std::move(question));
            }
        }
    }
    s.commentMinGroupSize = std::max(10, s.reportingThreshold());
    if (const auto* commentMinimum = r.optional(root, "commentMinGroupSize")) {
        if (!commentMinimum->is_number_integer() || commentMinimum->get<std::int64_t>() < s.reportingThreshold() ||
            commentMinimum->get<std::int64_t>() > 1000)
            r.fail("$.commentMinGroupSize", "expected a whole number from the smallest group shown (" +
                                                std::to_string(s.reportingThreshold()) + ") to 1000, got " + commentMinimum->dump());
        else
            s.commentMinGroupSize = commentMinimum->get<int>();
    }
    for (const auto& problem : missingTranslations(s)) r.fail(problem.field, problem.reason);
    r.throwIfFailed();
    return s;
}

SurveyDefinition loadSurveyFile(const std::filesystem::path& file, const loader::InstrumentRegistry& registry) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw SurveyError(file, "$", "cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    return parseSurvey(text.str(), file, registry);
}

}  // namespace mindset::surveys
