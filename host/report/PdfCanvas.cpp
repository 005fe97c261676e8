#include "report/PdfCanvas.h"

#include <algorithm>
#include <cairo-pdf.h>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace mindset::report {

namespace {

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

std::string numberPage(std::string pattern, int page, int pages) {
    for (const auto& [from, to] : {std::pair{std::string("{{page}}"), std::to_string(page)}, std::pair{std::string("{{pages}}"), std::to_string(pages)}})
        for (auto at = pattern.find(from); at != std::string::npos; at = pattern.find(from, at + to.size())) pattern.replace(at, from.size(), to);
    return pattern;
}

void setColour(cairo_t* cr, Colour c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

Typesetter::Typesetter(const std::string& language) {
    context_ = pango_font_map_create_context(pango_cairo_font_map_get_default());
    pango_cairo_context_set_resolution(context_, 72);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context_, options);
    cairo_font_options_destroy(options);
    pango_context_set_language(context_, pango_language_from_string(language.c_str()));
}

Typesetter::~Typesetter() { g_object_unref(context_); }

LayoutPtr Typesetter::layout(const std::string& text, double width, const Style& style, std::size_t boldEnd, std::size_t boldBegin) const {
    LayoutPtr layout(pango_layout_new(context_), g_object_unref);
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, style.isMonospace ? "DejaVu Sans Mono" : "DejaVu Sans");
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

void Typesetter::attach(cairo_t* cr) const { pango_cairo_update_context(cr, context_); }

double Typesetter::heightOf(const LayoutPtr& layout) {
    int width = 0, height = 0;
    pango_layout_get_size(layout.get(), &width, &height);
    return static_cast<double>(height) / PANGO_SCALE;
}

double Typesetter::inkWidthOf(const LayoutPtr& layout) {
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    return static_cast<double>(logical.width) / PANGO_SCALE;
}

void Typesetter::draw(cairo_t* cr, const LayoutPtr& layout, double x, double y, Colour ink) {
    setColour(cr, ink);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, layout.get());
}

PdfCanvas::PdfCanvas(Paper paper, const std::string& title, const std::string& language)
    : pageWidth_(paper == Paper::Letter ? 612 : 595.28), pageHeight_(paper == Paper::Letter ? 792 : 841.89), type_(language) {
    surface_ = cairo_pdf_surface_create_for_stream(appendTo, &pdf_.bytes, pageWidth_, pageHeight_);
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "Mindset");
    cr_ = cairo_create(surface_);
    type_.attach(cr_);  // before any layout is made, so that every measurement is the page's
}

PdfCanvas::~PdfCanvas() {
    if (cr_) cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
}

void PdfCanvas::showPage() {
    cairo_show_page(cr_);
    ++pdf_.pages;
}

RenderedPdf PdfCanvas::finish() {
    cairo_destroy(cr_);
    cr_ = nullptr;
    cairo_surface_finish(surface_);
    if (const auto status = cairo_surface_status(surface_); status != CAIRO_STATUS_SUCCESS)
        throw std::runtime_error(std::string("cairo could not write the PDF: ") + cairo_status_to_string(status));
    return std::move(pdf_);
}

}  // namespace mindset::report
