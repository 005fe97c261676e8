#pragma once
/// Numbers as a reader of each interface language writes them: the one place that decides the
/// decimal mark ("3.77" in English, "3,77" in Spanish), the minus sign (a true "−", never "-0.00"),
/// ranges and counts. Every page, chart, sentence and goal text formats its figures here, so a
/// Spanish page never shows "4,08" beside "4.08". Machine outputs (JSON, CSV) keep plain numbers.
///
/// Pure functions, independent of the C locale, safe from any thread.

#include <cstdint>
#include <string>
#include <string_view>

namespace mindset::analytics {

/// The decimal mark of `language`: ',' for Spanish ("es"), '.' otherwise.
char decimalMarkOf(std::string_view language);

/// `value` with `digits` decimals (0-6) and `decimalMark`, rounded as printf("%.*f") rounds (from the
/// exact binary value, as R's sprintf does); `minus` before a negative value (a true minus sign,
/// "−0.31", unless a chart short of room asks for "-"), and "0.00", never "−0.00".
std::string decimalText(double value, int digits, char decimalMark, std::string_view minus = "\u2212");

/// decimalText in `language`'s decimal mark.
std::string decimalText(double value, int digits, std::string_view language);

/// As decimalText, with "+" before a value that shows as positive ("+0.34"; "0.00" stays unsigned).
std::string signedDecimalText(double value, int digits, std::string_view language);

/// A share (0..1) as whole percent: "49%".
std::string percentText(double share, std::string_view language);

/// A share (0..1) as signed whole percentage points: "+4", "−12", "0" (the caller adds the unit).
std::string signedPointsText(double share, std::string_view language);

/// An interval as the language lists two numbers: "[3.12, 3.40]"; with a decimal comma the two are
/// separated by a semicolon, "[3,12; 3,40]", so the comma inside a number stays unambiguous.
std::string intervalText(double lower, double upper, int digits, std::string_view language);

/// As intervalText, for shares as whole percent: "[45%, 53%]" / "[45%; 53%]".
std::string percentIntervalText(double lower, double upper, std::string_view language);

/// A count with groups of three digits: "1,234" in English; in Spanish a no-break space, as the
/// RAE recommends ("1 234"), so that a grouping point is never read as a decimal mark; four-digit
/// counts ungrouped in Spanish ("1234").
std::string countText(std::int64_t count, std::string_view language);

}  // namespace mindset::analytics
