#pragma once
/// The CSV (RFC 4180) pieces every CSV Mindset writes shares: the raw export, its codebook, and
/// the profile's tables. Pure functions.

#include <string>
#include <string_view>

namespace mindset::analytics {

/// Appends `field` to a record, quoted when it holds a comma, a quote or a line break.
void appendCsvField(std::string& record, std::string_view field);

/// `field` as it stands in a CSV record.
std::string csvField(std::string_view field);

/// Appends the shortest text that reads back as exactly `x` (R, pandas and strtod all round correctly).
void appendShortestNumber(std::string& record, double x);

/// The shortest text that reads back as exactly `x`.
std::string shortestNumber(double x);

}  // namespace mindset::analytics
