#pragma once
/// A printable document as a flow of blocks (headings, paragraphs, bullet lists, tables), with no
/// page in it: the renderer (report/PdfRenderer) breaks it into pages. Knows nothing of surveys,
/// releases or HTTP; whoever builds one has already formatted every figure as the pages show it.

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace mindset::report {

/// How a table cell, a legend swatch or a status is coloured. The heatmap's tones are the summary
/// page's (`.heat-*` in the web style sheet), so a printed cell looks like the one on screen.
enum class Tone {
    Plain,       ///< no fill
    ClearAbove,  ///< dark blue, white bold text
    Above,       ///< light blue
    Even,        ///< light grey
    Below,       ///< light red
    ClearBelow,  ///< dark red, white bold text
    Hidden,      ///< white, grey italic text
    Muted,       ///< no fill, grey text (nobody in the group, no figure)
    Good,        ///< green (a goal met)
    Fair,        ///< blue (a goal on track)
    Poor,        ///< red (a goal off track)
};

/// One table cell.
struct Cell {
    std::string text;
    Tone tone = Tone::Plain;
    bool isBold = false;
    /// Bytes [boldBegin, boldEnd) of `text` in bold (e.g. the figure of "3.77 · 58% favorable").
    std::size_t boldBegin = 0;
    std::size_t boldEnd = 0;
};

/// A heading; a heading is never the last thing on a page (it moves to the next page with what follows).
struct Heading {
    int level = 2;  ///< 1: the document's title; 2: a section; 3: a subsection
    std::string text;
};

/// A paragraph of running text.
struct Paragraph {
    enum class Style {
        Body,    ///< running text
        Meta,    ///< small grey text: sources, dates, explanations
        Notice,  ///< a boxed notice (e.g. "Preliminary"), bold lead then text
    };
    std::string text;
    Style style = Style::Body;
    std::string lead;  ///< bold words before the text (Notice and Body), may be empty
    bool keepsWithNext = false;  ///< never the last thing on a page (an introduction to a table)
};

/// A bulleted list; each item is kept whole on one page.
struct Bullets {
    std::vector<Paragraph> items;
};

/// A table that splits between rows across pages, repeating its header row; a group row (a label
/// across the whole width) is never the last row on a page.
struct Table {
    struct Row {
        std::vector<Cell> cells;  ///< one per column; a group row has one cell
        bool isGroup = false;
    };
    std::vector<double> columnWeights;  ///< relative widths, one per column
    std::vector<Cell> header;           ///< may be empty (no header row)
    std::vector<Row> rows;
    bool isCentered = false;  ///< centre every column but the first (a heatmap)
    /// Turn the header's labels of every column but the first a quarter turn, reading upwards, so
    /// that many narrow columns keep whole words (a heatmap's scale titles).
    bool isHeaderTurned = false;
    bool isSmall = false;     ///< a smaller font, for wide tables
    bool keepsWithNext = false;  ///< its last row shares a page with what follows (a legend)
};

using Block = std::variant<Heading, Paragraph, Bullets, Table>;

/// The whole document.
struct Document {
    std::string language;     ///< "en" or "es": the PDF's language, for the reader's hyphenation
    std::string title;        ///< the PDF's title metadata
    std::string footer;       ///< printed at the bottom left of every page
    std::string pageOfPages;  ///< the bottom right of every page, with {{page}} and {{pages}}
    std::vector<Block> blocks;
};

}  // namespace mindset::report
