#include "report/PdfRenderer.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <memory>
#include <numbers>
#include <stdexcept>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

namespace mindset::report {

namespace {

// Page geometry in PDF points (1/72 in). Margins of 0.75 in leave room for any printer's edge.
constexpr double kSideMargin = 54;
constexpr double kTopMargin = 50;
constexpr double kBottomMargin = 62;  // the footer sits in it
constexpr const char* kFontFamily = "DejaVu Sans";

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

struct Colour {
    double r, g, b;
};

constexpr Colour rgb(unsigned hex) { return {((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0}; }

constexpr Colour kInk = rgb(0x1a1a1a);
constexpr Colour kMuted = rgb(0x555b66);
constexpr Colour kHeadingInk = rgb(0x12355b);
constexpr Colour kRule = rgb(0xc9ced6);
constexpr Colour kHeaderFill = rgb(0xeef1f5);
constexpr Colour kNoticeFill = rgb(0xfff4d6);
constexpr Colour kNoticeEdge = rgb(0xb7791f);
constexpr Colour kWhite = rgb(0xffffff);

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

void setColour(cairo_t* cr, Colour c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

using LayoutPtr = std::shared_ptr<PangoLayout>;

/// Makes pango layouts in points (resolution 72, so a 9.5 pt font is 9.5 units of the PDF page)
/// with unhinted metrics, so that what is measured is what is drawn.
class Typesetter {
public:
    explicit Typesetter(const std::string& language) {
        context_ = pango_font_map_create_context(pango_cairo_font_map_get_default());
        pango_cairo_context_set_resolution(context_, 72);
        cairo_font_options_t* options = cairo_font_options_create();
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
        pango_cairo_context_set_font_options(context_, options);
        cairo_font_options_destroy(options);
        pango_context_set_language(context_, pango_language_from_string(language.c_str()));
    }
    ~Typesetter() { g_object_unref(context_); }
    Typesetter(const Typesetter&) = delete;
    Typesetter& operator=(const Typesetter&) = delete;

    struct Style {
        double size = kBodySize;
        bool isBold = false;
        bool isItalic = false;
        PangoAlignment alignment = PANGO_ALIGN_LEFT;
        double lineSpacing = 1.15;
    };

    /// `text` wrapped at `width` points; its bytes [boldBegin, boldEnd) in bold.
    LayoutPtr layout(const std::string& text, double width, const Style& style, std::size_t boldEnd = 0, std::size_t boldBegin = 0) const {
        LayoutPtr layout(pango_layout_new(context_), g_object_unref);
        PangoFontDescription* font = pango_font_description_new();
        pango_font_description_set_family(font, kFontFamily);
        pango_font_description_set_size(font, static_cast<gint>(style.size * PANGO_SCALE));
        pango_font_description_set_weight(font, style.isBold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_font_description_set_style(font, style.isItalic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
        pango_layout_set_font_description(layout.get(), font);
        pango_font_description_free(font);
        pango_layout_set_width(layout.get(), static_cast<int>(std::max(1.0, width) * PANGO_SCALE));
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        pango_layout_set_alignment(layout.get(), style.alignment);
        pango_layout_set_line_spacing(layout.get(), static_cast<float>(style.lineSpacing));
        pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
        if (boldEnd > boldBegin) {
            PangoAttrList* attributes = pango_attr_list_new();
            PangoAttribute* bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
            bold->start_index = static_cast<guint>(boldBegin);
            bold->end_index = static_cast<guint>(boldEnd);
            pango_attr_list_insert(attributes, bold);
            pango_layout_set_attributes(layout.get(), attributes);
            pango_attr_list_unref(attributes);
        }
        return layout;
    }

    /// Makes the layouts drawn on `cr` use its transformation and font options.
    void attach(cairo_t* cr) const { pango_cairo_update_context(cr, context_); }

    static double heightOf(const LayoutPtr& layout) {
        int width = 0, height = 0;
        pango_layout_get_size(layout.get(), &width, &height);
        return static_cast<double>(height) / PANGO_SCALE;
    }

    /// The width of the layout's longest line.
    static double inkWidthOf(const LayoutPtr& layout) {
        PangoRectangle logical;
        pango_layout_get_extents(layout.get(), nullptr, &logical);
        return static_cast<double>(logical.width) / PANGO_SCALE;
    }

    static void draw(cairo_t* cr, const LayoutPtr& layout, double x, double y, Colour ink) {
        setColour(cr, ink);
        cairo_move_to(cr, x, y);
        pango_cairo_show_layout(cr, layout.get());
    }

private:
    PangoContext* context_ = nullptr;
};

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

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
    return text;
}

cairo_status_t appendTo(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::optional<Paper> paperNamed(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "letter") return Paper::Letter;
    if (lower == "a4") return Paper::A4;
    return std::nullopt;
}

std::string paperName(Paper paper) { return paper == Paper::Letter ? "letter" : "a4"; }

RenderedPdf renderPdf(const Document& document, Paper paper) {
    const double pageWidth = paper == Paper::Letter ? 612 : 595.28;
    const double pageHeight = paper == Paper::Letter ? 792 : 841.89;
    const double contentWidth = pageWidth - 2 * kSideMargin;

    RenderedPdf pdf;
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
        cairo_pdf_surface_create_for_stream(appendTo, &pdf.bytes, pageWidth, pageHeight), cairo_surface_destroy);
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, document.title.c_str());
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Mindset");
    std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()), cairo_destroy);
    Typesetter type(document.language);
    type.attach(cr.get());  // before any layout is made, so that every measurement is the page's

    Flow flow(type, kSideMargin, contentWidth);
    for (const auto& block : document.blocks) std::visit([&](const auto& b) { flow.add(b); }, block);
    const auto pages = paginate(flow.units, kTopMargin, pageHeight - kBottomMargin);
    pdf.pages = static_cast<int>(pages.size());

    const double footerTop = pageHeight - kBottomMargin + 22;
    for (std::size_t p = 0; p < pages.size(); ++p) {
        for (const auto& placed : pages[p]) flow.units[placed.unit].draw(cr.get(), placed.top);
        setColour(cr.get(), kRule);
        cairo_set_line_width(cr.get(), 0.5);
        cairo_move_to(cr.get(), kSideMargin, footerTop - 5);
        cairo_line_to(cr.get(), pageWidth - kSideMargin, footerTop - 5);
        cairo_stroke(cr.get());
        const auto pageText = replaceAll(replaceAll(document.pageOfPages, "{{page}}", std::to_string(p + 1)), "{{pages}}", std::to_string(pages.size()));
        auto right = type.layout(pageText, 60, {kFooterSize, false, false, PANGO_ALIGN_RIGHT});
        auto left = type.layout(document.footer, contentWidth - 64, {kFooterSize});
        Typesetter::draw(cr.get(), left, kSideMargin, footerTop, kMuted);
        Typesetter::draw(cr.get(), right, pageWidth - kSideMargin - 60, footerTop, kMuted);
        cairo_show_page(cr.get());
    }
    cr.reset();
    cairo_surface_finish(surface.get());
    if (const auto status = cairo_surface_status(surface.get()); status != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("cairo could not write the PDF: ") + cairo_status_to_string(status));
    return pdf;
}

}  // namespace mindset::report
