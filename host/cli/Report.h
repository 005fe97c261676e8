#pragma once
/// `mindset report SURVEY`: the district profile on the command line, as text or JSON.

#include <ostream>
#include <string>

#include "analytics/Profile.h"

namespace mindset::cli {

/// The profile as readable text: each scale with its mean, interval, % favorable and α, the
/// strengths and areas for growth, and each breakdown (hidden groups say why).
void printReport(std::ostream& out, const analytics::Profile& profile, const surveys::SurveyDefinition& survey,
                 const std::string& language);

}  // namespace mindset::cli
