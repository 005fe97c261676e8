#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/SAX/SAXException.h>

#include "web/Charts.h"

using namespace mindset::web::charts;

namespace {

constexpr double kMiddle = (kPlotLeft + kPlotRight) / 2;
const std::string kHostile = "<script>&\"'";

/// The SVG as an XML document; fails the test when it is not well-formed.
Poco::AutoPtr<Poco::XML::Document> parse(const std::string& svg) {
    Poco::XML::DOMParser parser;
    Poco::AutoPtr<Poco::XML::Document> document;
    try {
        document = parser.parseString(svg);
    } catch (const Poco::Exception& e) {
        FAIL("not well-formed XML: " << e.displayText() << "\n" << svg);
    }
    return document;
}

std::vector<Poco::XML::Element*> elements(Poco::XML::Document& document, const std::string& tag) {
    std::vector<Poco::XML::Element*> result;
    Poco::AutoPtr<Poco::XML::NodeList> list = document.getElementsByTagName(tag);
    for (unsigned long i = 0; i < list->length(); ++i) result.push_back(static_cast<Poco::XML::Element*>(list->item(i)));
    return result;
}

bool hasClass(const Poco::XML::Element& element, const std::string& cssClass) {
    std::istringstream classes(element.getAttribute("class"));
    for (std::string c; classes >> c;)
        if (c == cssClass) return true;
    return false;
}

std::vector<Poco::XML::Element*> withClass(Poco::XML::Document& document, const std::string& tag, const std::string& cssClass) {
    std::vector<Poco::XML::Element*> result;
    for (auto* element : elements(document, tag))
        if (hasClass(*element, cssClass)) result.push_back(element);
    return result;
}

double number(const Poco::XML::Element& element, const std::string& attribute) { return std::stod(element.getAttribute(attribute)); }

/// The element's own text, without the text of a <title> child (the full label of a cut one).
std::string visibleText(const Poco::XML::Element& element) {
    std::string text;
    for (auto* node = element.firstChild(); node; node = node->nextSibling()) {
        if (node->nodeName() == "title") continue;
        text += node->nodeType() == Poco::XML::Node::TEXT_NODE ? node->nodeValue() : visibleText(static_cast<Poco::XML::Element&>(*node));
    }
    return text;
}

IntervalChart groups() {
    IntervalChart chart;
    chart.id = "expectations-by-race";
    chart.title = "High expectations by race/ethnicity";
    chart.description = "Means with 95% confidence intervals; the table below has the numbers.";
    chart.axisLabel = "Mean score";
    chart.reference = 3.6;
    chart.referenceLabel = "District 3.60";
    chart.rows = {{"Asian", 3.0, 2.5, 3.5, ""}, {"Native Hawaiian", std::nullopt, std::nullopt, std::nullopt, "hidden: fewer than 5"}};
    return chart;
}

DistributionChart items() {
    DistributionChart chart;
    chart.id = "expectations-items";
    chart.title = "Answers to each high-expectations statement";
    chart.options = {"Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"};
    chart.items = {{"All students can learn at high levels.", {1, 1, 2, 0, 0}, 0}};
    return chart;
}

}  // namespace

TEST_CASE("A chart is an image named by its <title>, and described by its <desc>", "[unit][charts]") {
    for (const auto& svg : {intervalChart(groups()), distributionChart(items())}) {
        auto document = parse(svg);
        auto* root = document->documentElement();
        REQUIRE(root->nodeName() == "svg");
        CHECK(root->getAttribute("role") == "img");

        auto* name = document->getElementById(root->getAttribute("aria-labelledby"), "id");
        REQUIRE(name);
        CHECK(name->nodeName() == "title");
        CHECK(name->parentNode() == root);
        CHECK(root->firstChild() == name);
        CHECK_FALSE(name->innerText().empty());
    }
    auto document = parse(intervalChart(groups()));
    auto* root = document->documentElement();
    auto* description = document->getElementById(root->getAttribute("aria-describedby"), "id");
    REQUIRE(description);
    CHECK(description->nodeName() == "desc");
    CHECK(description->innerText() == groups().description);

    auto bare = groups();
    bare.description.clear();
    CHECK_FALSE(parse(intervalChart(bare))->documentElement()->hasAttribute("aria-describedby"));
}

TEST_CASE("Chart text stays at least 12 px on a 390 px phone", "[unit][charts]") {
    // 390 px less main's 1rem (18 px) padding on each side.
    constexpr double kPhoneChartPx = 390 - 2 * 18;
    for (const auto& svg : {intervalChart(groups()), distributionChart(items())}) {
        auto document = parse(svg);
        std::istringstream viewBox(document->documentElement()->getAttribute("viewBox"));
        double x = 0, y = 0, width = 0, height = 0;
        viewBox >> x >> y >> width >> height;
        REQUIRE(width > 0);
        CHECK(document->documentElement()->getAttribute("width") == "100%");
        CHECK(number(*document->documentElement(), "font-size") * kPhoneChartPx / width >= 12);
    }
}

TEST_CASE("Labels, notes and titles from plugins and survey files are escaped", "[unit][charts]") {
    auto interval = groups();
    interval.title = interval.description = interval.axisLabel = interval.referenceLabel = kHostile;
    interval.rows = {{kHostile, 3.0, 2.0, 4.0, kHostile}, {kHostile, std::nullopt, std::nullopt, std::nullopt, kHostile}};
    auto distribution = items();
    distribution.title = distribution.description = kHostile;
    distribution.options[0] = kHostile;
    distribution.items[0].label = kHostile;
    distribution.items[0].missing = 3;
    distribution.missingNote = kHostile + " {count}";

    for (const auto& svg : {intervalChart(interval), distributionChart(distribution)}) {
        CHECK(svg.find("<script") == std::string::npos);
        CHECK(svg.find("&lt;script&gt;&amp;&quot;&#39;") != std::string::npos);
        auto document = parse(svg);
        int found = 0;
        for (auto* text : elements(*document, "text"))
            if (visibleText(*text).find(kHostile) != std::string::npos) ++found;
        CHECK(found >= 2);
    }
}

TEST_CASE("Text that is not valid UTF-8 or not allowed in XML still gives well-formed SVG", "[unit][charts]") {
    auto chart = groups();
    chart.rows[0].label = std::string("Bad \xff\xfe bytes \x01\x1f and a cut \xe2\x82");
    auto document = parse(intervalChart(chart));
    CHECK(escapeXml("a\x01z") == "a\xef\xbf\xbdz");
    CHECK(escapeXml("café ∑ 😀") == "café ∑ 😀");
}

TEST_CASE("A mean sits at its place on the axis", "[unit][charts]") {
    auto chart = groups();
    chart.rows = {{"middle", 3.0, std::nullopt, std::nullopt, ""}, {"low end", 1.0, std::nullopt, std::nullopt, ""},
                  {"high end", 5.0, std::nullopt, std::nullopt, ""}, {"quarter", 2.0, std::nullopt, std::nullopt, ""}};
    auto document = parse(intervalChart(chart));
    auto dots = withClass(*document, "circle", "chart-dot");
    REQUIRE(dots.size() == 4);
    CHECK(number(*dots[0], "cx") == Approx(kMiddle));
    CHECK(number(*dots[0], "cx") == Approx(200));
    CHECK(number(*dots[1], "cx") == Approx(kPlotLeft));
    CHECK(number(*dots[2], "cx") == Approx(kPlotRight));
    CHECK(number(*dots[3], "cx") == Approx(kPlotLeft + (kPlotRight - kPlotLeft) / 4));

    // The tick labelled 3 is under the middle dot.
    auto tickLabels = withClass(*document, "text", "chart-tick-label");
    REQUIRE(tickLabels.size() == 5);
    CHECK(tickLabels[2]->innerText() == "3");
    CHECK(number(*tickLabels[2], "x") == Approx(kMiddle));

    // The mean is printed with the chart's decimals and decimal mark, and given in the dot's title.
    chart.decimals = 1;
    chart.decimalMark = ',';
    chart.rows = {{"Asian", 3.04, 2.55, 3.5, ""}};
    document = parse(intervalChart(chart));
    auto values = withClass(*document, "text", "chart-value");
    REQUIRE(values.size() == 1);
    CHECK(values[0]->innerText() == "3,0");
    // The interval's ends are listed with a semicolon after a decimal comma; 2.55 rounds as printf does.
    CHECK(withClass(*document, "circle", "chart-dot")[0]->innerText() == "Asian: 3,0 [2,5; 3,5]");
}

TEST_CASE("The reference line stands at its value", "[unit][charts]") {
    auto chart = groups();
    chart.reference = 4.0;
    auto document = parse(intervalChart(chart));
    auto references = withClass(*document, "line", "chart-ref");
    REQUIRE(references.size() == 1);
    CHECK(number(*references[0], "x1") == Approx(kPlotLeft + (kPlotRight - kPlotLeft) * 3 / 4));
    CHECK(number(*references[0], "x2") == number(*references[0], "x1"));
    auto labels = withClass(*document, "text", "chart-ref-label");
    REQUIRE(labels.size() == 1);
    CHECK(visibleText(*labels[0]) == "District 3.60");

    chart.reference.reset();
    document = parse(intervalChart(chart));
    CHECK(withClass(*document, "line", "chart-ref").empty());
    CHECK(withClass(*document, "text", "chart-ref-label").empty());
}

TEST_CASE("A hidden group shows its label and note but no dot", "[unit][charts]") {
    auto document = parse(intervalChart(groups()));
    auto rows = withClass(*document, "g", "chart-row");
    REQUIRE(rows.size() == 2);

    Poco::AutoPtr<Poco::XML::NodeList> hiddenDots = rows[1]->getElementsByTagName("circle");
    CHECK(hiddenDots->length() == 0);
    Poco::AutoPtr<Poco::XML::NodeList> hiddenLines = rows[1]->getElementsByTagName("line");
    CHECK(hiddenLines->length() == 0);
    std::vector<std::string> texts;
    Poco::AutoPtr<Poco::XML::NodeList> hiddenTexts = rows[1]->getElementsByTagName("text");
    for (unsigned long i = 0; i < hiddenTexts->length(); ++i) texts.push_back(visibleText(static_cast<Poco::XML::Element&>(*hiddenTexts->item(i))));
    CHECK(texts == std::vector<std::string>{"Native Hawaiian", "hidden: fewer than 5"});

    Poco::AutoPtr<Poco::XML::NodeList> shownDots = rows[0]->getElementsByTagName("circle");
    CHECK(shownDots->length() == 1);
}

TEST_CASE("An interval beyond the axis is cut at the axis and loses that end's cap", "[unit][charts]") {
    auto chart = groups();
    chart.rows = {{"Two or more", 4.4, 2.1, 6.7, "n = 6"}};
    auto document = parse(intervalChart(chart));
    auto whiskers = withClass(*document, "line", "chart-ci");
    auto caps = withClass(*document, "line", "chart-ci-cap");
    REQUIRE(whiskers.size() == 2);  // the whisker and the one cap inside the axis
    REQUIRE(caps.size() == 1);
    CHECK(number(*whiskers[0], "x1") == Approx(kPlotLeft + (kPlotRight - kPlotLeft) * 1.1 / 4));
    CHECK(number(*whiskers[0], "x2") == Approx(kPlotRight));
    CHECK(number(*caps[0], "x1") == Approx(kPlotLeft + (kPlotRight - kPlotLeft) * 1.1 / 4));
}

TEST_CASE("Segments are as wide as their share of the answers, with exact counts in their titles", "[unit][charts]") {
    auto document = parse(distributionChart(items()));
    auto segments = withClass(*document, "rect", "chart-seg");
    REQUIRE(segments.size() == 3);  // options nobody chose draw nothing
    constexpr double kWidth = kPlotRight - kPlotLeft;
    CHECK(hasClass(*segments[0], "chart-seg-1"));
    CHECK(hasClass(*segments[1], "chart-seg-2"));
    CHECK(hasClass(*segments[2], "chart-seg-3"));
    CHECK(number(*segments[0], "width") == Approx(kWidth * 0.25));
    CHECK(number(*segments[1], "width") == Approx(kWidth * 0.25));
    CHECK(number(*segments[2], "width") == Approx(kWidth * 0.50));
    CHECK(number(*segments[0], "x") == Approx(kPlotLeft));
    CHECK(number(*segments[2], "x") + number(*segments[2], "width") == Approx(kPlotRight));

    std::vector<std::string> titles, labels;
    for (auto* group : withClass(*document, "g", "chart-segment")) {
        titles.push_back(group->getChildElement("title")->innerText());
        labels.push_back(group->getChildElement("text")->innerText());
    }
    CHECK(titles == std::vector<std::string>{"Strongly disagree: 1 (25%)", "Disagree: 1 (25%)", "Neutral: 2 (50%)"});
    CHECK(labels == std::vector<std::string>{"25%", "25%", "50%"});
}

TEST_CASE("Rounded percentages of an item add up to 100, a segment too narrow for its text shows none", "[unit][charts]") {
    auto chart = items();
    chart.items = {{"thirds", {1, 1, 1, 0, 0}, 0}, {"sliver", {1, 0, 0, 0, 99}, 0}};
    auto document = parse(distributionChart(chart));
    auto groups = withClass(*document, "g", "chart-item");
    REQUIRE(groups.size() == 2);

    int sum = 0;
    Poco::AutoPtr<Poco::XML::NodeList> titles = groups[0]->getElementsByTagName("title");
    for (unsigned long i = 0; i < titles->length(); ++i) {
        const auto text = titles->item(i)->innerText();
        sum += std::stoi(text.substr(text.find('(') + 1));
    }
    CHECK(sum == 100);

    auto sliver = withClass(*document, "g", "chart-segment");
    REQUIRE(sliver.size() == 5);
    CHECK(sliver[3]->getChildElement("title")->innerText() == "Strongly disagree: 1 (1%)");
    CHECK(sliver[3]->getChildElement("text") == nullptr);
    CHECK(sliver[4]->getChildElement("text")->innerText() == "99%");
    CHECK(hasClass(*sliver[4]->getChildElement("text"), "chart-on-dark"));
}

TEST_CASE("Missing answers are noted under the bar, an item nobody answered draws an empty frame", "[unit][charts]") {
    auto chart = items();
    chart.missingNote = "{count} sin respuesta";
    chart.items = {{"answered", {1, 1, 2, 0, 0}, 7}, {"empty", {0, 0, 0, 0, 0}, 12}, {"complete", {1, 0, 0, 0, 0}, 0}};
    auto document = parse(distributionChart(chart));
    std::vector<std::string> notes;
    for (auto* note : withClass(*document, "text", "chart-note")) notes.push_back(visibleText(*note));
    CHECK(notes == std::vector<std::string>{"7 sin respuesta", "12 sin respuesta"});
    CHECK(withClass(*document, "rect", "chart-bar-frame").size() == 3);
    CHECK(withClass(*document, "rect", "chart-seg").size() == 4);
}

TEST_CASE("The legend lists the options in order, the disagreeing side is hatched for grayscale print", "[unit][charts]") {
    auto document = parse(distributionChart(items()));
    std::vector<std::string> legend;
    for (auto* label : withClass(*document, "text", "chart-legend-label")) legend.push_back(visibleText(*label));
    CHECK(legend == items().options);
    CHECK(withClass(*document, "rect", "chart-swatch").size() == 5);

    // Hatching covers the first two segments (each also in the legend) and nothing else.
    auto hatches = withClass(*document, "rect", "chart-hatch");
    CHECK(hatches.size() == 2 + 2);
    for (auto* hatch : hatches) CHECK(hatch->getAttribute("fill") == "url(#expectations-items-hatch)");
    auto* pattern = document->getElementById("expectations-items-hatch", "id");
    REQUIRE(pattern);
    CHECK(pattern->nodeName() == "pattern");
}

TEST_CASE("Fewer than five options spread across the diverging scale", "[unit][charts]") {
    auto chart = items();
    chart.options = {"Disagree a lot", "Disagree", "Agree", "Agree a lot"};
    chart.items = {{"four", {1, 1, 1, 1}, 0}};
    auto document = parse(distributionChart(chart));
    std::vector<std::string> classes;
    for (auto* segment : withClass(*document, "rect", "chart-seg")) classes.push_back(segment->getAttribute("class"));
    CHECK(classes == std::vector<std::string>{"chart-seg chart-seg-1", "chart-seg chart-seg-2", "chart-seg chart-seg-4", "chart-seg chart-seg-5"});
}

TEST_CASE("Seven and eleven options each get a colour of their own, hatched on the lower side", "[unit][charts]") {
    // Regression (issue 10): a 7-point instrument's profile page answered 500 with "expected 1 to
    // 5 response options, got 7", although the SDK accepts 2 to 11 options.
    for (const std::size_t count : {std::size_t{7}, std::size_t{11}}) {
        auto chart = items();
        chart.options.clear();
        for (std::size_t i = 0; i < count; ++i) chart.options.push_back("Option " + std::to_string(i + 1));
        chart.items = {{"every option once", std::vector<std::int64_t>(count, 1), 0}};
        auto document = parse(distributionChart(chart));
        std::set<std::string> classes;
        for (auto* segment : withClass(*document, "rect", "chart-seg")) classes.insert(segment->getAttribute("class"));
        CHECK(classes.size() == count);
        CHECK(classes.count("chart-seg chart-seg11-1") == 1);
        CHECK(classes.count("chart-seg chart-seg11-11") == 1);
        std::vector<std::string> legend;
        for (auto* label : withClass(*document, "text", "chart-legend-label")) legend.push_back(visibleText(*label));
        CHECK(legend == chart.options);
        // The options below the middle are hatched, in the legend and in the bar: three of seven, five of eleven.
        CHECK(withClass(*document, "rect", "chart-hatch").size() == 2 * (count / 2));
    }
}

TEST_CASE("Every id in a chart starts with the caller's prefix", "[unit][charts]") {
    std::set<std::string> seen;
    for (const auto& [prefix, svg] : {std::pair{groups().id, intervalChart(groups())}, std::pair{items().id, distributionChart(items())}}) {
        auto document = parse(svg);
        Poco::AutoPtr<Poco::XML::NodeList> all = document->getElementsByTagName("*");
        int ids = 0;
        for (unsigned long i = 0; i < all->length(); ++i) {
            auto& element = static_cast<Poco::XML::Element&>(*all->item(i));
            if (!element.hasAttribute("id")) continue;
            ++ids;
            CHECK(element.getAttribute("id").rfind(prefix + "-", 0) == 0);
            CHECK(seen.insert(element.getAttribute("id")).second);
        }
        CHECK(ids >= 2);
    }
}

TEST_CASE("A long label wraps, and one too long for three lines is cut with its full text in a <title>", "[unit][charts]") {
    const std::string longLabel =
        "Teachers here hold the same high expectations for every student regardless of race, home language, "
        "disability, gender, income or neighbourhood, and they tell families so at every conference of the year";
    auto chart = items();
    chart.items[0].label = longLabel;
    auto document = parse(distributionChart(chart));
    auto* label = withClass(*document, "text", "chart-label").at(0);
    Poco::AutoPtr<Poco::XML::NodeList> lines = label->getElementsByTagName("tspan");
    CHECK(lines->length() == 3);
    const auto last = lines->item(2)->innerText();
    CHECK(last.substr(last.size() - 3) == "\xe2\x80\xa6");
    REQUIRE(label->getChildElement("title"));
    CHECK(label->getChildElement("title")->innerText() == longLabel);

    chart.items[0].label = "Staff at my school believe all students can learn at high levels.";
    document = parse(distributionChart(chart));
    label = withClass(*document, "text", "chart-label").at(0);
    Poco::AutoPtr<Poco::XML::NodeList> twoLines = label->getElementsByTagName("tspan");
    CHECK(twoLines->length() == 2);
    CHECK(label->getChildElement("title") == nullptr);
    CHECK(twoLines->item(0)->innerText() + " " + twoLines->item(1)->innerText() == chart.items[0].label);
}

TEST_CASE("Charts refuse inputs they cannot draw, naming what was expected", "[unit][charts]") {
    for (const std::string id : {"", "1st", "has space", "quote\"d", "caf\xc3\xa9"}) {
        auto chart = groups();
        chart.id = id;
        CHECK_THROWS_WITH(intervalChart(chart), Catch::Contains("expected a letter"));
    }
    auto untitled = items();
    untitled.title.clear();
    CHECK_THROWS_WITH(distributionChart(untitled), Catch::Contains("expected a title"));

    auto backwards = groups();
    backwards.axisMin = 5;
    backwards.axisMax = 1;
    CHECK_THROWS_WITH(intervalChart(backwards), Catch::Contains("axisMin below axisMax, got 5 and 1"));
    auto noTicks = groups();
    noTicks.tickStep = 0;
    CHECK_THROWS_AS(intervalChart(noTicks), std::invalid_argument);

    auto mismatched = items();
    mismatched.items[0].counts = {1, 2, 3, 4};
    CHECK_THROWS_WITH(distributionChart(mismatched), Catch::Contains("expected one count per option (5), got 4"));
    auto negative = items();
    negative.items[0].counts[2] = -1;
    CHECK_THROWS_AS(distributionChart(negative), std::invalid_argument);
    auto tooMany = items();
    tooMany.options.resize(12, "More");
    tooMany.items[0].counts.resize(12, 0);
    CHECK_THROWS_WITH(distributionChart(tooMany), Catch::Contains("expected 1 to 11 response options, got 12"));
}

namespace {

TrendChart districtTrend() {
    TrendChart chart;
    chart.id = "trend-high-expectations";
    chart.title = "High expectations: district mean by school year";
    chart.periods = {"2024–25", "2025–26", "2026–27"};
    chart.axisMin = 3.5;
    chart.axisMax = 4.5;
    chart.tickStep = 0.25;
    chart.panels = {{"", {{4.0, 3.9, 4.1, ""}, {4.1, 4.0, 4.2, ""}, {4.2, 4.1, 4.3, ""}}}};
    return chart;
}

}  // namespace

TEST_CASE("A trend is a line through the years over a shaded interval band, a point per year", "[unit][charts][trends]") {
    const auto chart = districtTrend();
    auto svg = parse(trendChart(chart));
    auto* root = svg->documentElement();
    CHECK(root->getAttribute("role") == "img");
    CHECK(withClass(*svg, "polygon", "chart-band").size() == 1);
    const auto lines = withClass(*svg, "polyline", "chart-line");
    REQUIRE(lines.size() == 1);
    const auto dots = withClass(*svg, "circle", "chart-dot");
    REQUIRE(dots.size() == 3);
    // Later years to the right; a higher mean higher up (smaller y).
    CHECK(number(*dots[0], "cx") < number(*dots[1], "cx"));
    CHECK(number(*dots[0], "cy") > number(*dots[1], "cy"));
    CHECK(number(*dots[1], "cy") > number(*dots[2], "cy"));
    CHECK(visibleText(*withClass(*svg, "text", "chart-value")[2]) == "4.20");
    CHECK(withClass(*svg, "line", "chart-break").empty());
    // The band spans each year's interval: its top at 4.1 over the first point, 4.3 over the last.
    const double perUnit = (number(*dots[0], "cy") - number(*dots[1], "cy")) / 0.1;
    std::istringstream band(withClass(*svg, "polygon", "chart-band")[0]->getAttribute("points"));
    std::vector<std::pair<double, double>> corners;
    for (double x, y; band >> x && band.ignore(1) && band >> y;) corners.emplace_back(x, y);
    REQUIRE(corners.size() == 6);  // upper edge left to right, then lower edge back
    CHECK(corners[0].first == Approx(number(*dots[0], "cx")));
    CHECK(corners[0].second == Approx(number(*dots[0], "cy") - 0.1 * perUnit).margin(0.02));
    CHECK(corners[2].second == Approx(number(*dots[2], "cy") - 0.1 * perUnit).margin(0.02));
    CHECK(corners[5].second == Approx(number(*dots[0], "cy") + 0.1 * perUnit).margin(0.02));
}

TEST_CASE("A trend line stops at a version break and at a hidden year, and says why there", "[unit][charts][trends]") {
    auto chart = districtTrend();
    chart.breaks = {"", "new version"};
    auto svg = parse(trendChart(chart));
    const auto breaks = withClass(*svg, "line", "chart-break");
    REQUIRE(breaks.size() == 1);
    const auto dots = withClass(*svg, "circle", "chart-dot");
    CHECK(number(*breaks[0], "x1") > number(*dots[1], "cx"));
    CHECK(number(*breaks[0], "x1") < number(*dots[2], "cx"));
    CHECK(visibleText(*withClass(*svg, "text", "chart-break-label")[0]) == "new version");
    CHECK(withClass(*svg, "polyline", "chart-line").size() == 1);  // 2024-25 to 2025-26 only
    CHECK(withClass(*svg, "line", "chart-ci").size() == 1);        // 2026-27 alone: a whisker, no band

    chart = districtTrend();
    chart.panels[0].values[1] = {std::nullopt, std::nullopt, std::nullopt, "hidden"};
    svg = parse(trendChart(chart));
    CHECK(withClass(*svg, "circle", "chart-dot").size() == 2);
    CHECK(withClass(*svg, "polyline", "chart-line").empty());  // never drawn across the hole
    CHECK(withClass(*svg, "polygon", "chart-band").empty());
    CHECK(withClass(*svg, "line", "chart-ci").size() == 2);
    const auto notes = withClass(*svg, "text", "chart-note");
    REQUIRE(notes.size() == 1);
    CHECK(visibleText(*notes[0]) == "hidden");
}

TEST_CASE("Gap trends are small multiples on one axis, with the reference line in each", "[unit][charts][trends]") {
    TrendChart chart;
    chart.id = "gaps";
    chart.title = "Each group's gap";
    chart.periods = {"24–25", "25–26"};
    chart.axisMin = -1;
    chart.axisMax = 1;
    chart.tickStep = 0.5;
    chart.reference = 0;
    chart.referenceLabel = "0: no gap";
    chart.columns = 2;
    chart.panels = {{"Black", {{-0.4, -0.6, -0.2, ""}, {-0.2, -0.4, 0, ""}}},
                    {"White", {{0.2, 0.1, 0.3, ""}, {0.1, 0, 0.2, ""}}},
                    {kHostile, {{std::nullopt, std::nullopt, std::nullopt, "hidden"}, {0.3, -0.2, 0.8, ""}}}};
    auto svg = parse(trendChart(chart));
    CHECK(withClass(*svg, "g", "chart-panel").size() == 3);
    CHECK(withClass(*svg, "line", "chart-ref").size() == 3 + 1);  // one per panel, one in the key under them
    CHECK(withClass(*svg, "polyline", "chart-line").size() == 2);
    const auto dots = withClass(*svg, "circle", "chart-dot");
    REQUIRE(dots.size() == 5);
    // One axis for every panel of a row: -0.2 (Black, 2025-26) lies 0.4 of the 2-unit axis below
    // 0.2 (White, 2024-25), on a plot 110 units high.
    CHECK(number(*dots[1], "cy") - number(*dots[2], "cy") == Approx(0.4 / 2 * 110).margin(0.02));
    // The third panel starts a new row, below the first.
    CHECK(number(*dots[4], "cy") > number(*dots[0], "cy") + 100);
}

namespace {

/// Gap trends of four groups over three school years in two columns, as the comparison page draws
/// them: values close to the zero line, at the first and last year, and at both ends of the axis.
TrendChart schoolGaps() {
    TrendChart chart;
    chart.id = "gaps-by-school";
    chart.title = "Each school's gap";
    chart.periods = {"24–25", "25–26", "26–27"};
    chart.axisMin = -0.5;
    chart.axisMax = 0.5;
    chart.tickStep = 0.25;
    chart.reference = 0;
    chart.referenceLabel = "0: no gap";
    chart.columns = 2;
    chart.panels = {{"Lakeview Elementary School", {{-0.07, -0.2, 0.06, ""}, {-0.01, -0.14, 0.12, ""}, {-0.02, -0.13, 0.09, ""}}},
                    {"Maple Elementary School", {{-0.15, -0.3, 0, ""}, {0.04, -0.08, 0.16, ""}, {-0.11, -0.24, 0.02, ""}}},
                    {"Eastside High School", {{0.5, 0.3, 0.7, ""}, {-0.5, -0.7, -0.3, ""}, {0.0, -0.1, 0.1, ""}}},
                    {"Riverside Middle School", {{0.0, -0.1, 0.1, ""}, {std::nullopt, std::nullopt, std::nullopt, "hidden"}, {-0.03, -0.2, 0.1, ""}}}};
    return chart;
}

/// Width of a chart value as DejaVu Sans Bold draws it (its advance widths, in ems, times the
/// 14-unit font size): independent of the estimate Charts.cpp lays text out with.
double boldValueWidth(const std::string& text) {
    double ems = 0;
    for (char c : text) ems += c >= '0' && c <= '9' ? 0.696 : c == '-' ? 0.415 : 0.38;  // '.' and ','
    return ems * kChartFontSize;
}

/// The period labels of a trend chart: tick labels holding an en dash.
std::vector<Poco::XML::Element*> periodLabels(Poco::XML::Document& svg) {
    std::vector<Poco::XML::Element*> labels;
    for (auto* label : withClass(svg, "text", "chart-tick-label"))
        if (visibleText(*label).find("–") != std::string::npos) labels.push_back(label);
    return labels;
}

}  // namespace

TEST_CASE("A school year under a narrow panel stays whole, or is left out rather than split", "[unit][charts][trends]") {
    auto chart = schoolGaps();
    auto svg = parse(trendChart(chart));
    auto labels = periodLabels(*svg);
    REQUIRE(labels.size() == 4 * 3);  // every year under every panel
    for (std::size_t i = 0; i < labels.size(); ++i) {
        CHECK(visibleText(*labels[i]) == chart.periods[i % 3]);
        Poco::AutoPtr<Poco::XML::NodeList> lines = labels[i]->getElementsByTagName("tspan");
        CHECK(lines->length() == 1);
    }

    // Five years leave too little room for each: every other year is labelled, counting back from
    // the latest, each whole.
    chart.periods = {"22–23", "23–24", "24–25", "25–26", "26–27"};
    for (auto& panel : chart.panels) panel.values.resize(5, {0.1, 0, 0.2, ""});
    svg = parse(trendChart(chart));
    labels = periodLabels(*svg);
    REQUIRE(labels.size() == 4 * 3);
    for (std::size_t i = 0; i < labels.size(); ++i) CHECK(visibleText(*labels[i]) == chart.periods[2 * (i % 3)]);
    // Each point still names its year.
    CHECK(withClass(*svg, "circle", "chart-dot")[1]->innerText().rfind("23–24: ", 0) == 0);
}

TEST_CASE("Values printed in small multiples stay inside their panel's plot, off the zero line", "[unit][charts][trends]") {
    auto svg = parse(trendChart(schoolGaps()));
    const auto panels = withClass(*svg, "g", "chart-panel");
    REQUIRE(panels.size() == 4);
    std::size_t printed = 0;
    for (auto* panel : panels) {
        double plotLeft = 1e9, plotRight = -1e9, plotTop = 1e9, plotBottom = 0, zero = 0;
        Poco::AutoPtr<Poco::XML::NodeList> lines = panel->getElementsByTagName("line");
        for (unsigned long i = 0; i < lines->length(); ++i) {
            const auto& line = static_cast<Poco::XML::Element&>(*lines->item(i));
            if (hasClass(line, "chart-grid")) {
                plotLeft = std::min(plotLeft, number(line, "x1"));
                plotRight = std::max(plotRight, number(line, "x2"));
                plotTop = std::min(plotTop, number(line, "y1"));
            }
            if (hasClass(line, "chart-axis") && !hasClass(line, "chart-tick")) plotBottom = number(line, "y1");
            if (hasClass(line, "chart-ref")) zero = number(line, "y1");
        }
        REQUIRE(plotBottom > zero);
        std::vector<std::pair<double, double>> spans;  // each value's left and right
        Poco::AutoPtr<Poco::XML::NodeList> texts = panel->getElementsByTagName("text");
        for (unsigned long i = 0; i < texts->length(); ++i) {
            const auto& text = static_cast<Poco::XML::Element&>(*texts->item(i));
            if (!hasClass(text, "chart-value")) continue;
            ++printed;
            const auto value = visibleText(text);
            INFO("value " << value << " in a plot from x " << plotLeft << " to " << plotRight << ", y " << plotTop << " to " << plotBottom);
            const double width = boldValueWidth(value);
            const auto anchor = text.getAttribute("text-anchor");  // "end", "middle" or none: start
            const double left = number(text, "x") - (anchor == "end" ? width : anchor == "middle" ? width / 2 : 0);
            const double baseline = number(text, "y");
            const double top = baseline - 0.73 * kChartFontSize;  // the height of a bold digit
            // Right of the tick labels (which end 4 units left of the plot), left of the next panel,
            // and clear of the other values.
            CHECK(left >= plotLeft);
            CHECK(left + width <= plotRight);
            for (const auto& [otherLeft, otherRight] : spans) CHECK((left + width < otherLeft || left > otherRight));
            spans.emplace_back(left, left + width);
            // Above the axis and the year labels under it, not out through the panel's title.
            CHECK(baseline <= plotBottom);
            CHECK(top >= plotTop - 4);
            // Off the zero line, on the value's side of it.
            CHECK((baseline < zero || top > zero));
            if (value.front() == '-') CHECK(top > zero);
        }
    }
    CHECK(printed == 11);  // every shown value; the hidden year has its note instead
}

TEST_CASE("Trend charts refuse inputs they cannot draw, naming what was expected", "[unit][charts][trends]") {
    auto chart = districtTrend();
    chart.panels[0].values.pop_back();
    CHECK_THROWS_WITH(trendChart(chart), Catch::Contains("expected one value per period (3), got 2"));
    chart = districtTrend();
    chart.breaks = {"x"};
    CHECK_THROWS_WITH(trendChart(chart), Catch::Contains("expected no breaks or one per pair of periods (2), got 1"));
    chart = districtTrend();
    chart.columns = 0;
    CHECK_THROWS_WITH(trendChart(chart), Catch::Contains("expected 1 to 4 columns, got 0"));
    chart = districtTrend();
    chart.periods.clear();
    CHECK_THROWS_WITH(trendChart(chart), Catch::Contains("expected at least one period"));
}
