#include "cli/Report.h"

#include <cstdio>

#include "analytics/ProfileJson.h"

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

    for (const auto& scale : profile.scales) {
        out << scaleTitle(scale, survey, language) << "\n";
        if (!scale.district) {
            out << "  " << analytics::hiddenExplanation(scale.hidden, profile.minGroupSize, language) << "\n\n";
            continue;
        }
        const auto& s = scale.district->summary;
        out << "  n " << s.n << "  mean " << fixed(*s.mean);
        if (s.meanCi95) out << " [" << fixed(s.meanCi95->lower) << ", " << fixed(s.meanCi95->upper) << "]";
        if (scale.district->favorable.share) out << "  favorable " << percent(*scale.district->favorable.share);
        if (scale.reliability && scale.reliability->alpha) out << "  alpha " << fixed(*scale.reliability->alpha);
        out << "\n\n";
    }

    if (!profile.ranking.empty()) {
        out << "Strengths (highest means):\n";
        for (std::size_t i = 0; i < profile.ranking.size() && i < 3; ++i)
            out << "  " << scaleTitle(profile.scales[profile.ranking[i]], survey, language) << "\n";
        out << "Areas for growth (lowest means):\n";
        for (std::size_t i = 0; i < profile.ranking.size() && i < 3; ++i)
            out << "  " << scaleTitle(profile.scales[profile.ranking[profile.ranking.size() - 1 - i]], survey, language) << "\n";
        out << "\n";
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
