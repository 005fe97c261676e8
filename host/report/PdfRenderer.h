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

#include "report/Document.h"
#include "report/PdfOutput.h"

namespace mindset::report {

/// Lays out and writes `document` on `paper`. Throws std::runtime_error naming cairo's status if
/// cairo cannot write the file.
RenderedPdf renderPdf(const Document& document, Paper paper);

}  // namespace mindset::report
