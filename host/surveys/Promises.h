#pragma once
/// The promises a survey makes to the people who answer it, which a survey file may not break
/// once responses exist: the minimum group size (and the higher one for open links, where the
/// survey has one), the access mode, and the demographic questions with their categories.
/// Respondents answered under what they were told; reporting them under weaker rules afterwards
/// would break the promise (docs/privacy.md). Raising a minimum, or moving from an open link to
/// access codes, keeps it.

#include <string>
#include <vector>

#include "surveys/SurveyDefinition.h"

namespace mindset::surveys {

/// One promise a changed survey file would break.
struct BrokenPromise {
    std::string field;    ///< JSON path in the survey file, e.g. "$.minGroupSize"
    std::string stored;   ///< what respondents were promised, as the stored file says it
    std::string updated;  ///< what the changed file says
    std::string advice;   ///< what to do instead
};

/// The promises `updated` breaks, compared with the survey as stored when its responses were
/// collected: its file's text (`storedJson`) and its answer layout (`storedLayout`, see
/// SurveyDefinition::answerLayout). Empty when every promise is kept.
std::vector<BrokenPromise> brokenPromises(const std::string& storedJson, const std::string& storedLayout,
                                          const SurveyDefinition& updated);

/// The refusal for one broken promise: "survey 'ID' already has N responses, collected under
/// FIELD = STORED; this file says UPDATED. ADVICE".
std::string refusalReason(const SurveyDefinition& updated, std::int64_t responseCount, const BrokenPromise& broken);

}  // namespace mindset::surveys
