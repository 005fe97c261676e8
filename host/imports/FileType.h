#pragma once
/// What kind of file an import was given, before it is read as CSV: real exports arrive as Excel
/// workbooks, UTF-16 text or semicolon-separated CSV (Excel's "CSV" in many regional settings), and
/// each of those would otherwise fail on its first row with a message about quotes or columns that
/// says nothing of the real cause. Pure functions over bytes already in memory.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mindset::imports {

/// Why `bytes`, read from `file`, cannot be read as CSV with `delimiter`, as a sentence saying
/// what to do (e.g. "is an Excel workbook (.xlsx), not a CSV file: ..."); nullopt when it may be.
/// Refuses: a workbook (.xlsx/.xlsm/.xls/.ods by name or by content), UTF-16 text (or any zero
/// byte), and a header line that another delimiter (semicolons, tabs) splits into more columns.
std::optional<std::string> whyNotCsv(std::string_view bytes, const std::filesystem::path& file, char delimiter);

/// The delimiter a `--delimiter` value names: "," or "comma", ";" or "semicolon", "tab" (or a tab
/// character), "|" or "pipe"; nullopt otherwise.
std::optional<char> delimiterNamed(std::string_view name);

}  // namespace mindset::imports
