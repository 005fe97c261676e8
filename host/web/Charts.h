#pragma once
/// Charts drawn on the server as inline SVG, so pages keep a script-free Content-Security-Policy.
/// Each function returns one <svg> element (well-formed XML, every caller string escaped) to put
/// in a page as raw HTML, on its own or inside a <figure class="chart-figure"> (a bare <figure>'s
/// 40 px side margins would shrink the text on a phone), next to the table that carries the same
/// numbers for screen-reader users: the SVG is role="img" with a <title> as its accessible name.
///
/// Inputs are plain values, so the charts know nothing about surveys or analytics, and every word
/// the chart shows (labels, notes, legends) comes from the caller in the reader's language.
///
/// Sizing: the SVG fills its container's width (viewBox kChartWidth user units wide, text
/// kChartFontSize units). The stylesheet (.chart in mindset.css) caps the width so that chart text
/// comes out near the body text size; at a 390 px phone it stays at least 12 px.
/// Colours and strokes come from CSS classes in mindset.css (chart-*), so print can adjust them.
///
/// Pure functions: safe to call from several threads.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mindset::web::charts {

/// Width of every chart's viewBox, in user units.
inline constexpr double kChartWidth = 400;
/// Font size of every chart text, in user units.
inline constexpr double kChartFontSize = 14;
/// Horizontal extent of the plot (the axis of an interval chart, the bars of a distribution chart).
inline constexpr double kPlotLeft = 8;
inline constexpr double kPlotRight = 392;

/// One group of an interval chart.
struct IntervalRow {
    std::string label;
    /// None: the row shows its label and note but no dot (e.g. a group hidden for its size).
    std::optional<double> mean;
    /// The confidence interval, drawn as a whisker when both ends and the mean are present;
    /// parts beyond the axis are cut at the axis and lose their end cap.
    std::optional<double> lower;
    std::optional<double> upper;
    /// e.g. "hidden: fewer than 5"; shown in place of the dot when there is no mean, else under
    /// the label. Empty for none.
    std::string note;
};

/// A horizontal dot-and-whisker chart: one row per group, a shared x axis.
struct IntervalChart {
    /// Prefix of every id inside the SVG ("<id>-title", ...): must be unique on the page and
    /// match [A-Za-z][A-Za-z0-9_-]*.
    std::string id;
    /// The accessible name (required).
    std::string title;
    /// The accessible description (e.g. how to read the chart, where the table is); may be empty.
    std::string description;
    double axisMin = 1;
    double axisMax = 5;
    /// A tick, its grid line and its label every tickStep from axisMin.
    double tickStep = 1;
    /// Under the axis, e.g. "Mean score (1 = strongly disagree, 5 = strongly agree)"; may be empty.
    std::string axisLabel;
    /// A dashed vertical line across every row, e.g. the district mean, labelled with
    /// referenceLabel (written as given) above the rows.
    std::optional<double> reference;
    std::string referenceLabel;
    /// Decimals of the mean printed at the end of each row, and the decimal mark to print.
    int decimals = 2;
    char decimalMark = '.';
    std::vector<IntervalRow> rows;
};

/// One row of a band chart.
struct BandRow {
    std::string label;
    /// The band (e.g. peer districts' 25th to 75th percentile) and the line across it (their
    /// median). None: the row shows its label and note only.
    std::optional<double> lower;
    std::optional<double> middle;
    std::optional<double> upper;
    /// The marker (e.g. the reader's district), a diamond; its value is printed at the row's end.
    std::optional<double> marker;
    /// Shown in place of the band when there is none (e.g. why a comparison is withheld), else
    /// under the label. Empty for none.
    std::string note;
};

/// Horizontal bands on a shared x axis, one row each: a box from lower to upper, a line at middle
/// and a diamond marker; a legend above names the three.
struct BandChart {
    /// As IntervalChart::id.
    std::string id;
    /// The accessible name (required).
    std::string title;
    /// The accessible description; may be empty.
    std::string description;
    double axisMin = 1;
    double axisMax = 5;
    double tickStep = 1;
    /// Under the axis; may be empty.
    std::string axisLabel;
    /// The legend's words for the band, the middle line and the marker (each also names the
    /// figures in the shapes' tooltips).
    std::string bandLegend;
    std::string middleLegend;
    std::string markerLegend;
    /// Decimals and decimal mark of printed values, and what follows each (e.g. "%").
    int decimals = 2;
    char decimalMark = '.';
    std::string valueSuffix;
    std::vector<BandRow> rows;
};

/// One item of a distribution chart.
struct DistributionItem {
    std::string label;
    /// Respondents per response option, in DistributionChart::options order.
    std::vector<std::int64_t> counts;
    /// Respondents who skipped the item; noted under the bar when above zero.
    std::int64_t missing = 0;
    /// Respondents per unscored option ("don't know"), in DistributionChart::unscoredNotes order:
    /// noted under the bar, never a segment of it (they are no point of the scale).
    std::vector<std::int64_t> unscoredCounts;
};

/// 100% stacked horizontal bars, one per item, coloured on a diverging scale.
struct DistributionChart {
    /// As IntervalChart::id.
    std::string id;
    /// The accessible name (required).
    std::string title;
    /// The accessible description; may be empty.
    std::string description;
    /// The response options, from the lowest (e.g. "Strongly disagree" or "Never") to the highest:
    /// 1 to 11 of them (the SDK allows 2 to 11), shown in the legend in this order. Up to five take
    /// colours spread across the five-colour scale (four: 1, 2, 4, 5) so the middle colour stays
    /// for a neutral option; six to eleven are spread the same way across an eleven-colour scale.
    std::vector<std::string> options;
    /// The note under a bar with missing answers; "{count}" is replaced by the number.
    std::string missingNote = "{count} missing";
    /// One note per unscored option ("{count} Don't know"), for DistributionItem::unscoredCounts.
    std::vector<std::string> unscoredNotes;
    std::vector<DistributionItem> items;
};

/// One period (a school year) of a trend line.
struct TrendValue {
    /// None: a hole in the line (e.g. a year in which the group is hidden for its size).
    std::optional<double> value;
    /// The 95% interval: a shaded band between connected points, a whisker on a point alone.
    std::optional<double> lower;
    std::optional<double> upper;
    /// Shown at a hole in place of the point (e.g. "hidden"); empty for none.
    std::string note;
};

/// One line over the periods, in a panel of its own.
struct TrendPanel {
    /// Above the panel (e.g. the group's name); may be empty in a chart of one panel.
    std::string title;
    /// One per period.
    std::vector<TrendValue> values;
};

/// Lines over time with a shaded interval band: one panel, or small multiples sharing one axis
/// (e.g. each group's gap against the rest of the district, year by year).
struct TrendChart {
    /// As IntervalChart::id.
    std::string id;
    /// The accessible name (required).
    std::string title;
    /// The accessible description; may be empty.
    std::string description;
    /// The x axis, oldest first (e.g. "2024–25"): at least one. A label wraps between words only;
    /// when a word is wider than its period's slot (e.g. "24–25" under many years in a narrow
    /// panel), only every second (third, ...) period is labelled, counting back from the latest,
    /// and each point's tooltip still names its period.
    std::vector<std::string> periods;
    /// One per pair of adjacent periods (or none at all): empty when the line continues; otherwise
    /// the line stops, a dashed vertical line marks the break, and in a chart of one panel this
    /// text labels it (e.g. "new version").
    std::vector<std::string> breaks;
    /// The vertical axis, with a tick and grid line every tickStep from axisMin.
    double axisMin = 1;
    double axisMax = 5;
    double tickStep = 0.5;
    /// Under the chart, e.g. "Mean score (1 = strongly disagree, 5 = strongly agree)"; may be empty.
    std::string axisLabel;
    /// A dashed horizontal line across every panel (e.g. 0: no gap), explained under the chart by
    /// referenceLabel.
    std::optional<double> reference;
    std::string referenceLabel;
    /// Decimals of the values printed beside the points, and the decimal mark. A value is printed
    /// inside its panel's plot and its period's slot, on the side of its point away from the
    /// reference line, or not at all when the slot is too narrow.
    int decimals = 2;
    char decimalMark = '.';
    /// Panels per row (1 to 4).
    int columns = 1;
    std::vector<TrendPanel> panels;
};

/// The SVG of `chart`. Throws std::invalid_argument for a malformed id, an empty title, or an
/// axis whose min is not below its max or whose tick step is not positive.
std::string intervalChart(const IntervalChart& chart);

/// The SVG of `chart`. Throws std::invalid_argument as intervalChart does, and for a row whose
/// band has lower above upper.
std::string bandChart(const BandChart& chart);
/// The SVG of `chart`. Values outside the axis are drawn at its edge. Throws
/// std::invalid_argument for a malformed id, an empty title, no periods, a panel without one value
/// per period, breaks that are neither none nor one per pair of periods, columns outside 1..4, or
/// an axis whose min is not below its max or whose tick step is not positive.
std::string trendChart(const TrendChart& chart);

/// The SVG of `chart`. Segments are as wide as their share of the item's answers; a segment shows
/// its rounded percentage when the text fits (percentages of an item add up to 100), and its
/// <title> gives the exact count. Throws std::invalid_argument for a malformed id, an empty
/// title, not 1 to 11 options, an item whose counts do not match the options, or a negative count.
std::string distributionChart(const DistributionChart& chart);

/// `text` escaped for XML and HTML text and attribute values (& < > " '), with invalid UTF-8 and
/// characters XML forbids replaced by U+FFFD.
std::string escapeXml(const std::string& text);

}  // namespace mindset::web::charts
