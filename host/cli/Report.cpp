#include "cli/Report.h"

#include <algorithm>
#include <cstdio>

#include "analytics/ProfileJson.h"
#include "analytics/ResponseFormat.h"

namespace mindset::cli {

namespace {

std::string fixed(double x, int digits = 2) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", digits, x);
    return text;
}

std::string percent(double share) { return fixed(100 * share, 0) + "%"; }

std::string scaleTitle(const analytics::ScaleFigures& scale, const surveys::SurveyDefinition& survey, const std::string& language) {
    const auto& definition = survey.instruments[scale.ref.instrument].definition();
    return definition.title.in(language) + " / " + definition.scales[scale.ref.scale].title.in(language);
}

}  // namespace

void printReport(std::ostream& out, const analytics::Profile& profile, const surveys::SurveyDefinition& survey,
                 const std::string& language) {
    out << survey.title.in(language) << "\n" << survey.districtName << ", " << survey.schoolYear << "\n";
    if (profile.responses < profile.minGroupSize) {
        out << "Fewer than " << profile.minGroupSize << " responses: nothing can be shown yet.\n";
        return;
    }
    out << profile.responses << " responses; groups of fewer than " << profile.minGroupSize << " are never shown.\n\n";

    for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
        const auto& definition = survey.instruments[i].definition();
        out << definition.title.in(language) << ": " << analytics::scaleReadingText(definition, language) << "\n";
    }
    out << "\n";

    for (const auto& scale : profile.scales) {
        out << scaleTitle(scale, survey, language) << "\n";
        if (scale.failure) {
            out << "  " << analytics::failureExplanation(*scale.failure, language) << "\n\n";
            continue;
        }
        if (!scale.district) {
            out << "  " << analytics::hiddenExplanation(scale.hidden, profile.minGroupSize, language) << "\n\n";
            continue;
        }
        const auto& s = scale.district->summary;
        const auto& definition = survey.instruments[scale.ref.instrument].definition();
        const auto range = analytics::scoreRangeOf(definition, definition.scales[scale.ref.scale], language);
        out << "  n " << s.n << "  mean " << fixed(*s.mean) << " (" << analytics::thresholdText(range.min, language) << " to "
            << analytics::thresholdText(range.max, language) << ")";
        if (s.meanCi95) out << " [" << fixed(s.meanCi95->lower) << ", " << fixed(s.meanCi95->upper) << "]";
        if (scale.district->favorable.share) out << "  favorable " << percent(*scale.district->favorable.share);
        if (scale.reliability && scale.reliability->alpha) out << "  alpha " << fixed(*scale.reliability->alpha);
        out << "\n\n";
    }

    // As on the profile page: at most three of each, and never more than half of the ranked
    // scales, so that no scale is listed as a strength and an area for growth at once.
    const auto& ranking = profile.ranking;
    if (const auto listed = std::min<std::size_t>(3, ranking.size() / 2); listed > 0) {
        auto favorable = [&](std::size_t g) { return percent(profile.scales[g].district->favorable.share.value_or(0)); };
        out << "Strengths (highest % favorable):\n";
        for (std::size_t i = 0; i < listed; ++i)
            out << "  " << scaleTitle(profile.scales[ranking[i]], survey, language) << "  " << favorable(ranking[i]) << "\n";
        out << "Areas for growth (lowest % favorable):\n";
        for (std::size_t i = 0; i < listed; ++i) {
            const auto g = ranking[ranking.size() - 1 - i];
            out << "  " << scaleTitle(profile.scales[g], survey, language) << "  " << favorable(g) << "\n";
        }
        out << analytics::rankingBasisText(language) << "\n\n";
    }

    for (const auto& breakdown : profile.breakdowns) {
        out << "By " << breakdown.label.in(language) << "\n";
        for (std::size_t g = 0; g < profile.scales.size(); ++g) {
            if (!profile.scales[g].district) continue;
            out << "  " << scaleTitle(profile.scales[g], survey, language) << "\n";
            for (const auto& cell : breakdown.cellsByScale[g]) {
                if (cell.size == 0) continue;
                out << "    " << breakdown.categories[cell.category].label.in(language) << ": ";
                if (!cell.figures) {
                    out << analytics::hiddenExplanation(cell.hidden, profile.minGroupSize, language) << "\n";
                    continue;
                }
                out << "n " << cell.figures->summary.n << ", mean " << fixed(*cell.figures->summary.mean);
                if (cell.gap && cell.gap->difference) {
                    out << ", vs rest " << (*cell.gap->difference >= 0 ? "+" : "") << fixed(*cell.gap->difference);
                    if (cell.gap->hedgesG) out << " (g " << fixed(cell.gap->hedgesG->g) << ")";
                    if (cell.gapQValue) out << (*cell.gapQValue < 0.05 ? ", beyond noise" : ", within noise");
                }
                out << "\n";
            }
        }
        out << "\n";
    }
}

}  // namespace mindset::cli
