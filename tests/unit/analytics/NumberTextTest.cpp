#include <catch2/catch.hpp>

#include "analytics/NumberText.h"

using namespace mindset::analytics;

TEST_CASE("numbers are written with the page language's decimal mark and a true minus sign", "[unit][numbers]") {
    CHECK(decimalText(4.0849, 2, "en") == "4.08");
    CHECK(decimalText(4.0849, 2, "es") == "4,08");
    CHECK(decimalText(-0.31, 2, "en") == "\u22120.31");
    CHECK(decimalText(-0.31, 2, "es") == "\u22120,31");
    CHECK(decimalText(-0.004, 2, "en") == "0.00");  // never "−0.00"
    CHECK(decimalText(2.675, 2, "en") == "2.67");   // as printf and R's sprintf round the binary value
    CHECK(decimalText(3, 0, "es") == "3");
    CHECK(signedDecimalText(0.34, 2, "es") == "+0,34");
    CHECK(signedDecimalText(-0.001, 2, "en") == "0.00");
    CHECK(signedDecimalText(-0.82, 2, "en") == "\u22120.82");
}

TEST_CASE("shares, intervals and counts follow the language too", "[unit][numbers]") {
    CHECK(percentText(0.4949, "en") == "49%");
    CHECK(percentText(0.755, "es") == "76%");
    CHECK(signedPointsText(-0.12, "en") == "\u221212");
    CHECK(signedPointsText(0.04, "es") == "+4");
    CHECK(intervalText(0.06, 0.63, 2, "en") == "[0.06, 0.63]");
    // With a decimal comma the ends are separated by a semicolon, so "0,06, 0,63" is never written.
    CHECK(intervalText(0.06, 0.63, 2, "es") == "[0,06; 0,63]");
    CHECK(percentIntervalText(0.45, 0.53, "es") == "[45%; 53%]");
    CHECK(countText(1201, "en") == "1,201");
    CHECK(countText(1201, "es") == "1201");                 // four digits stay together in Spanish
    CHECK(countText(12345, "es") == "12\u00A0345");         // a no-break space, never a point
    CHECK(countText(1234567, "en") == "1,234,567");
    CHECK(countText(696, "es") == "696");
    CHECK(decimalMarkOf("es") == ',');
    CHECK(decimalMarkOf("en") == '.');
}
