#pragma once
/// The drawing side that report/'s documents share (private to the mindset_report library, the only
/// code that sees cairo's and pango's headers): a cairo PDF surface written to memory, and pango
/// layouts measured in the page's points, so that what is measured is what is drawn. Text is set in
/// DejaVu Sans and DejaVu Sans Mono (Debian: fonts-dejavu-core); the fonts used are embedded as
/// subsets, so a file prints the same anywhere.
///
/// One canvas per document and per thread: nothing here is shared between calls.

#include <cairo.h>
#include <memory>
#include <pango/pangocairo.h>
#include <string>

#include "report/PdfOutput.h"

namespace mindset::report {

struct Colour {
    double r, g, b;
};

constexpr Colour rgb(unsigned hex) { return {((hex >> 16) & 0xff) / 255.0, ((hex >> 8) & 0xff) / 255.0, (hex & 0xff) / 255.0}; }

constexpr Colour kInk = rgb(0x1a1a1a);
constexpr Colour kMuted = rgb(0x555b66);
constexpr Colour kRule = rgb(0xc9ced6);
constexpr Colour kWhite = rgb(0xffffff);

void setColour(cairo_t* cr, Colour c);

/// `pattern` with {{page}} and {{pages}} replaced by the numbers ("Page {{page}} of {{pages}}").
std::string numberPage(std::string pattern, int page, int pages);

using LayoutPtr = std::shared_ptr<PangoLayout>;

/// Makes pango layouts in points (resolution 72, so a 9.5 pt font is 9.5 units of the PDF page)
/// with unhinted metrics, so that what is measured is what is drawn.
class Typesetter {
public:
    explicit Typesetter(const std::string& language);
    ~Typesetter();
    Typesetter(const Typesetter&) = delete;
    Typesetter& operator=(const Typesetter&) = delete;

    struct Style {
        double size = 9.5;
        bool isBold = false;
        bool isItalic = false;
        PangoAlignment alignment = PANGO_ALIGN_LEFT;
        double lineSpacing = 1.15;
        bool isMonospace = false;  ///< DejaVu Sans Mono instead of DejaVu Sans
    };

    /// `text` wrapped at `width` points; its bytes [boldBegin, boldEnd) in bold.
    LayoutPtr layout(const std::string& text, double width, const Style& style, std::size_t boldEnd = 0, std::size_t boldBegin = 0) const;

    /// Makes the layouts drawn on `cr` use its transformation and font options.
    void attach(cairo_t* cr) const;

    static double heightOf(const LayoutPtr& layout);
    /// The width of the layout's longest line.
    static double inkWidthOf(const LayoutPtr& layout);
    static void draw(cairo_t* cr, const LayoutPtr& layout, double x, double y, Colour ink);

private:
    PangoContext* context_ = nullptr;
};

/// A PDF being drawn page by page into memory, with its typesetter already attached (so every
/// measurement is the page's). Draw on `cr()`, end each page with showPage(), then finish().
class PdfCanvas {
public:
    PdfCanvas(Paper paper, const std::string& title, const std::string& language);
    ~PdfCanvas();
    PdfCanvas(const PdfCanvas&) = delete;
    PdfCanvas& operator=(const PdfCanvas&) = delete;

    cairo_t* cr() const { return cr_; }
    const Typesetter& type() const { return type_; }
    double pageWidth() const { return pageWidth_; }
    double pageHeight() const { return pageHeight_; }

    void showPage();
    /// The file, with the pages shown. Throws std::runtime_error naming cairo's status if cairo
    /// could not write it. Draw nothing after it.
    RenderedPdf finish();

private:
    double pageWidth_;
    double pageHeight_;
    RenderedPdf pdf_;
    cairo_surface_t* surface_ = nullptr;
    cairo_t* cr_ = nullptr;
    Typesetter type_;
};

}  // namespace mindset::report
