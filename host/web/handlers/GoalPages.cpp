#include "web/handlers/GoalPages.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <map>
#include <set>
#include <tuple>

#include "analytics/Csv.h"
#include "analytics/Goals.h"
#include "analytics/Profile.h"
#include "auth/Passwords.h"
#include "web/Csrf.h"
#include "web/LeaderFrame.h"
#include "web/Templates.h"

namespace mindset::web::handlers {

using nlohmann::json;

namespace {

using FormFields = std::vector<std::pair<std::string, std::string>>;

/// The latest target year a goal may have, counted from the district's first survey: far enough
/// for any plan, near enough to catch a typing slip such as 2207-2208.
constexpr int kMaxYearsAhead = 30;

// --- What the district's surveys offer a goal -------------------------------------------------

struct ScaleChoice {
    std::string instrumentId;
    std::string scaleId;
    std::string instrumentTitle;
    std::string title;
    int minCode = 1;  ///< the instrument's response scale: a mean target lies within it
    int maxCode = 5;

    std::string value() const { return instrumentId + "/" + scaleId; }
};

struct GroupChoice {
    std::string categoryId;
    std::string label;
};

struct GroupQuestion {
    std::string questionId;
    std::string label;
    std::vector<GroupChoice> categories;
};

struct GoalOptions {
    std::vector<ScaleChoice> scales;
    std::vector<GroupQuestion> questions;
    std::vector<std::string> schoolYears;  ///< oldest first, each once

    const ScaleChoice* findScale(std::string_view instrumentId, std::string_view scaleId) const {
        for (const auto& scale : scales)
            if (scale.instrumentId == instrumentId && scale.scaleId == scaleId) return &scale;
        return nullptr;
    }
    const GroupQuestion* findQuestion(std::string_view questionId) const {
        for (const auto& question : questions)
            if (question.questionId == questionId) return &question;
        return nullptr;
    }
    const GroupChoice* findGroup(std::string_view questionId, std::string_view categoryId) const {
        if (const auto* question = findQuestion(questionId))
            for (const auto& category : question->categories)
                if (category.categoryId == categoryId) return &category;
        return nullptr;
    }
};

/// The district's surveys, oldest school year first.
std::vector<const surveys::SurveyDefinition*> surveysOf(const Site& site, const std::string& districtSlug) {
    std::vector<const surveys::SurveyDefinition*> surveys;
    for (const auto& survey : site.catalog.surveys)
        if (survey.districtId == districtSlug) surveys.push_back(&survey);
    std::stable_sort(surveys.begin(), surveys.end(), [](auto* a, auto* b) { return a->schoolYear < b->schoolYear; });
    return surveys;
}

/// Scales from the instruments of the district's surveys, groups from their demographic
/// categories (without "no answer" and "prefer not to say", which are nobody's goal), and their
/// school years. Labels come from the newest survey that has the choice.
GoalOptions goalOptions(const std::vector<const surveys::SurveyDefinition*>& surveys, const std::string& language) {
    GoalOptions options;
    for (auto it = surveys.rbegin(); it != surveys.rend(); ++it) {
        const auto& survey = **it;
        for (const auto& instrument : survey.instruments) {
            const auto& definition = instrument.definition();
            for (const auto& scale : definition.scales)  // not a custom figure: a goal is set on where staff stand
                if (!scale.isCustomFigure() && !options.findScale(definition.id, scale.id))
                    options.scales.push_back({definition.id, scale.id, definition.title.in(language), scale.title.in(language),
                                              definition.responseScale.minCode(), definition.responseScale.maxCode()});
        }
        for (const auto& question : survey.demographics) {
            if (!options.findQuestion(question.id)) options.questions.push_back({question.id, question.label.in(language), {}});
            auto& target = *std::find_if(options.questions.begin(), options.questions.end(),
                                         [&](const GroupQuestion& q) { return q.questionId == question.id; });
            std::set<std::string> preferNotToSay;
            for (const auto& choice : question.choices)
                if (choice.isPreferNotToSay) preferNotToSay.insert(choice.id);
            for (const auto& category : analytics::categoriesOf(question)) {
                if (category.id == "no-answer" || preferNotToSay.count(category.id)) continue;
                if (!options.findGroup(question.id, category.id)) target.categories.push_back({category.id, category.label.in(language)});
            }
        }
        if (std::find(options.schoolYears.begin(), options.schoolYears.end(), survey.schoolYear) == options.schoolYears.end())
            options.schoolYears.push_back(survey.schoolYear);
    }
    std::sort(options.schoolYears.begin(), options.schoolYears.end());
    return options;
}

// --- Goals as people read them ----------------------------------------------------------------

analytics::GoalMeasure measureOf(const store::GoalRecord& goal) {
    const auto measure = analytics::goalMeasureFromCode(goal.measure);
    if (!measure) throw std::runtime_error("goal " + std::to_string(goal.id) + ": unknown measure “" + goal.measure + "” in the store");
    return *measure;
}

analytics::Goal analyticsGoal(const store::GoalRecord& goal) {
    analytics::Goal result{goal.instrumentId, goal.scaleId, measureOf(goal), std::nullopt, goal.targetValue, goal.targetYear, std::nullopt};
    if (!goal.groupQuestion.empty()) result.group = analytics::GoalGroup{goal.groupQuestion, goal.groupCategory};
    if (!goal.baselineYear.empty()) result.baselineYear = goal.baselineYear;
    return result;
}

std::string scaleTitle(const store::GoalRecord& goal, const GoalOptions& options) {
    const auto* scale = options.findScale(goal.instrumentId, goal.scaleId);
    return scale ? scale->title : goal.instrumentId + "/" + goal.scaleId;
}

std::string groupLabel(const store::GoalRecord& goal, const GoalOptions& options, const json& t) {
    if (goal.groupQuestion.empty()) return t["goalWholeDistrict"];
    const auto* group = options.findGroup(goal.groupQuestion, goal.groupCategory);
    return group ? group->label : goal.groupQuestion + ": " + goal.groupCategory;
}

std::string measureLabel(const std::string& measure, const json& t) {
    if (measure == "mean") return t["goalMeasureMean"];
    if (measure == "favorable") return t["goalMeasureFavorable"];
    if (measure == "gap") return t["goalMeasureGap"];
    return measure;
}

/// "High expectations: mean, whole district".
std::string goalTitle(const store::GoalRecord& goal, const GoalOptions& options, const json& t) {
    return scaleTitle(goal, options) + ": " + measureLabel(goal.measure, t) + ", " + groupLabel(goal, options, t);
}

/// "3.60 by 2027-2028", "at most 0.10 apart by 2027-2028".
std::string targetShort(const store::GoalRecord& goal, const json& t, const std::string& language) {
    const auto target = analytics::formatGoalTarget(measureOf(goal), goal.targetValue, language);
    return fillMessage(t[goal.measure == "gap" ? "goalTargetGapShort" : "goalTargetShort"], {{"target", target}, {"year", goal.targetYear}});
}

std::string targetText(const store::GoalRecord& goal, const json& t, const std::string& language) {
    return t["goalTargetLabel"].get<std::string>() + ": " + targetShort(goal, t, language);
}

std::string baselineShort(const store::GoalRecord& goal, const json& t) {
    return goal.baselineYear.empty() ? t["goalBaselineFirst"].get<std::string>() : goal.baselineYear;
}

std::string baselineText(const store::GoalRecord& goal, const json& t) {
    return t["goalFieldBaseline"].get<std::string>() + ": " + baselineShort(goal, t);
}

std::string statusText(analytics::GoalStatus status, const json& t) {
    switch (status) {
        case analytics::GoalStatus::Met: return t["goalStatusMet"];
        case analytics::GoalStatus::OnTrack: return t["goalStatusOnTrack"];
        case analytics::GoalStatus::OffTrack: return t["goalStatusOffTrack"];
        case analytics::GoalStatus::NoData: return t["goalStatusNoData"];
        case analytics::GoalStatus::BeforeBaseline: return t["goalStatusBeforeBaseline"];
    }
    return "";
}

std::string goalsPath(const District& district, const std::string& language) {
    return "/leader/districts/" + district.slug + "/goals?lang=" + language;
}

std::string goalPath(const District& district, std::int64_t goalId) {
    return "/leader/districts/" + district.slug + "/goals/" + std::to_string(goalId);
}

/// The {goal} parameter as a goal id; anything but a positive whole number is "not found".
std::int64_t goalIdOf(const Request& request) {
    const auto& text = request.pathParams.at("goal");
    std::int64_t id = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size() || id <= 0)
        throw HttpError(404, "There is no goal “" + text + "” in this district.");
    return id;
}

store::GoalRecord findGoalOr404(const Site& site, const District& district, std::int64_t goalId) {
    auto goal = site.store.findGoal(district.slug, goalId);
    if (!goal) throw HttpError(404, "There is no goal " + std::to_string(goalId) + " in this district.");
    return *goal;
}

/// Now in UTC, "2026-09-14T15:04:05Z", for the change history.
std::string utcNow() {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

// --- Action plans (docs/goals.md#action-plans) ---------------------------------------------------

constexpr std::size_t kMaxActionDescription = 500;  ///< characters: a step, not a document
constexpr std::size_t kMaxActionOwner = 120;

/// Each status as stored, with the keys of its label and of its label in a plan's counts, in the
/// order a plan moves through them.
struct ActionStatus {
    const char* code;
    const char* labelKey;
    const char* countKey;
};
constexpr ActionStatus kActionStatuses[] = {{"planned", "planStatusPlanned", "planCountPlanned"},
                                            {"under-way", "planStatusUnderWay", "planCountUnderWay"},
                                            {"done", "planStatusDone", "planCountDone"},
                                            {"dropped", "planStatusDropped", "planCountDropped"}};

std::string actionStatusText(const std::string& status, const json& t) {
    for (const auto& known : kActionStatuses)
        if (status == known.code) return t[known.labelKey];
    return status;
}

/// Past its due date and neither done nor dropped. `today` is "YYYY-MM-DD", so the strings compare as dates.
bool isOverdue(const store::GoalActionRecord& action, const std::string& today) {
    return (action.status == "planned" || action.status == "under-way") && action.dueOn < today;
}

std::string planPath(const District& district, std::int64_t goalId) { return goalPath(district, goalId) + "/actions"; }

/// A goal's plan as the pages show it: a row per action, and a one-line summary of where it stands
/// ("3 actions — done: 1, under way: 1, overdue: 1.").
json planView(const std::vector<const store::GoalActionRecord*>& actions, const std::string& today, const json& t,
              const std::string& language, const District& district, std::int64_t goalId) {
    json rows = json::array();
    std::map<std::string, int> counts;
    int overdue = 0;
    for (const auto* action : actions) {
        const bool late = isOverdue(*action, today);
        overdue += late ? 1 : 0;
        ++counts[action->status];
        rows.push_back({{"id", std::to_string(action->id)},
                        {"description", action->description},
                        {"owner", action->owner},
                        {"dueOn", action->dueOn},
                        {"statusCode", action->status},
                        {"statusText", actionStatusText(action->status, t)},
                        {"isOverdue", late},
                        {"changeHref", planPath(district, goalId) + "?lang=" + language + "&edit=" + std::to_string(action->id) + "#action-form"}});
    }
    std::string parts;
    for (const auto& status : kActionStatuses)
        if (const auto n = counts[status.code]; n > 0)
            parts += (parts.empty() ? "" : ", ") + fillMessage(t["planCount"], {{"label", t[status.countKey]}, {"n", std::to_string(n)}});
    if (overdue > 0) parts += ", " + fillMessage(t["planCount"], {{"label", t["planCountOverdue"]}, {"n", std::to_string(overdue)}});
    const auto summary = actions.empty() ? t["planNone"].get<std::string>()
                                         : fillMessage(t[actions.size() == 1 ? "planSummaryOne" : "planSummaryMany"],
                                                       {{"count", std::to_string(actions.size())}, {"parts", parts}});
    return {{"actions", rows}, {"hasActions", !rows.empty()}, {"summary", summary}, {"hasOverdue", overdue > 0},
            {"href", planPath(district, goalId) + "?lang=" + language}};
}

/// The actions of goal `goalId` among the district's.
std::vector<const store::GoalActionRecord*> actionsOf(const std::vector<store::GoalActionRecord>& all, std::int64_t goalId) {
    std::vector<const store::GoalActionRecord*> actions;
    for (const auto& action : all)
        if (action.goalId == goalId) actions.push_back(&action);
    return actions;
}

/// The view of one goal: its title, target, every year's status with the evidence, and its plan.
json goalView(const store::GoalRecord& goal, const GoalOptions& options, const analytics::DistrictYears& years,
              const std::string& language, const District& district, const std::vector<const store::GoalActionRecord*>& actions,
              const std::string& today) {
    const auto& t = messages(language);
    const auto definition = analyticsGoal(goal);
    json rows = json::array();
    for (const auto& year : analytics::goalProgress(definition, years))
        rows.push_back({{"schoolYear", year.schoolYear},
                        {"statusCode", analytics::goalStatusCode(year.status)},
                        {"statusText", statusText(year.status, t)},
                        {"isBaseline", year.isBaseline},
                        {"evidence", analytics::goalEvidence(definition, year, language)}});
    const auto title = goalTitle(goal, options, t);
    return {{"id", std::to_string(goal.id)},
            {"title", title},
            {"instrumentTitle", options.findScale(goal.instrumentId, goal.scaleId)
                                    ? options.findScale(goal.instrumentId, goal.scaleId)->instrumentTitle
                                    : goal.instrumentId},
            {"targetText", targetText(goal, t, language)},
            {"baselineText", baselineText(goal, t)},
            {"caption", fillMessage(t["goalYearsCaption"], {{"goal", title}})},
            {"editHref", goalPath(district, goal.id) + "?lang=" + language},
            {"years", rows},
            {"hasYears", !rows.empty()},
            {"plan", planView(actions, today, t, language, district, goal.id)}};
}

// --- The form ---------------------------------------------------------------------------------

/// What a goal form holds, as typed, and the problem with each field.
struct GoalForm {
    std::string scale;  ///< "instrument/scale"
    std::string measure;
    std::string group;  ///< "question:category", or empty for the whole district
    std::string target;
    std::string targetYear;
    std::string baselineYear;
    std::map<std::string, std::string> errors;  ///< by field name
};

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

GoalForm formFrom(const FormFields& fields) {
    return {formValue(fields, "scale"),  formValue(fields, "measure"),    formValue(fields, "group"),
            trimmed(formValue(fields, "target")), trimmed(formValue(fields, "targetYear")), formValue(fields, "baselineYear"), {}};
}

GoalForm formFrom(const store::GoalRecord& goal) {
    return {goal.instrumentId + "/" + goal.scaleId,
            goal.measure,
            goal.groupQuestion.empty() ? "" : goal.groupQuestion + ":" + goal.groupCategory,
            analytics::shortestNumber(goal.targetValue),
            goal.targetYear,
            goal.baselineYear,
            {}};
}

/// A decimal number as people type it: digits with one "." or "," (Spanish writes 3,8), an
/// optional minus sign; no exponents, no "inf".
std::optional<double> parseDecimal(std::string text) {
    std::replace(text.begin(), text.end(), ',', '.');
    std::size_t i = text.starts_with('-') ? 1 : 0;
    std::size_t digits = 0, points = 0;
    for (std::size_t j = i; j < text.size(); ++j) {
        if (text[j] >= '0' && text[j] <= '9') ++digits;
        else if (text[j] == '.') ++points;
        else return std::nullopt;
    }
    if (digits == 0 || points > 1 || text.size() > 32) return std::nullopt;
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

/// Checks every field against what the district's surveys offer; returns the goal, or nullopt with
/// form.errors saying what is wrong with each field.
std::optional<store::GoalRecord> validate(GoalForm& form, const GoalOptions& options, const District& district, const json& t) {
    store::GoalRecord goal;
    goal.districtSlug = district.slug;
    auto& errors = form.errors;

    const ScaleChoice* scale = nullptr;
    if (form.scale.empty()) errors["scale"] = t["goalScaleMissing"];
    else if (const auto slash = form.scale.find('/'); slash != std::string::npos)
        scale = options.findScale(form.scale.substr(0, slash), form.scale.substr(slash + 1));
    if (scale) {
        goal.instrumentId = scale->instrumentId;
        goal.scaleId = scale->scaleId;
    } else if (!errors.count("scale")) {
        errors["scale"] = fillMessage(t["goalScaleUnknown"], {{"value", form.scale}});
    }

    const auto measure = analytics::goalMeasureFromCode(form.measure);
    if (measure) goal.measure = form.measure;
    else errors["measure"] = t["goalMeasureMissing"];

    if (!form.group.empty()) {
        const auto colon = form.group.find(':');
        if (colon != std::string::npos && options.findGroup(form.group.substr(0, colon), form.group.substr(colon + 1))) {
            goal.groupQuestion = form.group.substr(0, colon);
            goal.groupCategory = form.group.substr(colon + 1);
        } else {
            errors["group"] = fillMessage(t["goalGroupUnknown"], {{"value", form.group}});
        }
    } else if (measure == analytics::GoalMeasure::Gap) {
        errors["group"] = t["goalGapNeedsGroup"];
    }

    if (form.target.empty()) {
        errors["target"] = t["goalTargetMissing"];
    } else if (const auto target = parseDecimal(form.target); !target) {
        errors["target"] = t["goalTargetNotNumber"];
    } else {
        goal.targetValue = *target;
        if (measure == analytics::GoalMeasure::Favorable && (*target < 0 || *target > 100))
            errors["target"] = t["goalTargetFavorableRange"];
        if (scale && measure == analytics::GoalMeasure::Mean && (*target < scale->minCode || *target > scale->maxCode))
            errors["target"] = fillMessage(t["goalTargetMeanRange"], {{"min", std::to_string(scale->minCode)}, {"max", std::to_string(scale->maxCode)}});
        if (scale && measure == analytics::GoalMeasure::Gap && (*target < 0 || *target > scale->maxCode - scale->minCode))
            errors["target"] = fillMessage(t["goalTargetGapRange"], {{"max", std::to_string(scale->maxCode - scale->minCode)}});
    }

    const bool isBaselineKnown = form.baselineYear.empty() ||
        std::find(options.schoolYears.begin(), options.schoolYears.end(), form.baselineYear) != options.schoolYears.end();
    if (isBaselineKnown) goal.baselineYear = form.baselineYear;
    else errors["baselineYear"] = t["goalBaselineUnknown"];

    // The target year comes after the year the line starts from: the chosen baseline, or the
    // district's first survey.
    const auto start = analytics::schoolYearStart(form.targetYear);
    const auto from = isBaselineKnown && !form.baselineYear.empty() ? form.baselineYear
                      : options.schoolYears.empty()                  ? std::string()
                                                                     : options.schoolYears.front();
    const auto fromStart = analytics::schoolYearStart(from);
    if (!start) {
        errors["targetYear"] = t["goalTargetYearFormat"];
    } else if (fromStart && *start <= *fromStart) {
        errors["targetYear"] = fillMessage(t["goalTargetYearTooEarly"], {{"year", from}});
    } else if (fromStart && *start > *fromStart + kMaxYearsAhead) {
        const auto limit = *fromStart + kMaxYearsAhead + 1;
        errors["targetYear"] = fillMessage(t["goalTargetYearTooLate"], {{"year", std::to_string(limit) + "-" + std::to_string(limit + 1)}});
    } else {
        goal.targetYear = form.targetYear;
    }

    if (!errors.empty()) return std::nullopt;
    return goal;
}

/// The form's HTML (templates/goal-form.mustache), for adding or changing a goal.
std::string renderForm(const GoalForm& form, const GoalOptions& options, const std::string& language, const CsrfToken& csrf,
                       const std::string& action, const std::string& submitLabel, const std::string& cancelHref) {
    const auto& t = messages(language);
    json view{{"t", t}, {"lang", language}, {"csrf", csrf.value}, {"action", action}, {"submitLabel", submitLabel}, {"cancelHref", cancelHref}};
    // Each field is described by its hint and, when it has one, its problem.
    for (const auto& [field, id] : {std::pair{"group", "goal-group"}, {"target", "goal-target"}, {"targetYear", "goal-target-year"},
                                    {"baselineYear", "goal-baseline-year"}})
        view[std::string(field) + "DescribedBy"] = std::string(id) + "-hint" + (form.errors.count(field) ? " " + std::string(id) + "-error" : "");

    json instruments = json::array();
    for (const auto& scale : options.scales) {
        if (instruments.empty() || instruments.back()["instrumentId"] != scale.instrumentId)
            instruments.push_back({{"instrumentId", scale.instrumentId}, {"label", scale.instrumentTitle}, {"scales", json::array()}});
        instruments.back()["scales"].push_back({{"value", scale.value()}, {"label", scale.title}, {"selected", form.scale == scale.value()}});
    }
    view["instruments"] = instruments;

    json measures = json::array();
    for (const auto& [value, key] : {std::pair{"mean", "goalMeasureMeanChoice"}, {"favorable", "goalMeasureFavorableChoice"}, {"gap", "goalMeasureGapChoice"}})
        measures.push_back({{"value", value}, {"label", t[key]}, {"checked", form.measure == value}});
    view["measures"] = measures;

    json questions = json::array();
    for (const auto& question : options.questions) {
        json categories = json::array();
        for (const auto& category : question.categories) {
            const auto value = question.questionId + ":" + category.categoryId;
            categories.push_back({{"value", value}, {"label", category.label}, {"selected", form.group == value}});
        }
        if (!categories.empty()) questions.push_back({{"label", question.label}, {"categories", categories}});
    }
    view["questions"] = questions;

    json years = json::array();
    for (const auto& year : options.schoolYears) years.push_back({{"value", year}, {"selected", form.baselineYear == year}});
    view["baselineYears"] = years;
    view["target"] = form.target;
    view["targetYear"] = form.targetYear;

    // Problems in the order of the fields, each linked to its field and shown beside it too.
    json problems = json::array();
    const std::pair<const char*, const char*> fields[] = {{"scale", "goalScaleLabel"},           {"measure", "goalMeasureLabel"},
                                                          {"group", "goalGroupLabel"},           {"target", "goalTargetLabel"},
                                                          {"targetYear", "goalTargetYearLabel"}, {"baselineYear", "goalBaselineLabel"}};
    const std::map<std::string, std::string> anchors{{"scale", "goal-scale"},   {"measure", "goal-measure"},
                                                     {"group", "goal-group"},   {"target", "goal-target"},
                                                     {"targetYear", "goal-target-year"}, {"baselineYear", "goal-baseline-year"}};
    for (const auto& [field, label] : fields) {
        const auto error = form.errors.find(field);
        if (error == form.errors.end()) continue;
        problems.push_back({{"anchor", anchors.at(field)}, {"label", t[label]}, {"message", error->second}});
        view[std::string(field) + "Error"] = error->second;
    }
    view["problems"] = problems;
    view["hasProblems"] = !problems.empty();
    return render("goal-form", view);
}

/// "2026-09-14T15:04:05Z" as the history shows it: "2026-09-14 15:04" (UTC).
std::string historyTime(const std::string& changedAt) {
    return changedAt.size() >= 16 ? changedAt.substr(0, 10) + " " + changedAt.substr(11, 5) : changedAt;
}

/// The goals page, with `form` in its "add a goal" section (empty, or as sent with its problems).
Response goalsPageResponse(const Site& site, const Request& request, const District& district, const std::string& language,
                           const GoalForm& form, const CsrfToken& csrf, int status) {
    const auto& t = messages(language);
    const auto years = districtYears(site, district.slug);
    std::vector<const surveys::SurveyDefinition*> surveys;
    for (const auto& year : years) surveys.push_back(year.survey);
    const auto options = goalOptions(surveys, language);

    json goals = json::array();
    const auto actions = site.store.goalActions(district.slug);
    const auto today = formatDate(site.today());
    for (const auto& goal : site.store.goals(district.slug))
        goals.push_back(goalView(goal, options, years, language, district, actionsOf(actions, goal.id), today));

    json history = json::array();
    std::map<std::int64_t, std::string> goalTitles;  // by goal id, as the goal last stood (removed goals too)
    for (const auto& change : site.store.goalChanges(district.slug)) {
        const auto toRecord = [&](const std::string& text) {
            const auto j = json::parse(text);
            store::GoalRecord goal{change.goalId, change.districtSlug, j.value("instrument", ""), j.value("scale", ""), j.value("measure", ""),
                                   "", "", j.value("target", 0.0), j.value("targetYear", ""), "", j.value("removed", false)};
            if (j.contains("group") && j["group"].is_object()) {
                goal.groupQuestion = j["group"].value("question", "");
                goal.groupCategory = j["group"].value("category", "");
            }
            if (j.contains("baselineYear") && j["baselineYear"].is_string()) goal.baselineYear = j["baselineYear"];
            return goal;
        };
        const auto after = toRecord(change.afterJson);
        std::string details;
        if (change.action == "created") {
            details = targetText(after, t, language) + " · " + baselineText(after, t);
        } else if (change.action == "changed") {
            const auto before = toRecord(change.beforeJson);
            std::vector<std::string> differences;
            auto differ = [&](const char* label, const std::string& was, const std::string& is) {
                if (was != is) differences.push_back(t[label].get<std::string>() + ": " + was + " → " + is);
            };
            differ("goalFieldScale", scaleTitle(before, options), scaleTitle(after, options));
            differ("goalFieldMeasure", measureLabel(before.measure, t), measureLabel(after.measure, t));
            differ("goalFieldGroup", groupLabel(before, options, t), groupLabel(after, options, t));
            differ("goalFieldTarget", targetShort(before, t, language), targetShort(after, t, language));
            differ("goalFieldBaseline", baselineShort(before, t), baselineShort(after, t));
            for (std::size_t i = 0; i < differences.size(); ++i) details += (i ? "; " : "") + differences[i];
        }
        const auto action = change.action == "created" ? "goalActionCreated" : change.action == "changed" ? "goalActionChanged" : "goalActionRemoved";
        history.push_back({{"changedAt", change.changedAt}, {"when", historyTime(change.changedAt)}, {"username", change.username},
                           {"action", t[action]}, {"goal", goalTitle(after, options, t)}, {"details", details}});
        goalTitles.try_emplace(change.goalId, goalTitle(after, options, t));  // newest first: the first is the latest
    }
    // The plans' changes in the same history, newest first (times are UTC and sort as text).
    for (const auto& change : site.store.goalActionChanges(district.slug)) {
        const auto after = json::parse(change.afterJson);
        std::string details = after.value("description", "");
        if (change.change == "created") {
            details += " (" + after.value("owner", "") + ", " + t["planFieldDue"].get<std::string>() + " " + after.value("dueOn", "") + ", " +
                       actionStatusText(after.value("status", ""), t) + ")";
        } else if (change.change == "changed") {
            const auto before = json::parse(change.beforeJson);
            std::vector<std::string> differences;
            auto differ = [&](const char* label, const std::string& was, const std::string& is) {
                if (was != is) differences.push_back(t[label].get<std::string>() + ": " + was + " → " + is);
            };
            differ("planFieldDescription", before.value("description", ""), after.value("description", ""));
            differ("planFieldOwner", before.value("owner", ""), after.value("owner", ""));
            differ("planFieldDue", before.value("dueOn", ""), after.value("dueOn", ""));
            differ("planFieldStatus", actionStatusText(before.value("status", ""), t), actionStatusText(after.value("status", ""), t));
            details = before.value("description", "") + ": ";
            for (std::size_t i = 0; i < differences.size(); ++i) details += (i ? "; " : "") + differences[i];
        }
        const auto action = change.change == "created" ? "planHistoryCreated" : change.change == "changed" ? "planHistoryChanged" : "planHistoryRemoved";
        const auto title = goalTitles.find(change.goalId);
        history.push_back({{"changedAt", change.changedAt}, {"when", historyTime(change.changedAt)}, {"username", change.username}, {"action", t[action]},
                           {"goal", title == goalTitles.end() ? std::to_string(change.goalId) : title->second}, {"details", details}});
    }
    std::stable_sort(history.begin(), history.end(),
                     [](const json& a, const json& b) { return a["changedAt"].get<std::string>() > b["changedAt"].get<std::string>(); });

    const std::map<std::string, std::string> notices{
        {"created", "goalDoneCreated"}, {"changed", "goalDoneChanged"}, {"unchanged", "goalDoneUnchanged"}, {"removed", "goalDoneRemoved"}};
    const auto done = notices.find(request.queryValue("done"));
    const auto path = "/leader/districts/" + district.slug + "/goals";

    json view{{"lang", language},
              {"title", fillMessage(t["goalsHeading"], {{"district", district.name}})},
              {"heading", fillMessage(t["goalsHeading"], {{"district", district.name}})},
              {"notice", done == notices.end() || status != 200 ? std::string() : t[done->second].get<std::string>()},
              {"goals", goals},
              {"hasGoals", !goals.empty()},
              {"history", history},
              {"hasHistory", !history.empty()},
              {"leaderHref", "/leader?lang=" + language},
              {"apiHref", "/api/districts/" + district.slug + "/goals?lang=" + language},
              {"csvHref", path + ".csv?lang=" + language},
              // The fragment brings the browser back to the form, where a problem is shown, not to the top.
              {"form", renderForm(form, options, language, csrf, path + "#add-goal", t["goalSave"], "")},
              {"hasFormProblems", !form.errors.empty()}};
    addLeaderFrame(view, site, district.slug, path, "", language);
    auto response = Response::html(renderPage("goals", view), status);
    return keepCsrfToken(response, csrf, request);
}

Response editPageResponse(const Site& site, const Request& request, const District& district, const std::string& language,
                          const store::GoalRecord& goal, const GoalForm& form, const CsrfToken& csrf, int status) {
    const auto& t = messages(language);
    const auto options = goalOptions(surveysOf(site, district.slug), language);
    const auto path = goalPath(district, goal.id);
    json view{{"lang", language},
              {"title", t["goalChangeTitle"]},
              {"goalTitle", goalTitle(goal, options, t)},
              {"targetText", targetText(goal, t, language)},
              {"baselineText", baselineText(goal, t)},
              {"csrf", csrf.value},
              {"removeAction", path + "/remove"},
              {"goalsHref", goalsPath(district, language)},
              {"form", renderForm(form, options, language, csrf, path, t["goalSaveChanges"], goalsPath(district, language))}};
    addLeaderFrame(view, site, district.slug, path, "", language);
    auto response = Response::html(renderPage("goal-edit", view), status);
    return keepCsrfToken(response, csrf, request);
}

/// 403 for a POST without the CSRF token its form carried: nothing was stored.
Response formExpired(const Request& request, const CsrfToken& csrf, const std::string& language, const std::string& back) {
    const auto& t = messages(language);
    json view{{"lang", language}, {"title", t["errorTitle"]}, {"heading", t["errorTitle"]}, {"message", t["formExpired"]},
              {"link", back}, {"linkText", t["goalCancel"]}};
    auto response = Response::html(renderPage("message", view), 403);
    return keepCsrfToken(response, csrf, request);
}

std::string languageOf(const Request& request) { return interfaceLanguage(request.queryValue("lang")); }

// --- The action plan page ----------------------------------------------------------------------

/// What an action form holds, as typed, and the problem with each field.
struct ActionForm {
    std::string description;
    std::string owner;
    std::string dueOn;
    std::string status = "planned";
    std::map<std::string, std::string> errors;  ///< by field name
};

ActionForm actionFormFrom(const FormFields& fields) {
    return {trimmed(formValue(fields, "description")), trimmed(formValue(fields, "owner")), trimmed(formValue(fields, "dueOn")),
            formValue(fields, "status"), {}};
}

ActionForm actionFormFrom(const store::GoalActionRecord& action) { return {action.description, action.owner, action.dueOn, action.status, {}}; }

/// True for a real calendar date written "YYYY-MM-DD" (what a date field sends) from 2000 to 2100.
bool isCalendarDate(const std::string& text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (text[i] < '0' || text[i] > '9') return false;
    const int year = std::stoi(text.substr(0, 4));
    const std::chrono::year_month_day day{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(std::stoi(text.substr(5, 2)))),
                                          std::chrono::day(static_cast<unsigned>(std::stoi(text.substr(8, 2))))};
    return day.ok() && year >= 2000 && year <= 2100;
}

/// Checks every field; returns the action, or nullopt with form.errors saying what is wrong.
std::optional<store::GoalActionRecord> validateAction(ActionForm& form, const District& district, std::int64_t goalId, const json& t) {
    auto& errors = form.errors;
    if (form.description.empty()) errors["description"] = t["planDescriptionMissing"];
    else if (const auto length = auth::characterCount(form.description); length > kMaxActionDescription)
        errors["description"] = fillMessage(t["planTooLong"], {{"max", std::to_string(kMaxActionDescription)}, {"count", std::to_string(length)}});
    if (form.owner.empty()) errors["owner"] = t["planOwnerMissing"];
    else if (const auto length = auth::characterCount(form.owner); length > kMaxActionOwner)
        errors["owner"] = fillMessage(t["planTooLong"], {{"max", std::to_string(kMaxActionOwner)}, {"count", std::to_string(length)}});
    if (!isCalendarDate(form.dueOn)) errors["dueOn"] = t["planDueInvalid"];
    if (std::none_of(std::begin(kActionStatuses), std::end(kActionStatuses), [&](const auto& status) { return form.status == status.code; }))
        errors["status"] = t["planStatusUnknown"];
    if (!errors.empty()) return std::nullopt;
    return store::GoalActionRecord{0, goalId, district.slug, form.description, form.owner, form.dueOn, form.status, false};
}

/// The {action} parameter as an action id; anything but a positive whole number is "not found".
std::int64_t actionIdOf(const std::string& text) {
    std::int64_t id = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size() || id <= 0)
        throw HttpError(404, "There is no action “" + text + "” in this goal's plan.");
    return id;
}

store::GoalActionRecord findActionOr404(const Site& site, const District& district, std::int64_t goalId, std::int64_t actionId) {
    auto action = site.store.findGoalAction(district.slug, goalId, actionId);
    if (!action) throw HttpError(404, "There is no action " + std::to_string(actionId) + " in this goal's plan.");
    return *action;
}

/// A POST to a goal's plan: its fields, language, CSRF token (checked) and the plan page to go back to.
struct PlanPost {
    FormFields fields;
    std::string language;
    CsrfToken csrf;
    bool isCsrfValid = false;
    std::string back;
};

PlanPost readPlanPost(const Request& request, const District& district, std::int64_t goalId) {
    PlanPost post{request.readForm(), {}, csrfToken(request), false, {}};
    post.language = interfaceLanguage(formValue(post.fields, "lang"));
    post.isCsrfValid = isCsrfValid(post.csrf, formValue(post.fields, "csrf"));
    post.back = planPath(district, goalId) + "?lang=" + post.language;
    return post;
}

/// The plan page of `goal`: its actions, and the form (adding, or changing action `editing`).
Response planPageResponse(const Site& site, const Request& request, const District& district, const std::string& language,
                          const store::GoalRecord& goal, const ActionForm& form, std::optional<std::int64_t> editing,
                          const CsrfToken& csrf, int status) {
    const auto& t = messages(language);
    const auto options = goalOptions(surveysOf(site, district.slug), language);
    const auto path = planPath(district, goal.id);
    const auto all = site.store.goalActions(district.slug);
    const auto title = goalTitle(goal, options, t);

    json view{{"lang", language},
              {"title", fillMessage(t["planHeading"], {{"goal", title}})},
              {"goalTitle", title},
              {"targetText", targetText(goal, t, language)},
              {"plan", planView(actionsOf(all, goal.id), formatDate(site.today()), t, language, district, goal.id)},
              {"caption", fillMessage(t["planCaption"], {{"goal", title}})},
              {"goalsHref", goalsPath(district, language) + "#goal-" + std::to_string(goal.id)},
              {"csrf", csrf.value},
              {"isEditing", editing.has_value()},
              {"formTitle", t[editing ? "planChangeTitle" : "planAddTitle"]},
              {"submitLabel", t[editing ? "planSaveChanges" : "planSave"]},
              {"action", editing ? path + "/" + std::to_string(*editing) : path},
              {"removeAction", editing ? path + "/" + std::to_string(*editing) + "/remove" : std::string()},
              {"cancelHref", path + "?lang=" + language},
              {"description", form.description},
              {"owner", form.owner},
              {"dueOn", form.dueOn}};
    const std::map<std::string, std::string> notices{
        {"created", "planDoneCreated"}, {"changed", "planDoneChanged"}, {"unchanged", "planDoneUnchanged"}, {"removed", "planDoneRemoved"}};
    const auto done = notices.find(request.queryValue("done"));
    view["notice"] = done == notices.end() || status != 200 ? std::string() : t[done->second].get<std::string>();
    json statuses = json::array();
    for (const auto& status : kActionStatuses)
        statuses.push_back({{"value", status.code}, {"label", t[status.labelKey]}, {"selected", form.status == status.code}});
    view["statuses"] = statuses;
    // Problems in the order of the fields, each linked to its field and shown beside it too.
    json problems = json::array();
    const std::tuple<const char*, const char*, const char*> fields[] = {{"description", "planFieldDescription", "action-description"},
                                                                        {"owner", "planFieldOwner", "action-owner"},
                                                                        {"dueOn", "planFieldDue", "action-due"},
                                                                        {"status", "planFieldStatus", "action-status"}};
    for (const auto& [field, label, anchor] : fields) {
        const auto error = form.errors.find(field);
        view[std::string(field) + "DescribedBy"] = std::string(anchor) + "-hint" + (error != form.errors.end() ? std::string(" ") + anchor + "-error" : "");
        if (error == form.errors.end()) continue;
        problems.push_back({{"anchor", anchor}, {"label", t[label]}, {"message", error->second}});
        view[std::string(field) + "Error"] = error->second;
    }
    view["problems"] = problems;
    view["hasProblems"] = !problems.empty();
    addLeaderFrame(view, site, district.slug, goalsPath(district, language), "", language);
    auto response = Response::html(renderPage("goal-plan", view), status);
    return keepCsrfToken(response, csrf, request);
}

}  // namespace

Response goalsPage(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    return goalsPageResponse(site, request, district, languageOf(request), GoalForm{}, csrfToken(request), 200);
}

Response createGoal(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto fields = request.readForm();
    const auto language = interfaceLanguage(formValue(fields, "lang"));
    const auto csrf = csrfToken(request);
    if (!isCsrfValid(csrf, formValue(fields, "csrf"))) return formExpired(request, csrf, language, goalsPath(district, language));
    auto form = formFrom(fields);
    const auto goal = validate(form, goalOptions(surveysOf(site, district.slug), language), district, messages(language));
    if (!goal) return goalsPageResponse(site, request, district, language, form, csrf, 400);
    const auto id = site.store.createGoal(*goal, account.username, utcNow());
    return Response::redirect(goalsPath(district, language) + "&done=created#goal-" + std::to_string(id));
}

Response editGoalPage(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto goal = findGoalOr404(site, district, goalIdOf(request));
    return editPageResponse(site, request, district, languageOf(request), goal, formFrom(goal), csrfToken(request), 200);
}

Response updateGoal(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto current = findGoalOr404(site, district, goalIdOf(request));
    const auto fields = request.readForm();
    const auto language = interfaceLanguage(formValue(fields, "lang"));
    const auto csrf = csrfToken(request);
    if (!isCsrfValid(csrf, formValue(fields, "csrf"))) return formExpired(request, csrf, language, goalsPath(district, language));
    auto form = formFrom(fields);
    auto goal = validate(form, goalOptions(surveysOf(site, district.slug), language), district, messages(language));
    if (!goal) return editPageResponse(site, request, district, language, current, form, csrf, 400);
    goal->id = current.id;
    switch (site.store.updateGoal(*goal, account.username, utcNow())) {
        case store::GoalUpdate::NotFound: throw HttpError(404, "There is no goal " + std::to_string(current.id) + " in this district.");
        case store::GoalUpdate::Unchanged: return Response::redirect(goalsPath(district, language) + "&done=unchanged#goal-" + std::to_string(current.id));
        case store::GoalUpdate::Changed: break;
    }
    return Response::redirect(goalsPath(district, language) + "&done=changed#goal-" + std::to_string(current.id));
}

Response removeGoal(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto goalId = goalIdOf(request);
    const auto fields = request.readForm();
    const auto language = interfaceLanguage(formValue(fields, "lang"));
    const auto csrf = csrfToken(request);
    if (!isCsrfValid(csrf, formValue(fields, "csrf"))) return formExpired(request, csrf, language, goalsPath(district, language));
    if (!site.store.removeGoal(district.slug, goalId, account.username, utcNow()))
        throw HttpError(404, "There is no goal " + std::to_string(goalId) + " in this district.");
    return Response::redirect(goalsPath(district, language) + "&done=removed#history");
}

Response goalPlanPage(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto goal = findGoalOr404(site, district, goalIdOf(request));
    const auto edit = request.queryValue("edit");
    if (edit.empty()) return planPageResponse(site, request, district, languageOf(request), goal, {}, std::nullopt, csrfToken(request), 200);
    const auto action = findActionOr404(site, district, goal.id, actionIdOf(edit));
    return planPageResponse(site, request, district, languageOf(request), goal, actionFormFrom(action), action.id, csrfToken(request), 200);
}

Response createGoalAction(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto goal = findGoalOr404(site, district, goalIdOf(request));
    const auto post = readPlanPost(request, district, goal.id);
    if (!post.isCsrfValid) return formExpired(request, post.csrf, post.language, post.back);
    auto form = actionFormFrom(post.fields);
    const auto action = validateAction(form, district, goal.id, messages(post.language));
    if (!action) return planPageResponse(site, request, district, post.language, goal, form, std::nullopt, post.csrf, 400);
    const auto id = site.store.createGoalAction(*action, account.username, utcNow());
    if (!id) throw HttpError(404, "There is no goal " + std::to_string(goal.id) + " in this district.");  // removed meanwhile
    return Response::redirect(post.back + "&done=created#action-" + std::to_string(*id));
}

Response updateGoalAction(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto goal = findGoalOr404(site, district, goalIdOf(request));
    const auto current = findActionOr404(site, district, goal.id, actionIdOf(request.pathParams.at("action")));
    const auto post = readPlanPost(request, district, goal.id);
    if (!post.isCsrfValid) return formExpired(request, post.csrf, post.language, post.back);
    auto form = actionFormFrom(post.fields);
    auto action = validateAction(form, district, goal.id, messages(post.language));
    if (!action) return planPageResponse(site, request, district, post.language, goal, form, current.id, post.csrf, 400);
    action->id = current.id;
    switch (site.store.updateGoalAction(*action, account.username, utcNow())) {
        case store::GoalUpdate::NotFound: throw HttpError(404, "There is no action " + std::to_string(current.id) + " in this goal's plan.");
        case store::GoalUpdate::Unchanged: return Response::redirect(post.back + "&done=unchanged#action-" + std::to_string(current.id));
        case store::GoalUpdate::Changed: break;
    }
    return Response::redirect(post.back + "&done=changed#action-" + std::to_string(current.id));
}

Response removeGoalAction(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto goalId = goalIdOf(request);
    const auto actionId = actionIdOf(request.pathParams.at("action"));
    const auto post = readPlanPost(request, district, goalId);
    if (!post.isCsrfValid) return formExpired(request, post.csrf, post.language, post.back);
    if (!site.store.removeGoalAction(district.slug, goalId, actionId, account.username, utcNow()))
        throw HttpError(404, "There is no action " + std::to_string(actionId) + " in this goal's plan.");
    return Response::redirect(post.back + "&done=removed");
}

Response goalsApi(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto language = languageOf(request);
    const auto& t = messages(language);
    const auto years = districtYears(site, district.slug);
    std::vector<const surveys::SurveyDefinition*> surveys;
    for (const auto& year : years) surveys.push_back(year.survey);
    const auto options = goalOptions(surveys, language);
    auto number = [](const std::optional<double>& x) { return x ? json(*x) : json(nullptr); };

    json goals = json::array();
    const auto actions = site.store.goalActions(district.slug);
    const auto today = formatDate(site.today());
    for (const auto& goal : site.store.goals(district.slug)) {
        const auto definition = analyticsGoal(goal);
        json plan = json::array();
        for (const auto* action : actionsOf(actions, goal.id))
            plan.push_back({{"id", action->id}, {"description", action->description}, {"owner", action->owner}, {"dueOn", action->dueOn},
                            {"status", action->status}, {"isOverdue", isOverdue(*action, today)}});
        json yearsJson = json::array();
        for (const auto& year : analytics::goalProgress(definition, years)) {
            json entry{{"schoolYear", year.schoolYear},
                       {"survey", year.surveyId},
                       {"instrument", year.instrumentKey.empty() ? json(nullptr) : json(year.instrumentKey)},
                       {"status", analytics::goalStatusCode(year.status)},
                       {"value", number(year.value)},
                       {"ci95", year.ci95 ? json::array({year.ci95->lower, year.ci95->upper}) : json(nullptr)},
                       {"expected", number(year.expected)},
                       {"isBaseline", year.isBaseline},
                       {"evidence", analytics::goalEvidence(definition, year, language)}};
            if (year.noData != analytics::GoalNoData::None) entry["noData"] = analytics::goalNoDataCode(year.noData);
            if (year.noData == analytics::GoalNoData::Hidden) entry["hidden"] = analytics::hiddenCode(year.hidden);
            for (const auto& surveyYear : years)  // which release the year's figure comes from
                if (surveyYear.survey->id == year.surveyId)
                    entry["release"] = {{"number", surveyYear.release.number}, {"kind", surveyYear.release.kind},
                                        {"publishedOn", surveyYear.release.publishedOn}};
            yearsJson.push_back(entry);
        }
        goals.push_back({{"id", goal.id},
                         {"title", goalTitle(goal, options, t)},
                         {"instrument", goal.instrumentId},
                         {"scale", goal.scaleId},
                         {"measure", goal.measure},
                         {"group", goal.groupQuestion.empty() ? json(nullptr)
                                                              : json{{"question", goal.groupQuestion}, {"category", goal.groupCategory}}},
                         {"target", goal.targetValue},
                         {"targetYear", goal.targetYear},
                         {"baselineYear", goal.baselineYear.empty() ? json(nullptr) : json(goal.baselineYear)},
                         {"years", yearsJson},
                         {"actions", plan}});
    }
    json history = json::array();
    for (const auto& change : site.store.goalChanges(district.slug))
        history.push_back({{"goal", change.goalId},
                           {"username", change.username},
                           {"action", change.action},
                           {"before", change.beforeJson.empty() ? json(nullptr) : json::parse(change.beforeJson)},
                           {"after", json::parse(change.afterJson)},
                           {"changedAt", change.changedAt}});
    json actionHistory = json::array();
    for (const auto& change : site.store.goalActionChanges(district.slug))
        actionHistory.push_back({{"goal", change.goalId},
                                 {"action", change.actionId},
                                 {"username", change.username},
                                 {"change", change.change},
                                 {"before", change.beforeJson.empty() ? json(nullptr) : json::parse(change.beforeJson)},
                                 {"after", json::parse(change.afterJson)},
                                 {"changedAt", change.changedAt}});
    const json body{{"district", {{"slug", district.slug}, {"name", district.name}}},
                    {"rule", "docs/goals.md: met when the figure reaches the target; before the target year on track while the 95% CI "
                             "reaches the line from the baseline to the target, off track when the whole CI is behind it; unmet in or "
                             "after the target year is off track"},
                    {"goals", goals},
                    {"history", history},
                    {"actionHistory", actionHistory}};
    return {200, "application/json; charset=utf-8", body.dump(2), {}};
}

Response goalsCsv(const Site& site, const Request& request, const store::Account& account) {
    const auto district = districtFor(site, request, account);
    const auto years = districtYears(site, district.slug);
    std::vector<const surveys::SurveyDefinition*> surveys;
    for (const auto& year : years) surveys.push_back(year.survey);
    const auto options = goalOptions(surveys, languageOf(request));
    std::vector<analytics::ListedGoal> goals;
    for (const auto& goal : site.store.goals(district.slug)) {
        const auto* group = options.findGroup(goal.groupQuestion, goal.groupCategory);
        goals.push_back({goal.id, analyticsGoal(goal), scaleTitle(goal, options), group ? group->label : std::string()});
    }
    Response response{200, "text/csv; charset=utf-8", analytics::goalsToCsv(goals, years), {}};
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + district.slug + "-goals.csv\"");
    return response;
}

json goalStatusView(const Site& site, const District& district, const analytics::DistrictYears& years, const std::string& language) {
    const auto& t = messages(language);
    std::vector<const surveys::SurveyDefinition*> surveys;
    for (const auto& year : years) surveys.push_back(year.survey);
    const auto options = goalOptions(surveys, language);
    json goals = json::array();
    for (const auto& goal : site.store.goals(district.slug)) {
        const auto progress = analytics::goalProgress(analyticsGoal(goal), years);
        // The latest judged year says where the goal stands; without one, the latest year.
        const analytics::GoalYear* latest = progress.empty() ? nullptr : &progress.back();
        for (auto it = progress.rbegin(); it != progress.rend(); ++it)
            if (it->status == analytics::GoalStatus::Met || it->status == analytics::GoalStatus::OnTrack ||
                it->status == analytics::GoalStatus::OffTrack) {
                latest = &*it;
                break;
            }
        const auto status = latest ? latest->status : analytics::GoalStatus::NoData;
        goals.push_back({{"title", goalTitle(goal, options, t)},
                         {"targetText", targetText(goal, t, language)},
                         {"schoolYear", latest ? latest->schoolYear : std::string()},
                         {"statusCode", analytics::goalStatusCode(status)},
                         {"statusText", statusText(status, t)},
                         {"href", goalsPath(district, language) + "#goal-" + std::to_string(goal.id)}});
    }
    return {{"t", t}, {"goals", goals}, {"hasGoals", !goals.empty()}, {"href", goalsPath(district, language)}};
}

std::string goalStatusSection(const json& statusView) { return render("goal-summary", statusView); }

std::string goalStatusSection(const Site& site, const District& district, const analytics::DistrictYears& years,
                              const std::string& language) {
    return goalStatusSection(goalStatusView(site, district, years, language));
}

}  // namespace mindset::web::handlers
