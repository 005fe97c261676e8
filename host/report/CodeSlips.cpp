#include "report/CodeSlips.h"

#include <algorithm>
#include <stdexcept>

#include "report/PdfCanvas.h"
#include "report/QrCode.h"

namespace mindset::report {

namespace {

// Page geometry in points (1/72 in). Half-inch margins suit any printer; the footer sits in the
// bottom one, the crop marks in all four.
constexpr double kMargin = 36;
constexpr double kBottomMargin = 54;
constexpr int kColumns = 2;
constexpr int kRows = kCodeSlipsPerPage / kColumns;
constexpr double kPad = 12;  // inside a slip, so that a slightly crooked cut keeps every word

// The QR code with its quiet zone: 96 pt (1.33 in) is about 2 pt (0.7 mm) a module for a link of
// 60-80 characters (version 5, 37 modules), which a phone reads from arm's length.
constexpr double kQrSide = 96;
constexpr double kQrInset = 6;  // the quiet zone is white anyway: it may reach into the padding

constexpr double kTitleSize = 9;
constexpr double kSubtitleSize = 7.5;
constexpr double kLabelSize = 7;
constexpr double kCodeSize = 16;
constexpr double kAddressSize = 7.5;
constexpr double kInstructionSize = 7.2;
constexpr double kFooterSize = 7;
constexpr double kSmallestScale = 0.7;  // smaller than 70% is no longer readable on paper

constexpr Colour kCutLine = rgb(0x9aa0a8);

/// A text in a block that shrinks as a whole to fit its place.
struct Piece {
    std::string text;
    Typesetter::Style style;
    Colour ink = kInk;
    double spaceBefore = 0;
    std::size_t boldFrom = std::string::npos;  ///< bold from this byte to the end, if it is inside the text
    bool keepsOnOneLine = false;  ///< set smaller still (to 70%) rather than wrapped: an address broken in two is typed wrong
};

struct Fitted {
    std::vector<LayoutPtr> layouts;
    std::vector<double> tops;  ///< each layout's top, from the block's top
    double height = 0;
};

/// The pieces wrapped at `width`, one under the other, all at the largest scale (1 down to 70%) at
/// which they fit in `maxHeight`; at 70% they may be taller (the slip's clip then cuts them).
Fitted fitBlock(const Typesetter& type, const std::vector<Piece>& pieces, double width, double maxHeight) {
    for (double scale = 1;; scale -= 0.05) {
        Fitted fitted;
        for (const auto& piece : pieces) {
            auto style = piece.style;
            style.size *= scale;
            const bool hasBold = piece.boldFrom < piece.text.size();
            fitted.height += piece.spaceBefore * scale;
            fitted.tops.push_back(fitted.height);
            auto layout = type.layout(piece.text, width, style, hasBold ? piece.text.size() : 0, piece.boldFrom);
            for (; piece.keepsOnOneLine && pango_layout_get_line_count(layout.get()) > 1 && style.size > piece.style.size * kSmallestScale; style.size -= 0.25)
                layout = type.layout(piece.text, width, style, hasBold ? piece.text.size() : 0, piece.boldFrom);
            fitted.layouts.push_back(std::move(layout));
            fitted.height += Typesetter::heightOf(fitted.layouts.back());
        }
        if (fitted.height <= maxHeight || scale < kSmallestScale + 0.01) return fitted;
    }
}

void drawBlock(cairo_t* cr, const Fitted& block, const std::vector<Piece>& pieces, double left, double top) {
    for (std::size_t i = 0; i < block.layouts.size(); ++i) Typesetter::draw(cr, block.layouts[i], left, top + block.tops[i], pieces[i].ink);
}

/// `text` on one line, as large as fits from `style.size` down to 70% of it: a code broken over two
/// lines would be typed wrong, and so would a command in the foot.
LayoutPtr oneLine(const Typesetter& type, const std::string& text, double width, Typesetter::Style style) {
    const double smallest = style.size * kSmallestScale;
    for (;; style.size -= 0.25) {
        auto layout = type.layout(text, width, style);
        if (pango_layout_get_line_count(layout.get()) == 1 || style.size <= smallest) return layout;
    }
}

LayoutPtr codeLayout(const Typesetter& type, const std::string& code, double width) {
    return oneLine(type, code, width, {kCodeSize, true, false, PANGO_ALIGN_LEFT, 1, true});
}

/// Dark modules as filled squares, each row's runs of dark modules as one rectangle (fewer, larger
/// shapes: no hairline seams between neighbours in a viewer that smooths edges).
void drawQr(cairo_t* cr, const QrCode& qr, double left, double top, double side) {
    const double module = side / (qr.size + 2 * kQrQuietZone);
    const double x0 = left + kQrQuietZone * module, y0 = top + kQrQuietZone * module;
    for (int y = 0; y < qr.size; ++y)
        for (int x = 0; x < qr.size;) {
            if (!qr.isDark(x, y)) {
                ++x;
                continue;
            }
            int end = x;
            while (end < qr.size && qr.isDark(end, y)) ++end;
            cairo_rectangle(cr, x0 + x * module, y0 + y * module, (end - x) * module, module);
            x = end;
        }
    setColour(cr, {0, 0, 0});
    cairo_fill(cr);
}

/// Dashed lines along every edge of the slips of `rows` rows, and short solid crop marks in the
/// margins where those lines meet the edge of the grid (for a paper cutter).
void drawCutLines(cairo_t* cr, double left, double top, double slipWidth, double slipHeight, int rows) {
    const double right = left + kColumns * slipWidth, bottom = top + rows * slipHeight;
    setColour(cr, kCutLine);
    cairo_set_line_width(cr, 0.5);
    const double dash[] = {3, 3};
    cairo_set_dash(cr, dash, 2, 0);
    for (int c = 0; c <= kColumns; ++c) {
        cairo_move_to(cr, left + c * slipWidth, top);
        cairo_line_to(cr, left + c * slipWidth, bottom);
    }
    for (int r = 0; r <= rows; ++r) {
        cairo_move_to(cr, left, top + r * slipHeight);
        cairo_line_to(cr, right, top + r * slipHeight);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    constexpr double kGap = 6, kLength = 16;
    for (int c = 0; c <= kColumns; ++c) {
        const double x = left + c * slipWidth;
        cairo_move_to(cr, x, top - kGap);
        cairo_line_to(cr, x, top - kGap - kLength);
        cairo_move_to(cr, x, bottom + kGap);
        cairo_line_to(cr, x, bottom + kGap + kLength / 2);
    }
    for (int r = 0; r <= rows; ++r) {
        const double y = top + r * slipHeight;
        cairo_move_to(cr, left - kGap, y);
        cairo_line_to(cr, left - kGap - kLength, y);
        cairo_move_to(cr, right + kGap, y);
        cairo_line_to(cr, right + kGap + kLength, y);
    }
    cairo_stroke(cr);
}

}  // namespace

RenderedPdf renderCodeSlips(const CodeSlipSheet& sheet, Paper paper) {
    if (sheet.slips.empty()) throw std::invalid_argument("a sheet of code slips needs at least one code, got none");
    std::vector<QrCode> qrCodes;  // all made before drawing: a link too long fails before any page
    for (const auto& slip : sheet.slips) qrCodes.push_back(qrCodeOf(slip.link));

    PdfCanvas canvas(paper, sheet.documentTitle, sheet.language);
    cairo_t* cr = canvas.cr();
    const auto& type = canvas.type();
    const double slipWidth = (canvas.pageWidth() - 2 * kMargin) / kColumns;
    const double slipHeight = (canvas.pageHeight() - kMargin - kBottomMargin) / kRows;

    // Every slip has the same texts, so they are fitted once.
    const double qrLeft = slipWidth - kQrInset - kQrSide;
    const double columnWidth = qrLeft - kPad;  // the quiet zone keeps the text off the QR code
    const double bandHeight = kQrInset + kQrSide;
    auto label = type.layout(sheet.codeLabel, columnWidth, {kLabelSize, false, false, PANGO_ALIGN_LEFT, 1});
    const double codeHeight = Typesetter::heightOf(codeLayout(type, "0000-0000-0000", columnWidth));
    const double codeBlockHeight = Typesetter::heightOf(label) + 1 + codeHeight;
    const std::vector<Piece> head{{sheet.title, {kTitleSize, true, false, PANGO_ALIGN_LEFT, 1.05}},
                                  {sheet.subtitle, {kSubtitleSize, false, false, PANGO_ALIGN_LEFT, 1.05}, kMuted, 3}};
    const auto headBlock = fitBlock(type, head, columnWidth, bandHeight - kPad - codeBlockHeight - 6);
    std::vector<Piece> foot{{sheet.address, {kAddressSize, false, false, PANGO_ALIGN_LEFT, 1.05}, kInk, 0, sheet.addressBoldFrom, true}};
    for (const auto& text : sheet.instructions) foot.push_back({text, {kInstructionSize, false, false, PANGO_ALIGN_LEFT, 1.05}, kInk, 4});
    const double footWidth = slipWidth - 2 * kPad;
    const auto footBlock = fitBlock(type, foot, footWidth, slipHeight - bandHeight - 5 - kPad);

    const int pages = static_cast<int>((sheet.slips.size() + kCodeSlipsPerPage - 1) / kCodeSlipsPerPage);
    for (int page = 0; page < pages; ++page) {
        const std::size_t first = static_cast<std::size_t>(page) * kCodeSlipsPerPage;
        const std::size_t count = std::min<std::size_t>(kCodeSlipsPerPage, sheet.slips.size() - first);
        for (std::size_t i = 0; i < count; ++i) {
            const double left = kMargin + static_cast<double>(i % kColumns) * slipWidth;
            const double top = kMargin + static_cast<double>(i / kColumns) * slipHeight;
            cairo_save(cr);
            cairo_rectangle(cr, left, top, slipWidth, slipHeight);
            cairo_clip(cr);
            drawBlock(cr, headBlock, head, left + kPad, top + kPad);
            const double codeTop = top + bandHeight - codeBlockHeight;
            Typesetter::draw(cr, label, left + kPad, codeTop, kMuted);
            Typesetter::draw(cr, codeLayout(type, sheet.slips[first + i].code, columnWidth), left + kPad, codeTop + Typesetter::heightOf(label) + 1, kInk);
            drawQr(cr, qrCodes[first + i], left + qrLeft, top + kQrInset, kQrSide);
            drawBlock(cr, footBlock, foot, left + kPad, top + bandHeight + 5);
            cairo_restore(cr);
        }
        const int rows = static_cast<int>((count + kColumns - 1) / kColumns);
        drawCutLines(cr, kMargin, kMargin, slipWidth, slipHeight, rows);
        auto footer = oneLine(type, numberPage(sheet.footer, page + 1, pages), canvas.pageWidth() - 2 * kMargin, {kFooterSize});
        Typesetter::draw(cr, footer, kMargin, canvas.pageHeight() - kBottomMargin + 22, kMuted);
        canvas.showPage();
    }
    return canvas.finish();
}

}  // namespace mindset::report
