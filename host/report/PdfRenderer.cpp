#include "report/PdfRenderer.h"

#include <algorithm>
#include <functional>
#include <numbers>
#include <stdexcept>

#include "report/PdfCanvas.h"

namespace mindset::report {

namespace {

// Page geometry in PDF points (1/72 in). Margins of 0.75 in leave room for any printer's edge.
constexpr double kSideMargin = 54;
constexpr double kTopMargin = 50;
constexpr double kBottomMargin = 62;  // the footer sits in it

// Type sizes in points: body text reads at arm's length; tables are a little smaller.
constexpr double kTitleSize = 18;
constexpr double kSectionSize = 13;
constexpr double kSubsectionSize = 10.5;
constexpr double kBodySize = 9.5;
constexpr double kMetaSize = 8;
constexpr double kTableSize = 8.5;
constexpr double kSmallTableSize = 7.5;
constexpr double kFooterSize = 7.5;
constexpr double kCellPadX = 4;
constexpr double kCellPadY = 3;
constexpr double kTurnedLabelLength = 92;  // a turned header label wraps after this many points

constexpr Colour kHeadingInk = rgb(0x12355b);
constexpr Colour kHeaderFill = rgb(0xeef1f5);
constexpr Colour kNoticeFill = rgb(0xfff4d6);
constexpr Colour kNoticeEdge = rgb(0xb7791f);

/// How a tone looks: its fill (if any), its text colour and weight. The heatmap's colours are the
/// web style sheet's (.heat-clear-above ...), the goal statuses' are its .status-* colours.
struct ToneLook {
    bool isFilled = false;
    Colour fill{1, 1, 1};
    Colour ink = kInk;
    bool isBold = false;
    bool isItalic = false;
};

ToneLook lookOf(Tone tone) {
    switch (tone) {
        case Tone::Plain: return {};
        case Tone::ClearAbove: return {true, rgb(0x2166ac), kWhite, true, false};
        case Tone::Above: return {true, rgb(0xd1e5f0), kInk, false, false};
        case Tone::Even: return {true, rgb(0xf2f4f7), kInk, false, false};
        case Tone::Below: return {true, rgb(0xfddbc7), kInk, false, false};
        case Tone::ClearBelow: return {true, rgb(0xb2182b), kWhite, true, false};
        case Tone::Hidden: return {false, kWhite, kMuted, false, true};
        case Tone::Muted: return {false, kWhite, kMuted, false, false};
        case Tone::Good: return {true, rgb(0xdcf1e4), rgb(0x0b4f2c), true, false};
        case Tone::Fair: return {true, rgb(0xdde9f7), rgb(0x173d6b), true, false};
        case Tone::Poor: return {true, rgb(0xfbe1e2), rgb(0x7d1014), true, false};
    }
    return {};
}

/// The smallest piece of the flow that is never split across pages: a heading, a paragraph, a list
/// item, a table row.
struct Unit {
    double height = 0;
    double spaceBefore = 0;     ///< dropped at the top of a page
    bool keepWithNext = false;  ///< never the last unit on a page
    int repeatHeader = -1;      ///< a table row: the index of its table's header row, drawn first when it starts a page
    int repeatGroup = -1;       ///< a table row under a group row: that row's index, drawn (after the header) when it starts a page
    std::function<void(cairo_t*, double top)> draw;
};

class Flow {
public:
    Flow(const Typesetter& type, double left, double width) : type_(type), left_(left), width_(width) {}

    std::vector<Unit> units;

    void add(const Heading& heading) {
        const double size = heading.level == 1 ? kTitleSize : heading.level == 2 ? kSectionSize : kSubsectionSize;
        auto layout = type_.layout(heading.text, width_, {size, true, false, PANGO_ALIGN_LEFT, 1.05});
        Unit unit;
        unit.height = Typesetter::heightOf(layout) + (heading.level == 2 ? 4 : 2);
        unit.spaceBefore = heading.level == 1 ? 0 : heading.level == 2 ? 16 : 10;
        unit.keepWithNext = true;
        const double left = left_, width = width_;
        const bool isSection = heading.level == 2;
        unit.draw = [layout, left, width, isSection, height = unit.height](cairo_t* cr, double top) {
            Typesetter::draw(cr, layout, left, top, kHeadingInk);
            if (!isSection) return;
            setColour(cr, kRule);
            cairo_set_line_width(cr, 0.75);
            cairo_move_to(cr, left, top + height - 1.5);
            cairo_line_to(cr, left + width, top + height - 1.5);
            cairo_stroke(cr);
        };
        units.push_back(std::move(unit));
    }

    void add(const Paragraph& paragraph, double indent = 0, const std::string& bullet = {}) {
        const bool isMeta = paragraph.style == Paragraph::Style::Meta;
        const bool isNotice = paragraph.style == Paragraph::Style::Notice;
        const double pad = isNotice ? 7 : 0;
        const double x = left_ + indent + pad;
        const double width = width_ - indent - 2 * pad;
        const std::string text = paragraph.lead.empty() ? paragraph.text : paragraph.lead + " " + paragraph.text;
        auto layout = type_.layout(text, width, {isMeta ? kMetaSize : kBodySize}, paragraph.lead.size());
        Unit unit;
        unit.height = Typesetter::heightOf(layout) + 2 * pad;
        unit.spaceBefore = bullet.empty() ? 6 : 3;
        unit.keepWithNext = paragraph.keepsWithNext;
        LayoutPtr mark = bullet.empty() ? nullptr : type_.layout(bullet, indent, {kBodySize});
        const double boxLeft = left_ + indent, boxWidth = width_ - indent, height = unit.height;
        unit.draw = [=](cairo_t* cr, double top) {
            if (isNotice) {
                cairo_rectangle(cr, boxLeft, top, boxWidth, height);
                setColour(cr, kNoticeFill);
                cairo_fill_preserve(cr);
                setColour(cr, kNoticeEdge);
                cairo_set_line_width(cr, 1);
                cairo_stroke(cr);
            }
            if (mark) Typesetter::draw(cr, mark, boxLeft - indent + 2, top + pad, kInk);
            Typesetter::draw(cr, layout, x, top + pad, isMeta ? kMuted : kInk);
        };
        units.push_back(std::move(unit));
    }

    void add(const Bullets& bullets) {
        for (const auto& item : bullets.items) add(item, 12, "\u2022");
    }

    void add(const Table& table) {
        const std::size_t columns = table.columnWeights.size();
        double total = 0;
        for (double w : table.columnWeights) total += w;
        std::vector<double> widths, lefts;
        double x = left_;
        for (double w : table.columnWeights) {
            lefts.push_back(x);
            widths.push_back(width_ * w / total);
            x += widths.back();
        }
        const double size = table.isSmall ? kSmallTableSize : kTableSize;
        const std::size_t firstUnit = units.size();
        int header = -1;
        if (!table.header.empty()) {
            header = static_cast<int>(units.size());
            addRow(table.header, lefts, widths, table.isCentered, {size - 0.5, true}, true, false, -1, table.isHeaderTurned);
        }
        int group = -1;
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            const auto& row = table.rows[r];
            if (row.isGroup) {
                group = static_cast<int>(units.size());
                addRow({row.cells.at(0)}, {left_}, {width_}, false, {size + 0.5, true}, false, true, header);
                continue;
            }
            if (row.cells.size() != columns) throw std::logic_error("a table row has " + std::to_string(row.cells.size()) + " cells, the table " + std::to_string(columns) + " columns");
            addRow(row.cells, lefts, widths, table.isCentered, {size, false}, false, false, header);
            units.back().repeatGroup = group;
        }
        if (!units.empty()) units.back().keepWithNext = false;
        // No table starts or ends with a single row alone on a page: its first two rows stay
        // together, and so do its last two.
        const std::size_t firstRow = firstUnit + (header >= 0 ? 1 : 0);
        if (units.size() >= firstRow + 3) {
            units[firstRow].keepWithNext = true;
            units[units.size() - 2].keepWithNext = true;
        }
        if (table.keepsWithNext && !units.empty()) units.back().keepWithNext = true;
    }

private:
    void addRow(const std::vector<Cell>& cells, const std::vector<double>& lefts, const std::vector<double>& widths, bool isCentered,
                Typesetter::Style style, bool isHeader, bool isGroup, int header, bool isTurned = false) {
        struct Placed {
            LayoutPtr layout;
            ToneLook look;
            double height;     ///< on the page: for a turned label, the length of its longest line
            double thickness;  ///< a turned label's lines across the column
            bool isTurned;
        };
        std::vector<Placed> placed;
        double height = 0;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            auto look = lookOf(cells[c].tone);
            Typesetter::Style cellStyle = style;
            cellStyle.isBold = style.isBold || cells[c].isBold || look.isBold;
            cellStyle.isItalic = look.isItalic;
            cellStyle.alignment = isCentered && c > 0 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
            cellStyle.lineSpacing = 1.05;
            const bool turnsThis = isTurned && c > 0;
            if (turnsThis) cellStyle.alignment = PANGO_ALIGN_LEFT;
            // A turned label wraps at a fixed length up the page instead of the column's width.
            auto layout = type_.layout(cells[c].text, turnsThis ? kTurnedLabelLength : widths[c] - 2 * kCellPadX, cellStyle, cells[c].boldEnd,
                                       cells[c].boldBegin);
            const double h = turnsThis ? Typesetter::inkWidthOf(layout) : Typesetter::heightOf(layout);
            height = std::max(height, h);
            placed.push_back({layout, look, h, turnsThis ? Typesetter::heightOf(layout) : 0, turnsThis});
        }
        height += 2 * kCellPadY;
        Unit unit;
        unit.height = height;
        unit.spaceBefore = isHeader ? 8 : isGroup ? 4 : 0;
        unit.keepWithNext = isHeader || isGroup;
        unit.repeatHeader = header;
        const double left = left_, width = width_;
        unit.draw = [=](cairo_t* cr, double top) {
            if (isHeader) {
                cairo_rectangle(cr, left, top, width, height);
                setColour(cr, kHeaderFill);
                cairo_fill(cr);
            }
            for (std::size_t c = 0; c < placed.size(); ++c) {
                const auto& p = placed[c];
                if (p.look.isFilled) {
                    // A hair of white between filled cells, so that neighbouring colours stay apart.
                    cairo_rectangle(cr, lefts[c] + 0.5, top + 0.5, widths[c] - 1, height - 1);
                    setColour(cr, p.look.fill);
                    cairo_fill(cr);
                }
                if (p.isTurned) {
                    // Read upwards from the bottom of the header, centred across the column.
                    cairo_save(cr);
                    cairo_translate(cr, lefts[c] + (widths[c] - p.thickness) / 2, top + height - kCellPadY);
                    cairo_rotate(cr, -std::numbers::pi / 2);
                    Typesetter::draw(cr, p.layout, 0, 0, p.look.ink);
                    cairo_restore(cr);
                    continue;
                }
                // Centred vertically (a one-line figure beside a two-line label sits in the middle); beside
                // turned labels, at the bottom with them.
                const double y = isTurned ? top + height - kCellPadY - p.height : top + (height - p.height) / 2;
                Typesetter::draw(cr, p.layout, lefts[c] + kCellPadX, y, p.look.ink);
            }
            setColour(cr, isHeader ? kMuted : kRule);
            cairo_set_line_width(cr, isHeader ? 0.9 : 0.5);
            cairo_move_to(cr, left, top + height);
            cairo_line_to(cr, left + width, top + height);
            cairo_stroke(cr);
        };
        units.push_back(std::move(unit));
    }

    const Typesetter& type_;
    double left_;
    double width_;
};

struct PlacedUnit {
    std::size_t unit;
    double top;
};

/// The pages, each a list of units with their positions: a unit that does not fit goes to the next
/// page together with every unit it is kept with.
std::vector<std::vector<PlacedUnit>> paginate(const std::vector<Unit>& units, double top, double bottom) {
    std::vector<std::vector<PlacedUnit>> pages(1);
    double y = top;
    const double pageHeight = bottom - top;
    for (std::size_t i = 0; i < units.size(); ++i) {
        // The height of this unit and every unit it must stay with; a chain taller than a page
        // (never in our reports) is allowed to break after its first unit.
        double chain = units[i].height;
        for (std::size_t j = i; units[j].keepWithNext && j + 1 < units.size(); ++j) chain += units[j + 1].spaceBefore + units[j + 1].height;
        if (chain > pageHeight) chain = units[i].height;
        const bool isAtTop = pages.back().empty();
        if (!isAtTop && y + units[i].spaceBefore + chain > bottom) {
            pages.emplace_back();
            y = top;
            // A table continued: its header row again, and the label of the group its rows are in.
            for (const int repeated : {units[i].repeatHeader, units[i].repeatGroup}) {
                if (repeated < 0) continue;
                pages.back().push_back({static_cast<std::size_t>(repeated), y});
                y += units[static_cast<std::size_t>(repeated)].height;
            }
        }
        if (!pages.back().empty()) y += units[i].spaceBefore;
        pages.back().push_back({i, y});
        y += units[i].height;
    }
    return pages;
}

}  // namespace

RenderedPdf renderPdf(const Document& document, Paper paper) {
    PdfCanvas canvas(paper, document.title, document.language);
    const double pageWidth = canvas.pageWidth();
    const double pageHeight = canvas.pageHeight();
    const double contentWidth = pageWidth - 2 * kSideMargin;
    const auto& type = canvas.type();
    cairo_t* cr = canvas.cr();

    Flow flow(type, kSideMargin, contentWidth);
    for (const auto& block : document.blocks) std::visit([&](const auto& b) { flow.add(b); }, block);
    const auto pages = paginate(flow.units, kTopMargin, pageHeight - kBottomMargin);

    const double footerTop = pageHeight - kBottomMargin + 22;
    for (std::size_t p = 0; p < pages.size(); ++p) {
        for (const auto& placed : pages[p]) flow.units[placed.unit].draw(cr, placed.top);
        setColour(cr, kRule);
        cairo_set_line_width(cr, 0.5);
        cairo_move_to(cr, kSideMargin, footerTop - 5);
        cairo_line_to(cr, pageWidth - kSideMargin, footerTop - 5);
        cairo_stroke(cr);
        const auto pageText = numberPage(document.pageOfPages, static_cast<int>(p) + 1, static_cast<int>(pages.size()));
        auto right = type.layout(pageText, 60, {kFooterSize, false, false, PANGO_ALIGN_RIGHT});
        auto left = type.layout(document.footer, contentWidth - 64, {kFooterSize});
        Typesetter::draw(cr, left, kSideMargin, footerTop, kMuted);
        Typesetter::draw(cr, right, pageWidth - kSideMargin - 60, footerTop, kMuted);
        canvas.showPage();
    }
    return canvas.finish();
}

}  // namespace mindset::report
