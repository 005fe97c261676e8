#pragma once
/// `mindset codes`: issue one-time access codes per school, and follow response rates.

#include <ostream>
#include <string>

#include "store/Store.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::cli {

/// Issues `count` new codes for `schoolId` and prints them as a sheet to print and cut up: one slip
/// per code with the survey, the school, the code and the survey link that carries it
/// (`baseUrl/surveys/ID?code=CODE`), in English and Spanish. Only the codes' hashes are stored:
/// this printout is the only copy.
void issueAccessCodes(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey,
                      const std::string& schoolId, int count, const std::string& baseUrl);

/// Issued and used codes per school, with the response rate.
void printAccessCodeStatus(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey);

}  // namespace mindset::cli
