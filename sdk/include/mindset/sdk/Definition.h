#pragma once
/// The data that describes an instrument: items, response scale, scales and their rules.
///
/// A Definition is a plain value. Plugins usually write it as JSON (see Definition::fromJson) and
/// embed it with mindset_add_instrument(... DEFINITION file.json); C++ is needed only for custom
/// behaviour (see Instrument.h). Every function here is pure and safe to call from any thread.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace mindset::sdk {

/// Thrown when a definition is malformed. Carries every problem found, one "path: reason" line
/// each (e.g. "$.items['q3'].scale: unknown scale 'x'"); `what()` is all of them, one per line.
class DefinitionError : public std::runtime_error {
public:
    DefinitionError(std::string path, const std::string& reason)
        : std::runtime_error(path + ": " + reason), path_(std::move(path)), problems_{what()} {}
    /// Every problem of one definition; `id` and `version` are what the definition says, when it
    /// says so (they name the definition in a refusal even when it is unusable).
    DefinitionError(std::vector<std::string> problems, std::string id, std::string version)
        : std::runtime_error(joined(problems)), problems_(std::move(problems)), id_(std::move(id)), version_(std::move(version)) {
        const auto& first = problems_.empty() ? std::string() : problems_.front();
        path_ = first.substr(0, first.find(": "));
    }
    /// The field the first problem is in, as a JSON path.
    const std::string& path() const noexcept { return path_; }
    /// Every problem, "path: reason" each, in the order of the definition.
    const std::vector<std::string>& problems() const noexcept { return problems_; }
    /// "id@version" as far as the definition gives them, or empty when it gives neither.
    std::string instrumentKey() const {
        if (id_.empty() && version_.empty()) return {};
        return (id_.empty() ? "(no id)" : id_) + "@" + (version_.empty() ? "(no version)" : version_);
    }

private:
    static std::string joined(const std::vector<std::string>& lines) {
        std::string text;
        for (const auto& line : lines) text += (text.empty() ? "" : "\n") + line;
        return text;
    }
    std::string path_;
    std::vector<std::string> problems_;
    std::string id_;
    std::string version_;
};

/// The languages every text of a definition must have: the respondent pages, the profile pages
/// and the reports are offered in English and Spanish, and a Spanish page must never fall back to
/// English in silence.
inline constexpr const char* kRequiredLanguages[] = {"en", "es"};

/// Text in several languages, keyed by language code ("en", "es"). English is required.
struct LocalizedText {
    std::map<std::string, std::string> byLanguage;

    /// The text in `language`, falling back to English when that language is missing.
    const std::string& in(std::string_view language) const {
        if (auto it = byLanguage.find(std::string(language)); it != byLanguage.end()) return it->second;
        return byLanguage.at("en");
    }
    bool has(std::string_view language) const { return byLanguage.count(std::string(language)) > 0; }
};

/// One answer choice. `code` is stable forever within an instrument version: it is what is stored.
struct ResponseOption {
    int code = 0;
    LocalizedText label;
};

/// The most unscored options ("don't know", "not applicable") a response scale may declare.
inline constexpr std::size_t kMaxUnscoredOptions = 3;

/// The ordered answer choices shared by every item of an instrument (e.g. 5-point agreement).
struct ResponseScale {
    std::string id;
    std::vector<ResponseOption> options;  ///< ordered from least to most agreement
    /// Optional answers that are not a point of the scale, e.g. "Don't know" or "Not applicable":
    /// shown after `options`, stored with their own code (outside the scored codes), counted in
    /// answer distributions, and never scored: scale scores, reliability and % favorable leave
    /// them out as they leave out an unanswered item. Empty for most instruments.
    std::vector<ResponseOption> unscoredOptions;

    int minCode() const { return options.front().code; }
    int maxCode() const { return options.back().code; }
    /// Whether `code` is a point of the scale (one of `options`).
    bool isScoredCode(int code) const {
        return std::any_of(options.begin(), options.end(), [code](const auto& o) { return o.code == code; });
    }
    /// Whether `code` is one of `unscoredOptions`.
    bool isUnscoredCode(int code) const {
        return std::any_of(unscoredOptions.begin(), unscoredOptions.end(), [code](const auto& o) { return o.code == code; });
    }
    /// Whether a respondent may give `code`: a scored or an unscored option.
    bool isValidCode(int code) const { return isScoredCode(code) || isUnscoredCode(code); }
};

/// What an instrument says about a scale in a district profile (see Instrument::interpret).
struct ScaleInterpretation {
    LocalizedText strength;                ///< when the scale is among the district's strengths
    LocalizedText growth;                  ///< when it is among the areas for growth
    std::vector<LocalizedText> practices;  ///< recommended practices for growth
};

/// A further figure a custom Instrument::score() reports for a scale beside its score, e.g. the
/// share of the scale's statements a respondent answered at the top of the scale, from 0 to 1.
/// Declared so that the host can check every value (one outside [min, max] fails the instrument on
/// that survey, named), show it on its own range and label it as the instrument's own computation
/// wherever it is shown. The SDK's default scoring gives none: declare figures only with a score()
/// of your own (the host refuses a JSON-only instrument that declares them).
struct CustomFigure {
    std::string id;
    LocalizedText title;
    LocalizedText description;  ///< what it means: what a high value says
    double min = 0;
    double max = 1;
    double favorableAtLeast = 1;  ///< a respondent's value at or above this counts as favorable
};

/// The most custom figures one scale may declare.
inline constexpr std::size_t kMaxCustomFigures = 4;

/// A group of items scored together.
struct Scale {
    std::string id;
    LocalizedText title;
    LocalizedText description;
    /// A respondent is favorable on this scale when the scale score (after reverse keying) is at
    /// least this value; an item answer is favorable when its keyed code is at least this value.
    double favorableAtLeast = 4.0;
    /// A scale score exists only when at least this many of the scale's items were answered.
    int minAnswered = 1;
    /// Optional texts for district profiles.
    std::optional<ScaleInterpretation> interpretation;
    /// Optional: further figures the instrument's own score() gives for this scale (ScaleScore::figures).
    std::vector<CustomFigure> figures;

    /// A tag value an item may carry (see TagGroup): "phase" = "naming-the-goals".
    struct Tag {
        std::string group;
        std::string value;
    };
    /// Never set by a definition. The host adds one scale per tag value after the declared scales,
    /// with this set, id "group:value": a sub-score over the items that carry the tag.
    std::optional<Tag> subScoreOf;
    /// A custom figure of a declared scale (its scale id and figure id).
    struct FigureRef {
        std::string scale;
        std::string figure;
    };
    /// Never set by a definition. The host adds one scale per custom figure after the declared
    /// scales, with this set, id "scale~figure", ranging over the figure's [min, max].
    std::optional<FigureRef> customFigureOf;

    bool isSubScore() const { return subScoreOf.has_value(); }
    bool isCustomFigure() const { return customFigureOf.has_value(); }
    /// Whether the instrument declares this scale itself (its score() gives one score for it).
    bool isDeclared() const { return !subScoreOf && !customFigureOf; }
    /// Whether `item` counts in this scale: an item of the scale, or for a sub-score one that
    /// carries its tag; none for a custom figure.
    inline bool holds(const struct Item& item) const;
};

/// One statement a respondent rates.
struct Item {
    std::string id;
    std::string scaleId;
    LocalizedText text;
    /// Disagreement is the favorable answer; scoring maps code c to (min + max - c).
    bool isReverseKeyed = false;
    /// Optional: tag group id -> value id (see TagGroup), e.g. {"phase": "naming-the-goals"}.
    std::map<std::string, std::string> tags;
};

inline bool Scale::holds(const Item& item) const {
    if (customFigureOf) return false;  // the instrument's own code computes it, not a mean of items
    if (!subScoreOf) return item.scaleId == id;
    const auto tag = item.tags.find(subScoreOf->group);
    return tag != item.tags.end() && tag->second == subScoreOf->value;
}

/// One value of a tag group, e.g. the phase "naming the goals".
struct TagValue {
    std::string id;
    LocalizedText title;
    LocalizedText description;
};

/// Items grouped across scales, e.g. by the phase of implementation each is about. The host
/// reports one sub-score per value beside the scales, wherever scales are reported: the mean of
/// the answered items that carry the value, after reverse keying, favorable by their scales' rule,
/// protected from small groups as a scale is. A sub-score counts items that their scales count
/// already, so it is never ranked among the strengths and areas for growth.
struct TagGroup {
    std::string id;
    LocalizedText title;
    std::vector<TagValue> values;

    const TagValue* findValue(std::string_view valueId) const {
        for (const auto& value : values)
            if (value.id == valueId) return &value;
        return nullptr;
    }
};

/// The most tag values a definition may declare, over all its groups: each is a figure in every
/// breakdown of every survey that uses the instrument.
inline constexpr std::size_t kMaxTagValues = 32;

/// A declaration that some scales of this version measure what the same scales of an earlier
/// version of the instrument measured, with the same items, so that their scores may be compared
/// across the two versions (a trend line crosses the version change only for these scales).
/// The host checks it against the earlier definition whenever both versions are loaded.
struct Comparability {
    std::string version;                ///< the earlier version, e.g. "0.9.0"
    std::vector<std::string> scaleIds;  ///< this version's scales, each comparable with the earlier scale of the same id
    /// This version's item id -> the earlier version's item id, for every item of the listed scales.
    std::map<std::string, std::string> earlierItemIds;

    bool listsScale(std::string_view scaleId) const {
        return std::find(scaleIds.begin(), scaleIds.end(), scaleId) != scaleIds.end();
    }
};

/// Everything a host needs to show, store and score an instrument.
struct Definition {
    std::string id;       ///< lowercase, digits and '-', e.g. "equity-excellence"
    std::string version;  ///< semantic version; a published version never changes its items or codes
    LocalizedText title;
    /// For leaders and researchers: what the instrument measures (shown in results, never to
    /// respondents, because it names the belief a high score stands for).
    LocalizedText description;
    /// Optional: the line that opens the instrument's page for respondents. It says what the
    /// questions are about, never which answer or belief is wanted ("The next statements are about
    /// students' learning and the support they receive", not "Staff beliefs that every student can
    /// excel"). Empty (no language) when the definition has none: the host then writes a neutral
    /// line of its own. Not part of an instrument version's fingerprint.
    LocalizedText introduction;
    std::string citation;
    ResponseScale responseScale;
    std::vector<Scale> scales;
    std::vector<Item> items;
    /// Optional: groups of items across scales, each value reported as a sub-score (see TagGroup).
    std::vector<TagGroup> tagGroups;
    /// Optional: earlier versions some of whose scales this version's scores compare with.
    std::vector<Comparability> comparableWith;

    /// "id@version", the key that surveys pin.
    std::string key() const { return id + "@" + version; }

    const Scale* findScale(std::string_view scaleId) const {
        for (const auto& s : scales)
            if (s.id == scaleId) return &s;
        return nullptr;
    }

    const TagGroup* findTagGroup(std::string_view groupId) const {
        for (const auto& group : tagGroups)
            if (group.id == groupId) return &group;
        return nullptr;
    }

    const Item* findItem(std::string_view itemId) const {
        for (const auto& item : items)
            if (item.id == itemId) return &item;
        return nullptr;
    }

    /// What this version declares comparable with `earlierVersion`, or nullptr.
    const Comparability* comparabilityWith(std::string_view earlierVersion) const {
        for (const auto& c : comparableWith)
            if (c.version == earlierVersion) return &c;
        return nullptr;
    }

    /// Parses and validates a JSON definition; throws a DefinitionError listing every problem
    /// (items and scales are named by id: "$.items['q3'].text: Spanish text (\"es\") is missing").
    static Definition fromJson(std::string_view jsonText);
};

/// Every problem with a definition, one line each ("$.items['q3'].scale: unknown scale 'x'"),
/// including every text missing in a required language (kRequiredLanguages).
/// Empty when the definition is usable. Hosts call this before accepting an instrument.
inline std::vector<std::string> validate(const Definition& d);

// ---------------------------------------------------------------------------------------------
// Implementation (header-only).

namespace detail {

inline bool isIdentifier(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

inline bool isSemanticVersion(std::string_view s) {
    int parts = 0;
    std::size_t digits = 0;
    for (char c : s) {
        if (c == '.') {
            if (digits == 0) return false;
            ++parts;
            digits = 0;
        } else if (c >= '0' && c <= '9') {
            ++digits;
        } else {
            return false;
        }
    }
    return parts == 2 && digits > 0;
}

/// Whether semantic version `a` comes before `b` (both valid, see isSemanticVersion). Compares
/// the numbers as digit strings, so that no version is too long to compare.
inline bool isEarlierVersion(std::string_view a, std::string_view b) {
    auto next = [](std::string_view& rest) {
        const auto dot = rest.find('.');
        auto part = rest.substr(0, dot);
        rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
        while (part.size() > 1 && part.front() == '0') part.remove_prefix(1);
        return part;
    };
    for (int i = 0; i < 3; ++i) {
        const auto partA = next(a);
        const auto partB = next(b);
        if (partA.size() != partB.size()) return partA.size() < partB.size();
        if (partA != partB) return partA < partB;
    }
    return false;
}

/// Refuses keys the schema does not know: a misspelt "reverse_keyed" must not silently score an
/// item the wrong way round.
inline void onlyKnownFields(const nlohmann::json& obj, const std::string& path, std::initializer_list<const char*> known) {
    if (!obj.is_object()) throw DefinitionError(path, "expected an object");
    for (const auto& [key, value] : obj.items()) {
        if (std::none_of(known.begin(), known.end(), [&key = key](const char* k) { return key == k; })) {
            std::string list;
            for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
            throw DefinitionError(path + "." + key, "unknown field (expected one of: " + list + ")");
        }
    }
}

inline const nlohmann::json& field(const nlohmann::json& obj, const std::string& path, const char* name) {
    if (!obj.is_object()) throw DefinitionError(path, "expected an object");
    auto it = obj.find(name);
    if (it == obj.end()) throw DefinitionError(path + "." + name, "required field is missing");
    return *it;
}

inline std::string stringField(const nlohmann::json& obj, const std::string& path, const char* name) {
    const auto& v = field(obj, path, name);
    if (!v.is_string()) throw DefinitionError(path + "." + name, "expected a string, got " + std::string(v.type_name()));
    return v.get<std::string>();
}

inline LocalizedText localized(const nlohmann::json& v, const std::string& path) {
    if (!v.is_object()) throw DefinitionError(path, "expected an object of language -> text, e.g. {\"en\": \"...\"}");
    LocalizedText text;
    for (const auto& [language, value] : v.items()) {
        if (!value.is_string()) throw DefinitionError(path + "." + language, "expected a string");
        text.byLanguage[language] = value.get<std::string>();
    }
    return text;
}

inline LocalizedText localizedField(const nlohmann::json& obj, const std::string& path, const char* name) {
    return localized(field(obj, path, name), path + "." + name);
}

inline const nlohmann::json& arrayField(const nlohmann::json& obj, const std::string& path, const char* name) {
    const auto& v = field(obj, path, name);
    if (!v.is_array()) throw DefinitionError(path + "." + name, "expected an array");
    return v;
}

inline std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

/// The path of the element with `id` in array `path`: "$.items['q3']" names the item a researcher
/// wrote, not its position; an element without a usable id is named by its position.
inline std::string byId(const std::string& path, std::size_t i, std::string_view id) {
    return isIdentifier(id) ? path + "['" + std::string(id) + "']" : at(path, i);
}

/// Reads a definition problem by problem: each `attempt` that throws a DefinitionError records it
/// and reading goes on, so that a researcher sees every problem at once.
class ProblemCollector {
public:
    template <class Read>
    bool attempt(Read&& read) {
        try {
            std::forward<Read>(read)();
            return true;
        } catch (const DefinitionError& e) {
            problems.insert(problems.end(), e.problems().begin(), e.problems().end());
            return false;
        }
    }
    /// Whether a problem was recorded in `path` or inside it (validate() then says nothing more there).
    bool hasProblemIn(const std::string& problem) const {
        return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
            const auto path = p.substr(0, p.find(": "));
            const auto other = problem.substr(0, problem.find(": "));
            return other.rfind(path, 0) == 0 || path.rfind(other, 0) == 0;
        });
    }
    std::vector<std::string> problems;
};

}  // namespace detail

inline Definition Definition::fromJson(std::string_view jsonText) {
    using namespace detail;
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(jsonText);
    } catch (const nlohmann::json::parse_error& e) {
        throw DefinitionError("$", std::string("not valid JSON: ") + e.what());
    }
    const std::string r = "$";
    if (!root.is_object()) throw DefinitionError(r, "expected an object");
    ProblemCollector read;
    Definition d;
    read.attempt([&] { onlyKnownFields(root, r, {"id", "version", "title", "description", "introduction", "citation", "responseScale", "scales", "items", "tagGroups", "comparableWith"}); });
    read.attempt([&] { d.id = stringField(root, r, "id"); });
    read.attempt([&] { d.version = stringField(root, r, "version"); });
    read.attempt([&] { d.title = localizedField(root, r, "title"); });
    read.attempt([&] { d.description = localizedField(root, r, "description"); });
    if (root.contains("introduction")) read.attempt([&] { d.introduction = localizedField(root, r, "introduction"); });
    read.attempt([&] { d.citation = stringField(root, r, "citation"); });

    read.attempt([&] {
        const auto& rs = field(root, r, "responseScale");
        read.attempt([&] { onlyKnownFields(rs, r + ".responseScale", {"id", "options", "unscoredOptions"}); });
        read.attempt([&] { d.responseScale.id = stringField(rs, r + ".responseScale", "id"); });
        auto readOptions = [&](const char* name, std::vector<ResponseOption>& into) {
            const auto& options = arrayField(rs, r + ".responseScale", name);
            for (std::size_t i = 0; i < options.size(); ++i) {
                const auto p = at(r + ".responseScale." + name, i);
                ResponseOption option;
                read.attempt([&] { onlyKnownFields(options[i], p, {"code", "label"}); });
                read.attempt([&] {
                    const auto& code = field(options[i], p, "code");
                    if (!code.is_number_integer()) throw DefinitionError(p + ".code", "expected an integer");
                    option.code = code.get<int>();
                });
                read.attempt([&] { option.label = localizedField(options[i], p, "label"); });
                into.push_back(std::move(option));
            }
        };
        read.attempt([&] { readOptions("options", d.responseScale.options); });
        if (rs.is_object() && rs.contains("unscoredOptions"))
            read.attempt([&] { readOptions("unscoredOptions", d.responseScale.unscoredOptions); });
    });

    read.attempt([&] {
        const auto& scales = arrayField(root, r, "scales");
        for (std::size_t i = 0; i < scales.size(); ++i) {
            Scale s;
            read.attempt([&] { s.id = stringField(scales[i], at(r + ".scales", i), "id"); });
            const auto p = byId(r + ".scales", i, s.id);
            read.attempt([&] { onlyKnownFields(scales[i], p, {"id", "title", "description", "favorableAtLeast", "minAnswered", "interpretation", "figures"}); });
            read.attempt([&] { s.title = localizedField(scales[i], p, "title"); });
            read.attempt([&] { s.description = localizedField(scales[i], p, "description"); });
            read.attempt([&] {
                const auto& fav = field(scales[i], p, "favorableAtLeast");
                if (!fav.is_number()) throw DefinitionError(p + ".favorableAtLeast", "expected a number");
                s.favorableAtLeast = fav.get<double>();
            });
            read.attempt([&] {
                const auto& minAnswered = field(scales[i], p, "minAnswered");
                if (!minAnswered.is_number_integer()) throw DefinitionError(p + ".minAnswered", "expected an integer");
                s.minAnswered = minAnswered.get<int>();
            });
            if (!scales[i].is_object()) {
                d.scales.push_back(std::move(s));
                continue;
            }
            if (auto it = scales[i].find("interpretation"); it != scales[i].end()) {
                const auto ip = p + ".interpretation";
                ScaleInterpretation interpretation;
                read.attempt([&] { onlyKnownFields(*it, ip, {"strength", "growth", "practices"}); });
                read.attempt([&] { interpretation.strength = localizedField(*it, ip, "strength"); });
                read.attempt([&] { interpretation.growth = localizedField(*it, ip, "growth"); });
                if (it->is_object() && it->contains("practices")) {
                    read.attempt([&] {
                        const auto& practices = arrayField(*it, ip, "practices");
                        for (std::size_t j = 0; j < practices.size(); ++j)
                            read.attempt([&] { interpretation.practices.push_back(localized(practices[j], at(ip + ".practices", j))); });
                    });
                }
                s.interpretation = std::move(interpretation);
            }
            if (scales[i].contains("figures")) {
                read.attempt([&] {
                    const auto& figures = arrayField(scales[i], p, "figures");
                    for (std::size_t j = 0; j < figures.size(); ++j) {
                        CustomFigure figure;
                        read.attempt([&] { figure.id = stringField(figures[j], at(p + ".figures", j), "id"); });
                        const auto fp = byId(p + ".figures", j, figure.id);
                        read.attempt([&] { onlyKnownFields(figures[j], fp, {"id", "title", "description", "min", "max", "favorableAtLeast"}); });
                        read.attempt([&] { figure.title = localizedField(figures[j], fp, "title"); });
                        read.attempt([&] { figure.description = localizedField(figures[j], fp, "description"); });
                        for (auto [name, into] : {std::pair{"min", &figure.min}, {"max", &figure.max}, {"favorableAtLeast", &figure.favorableAtLeast}})
                            read.attempt([&, name = name, into = into] {
                                const auto& value = field(figures[j], fp, name);
                                if (!value.is_number()) throw DefinitionError(fp + "." + name, "expected a number");
                                *into = value.get<double>();
                            });
                        s.figures.push_back(std::move(figure));
                    }
                });
            }
            d.scales.push_back(std::move(s));
        }
    });

    read.attempt([&] {
        const auto& items = arrayField(root, r, "items");
        for (std::size_t i = 0; i < items.size(); ++i) {
            Item item;
            read.attempt([&] { item.id = stringField(items[i], at(r + ".items", i), "id"); });
            const auto p = byId(r + ".items", i, item.id);
            read.attempt([&] { onlyKnownFields(items[i], p, {"id", "scale", "text", "reverseKeyed", "tags"}); });
            read.attempt([&] { item.scaleId = stringField(items[i], p, "scale"); });
            read.attempt([&] { item.text = localizedField(items[i], p, "text"); });
            if (items[i].is_object()) {
                if (auto rk = items[i].find("reverseKeyed"); rk != items[i].end()) {
                    read.attempt([&] {
                        if (!rk->is_boolean()) throw DefinitionError(p + ".reverseKeyed", "expected true or false");
                        item.isReverseKeyed = rk->get<bool>();
                    });
                }
                if (auto tags = items[i].find("tags"); tags != items[i].end()) {
                    read.attempt([&] {
                        if (!tags->is_object())
                            throw DefinitionError(p + ".tags", "expected an object of tag group id -> value id, e.g. {\"phase\": \"naming-the-goals\"}");
                        for (const auto& [group, value] : tags->items()) {
                            if (!value.is_string()) throw DefinitionError(p + ".tags." + group, "expected a value id (a string)");
                            item.tags[group] = value.get<std::string>();
                        }
                    });
                }
            }
            d.items.push_back(std::move(item));
        }
    });

    if (root.contains("tagGroups")) {
        read.attempt([&] {
            const auto& groups = arrayField(root, r, "tagGroups");
            for (std::size_t i = 0; i < groups.size(); ++i) {
                TagGroup group;
                read.attempt([&] { group.id = stringField(groups[i], at(r + ".tagGroups", i), "id"); });
                const auto p = byId(r + ".tagGroups", i, group.id);
                read.attempt([&] { onlyKnownFields(groups[i], p, {"id", "title", "values"}); });
                read.attempt([&] { group.title = localizedField(groups[i], p, "title"); });
                read.attempt([&] {
                    const auto& values = arrayField(groups[i], p, "values");
                    for (std::size_t j = 0; j < values.size(); ++j) {
                        TagValue value;
                        read.attempt([&] { value.id = stringField(values[j], at(p + ".values", j), "id"); });
                        const auto vp = byId(p + ".values", j, value.id);
                        read.attempt([&] { onlyKnownFields(values[j], vp, {"id", "title", "description"}); });
                        read.attempt([&] { value.title = localizedField(values[j], vp, "title"); });
                        read.attempt([&] { value.description = localizedField(values[j], vp, "description"); });
                        group.values.push_back(std::move(value));
                    }
                });
                d.tagGroups.push_back(std::move(group));
            }
        });
    }

    if (root.contains("comparableWith")) {
        read.attempt([&] {
            const auto& entries = arrayField(root, r, "comparableWith");
            for (std::size_t i = 0; i < entries.size(); ++i) {
                const auto p = at(r + ".comparableWith", i);
                read.attempt([&] {
                    onlyKnownFields(entries[i], p, {"version", "scales", "items"});
                    Comparability c;
                    c.version = stringField(entries[i], p, "version");
                    const auto& scaleIds = arrayField(entries[i], p, "scales");
                    for (std::size_t j = 0; j < scaleIds.size(); ++j) {
                        if (!scaleIds[j].is_string()) throw DefinitionError(at(p + ".scales", j), "expected a scale id (a string)");
                        c.scaleIds.push_back(scaleIds[j].get<std::string>());
                    }
                    const auto& mapping = field(entries[i], p, "items");
                    if (!mapping.is_object())
                        throw DefinitionError(p + ".items", "expected an object of this version's item id -> the earlier version's item id");
                    for (const auto& [itemId, earlierId] : mapping.items()) {
                        if (!earlierId.is_string())
                            throw DefinitionError(p + ".items." + itemId, "expected the earlier version's item id (a string)");
                        c.earlierItemIds[itemId] = earlierId.get<std::string>();
                    }
                    d.comparableWith.push_back(std::move(c));
                });
            }
        });
    }

    // What could not be read is already named; validate() adds what is wrong with the rest.
    auto problems = std::move(read.problems);
    const ProblemCollector unreadable{problems};
    for (auto& problem : validate(d))
        if (!unreadable.hasProblemIn(problem)) problems.push_back(std::move(problem));
    if (!problems.empty()) throw DefinitionError(std::move(problems), d.id, d.version);
    return d;
}

inline std::vector<std::string> validate(const Definition& d) {
    using detail::at;
    std::vector<std::string> problems;
    auto problem = [&](const std::string& path, const std::string& reason) { problems.push_back(path + ": " + reason); };
    // Every text in every required language: a Spanish page must never show English in silence.
    auto requireText = [&](const LocalizedText& t, const std::string& path) {
        for (const char* language : kRequiredLanguages) {
            if (t.has(language) && !t.byLanguage.at(language).empty()) continue;
            const std::string name = std::string_view(language) == "en" ? "English" : "Spanish";
            problem(path, name + " text (\"" + language + "\") is " + (t.has(language) ? "empty" : "missing"));
        }
    };

    if (!detail::isIdentifier(d.id)) problem("$.id", "expected lowercase letters, digits, - or _ (1-64 chars), got '" + d.id + "'");
    if (!detail::isSemanticVersion(d.version)) problem("$.version", "expected MAJOR.MINOR.PATCH, got '" + d.version + "'");
    requireText(d.title, "$.title");
    requireText(d.description, "$.description");
    if (!d.introduction.byLanguage.empty()) requireText(d.introduction, "$.introduction");

    const auto& options = d.responseScale.options;
    if (options.size() < 2 || options.size() > 11)
        problem("$.responseScale.options", "expected 2 to 11 options, got " + std::to_string(options.size()));
    for (std::size_t i = 0; i < options.size(); ++i) {
        const auto p = at("$.responseScale.options", i);
        if (options[i].code < 1 || options[i].code > 255) problem(p + ".code", "expected 1..255, got " + std::to_string(options[i].code));
        if (i > 0 && options[i].code != options[i - 1].code + 1)
            problem(p + ".code", "codes must be consecutive and increasing: expected " +
                                     std::to_string(options[i - 1].code + 1) + ", got " + std::to_string(options[i].code));
        requireText(options[i].label, p + ".label");
    }
    // Unscored options share the items' radio group and the stored byte, so their codes must be
    // codes no scored option has: a "don't know" stored as 3 would be scored as "developing".
    const auto& unscored = d.responseScale.unscoredOptions;
    if (unscored.size() > kMaxUnscoredOptions)
        problem("$.responseScale.unscoredOptions", "expected at most " + std::to_string(kMaxUnscoredOptions) +
                                                       " unscored options (e.g. \"don't know\", \"not applicable\"), got " +
                                                       std::to_string(unscored.size()));
    for (std::size_t i = 0; i < unscored.size(); ++i) {
        const auto p = at("$.responseScale.unscoredOptions", i);
        const int code = unscored[i].code;
        if (code < 1 || code > 255) problem(p + ".code", "expected 1..255, got " + std::to_string(code));
        for (const auto& option : options)
            if (option.code == code)
                problem(p + ".code", "code " + std::to_string(code) + " is already the scored option '" +
                                         (option.label.has("en") ? option.label.byLanguage.at("en") : std::string()) +
                                         "' (expected a code outside the scored codes, e.g. " +
                                         std::to_string(options.empty() ? 9 : std::max(options.back().code + 1, 9)) + ")");
        for (std::size_t j = 0; j < i; ++j)
            if (unscored[j].code == code)
                problem(p + ".code", "duplicate code " + std::to_string(code) + " (already " + at("$.responseScale.unscoredOptions", j) + ")");
        requireText(unscored[i].label, p + ".label");
    }

    if (d.scales.empty()) problem("$.scales", "at least one scale is required");
    for (std::size_t i = 0; i < d.scales.size(); ++i) {
        const auto& s = d.scales[i];
        const auto p = detail::byId("$.scales", i, s.id);
        if (!detail::isIdentifier(s.id)) problem(p + ".id", "expected lowercase letters, digits, - or _, got '" + s.id + "'");
        for (std::size_t j = 0; j < i; ++j)
            if (d.scales[j].id == s.id)
                problem(p + ".id", "duplicate scale id '" + s.id + "' (scales " + std::to_string(j + 1) + " and " +
                                       std::to_string(i + 1) + ")");
        if (s.subScoreOf) problem(p + ".subScoreOf", "is the host's: it adds a sub-score per tag value itself (declare $.tagGroups and tag the items)");
        if (s.customFigureOf) problem(p + ".customFigureOf", "is the host's: it adds a scale per custom figure itself (declare the scale's figures)");
        if (s.figures.size() > kMaxCustomFigures)
            problem(p + ".figures", "expected at most " + std::to_string(kMaxCustomFigures) + " custom figures, got " + std::to_string(s.figures.size()));
        for (std::size_t j = 0; j < s.figures.size(); ++j) {
            const auto& figure = s.figures[j];
            const auto fp = detail::byId(p + ".figures", j, figure.id);
            if (!detail::isIdentifier(figure.id)) problem(fp + ".id", "expected lowercase letters, digits, - or _, got '" + figure.id + "'");
            for (std::size_t k = 0; k < j; ++k)
                if (s.figures[k].id == figure.id) problem(fp + ".id", "duplicate figure id '" + figure.id + "'");
            requireText(figure.title, fp + ".title");
            requireText(figure.description, fp + ".description");
            if (!std::isfinite(figure.min) || !std::isfinite(figure.max) || !(figure.min < figure.max))
                problem(fp, "expected finite min < max, got " + std::to_string(figure.min) + " and " + std::to_string(figure.max));
            else if (!(figure.favorableAtLeast >= figure.min && figure.favorableAtLeast <= figure.max))
                problem(fp + ".favorableAtLeast", "must lie within the figure's range (min to max)");
        }
        requireText(s.title, p + ".title");
        requireText(s.description, p + ".description");
        const auto members = std::count_if(d.items.begin(), d.items.end(), [&](const Item& it) { return it.scaleId == s.id; });
        if (members == 0) problem(p, "scale '" + s.id + "' has no items");
        if (s.minAnswered < 1 || s.minAnswered > members)
            problem(p + ".minAnswered", "expected 1.." + std::to_string(members) + " (the scale's item count), got " +
                                            std::to_string(s.minAnswered));
        if (s.interpretation) {
            requireText(s.interpretation->strength, p + ".interpretation.strength");
            requireText(s.interpretation->growth, p + ".interpretation.growth");
            for (std::size_t j = 0; j < s.interpretation->practices.size(); ++j)
                requireText(s.interpretation->practices[j], at(p + ".interpretation.practices", j));
        }
        if (!options.empty() && (s.favorableAtLeast < options.front().code || s.favorableAtLeast > options.back().code))
            problem(p + ".favorableAtLeast", "must lie within the response codes " + std::to_string(options.front().code) +
                                                 ".." + std::to_string(options.back().code));
    }

    if (d.items.empty()) problem("$.items", "at least one item is required");
    for (std::size_t i = 0; i < d.items.size(); ++i) {
        const auto& item = d.items[i];
        const auto p = detail::byId("$.items", i, item.id);
        if (!detail::isIdentifier(item.id)) problem(p + ".id", "expected lowercase letters, digits, - or _, got '" + item.id + "'");
        for (std::size_t j = 0; j < i; ++j)
            if (d.items[j].id == item.id)
                problem(p + ".id", "duplicate item id '" + item.id + "' (items " + std::to_string(j + 1) + " and " +
                                       std::to_string(i + 1) + ")");
        if (!d.findScale(item.scaleId)) problem(p + ".scale", "unknown scale '" + item.scaleId + "'");
        requireText(item.text, p + ".text");
        for (const auto& [groupId, valueId] : item.tags) {
            const auto* group = d.findTagGroup(groupId);
            if (!group) {
                problem(p + ".tags." + groupId, "unknown tag group '" + groupId + "' (declare it in $.tagGroups)");
            } else if (!group->findValue(valueId)) {
                std::string known;
                for (const auto& value : group->values) known += (known.empty() ? "" : ", ") + value.id;
                problem(p + ".tags." + groupId, "unknown value '" + valueId + "' of tag group '" + groupId + "' (expected one of: " + known + ")");
            }
        }
    }

    // Tag groups: each value is a sub-score, so it needs items, titles to show and one favorable rule.
    std::size_t tagValueCount = 0;
    for (std::size_t i = 0; i < d.tagGroups.size(); ++i) {
        const auto& group = d.tagGroups[i];
        const auto p = detail::byId("$.tagGroups", i, group.id);
        if (!detail::isIdentifier(group.id)) problem(p + ".id", "expected lowercase letters, digits, - or _, got '" + group.id + "'");
        for (std::size_t j = 0; j < i; ++j)
            if (d.tagGroups[j].id == group.id) problem(p + ".id", "duplicate tag group id '" + group.id + "'");
        requireText(group.title, p + ".title");
        if (group.values.empty()) problem(p + ".values", "at least one value is required");
        tagValueCount += group.values.size();
        for (std::size_t j = 0; j < group.values.size(); ++j) {
            const auto& value = group.values[j];
            const auto vp = detail::byId(p + ".values", j, value.id);
            if (!detail::isIdentifier(value.id)) problem(vp + ".id", "expected lowercase letters, digits, - or _, got '" + value.id + "'");
            for (std::size_t k = 0; k < j; ++k)
                if (group.values[k].id == value.id) problem(vp + ".id", "duplicate value id '" + value.id + "'");
            requireText(value.title, vp + ".title");
            requireText(value.description, vp + ".description");
            const Scale* firstScale = nullptr;
            bool isTagged = false;
            for (const auto& item : d.items) {
                const auto tag = item.tags.find(group.id);
                if (tag == item.tags.end() || tag->second != value.id) continue;
                isTagged = true;
                const auto* scale = d.findScale(item.scaleId);
                if (!scale) continue;
                if (!firstScale) firstScale = scale;
                else if (scale->favorableAtLeast != firstScale->favorableAtLeast)
                    problem(vp, "its items are in scales with different favorable rules ('" + firstScale->id + "' and '" + scale->id +
                                    "'): a sub-score is favorable by its items' one rule, so tag only items of scales with the same favorableAtLeast");
            }
            if (!isTagged) problem(vp, "no item carries " + group.id + " '" + value.id + "' (tag items with \"tags\": {\"" + group.id + "\": \"" + value.id + "\"})");
        }
    }
    if (tagValueCount > kMaxTagValues)
        problem("$.tagGroups", "expected at most " + std::to_string(kMaxTagValues) + " tag values over all groups, got " + std::to_string(tagValueCount));

    // Only what this definition can tell alone; the host checks the rest (that the earlier
    // version's scales have exactly the mapped items, the same codes and favorable rule) when
    // both versions are loaded.
    for (std::size_t i = 0; i < d.comparableWith.size(); ++i) {
        const auto& c = d.comparableWith[i];
        const auto p = at("$.comparableWith", i);
        if (!detail::isSemanticVersion(c.version)) {
            problem(p + ".version", "expected MAJOR.MINOR.PATCH, got '" + c.version + "'");
        } else if (detail::isSemanticVersion(d.version) && !detail::isEarlierVersion(c.version, d.version)) {
            problem(p + ".version", "expected a version earlier than this one (" + d.version + "), got '" + c.version + "'");
        }
        for (std::size_t j = 0; j < i; ++j)
            if (d.comparableWith[j].version == c.version)
                problem(p + ".version", "duplicate version '" + c.version + "' (already declared in " + at("$.comparableWith", j) + ")");
        if (c.scaleIds.empty()) problem(p + ".scales", "at least one scale is required");
        for (std::size_t j = 0; j < c.scaleIds.size(); ++j) {
            const auto sp = at(p + ".scales", j);
            if (!d.findScale(c.scaleIds[j])) problem(sp, "unknown scale '" + c.scaleIds[j] + "'");
            for (std::size_t k = 0; k < j; ++k)
                if (c.scaleIds[k] == c.scaleIds[j]) problem(sp, "duplicate scale '" + c.scaleIds[j] + "'");
        }
        for (const auto& item : d.items)
            if (c.listsScale(item.scaleId) && c.earlierItemIds.count(item.id) == 0)
                problem(p + ".items", "item '" + item.id + "' of scale '" + item.scaleId +
                                          "' has no mapping (expected every item of a listed scale to name its item in version " +
                                          c.version + ")");
        std::map<std::string, std::string> mappedFrom;  // earlier item id -> this version's item id
        for (const auto& [itemId, earlierId] : c.earlierItemIds) {
            const auto ip = p + ".items." + itemId;
            const auto* item = d.findItem(itemId);
            if (!item) {
                problem(ip, "unknown item '" + itemId + "'");
            } else if (!c.listsScale(item->scaleId)) {
                problem(ip, "item '" + itemId + "' is in scale '" + item->scaleId + "', which is not listed in " + p + ".scales");
            }
            if (!detail::isIdentifier(earlierId))
                problem(ip, "expected an item id (lowercase letters, digits, - or _), got '" + earlierId + "'");
            if (auto [it, isNew] = mappedFrom.emplace(earlierId, itemId); !isNew)
                problem(ip, "maps to '" + earlierId + "', as item '" + it->second + "' does already (expected each earlier item once)");
        }
    }
    return problems;
}

}  // namespace mindset::sdk
