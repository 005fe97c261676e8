#pragma once
/// One-time access codes as a PDF of slips to print and cut apart: kCodeSlipsPerPage slips a page
/// (2 across, 4 down) inside light dashed cut lines, with crop marks in the margins for a paper
/// cutter. Each slip carries the texts every slip shares, its code in a large monospace face, and a
/// QR code of its own link (the one that carries the code) drawn as vector squares with its quiet
/// zone. Knows nothing of surveys: whoever builds the sheet has written every text in the languages
/// it wants.
///
/// A text too long for its place is set smaller, down to 70% of its size, and what still does not
/// fit is cut at the slip's edge, never printed over the next slip.
///
/// Safe to call from several threads at once (each call has its own cairo and pango objects).

#include <string>
#include <vector>

#include "report/PdfOutput.h"

namespace mindset::report {

/// Slips a page: 2 columns of 4, each about 3.7 × 2.5 in (Letter) or 92 × 67 mm (A4).
constexpr int kCodeSlipsPerPage = 8;

/// One slip: its code and the link its QR code carries.
struct CodeSlip {
    std::string code;  ///< printed large, as it is to be typed
    std::string link;  ///< the whole link that fills the code in (`…?code=CODE`)
};

/// The slips of one batch and the texts each of them carries.
struct CodeSlipSheet {
    std::string language = "en";        ///< the PDF's language
    std::string documentTitle;          ///< the PDF's title metadata
    std::string title;                  ///< bold at the top of each slip (the survey, in its languages)
    std::string subtitle;               ///< under the title (the school, the district, the year)
    std::string codeLabel;              ///< small, over the code ("Your code / Su código")
    std::string address;                ///< the address to open and type the code at, under the QR code
    std::size_t addressBoldFrom = std::string::npos;  ///< `address` is bold from this byte on (the address itself); npos: none
    std::vector<std::string> instructions;  ///< short paragraphs, one a language, at the bottom of each slip
    std::string footer;                 ///< at the foot of each page, outside the slips, with {{page}} and {{pages}}
    std::vector<CodeSlip> slips;
};

/// The slips in order, row by row, on as many pages as they need (ceil(slips / kCodeSlipsPerPage)).
/// Throws std::invalid_argument when there is no slip or a link is too long for a QR code, and
/// std::runtime_error naming cairo's status if cairo cannot write the file.
RenderedPdf renderCodeSlips(const CodeSlipSheet& sheet, Paper paper);

}  // namespace mindset::report
