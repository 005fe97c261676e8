#include "analytics/Goals.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "analytics/Comparability.h"
#include "analytics/Csv.h"
#include "analytics/NumberText.h"
#include "analytics/ProfileJson.h"

namespace mindset::analytics {

namespace {

/// Shares are count / n, so 29 of 100 is 28.999999999999996 %: a figure that equals the target
/// on paper must count as reaching it.
constexpr double kTolerance = 1e-9;

bool isDigits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The leading four-digit year of a survey's school year, as loosely as survey files allow.
std::optional<int> leadingYear(std::string_view text) {
    if (text.size() < 4 || !isDigits(text.substr(0, 4))) return std::nullopt;
    return std::stoi(std::string(text.substr(0, 4)));
}

std::string_view instrumentIdOf(std::string_view key) { return key.substr(0, key.find('@')); }

struct Figure {
    std::optional<double> value;
    std::optional<Interval> ci95;
};

Figure figureOf(GoalMeasure measure, const CellFigures& figures) {
    if (measure == GoalMeasure::Favorable) {
        Figure figure{figures.favorable.share ? std::optional<double>(100 * *figures.favorable.share) : std::nullopt, {}};
        if (figures.favorable.wilson95) figure.ci95 = Interval{100 * figures.favorable.wilson95->lower, 100 * figures.favorable.wilson95->upper};
        return figure;
    }
    return {figures.summary.mean, figures.summary.meanCi95};
}

/// Fills `year` with the goal's figure from one profile, or says why there is none.
void readFigure(const Goal& goal, const Profile& profile, GoalYear& year) {
    const ScaleFigures* scale = nullptr;
    std::size_t scaleIndex = 0;
    for (std::size_t g = 0; g < profile.scales.size(); ++g) {
        const auto& candidate = profile.scales[g];
        if (instrumentIdOf(candidate.instrumentKey) != goal.instrumentId) continue;
        year.instrumentKey = candidate.instrumentKey;
        if (candidate.scaleId == goal.scaleId) {
            scale = &candidate;
            scaleIndex = g;
            break;
        }
    }
    if (!scale) {
        year.noData = GoalNoData::ScaleNotInSurvey;
        return;
    }
    auto hide = [&](HiddenBecause reason) {
        year.noData = GoalNoData::Hidden;
        // A figure the profile lacks without a reason (nobody answered) reads as below the minimum.
        year.hidden = reason == HiddenBecause::Shown ? HiddenBecause::BelowMinimum : reason;
    };
    if (scale->hidden != HiddenBecause::Shown || !scale->district) return hide(scale->hidden);
    if (!goal.group) {
        const auto figure = figureOf(goal.measure, *scale->district);
        if (!figure.value) return hide(HiddenBecause::BelowMinimum);
        year.value = figure.value;
        year.ci95 = figure.ci95;
        return;
    }

    const Breakdown* breakdown = nullptr;
    for (const auto& candidate : profile.breakdowns)
        if (candidate.questionId == goal.group->questionId) breakdown = &candidate;
    std::optional<std::size_t> category;
    if (breakdown)
        for (std::size_t c = 0; c < breakdown->categories.size(); ++c)
            if (breakdown->categories[c].id == goal.group->categoryId) category = c;
    if (!category || scaleIndex >= breakdown->cellsByScale.size()) {
        year.noData = GoalNoData::GroupNotInSurvey;
        return;
    }
    const auto& cells = breakdown->cellsByScale[scaleIndex];
    const auto cell = std::find_if(cells.begin(), cells.end(), [&](const Cell& c) { return c.category == *category; });
    if (cell == cells.end()) return hide(HiddenBecause::BelowMinimum);
    if (cell->hidden != HiddenBecause::Shown || !cell->figures) return hide(cell->hidden);
    if (goal.measure != GoalMeasure::Gap) {
        const auto figure = figureOf(goal.measure, *cell->figures);
        if (!figure.value) return hide(HiddenBecause::BelowMinimum);
        year.value = figure.value;
        year.ci95 = figure.ci95;
        return;
    }
    if (!cell->gap || !cell->gap->difference) return hide(cell->gapHidden);
    year.value = cell->gap->difference;
    if (cell->gap->welch) year.ci95 = cell->gap->welch->differenceCi95;
}

/// The quantity the goal judges and its interval: the figure itself, or for a gap its distance.
std::pair<double, Interval> judged(GoalMeasure measure, double value, std::optional<Interval> ci95) {
    // Without an interval (no spread at all) the figure stands for itself.
    const auto interval = ci95.value_or(Interval{value, value});
    if (measure == GoalMeasure::Gap) return {std::abs(value), absoluteInterval(interval)};
    return {value, interval};
}

bool reaches(GoalMeasure measure, double judgedValue, double target) {
    return measure == GoalMeasure::Gap ? judgedValue <= target + kTolerance : judgedValue >= target - kTolerance;
}

}  // namespace

Interval absoluteInterval(Interval interval) {
    const auto low = std::abs(interval.lower), high = std::abs(interval.upper);
    if (interval.lower <= 0 && interval.upper >= 0) return {0, std::max(low, high)};
    return {std::min(low, high), std::max(low, high)};
}

std::optional<int> schoolYearStart(std::string_view text) {
    if (text.size() != 9 || text[4] != '-' || !isDigits(text.substr(0, 4)) || !isDigits(text.substr(5, 4))) return std::nullopt;
    const int first = std::stoi(std::string(text.substr(0, 4)));
    const int second = std::stoi(std::string(text.substr(5, 4)));
    if (second != first + 1) return std::nullopt;
    return first;
}

std::vector<GoalYear> goalProgress(const Goal& goal, const DistrictYears& years) {
    const auto targetStart = schoolYearStart(goal.targetYear);
    if (!targetStart) throw std::invalid_argument("goal target year: expected a school year like 2027-2028, got “" + goal.targetYear + "”");
    if (goal.measure == GoalMeasure::Gap && !goal.group)
        throw std::invalid_argument("a gap goal needs a group (a demographic question and category); it has none");

    std::vector<GoalYear> result;
    std::vector<const sdk::Definition*> definitions;  // of the goal's instrument, per year (null: none)
    for (const auto& surveyYear : years) {
        const sdk::Definition* definition = nullptr;
        for (const auto& instrument : surveyYear.survey->instruments)
            if (instrument.definition().id == goal.instrumentId) definition = &instrument.definition();
        definitions.push_back(definition);
        GoalYear year;
        year.schoolYear = surveyYear.survey->schoolYear;
        year.surveyId = surveyYear.survey->id;
        year.minGroupSize = surveyYear.profile->minGroupSize;
        readFigure(goal, *surveyYear.profile, year);
        result.push_back(std::move(year));
    }

    // The baseline: the goal's baseline year, or the first year with a figure; when the baseline
    // year has none, the first one after it that does.
    std::optional<std::size_t> baseline;
    for (std::size_t i = 0; i < result.size() && !baseline; ++i)
        if (result[i].value && (!goal.baselineYear || result[i].schoolYear >= *goal.baselineYear)) baseline = i;

    auto isComparableWithBaseline = [&](std::size_t i) {
        const auto* earlier = definitions[*baseline];
        const auto* later = definitions[i];
        if (!earlier || !later) return result[i].instrumentKey == result[*baseline].instrumentKey;  // hand-made profiles without definitions: same id@version only
        return areScalesComparable(*earlier, *later, goal.scaleId);
    };
    std::optional<int> baselineStart;
    if (baseline) baselineStart = leadingYear(result[*baseline].schoolYear);
    for (std::size_t i = 0; i < result.size(); ++i) {
        auto& year = result[i];
        const auto start = leadingYear(year.schoolYear);
        year.isTargetYearReached = year.schoolYear >= goal.targetYear;
        if (year.value && baseline && i != *baseline && !isComparableWithBaseline(i)) {
            // Two versions of an instrument may score a scale differently; unless the instrument
            // declares the scale comparable, a version change is a break in the line, not progress.
            year.noData = GoalNoData::OtherVersion;
            year.value.reset();
            year.ci95.reset();
        }
        if (!year.value) {
            year.status = GoalStatus::NoData;
            continue;
        }
        if (!baseline || i < *baseline || !start || !baselineStart) {
            year.status = GoalStatus::BeforeBaseline;
            continue;
        }
        const auto [value, interval] = judged(goal.measure, *year.value, year.ci95);
        const auto baselineValue = judged(goal.measure, *result[*baseline].value, std::nullopt).first;
        // The straight line from the baseline to the target, flat at the target from the target year on.
        if (*start >= *targetStart || *baselineStart >= *targetStart) {
            year.expected = goal.target;
        } else {
            const double progress = static_cast<double>(*start - *baselineStart) / static_cast<double>(*targetStart - *baselineStart);
            year.expected = baselineValue + (goal.target - baselineValue) * progress;
        }
        year.isBaseline = i == *baseline;
        if (reaches(goal.measure, value, goal.target)) year.status = GoalStatus::Met;
        else if (year.isTargetYearReached) year.status = GoalStatus::OffTrack;
        else if (year.isBaseline) year.status = GoalStatus::OnTrack;  // the line starts at this very figure
        else if (goal.measure == GoalMeasure::Gap) year.status = interval.lower <= *year.expected + kTolerance ? GoalStatus::OnTrack : GoalStatus::OffTrack;
        else year.status = interval.upper >= *year.expected - kTolerance ? GoalStatus::OnTrack : GoalStatus::OffTrack;
    }
    return result;
}

std::string_view goalStatusCode(GoalStatus status) {
    switch (status) {
        case GoalStatus::Met: return "met";
        case GoalStatus::OnTrack: return "on-track";
        case GoalStatus::OffTrack: return "off-track";
        case GoalStatus::NoData: return "no-data";
        case GoalStatus::BeforeBaseline: return "before-baseline";
    }
    return "";
}

std::string_view goalNoDataCode(GoalNoData reason) {
    switch (reason) {
        case GoalNoData::None: return "";
        case GoalNoData::ScaleNotInSurvey: return "scale-not-in-survey";
        case GoalNoData::GroupNotInSurvey: return "group-not-in-survey";
        case GoalNoData::Hidden: return "hidden";
        case GoalNoData::OtherVersion: return "other-version";
    }
    return "";
}

std::string_view goalMeasureCode(GoalMeasure measure) {
    switch (measure) {
        case GoalMeasure::Mean: return "mean";
        case GoalMeasure::Favorable: return "favorable";
        case GoalMeasure::Gap: return "gap";
    }
    return "";
}

std::optional<GoalMeasure> goalMeasureFromCode(std::string_view code) {
    for (auto measure : {GoalMeasure::Mean, GoalMeasure::Favorable, GoalMeasure::Gap})
        if (goalMeasureCode(measure) == code) return measure;
    return std::nullopt;
}

namespace {

/// A figure with `digits` decimals as `language` writes it (analytics/NumberText: a true minus sign,
/// "0,31" in Spanish), then `suffix`.
std::string withDigits(double value, int digits, const std::string& language, const char* suffix = "") {
    return decimalText(value, digits, language) + suffix;
}

int baseDigits(GoalMeasure measure) { return measure == GoalMeasure::Favorable ? 0 : 2; }
const char* unit(GoalMeasure measure) { return measure == GoalMeasure::Favorable ? "%" : ""; }

/// The target as entered: the measure's usual digits, more when it has more (3.625 stays 3.625).
std::string formatTarget(GoalMeasure measure, double target, const std::string& language) {
    int digits = baseDigits(measure);
    for (; digits < 4; ++digits) {
        const double scale = std::pow(10.0, digits);
        if (std::abs(std::round(target * scale) / scale - target) < kTolerance) break;
    }
    return withDigits(target, digits, language, unit(measure));
}

/// A figure next to the target: with a digit or two more when the usual ones would make a figure
/// that misses the target look equal to it (3.596 against 3.60 is "3.596", not "3.60").
std::string formatNear(GoalMeasure measure, double value, double target, const std::string& language) {
    int digits = baseDigits(measure);
    const bool isEqual = std::abs(value - target) < kTolerance;
    while (digits < baseDigits(measure) + 2 && !isEqual && withDigits(value, digits, language) == withDigits(target, digits, language)) ++digits;
    return withDigits(value, digits, language, unit(measure));
}

std::string capitalized(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

struct Words {
    bool es;
    std::string language;
    std::string pick(std::string en, std::string spanish) const { return es ? std::move(spanish) : std::move(en); }
};

/// "mean 3.62 (95% CI 3.55 to 3.69)" and the like, lower case.
std::string figurePhrase(const Goal& goal, const GoalYear& year, const Words& w) {
    const auto value = *year.value;
    std::string text;
    switch (goal.measure) {
        case GoalMeasure::Mean: text = w.pick("mean ", "media ") + formatNear(goal.measure, value, goal.target, w.language); break;
        case GoalMeasure::Favorable: text = formatNear(goal.measure, value, goal.target, w.language) + " favorable"; break;
        case GoalMeasure::Gap:  // signed, as published; its distance is compared with the target
            text = w.pick("gap to the rest of the district ", "brecha con el resto del distrito ") + formatGoalValue(goal.measure, value, w.language);
            break;
    }
    if (year.ci95)
        text += w.pick(" (95% CI ", " (IC 95% ") + withDigits(year.ci95->lower, baseDigits(goal.measure), w.language, unit(goal.measure)) +
                w.pick(" to ", " a ") + withDigits(year.ci95->upper, baseDigits(goal.measure), w.language, unit(goal.measure)) + ")";
    return text;
}

}  // namespace

std::string formatGoalValue(GoalMeasure measure, double value, const std::string& language) {
    return withDigits(value, baseDigits(measure), language, unit(measure));
}

std::string formatGoalTarget(GoalMeasure measure, double target, const std::string& language) { return formatTarget(measure, target, language); }

std::string goalEvidence(const Goal& goal, const GoalYear& year, const std::string& language) {
    const Words w{language == "es", language};
    switch (year.noData) {
        case GoalNoData::None: break;
        case GoalNoData::ScaleNotInSurvey:
            return w.pick("No figure: this year's survey does not include this scale.",
                          "Sin dato: la encuesta de este año no incluye esta escala.");
        case GoalNoData::GroupNotInSurvey:
            return w.pick("No figure: this year's survey does not ask about this group.",
                          "Sin dato: la encuesta de este año no pregunta por este grupo.");
        case GoalNoData::Hidden:
            return w.pick("No figure. ", "Sin dato. ") + hiddenExplanation(year.hidden, year.minGroupSize, language);
        case GoalNoData::OtherVersion:
            return w.pick("No figure: this year's survey uses another version of the instrument (" + year.instrumentKey +
                              ") than the baseline year, and the two are not compared.",
                          "Sin dato: la encuesta de este año usa otra versión del instrumento (" + year.instrumentKey +
                              ") que el año de la línea de base, y no se comparan.");
    }
    if (!year.value) return w.pick("No figure.", "Sin dato.");

    const bool isGap = goal.measure == GoalMeasure::Gap;
    const auto figure = figurePhrase(goal, year, w);
    const auto target = formatTarget(goal.measure, goal.target, language);
    const auto distance = formatNear(goal.measure, std::abs(*year.value), goal.target, language);
    const auto expected = year.expected ? formatNear(goal.measure, *year.expected, goal.target, language) : std::string();
    const auto targetPhrase = isGap ? w.pick("the target of at most ", "el objetivo de como máximo ") + target
                                    : w.pick("the target of ", "el objetivo de ") + target;

    switch (year.status) {
        case GoalStatus::NoData: return w.pick("No figure.", "Sin dato.");
        case GoalStatus::BeforeBaseline:
            return capitalized(figure) + w.pick(", before the baseline year: not judged.", ", antes del año de la línea de base: sin juicio.");
        case GoalStatus::Met:
            if (isGap)
                return capitalized(figure) + w.pick(": the group and the rest are " + distance + " apart, within " + targetPhrase + ".",
                                                    ": el grupo y el resto están a " + distance + " de distancia, dentro de " + targetPhrase + ".");
            return capitalized(figure) + w.pick(" reaches " + targetPhrase + ".", " alcanza " + targetPhrase + ".");
        case GoalStatus::OnTrack:
        case GoalStatus::OffTrack: break;
    }
    // A negative gap's distance is worth saying; a positive one's is the figure itself.
    const auto distancePart = isGap && *year.value < 0 ? w.pick(", " + distance + " apart", ", a " + distance + " de distancia") : std::string();
    if (year.status == GoalStatus::OffTrack && year.isTargetYearReached)
        return capitalized(figure) + distancePart +
               w.pick(": " + targetPhrase + " set for " + goal.targetYear + " was not reached.",
                      ": no se alcanzó " + targetPhrase + " fijado para " + goal.targetYear + ".");
    if (year.isBaseline)
        return w.pick("Baseline: ", "Línea de base: ") + figure + distancePart +
               w.pick(". The line to " + targetPhrase + " in " + goal.targetYear + " starts here.",
                      ". La línea hacia " + targetPhrase + " en " + goal.targetYear + " parte de aquí.");
    const auto line = w.pick("; the line from the baseline to " + targetPhrase + " in " + goal.targetYear + " expects ",
                             "; la línea desde la línea de base hasta " + targetPhrase + " en " + goal.targetYear + " espera ") +
                      (isGap ? w.pick("at most ", "como máximo ") : std::string()) + expected + w.pick(" by now", " a estas alturas");
    if (year.status == GoalStatus::OnTrack)
        return capitalized(figure) + distancePart + line +
               w.pick(", and the interval reaches it: not clearly behind.", ", y el intervalo la alcanza: no está claramente por detrás.");
    return capitalized(figure) + distancePart + line +
           (isGap ? w.pick(", and the whole interval is above it: clearly behind.", ", y todo el intervalo queda por encima: claramente por detrás.")
                  : w.pick(", and the whole interval is below it: clearly behind.", ", y todo el intervalo queda por debajo: claramente por detrás."));
}

std::string goalsToCsv(const std::vector<ListedGoal>& goals, const DistrictYears& years) {
    std::string csv =
        "goal,instrument,scale,scale_title,measure,question,group,group_label,target,target_year,baseline_year,school_year,survey,"
        "instrument_version,value,ci95_lower,ci95_upper,expected,status,is_baseline,no_data,hidden\n";
    auto optional = [](const std::optional<double>& x) { return x ? shortestNumber(*x) : std::string(); };
    for (const auto& listed : goals) {
        const auto& goal = listed.goal;
        std::string prefix = std::to_string(listed.id) + ',';
        for (const auto& text : {goal.instrumentId, goal.scaleId, listed.scaleTitle, std::string(goalMeasureCode(goal.measure)),
                                 goal.group ? goal.group->questionId : std::string(), goal.group ? goal.group->categoryId : std::string(),
                                 listed.groupLabel}) {
            appendCsvField(prefix, text);
            prefix += ',';
        }
        prefix += shortestNumber(goal.target) + ',';
        appendCsvField(prefix, goal.targetYear);
        prefix += ',';
        appendCsvField(prefix, goal.baselineYear.value_or(""));
        prefix += ',';
        for (const auto& year : goalProgress(goal, years)) {
            std::string row = prefix;
            for (const auto& text : {year.schoolYear, year.surveyId, year.instrumentKey}) {
                appendCsvField(row, text);
                row += ',';
            }
            row += optional(year.value) + ',' + (year.ci95 ? shortestNumber(year.ci95->lower) + ',' + shortestNumber(year.ci95->upper) : ",") +
                   ',' + optional(year.expected) + ',' + std::string(goalStatusCode(year.status)) + ',' + (year.isBaseline ? "1" : "0") +
                   ',' + std::string(goalNoDataCode(year.noData)) + ',';
            if (year.noData == GoalNoData::Hidden) row += hiddenCode(year.hidden);
            csv += row + '\n';
        }
    }
    return csv;
}

}  // namespace mindset::analytics
