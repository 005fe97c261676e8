#pragma once
/// Synthetic responses for demonstrations and benchmarks: unequal groups (some small enough to be
/// suppressed), plausible differences between schools, roles and race/ethnicity, reliable scales and
/// missing answers, in exactly the layout the store keeps (see ResponseEncoding.h). Pure: no I/O,
/// no global state; safe to call from several threads at once.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "surveys/ResponseEncoding.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::demo {

/// How often respondents pick a choice of a demographic question, relative to the question's other
/// choices. Entries with a condition (`whenQuestionId`, an *earlier* question, and `whenChoiceId`)
/// replace the unconditional ones of the same question for respondents who chose `whenChoiceId`
/// there. A question with no matching entry is answered uniformly (a "prefer not to say" choice
/// then 3% of the time); a choice a question's matching entries leave out is never picked.
struct ChoiceWeight {
    std::string questionId;
    std::string choiceId;
    double weight = 0.0;
    std::string whenQuestionId{};  ///< empty: unconditional
    std::string whenChoiceId{};
};

/// Respondents who chose `choiceId` of `questionId` score this much higher (lower, if negative) on
/// `scaleId`, in standard deviations of the latent trait: roughly Hedges' g against the others,
/// a little less once answers are rounded to codes. With several choices of a multiple-choice
/// question a respondent gets the average of their choices' shifts.
struct GroupEffect {
    std::string questionId;
    std::string choiceId;
    std::string scaleId;  ///< a scale id of any instrument of the survey; empty: every scale
    double shiftSd = 0.0;         ///< in year 0
    double shiftPerYearSd = 0.0;  ///< added per yearIndex; of opposite sign to shiftSd, it narrows the gap
};

/// Where a scale's answers sit on the response scale, and how they drift from year to year.
struct ScaleLevel {
    std::string scaleId;
    double mean = 0.6;            ///< latent mean: 0 puts "neither" in the middle, 1 most answers at "agree" or above
    double meanPerYear = 0.0;     ///< added per yearIndex
    double itemNoise = 0.95;      ///< item noise against a latent SD of 1: larger means a less reliable scale
};

/// The built-in profile, tuned to surveys/riverside-2026.json (a diverse Texas district, six
/// sites, mostly teachers); ids a survey does not have are ignored.
std::vector<ChoiceWeight> defaultChoiceWeights();
std::vector<GroupEffect> defaultGroupEffects();
std::vector<ScaleLevel> defaultScaleLevels();

/// What kind of district and year to simulate. Default: the demo district's first year.
struct DemoProfile {
    /// 0 for the first year; each later year shifts means by ScaleLevel::meanPerYear and group
    /// gaps by GroupEffect::shiftPerYearSd. Use a different seed for each year as well.
    int yearIndex = 0;
    /// Each item answer is left out with about this probability (some items more, some less).
    double itemMissingShare = 0.025;
    /// Respondents who stop part-way: every item after a random point is unanswered.
    double stopEarlyShare = 0.03;
    /// An optional demographic question is left unanswered with this probability.
    double optionalSkipShare = 0.015;
    /// Respondents to a multiple-choice question who pick two or more choices (e.g. two races).
    double multipleChoiceShare = 0.03;
    /// Filled by quota rather than by chance, and never left unanswered, so its group sizes are
    /// exactly proportional to the weights at every count (small sites stay small enough to be
    /// suppressed). Empty: none.
    std::string quotaQuestionId = "school";
    std::vector<ChoiceWeight> choiceWeights = defaultChoiceWeights();
    std::vector<GroupEffect> effects = defaultGroupEffects();
    std::vector<ScaleLevel> scaleLevels = defaultScaleLevels();
};

/// `count` responses to `survey`, each one a form submission the survey would accept, in random
/// order. The same survey, count, seed and profile give the same bytes with every standard
/// library whose exp and log round alike (they are used for the normal distribution's tables and
/// its rare tails; glibc's are stable across releases). Responses to a required
/// question are never missing; a survey that requires every item gets no missing item unless it
/// offers "prefer not to answer". About 1 s per million responses of the demo survey.
std::vector<surveys::EncodedResponse> generateResponses(const surveys::SurveyDefinition& survey, std::size_t count,
                                                        std::uint64_t seed, const DemoProfile& profile = {});

}  // namespace mindset::demo
