#include "analytics/RawExport.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "analytics/Csv.h"
#include "analytics/ResponseFormat.h"
#include "loader/DerivedScales.h"

namespace mindset::analytics {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
/// A withheld demographic value in a combination; sorts after every category.
constexpr std::uint16_t kWithheld = std::numeric_limits<std::uint16_t>::max();
constexpr std::size_t kMaxQuestions = 64;  // withheld values are bits of a uint64

std::uint32_t readUint32(std::span<const std::uint8_t> bytes, std::size_t offset) {
    return static_cast<std::uint32_t>(bytes[offset]) | static_cast<std::uint32_t>(bytes[offset + 1]) << 8 |
           static_cast<std::uint32_t>(bytes[offset + 2]) << 16 | static_cast<std::uint32_t>(bytes[offset + 3]) << 24;
}

std::uint64_t bit(std::size_t question) { return std::uint64_t{1} << question; }

/// Every question of `count` withheld.
std::uint64_t allOf(std::size_t count) { return count >= kMaxQuestions ? ~std::uint64_t{0} : bit(count) - 1; }

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180)

void writeRow(std::ostream& out, const std::vector<std::string>& fields) {
    std::string record;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) record += ',';
        appendCsvField(record, fields[i]);
    }
    record += "\r\n";
    out << record;
}

// ---------------------------------------------------------------------------------------------
// The survey's columns and scoring

std::string instrumentId(const surveys::SurveyInstrument& instrument) { return instrument.definition().id; }

std::vector<std::string> columnsOf(const surveys::SurveyDefinition& survey) {
    std::vector<std::string> columns;
    for (const auto& question : survey.demographics) columns.push_back(question.id);
    for (const auto& instrument : survey.instruments)
        for (const auto& item : instrument.definition().items) columns.push_back(instrumentId(instrument) + "." + item.id);
    for (const auto& instrument : survey.instruments)
        for (const auto& scale : instrument.definition().scales) columns.push_back(instrumentId(instrument) + "." + scale.id);
    std::set<std::string> seen;
    for (const auto& column : columns)
        if (!seen.insert(column).second)
            throw std::invalid_argument("survey '" + survey.id + "': two columns of the raw export would be called '" + column + "'");
    return columns;
}

/// Scores a response through each instrument, as buildProfile does, and notes whether each
/// instrument's scores are the SDK default.
class Scorer {
public:
    explicit Scorer(const surveys::SurveyDefinition& survey)
        : survey_(survey), isDefault_(survey.instruments.size(), true), failures_(survey.instruments.size()) {
        for (const auto& instrument : survey.instruments) {
            answers_.emplace_back();
            answers_.back().codes.resize(instrument.definition().items.size());
            firstScale_.push_back(scaleCount_);
            scaleCount_ += instrument.definition().scales.size();
        }
    }

    std::size_t scaleCount() const { return scaleCount_; }
    const std::vector<bool>& isDefault() const { return isDefault_; }
    /// Per instrument, its plugin's failure on this survey: from then on its scores are empty.
    const std::vector<std::optional<loader::PluginFailure>>& failures() const { return failures_; }
    bool hasFailed() const {
        return std::any_of(failures_.begin(), failures_.end(), [](const auto& f) { return f.has_value(); });
    }

    /// Fills `scores` (one per scale of the survey, instruments in order) with NaN where there is none.
    void score(std::span<const std::uint8_t> answers, std::vector<double>& scores, bool isCheckingDefault) {
        scores.assign(scaleCount_, kMissing);
        for (std::size_t i = 0; i < survey_.instruments.size(); ++i) {
            const auto& instrument = survey_.instruments[i];
            const auto& definition = instrument.definition();
            auto& codes = answers_[i].codes;
            for (std::size_t j = 0; j < codes.size(); ++j) {
                const int code = answers[instrument.firstAnswerIndex + j];
                codes[j] = definition.responseScale.isUnscoredCode(code) ? 0 : code;  // "don't know" is never scored
            }
            if (failures_[i]) continue;  // plugin code failed once on this survey: not called again
            std::vector<sdk::ScaleScore> given;
            const loader::HookCall where{instrument.key, "score", survey_.id};
            failures_[i] = loader::guardHook(where, [&] { given = instrument.instrument->score(answers_[i]); });
            if (!failures_[i])
                if (auto problem = scoreProblem(definition, given); !problem.empty())
                    failures_[i] = loader::reportFailure({where.instrumentKey, where.hook, where.surveyId, problem});
            if (failures_[i]) {
                isDefault_[i] = false;
                continue;
            }
            const auto declared = loader::declaredScaleCount(definition);
            for (std::size_t s = 0; s < declared; ++s)
                if (s < given.size() && given[s].value) scores[firstScale_[i] + s] = *given[s].value;
            const bool hasDerived = declared < definition.scales.size();
            if (!hasDerived && (!isCheckingDefault || !isDefault_[i])) continue;
            // The default scoring, which is also how the host scores sub-scores whatever the instrument's own.
            const auto standard = sdk::meanOfAnsweredItems(definition, answers_[i]);
            for (std::size_t s = declared; s < definition.scales.size(); ++s) {
                if (const auto position = loader::figurePositionOf(definition, definition.scales[s])) {
                    // What score() gave; scoreProblem checked there is one per figure.
                    if (const auto& value = given[position->scale].figures[position->figure]) scores[firstScale_[i] + s] = *value;
                } else if (standard[s].value) {
                    scores[firstScale_[i] + s] = *standard[s].value;
                }
            }
            if (!isCheckingDefault || !isDefault_[i]) continue;
            for (std::size_t s = 0; s < declared; ++s) {
                const double x = scores[firstScale_[i] + s];
                const bool isSame = standard[s].value ? !std::isnan(x) && std::abs(x - *standard[s].value) <= 1e-12 : std::isnan(x);
                if (!isSame) isDefault_[i] = false;
            }
        }
    }

private:
    const surveys::SurveyDefinition& survey_;
    std::vector<sdk::ItemAnswers> answers_;
    std::vector<std::size_t> firstScale_;
    std::size_t scaleCount_ = 0;
    std::vector<bool> isDefault_;
    std::vector<std::optional<loader::PluginFailure>> failures_;
};

// ---------------------------------------------------------------------------------------------
// Coarsening

/// Respondents who are alike in everything the coarsening looks at: their category of every
/// question, and which scales they have a score on.
struct RowClass {
    std::vector<std::uint16_t> categories;
    std::vector<bool> isScored;
    std::int64_t rows = 0;
};

/// Some rows of one class, and which of their demographic values are withheld.
struct Part {
    std::size_t rowClass = 0;
    std::uint64_t withheld = 0;
    std::int64_t rows = 0;
};

/// A group whose figures on one scale a reader of the profile knows: one category of a question,
/// or a set of them (the hidden ones, together), or cells of the crossed pair. Its "residue" — the
/// members whose rows do not show that they belong to it — has figures anyone can compute as the
/// profile's minus those of the rows that do show it.
struct Guard {
    std::size_t scale = 0;
    std::vector<std::size_t> questions;  ///< one, or the pair's row and column question
    std::size_t columns = 0;             ///< pair: categories of the column question
    std::vector<bool> members;           ///< by category, or by row category * columns + column category
    std::size_t withholdQuestion = 0;    ///< withheld to move members into the residue
};

class Coarsening {
public:
    Coarsening(const std::vector<RowClass>& classes, std::size_t questionCount, std::int64_t minimum, std::vector<std::size_t> order,
               const std::vector<std::vector<bool>>& withheldEverywhere)
        : classes_(classes), questionCount_(questionCount), minimum_(minimum), order_(std::move(order)) {
        for (std::size_t c = 0; c < classes_.size(); ++c) {
            std::uint64_t withheld = 0;
            for (std::size_t q = 0; q < questionCount_; ++q)
                if (withheldEverywhere[q][classes_[c].categories[q]]) withheld |= bit(q);
            parts_.push_back({c, withheld, classes_[c].rows});
        }
    }

    /// Withholds values until every combination is common enough and no guard's residue is small.
    void run(const std::vector<Guard>& guards) {
        do {
            while (makeCombinationsCommon()) {
            }
        } while (protectResidues(guards));
    }

    /// Sorted by class, then by withheld values.
    const std::vector<Part>& parts() const { return parts_; }

private:
    std::vector<std::uint16_t> combination(const Part& part) const {
        std::vector<std::uint16_t> values(questionCount_);
        for (std::size_t q = 0; q < questionCount_; ++q)
            values[q] = part.withheld & bit(q) ? kWithheld : classes_[part.rowClass].categories[q];
        return values;
    }

    std::map<std::vector<std::uint16_t>, std::int64_t> combinationSizes() const {
        std::map<std::vector<std::uint16_t>, std::int64_t> sizes;
        for (const auto& part : parts_) sizes[combination(part)] += part.rows;
        return sizes;
    }

    void merge() {
        std::sort(parts_.begin(), parts_.end(), [](const Part& a, const Part& b) {
            return a.rowClass != b.rowClass ? a.rowClass < b.rowClass : a.withheld < b.withheld;
        });
        std::vector<Part> merged;
        for (const auto& part : parts_) {
            if (part.rows == 0) continue;
            if (!merged.empty() && merged.back().rowClass == part.rowClass && merged.back().withheld == part.withheld)
                merged.back().rows += part.rows;
            else
                merged.push_back(part);
        }
        parts_ = std::move(merged);
    }

    /// One round of k-anonymity: every row of a too-rare combination loses its next value in the
    /// order. Returns whether anything changed.
    bool makeCombinationsCommon() {
        const auto sizes = combinationSizes();
        bool isChanged = false;
        for (auto& part : parts_) {
            if (sizes.at(combination(part)) >= minimum_) continue;
            for (const auto q : order_)
                if (!(part.withheld & bit(q))) {
                    part.withheld |= bit(q);
                    isChanged = true;
                    break;
                }
        }
        if (!isChanged) {
            // Only rows with every value withheld can be left too rare: join to them the
            // combination that costs the fewest values (rows times values still shown).
            const std::vector<std::uint16_t> nothing(questionCount_, kWithheld);
            const auto it = sizes.find(nothing);
            if (it == sizes.end() || it->second >= minimum_) return false;
            const std::vector<std::uint16_t>* cheapest = nullptr;
            std::int64_t cheapestCost = std::numeric_limits<std::int64_t>::max();
            for (const auto& [values, size] : sizes) {
                const auto shown = std::count_if(values.begin(), values.end(), [](auto v) { return v != kWithheld; });
                if (shown == 0 || size * shown >= cheapestCost) continue;
                cheapest = &values;
                cheapestCost = size * shown;
            }
            if (!cheapest) return false;
            const auto target = *cheapest;
            for (auto& part : parts_)
                if (combination(part) == target) part.withheld = allOf(questionCount_);
            isChanged = true;
        }
        merge();
        return true;
    }

    std::size_t memberIndex(const Guard& guard, const RowClass& rowClass) const {
        const auto first = rowClass.categories[guard.questions[0]];
        return guard.questions.size() == 1 ? first : first * guard.columns + rowClass.categories[guard.questions[1]];
    }

    bool isShownAsMember(const Guard& guard, const Part& part) const {
        for (const auto q : guard.questions)
            if (part.withheld & bit(q)) return false;
        return true;  // the caller knows the class is a member
    }

    /// Enlarges every residue that is neither empty nor at least the minimum, by withholding the
    /// guard's question in more of the members' rows (those in the rarest combinations first).
    /// Returns whether anything changed.
    bool protectResidues(const std::vector<Guard>& guards) {
        bool isChanged = false;
        std::map<std::vector<std::uint16_t>, std::int64_t> sizes;
        for (const auto& guard : guards) {
            std::int64_t residue = 0;
            std::vector<std::size_t> shown;
            for (std::size_t p = 0; p < parts_.size(); ++p) {
                const auto& rowClass = classes_[parts_[p].rowClass];
                if (!rowClass.isScored[guard.scale] || !guard.members[memberIndex(guard, rowClass)]) continue;
                if (isShownAsMember(guard, parts_[p])) shown.push_back(p);
                else residue += parts_[p].rows;
            }
            if (residue == 0 || residue >= minimum_ || shown.empty()) continue;
            if (!isChanged) sizes = combinationSizes();
            std::stable_sort(shown.begin(), shown.end(), [&](std::size_t a, std::size_t b) {
                return sizes[combination(parts_[a])] < sizes[combination(parts_[b])];
            });
            auto needed = minimum_ - residue;
            for (const auto p : shown) {
                const auto taken = std::min(needed, parts_[p].rows);
                if (taken == parts_[p].rows) {
                    parts_[p].withheld |= bit(guard.withholdQuestion);
                } else {
                    parts_[p].rows -= taken;
                    parts_.push_back({parts_[p].rowClass, parts_[p].withheld | bit(guard.withholdQuestion), taken});
                }
                needed -= taken;
                if (needed == 0) break;
            }
            merge();
            isChanged = true;
        }
        return isChanged;
    }

    const std::vector<RowClass>& classes_;
    std::size_t questionCount_;
    std::int64_t minimum_;
    std::vector<std::size_t> order_;
    std::vector<Part> parts_;
};

/// The question indexes in the order their values are withheld.
std::vector<std::size_t> withholdingOrder(const surveys::SurveyDefinition& survey, const std::vector<std::vector<Category>>& categories,
                                          const std::vector<std::string>& named) {
    std::vector<std::size_t> unnamed, order;
    for (std::size_t q = 0; q < survey.demographics.size(); ++q)
        if (std::find(named.begin(), named.end(), survey.demographics[q].id) == named.end()) unnamed.push_back(q);
    std::stable_sort(unnamed.begin(), unnamed.end(), [&](std::size_t a, std::size_t b) { return categories[a].size() > categories[b].size(); });
    order = unnamed;
    for (const auto& id : named)
        for (std::size_t q = 0; q < survey.demographics.size(); ++q)
            if (survey.demographics[q].id == id && std::find(order.begin(), order.end(), q) == order.end()) order.push_back(q);
    return order;
}

/// The groups a reader of `profile` knows the figures of, on every scale the profile shows.
std::vector<Guard> guardsOf(const Profile& profile, const std::vector<std::vector<Category>>& categories,
                            const std::vector<std::size_t>& order) {
    std::vector<Guard> guards;
    auto position = [&](std::size_t q) { return std::find(order.begin(), order.end(), q) - order.begin(); };
    for (std::size_t g = 0; g < profile.scales.size(); ++g) {
        if (profile.scales[g].hidden != HiddenBecause::Shown) continue;
        for (std::size_t q = 0; q < profile.breakdowns.size(); ++q) {
            const auto& cells = profile.breakdowns[q].cellsByScale[g];
            std::vector<bool> hidden(cells.size(), false);
            bool isAnyHidden = false;
            for (std::size_t c = 0; c < cells.size(); ++c) {
                if (cells[c].size == 0) continue;
                if (cells[c].hidden != HiddenBecause::Shown) {
                    hidden[c] = isAnyHidden = true;
                    continue;
                }
                std::vector<bool> one(cells.size(), false);
                one[c] = true;
                guards.push_back({g, {q}, 0, std::move(one), q});
            }
            if (isAnyHidden) guards.push_back({g, {q}, 0, std::move(hidden), q});  // district minus the shown ones
        }
        if (!profile.pair) continue;
        const auto rowQuestion = profile.pair->rowQuestion, columnQuestion = profile.pair->columnQuestion;
        const auto rows = categories[rowQuestion].size(), columns = categories[columnQuestion].size();
        const auto withhold = position(rowQuestion) < position(columnQuestion) ? rowQuestion : columnQuestion;
        const auto& cells = profile.pair->cellsByScale[g];
        auto pairGuard = [&](std::vector<bool> members) {
            if (std::find(members.begin(), members.end(), true) != members.end())
                guards.push_back({g, {rowQuestion, columnQuestion}, columns, std::move(members), withhold});
        };
        auto isHidden = [&](std::size_t i) { return cells[i].size > 0 && cells[i].hidden != HiddenBecause::Shown; };
        std::vector<bool> allHidden(cells.size(), false);
        for (std::size_t i = 0; i < cells.size(); ++i) {
            allHidden[i] = isHidden(i);
            if (cells[i].size == 0 || isHidden(i)) continue;
            std::vector<bool> one(cells.size(), false);
            one[i] = true;
            pairGuard(std::move(one));
        }
        // A row (column) of the table adds up to a category of its question: when that category is
        // shown, its hidden cells together are known too.
        for (std::size_t r = 0; r < rows; ++r) {
            if (profile.breakdowns[rowQuestion].cellsByScale[g][r].hidden != HiddenBecause::Shown) continue;
            std::vector<bool> members(cells.size(), false);
            for (std::size_t c = 0; c < columns; ++c) members[r * columns + c] = isHidden(r * columns + c);
            pairGuard(std::move(members));
        }
        for (std::size_t c = 0; c < columns; ++c) {
            if (profile.breakdowns[columnQuestion].cellsByScale[g][c].hidden != HiddenBecause::Shown) continue;
            std::vector<bool> members(cells.size(), false);
            for (std::size_t r = 0; r < rows; ++r) members[r * columns + c] = isHidden(r * columns + c);
            pairGuard(std::move(members));
        }
        pairGuard(std::move(allHidden));
    }
    return guards;
}

std::uint64_t fnv1a(std::span<const std::uint8_t> bytes) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const auto b : bytes) hash = (hash ^ b) * 1099511628211ull;
    return hash;
}

// ---------------------------------------------------------------------------------------------
// Codebook text

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string text;
    for (std::size_t i = 0; i < parts.size(); ++i) text += (i > 0 ? std::string(separator) : "") + parts[i];
    return text;
}

const ExportedQuestion* exported(const ExportSummary& summary, const std::string& questionId) {
    for (const auto& question : summary.questions)
        if (question.questionId == questionId) return &question;
    return nullptr;
}

std::string plural(std::int64_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

std::string categoryStatus(const ExportedCategory& category) {
    if (category.isWithheldEverywhere) return "withheld in every row";
    if (category.rows == 0) return "no respondents";
    if (category.isComplete) return "all " + plural(category.rows, "row", "rows") + ": exact";
    return plural(category.rows, "row", "rows") + "; some respondents withheld: not exact";
}

/// The example the recipes use: the first scale with items, and a category whose figures are exact.
struct Example {
    const surveys::SurveyInstrument* instrument = nullptr;
    const sdk::Scale* scale = nullptr;
    std::vector<const sdk::Item*> items;
    std::string question, category;
};

Example exampleOf(const surveys::SurveyDefinition& survey, const ExportSummary& summary) {
    Example example;
    for (const auto& instrument : survey.instruments) {
        for (const auto& scale : instrument.definition().scales) {
            std::vector<const sdk::Item*> items;
            for (const auto& item : instrument.definition().items)
                if (scale.holds(item)) items.push_back(&item);
            if (items.empty()) continue;
            example = {&instrument, &scale, items, "", ""};
            break;
        }
        if (example.scale) break;
    }
    // The largest exact group of the question withheld last (race/ethnicity by default), whose
    // categories are the most often exact.
    std::int64_t largest = 0;
    for (auto id = summary.withholdingOrder.rbegin(); id != summary.withholdingOrder.rend(); ++id) {
        const auto* question = exported(summary, *id);
        if (!question) continue;
        for (const auto& category : question->categories)
            if (category.isComplete && category.rows > largest && category.rows < summary.rows) {
                example.question = question->questionId;
                example.category = category.id;
                largest = category.rows;
            }
        if (!example.category.empty()) break;
    }
    return example;
}

/// The item values that read as missing when scoring: no answer ("") and every unscored option's.
std::vector<std::string> quotedMissingValues(const surveys::SurveyDefinition& survey) {
    std::set<std::string> values{"\"\""};
    for (const auto& instrument : survey.instruments)
        for (const auto& option : instrument.definition().responseScale.unscoredOptions) values.insert("\"" + unscoredValue(option.code) + "\"");
    return {values.begin(), values.end()};
}

std::string recipeInR(const surveys::SurveyDefinition& survey, const Example& example) {
    std::ostringstream r;
    const auto missing = quotedMissingValues(survey);
    r << "d <- read.csv(\"" << survey.id << "-responses.csv\", na.strings = "
      << (missing.size() == 1 ? missing.front() : "c(" + join(missing, ", ") + ")") << ", check.names = FALSE)"
      << (missing.size() == 1 ? "" : "  # unscored answers (\"don't know\") read as missing") << "\n";
    if (!example.scale) return r.str();
    const auto& definition = example.instrument->definition();
    const auto prefix = definition.id + ".";
    const auto reversed = definition.responseScale.minCode() + definition.responseScale.maxCode();
    r << "x <- d[[\"" << prefix << example.scale->id << "\"]]  # a scale score\n"
      << "c(n = sum(!is.na(x)), mean = mean(x, na.rm = TRUE), sd = sd(x, na.rm = TRUE))\n"
      << "t.test(x)$conf.int  # 95% interval of the mean\n"
      << "mean(x[!is.na(x)] >= " << shortestNumber(example.scale->favorableAtLeast) << ")  # share favorable\n"
      << "table(factor(d[[\"" << prefix << example.items[0]->id << "\"]], levels = " << definition.responseScale.minCode() << ":"
      << definition.responseScale.maxCode() << "), useNA = \"always\")  # answers to an item\n";
    std::vector<std::string> names;
    for (const auto* item : example.items) names.push_back("\"" + prefix + item->id + "\"");
    r << "items <- d[, c(" << join(names, ", ") << ")]\n";
    for (const auto* item : example.items)
        if (item->isReverseKeyed)
            r << "items[[\"" << prefix << item->id << "\"]] <- " << reversed << " - items[[\"" << prefix << item->id
              << "\"]]  # reverse keyed\n";
    r << "psych::alpha(na.omit(items))$total  # Cronbach's alpha, complete cases\n";
    if (!example.category.empty())
        r << "g <- d[[\"" << example.question << "\"]] == \"" << example.category << "\"  # a group whose figures are exact\n"
          << "mean(x[g], na.rm = TRUE); t.test(x[g], x[!g])  # the group, and against the rest of the district (Welch)\n";
    return r.str();
}

std::string recipeInPython(const surveys::SurveyDefinition& survey, const Example& example) {
    std::ostringstream py;
    py << "import pandas as pd\nfrom scipy import stats\n"
       << "d = pd.read_csv(\"" << survey.id << "-responses.csv\", keep_default_na=False, na_values=[" << join(quotedMissingValues(survey), ", ")
       << "])\n";
    if (!example.scale) return py.str();
    const auto& definition = example.instrument->definition();
    const auto prefix = definition.id + ".";
    const auto reversed = definition.responseScale.minCode() + definition.responseScale.maxCode();
    py << "x = d[\"" << prefix << example.scale->id << "\"]  # a scale score\n"
       << "x.count(), x.mean(), x.std()  # n, mean, SD (divisor n - 1)\n"
       << "stats.t.interval(0.95, x.count() - 1, loc=x.mean(), scale=stats.sem(x.dropna()))\n"
       << "(x.dropna() >= " << shortestNumber(example.scale->favorableAtLeast) << ").mean()  # share favorable\n"
       << "d[\"" << prefix << example.items[0]->id << "\"].value_counts(dropna=False)  # answers to an item\n";
    std::vector<std::string> names;
    for (const auto* item : example.items) names.push_back("\"" + prefix + item->id + "\"");
    py << "items = d[[" << join(names, ", ") << "]].copy()\n";
    for (const auto* item : example.items)
        if (item->isReverseKeyed)
            py << "items[\"" << prefix << item->id << "\"] = " << reversed << " - items[\"" << prefix << item->id << "\"]  # reverse keyed\n";
    py << "items = items.dropna(); k = items.shape[1]\n"
       << "k / (k - 1) * (1 - items.var().sum() / items.sum(axis=1).var())  # Cronbach's alpha, complete cases\n";
    if (!example.category.empty())
        py << "g = d[\"" << example.question << "\"] == \"" << example.category << "\"  # a group whose figures are exact\n"
           << "x[g].mean(); stats.ttest_ind(x[g].dropna(), x[~g].dropna(), equal_var=False)  # against the rest (Welch)\n";
    return py.str();
}

}  // namespace

ExportSummary writeRawExport(const surveys::SurveyDefinition& survey, const ResponseSource& source, std::ostream& csv,
                             const ExportOptions& options) {
    const auto questionCount = survey.demographics.size();
    if (questionCount > kMaxQuestions)
        throw std::invalid_argument("survey '" + survey.id + "': the raw export handles at most 64 demographic questions, got " +
                                    std::to_string(questionCount));
    std::vector<std::vector<Category>> categories;
    for (const auto& question : survey.demographics) {
        categories.push_back(categoriesOf(question));
        if (categories.back().size() >= kWithheld)
            throw std::invalid_argument("survey '" + survey.id + "': question '" + question.id + "' has too many choices for the raw export");
        for (const auto& category : categories.back())
            if (category.id == kWithheldValue)
                throw std::invalid_argument("survey '" + survey.id + "': question '" + question.id + "' has a choice called '" +
                                            kWithheldValue + "', the raw export's mark of a withheld value");
    }
    const auto minimum = static_cast<std::int64_t>(survey.minGroupSize);

    ExportSummary summary;
    summary.surveyId = survey.id;
    summary.minGroupSize = survey.minGroupSize;
    summary.columns = columnsOf(survey);
    const auto order = withholdingOrder(survey, categories, options.withholdingOrder);
    for (const auto q : order) summary.withholdingOrder.push_back(survey.demographics[q].id);

    // Read every response once; keep the bytes and each respondent's class.
    const auto demographicBytes = questionCount * 4;
    const auto answerBytes = survey.answerCount();
    const auto stride = demographicBytes + answerBytes;
    std::vector<std::uint8_t> bytes;
    std::vector<std::size_t> classOf;
    std::map<std::vector<std::uint16_t>, std::size_t> classIndex;  // categories, then 0/1 per scale
    Scorer scorer(survey);
    std::vector<double> scores;
    std::vector<std::uint16_t> key(questionCount + scorer.scaleCount());
    source([&](const ResponseBytes& response) {
        if (response.demographics.size() != demographicBytes || response.answers.size() != answerBytes)
            throw std::invalid_argument("a stored response of survey '" + survey.id + "' does not fit its layout");
        bytes.insert(bytes.end(), response.demographics.begin(), response.demographics.end());
        bytes.insert(bytes.end(), response.answers.begin(), response.answers.end());
        for (std::size_t q = 0; q < questionCount; ++q)
            key[q] = static_cast<std::uint16_t>(categoryOf(survey.demographics[q], readUint32(response.demographics, q * 4)));
        scorer.score(response.answers, scores, false);
        for (std::size_t g = 0; g < scores.size(); ++g) key[questionCount + g] = std::isnan(scores[g]) ? 0 : 1;
        classOf.push_back(classIndex.try_emplace(key, classIndex.size()).first->second);
    });
    if (scorer.hasFailed()) {  // rows scored before the failure must not differ from those after it
        classOf.clear();
        classIndex.clear();
        const auto stride = demographicBytes + answerBytes;
        for (std::size_t offset = 0; offset < bytes.size(); offset += stride) {
            const std::span<const std::uint8_t> demographics(bytes.data() + offset, demographicBytes);
            for (std::size_t q = 0; q < questionCount; ++q)
                key[q] = static_cast<std::uint16_t>(categoryOf(survey.demographics[q], readUint32(demographics, q * 4)));
            scorer.score(std::span<const std::uint8_t>(bytes.data() + offset + demographicBytes, answerBytes), scores, false);
            for (std::size_t g = 0; g < scores.size(); ++g) key[questionCount + g] = std::isnan(scores[g]) ? 0 : 1;
            classOf.push_back(classIndex.try_emplace(key, classIndex.size()).first->second);
        }
    }
    const auto count = classOf.size();
    summary.responses = static_cast<std::int64_t>(count);
    auto demographicsOf = [&](std::size_t row) { return std::span<const std::uint8_t>(bytes.data() + row * stride, demographicBytes); };
    auto answersOf = [&](std::size_t row) { return std::span<const std::uint8_t>(bytes.data() + row * stride + demographicBytes, answerBytes); };

    // Classes numbered in key order, so that nothing depends on the order the responses came in.
    std::vector<RowClass> classes;
    std::vector<std::size_t> renumbered(classIndex.size());
    for (const auto& [values, index] : classIndex) {
        renumbered[index] = classes.size();
        RowClass rowClass;
        rowClass.categories.assign(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(questionCount));
        for (std::size_t g = questionCount; g < values.size(); ++g) rowClass.isScored.push_back(values[g] != 0);
        classes.push_back(std::move(rowClass));
    }
    for (auto& c : classOf) {
        c = renumbered[c];
        ++classes[c].rows;
    }

    // What is withheld, and in which rows.
    std::vector<std::uint64_t> withheldOf(count, 0);
    std::vector<std::vector<std::int64_t>> respondents(questionCount), named(questionCount);
    for (std::size_t q = 0; q < questionCount; ++q) {
        respondents[q].assign(categories[q].size(), 0);
        named[q].assign(categories[q].size(), 0);
    }
    for (const auto& rowClass : classes)
        for (std::size_t q = 0; q < questionCount; ++q) respondents[q][rowClass.categories[q]] += rowClass.rows;

    const bool isTooFew = summary.responses < minimum;
    if (!isTooFew) {
        const auto profile = buildProfile(survey, [&](const std::function<void(const ResponseBytes&)>& each) {
            for (std::size_t row = 0; row < count; ++row) each({demographicsOf(row), answersOf(row)});
        }, options.profile);
        std::vector<std::vector<bool>> everywhere(questionCount);
        for (std::size_t q = 0; q < questionCount; ++q) {
            everywhere[q].assign(categories[q].size(), false);
            for (std::size_t c = 0; c < categories[q].size(); ++c) {
                everywhere[q][c] = respondents[q][c] > 0 && respondents[q][c] < minimum;
                for (std::size_t g = 0; g < profile.scales.size(); ++g) {
                    if (profile.scales[g].hidden != HiddenBecause::Shown) continue;
                    const auto& cell = profile.breakdowns[q].cellsByScale[g][c];
                    if (cell.size > 0 && cell.hidden != HiddenBecause::Shown) everywhere[q][c] = true;
                }
            }
        }
        Coarsening coarsening(classes, questionCount, minimum, order, everywhere);
        coarsening.run(guardsOf(profile, categories, order));

        // Which rows of a class get which withheld values: by a hash of their answers, so that the
        // choice depends on the content alone.
        std::vector<std::size_t> byClass(count);
        std::iota(byClass.begin(), byClass.end(), std::size_t{0});
        std::vector<std::uint64_t> hashes(count);
        for (std::size_t row = 0; row < count; ++row) hashes[row] = fnv1a(answersOf(row));
        std::sort(byClass.begin(), byClass.end(), [&](std::size_t a, std::size_t b) {
            if (classOf[a] != classOf[b]) return classOf[a] < classOf[b];
            if (hashes[a] != hashes[b]) return hashes[a] < hashes[b];
            const auto x = answersOf(a), y = answersOf(b);
            return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end());
        });
        std::size_t next = 0;
        for (const auto& part : coarsening.parts())  // sorted by class, like byClass
            for (std::int64_t i = 0; i < part.rows; ++i) withheldOf[byClass[next++]] = part.withheld;
    }

    // The rows, sorted by what they show.
    std::vector<std::size_t> rows;
    if (!isTooFew) {
        rows.resize(count);
        std::iota(rows.begin(), rows.end(), std::size_t{0});
    }
    auto shownCategory = [&](std::size_t row, std::size_t q) {
        return withheldOf[row] & bit(q) ? kWithheld : classes[classOf[row]].categories[q];
    };
    std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
        for (std::size_t q = 0; q < questionCount; ++q)
            if (shownCategory(a, q) != shownCategory(b, q)) return shownCategory(a, q) < shownCategory(b, q);
        const auto x = answersOf(a), y = answersOf(b);
        return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end());
    });

    writeRow(csv, summary.columns);
    std::vector<std::string> codeText(256);  // 0: not answered, empty
    for (std::size_t code = 1; code < codeText.size(); ++code) codeText[code] = std::to_string(code);
    // An instrument with unscored options writes them as text ("unscored-9"), so that no tool
    // reads a "don't know" as a point of the scale; the other instruments share codeText.
    std::vector<std::vector<std::string>> unscoredText;
    std::vector<const std::vector<std::string>*> textOfAnswer;
    unscoredText.reserve(survey.instruments.size());
    for (const auto& instrument : survey.instruments) {
        const auto& unscored = instrument.definition().responseScale.unscoredOptions;
        const auto* text = &codeText;
        if (!unscored.empty()) {
            unscoredText.push_back(codeText);
            for (const auto& option : unscored) unscoredText.back()[static_cast<std::size_t>(option.code)] = unscoredValue(option.code);
            text = &unscoredText.back();
        }
        textOfAnswer.insert(textOfAnswer.end(), instrument.definition().items.size(), text);
    }
    std::string record;
    for (const auto row : rows) {
        record.clear();
        std::size_t fieldCount = 0;
        auto nextField = [&] {
            if (fieldCount++ > 0) record += ',';
        };
        for (std::size_t q = 0; q < questionCount; ++q) {
            nextField();
            const auto category = shownCategory(row, q);
            if (category == kWithheld) {
                record += kWithheldValue;
                continue;
            }
            appendCsvField(record, categories[q][category].id);
            ++named[q][category];
        }
        const auto answers = answersOf(row);
        for (std::size_t j = 0; j < answers.size(); ++j) {
            nextField();
            record += (*textOfAnswer[j])[answers[j]];
        }
        scorer.score(answers, scores, true);
        for (const auto score : scores) {
            nextField();
            if (!std::isnan(score)) appendShortestNumber(record, score);
        }
        record += "\r\n";
        csv << record;
    }
    summary.rows = static_cast<std::int64_t>(rows.size());

    for (std::size_t q = 0; q < questionCount; ++q) {
        ExportedQuestion question{survey.demographics[q].id, 0, {}};
        for (std::size_t c = 0; c < categories[q].size(); ++c) {
            ExportedCategory category{categories[q][c].id, named[q][c], named[q][c] == respondents[q][c] || isTooFew,
                                      respondents[q][c] > 0 && named[q][c] == 0 && !isTooFew};
            question.withheldRows += respondents[q][c] - named[q][c];
            question.categories.push_back(std::move(category));
        }
        if (isTooFew) question.withheldRows = 0;
        summary.questions.push_back(std::move(question));
    }
    for (std::size_t i = 0; i < survey.instruments.size(); ++i)
        summary.instruments.push_back({survey.instruments[i].key, isTooFew || scorer.isDefault()[i],
                                       scorer.failures()[i] ? scorer.failures()[i]->message() : std::string()});
    return summary;
}

void writeCodebook(const surveys::SurveyDefinition& survey, const ExportSummary& summary, std::ostream& out) {
    writeRow(out, {"variable", "kind", "label", "type", "values", "notes"});
    const auto k = std::to_string(summary.minGroupSize);

    // About the file.
    std::vector<std::string> questionIds, withheldCounts, exact;
    for (const auto& question : survey.demographics) questionIds.push_back(question.id);
    for (const auto& question : summary.questions) {
        withheldCounts.push_back(question.questionId + " " + std::to_string(question.withheldRows));
        std::vector<std::string> ids;
        for (const auto& category : question.categories)
            if (category.isComplete && category.rows > 0) ids.push_back(category.id);
        exact.push_back(question.questionId + ": " + (ids.empty() ? "none" : join(ids, ", ")));
    }
    std::string file = plural(summary.rows, "row", "rows") + ", one per response to survey " + survey.id + " (" + survey.districtName +
                       ", " + survey.schoolYear + ").";
    if (summary.rows == 0 && summary.responses > 0)
        file += " There are no rows because the survey has fewer responses than the minimum group size (" + k +
                "); the district profile shows nothing either.";
    file += " No row holds a name, an access code, an address or a time, and rows are sorted by their content, so their order "
            "says nothing about who answered when. Columns: the demographic questions (" + join(questionIds, ", ") +
            "), one column per item (<instrument>.<item>: the response code as stored, empty when not answered), one column per "
            "scale (<instrument>.<scale>: the score the instrument computed, empty when there is none, with enough digits to "
            "reproduce every mean exactly). UTF-8, comma-separated, fields quoted as in RFC 4180, first row = column names; the "
            "recipes below expect the file to be saved as " + survey.id + "-responses.csv.";
    writeRow(out, {"about.file", "about", "Raw de-identified responses: " + survey.title.in("en"), "", "", file});

    const auto order = join(summary.withholdingOrder, ", ");
    writeRow(out, {"about.privacy", "about", "Privacy: minimum group size " + k, "", "",
                   "Every combination of the demographic columns, 'withheld' counting as a value, occurs in at least " + k +
                       " rows (k-anonymity with k = " + k + "). To get there: (1) a category with fewer than " + k +
                       " respondents, or one the district profile hides, is withheld in every row, so this file never names a group the "
                       "profile protects; (2) in rows whose combination was still rarer than " + k +
                       ", one more value was withheld at a time, in this order: " + order +
                       "; (3) where some respondents of a group the profile shows had their value withheld, it was withheld in enough "
                       "further rows of that group that comparing this file with the profile reveals the figures of none or of at least " +
                       k + " people (the crossed table of the profile included). A multiple-choice question holds one category per "
                       "respondent, as the profile counts them: someone who selected more than one choice is 'two-or-more'; there "
                       "are no per-choice columns, because the combinations chosen would single people out. Rows with a value "
                       "withheld, per question: " + join(withheldCounts, "; ") +
                       ". Do not combine exports taken at different times (for example during and after fielding): the responses "
                       "added in between change what is withheld."});

    writeRow(out, {"about.exact", "about", "Which figures this file reproduces exactly", "", "",
                   "Every district figure of the profile (n, mean, SD, interval, % favorable, answer distributions, Cronbach's alpha), "
                   "from all rows. A group's figures, and its gap against the rest of the district, when every respondent of the "
                   "category is named (marked 'exact' in the values of its question): then the rows naming it are exactly the "
                   "group and every other row is the rest. A cell of the profile's crossed table is exact when both its categories "
                   "are. Categories marked 'not exact' are named in only some of their respondents' rows; 'withheld in every row' "
                   "cannot be studied from this file. Exact categories: " + join(exact, "; ") + "."});

    const auto example = exampleOf(survey, summary);
    writeRow(out, {"about.r", "about", "Recompute in R (psych for alpha)", "", "", recipeInR(survey, example)});
    writeRow(out, {"about.python", "about", "Recompute in Python (pandas, SciPy)", "", "", recipeInPython(survey, example)});

    // One row per column.
    for (const auto& question : survey.demographics) {
        const auto* exportedQuestion = exported(summary, question.id);
        std::vector<std::string> values;
        const auto categories = categoriesOf(question);
        for (std::size_t c = 0; c < categories.size(); ++c) {
            auto line = categories[c].id + " = " + categories[c].label.in("en");
            if (summary.rows > 0 && exportedQuestion && c < exportedQuestion->categories.size())
                line += " (" + categoryStatus(exportedQuestion->categories[c]) + ")";
            values.push_back(line);
        }
        const auto withheld = exportedQuestion ? exportedQuestion->withheldRows : 0;
        values.push_back(std::string(kWithheldValue) + " = withheld for privacy (" + plural(withheld, "row", "rows") + ")");
        std::string notes = "One category per respondent, as the district profile counts them; 'no-answer' = the question was skipped.";
        if (question.isMultiple)
            notes += " Several choices may be selected: a respondent who selected more than one is 'two-or-more' and counts in "
                     "no single choice. No per-choice columns.";
        notes += " Withheld in " + std::to_string(withheld) + " of " + plural(summary.rows, "row", "rows") + " (see about.privacy).";
        writeRow(out, {question.id, "demographic", question.label.in("en"), "category", join(values, "\n"), notes});
    }

    for (const auto& instrument : survey.instruments) {
        const auto& definition = instrument.definition();
        std::vector<std::string> codes;
        for (const auto& option : definition.responseScale.options)
            codes.push_back(std::to_string(option.code) + " = " + option.label.in("en"));
        for (const auto& option : definition.responseScale.unscoredOptions)
            codes.push_back(unscoredValue(option.code) + " = " + option.label.in("en") +
                            " (not scored: left out of scores, reliability and % favorable; counted in the answers to an item)");
        codes.push_back(survey.allowsPreferNotToAnswer ? "(empty) = not answered, or 'prefer not to answer'" : "(empty) = not answered");
        const auto reversed = definition.responseScale.minCode() + definition.responseScale.maxCode();
        for (const auto& item : definition.items) {
            std::string notes = "Instrument " + instrument.key + ", scale " + definition.id + "." + item.scaleId + ". ";
            notes += item.isReverseKeyed ? "Reverse keyed: keyed value = " + std::to_string(reversed) + " - code."
                                         : "Not reverse keyed: keyed value = code.";
            writeRow(out, {definition.id + "." + item.id, "item", item.text.in("en"), "integer", join(codes, "\n"), notes});
        }
    }

    for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
        const auto& instrument = survey.instruments[i];
        const auto& definition = instrument.definition();
        const bool isDefault = i >= summary.instruments.size() || summary.instruments[i].isDefaultScoring;
        const auto reversed = definition.responseScale.minCode() + definition.responseScale.maxCode();
        for (const auto& scale : definition.scales) {
            std::vector<std::string> items;
            for (const auto& item : definition.items)
                if (scale.holds(item)) items.push_back(item.id + (item.isReverseKeyed ? " (reverse keyed)" : ""));
            const auto range = scoreRangeOf(definition, scale, "en");
            std::string notes;
            if (const auto* figure = loader::customFigureOf(definition, scale)) {
                notes = "Custom figure '" + figure->id + "' of scale '" + scale.customFigureOf->scale +
                        "', computed by the instrument's own code (not by Mindset): " + figure->description.in("en") + " ";
            } else {
                if (scale.isSubScore())
                    notes = "Sub-score: the items tagged " + scale.subScoreOf->group + " = " + scale.subScoreOf->value +
                            ", which count in their own scales too. ";
                notes += "Items: " + join(items, ", ") + ". Score: the mean of the answered items after reverse keying (" +
                         std::to_string(reversed) + " - code), present when at least " + std::to_string(scale.minAnswered) + " of the " +
                         std::to_string(items.size()) + " are answered (the SDK's rule). ";
                if (scale.isSubScore())
                    notes += "Mindset computes every sub-score by that rule, whatever the instrument's own scoring. ";
                else
                    notes += isDefault ? "Checked: this column equals that mean in every row of this file. "
                                       : "This instrument scores with its own rule, which differs from that mean in some rows: use this column. ";
            }
            if (i < summary.instruments.size() && !summary.instruments[i].failure.empty())
                notes += "Empty in every row: " + summary.instruments[i].failure + ". ";
            notes += "Favorable: a score of at least " + shortestNumber(scale.favorableAtLeast) + ". Instrument " + instrument.key + ".";
            writeRow(out, {definition.id + "." + scale.id, "scale", scale.title.in("en"), "number",
                           shortestNumber(range.min) + " to " + shortestNumber(range.max) + "\n(empty) = no score", notes});
        }
    }
}

}  // namespace mindset::analytics
