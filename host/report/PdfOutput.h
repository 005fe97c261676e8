#pragma once
/// What every printable document of report/ shares: the paper it is printed on and the PDF file it
/// becomes. No cairo or pango here; report/PdfCanvas.h (private to report/) has the drawing side.

#include <optional>
#include <string>
#include <string_view>

namespace mindset::report {

/// The paper a document is printed on.
enum class Paper {
    Letter,  ///< 8.5 × 11 in (612 × 792 pt), the United States
    A4,      ///< 210 × 297 mm (595.28 × 841.89 pt), everywhere else
};

/// "letter" or "a4" (any case) as a Paper; none for anything else.
std::optional<Paper> paperNamed(std::string_view name);

/// "letter" or "a4".
std::string paperName(Paper paper);

/// A document as the bytes of a PDF file.
struct RenderedPdf {
    std::string bytes;
    int pages = 0;
};

}  // namespace mindset::report
