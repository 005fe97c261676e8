#include "analytics/DisclosureAudit.h"

#include "analytics/Suppression.h"

#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>
#include <tuple>

namespace mindset::analytics {

namespace {

/// Longest one simplex run may take (GLPK tm_lim), in milliseconds.
constexpr int kSolveMilliseconds = 5000;

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// LP optima of counts are rounded down after this slack: the true count is an integer no larger.
constexpr double kCountSlack = 1e-6;
// A mean known to within +-0.5 is disclosed; its attacker's range must be at least this wide.
constexpr double kMinimumMeanRange = 1.0;
// A known feasible point's mean S/n counts only when n is this large (a tiny n magnifies rounding).
constexpr double kWitnessMinimumScored = 0.5;
// Feasible points kept for screening (each a few thousand numbers); the first ones do most of it.
constexpr std::size_t kMaximumWitnesses = 400;
// Failures secondary suppression fixes per round: each round costs one audit from a cold start.
constexpr std::size_t kFailuresFixedPerRound = 8;

/// The figures a group has per increment, as LP columns.
enum Measure { kScored = 0, kFavorable = 1, kSum = 2, kSquares = 3 };

using Term = std::pair<std::size_t, double>;
using Expression = std::vector<Term>;

struct Row {
    Expression terms;
    double lower = -kInfinity;
    double upper = kInfinity;
};

/// The attacker's model before it reaches GLPK: columns with a lower bound of 0 or -infinity, rows
/// with bounds. reduce() fixes every column an equality pins on its own (a shown figure, a hidden
/// cell alone in its row of a table, ...) and drops rows that no longer hold a free column, so
/// GLPK sees only what is really uncertain: for a typical release a few hundred columns.
struct LinearModel {
    std::vector<double> columnLower;
    std::vector<std::optional<double>> fixed;
    std::vector<Row> rows;

    std::size_t addColumn(double lower) {
        columnLower.push_back(lower);
        fixed.emplace_back();
        return columnLower.size() - 1;
    }
    void addRow(Expression terms, double lower, double upper) { rows.push_back({std::move(terms), lower, upper}); }

    void reduce() {
        for (bool isChanged = true; isChanged;) {
            isChanged = false;
            for (const auto& row : rows) {
                if (row.lower != row.upper) continue;
                std::optional<Term> free;
                std::size_t freeCount = 0;
                double rest = 0;
                for (const auto& [column, coefficient] : row.terms) {
                    if (fixed[column]) rest += coefficient * *fixed[column];
                    else if (coefficient != 0) {
                        ++freeCount;
                        free = Term{column, coefficient};
                    }
                }
                if (freeCount != 1) continue;
                // Rounding in the published sums may leave -1e-12 where the truth is 0.
                fixed[free->first] = std::max(columnLower[free->first], (row.lower - rest) / free->second);
                isChanged = true;
            }
        }
    }
};

/// One GLPK problem per model, re-solved for objective after objective from the previous basis.
/// The Charnes-Cooper problem for ratios (a mean S/n) is built on first use.
class AttackerSolver {
public:
    /// Over the whole model (reduced here).
    explicit AttackerSolver(LinearModel model) : AttackerSolver(reduced(std::move(model)), {}) {}

    /// Over the columns `isKept` says of an already reduced model: a row that holds a free column
    /// not kept is left out, so the LP is a relaxation of the whole model (its maxima are never
    /// below the whole model's, its minima never above).
    AttackerSolver(std::shared_ptr<const LinearModel> model, const std::vector<bool>& isKept) : model_(std::move(model)) {
        for (std::size_t c = 0; c < model_->fixed.size(); ++c)
            if (!model_->fixed[c] && (isKept.empty() || isKept[c])) {
                glpkColumn_.emplace(c, freeColumns_.size() + 1);
                freeColumns_.push_back(c);
            }
        for (const auto& row : model_->rows) {
            ReducedRow reduced;
            double constant = 0;
            bool isOutside = false;
            for (const auto& [column, coefficient] : row.terms) {
                if (model_->fixed[column]) constant += coefficient * *model_->fixed[column];
                else if (coefficient != 0) {
                    const auto found = glpkColumn_.find(column);
                    isOutside = isOutside || found == glpkColumn_.end();
                    if (!isOutside) reduced.terms.emplace_back(found->second, coefficient);
                }
            }
            if (isOutside || reduced.terms.empty()) continue;
            reduced.lower = row.lower - constant;
            reduced.upper = row.upper - constant;
            rows_.push_back(std::move(reduced));
        }
        glp_term_out(GLP_OFF);  // GLPK's scaling and basis messages would go to stdout
        glp_init_smcp(&parameters_);
        parameters_.msg_lev = GLP_MSG_OFF;
        parameters_.presolve = GLP_OFF;  // presolving would throw the warm basis away
        // A degenerate model can make the simplex stall for minutes; past this limit the solve
        // reports no optimum, and the audit fails safe (the group is protected further).
        parameters_.tm_lim = kSolveMilliseconds;
    }
    ~AttackerSolver() {
        if (linear_) glp_delete_prob(linear_);
        if (ratio_) glp_delete_prob(ratio_);
    }
    AttackerSolver(const AttackerSolver&) = delete;

    static std::shared_ptr<const LinearModel> reduced(LinearModel model) {
        model.reduce();
        return std::make_shared<const LinearModel>(std::move(model));
    }
    const std::shared_ptr<const LinearModel>& model() const { return model_; }
    AttackerSolver& operator=(const AttackerSolver&) = delete;

    std::int64_t solved() const { return solved_; }

    /// Every optimal point found so far, over the model's columns: each is a state of the world the
    /// attacker cannot exclude, so it proves a lower bound on any maximum (upper on any minimum).
    std::vector<std::vector<double>>* witnesses = nullptr;
    std::size_t freeColumns() const { return freeColumns_.size(); }

    /// The largest (or smallest) value of `expression` over the attacker's feasible set; +-inf when
    /// unbounded, NaN when the model has no solution (an inconsistency: the caller fails safe).
    double optimize(const Expression& expression, bool isMaximum) {
        auto [constant, terms] = split(expression);
        if (terms.empty()) return constant;
        if (!linear_) linear_ = build(false);
        setObjective(linear_, terms, 0, isMaximum, objectiveColumns_);
        const auto status = solve(linear_);
        if (status == GLP_UNBND) return isMaximum ? kInfinity : -kInfinity;
        if (status != GLP_OPT) return std::numeric_limits<double>::quiet_NaN();
        keepWitness(linear_, 1.0);
        return constant + glp_get_obj_val(linear_);
    }

    /// The largest (or smallest) value of numerator / denominator where the denominator is
    /// positive, by the Charnes-Cooper transform: y = t x, t = 1 / denominator(x) >= 0, so the
    /// ratio is the linear numerator(y) + its constant times t, under denominator(y) = 1.
    double optimizeRatio(const Expression& numerator, const Expression& denominator, bool isMaximum) {
        auto [numeratorConstant, numeratorTerms] = split(numerator);
        auto [denominatorConstant, denominatorTerms] = split(denominator);
        if (denominatorTerms.empty()) {
            if (denominatorConstant <= 0) return std::numeric_limits<double>::quiet_NaN();
            return optimize(numerator, isMaximum) / denominatorConstant;
        }
        if (!ratio_) ratio_ = build(true);
        const int t = static_cast<int>(freeColumns_.size()) + 1;
        std::vector<int> indexes{0};
        std::vector<double> values{0};
        for (const auto& [column, coefficient] : denominatorTerms) {
            indexes.push_back(column);
            values.push_back(coefficient);
        }
        if (denominatorConstant != 0) {
            indexes.push_back(t);
            values.push_back(denominatorConstant);
        }
        const int normalization = glp_get_num_rows(ratio_);
        glp_set_mat_row(ratio_, normalization, static_cast<int>(indexes.size()) - 1, indexes.data(), values.data());
        setObjective(ratio_, numeratorTerms, numeratorConstant, isMaximum, ratioObjectiveColumns_);
        const auto status = solve(ratio_);
        if (status == GLP_UNBND) return isMaximum ? kInfinity : -kInfinity;
        if (status != GLP_OPT) return std::numeric_limits<double>::quiet_NaN();
        // y = t x: the point x = y / t is feasible for the linear model when t is not tiny.
        if (const double scale = glp_get_col_prim(ratio_, t); scale > 1e-6) keepWitness(ratio_, scale);
        return glp_get_obj_val(ratio_);
    }

private:
    struct ReducedRow {
        std::vector<std::pair<int, double>> terms;  // GLPK column (1-based), coefficient
        double lower = -kInfinity;
        double upper = kInfinity;
    };

    std::pair<double, std::vector<std::pair<int, double>>> split(const Expression& expression) const {
        double constant = 0;
        std::map<int, double> terms;
        for (const auto& [column, coefficient] : expression) {
            if (model_->fixed[column]) constant += coefficient * *model_->fixed[column];
            else terms[glpkColumn_.at(column)] += coefficient;
        }
        return {constant, {terms.begin(), terms.end()}};
    }

    void keepWitness(glp_prob* problem, double divisor) {
        if (!witnesses || witnesses->size() >= kMaximumWitnesses) return;
        std::vector<double> point(model_->fixed.size(), 0.0);
        for (std::size_t c = 0; c < point.size(); ++c) point[c] = model_->fixed[c] ? *model_->fixed[c] : 0.0;
        for (std::size_t c = 0; c < freeColumns_.size(); ++c)
            point[freeColumns_[c]] = glp_get_col_prim(problem, static_cast<int>(c) + 1) / divisor;
        witnesses->push_back(std::move(point));
    }

    static int boundType(double lower, double upper) {
        if (lower == upper) return GLP_FX;
        if (std::isinf(lower) && std::isinf(upper)) return GLP_FR;
        if (std::isinf(upper)) return GLP_LO;
        if (std::isinf(lower)) return GLP_UP;
        return GLP_DB;
    }

    /// The LP itself, or (isRatio) its Charnes-Cooper homogenization with one more column t and a
    /// last row left empty for the denominator.
    glp_prob* build(bool isRatio) const {
        auto* problem = glp_create_prob();
        const auto columns = static_cast<int>(freeColumns_.size()) + (isRatio ? 1 : 0);
        glp_add_cols(problem, columns);
        for (std::size_t c = 0; c < freeColumns_.size(); ++c) {
            const auto lower = model_->columnLower[freeColumns_[c]];
            glp_set_col_bnds(problem, static_cast<int>(c) + 1, std::isinf(lower) ? GLP_FR : GLP_LO, std::isinf(lower) ? 0 : lower, 0);
        }
        if (isRatio) glp_set_col_bnds(problem, columns, GLP_LO, 0, 0);
        std::vector<int> ia{0}, ja{0};
        std::vector<double> ar{0};
        auto addRow = [&](const ReducedRow& row, std::optional<double> tCoefficient, int type, double lower, double upper) {
            const int index = glp_add_rows(problem, 1);
            glp_set_row_bnds(problem, index, type, lower, upper);
            for (const auto& [column, coefficient] : row.terms) {
                ia.push_back(index);
                ja.push_back(column);
                ar.push_back(coefficient);
            }
            if (tCoefficient && *tCoefficient != 0) {
                ia.push_back(index);
                ja.push_back(columns);
                ar.push_back(*tCoefficient);
            }
        };
        for (const auto& row : rows_) {
            if (!isRatio) {
                addRow(row, std::nullopt, boundType(row.lower, row.upper), std::isinf(row.lower) ? 0 : row.lower,
                       std::isinf(row.upper) ? 0 : row.upper);
                continue;
            }
            // lower <= a x <= upper becomes a y - lower t >= 0 and a y - upper t <= 0.
            if (row.lower == row.upper) {
                addRow(row, -row.lower, GLP_FX, 0, 0);
                continue;
            }
            if (!std::isinf(row.lower)) addRow(row, -row.lower, GLP_LO, 0, 0);
            if (!std::isinf(row.upper)) addRow(row, -row.upper, GLP_UP, 0, 0);
        }
        if (isRatio) glp_set_row_bnds(problem, glp_add_rows(problem, 1), GLP_FX, 1, 1);
        glp_load_matrix(problem, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
        glp_scale_prob(problem, GLP_SF_AUTO);
        return problem;
    }

    void setObjective(glp_prob* problem, const std::vector<std::pair<int, double>>& terms, double tCoefficient, bool isMaximum,
                      std::vector<int>& previous) const {
        for (auto column : previous) glp_set_obj_coef(problem, column, 0);
        previous.clear();
        for (const auto& [column, coefficient] : terms) {
            glp_set_obj_coef(problem, column, coefficient);
            previous.push_back(column);
        }
        if (problem == ratio_) {
            const int t = static_cast<int>(freeColumns_.size()) + 1;
            glp_set_obj_coef(problem, t, tCoefficient);
            previous.push_back(t);
        }
        glp_set_obj_dir(problem, isMaximum ? GLP_MAX : GLP_MIN);
    }

    int solve(glp_prob* problem) {
        ++solved_;
        const bool isCold = (problem == linear_ ? !isLinearWarm_ : !isRatioWarm_);
        (problem == linear_ ? isLinearWarm_ : isRatioWarm_) = true;
        // From scratch the dual simplex after presolving is 4-5x faster here than the primal from
        // the slack basis (the attacker models are mostly equalities); later objectives start
        // from the last optimal basis, where the primal simplex needs few steps.
        auto cold = parameters_;
        cold.presolve = GLP_ON;
        cold.meth = GLP_DUALP;
        const int code = glp_simplex(problem, isCold ? &cold : &parameters_);
        if (code != 0) {
            // A basis that went singular after the objective or a row changed: start afresh.
            glp_adv_basis(problem, 0);
            if (glp_simplex(problem, &parameters_) != 0) return GLP_UNDEF;
        }
        return glp_get_status(problem);
    }

    std::shared_ptr<const LinearModel> model_;
    std::map<std::size_t, int> glpkColumn_;
    std::vector<std::size_t> freeColumns_;
    std::vector<ReducedRow> rows_;
    glp_smcp parameters_{};
    glp_prob* linear_ = nullptr;
    glp_prob* ratio_ = nullptr;
    std::vector<int> objectiveColumns_, ratioObjectiveColumns_;
    std::int64_t solved_ = 0;
    bool isLinearWarm_ = false, isRatioWarm_ = false;
};

/// Where each figure of each group and increment sits among the model's columns.
class ColumnMap {
public:
    ColumnMap(const AuditTables& tables) : groups_(tables.groupNames.size()), scales_(tables.scales.size()) {}
    std::size_t measures() const { return 1 + 4 * scales_; }
    std::size_t respondents(std::size_t increment, std::size_t group) const { return (increment * groups_ + group) * measures(); }
    std::size_t cell(std::size_t increment, std::size_t group, std::size_t scale, Measure measure) const {
        return respondents(increment, group) + 1 + 4 * scale + measure;
    }

private:
    std::size_t groups_;
    std::size_t scales_;
};

double valueOf(const AuditGroupCounts& counts, std::size_t measureIndex) {
    if (measureIndex == 0) return static_cast<double>(counts.respondents);
    const auto& cell = counts.scales[(measureIndex - 1) / 4];
    switch ((measureIndex - 1) % 4) {
        case kScored: return static_cast<double>(cell.scored);
        case kFavorable: return static_cast<double>(cell.favorable);
        case kSum: return cell.sum;
        default: return cell.sumOfSquares;
    }
}

/// Everything the attacker knows, as a linear model over every group's figures per increment.
LinearModel attackerModel(const AuditTables& tables, const ColumnMap& map) {
    LinearModel model;
    const auto groups = tables.groupNames.size();
    const auto increments = tables.increments.size();
    for (std::size_t k = 0; k < increments; ++k)
        for (std::size_t g = 0; g < groups; ++g) {
            model.addColumn(0);
            for (const auto& scale : tables.scales) {
                model.addColumn(0);
                model.addColumn(0);
                model.addColumn(scale.lowestScore >= 0 ? 0 : -kInfinity);
                model.addColumn(0);
            }
        }

    // Each release published its shown figures exactly; a hidden group or cell is not empty.
    for (std::size_t release = 0; release < tables.releases.size(); ++release) {
        for (std::size_t g = 0; g < groups; ++g) {
            const auto counts = countsOver(tables, g, 0, release + 1);
            auto over = [&](std::size_t measure) {
                Expression terms;
                for (std::size_t k = 0; k <= release; ++k) terms.emplace_back(map.respondents(k, g) + measure, 1.0);
                return terms;
            };
            const bool isGroupShown = isGroupPublished(tables, release, g);
            if (isGroupShown) model.addRow(over(0), static_cast<double>(counts.respondents), static_cast<double>(counts.respondents));
            else if (!isGroupWithheld(tables, release, g)) model.addRow(over(0), 1, kInfinity);  // shown as hidden, not as empty
            for (std::size_t s = 0; s < tables.scales.size(); ++s) {
                const auto first = 1 + 4 * s;
                if (isCellPublished(tables, release, g, s)) {
                    for (std::size_t m = first; m < first + 4; ++m) model.addRow(over(m), valueOf(counts, m), valueOf(counts, m));
                } else if (isGroupShown) {
                    model.addRow(over(first + kScored), 1, kInfinity);
                }
            }
        }
    }

    // Every increment is a population of its own: its tables add up.
    for (std::size_t k = 0; k < increments; ++k)
        for (const auto& sum : tables.sums)
            for (std::size_t m = 0; m < map.measures(); ++m) {
                Expression terms;
                for (auto part : sum.parts) terms.emplace_back(map.respondents(k, part) + m, 1.0);
                terms.emplace_back(map.respondents(k, sum.total) + m, -1.0);
                model.addRow(std::move(terms), 0, 0);
            }

    // What any group of people satisfies on a scale whose scores lie in [a, b], favorable from phi:
    // f <= n <= N; a n <= S <= b n; the favorable have scores >= phi and the others < phi, so
    // phi f + a (n - f) <= S <= b f + phi (n - f); each score x has (x - a)(b - x) >= 0, so
    // Q <= (a + b) S - a b n; and x^2 >= 2 c x - c^2 for any c, so Q >= 2 c S - c^2 n (tangents of
    // Q >= S^2 / n, at every quarter of the range).
    for (std::size_t k = 0; k < increments; ++k)
        for (std::size_t g = 0; g < groups; ++g)
            for (std::size_t s = 0; s < tables.scales.size(); ++s) {
                const auto& scale = tables.scales[s];
                const double a = scale.lowestScore, b = scale.highestScore;
                const double phi = std::clamp(scale.favorableAtLeast, a, b);
                const auto N = map.respondents(k, g);
                const auto n = map.cell(k, g, s, kScored), f = map.cell(k, g, s, kFavorable);
                const auto S = map.cell(k, g, s, kSum), Q = map.cell(k, g, s, kSquares);
                model.addRow({{f, 1}, {n, -1}}, -kInfinity, 0);
                model.addRow({{n, 1}, {N, -1}}, -kInfinity, 0);
                model.addRow({{S, 1}, {n, -a}}, 0, kInfinity);
                model.addRow({{S, 1}, {n, -b}}, -kInfinity, 0);
                model.addRow({{S, 1}, {f, -(phi - a)}, {n, -a}}, 0, kInfinity);
                model.addRow({{S, 1}, {f, -(b - phi)}, {n, -phi}}, -kInfinity, 0);
                model.addRow({{Q, 1}, {S, -(a + b)}, {n, a * b}}, -kInfinity, 0);
                for (int quarter = 0; quarter <= 8; ++quarter) {
                    const double c = a + (b - a) * quarter / 8.0;
                    model.addRow({{Q, 1}, {S, -2 * c}, {n, c * c}}, 0, kInfinity);
                }
            }
    return model;
}

std::string scaleName(const AuditTables& tables, std::optional<std::size_t> scale) {
    return scale ? " on " + tables.scales[*scale].id : "";
}

std::string since(std::size_t release) {
    return release == 0 ? "" : " (the responses added since release " + std::to_string(release) + ")";
}

nlohmann::json interval(double lowest, double highest) {
    auto number = [](double x) { return std::isfinite(x) ? nlohmann::json(std::round(x * 1e6) / 1e6) : nlohmann::json(nullptr); };
    return nlohmann::json::array({number(lowest), number(highest)});
}

/// One audit: the checks in order of cost, every LP on the same two GLPK problems.
class Auditor {
public:
    /// `witnesses`: feasible points found before, valid here too (secondary suppression only
    /// removes what the attacker knows); this audit adds the true figures and its own optima.
    /// `solver`: over attackerModel(tables); it may have served an earlier round.
    Auditor(const AuditTables& tables, const AuditOptions& options, AttackerSolver& solver, std::vector<std::vector<double>>& witnesses)
        : tables_(tables), options_(options), map_(tables), solver_(solver), solvedBefore_(solver.solved()), witnesses_(witnesses) {
        if (witnesses_.empty()) witnesses_.push_back(truePoint());
        solver_.witnesses = &witnesses_;
    }

    AuditResult run() {
        const auto started = std::chrono::steady_clock::now();
        AuditResult result;
        const auto current = tables_.releases.size() - 1;
        if (tables_.releases[current].isEverythingHidden) {
            finish(result, started);
            return result;
        }
        const auto t = tables_.threshold;
        auto fail = [&](AuditFinding finding) {
            if (!result.failure) result.failure = finding;
            result.failures.push_back(std::move(finding));
            result.isPassed = false;
            return options_.failuresWanted > 0 && result.failures.size() >= options_.failuresWanted;
        };
        const auto groups = tables_.groupNames.size();
        const auto scales = tables_.scales.size();
        auto isSmall = [&](std::int64_t count) { return count >= 1 && count < t; };

        // 1. A figure shown in an earlier release and now, that grew by 1..t-1: the difference is
        //    the new people's figure, exactly.
        for (std::size_t earlier = 0; earlier < current; ++earlier) {
            if (tables_.releases[earlier].isEverythingHidden) continue;
            for (std::size_t g = 0; g < groups; ++g) {
                const auto growth = countsOver(tables_, g, earlier + 1, current + 1);
                if (isGroupPublished(earlier, g) && isGroupPublished(current, g) && isSmall(growth.respondents)) {
                    if (fail({g, std::nullopt, earlier + 1, "increment",
                              tables_.groupNames[g] + " grew by fewer than " + std::to_string(t) + " respondents since release " +
                                  std::to_string(earlier + 1) + ": the difference would show the new respondents"}))
                        return finish(result, started);
                    continue;
                }
                for (std::size_t s = 0; s < scales; ++s)
                    if (isCellPublished(tables_, earlier, g, s) && isCellPublished(tables_, current, g, s) &&
                        isSmall(growth.scales[s].scored))
                        if (fail({g, s, earlier + 1, "increment",
                                  tables_.groupNames[g] + scaleName(tables_, s) + " grew by fewer than " + std::to_string(t) +
                                      " scored respondents since release " + std::to_string(earlier + 1)}))
                            return finish(result, started);
            }
        }

        // The figures that must stay uncertain: a group (or its growth since an earlier release)
        // of 1..t-1 people that is not shown at both ends.
        struct Sensitive {
            std::size_t group;
            std::optional<std::size_t> scale;
            std::size_t sinceRelease;
        };
        std::vector<Sensitive> sensitive;
        for (std::size_t g = 0; g < groups; ++g)
            for (std::size_t from = 0; from <= current; ++from) {
                const auto counts = countsOver(tables_, g, from, current + 1);
                const bool isKnownAtStart = from == 0 || (!tables_.releases[from - 1].isEverythingHidden && isGroupPublished(from - 1, g));
                if (isSmall(counts.respondents) && !(isKnownAtStart && isGroupPublished(current, g)))
                    sensitive.push_back({g, std::nullopt, from});
                for (std::size_t s = 0; s < scales; ++s) {
                    const bool isCellKnownAtStart = from == 0 || isCellPublished(tables_, from - 1, g, s);
                    if (isSmall(counts.scales[s].scored) && !(isCellKnownAtStart && isCellPublished(tables_, current, g, s)))
                        sensitive.push_back({g, s, from});
                }
            }

        // 2. Counts: the attacker's largest value must reach t.
        for (const auto& item : sensitive) {
            // A known feasible point of t or more proves the check passes without an LP.
            const auto witnessed = std::floor(witnessedMaximum(item.group, item.scale, item.sinceRelease, kScored) + kCountSlack);
            const auto highest =
                witnessed >= t ? witnessed
                               : std::floor(maximumOf(item.group, item.scale, item.sinceRelease, kScored, t) + kCountSlack);
            record(item.group, item.scale, item.sinceRelease)["maxCount"] = rounded(highest);
            if (!(highest >= t))
                if (fail({item.group, item.scale, item.sinceRelease, "count",
                          tables_.groupNames[item.group] + scaleName(tables_, item.scale) + since(item.sinceRelease) +
                              ": an attacker can show that fewer than " + std::to_string(t) + " people are in it"}))
                    return finish(result, started);
        }
        // 3. Favorable status: neither "all favorable" nor "none favorable" may follow.
        for (const auto& item : sensitive) {
            if (!item.scale) continue;
            auto atLeastOne = [&](std::optional<Measure> measure) {
                const auto witnessed = std::floor(witnessedMaximum(item.group, item.scale, item.sinceRelease, measure) + kCountSlack);
                return witnessed >= 1 ? witnessed
                                     : std::floor(maximumOf(item.group, item.scale, item.sinceRelease, measure, 1) + kCountSlack);
            };
            const auto favorable = atLeastOne(kFavorable);
            const auto unfavorable = atLeastOne(std::nullopt);
            auto& entry = record(item.group, item.scale, item.sinceRelease);
            entry["maxFavorable"] = rounded(favorable);
            entry["maxUnfavorable"] = rounded(unfavorable);
            if (!(favorable >= 1) || !(unfavorable >= 1))
                if (fail({item.group, item.scale, item.sinceRelease, "favorable",
                          tables_.groupNames[item.group] + scaleName(tables_, item.scale) + since(item.sinceRelease) +
                              ": an attacker can tell that " + (favorable >= 1 ? "everybody" : "nobody") + " in it is favorable"}))
                    return finish(result, started);
        }
        // 4. Means: the attacker's range must be at least 1.0 wide.
        for (const auto& item : sensitive) {
            if (!item.scale) continue;
            const auto [lowest, highest] = meanRange(item.group, *item.scale, item.sinceRelease);
            record(item.group, item.scale, item.sinceRelease)["mean"] = interval(lowest, highest);
            if (!(highest - lowest >= kMinimumMeanRange - 1e-9))
                if (fail({item.group, item.scale, item.sinceRelease, "mean",
                          tables_.groupNames[item.group] + scaleName(tables_, item.scale) + since(item.sinceRelease) +
                              ": an attacker can narrow its mean to within +-0.5"}))
                    return finish(result, started);
        }

        return finish(result, started);
    }

private:
    using Key = std::tuple<std::size_t, std::optional<std::size_t>, std::size_t, int, bool>;

    bool isGroupPublished(std::size_t release, std::size_t group) const { return analytics::isGroupPublished(tables_, release, group); }

    /// A group's figure over increments [from, current]: N when `scale` is empty, else the measure
    /// (none = n - f, the unfavorable).
    Expression expressionOf(std::size_t group, std::optional<std::size_t> scale, std::size_t from, std::optional<Measure> measure) const {
        Expression terms;
        for (auto k = from; k < tables_.increments.size(); ++k) {
            if (!scale) terms.emplace_back(map_.respondents(k, group), 1.0);
            else if (measure) terms.emplace_back(map_.cell(k, group, *scale, *measure), 1.0);
            else {
                terms.emplace_back(map_.cell(k, group, *scale, kScored), 1.0);
                terms.emplace_back(map_.cell(k, group, *scale, kFavorable), -1.0);
            }
        }
        return terms;
    }

    /// The attacker's largest value of a figure. `passesFrom`: the check passes from this value on;
    /// a relaxation's bound below it (see relaxedFor) fails the check as surely as the exact
    /// maximum, at a fraction of the cost.
    double maximumOf(std::size_t group, std::optional<std::size_t> scale, std::size_t from, std::optional<Measure> measure,
                     double passesFrom) {
        const Key key{group, scale, from, measure ? static_cast<int>(*measure) : -1, true};
        if (const auto found = cache_.find(key); found != cache_.end()) return found->second;
        const auto expression = expressionOf(group, scale, from, measure);
        auto value = relaxedFor(scale).optimize(expression, true);
        if (!(std::isfinite(value) && value + kCountSlack < passesFrom)) value = solver_.optimize(expression, true);
        cache_.emplace(key, value);
        return value;
    }

    /// The LP over the respondent counts, every scale's scored count and one scale's other figures
    /// (or none): leaving the other scales' figures out only widens what the attacker may believe.
    /// A third of the whole model's size; built on first use.
    AttackerSolver& relaxedFor(std::optional<std::size_t> scale) {
        auto& relaxed = relaxed_[scale ? *scale + 1 : 0];
        if (!relaxed) {
            const auto& model = solver_.model();
            std::vector<bool> isKept(model->fixed.size(), false);
            for (std::size_t c = 0; c < isKept.size(); ++c) {
                const auto measure = c % map_.measures();
                // Every scale's scored count stays: n <= N ties them to N, and they are cheap.
                isKept[c] = measure == 0 || (measure - 1) % 4 == kScored || (scale && (measure - 1) / 4 == *scale);
            }
            relaxed = std::make_unique<AttackerSolver>(model, isKept);
        }
        return *relaxed;
    }

    std::pair<double, double> meanRange(std::size_t group, std::size_t scale, std::size_t from) {
        const Key key{group, scale, from, 100, true};
        if (const auto found = meanCache_.find(key); found != meanCache_.end()) return found->second;
        const auto numerator = expressionOf(group, scale, from, kSum), denominator = expressionOf(group, scale, from, kScored);
        // Two known feasible points whose means lie 1.0 apart prove the range wide enough.
        double seenLowest = kInfinity, seenHighest = -kInfinity;
        for (const auto& point : witnesses_) {
            const double n = valueAt(denominator, point);
            if (n < kWitnessMinimumScored) continue;
            const double mean = valueAt(numerator, point) / n;
            seenLowest = std::min(seenLowest, mean);
            seenHighest = std::max(seenHighest, mean);
        }
        if (seenHighest - seenLowest >= kMinimumMeanRange) {
            const std::pair seen{seenLowest, seenHighest};
            meanCache_.emplace(key, seen);
            return seen;
        }
        auto& relaxed = relaxedFor(scale);
        std::pair range{relaxed.optimizeRatio(numerator, denominator, false), relaxed.optimizeRatio(numerator, denominator, true)};
        if (!(std::isfinite(range.first) && std::isfinite(range.second) && range.second - range.first < kMinimumMeanRange - 1e-9))
            range = {solver_.optimizeRatio(numerator, denominator, false), solver_.optimizeRatio(numerator, denominator, true)};
        meanCache_.emplace(key, range);
        return range;
    }

    static double valueAt(const Expression& expression, const std::vector<double>& point) {
        double value = 0;
        for (const auto& [column, coefficient] : expression) value += coefficient * point[column];
        return value;
    }

    /// The largest value of a figure over the feasible points known so far: a lower bound on the
    /// attacker's maximum.
    double witnessedMaximum(std::size_t group, std::optional<std::size_t> scale, std::size_t from, std::optional<Measure> measure) const {
        const auto expression = expressionOf(group, scale, from, measure);
        double best = -kInfinity;
        for (const auto& point : witnesses_) best = std::max(best, valueAt(expression, point));
        return best;
    }

    /// The real figures: the attacker can never exclude the truth.
    std::vector<double> truePoint() const {
        std::vector<double> point(map_.respondents(tables_.increments.size(), 0), 0.0);
        for (std::size_t k = 0; k < tables_.increments.size(); ++k)
            for (std::size_t g = 0; g < tables_.groupNames.size(); ++g)
                for (std::size_t m = 0; m < map_.measures(); ++m) point[map_.respondents(k, g) + m] = valueOf(tables_.increments[k][g], m);
        return point;
    }

    /// The report entry of one sensitive figure, made on first use.
    nlohmann::json& record(std::size_t group, std::optional<std::size_t> scale, std::size_t from) {
        const Key key{group, scale, from, -2, true};
        if (const auto found = entries_.find(key); found != entries_.end()) return checked_[found->second];
        entries_.emplace(key, checked_.size());
        checked_.push_back({{"group", tables_.groupNames[group]},
                            {"scale", scale ? nlohmann::json(tables_.scales[*scale].id) : nlohmann::json(nullptr)},
                            {"sinceRelease", from}});
        return checked_.back();
    }
    static nlohmann::json rounded(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(nullptr); }

    AuditResult& finish(AuditResult& result, std::chrono::steady_clock::time_point started) {
        result.checked = checked_;
        result.linearPrograms = solver_.solved() - solvedBefore_;
        for (const auto& [which, relaxed] : relaxed_) result.linearPrograms += relaxed->solved();
        result.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        return result;
    }

    const AuditTables& tables_;
    AuditOptions options_;
    ColumnMap map_;
    AttackerSolver& solver_;
    std::int64_t solvedBefore_ = 0;
    std::map<std::size_t, std::unique_ptr<AttackerSolver>> relaxed_;  // [0: counts only; s + 1: scale s]
    std::map<Key, double> cache_;
    std::map<Key, std::pair<double, double>> meanCache_;
    std::map<Key, std::size_t> entries_;
    std::vector<nlohmann::json> checked_;
    std::vector<std::vector<double>>& witnesses_;
};

/// An audit that reads and extends a pool of feasible points (see Auditor).
AuditResult auditWith(const AuditTables& tables, const AuditOptions& options, std::vector<std::vector<double>>& witnesses);

}  // namespace

AuditGroupCounts countsOver(const AuditTables& tables, std::size_t group, std::size_t from, std::size_t to) {
    AuditGroupCounts total;
    total.scales.resize(tables.scales.size());
    for (auto k = from; k < to && k < tables.increments.size(); ++k) {
        const auto& counts = tables.increments[k][group];
        total.respondents += counts.respondents;
        for (std::size_t s = 0; s < total.scales.size(); ++s) {
            total.scales[s].scored += counts.scales[s].scored;
            total.scales[s].favorable += counts.scales[s].favorable;
            total.scales[s].sum += counts.scales[s].sum;
            total.scales[s].sumOfSquares += counts.scales[s].sumOfSquares;
        }
    }
    return total;
}

bool isGroupWithheld(const AuditTables& tables, std::size_t release, std::size_t group) {
    const auto& withheld = tables.releases[release].isTableWithheld;
    for (std::size_t t = 0; t < withheld.size() && t < tables.tables.size(); ++t)
        if (withheld[t] && std::find(tables.tables[t].begin(), tables.tables[t].end(), group) != tables.tables[t].end()) return true;
    return false;
}

bool isGroupPublished(const AuditTables& tables, std::size_t release, std::size_t group) {
    const auto& visibility = tables.releases[release];
    if (isGroupWithheld(tables, release, group)) return false;
    if (countsOver(tables, group, 0, release + 1).respondents == 0) return true;  // shown as empty
    return !visibility.isEverythingHidden && !visibility.isGroupHidden[group];
}

bool isCellPublished(const AuditTables& tables, std::size_t release, std::size_t group, std::size_t scale) {
    const auto& visibility = tables.releases[release];
    if (isGroupWithheld(tables, release, group)) return false;
    const auto scored = countsOver(tables, group, 0, release + 1).scales[scale].scored;
    if (scored == 0) return true;  // shown as empty
    if (visibility.isEverythingHidden || visibility.isGroupHidden[group]) return false;
    const auto threshold = visibility.threshold > 0 ? visibility.threshold : tables.threshold;
    if (countsOver(tables, 0, 0, release + 1).scales[scale].scored < threshold) return false;  // the scale is hidden
    return scored >= threshold;
}

namespace {
void checkShape(const AuditTables& tables) {
    if (tables.releases.empty() || tables.releases.size() != tables.increments.size())
        throw std::invalid_argument("audit: expected one visibility per increment, got " + std::to_string(tables.releases.size()) +
                                    " for " + std::to_string(tables.increments.size()));
    for (const auto& increment : tables.increments)
        if (increment.size() != tables.groupNames.size())
            throw std::invalid_argument("audit: an increment has " + std::to_string(increment.size()) + " groups, expected " +
                                        std::to_string(tables.groupNames.size()));
}
}  // namespace

AuditResult auditRelease(const AuditTables& tables, const AuditOptions& options) {
    checkShape(tables);
    std::vector<std::vector<double>> witnesses;
    return auditWith(tables, options, witnesses);
}

namespace {
AuditResult auditWith(const AuditTables& tables, const AuditOptions& options, std::vector<std::vector<double>>& witnesses) {
    AttackerSolver solver(attackerModel(tables, ColumnMap(tables)));
    Auditor auditor(tables, options, solver, witnesses);
    return auditor.run();
}
}  // namespace

std::vector<std::size_t> neighboursOf(const AuditTables& tables, std::size_t group) {
    std::vector<bool> isNeighbour(tables.groupNames.size(), false);
    for (const auto& sum : tables.sums) {
        const bool isIn = sum.total == group || std::find(sum.parts.begin(), sum.parts.end(), group) != sum.parts.end();
        if (!isIn) continue;
        isNeighbour[sum.total] = true;
        for (auto part : sum.parts) isNeighbour[part] = true;
    }
    std::vector<std::size_t> neighbours;
    for (std::size_t g = 0; g < isNeighbour.size(); ++g)
        if (isNeighbour[g] && g != group) neighbours.push_back(g);
    return neighbours;
}

namespace {
/// A head start for secondary suppression, so that it needs a few rounds rather than dozens: the
/// table-by-table rule on respondent counts (analytics/Suppression.h: every sum's hidden parts
/// together at least the threshold), and every group the previous release hid that has grown by
/// fewer than the threshold since (showing it would show its growth to a reader who can bound it).
/// The audit still decides; this only picks where it starts.
std::vector<std::size_t> startFromTableRule(AuditTables& tables) {
    std::vector<std::size_t> added;
    auto& visibility = tables.releases.back();
    auto hide = [&](std::size_t g) {
        if (visibility.isGroupHidden[g]) return;
        visibility.isGroupHidden[g] = true;
        added.push_back(g);
    };
    if (visibility.isEverythingHidden) return added;
    const auto current = tables.releases.size() - 1;
    const auto threshold = visibility.threshold > 0 ? visibility.threshold : tables.threshold;
    std::vector<std::int64_t> sizes(tables.groupNames.size());
    for (std::size_t g = 0; g < sizes.size(); ++g) sizes[g] = countsOver(tables, g, 0, current + 1).respondents;
    std::vector<CellSum> sums;
    for (const auto& sum : tables.sums) sums.push_back({sum.parts, sum.total == 0 ? std::nullopt : std::optional(sum.total)});
    const auto reasons = protectCells(sizes, sums, threshold);
    for (std::size_t g = 1; g < sizes.size(); ++g)
        if (sizes[g] > 0 && reasons[g] != HiddenBecause::Shown) hide(g);
    if (current == 0) return added;
    const auto& previous = tables.releases[current - 1];
    for (std::size_t g = 1; g < sizes.size(); ++g) {
        const auto growth = countsOver(tables, g, current, current + 1).respondents;
        if (!isGroupPublished(tables, current - 1, g) && !previous.isEverythingHidden && growth < threshold && sizes[g] > 0) hide(g);
    }
    return added;
}
}  // namespace

ProtectionResult protectRelease(AuditTables tables) {
    const auto started = std::chrono::steady_clock::now();
    ProtectionResult result;
    auto& visibility = tables.releases.back();
    visibility.isTableWithheld.resize(tables.tables.size(), false);
    const auto current = tables.releases.size() - 1;
    auto respondents = [&](std::size_t g) { return countsOver(tables, g, 0, current + 1).respondents; };
    auto isHideable = [&](std::size_t g) { return g != 0 && !visibility.isGroupHidden[g] && respondents(g) > 0; };
    auto tableOf = [&](std::size_t g) -> std::optional<std::size_t> {
        for (std::size_t t = 0; t < tables.tables.size(); ++t)
            if (std::find(tables.tables[t].begin(), tables.tables[t].end(), g) != tables.tables[t].end()) return t;
        return std::nullopt;
    };
    auto withhold = [&](std::size_t t) {
        visibility.isTableWithheld[t] = true;
        for (auto g : tables.tables[t]) visibility.isGroupHidden[g] = true;
    };

    checkShape(tables);
    result.addedGroups = startFromTableRule(tables);
    // Hiding a group or withholding a table only takes knowledge away from the attacker: every
    // point feasible in an earlier round stays feasible, so the pool carries over.
    std::vector<std::vector<double>> witnesses;
    for (;;) {
        ++result.rounds;
        AttackerSolver solver(attackerModel(tables, ColumnMap(tables)));
        Auditor auditor(tables, {kFailuresFixedPerRound}, solver, witnesses);
        result.audit = auditor.run();
        result.linearPrograms += result.audit.linearPrograms;
        if (result.audit.isPassed || visibility.isEverythingHidden) break;
        // The district's own figures are always published: no other group's hiding changes them.
        if (std::any_of(result.audit.failures.begin(), result.audit.failures.end(), [](const auto& f) { return f.group == 0; })) break;
        std::vector<bool> isTouched(tables.groupNames.size(), false);  // hidden this round, and their neighbours
        bool isChanged = false;
        for (const auto& failure : result.audit.failures) {
            // The failing group itself when it is shown (its growth was too small); else the smallest
            // shown group sharing a sum with it or with a hidden group connected to it through sums
            // (never through the district, which is published).
            std::optional<std::size_t> chosen;
            auto consider = [&](std::size_t g) {
                if (!isHideable(g)) return;
                if (!chosen || respondents(g) < respondents(*chosen)) chosen = g;
            };
            std::vector<std::size_t> component{failure.group};
            std::vector<bool> isSeen(tables.groupNames.size(), false);
            isSeen[failure.group] = true;
            for (std::size_t next = 0; next < component.size(); ++next)
                for (auto g : neighboursOf(tables, component[next])) {
                    if (isSeen[g] || g == 0) continue;
                    isSeen[g] = true;
                    if (visibility.isGroupHidden[g]) component.push_back(g);
                }
            // A failure next to what this round already hid may pass without more: next round says.
            if (isChanged && std::any_of(component.begin(), component.end(), [&](std::size_t g) { return isTouched[g]; })) continue;
            if (failure.check == "increment") consider(failure.group);
            if (!chosen)
                for (auto member : component)
                    for (auto g : neighboursOf(tables, member))
                        if (g != 0 && !visibility.isGroupHidden[g]) consider(g);
            if (chosen) {
                visibility.isGroupHidden[*chosen] = true;
                result.addedGroups.push_back(*chosen);
                isTouched[*chosen] = true;
                for (auto g : neighboursOf(tables, *chosen)) isTouched[g] = true;
                isChanged = true;
                continue;
            }
            if (isChanged) continue;
            // Nothing left to hide around it: withhold its table whole (so its hidden groups may be
            // empty as far as a reader knows), then the tables of the groups it is connected to, then all.
            std::optional<std::size_t> table;
            for (auto g : component)
                if (const auto t = tableOf(g); t && !visibility.isTableWithheld[*t]) {
                    table = t;
                    break;
                }
            if (!table)
                for (std::size_t t = 0; t < tables.tables.size() && !table; ++t)
                    if (!visibility.isTableWithheld[t]) table = t;
            if (table) {
                withhold(*table);
                isChanged = true;
            }
            break;
        }
        if (!isChanged) break;
    }
    result.isGroupHidden = visibility.isGroupHidden;
    result.isTableWithheld = visibility.isTableWithheld;
    result.isEveryBreakdownHidden = std::all_of(visibility.isTableWithheld.begin(), visibility.isTableWithheld.end(), [](bool b) { return b; });
    result.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return result;
}

}  // namespace mindset::analytics
