#pragma once
/// `mindset codes`: issue one-time access codes per school (a printable sheet of slips, a PDF of
/// slips with QR codes, or CSV for a mail merge), void lost ones, and follow response rates.

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "report/CodeSlips.h"
#include "store/Store.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::cli {

/// Codes just issued for one school: the only copy of them that will ever exist (the store keeps
/// their hashes).
struct IssuedCodes {
    const surveys::SurveyDefinition* survey = nullptr;
    const surveys::School* school = nullptr;
    std::uint32_t batch = 0;  ///< the batch number `mindset codes void --batch N` takes
    std::vector<std::string> codes;
    std::string link;  ///< the survey link without the code: `baseUrl/surveys/ID?code=`
};

/// Issues `count` new codes for `schoolId` as the survey's next batch (`issuedOn` YYYY-MM-DD) and
/// stores their hashes. Throws std::invalid_argument naming the school (and the survey's schools)
/// or the count when either is wrong; nothing is stored then.
IssuedCodes issueAccessCodes(store::Store& store, const surveys::SurveyDefinition& survey, const std::string& schoolId,
                             int count, const std::string& baseUrl, const std::string& issuedOn);

/// The sheet to print and cut up: one slip per code with the survey, the school, the code and the
/// link that carries it (`?code=`), in English and Spanish.
void printCodeSheet(std::ostream& out, const IssuedCodes& issued);

/// The same codes as CSV (RFC 4180, UTF-8, CRLF) for a mail merge: a header line, then one row per
/// code with code, link (with the code), school, its Spanish name, school id, survey id, title in
/// English and Spanish, district, school year and batch.
void writeCodeCsv(std::ostream& out, const IssuedCodes& issued);

/// The same codes as slips for report::renderCodeSlips: each with the survey's title and the school
/// (in Spanish too where the survey has it), the code, the survey's address, a QR code of the link
/// that carries the code, and how to use them in English and Spanish; each page's foot names the
/// batch and how to void it.
report::CodeSlipSheet codeSlipSheet(const IssuedCodes& issued);

/// The link a code of `survey` will carry, for `baseUrl` (`baseUrl/surveys/ID?code=`).
std::string codeLinkBase(const surveys::SurveyDefinition& survey, const std::string& baseUrl);

/// Creates `file` empty, readable and writable by its owner only from the first byte (whoever
/// reads it can answer with its codes), and never over an existing file (it may hold codes handed
/// out). False, with errno saying why, when it cannot.
bool createPrivateFile(const std::filesystem::path& file);

/// Issues codes and prints them as a sheet (issueAccessCodes, then printCodeSheet).
void issueAccessCodes(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey,
                      const std::string& schoolId, int count, const std::string& baseUrl);

/// Voids the codes typed in `codes` (any case, dashes optional), printing one line per code. A code
/// the survey never issued refuses the whole list (nothing voided); used codes are kept (their
/// answers cannot be found: nothing links them to a code). False when anything was refused.
bool voidAccessCodes(std::ostream& out, std::ostream& err, store::Store& store, const surveys::SurveyDefinition& survey,
                     const std::vector<std::string>& codes);

/// Voids every unused code of batch `number` (a lost sheet). False, voiding nothing, when the
/// survey has no such batch.
bool voidAccessCodeBatch(std::ostream& out, std::ostream& err, store::Store& store, const surveys::SurveyDefinition& survey,
                         std::uint32_t number);

/// Issued, voided and used codes per school, with the response rate (used of valid codes), then
/// the batches.
void printAccessCodeStatus(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey);

}  // namespace mindset::cli
