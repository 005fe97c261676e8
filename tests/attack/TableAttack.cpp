#include "attack/TableAttack.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include <glpk.h>

namespace mindset::attack {

using nlohmann::json;

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
/// Published means are doubles: mean x n is the score sum to far better than this.
constexpr double kSumTolerance = 1e-4;
/// Per integer program; beyond it the LP relaxation's bound is used, which is still a proven bound.
constexpr int kTimeLimitMs = 4000;

using Terms = std::vector<std::pair<int, double>>;

/// A mixed-integer program in GLPK, built row by row and then optimized for many objectives.
class Program {
public:
    Program() : problem_(glp_create_prob()) {
        static const bool isQuiet = [] { return glp_term_out(GLP_OFF), true; }();
        (void)isQuiet;
    }
    ~Program() { glp_delete_prob(problem_); }
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;

    int column(double lower, double upper, bool isInteger) {
        const int j = glp_add_cols(problem_, 1);
        setBounds(j, lower, upper);
        glp_set_col_kind(problem_, j, isInteger ? GLP_IV : GLP_CV);
        return j;
    }
    void setBounds(int j, double lower, double upper) {
        glp_set_col_bnds(problem_, j, lower == upper ? GLP_FX : GLP_DB, lower, upper);
    }
    std::pair<double, double> bounds(int j) const { return {glp_get_col_lb(problem_, j), glp_get_col_ub(problem_, j)}; }
    void raiseLower(int j, double lower) {
        auto [lo, hi] = bounds(j);
        setBounds(j, std::max(lo, lower), hi);
    }
    void lowerUpper(int j, double upper) {
        auto [lo, hi] = bounds(j);
        setBounds(j, lo, std::min(hi, upper));
    }

    /// lower <= sum(terms) <= upper (either may be infinite).
    void row(const Terms& terms, double lower, double upper) {
        std::map<int, double> merged;
        for (const auto& [j, a] : terms) merged[j] += a;
        std::vector<int> index{0};
        std::vector<double> value{0};
        for (const auto& [j, a] : merged)
            if (a != 0) index.push_back(j), value.push_back(a);
        const int i = glp_add_rows(problem_, 1);
        const int type = std::isinf(lower) && std::isinf(upper) ? GLP_FR
                         : std::isinf(lower)                    ? GLP_UP
                         : std::isinf(upper)                    ? GLP_LO
                         : lower == upper                       ? GLP_FX
                                                                : GLP_DB;
        glp_set_row_bnds(problem_, i, type, std::isinf(lower) ? 0 : lower, std::isinf(upper) ? 0 : upper);
        glp_set_mat_row(problem_, i, static_cast<int>(index.size()) - 1, index.data(), value.data());
    }

    /// The optimum of `objective` (or a proven bound on it when the time limit is hit); nullopt
    /// when nothing satisfies the constraints. After an exact optimum, columnValue() reads the solution.
    std::optional<double> optimum(const Terms& objective, bool isMaximum) {
        ++solves_;
        isExact_ = false;
        for (int j = 1; j <= glp_get_num_cols(problem_); ++j) glp_set_obj_coef(problem_, j, 0);
        for (const auto& [j, a] : objective) glp_set_obj_coef(problem_, j, glp_get_obj_coef(problem_, j) + a);
        glp_set_obj_dir(problem_, isMaximum ? GLP_MAX : GLP_MIN);
        glp_iocp parameters;
        glp_init_iocp(&parameters);
        parameters.presolve = GLP_ON;
        parameters.msg_lev = GLP_MSG_OFF;
        parameters.tm_lim = kTimeLimitMs;
        const int result = glp_intopt(problem_, &parameters);
        if (result == GLP_EBOUND) throw std::logic_error("the attacker's program has a column with crossed bounds");
        if (result == GLP_ENOPFS) return std::nullopt;
        if (result == GLP_ENODFS) return isMaximum ? kInfinity : -kInfinity;
        if (result == 0 && glp_mip_status(problem_) == GLP_NOFEAS) return std::nullopt;
        if (result == 0 && glp_mip_status(problem_) == GLP_OPT) {
            isExact_ = true;
            if (onSolution_) onSolution_();
            return glp_mip_obj_val(problem_);
        }
        // Out of time: the LP relaxation's optimum still bounds the integer one.
        glp_smcp simplex;
        glp_init_smcp(&simplex);
        simplex.msg_lev = GLP_MSG_OFF;
        simplex.presolve = GLP_ON;
        if (glp_simplex(problem_, &simplex) == 0 && glp_get_status(problem_) == GLP_OPT) return glp_get_obj_val(problem_);
        return isMaximum ? kInfinity : -kInfinity;
    }
    bool wasExact() const { return isExact_; }
    /// Called after every exact optimum, while columnValue() reads its solution.
    void onSolution(std::function<void()> observe) { onSolution_ = std::move(observe); }
    double columnValue(int j) const { return glp_mip_col_val(problem_, j); }
    int solves() const { return solves_; }

private:
    glp_prob* problem_;
    int solves_ = 0;
    bool isExact_ = false;
    std::function<void()> onSolution_;
};

/// A group's unknowns on one scale: respondents with a score, favorable ones, sum of scores.
struct Unknowns {
    int count = 0;
    int favorable = 0;
    int sum = 0;
};

/// Respondents the raw export still names as members of a group, on one scale.
struct Named {
    std::int64_t count = 0;
    std::int64_t favorable = 0;
    double sum = 0;
};

/// One shown scale's integer program.
class ScaleModel {
public:
    /// `isEmptyShown`: the product shows empty groups as empty, so a hidden group is not empty.
    ScaleModel(double lowestScore, double highestScore, double favorableAtLeast, std::int64_t districtCount, bool isEmptyShown)
        : low_(lowestScore), high_(highestScore), threshold_(favorableAtLeast), districtCount_(districtCount),
          isEmptyShown_(isEmptyShown) {}

    Unknowns group() {
        const auto n = static_cast<double>(districtCount_);
        Unknowns u{program_.column(0, n, true), program_.column(0, n, true),
                   program_.column(std::min(0.0, low_ * n), std::max(0.0, high_ * n), false)};
        program_.row({{u.favorable, 1}, {u.count, -1}}, -kInfinity, 0);
        program_.row({{u.sum, 1}, {u.count, -low_}}, 0, kInfinity);
        program_.row({{u.sum, 1}, {u.count, -high_}}, -kInfinity, 0);
        // Favorable members score at least the threshold, the others below it.
        program_.row({{u.sum, 1}, {u.favorable, -(threshold_ - low_)}, {u.count, -low_}}, 0, kInfinity);
        program_.row({{u.sum, 1}, {u.favorable, -(high_ - threshold_)}, {u.count, -threshold_}}, -kInfinity, 0);
        return u;
    }

    /// What a cell of the profile JSON says about its group.
    void publish(const Unknowns& u, const json& cell) {
        if (cell.value("empty", false)) {
            program_.setBounds(u.count, 0, 0);
            return;
        }
        if (cell.contains("hidden")) {
            if (isEmptyShown_) program_.raiseLower(u.count, 1);  // hidden, not shown as empty: someone is in it
            return;
        }
        if (!cell.contains("n") || !cell["n"].is_number()) return;
        const auto n = cell["n"].get<double>();
        program_.setBounds(u.count, n, n);
        if (cell.contains("favorable") && cell["favorable"]["count"].is_number()) {
            const auto favorable = cell["favorable"]["count"].get<double>();
            program_.setBounds(u.favorable, favorable, favorable);
        }
        if (cell.contains("mean") && cell["mean"].is_number()) {
            const auto sum = cell["mean"].get<double>() * n;
            program_.setBounds(u.sum, sum - kSumTolerance, sum + kSumTolerance);
        }
    }

    /// The parts add up to the whole.
    void sum(const std::vector<Unknowns>& parts, const Unknowns& whole) {
        Terms count{{whole.count, -1}}, favorable{{whole.favorable, -1}}, scores{{whole.sum, -1}};
        for (const auto& p : parts) count.push_back({p.count, 1}), favorable.push_back({p.favorable, 1}), scores.push_back({p.sum, 1});
        program_.row(count, 0, 0);
        program_.row(favorable, 0, 0);
        program_.row(scores, 0, 0);
    }

    /// Some members are known from the raw export (the rest may be anyone with the value withheld).
    void atLeast(const Unknowns& u, const Named& named) {
        const auto c = static_cast<double>(named.count), a = static_cast<double>(named.favorable);
        program_.raiseLower(u.count, c);
        program_.raiseLower(u.favorable, a);
        program_.row({{u.favorable, 1}, {u.count, -1}}, -kInfinity, a - c);
        program_.row({{u.sum, 1}, {u.count, -low_}}, named.sum - low_ * c - kSumTolerance, kInfinity);
        program_.row({{u.sum, 1}, {u.count, -high_}}, -kInfinity, named.sum - high_ * c + kSumTolerance);
        program_.row({{u.sum, 1}, {u.favorable, -(threshold_ - low_)}, {u.count, -low_}},
                     named.sum - (threshold_ - low_) * a - low_ * c - kSumTolerance, kInfinity);
        program_.row({{u.sum, 1}, {u.favorable, -(high_ - threshold_)}, {u.count, -threshold_}}, -kInfinity,
                     named.sum - (high_ - threshold_) * a - threshold_ * c + kSumTolerance);
    }

    Program& program() { return program_; }

private:
    Program program_;
    double low_, high_, threshold_;
    std::int64_t districtCount_;
    bool isEmptyShown_;
};

std::string instrumentIdOf(const std::string& key) { return key.substr(0, key.find('@')); }

/// The lowest and highest score of a scale: published as such, or else the codes of its item counts.
std::pair<double, double> scoreRange(const json& scale) {
    if (scale.contains("scoreRange") && scale["scoreRange"].is_array() && scale["scoreRange"].size() == 2)
        return {scale["scoreRange"][0].get<double>(), scale["scoreRange"][1].get<double>()};
    double low = kInfinity, high = -kInfinity;
    for (const auto& item : scale.value("items", json::array()))
        for (const auto& [code, count] : item["counts"].items()) {
            low = std::min(low, std::stod(code));
            high = std::max(high, std::stod(code));
        }
    if (std::isinf(low)) return {1, 5};
    return {low, high};
}

const json* cellsOf(const json& byScale, const std::string& scaleKey) {
    for (const auto& entry : byScale)
        if (entry["scale"] == scaleKey) return &entry["cells"];
    return nullptr;
}

/// Whether the profile shows any group as empty: then the product tells empty groups apart from
/// hidden ones, and a hidden group holds someone.
bool showsEmptyGroups(const json& profile) {
    auto anyEmpty = [](const json& byScale) {
        for (const auto& entry : byScale)
            for (const auto& cell : entry["cells"])
                if (cell.value("empty", false)) return true;
        return false;
    };
    for (const auto& breakdown : profile["breakdowns"])
        if (anyEmpty(breakdown["scales"])) return true;
    return profile.contains("pair") && profile["pair"].is_object() && anyEmpty(profile["pair"]["scales"]);
}

/// The lowest (or highest) mean of a group over every assignment consistent with the program, by
/// Dinkelbach's method: the mean is a ratio, so minimize sum - m x for the best m found so far
/// until no assignment beats m. Needs x >= 1 in every assignment. Falls back to the
/// score range, which is always sound, if a program runs out of time.
double extremeMean(Program& program, const Unknowns& u, double start, double low, double high, bool isMaximum) {
    double m = start;
    for (int iteration = 0; iteration < 50; ++iteration) {
        const auto value = program.optimum({{u.sum, 1}, {u.count, -m}}, isMaximum);
        if (!value || !program.wasExact()) break;
        if (isMaximum ? *value <= 1e-7 : *value >= -1e-7) return isMaximum ? m + 1e-6 : m - 1e-6;
        m = program.columnValue(u.sum) / program.columnValue(u.count);
    }
    return isMaximum ? high : low;
}

/// What consistent assignments seen so far show about one hidden group: enough, often, to know
/// that nothing about it can be recovered without proving bounds.
struct Seen {
    double minCount = kInfinity, maxCount = -kInfinity;
    double minMean = kInfinity, maxMean = -kInfinity;
    bool hasFavorable = false, hasUnfavorable = false;

    void add(double count, double favorable, double sum) {
        if (count < 0.5) return;
        minCount = std::min(minCount, count);
        maxCount = std::max(maxCount, count);
        minMean = std::min(minMean, sum / count);
        maxMean = std::max(maxMean, sum / count);
        hasFavorable = hasFavorable || favorable > 0.5;
        hasUnfavorable = hasUnfavorable || count - favorable > 0.5;
    }
};

/// Bounds one hidden group with integer programs, skipping those whose answer the assignments
/// already seen make moot.
HiddenGroupBounds bound(Program& program, const Unknowns& u, const Seen& seen, int minimum, double low, double high,
                        std::string scale, std::string group) {
    HiddenGroupBounds result{std::move(scale), std::move(group)};
    if (seen.maxCount >= minimum && seen.minCount < seen.maxCount) {
        result.minCount = static_cast<std::int64_t>(std::llround(seen.minCount));
        result.maxCount = static_cast<std::int64_t>(std::llround(seen.maxCount));
        result.isCountProven = false;
    } else {
        const auto lowest = program.optimum({{u.count, 1}}, false);
        if (!lowest) throw std::runtime_error("the downloads contradict each other on " + result.scale + ": the attacker's model is wrong");
        const auto highest = program.optimum({{u.count, 1}}, true);
        result.minCount = static_cast<std::int64_t>(std::ceil(*lowest - 1e-6));
        result.maxCount = std::isinf(*highest) ? std::numeric_limits<std::int32_t>::max()
                                               : static_cast<std::int64_t>(std::floor(*highest + 1e-6));
    }
    result.isAllFavorable = !seen.hasUnfavorable && *program.optimum({{u.count, 1}, {u.favorable, -1}}, true) < 0.5;
    result.isNoneFavorable = !seen.hasFavorable && *program.optimum({{u.favorable, 1}}, true) < 0.5;
    if (seen.maxMean - seen.minMean >= 1.0) {
        result.minMean = seen.minMean;
        result.maxMean = seen.maxMean;
        result.isMeanProven = false;
        return result;
    }
    // A mean is about members: where the group may be empty (the product hides empty groups too),
    // bound it over the assignments where it is not.
    const auto [lower, upper] = program.bounds(u.count);
    program.raiseLower(u.count, 1);
    if (lower < 1 && !program.optimum({{u.count, 1}}, false)) {
        result.minMean = low;
        result.maxMean = high;
    } else {
        // Dinkelbach's method converges fast from a consistent mean.
        const double start = seen.minMean <= seen.maxMean ? (seen.minMean + seen.maxMean) / 2 : (low + high) / 2;
        result.minMean = extremeMean(program, u, std::min(start, seen.minMean), low, high, false);
        result.maxMean = extremeMean(program, u, std::max(start, seen.maxMean), low, high, true);
    }
    program.setBounds(u.count, lower, upper);
    return result;
}

/// The question whose categories include every row id of a participation list.
std::optional<std::string> questionListing(const json& rows, const json& breakdowns) {
    for (const auto& breakdown : breakdowns) {
        std::set<std::string> ids;
        for (const auto& category : breakdown["categories"]) ids.insert(category["id"].get<std::string>());
        bool isAll = !rows.empty();
        for (const auto& row : rows) isAll = isAll && ids.count(row["id"].get<std::string>());
        if (isAll) return breakdown["question"].get<std::string>();
    }
    return std::nullopt;
}

/// The (question, category) pairs of a group name such as "race=asian & role=teacher".
std::vector<std::pair<std::string, std::string>> partsOf(const std::string& group) {
    std::vector<std::pair<std::string, std::string>> parts;
    std::size_t from = 0;
    while (from < group.size()) {
        auto to = group.find(" & ", from);
        if (to == std::string::npos) to = group.size();
        const auto part = group.substr(from, to - from);
        parts.emplace_back(part.substr(0, part.find('=')), part.substr(part.find('=') + 1));
        from = to + 3;
    }
    return parts;
}

void identifyRows(TableAttackReport& report, const json& profile, const std::vector<std::vector<std::string>>& rows,
                  const std::map<std::string, std::size_t>& column) {
    if (rows.size() < 2) return;
    std::map<std::string, double> threshold;  // scale key -> favorableAtLeast
    std::map<std::string, std::string> scoreColumn;  // scale key -> export column
    for (const auto& scale : profile["scales"]) {
        const auto key = scale["instrument"].get<std::string>() + "/" + scale["scale"].get<std::string>();
        threshold[key] = scale["favorableAtLeast"].get<double>();
        scoreColumn[key] = instrumentIdOf(scale["instrument"].get<std::string>()) + "." + scale["scale"].get<std::string>();
    }
    std::map<std::string, std::vector<const HiddenGroupBounds*>> ofOne;  // group -> its scales where it holds one person
    for (const auto& g : report.groups)
        if (g.isCountProven && g.minCount == 1 && g.maxCount == 1) ofOne[g.group].push_back(&g);
    for (const auto& [group, bounds] : ofOne) {
        const auto parts = partsOf(group);
        std::vector<std::size_t> candidates;
        for (std::size_t r = 1; r < rows.size(); ++r) {
            const auto& row = rows[r];
            if (row.size() != rows.front().size()) continue;
            bool fits = true;
            for (const auto& [question, category] : parts) {
                const auto at = column.find(question);
                fits = fits && at != column.end() && (row[at->second] == category || row[at->second] == "withheld");
            }
            for (const auto* b : bounds) {
                if (!fits) break;
                const auto at = column.find(scoreColumn[b->scale]);
                if (at == column.end() || row[at->second].empty()) {
                    fits = false;
                    break;
                }
                const double score = std::stod(row[at->second]);
                if (b->isMeanProven) fits = fits && b->minMean - 1e-6 <= score && score <= b->maxMean + 1e-6;
                if (b->isAllFavorable) fits = fits && score >= threshold[b->scale];
                if (b->isNoneFavorable) fits = fits && score < threshold[b->scale];
            }
            if (fits) candidates.push_back(r);
        }
        if (candidates.size() != 1) continue;
        IdentifiedRow identified{group, candidates.front(), {}};
        for (const auto* b : bounds)
            identified.scores[b->scale] = std::stod(rows[candidates.front()][column.at(scoreColumn[b->scale])]);
        report.identifiedRows.push_back(std::move(identified));
    }
}

}  // namespace

int TableAttackReport::countsPinned() const {
    return static_cast<int>(std::count_if(groups.begin(), groups.end(), [](const auto& g) { return g.minCount == g.maxCount; }));
}
int TableAttackReport::countsBelowMinimum() const {
    return static_cast<int>(std::count_if(groups.begin(), groups.end(), [this](const auto& g) { return g.maxCount < minGroupSize; }));
}
int TableAttackReport::favorableDetermined() const {
    return static_cast<int>(std::count_if(groups.begin(), groups.end(), [](const auto& g) { return g.isFavorableRecovered(); }));
}
int TableAttackReport::meansWithinHalf() const {
    return static_cast<int>(std::count_if(groups.begin(), groups.end(), [](const auto& g) { return g.isMeanRecovered(); }));
}
int TableAttackReport::distinctGroupsPinned() const {
    std::set<std::string> pinned;
    for (const auto& g : groups)
        if (g.minCount == g.maxCount) pinned.insert(g.group);
    return static_cast<int>(pinned.size());
}
bool TableAttackReport::hasRecoveredAnything() const {
    if (!identifiedRows.empty()) return true;
    return std::any_of(groups.begin(), groups.end(), [this](const auto& g) {
        return g.isCountRecovered(minGroupSize) || g.isFavorableRecovered() || g.isMeanRecovered();
    });
}

std::string TableAttackReport::describe(std::size_t maxLines) const {
    std::ostringstream out;
    out << surveyId << ": " << groups.size() << " hidden groups x scales; counts pinned exactly " << countsPinned() << " ("
        << distinctGroupsPinned() << " distinct groups), proven below " << minGroupSize << ": " << countsBelowMinimum()
        << ", favorable status determined " << favorableDetermined() << ", mean within +-0.5 " << meansWithinHalf() << " ("
        << solves << " integer programs); export rows of hidden persons identified " << identifiedRows.size() << "\n";
    for (const auto& row : identifiedRows) out << "  identified: " << row.group << " is export row " << row.exportRow << "\n";
    std::size_t lines = 0;
    for (const auto& g : groups) {
        if (!(g.isCountRecovered(minGroupSize) || g.isFavorableRecovered() || g.isMeanRecovered())) continue;
        if (++lines > maxLines) {
            out << "  ...\n";
            break;
        }
        out << "  " << g.scale << " " << g.group << ": count " << g.minCount;
        if (g.maxCount != g.minCount) out << ".." << g.maxCount;
        if (g.isAllFavorable) out << ", all favorable";
        if (g.isNoneFavorable) out << ", none favorable";
        out << ", mean " << g.minMean << ".." << g.maxMean << "\n";
    }
    return out.str();
}

TableAttackReport attackTables(const Downloads& downloads) {
    const auto& profile = downloads.profile;
    TableAttackReport report;
    report.surveyId = downloads.surveyId;
    report.minGroupSize = profile["survey"]["minGroupSize"].get<int>();
    const std::optional<std::int64_t> responses =
        profile["responses"].is_number() ? std::optional(profile["responses"].get<std::int64_t>()) : std::nullopt;
    const auto& breakdowns = profile["breakdowns"];
    const bool hasPair = profile.contains("pair") && profile["pair"].is_object();
    const bool isEmptyShown = showsEmptyGroups(profile);

    // Columns of the raw export.
    std::map<std::string, std::size_t> column;
    if (!downloads.exportRows.empty())
        for (std::size_t c = 0; c < downloads.exportRows.front().size(); ++c) column[downloads.exportRows.front()[c]] = c;

    for (const auto& scale : profile["scales"]) {
        if (scale.contains("hidden") || !scale.contains("n") || !scale["n"].is_number()) continue;  // hidden, or no figures
        const auto scaleKey = scale["instrument"].get<std::string>() + "/" + scale["scale"].get<std::string>();
        const auto districtCount = scale["n"].get<std::int64_t>();
        const auto [low, high] = scoreRange(scale);
        const auto threshold = scale["favorableAtLeast"].get<double>();
        ScaleModel model(low, high, threshold, districtCount, isEmptyShown);

        Unknowns district = model.group();
        model.publish(district, scale);

        // Each breakdown's categories add up to the district.
        std::map<std::string, std::map<std::string, Unknowns>> oneWay;  // question -> category -> unknowns
        std::vector<std::tuple<Unknowns, std::string>> hidden;
        for (const auto& breakdown : breakdowns) {
            const auto question = breakdown["question"].get<std::string>();
            const auto* cells = cellsOf(breakdown["scales"], scaleKey);
            if (!cells) continue;
            std::vector<Unknowns> parts;
            for (const auto& cell : *cells) {
                const auto u = model.group();
                model.publish(u, cell);
                const auto category = cell["category"].get<std::string>();
                oneWay[question][category] = u;
                parts.push_back(u);
                if (cell.contains("hidden")) hidden.emplace_back(u, question + "=" + category);
            }
            model.sum(parts, district);
        }

        // The crossed table: each row adds up to its row category, each column to its column category.
        std::string rowQuestion, columnQuestion;
        std::map<std::pair<std::string, std::string>, Unknowns> crossed;
        if (hasPair) {
            rowQuestion = profile["pair"]["rows"].get<std::string>();
            columnQuestion = profile["pair"]["columns"].get<std::string>();
            if (const auto* cells = cellsOf(profile["pair"]["scales"], scaleKey)) {
                std::map<std::string, std::vector<Unknowns>> byRow, byColumn;
                for (const auto& cell : *cells) {
                    const auto u = model.group();
                    model.publish(u, cell);
                    const auto row = cell["row"].get<std::string>(), col = cell["column"].get<std::string>();
                    crossed[{row, col}] = u;
                    byRow[row].push_back(u);
                    byColumn[col].push_back(u);
                    if (cell.contains("hidden")) hidden.emplace_back(u, rowQuestion + "=" + row + " & " + columnQuestion + "=" + col);
                }
                for (const auto& [row, parts] : byRow) model.sum(parts, oneWay[rowQuestion].at(row));
                for (const auto& [col, parts] : byColumn) model.sum(parts, oneWay[columnQuestion].at(col));
            }
        }

        // The raw export: rows that still name a category are members of it, with their scores.
        const auto scoreColumn = column.find(instrumentIdOf(scale["instrument"].get<std::string>()) + "." + scale["scale"].get<std::string>());
        if (scoreColumn != column.end()) {
            std::map<std::string, std::map<std::string, Named>> named;
            std::map<std::pair<std::string, std::string>, Named> namedCrossed;
            for (std::size_t r = 1; r < downloads.exportRows.size(); ++r) {
                const auto& row = downloads.exportRows[r];
                if (row.size() != downloads.exportRows.front().size() || row[scoreColumn->second].empty()) continue;
                const double score = std::stod(row[scoreColumn->second]);
                auto add = [&](Named& n) {
                    ++n.count;
                    n.favorable += score >= threshold;
                    n.sum += score;
                };
                for (const auto& entry : oneWay) {
                    const auto& question = entry.first;
                    const auto at = column.find(question);
                    if (at == column.end() || row[at->second] == "withheld") continue;
                    add(named[question][row[at->second]]);
                }
                const auto rowAt = column.find(rowQuestion), colAt = column.find(columnQuestion);
                if (hasPair && rowAt != column.end() && colAt != column.end() && row[rowAt->second] != "withheld" &&
                    row[colAt->second] != "withheld")
                    add(namedCrossed[{row[rowAt->second], row[colAt->second]}]);
            }
            for (const auto& [question, categories] : named)
                for (const auto& [category, n] : categories)
                    if (oneWay[question].count(category)) model.atLeast(oneWay[question][category], n);
            for (const auto& [cell, n] : namedCrossed)
                if (crossed.count(cell)) model.atLeast(crossed[cell], n);
        }

        // Participation: respondents per school and role, whether or not they have a score here.
        for (const auto* list : {"schools", "roles"}) {
            if (!downloads.participation.contains(list)) continue;
            // With access codes a school's count is its codes used, not the answers to the school question.
            if (std::string(list) == "schools" && downloads.participation.value("expectedFrom", "") == "access-codes") continue;
            const auto& rows = downloads.participation[list];
            const auto question = questionListing(rows, breakdowns);
            if (!question) continue;
            for (const auto& row : rows) {
                const auto id = row["id"].get<std::string>();
                if (!oneWay[*question].count(id)) continue;
                const auto& u = oneWay[*question][id];
                if (row.contains("responded")) {
                    const auto respondents = row["responded"].get<double>();
                    model.program().lowerUpper(u.count, respondents);
                    // Respondents without a score here are among all respondents without one.
                    if (responses)
                        model.program().row({{u.count, -1}}, -kInfinity, static_cast<double>(*responses - districtCount) - respondents);
                } else if (row.contains("respondedFewerThan")) {
                    model.program().lowerUpper(u.count, row["respondedFewerThan"].get<double>() - 1);
                }
            }
        }

        // Every solution the solver finds is a consistent assignment: note what it shows of each group.
        std::vector<Seen> seen(hidden.size());
        auto& program = model.program();
        program.onSolution([&] {
            for (std::size_t i = 0; i < hidden.size(); ++i) {
                const auto& u = std::get<0>(hidden[i]);
                seen[i].add(program.columnValue(u.count), program.columnValue(u.favorable), program.columnValue(u.sum));
            }
        });
        // A few assignments far apart, to start with.
        Terms counts, favorables;
        for (const auto& [u, name] : hidden) counts.push_back({u.count, 1}), favorables.push_back({u.favorable, 1});
        for (const auto* terms : {&counts, &favorables})
            for (bool isMaximum : {false, true}) program.optimum(*terms, isMaximum);
        for (std::size_t i = 0; i < hidden.size(); ++i) {
            const auto& [u, name] = hidden[i];
            report.groups.push_back(bound(program, u, seen[i], report.minGroupSize, low, high, scaleKey, name));
        }
        report.solves += model.program().solves();
    }
    identifyRows(report, profile, downloads.exportRows, column);
    return report;
}

TrendCheck trendFiguresOfHiddenGroups(const json& trends, const std::map<std::string, json>& profiles) {
    TrendCheck found;
    for (const auto& instrument : trends.value("instruments", json::array())) {
        std::map<std::string, std::string> surveyOfYear;
        for (const auto& year : instrument["years"])
            if (year["survey"].is_string()) surveyOfYear[year["schoolYear"].get<std::string>()] = year["survey"].get<std::string>();
        const auto instrumentId = instrument["instrument"].get<std::string>();
        for (const auto& scale : instrument["scales"])
            for (const auto& breakdown : scale["breakdowns"])
                for (const auto& group : breakdown["groups"])
                    for (const auto& point : group["points"]) {
                        if (!point.contains("n") || !surveyOfYear.count(point["schoolYear"].get<std::string>())) continue;
                        const auto surveyId = surveyOfYear[point["schoolYear"].get<std::string>()];
                        const auto profile = profiles.find(surveyId);
                        if (profile == profiles.end()) continue;
                        // The same group's cell in that survey's profile.
                        for (const auto& b : profile->second["breakdowns"]) {
                            if (b["question"] != breakdown["question"]) continue;
                            for (const auto& byScale : b["scales"]) {
                                const auto key = byScale["scale"].get<std::string>();
                                if (instrumentIdOf(key) != instrumentId || key.substr(key.find('/') + 1) != scale["scale"].get<std::string>())
                                    continue;
                                for (const auto& cell : byScale["cells"]) {
                                    if (cell["category"] != group["category"]) continue;
                                    ++found.compared;
                                    if (cell.contains("hidden"))
                                        found.ofHiddenGroups.push_back(surveyId + " " + key + " " + breakdown["question"].get<std::string>() + "=" +
                                                        group["category"].get<std::string>() + ": n " + point["n"].dump());
                                }
                            }
                        }
                    }
    }
    return found;
}

}  // namespace mindset::attack
