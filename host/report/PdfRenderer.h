#pragma once
/// Lays a report::Document out on pages and writes it as PDF, on the server, with cairo's PDF
/// surface and pango for text (measuring, wrapping, shaping); no browser. Text is set in DejaVu Sans
/// (Debian: fonts-dejavu-core), which has every character the reports use (−, ▲, ▼, accented
/// Spanish letters); the fonts used are embedded as subsets, so the file prints the same anywhere.
///
/// Pages break between blocks, between list items and between table rows, never inside one; a
/// heading always stays with what follows it, a table's header row is repeated on each page it
/// continues on, and a group row stays with its first row.
///
/// Safe to call from several threads at once (each call has its own cairo and pango objects).

#include <optional>
#include <string>
#include <string_view>

#include "report/Document.h"

namespace mindset::report {

/// The paper a report is printed on.
enum class Paper {
    Letter,  ///< 8.5 × 11 in (612 × 792 pt), the United States
    A4,      ///< 210 × 297 mm (595.28 × 841.89 pt), everywhere else
};

/// "letter" or "a4" (any case) as a Paper; none for anything else.
std::optional<Paper> paperNamed(std::string_view name);

/// "letter" or "a4".
std::string paperName(Paper paper);

/// The document as the bytes of a PDF file.
struct RenderedPdf {
    std::string bytes;
    int pages = 0;
};

/// Lays out and writes `document` on `paper`. Throws std::runtime_error naming cairo's status if
/// cairo cannot write the file.
RenderedPdf renderPdf(const Document& document, Paper paper);

}  // namespace mindset::report
