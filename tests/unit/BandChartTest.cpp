#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>

#include "web/Charts.h"

using namespace mindset::web::charts;

namespace {

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

std::vector<Poco::XML::Element*> withClass(Poco::XML::Document& document, const std::string& tag, const std::string& cssClass) {
    std::vector<Poco::XML::Element*> result;
    Poco::AutoPtr<Poco::XML::NodeList> list = document.getElementsByTagName(tag);
    for (unsigned long i = 0; i < list->length(); ++i) {
        auto* element = static_cast<Poco::XML::Element*>(list->item(i));
        std::istringstream classes(element->getAttribute("class"));
        for (std::string c; classes >> c;)
            if (c == cssClass) result.push_back(element);
    }
    return result;
}

double number(const Poco::XML::Element& element, const std::string& attribute) { return std::stod(element.getAttribute(attribute)); }

double xOf(double value, double axisMin, double axisMax) {
    return kPlotLeft + (value - axisMin) / (axisMax - axisMin) * (kPlotRight - kPlotLeft);
}

BandChart peers() {
    BandChart chart;
    chart.id = "peers-mean";
    chart.title = "Mean score among peer districts";
    chart.axisMin = 3;
    chart.axisMax = 4.5;
    chart.tickStep = 0.5;
    chart.bandLegend = "Middle half of districts";
    chart.middleLegend = "Median";
    chart.markerLegend = "Your district";
    chart.rows = {{"High expectations", 3.5, 3.75, 4.0, 4.25, ""},
                  {"Equitable resourcing <&>", std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                   "Not shown: fewer than 5 districts"}};
    return chart;
}

}  // namespace

TEST_CASE("A band spans lower to upper, with the middle line and the marker at their values", "[unit][charts]") {
    const auto svg = bandChart(peers());
    auto document = parse(svg);
    const auto legend = withClass(*document, "rect", "chart-band");
    REQUIRE(legend.size() == 2);  // the legend's swatch and the one row's band
    const auto& band = *legend[1];
    CHECK(number(band, "x") == Approx(xOf(3.5, 3, 4.5)).margin(0.01));
    CHECK(number(band, "x") + number(band, "width") == Approx(xOf(4.0, 3, 4.5)).margin(0.02));
    const auto middles = withClass(*document, "line", "chart-middle");
    REQUIRE(middles.size() == 2);
    CHECK(number(*middles[1], "x1") == Approx(xOf(3.75, 3, 4.5)).margin(0.01));
    const auto markers = withClass(*document, "polygon", "chart-marker");
    REQUIRE(markers.size() == 2);
    CHECK(svg.find("Your district 4.25") != std::string::npos);  // the marker's tooltip
    CHECK(svg.find(">4.25</text>") != std::string::npos);        // the value at the row's end
    // The withheld row shows its reason instead of a band, escaped.
    CHECK(svg.find("Not shown: fewer than 5 districts") != std::string::npos);
    CHECK(svg.find("Equitable resourcing &lt;&amp;&gt;") != std::string::npos);
}

TEST_CASE("Band charts refuse inputs they cannot draw", "[unit][charts]") {
    auto chart = peers();
    chart.rows[0].lower = 4.1;  // above upper
    CHECK_THROWS_WITH(bandChart(chart), Catch::Contains("expected lower <= upper"));
    chart = peers();
    chart.axisMax = 2;
    CHECK_THROWS_WITH(bandChart(chart), Catch::Contains("expected axisMin below axisMax"));
    chart = peers();
    chart.title.clear();
    CHECK_THROWS_AS(bandChart(chart), std::invalid_argument);
}
