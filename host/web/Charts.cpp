#include "web/Charts.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "analytics/NumberText.h"

namespace mindset::web::charts {

namespace {

constexpr double kLineHeight = 18;
/// From a line's top to its baseline, for kChartFontSize text.
constexpr double kBaseline = 14;
/// From a digit's baseline to its top, for kChartFontSize text (bold digits are 0.73 em tall).
constexpr double kDigitHeight = 11;
constexpr int kMaxLabelLines = 3;
constexpr double kPlotWidth = kPlotRight - kPlotLeft;

// Interval chart.
constexpr double kBandHeight = 22;  // the strip a row's dot and whisker sit in
constexpr double kDotRadius = 6;
constexpr double kCapHalfHeight = 6;
constexpr double kRowGap = 10;

// Distribution chart.
constexpr double kBarHeight = 26;
constexpr double kItemGap = 14;
constexpr double kSwatchSize = 14;
constexpr int kSegmentClasses = 5;       // the five-colour scale, for up to five options
constexpr int kWideSegmentClasses = 11;  // the eleven-colour scale, for six to eleven (the SDK's most)

// ---- text ------------------------------------------------------------------------------------

constexpr char32_t kReplacement = 0xFFFD;

bool isXmlChar(char32_t c) {
    if (c < 0x20) return c == 0x9 || c == 0xA || c == 0xD;
    return c < 0xD800 || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/// Code points of `text`; each invalid UTF-8 sequence and each character XML forbids becomes
/// U+FFFD, so that whatever a plugin or survey file holds, the SVG stays well-formed.
std::u32string decode(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        int length = 0;
        char32_t c = 0;
        char32_t minimum = 0;
        if (lead < 0x80) length = 1, c = lead;
        else if ((lead & 0xE0) == 0xC0) length = 2, c = lead & 0x1F, minimum = 0x80;
        else if ((lead & 0xF0) == 0xE0) length = 3, c = lead & 0x0F, minimum = 0x800;
        else if ((lead & 0xF8) == 0xF0) length = 4, c = lead & 0x07, minimum = 0x10000;
        bool isValid = length > 0 && i + length <= text.size();
        for (int k = 1; isValid && k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) isValid = false;
            else c = (c << 6) | (next & 0x3F);
        }
        if (!isValid) {
            out.push_back(kReplacement);
            ++i;
            continue;
        }
        out.push_back(c >= minimum && isXmlChar(c) ? c : kReplacement);
        i += length;
    }
    return out;
}

void appendUtf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string escape(std::u32string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    for (char32_t c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: appendUtf8(out, c);
        }
    }
    return out;
}

/// Width of one character in ems, roughly as DejaVu Sans draws it (the site's first font, and
/// wider than its fallbacks, so text measured with it fits in the others too).
double emWidth(char32_t c) {
    if (c == ' ') return 0.32;
    if (c < 0x80) {
        const std::string_view narrow = "iljI.,:;!'|()[]{}";
        const std::string_view semiNarrow = "frt-/\"`";
        if (narrow.find(static_cast<char>(c)) != std::string_view::npos) return 0.34;
        if (semiNarrow.find(static_cast<char>(c)) != std::string_view::npos) return 0.44;
        if (c == 'm' || c == 'w') return 0.95;
        if (c == 'M' || c == 'W' || c == '%' || c == '@') return 1.0;
        if (c >= 'A' && c <= 'Z') return 0.74;
        if (c >= '0' && c <= '9') return 0.64;
        return 0.62;
    }
    if (c == 0x2013) return 0.56;  // the en dash of "2024–25" (half an em; Liberation Sans draws it a little wider)
    if (c >= 0x2E80) return 1.0;  // CJK and other full-width scripts
    return 0.66;
}

double textWidth(std::u32string_view text) {
    double ems = 0;
    for (char32_t c : text) ems += emWidth(c);
    return ems * kChartFontSize;
}

double textWidth(std::string_view utf8) { return textWidth(decode(utf8)); }

/// Chart values are bold (mindset.css): DejaVu Sans Bold draws them up to a tenth wider than
/// textWidth measures.
constexpr double kBoldWidening = 1.1;

/// Width of the widest space-separated word of `utf8`: wrap() never breaks a text between
/// characters when given at least this much room.
double widestWord(std::string_view utf8) {
    const auto text = decode(utf8);
    double widest = 0;
    for (std::size_t at = 0; at < text.size();) {
        const auto end = std::min(text.find(U' ', at), text.size());
        widest = std::max(widest, textWidth(std::u32string_view(text).substr(at, end - at)));
        at = end + 1;
    }
    return widest;
}

std::u32string trimmed(std::u32string_view text) {
    auto isSpace = [](char32_t c) { return c == ' '; };
    while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
    return std::u32string(text);
}

struct Wrapped {
    std::vector<std::u32string> lines;
    bool isTruncated = false;
};

/// Greedy word wrap into at most `maxLines` lines of `maxWidth` user units; a word wider than a
/// line is broken between characters. When the text does not fit, the last line ends in "…".
Wrapped wrap(std::string_view utf8, double maxWidth, int maxLines) {
    std::u32string text = decode(utf8);
    for (auto& c : text)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    text = trimmed(text);

    std::vector<std::u32string> lines;
    std::u32string line;
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == ' ') {
            ++i;
            continue;
        }
        std::size_t end = text.find(U' ', i);
        if (end == std::u32string::npos) end = text.size();
        std::u32string word = text.substr(i, end - i);
        i = end;
        const std::u32string candidate = line.empty() ? word : line + U' ' + word;
        if (textWidth(candidate) <= maxWidth) {
            line = candidate;
            continue;
        }
        if (!line.empty()) lines.push_back(std::exchange(line, {}));
        while (textWidth(word) > maxWidth && word.size() > 1) {
            std::size_t fits = 1;
            while (fits < word.size() && textWidth(std::u32string_view(word).substr(0, fits + 1)) <= maxWidth) ++fits;
            lines.push_back(word.substr(0, fits));
            word.erase(0, fits);
        }
        line = word;
    }
    if (!line.empty()) lines.push_back(line);

    Wrapped result;
    if (static_cast<int>(lines.size()) <= maxLines) {
        result.lines = std::move(lines);
        return result;
    }
    lines.resize(static_cast<std::size_t>(maxLines));
    auto& last = lines.back();
    const std::u32string ellipsis = U"\u2026";
    while (!last.empty() && textWidth(last + ellipsis) > maxWidth) last.pop_back();
    last = trimmed(last) + ellipsis;
    result.lines = std::move(lines);
    result.isTruncated = true;
    return result;
}

// ---- numbers ---------------------------------------------------------------------------------

/// A coordinate: at most two decimals, no trailing zeros, independent of the C locale.
std::string num(double value) {
    value = std::round(value * 100) / 100;
    if (value == 0) value = 0;  // no "-0"
    char buffer[32];
    auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 2);
    std::string text(buffer, end);
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text;
}

/// A value for people to read: fixed decimals, the chart's decimal mark, rounded as the page's
/// tables round (analytics/NumberText). A chart keeps the narrow "-": a true minus is almost twice
/// as wide, and small multiples would have to leave values out.
std::string fixed(double value, int decimals, char decimalMark) { return analytics::decimalText(value, decimals, decimalMark, "-"); }

/// "[low, high]", or "[low; high]" with a decimal comma, as the page's tables list two numbers.
std::string interval(const std::string& low, const std::string& high, char decimalMark) {
    return "[" + low + (decimalMark == ',' ? "; " : ", ") + high + "]";
}

/// A tick label: as few decimals as the value needs (up to three).
std::string tickText(double value, char decimalMark) {
    for (int decimals = 0; decimals < 3; ++decimals) {
        const double scale = std::pow(10.0, decimals);
        if (std::abs(std::round(value * scale) - value * scale) < 1e-6) return fixed(value, decimals, decimalMark);
    }
    return fixed(value, 3, decimalMark);
}

// ---- checks ----------------------------------------------------------------------------------

void checkCommon(std::string_view kind, const std::string& id, const std::string& title) {
    auto isAlpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
    auto isIdChar = [&](char c) { return isAlpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '_'; };
    if (id.empty() || !isAlpha(id.front()) || !std::all_of(id.begin(), id.end(), isIdChar))
        throw std::invalid_argument(std::string(kind) + " id \"" + id +
                                    "\": expected a letter then letters, digits, '-' or '_'");
    if (title.empty()) throw std::invalid_argument(std::string(kind) + " \"" + id + "\": expected a title (its accessible name), got none");
}

/// A value axis's range and tick step, checked for the chart named by `kind` and `id`.
void checkAxis(std::string_view kind, const std::string& id, double axisMin, double axisMax, double tickStep) {
    const auto which = std::string(kind) + " \"" + id + "\"";
    if (!(axisMin < axisMax))
        throw std::invalid_argument(which + ": expected axisMin below axisMax, got " + num(axisMin) + " and " + num(axisMax));
    if (!(tickStep > 0)) throw std::invalid_argument(which + ": expected a positive tickStep, got " + num(tickStep));
}

/// Where a value sits across the plot of a horizontal value axis (values outside it at its edge).
std::function<double(double)> horizontalScale(double axisMin, double axisMax) {
    return [axisMin, axisMax](double value) {
        return kPlotLeft + (std::clamp(value, axisMin, axisMax) - axisMin) / (axisMax - axisMin) * kPlotWidth;
    };
}

// ---- SVG pieces ------------------------------------------------------------------------------

/// The opening <svg> with its accessible name and description, for a chart `height` units tall.
std::string openSvg(std::string_view kindClass, const std::string& id, const std::string& title,
                    const std::string& description, double height) {
    std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart " + std::string(kindClass) +
                      "\" viewBox=\"0 0 " + num(kChartWidth) + " " + num(height) + "\" width=\"100%\" font-size=\"" +
                      num(kChartFontSize) + "\" role=\"img\" aria-labelledby=\"" + id + "-title\"";
    if (!description.empty()) out += " aria-describedby=\"" + id + "-desc\"";
    out += "><title id=\"" + id + "-title\">" + escapeXml(title) + "</title>";
    if (!description.empty()) out += "<desc id=\"" + id + "-desc\">" + escapeXml(description) + "</desc>";
    return out;
}

/// A <text> of one or more lines starting at (x, baseline), with the full text as its <title>
/// when wrapping had to cut it short.
std::string textBlock(const std::string& cssClass, const Wrapped& wrapped, const std::string& full, double x,
                      double baseline, std::string_view anchor = "start") {
    std::string out = "<text class=\"" + cssClass + "\" x=\"" + num(x) + "\" y=\"" + num(baseline) + "\"";
    if (anchor != "start") out += " text-anchor=\"" + std::string(anchor) + "\"";
    out += ">";
    if (wrapped.isTruncated) out += "<title>" + escapeXml(full) + "</title>";
    for (std::size_t i = 0; i < wrapped.lines.size(); ++i)
        out += "<tspan x=\"" + num(x) + "\" y=\"" + num(baseline + static_cast<double>(i) * kLineHeight) + "\">" +
               escape(wrapped.lines[i]) + "</tspan>";
    out += "</text>";
    return out;
}

std::string line(std::string_view cssClass, double x1, double y1, double x2, double y2) {
    return "<line class=\"" + std::string(cssClass) + "\" x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" +
           num(x2) + "\" y2=\"" + num(y2) + "\"/>";
}

std::string rect(std::string_view cssClass, double x, double y, double width, double height, std::string_view fill = {}) {
    std::string out = "<rect class=\"" + std::string(cssClass) + "\" x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" +
                      num(width) + "\" height=\"" + num(height) + "\"";
    if (!fill.empty()) out += " fill=\"" + std::string(fill) + "\"";
    return out + "/>";
}

/// The left x of a `width`-wide text centred on `x`, kept inside the plot's margins.
double centredLeft(double x, double width) {
    return std::clamp(x - width / 2, kPlotLeft, std::max(kPlotLeft, kPlotRight - width));
}

// ---- distribution helpers --------------------------------------------------------------------

/// The colour of option `index` of `count` options: a step of the five-colour diverging scale
/// (chart-seg-1..5) for up to five options, else of the eleven-colour one (chart-seg11-1..11), so
/// that every option of a 7- or 11-point scale has a colour of its own.
struct Segment {
    int step = 3;
    int steps = kSegmentClasses;

    std::string className() const {
        return (steps == kSegmentClasses ? "chart-seg-" : "chart-seg" + std::to_string(steps) + "-") + std::to_string(step);
    }
    /// The dark ends of the scale carry white text.
    bool isDark() const { return steps == kSegmentClasses ? step == 1 || step == steps : step <= 2 || step >= steps - 1; }
    /// The disagreeing side is hatched, so it differs from the agreeing side in grayscale print
    /// (the two ends of a red-blue scale turn into the same grey).
    bool isHatched() const { return step < (steps + 1) / 2; }
};

Segment segmentOf(std::size_t index, std::size_t count) {
    const int steps = count <= static_cast<std::size_t>(kSegmentClasses) ? kSegmentClasses : kWideSegmentClasses;
    if (count == 1) return {(steps + 1) / 2, steps};
    return {1 + static_cast<int>(std::lround(static_cast<double>(index) * (steps - 1) / static_cast<double>(count - 1))), steps};
}

/// Whole percentages adding up to 100 (largest remainder), so a reader who adds them is not misled.
std::vector<int> roundedPercents(const std::vector<std::int64_t>& counts, std::int64_t total) {
    std::vector<int> percents(counts.size(), 0);
    if (total <= 0) return percents;
    std::vector<std::pair<double, std::size_t>> remainders;
    int assigned = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const double exact = 100.0 * static_cast<double>(counts[i]) / static_cast<double>(total);
        percents[i] = static_cast<int>(std::floor(exact));
        assigned += percents[i];
        remainders.emplace_back(exact - percents[i], i);
    }
    std::stable_sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; assigned < 100 && k < remainders.size(); ++k, ++assigned) ++percents[remainders[k].second];
    return percents;
}

std::string replaceAll(std::string text, std::string_view from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
    return text;
}

/// A horizontal value axis at `axisY`: its line, ticks and tick labels (kept inside the chart, so
/// that a wide last label such as "4.5" is not cut at the edge), its label below, and the vertical
/// grid lines from `rowsTop` down to it.
struct ValueAxis {
    std::string grid;
    std::string axis;
    double bottom = 0;  ///< where the axis and its label end
};

ValueAxis valueAxis(double axisMin, double axisMax, double tickStep, char decimalMark, const std::string& axisLabel,
                    const std::function<double(double)>& xOf, double rowsTop, double axisY) {
    ValueAxis result;
    result.axis = line("chart-axis", kPlotLeft, axisY, kPlotRight, axisY);
    const auto tickCount = static_cast<long>(std::floor((axisMax - axisMin) / tickStep + 1e-9));
    for (long i = 0; i <= tickCount; ++i) {
        const double tick = axisMin + static_cast<double>(i) * tickStep;
        const double tickX = xOf(tick);
        if (axisY > rowsTop) result.grid += line("chart-grid", tickX, rowsTop, tickX, axisY);
        result.axis += line("chart-axis chart-tick", tickX, axisY, tickX, axisY + 5);
        const auto label = tickText(tick, decimalMark);
        const double width = textWidth(label);
        result.axis += "<text class=\"chart-tick-label\" x=\"" + num(std::clamp(tickX, width / 2, kChartWidth - width / 2)) +
                       "\" y=\"" + num(axisY + 5 + kBaseline) + "\" text-anchor=\"middle\">" + escapeXml(label) + "</text>";
    }
    result.bottom = axisY + 5 + kLineHeight;
    if (!axisLabel.empty()) {
        const auto wrapped = wrap(axisLabel, kPlotWidth, 2);
        result.axis += textBlock("chart-axis-label", wrapped, axisLabel, (kPlotLeft + kPlotRight) / 2, result.bottom + 4 + kBaseline, "middle");
        result.bottom += 4 + static_cast<double>(wrapped.lines.size()) * kLineHeight;
    }
    return result;
}

}  // namespace

std::string escapeXml(const std::string& text) { return escape(decode(text)); }

std::string intervalChart(const IntervalChart& chart) {
    checkCommon("interval chart", chart.id, chart.title);
    checkAxis("interval chart", chart.id, chart.axisMin, chart.axisMax, chart.tickStep);

    const auto xOf = horizontalScale(chart.axisMin, chart.axisMax);
    auto isInside = [&](double value) { return value >= chart.axisMin && value <= chart.axisMax; };
    auto value = [&](double v) { return fixed(v, chart.decimals, chart.decimalMark); };

    std::string header;
    std::string rows;
    double y = 8;

    const bool hasReference = chart.reference && std::isfinite(*chart.reference);
    if (hasReference && !chart.referenceLabel.empty()) {
        const auto wrapped = wrap(chart.referenceLabel, kPlotWidth, 2);
        double widest = 0;
        for (const auto& l : wrapped.lines) widest = std::max(widest, textWidth(l));
        header = textBlock("chart-ref-label", wrapped, chart.referenceLabel, centredLeft(xOf(*chart.reference), widest), y + kBaseline);
        y += static_cast<double>(wrapped.lines.size()) * kLineHeight + 4;
    }

    const double rowsTop = y;
    for (const auto& row : chart.rows) {
        const bool hasMean = row.mean && std::isfinite(*row.mean);
        const std::string meanText = hasMean ? value(*row.mean) : std::string();
        const double valueWidth = hasMean ? textWidth(meanText) + 10 : 0;
        const auto label = wrap(row.label, kPlotWidth - valueWidth, kMaxLabelLines);

        rows += "<g class=\"chart-row\">";
        rows += textBlock("chart-label", label, row.label, kPlotLeft, y + kBaseline);
        if (hasMean)
            rows += "<text class=\"chart-value\" x=\"" + num(kPlotRight) + "\" y=\"" + num(y + kBaseline) +
                    "\" text-anchor=\"end\">" + escapeXml(meanText) + "</text>";
        y += static_cast<double>(std::max<std::size_t>(label.lines.size(), 1)) * kLineHeight;

        const auto note = wrap(row.note, kPlotWidth, 2);
        if (hasMean && !note.lines.empty()) {
            rows += textBlock("chart-note", note, row.note, kPlotLeft, y + kBaseline);
            y += static_cast<double>(note.lines.size()) * kLineHeight;
        }

        const double centre = y + 2 + kBandHeight / 2;
        if (hasMean) {
            const bool hasInterval = row.lower && row.upper && std::isfinite(*row.lower) && std::isfinite(*row.upper);
            std::string dotTitle = row.label + ": " + meanText;
            if (hasInterval) {
                const double low = std::min(*row.lower, *row.upper);
                const double high = std::max(*row.lower, *row.upper);
                dotTitle += " " + interval(value(low), value(high), chart.decimalMark);
                rows += line("chart-ci", xOf(low), centre, xOf(high), centre);
                if (isInside(low)) rows += line("chart-ci chart-ci-cap", xOf(low), centre - kCapHalfHeight, xOf(low), centre + kCapHalfHeight);
                if (isInside(high)) rows += line("chart-ci chart-ci-cap", xOf(high), centre - kCapHalfHeight, xOf(high), centre + kCapHalfHeight);
            }
            rows += "<circle class=\"chart-dot\" cx=\"" + num(xOf(*row.mean)) + "\" cy=\"" + num(centre) + "\" r=\"" +
                    num(kDotRadius) + "\"><title>" + escapeXml(dotTitle) + "</title></circle>";
            y += kBandHeight + 4;
        } else if (!note.lines.empty()) {
            // A group without a mean keeps its place in the plot, with the reason in the dot's stead.
            const double first = centre + 5 - (static_cast<double>(note.lines.size()) - 1) * kLineHeight / 2;
            rows += textBlock("chart-note", note, row.note, kPlotLeft, first);
            y += std::max(kBandHeight + 4, static_cast<double>(note.lines.size()) * kLineHeight + 4);
        } else {
            y += kBandHeight + 4;
        }
        rows += "</g>";
        y += kRowGap;
    }

    const double axisY = y;
    auto [grid, axis, axisBottom] = valueAxis(chart.axisMin, chart.axisMax, chart.tickStep, chart.decimalMark, chart.axisLabel, xOf, rowsTop, axisY);
    y = axisBottom;
    if (hasReference) grid += line("chart-ref", xOf(*chart.reference), rowsTop - 2, xOf(*chart.reference), axisY);

    std::string out = openSvg("chart-interval", chart.id, chart.title, chart.description, y + 6);
    out += "<g class=\"chart-grids\">" + grid + "</g>";
    out += header;
    out += rows;
    out += "<g class=\"chart-axes\">" + axis + "</g>";
    out += "</svg>";
    return out;
}

std::string bandChart(const BandChart& chart) {
    checkCommon("band chart", chart.id, chart.title);
    checkAxis("band chart", chart.id, chart.axisMin, chart.axisMax, chart.tickStep);
    for (const auto& row : chart.rows)
        if (row.lower && row.upper && *row.lower > *row.upper)
            throw std::invalid_argument("band chart \"" + chart.id + "\", row \"" + row.label + "\": expected lower <= upper, got " +
                                        num(*row.lower) + " and " + num(*row.upper));

    const auto xOf = horizontalScale(chart.axisMin, chart.axisMax);
    auto value = [&](double v) { return fixed(v, chart.decimals, chart.decimalMark) + chart.valueSuffix; };
    auto diamond = [](double x, double y, double r) {
        return "<polygon class=\"chart-marker\" points=\"" + num(x) + "," + num(y - r) + " " + num(x + r) + "," + num(y) + " " +
               num(x) + "," + num(y + r) + " " + num(x - r) + "," + num(y) + "\"";
    };

    std::string body;
    double y = 8;

    // The legend: what the box, the line and the diamond stand for.
    body += "<g class=\"chart-legend\">";
    double x = kPlotLeft;
    // `swatch` draws the entry's shape in a kSwatchSize square whose top left corner it is given.
    auto legendEntry = [&](const std::string& text, const std::function<std::string(double, double)>& swatch) {
        if (text.empty()) return;
        const auto label = wrap(text, kPlotWidth - kSwatchSize - 6, 2);
        double widest = 0;
        for (const auto& l : label.lines) widest = std::max(widest, textWidth(l));
        const double width = kSwatchSize + 6 + widest;
        if (x > kPlotLeft && x + width > kPlotRight) {
            x = kPlotLeft;
            y += kLineHeight + 4;
        }
        body += swatch(x, y + kBaseline - 12);
        body += textBlock("chart-legend-label", label, text, x + kSwatchSize + 6, y + kBaseline);
        if (label.lines.size() > 1) {
            y += static_cast<double>(label.lines.size() - 1) * kLineHeight;
            x = kPlotRight;  // the next entry starts on a new line
        } else {
            x += width + 16;
        }
    };
    legendEntry(chart.bandLegend, [](double left, double top) { return rect("chart-band", left, top, kSwatchSize, kSwatchSize); });
    legendEntry(chart.middleLegend, [](double left, double top) {
        return line("chart-middle", left + kSwatchSize / 2, top - 2, left + kSwatchSize / 2, top + kSwatchSize + 2);
    });
    legendEntry(chart.markerLegend,
                [&](double left, double top) { return diamond(left + kSwatchSize / 2, top + kSwatchSize / 2, kSwatchSize / 2 + 1) + "/>"; });
    body += "</g>";
    y += kLineHeight + 14;

    const double rowsTop = y;
    std::string rows;
    for (const auto& row : chart.rows) {
        const bool hasMarker = row.marker && std::isfinite(*row.marker);
        const bool hasBand = row.lower && row.middle && row.upper && std::isfinite(*row.lower) && std::isfinite(*row.middle) &&
                             std::isfinite(*row.upper);
        const std::string markerText = hasMarker ? value(*row.marker) : std::string();
        const double valueWidth = hasMarker ? textWidth(markerText) + 10 : 0;
        const auto label = wrap(row.label, kPlotWidth - valueWidth, kMaxLabelLines);

        rows += "<g class=\"chart-row\">";
        rows += textBlock("chart-label", label, row.label, kPlotLeft, y + kBaseline);
        if (hasMarker)
            rows += "<text class=\"chart-value\" x=\"" + num(kPlotRight) + "\" y=\"" + num(y + kBaseline) + "\" text-anchor=\"end\">" +
                    escapeXml(markerText) + "</text>";
        y += static_cast<double>(std::max<std::size_t>(label.lines.size(), 1)) * kLineHeight;

        const auto note = wrap(row.note, kPlotWidth, 3);
        if (hasBand && !note.lines.empty()) {
            rows += textBlock("chart-note", note, row.note, kPlotLeft, y + kBaseline);
            y += static_cast<double>(note.lines.size()) * kLineHeight;
        }

        const double centre = y + 2 + kBandHeight / 2;
        if (hasBand) {
            const double left = xOf(*row.lower), right = xOf(*row.upper);
            rows += "<g class=\"chart-band-group\"><title>" +
                    escapeXml(row.label + ": " + chart.bandLegend + " " + value(*row.lower) + " – " + value(*row.upper) + "; " +
                              chart.middleLegend + " " + value(*row.middle)) +
                    "</title>";
            // A band narrower than the middle line still shows as a sliver around it.
            rows += rect("chart-band", std::min(left, xOf(*row.middle) - 2), centre - kBandHeight / 2 + 2,
                         std::max(right - left, 4.0), kBandHeight - 4);
            rows += line("chart-middle", xOf(*row.middle), centre - kBandHeight / 2 - 1, xOf(*row.middle), centre + kBandHeight / 2 + 1);
            rows += "</g>";
        } else if (!note.lines.empty()) {
            const double first = centre + 5 - (static_cast<double>(note.lines.size()) - 1) * kLineHeight / 2;
            rows += textBlock("chart-note", note, row.note, kPlotLeft, first);
            y += std::max(0.0, static_cast<double>(note.lines.size()) * kLineHeight - kBandHeight);
        }
        if (hasMarker)
            rows += diamond(xOf(*row.marker), centre, kDotRadius + 1) + "><title>" +
                    escapeXml(row.label + ": " + chart.markerLegend + " " + markerText) + "</title></polygon>";
        y += kBandHeight + 4;
        rows += "</g>";
        y += kRowGap;
    }

    const double axisY = y;
    auto [grid, axis, axisBottom] = valueAxis(chart.axisMin, chart.axisMax, chart.tickStep, chart.decimalMark, chart.axisLabel, xOf, rowsTop, axisY);
    y = axisBottom;

    std::string out = openSvg("chart-band-chart", chart.id, chart.title, chart.description, y + 6);
    out += "<g class=\"chart-grids\">" + grid + "</g>";
    out += body;
    out += rows;
    out += "<g class=\"chart-axes\">" + axis + "</g>";
    out += "</svg>";
    return out;
}

std::string distributionChart(const DistributionChart& chart) {
    checkCommon("distribution chart", chart.id, chart.title);
    const auto optionCount = chart.options.size();
    if (optionCount < 1 || optionCount > static_cast<std::size_t>(kWideSegmentClasses))
        throw std::invalid_argument("distribution chart \"" + chart.id + "\": expected 1 to 11 response options, got " +
                                    std::to_string(optionCount));
    for (std::size_t i = 0; i < chart.items.size(); ++i) {
        const auto& item = chart.items[i];
        const std::string which = "distribution chart \"" + chart.id + "\", item " + std::to_string(i + 1) + " (\"" + item.label + "\")";
        if (item.counts.size() != optionCount)
            throw std::invalid_argument(which + ": expected one count per option (" + std::to_string(optionCount) + "), got " +
                                        std::to_string(item.counts.size()));
        if (item.unscoredCounts.size() > chart.unscoredNotes.size())
            throw std::invalid_argument(which + ": expected at most one unscored count per unscored note (" +
                                        std::to_string(chart.unscoredNotes.size()) + "), got " + std::to_string(item.unscoredCounts.size()));
        auto isBelowZero = [](auto c) { return c < 0; };
        const bool isNegative = item.missing < 0 || std::any_of(item.counts.begin(), item.counts.end(), isBelowZero) ||
                                std::any_of(item.unscoredCounts.begin(), item.unscoredCounts.end(), isBelowZero);
        if (isNegative) throw std::invalid_argument(which + ": expected counts of zero or more, got a negative count");
    }

    const std::string hatch = "url(#" + chart.id + "-hatch)";
    std::string body;
    double y = 8;

    // The legend, in option order, flowing onto more lines as the options need.
    body += "<g class=\"chart-legend\">";
    double x = kPlotLeft;
    for (std::size_t i = 0; i < optionCount; ++i) {
        const auto segment = segmentOf(i, optionCount);
        const auto label = wrap(chart.options[i], kPlotWidth - kSwatchSize - 6, 1);
        const double width = kSwatchSize + 6 + (label.lines.empty() ? 0 : textWidth(label.lines.front()));
        if (x > kPlotLeft && x + width > kPlotRight) {
            x = kPlotLeft;
            y += kLineHeight + 4;
        }
        const double swatchY = y + kBaseline - 12;
        body += rect("chart-swatch " + segment.className(), x, swatchY, kSwatchSize, kSwatchSize);
        if (segment.isHatched()) body += rect("chart-hatch", x, swatchY, kSwatchSize, kSwatchSize, hatch);
        body += textBlock("chart-legend-label", label, chart.options[i], x + kSwatchSize + 6, y + kBaseline);
        x += width + 16;
    }
    body += "</g>";
    y += kLineHeight + 14;

    for (const auto& item : chart.items) {
        const auto label = wrap(item.label, kPlotWidth, kMaxLabelLines);
        body += "<g class=\"chart-item\">";
        body += textBlock("chart-label", label, item.label, kPlotLeft, y + kBaseline);
        y += static_cast<double>(std::max<std::size_t>(label.lines.size(), 1)) * kLineHeight + 4;

        const std::int64_t total = std::accumulate(item.counts.begin(), item.counts.end(), std::int64_t{0});
        const auto percents = roundedPercents(item.counts, total);
        std::int64_t before = 0;
        for (std::size_t i = 0; i < optionCount && total > 0; ++i) {
            const auto count = item.counts[i];
            if (count == 0) continue;
            // From cumulative sums, so the segments meet exactly and the last one ends at the frame.
            const double left = kPlotLeft + kPlotWidth * static_cast<double>(before) / static_cast<double>(total);
            before += count;
            const double right = kPlotLeft + kPlotWidth * static_cast<double>(before) / static_cast<double>(total);
            const auto segment = segmentOf(i, optionCount);
            const std::string percentText = std::to_string(percents[i]) + "%";
            body += "<g class=\"chart-segment\"><title>" +
                    escapeXml(chart.options[i] + ": " + std::to_string(count) + " (" + percentText + ")") + "</title>";
            body += rect("chart-seg " + segment.className(), left, y, right - left, kBarHeight);
            if (segment.isHatched()) body += rect("chart-hatch", left, y, right - left, kBarHeight, hatch);
            if (textWidth(percentText) + 8 <= right - left)
                body += "<text class=\"chart-seg-label" + std::string(segment.isDark() ? " chart-on-dark" : "") + "\" x=\"" +
                        num((left + right) / 2) + "\" y=\"" + num(y + kBarHeight / 2 + 5) + "\" text-anchor=\"middle\">" +
                        percentText + "</text>";
            body += "</g>";
        }
        body += rect("chart-bar-frame", kPlotLeft, y, kPlotWidth, kBarHeight);
        y += kBarHeight;
        // Unscored answers ("don't know") and missing ones under the bar, in one line of notes.
        std::string note;
        for (std::size_t u = 0; u < item.unscoredCounts.size(); ++u)
            if (item.unscoredCounts[u] > 0)
                note += (note.empty() ? "" : " · ") + replaceAll(chart.unscoredNotes[u], "{count}", std::to_string(item.unscoredCounts[u]));
        if (item.missing > 0) note += (note.empty() ? "" : " · ") + replaceAll(chart.missingNote, "{count}", std::to_string(item.missing));
        if (!note.empty()) {
            const auto wrapped = wrap(note, kPlotWidth, 2);
            body += textBlock("chart-note", wrapped, note, kPlotLeft, y + 2 + kBaseline);
            y += 2 + static_cast<double>(wrapped.lines.size()) * kLineHeight;
        }
        body += "</g>";
        y += kItemGap;
    }

    std::string out = openSvg("chart-distribution", chart.id, chart.title, chart.description, y);
    out += "<defs><pattern id=\"" + chart.id +
           "-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">" +
           line("chart-hatch-line", 0, 0, 0, 6) + "</pattern></defs>";
    out += body;
    out += "</svg>";
    return out;
}

std::string trendChart(const TrendChart& chart) {
    checkCommon("trend chart", chart.id, chart.title);
    checkAxis("trend chart", chart.id, chart.axisMin, chart.axisMax, chart.tickStep);
    const std::string which = "trend chart \"" + chart.id + "\"";
    const auto periods = chart.periods.size();
    if (periods == 0) throw std::invalid_argument(which + ": expected at least one period, got none");
    if (!chart.breaks.empty() && chart.breaks.size() != periods - 1)
        throw std::invalid_argument(which + ": expected no breaks or one per pair of periods (" + std::to_string(periods - 1) + "), got " +
                                    std::to_string(chart.breaks.size()));
    if (chart.columns < 1 || chart.columns > 4)
        throw std::invalid_argument(which + ": expected 1 to 4 columns, got " + std::to_string(chart.columns));
    for (std::size_t i = 0; i < chart.panels.size(); ++i)
        if (chart.panels[i].values.size() != periods)
            throw std::invalid_argument(which + ", panel " + std::to_string(i + 1) + " (\"" + chart.panels[i].title + "\"): expected one value per period (" +
                                        std::to_string(periods) + "), got " + std::to_string(chart.panels[i].values.size()));

    const auto columns = static_cast<std::size_t>(chart.columns);
    const bool isSingle = chart.panels.size() == 1 && columns == 1;
    const double gutter = 16;
    const double panelWidth = (kPlotWidth - gutter * static_cast<double>(columns - 1)) / static_cast<double>(columns);
    const double plotHeight = isSingle ? 170 : 110;
    auto value = [&](double v) { return fixed(v, chart.decimals, chart.decimalMark); };
    auto isBreak = [&](std::size_t k) { return !chart.breaks.empty() && !chart.breaks[k].empty(); };
    auto isFiniteValue = [](const std::optional<double>& v) { return v && std::isfinite(*v); };

    // Tick labels on the left of each panel; the plot takes the rest of the panel's width.
    std::vector<double> ticks;
    const auto tickCount = static_cast<long>(std::floor((chart.axisMax - chart.axisMin) / chart.tickStep + 1e-9));
    double tickLabelWidth = 0;
    for (long i = 0; i <= tickCount; ++i) {
        ticks.push_back(chart.axisMin + static_cast<double>(i) * chart.tickStep);
        tickLabelWidth = std::max(tickLabelWidth, textWidth(tickText(ticks.back(), chart.decimalMark)));
    }
    const double plotOffset = tickLabelWidth + 6;
    const double plotWidth = panelWidth - plotOffset;
    const double slot = plotWidth / static_cast<double>(periods);

    // Break labels (one panel only) sit above the plot.
    std::vector<Wrapped> breakLabels(periods > 0 ? periods - 1 : 0);
    std::size_t breakLabelLines = 0;
    if (isSingle)
        for (std::size_t k = 0; k + 1 < periods; ++k)
            if (isBreak(k)) {
                breakLabels[k] = wrap(chart.breaks[k], std::max(slot * 1.6, 60.0), 2);
                breakLabelLines = std::max(breakLabelLines, breakLabels[k].lines.size());
            }
    // Period labels wrap between words only: a year like "24–25" split into "24–2" and "5" reads
    // as other numbers. When a word is wider than its slot (narrow panels, many years), only every
    // stride-th period is labelled, counting back from the latest; every point's <title> still
    // names its period, and the caller's table has them all.
    double widestPeriodWord = 0;
    for (const auto& period : chart.periods) widestPeriodWord = std::max(widestPeriodWord, widestWord(period));
    std::size_t stride = 1;
    while (stride < periods && widestPeriodWord > static_cast<double>(stride) * slot - 2) ++stride;
    auto isLabelled = [&](std::size_t k) { return (periods - 1 - k) % stride == 0; };
    std::vector<Wrapped> periodLabels(periods);
    std::size_t periodLines = 1;
    for (std::size_t k = 0; k < periods; ++k) {
        if (!isLabelled(k)) continue;
        periodLabels[k] = wrap(chart.periods[k], std::max(static_cast<double>(stride) * slot - 2, widestPeriodWord), 2);
        periodLines = std::max(periodLines, periodLabels[k].lines.size());
    }

    std::string body;
    double y = 8;
    for (std::size_t first = 0; first < chart.panels.size(); first += columns) {
        const auto last = std::min(chart.panels.size(), first + columns);
        std::size_t titleLines = 0;
        std::vector<Wrapped> titles;
        for (std::size_t i = first; i < last; ++i) {
            // Panel titles are bold (mindset.css), about a tenth wider than the regular text wrap() measures.
            titles.push_back(wrap(chart.panels[i].title, panelWidth * 0.9, kMaxLabelLines));
            titleLines = std::max(titleLines, titles.back().lines.size());
        }
        const double plotTop = y + static_cast<double>(titleLines) * kLineHeight + (titleLines > 0 ? 4 : 0) +
                               static_cast<double>(breakLabelLines) * kLineHeight + 10;
        const double plotBottom = plotTop + plotHeight;
        auto yOf = [&](double v) {
            v = std::clamp(v, chart.axisMin, chart.axisMax);
            return plotBottom - (v - chart.axisMin) / (chart.axisMax - chart.axisMin) * plotHeight;
        };

        for (std::size_t i = first; i < last; ++i) {
            const auto& panel = chart.panels[i];
            const double left = kPlotLeft + static_cast<double>(i - first) * (panelWidth + gutter);
            const double plotLeft = left + plotOffset;
            const double plotRight = plotLeft + plotWidth;
            auto xOf = [&](std::size_t k) { return plotLeft + (static_cast<double>(k) + 0.5) * slot; };
            body += "<g class=\"chart-panel\">";
            if (!titles[i - first].lines.empty()) body += textBlock("chart-label", titles[i - first], panel.title, left, y + kBaseline);

            // Grid, ticks, the reference line and the period labels.
            for (double tick : ticks) {
                body += line("chart-grid", plotLeft, yOf(tick), plotRight, yOf(tick));
                body += "<text class=\"chart-tick-label\" x=\"" + num(plotLeft - 4) + "\" y=\"" + num(yOf(tick) + 5) + "\" text-anchor=\"end\">" +
                        escapeXml(tickText(tick, chart.decimalMark)) + "</text>";
            }
            body += line("chart-axis", plotLeft, plotBottom, plotRight, plotBottom);
            if (chart.reference && std::isfinite(*chart.reference))
                body += line("chart-ref", plotLeft, yOf(*chart.reference), plotRight, yOf(*chart.reference));
            for (std::size_t k = 0; k < periods; ++k) {
                body += line("chart-axis chart-tick", xOf(k), plotBottom, xOf(k), plotBottom + 5);
                if (!isLabelled(k)) continue;
                // Under its tick, shifted to stay inside the panel; below the plot it may reach
                // under the value tick labels, which end above it.
                double labelWidth = 0;
                for (const auto& text : periodLabels[k].lines) labelWidth = std::max(labelWidth, textWidth(text));
                const double labelX = std::clamp(xOf(k), left + labelWidth / 2, std::max(left + labelWidth / 2, plotRight - labelWidth / 2));
                body += textBlock("chart-tick-label", periodLabels[k], chart.periods[k], labelX, plotBottom + 5 + kBaseline, "middle");
            }
            for (std::size_t k = 0; k + 1 < periods; ++k) {
                if (!isBreak(k)) continue;
                const double x = (xOf(k) + xOf(k + 1)) / 2;
                body += line("chart-break", x, plotTop - 4, x, plotBottom);
                if (isSingle && !breakLabels[k].lines.empty())
                    body += textBlock("chart-break-label", breakLabels[k], chart.breaks[k], x,
                                      plotTop - 8 - static_cast<double>(breakLabels[k].lines.size() - 1) * kLineHeight, "middle");
            }

            // Runs of consecutive points that connect: a band and a line each; a point alone gets a whisker.
            const auto& values = panel.values;
            auto hasPoint = [&](std::size_t k) { return isFiniteValue(values[k].value); };
            auto hasInterval = [&](std::size_t k) { return hasPoint(k) && isFiniteValue(values[k].lower) && isFiniteValue(values[k].upper); };
            std::string bands, lines, points, labels;
            std::vector<bool> hasWhisker(periods, false);
            for (std::size_t start = 0; start < periods;) {
                if (!hasPoint(start)) {
                    ++start;
                    continue;
                }
                auto end = start;
                while (end + 1 < periods && hasPoint(end + 1) && !isBreak(end)) ++end;
                bool isBandWhole = end > start;
                for (auto k = start; k <= end; ++k) isBandWhole = isBandWhole && hasInterval(k);
                if (isBandWhole) {
                    std::string upper, lower;
                    for (auto k = start; k <= end; ++k) upper += num(xOf(k)) + "," + num(yOf(std::max(*values[k].lower, *values[k].upper))) + " ";
                    for (auto k = end + 1; k-- > start;) lower += num(xOf(k)) + "," + num(yOf(std::min(*values[k].lower, *values[k].upper))) + " ";
                    bands += "<polygon class=\"chart-band\" points=\"" + upper + lower.substr(0, lower.size() - 1) + "\"/>";
                } else {
                    for (auto k = start; k <= end; ++k)
                        if (hasInterval(k)) {
                            bands += line("chart-ci", xOf(k), yOf(*values[k].lower), xOf(k), yOf(*values[k].upper));
                            hasWhisker[k] = true;
                        }
                }
                if (end > start) {
                    std::string path;
                    for (auto k = start; k <= end; ++k) path += (k > start ? " " : "") + num(xOf(k)) + "," + num(yOf(*values[k].value));
                    lines += "<polyline class=\"chart-line\" points=\"" + path + "\"/>";
                }
                start = end + 1;
            }
            for (std::size_t k = 0; k < periods; ++k) {
                const double x = xOf(k);
                if (!hasPoint(k)) {
                    if (values[k].note.empty()) continue;
                    // Low in the plot, away from a gap chart's zero line, wrapped between words only.
                    const auto note = wrap(values[k].note, std::max(slot - 4, widestWord(values[k].note)), 3);
                    const double firstLine = plotBottom - 8 - (static_cast<double>(note.lines.size()) - 1) * kLineHeight;
                    labels += textBlock("chart-note", note, values[k].note, x, firstLine, "middle");
                    continue;
                }
                const double v = *values[k].value;
                std::string pointTitle = chart.periods[k] + ": " + value(v);
                if (hasInterval(k)) pointTitle += " " + interval(value(std::min(*values[k].lower, *values[k].upper)), value(std::max(*values[k].lower, *values[k].upper)), chart.decimalMark);
                points += "<circle class=\"chart-dot\" cx=\"" + num(x) + "\" cy=\"" + num(yOf(v)) + "\" r=\"" + num(isSingle ? 5 : 4) +
                          "\"><title>" + escapeXml(pointTitle) + "</title></circle>";
                const auto text = value(v);
                const double textSize = textWidth(text) * kBoldWidening;
                if (textSize + 4 > slot) continue;  // too narrow to print: the point's title and the table have it
                // Beside a point that stands alone on its whisker, when its slot has room (a wide
                // panel). Otherwise centred above or below the point and its whisker, on the side
                // away from the reference line (so a gap's label never sits on the zero line, level
                // with the axis's "0"), or on the other side where the plot ends. Always inside the
                // plot and its slot: clear of the tick labels left of it and under it, of the next
                // panel, and of the next point's label.
                const bool hasReference = chart.reference && std::isfinite(*chart.reference);
                const bool isBelowReference = hasReference && v < *chart.reference;
                bool isBeside = false;
                double labelX = std::clamp(x, plotLeft + textSize / 2, plotRight - textSize / 2);
                double baseline = 0;
                if (hasWhisker[k] && x + 8 + textSize <= std::min(plotRight, x + slot / 2)) {
                    isBeside = true;
                    labelX = x + 8;
                    baseline = yOf(v) + 5;  // level with the point, unless that puts it on the reference line
                    if (hasReference)
                        baseline = isBelowReference ? std::max(baseline, yOf(*chart.reference) + 3 + kDigitHeight)
                                                    : std::min(baseline, yOf(*chart.reference) - 3);
                    baseline = std::clamp(baseline, plotTop + kDigitHeight - 4, plotBottom - 3);
                } else {
                    auto placeAround = [&](double top, double bottom) {
                        const double above = top - 9;
                        const double below = bottom + kBaseline + 6;
                        const bool fitsAbove = above >= plotTop + kBaseline - 6;
                        const bool fitsBelow = below <= plotBottom - 3;
                        if (!fitsAbove && !fitsBelow) return std::optional<double>();
                        return std::optional<double>((isBelowReference ? fitsBelow || !fitsAbove : !fitsAbove) ? below : above);
                    };
                    std::optional<double> placed;
                    if (hasWhisker[k]) placed = placeAround(yOf(std::max(*values[k].lower, *values[k].upper)), yOf(std::min(*values[k].lower, *values[k].upper)));
                    // A whisker as tall as the plot: by the point, over the whisker.
                    if (!placed) placed = placeAround(yOf(v), yOf(v));
                    baseline = placed.value_or(yOf(v) - 9);
                }
                labels += "<text class=\"chart-value\" x=\"" + num(labelX) + "\" y=\"" + num(baseline) + "\"" +
                          (isBeside ? "" : " text-anchor=\"middle\"") + ">" + escapeXml(text) + "</text>";
            }
            body += bands + lines + points + labels + "</g>";
        }
        y = plotBottom + 5 + static_cast<double>(periodLines) * kLineHeight + 12;
    }

    // What the axis and the reference line mean.
    if (chart.reference && std::isfinite(*chart.reference) && !chart.referenceLabel.empty()) {
        const auto wrapped = wrap(chart.referenceLabel, kPlotWidth - 40, 2);
        body += line("chart-ref", kPlotLeft, y + 9, kPlotLeft + 30, y + 9);
        body += textBlock("chart-axis-label", wrapped, chart.referenceLabel, kPlotLeft + 38, y + kBaseline);
        y += static_cast<double>(wrapped.lines.size()) * kLineHeight + 4;
    }
    if (!chart.axisLabel.empty()) {
        const auto wrapped = wrap(chart.axisLabel, kPlotWidth, 2);
        body += textBlock("chart-axis-label", wrapped, chart.axisLabel, kPlotLeft, y + kBaseline);
        y += static_cast<double>(wrapped.lines.size()) * kLineHeight + 4;
    }

    std::string out = openSvg("chart-trend", chart.id, chart.title, chart.description, y + 4);
    out += body;
    out += "</svg>";
    return out;
}

}  // namespace mindset::web::charts
