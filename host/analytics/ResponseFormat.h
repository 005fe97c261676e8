#pragma once
/// What an instrument's own response format means to a reader: the range its scale scores run
/// over, the words at either end, and its favorable rule, in English or Spanish. Every output
/// (profile page, charts, JSON, CSV, codebook, text report) describes a scale with these, so that
/// a survey may mix a 4-point implementation scale, a 7-point agreement scale and a 5-point
/// frequency scale and each is read on its own terms.
///
/// Comparing scales of different instruments (strengths and areas for growth) uses the share of
/// respondents favorable on each scale by its own rule: a share is on the same 0–100% footing
/// whatever the number of options, whereas a mean of 3.1 means something else on 1–4 and on 1–7.
///
/// Pure functions, safe from any thread.

#include <string>
#include <vector>

#include <mindset/sdk.h>

namespace mindset::analytics {

/// The range of an instrument's keyed scale scores (the default scoring's mean lies within it)
/// and the labels of its lowest and highest options in one language.
struct ScoreRange {
    double min = 1;
    double max = 5;
    std::string minLabel;
    std::string maxLabel;
};

/// The range and end labels of `definition`'s response scale in `language` ("en", "es").
ScoreRange scoreRangeOf(const sdk::Definition& definition, const std::string& language);

/// The range of one of `definition`'s scales: the response scale's, or for a custom figure
/// (loader::withDerivedScales) the figure's declared min and max, with no end labels.
ScoreRange scoreRangeOf(const sdk::Definition& definition, const sdk::Scale& scale, const std::string& language);

/// How to read a custom figure, e.g. "A custom figure, computed by the instrument's own code: <its
/// description> It runs from 0 to 1; favorable means 0.5 or more."; empty for any other scale.
std::string customFigureReadingText(const sdk::Definition& definition, const sdk::Scale& scale, const std::string& language);

/// A threshold as a reader writes it: "4", "2.5" ("2,5" in Spanish).
std::string thresholdText(double threshold, const std::string& language);

/// The favorable rule of `definition`'s scales in one sentence, e.g. "Favorable means a score of
/// 3 or more." or, when the scales differ, "Favorable means a score of at least 3 on Trust, 2.5 on
/// Voice."
std::string favorableRuleText(const sdk::Definition& definition, const std::string& language);

/// How to read `definition`'s scale scores, e.g. "Each scale runs from 1 (Not started) to 4
/// (Established), after reverse-keyed statements are turned around. Favorable means a score of 3
/// or more."
std::string scaleReadingText(const sdk::Definition& definition, const std::string& language);

/// The label of a mean-score axis for `definition`, e.g. "Mean score (1 = Never, 5 = Always)".
std::string meanAxisLabel(const sdk::Definition& definition, const std::string& language);
/// The same for one scale: a custom figure's axis names its own range.
std::string meanAxisLabel(const sdk::Definition& definition, const sdk::Scale& scale, const std::string& language);

/// Where strengths and areas for growth are ranked, and why by that figure.
std::string rankingBasisText(const std::string& language);

/// Why `scores`, what an instrument's own score() returned, breaks the rules of a result: one
/// score per declared scale, each within the response range the instrument declares (its lowest to
/// its highest code), and one value or none per custom figure of the scale, within the figure's range. Empty when it holds. A score outside the range would be drawn clipped and
/// described as "1 to 4" everywhere, so the host refuses it rather than show it.
std::string scoreProblem(const sdk::Definition& definition, const std::vector<sdk::ScaleScore>& scores);

/// `mean` on `range` as a share of the range (0 at its lowest, 1 at its highest): the "percent of
/// maximum possible" score, used only to order scales whose favorable shares tie.
double shareOfRange(double mean, const ScoreRange& range);

}  // namespace mindset::analytics
