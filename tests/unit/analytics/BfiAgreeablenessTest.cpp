// The five Agreeableness items of psych's bfi data (2800 people, answers 1..6, A1 reverse keyed),
// against psych::alpha, t.test and prop.test. Data: data/bfi-agreeableness.csv, written by
// tests/reference/bfi-agreeableness.R (write.csv of bfi[, c("A1".."A5", "gender")], NA empty),
// which also prints every reference value below (R 4.2.2, psych 2.2.9), to 12 significant digits.
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <mindset/sdk.h>

#include "analytics/Statistics.h"

using namespace mindset::analytics;

namespace {

constexpr double kMargin = 1e-9;
constexpr int kItems = 5;

// The bfi Agreeableness scale as an instrument: codes 1..6, A1 reverse keyed, scored as the mean of
// the answered items (the SDK default), favorable from 4.
const char* kAgreeableness = R"({
  "id": "bfi-agreeableness", "version": "1.0.0",
  "title": {"en": "Agreeableness", "es": "Agreeableness"}, "description": {"en": "bfi A1-A5", "es": "bfi A1-A5"}, "citation": "psych::bfi",
  "responseScale": {"id": "accuracy", "options": [
    {"code": 1, "label": {"en": "Very inaccurate", "es": "Very inaccurate"}}, {"code": 2, "label": {"en": "Moderately inaccurate", "es": "Moderately inaccurate"}},
    {"code": 3, "label": {"en": "Slightly inaccurate", "es": "Slightly inaccurate"}}, {"code": 4, "label": {"en": "Slightly accurate", "es": "Slightly accurate"}},
    {"code": 5, "label": {"en": "Moderately accurate", "es": "Moderately accurate"}}, {"code": 6, "label": {"en": "Very accurate", "es": "Very accurate"}}]},
  "scales": [{"id": "a", "title": {"en": "Agreeableness", "es": "Agreeableness"}, "description": {"en": "A", "es": "A"},
              "favorableAtLeast": 4, "minAnswered": 1}],
  "items": [
    {"id": "a1", "scale": "a", "text": {"en": "Am indifferent to the feelings of others.", "es": "Am indifferent to the feelings of others."}, "reverseKeyed": true},
    {"id": "a2", "scale": "a", "text": {"en": "Inquire about others' well-being.", "es": "Inquire about others' well-being."}},
    {"id": "a3", "scale": "a", "text": {"en": "Know how to comfort others.", "es": "Know how to comfort others."}},
    {"id": "a4", "scale": "a", "text": {"en": "Love children.", "es": "Love children."}},
    {"id": "a5", "scale": "a", "text": {"en": "Make people feel at ease.", "es": "Make people feel at ease."}}]
})";

struct Bfi {
    std::vector<int> codes;  // respondents × 5, 0 = not answered
    std::vector<int> gender; // 1 male, 2 female
    std::size_t respondents() const { return gender.size(); }
};

const Bfi& bfi() {
    static const Bfi data = [] {
        const std::string path = std::string(MINDSET_SOURCE_DIR) + "/tests/unit/analytics/data/bfi-agreeableness.csv";
        std::ifstream in(path);
        if (!in) throw std::runtime_error("cannot open " + path);
        Bfi d;
        std::string line;
        std::getline(in, line);  // "A1","A2","A3","A4","A5","gender"
        while (std::getline(in, line)) {
            std::stringstream fields(line);
            std::string field;
            for (int column = 0; column <= kItems; ++column) {
                std::getline(fields, field, ',');
                const int value = field.empty() ? 0 : std::stoi(field);
                (column < kItems ? d.codes : d.gender).push_back(value);
            }
        }
        return d;
    }();
    return data;
}

}  // namespace

TEST_CASE("bfi: alpha of Agreeableness, listwise, matches psych::alpha on the complete rows", "[unit][analytics]") {
    const mindset::sdk::JsonInstrument instrument(kAgreeableness);
    const auto& definition = instrument.definition();
    const auto& data = bfi();
    REQUIRE(data.respondents() == 2800);

    std::vector<double> keyed(data.codes.size());
    for (std::size_t i = 0; i < keyed.size(); ++i) {
        const int code = data.codes[i];
        keyed[i] = code == 0 ? std::numeric_limits<double>::quiet_NaN()
                             : mindset::sdk::keyedCode(definition, definition.items[i % kItems], code);  // A1 -> 7 - A1
    }
    const auto r = cronbachAlpha(ItemMatrix(keyed, kItems));

    // R: nrow(na.omit(bfi[1:5])) = 2709; a <- alpha(na.omit(bfi[1:5]), keys = c(-1, 1, 1, 1, 1))
    CHECK(r.respondents == 2709);
    CHECK(r.droppedRespondents == 91);
    CHECK(*r.alpha == Approx(0.703755894375).margin(kMargin));                     // a$total$raw_alpha
    CHECK(*r.standardizedAlpha == Approx(0.713501552635).margin(kMargin));         // a$total$std.alpha
    CHECK(*r.meanInterItemCorrelation == Approx(0.332480716458).margin(kMargin));  // a$total$average_r
    CHECK(r.alphaCi95->lower == Approx(0.68574463505).margin(kMargin));            // a$feldt$lower.ci
    CHECK(r.alphaCi95->upper == Approx(0.721035962796).margin(kMargin));           // a$feldt$upper.ci
    const double rDrop[] = {0.31140130058, 0.563015475492, 0.588773078677, 0.394793680111, 0.487240867629};  // a$item.stats$r.drop
    const double alphaDrop[] = {0.717972056565, 0.618481211773, 0.600753814422, 0.68694474154, 0.644622304222};  // a$alpha.drop$raw_alpha
    REQUIRE(r.perItem.size() == kItems);
    for (int i = 0; i < kItems; ++i) {
        INFO("A" << i + 1);
        CHECK(*r.perItem[i].correctedItemTotal == Approx(rDrop[i]).margin(kMargin));
        CHECK(*r.perItem[i].alphaIfDropped == Approx(alphaDrop[i]).margin(kMargin));
    }
    // psych's default, alpha(bfi[1:5], keys = ...) on all 2800 rows with pairwise covariances, gives
    // raw_alpha 0.703018446057 instead: the listwise choice is documented in analytics/Statistics.h.
}

TEST_CASE("bfi: the distribution of answers to A1 and A2 is R's table(useNA = \"always\")", "[unit][analytics]") {
    const auto& data = bfi();
    for (int item : {0, 1}) {
        std::vector<int> column;
        for (std::size_t row = 0; row < data.respondents(); ++row) column.push_back(data.codes[row * kItems + item]);
        const auto counts = distribution(column, 1, 6);
        // R: table(bfi$A1, useNA = "always") = 922 818 402 337 223 82 (NA) 16
        //    table(bfi$A2, useNA = "always") = 47 126 151 553 1023 873 (NA) 27
        const std::vector<std::int64_t> expected = item == 0 ? std::vector<std::int64_t>{16, 922, 818, 402, 337, 223, 82}
                                                             : std::vector<std::int64_t>{27, 47, 126, 151, 553, 1023, 873};
        CHECK(counts == expected);
    }
}

TEST_CASE("bfi: scale scores, % favorable and women against the rest match t.test and prop.test", "[unit][analytics]") {
    const mindset::sdk::JsonInstrument instrument(kAgreeableness);
    const auto& data = bfi();
    std::vector<double> scores, women, men;
    Moments district, womenMoments;
    for (std::size_t row = 0; row < data.respondents(); ++row) {
        mindset::sdk::ItemAnswers answers{{data.codes.begin() + row * kItems, data.codes.begin() + (row + 1) * kItems}};
        const auto value = instrument.score(answers).at(0).value;
        const double score = value ? *value : std::numeric_limits<double>::quiet_NaN();
        scores.push_back(score);
        (data.gender[row] == 2 ? women : men).push_back(score);
        district.add(score);
        if (data.gender[row] == 2) womenMoments.add(score);
    }

    // R: score <- rowMeans(keyed, na.rm = TRUE), keyed$A1 <- 7 - bfi$A1
    const auto s = summarize(scores);
    CHECK(s.n == 2800);
    CHECK(*s.mean == Approx(4.6520952381).margin(kMargin));
    CHECK(*s.sd == Approx(0.898401877075).margin(kMargin));
    CHECK(s.meanCi95->lower == Approx(4.61880418249).margin(kMargin));  // t.test(score)$conf.int
    CHECK(s.meanCi95->upper == Approx(4.6853862937).margin(kMargin));

    // R: prop.test(sum(score >= 4), 2800, correct = FALSE)$conf.int
    const auto favorable = favorableShare(scores, instrument.definition().scales[0].favorableAtLeast);
    CHECK(favorable.count == 2292);
    CHECK(favorable.n == 2800);
    CHECK(favorable.wilson95->lower == Approx(0.80386392073).margin(kMargin));
    CHECK(favorable.wilson95->upper == Approx(0.832406006155).margin(kMargin));

    // R: t.test(score[gender == 2], score[gender == 1], var.equal = FALSE), and hedges() as in
    // tests/reference/comparison.R.
    for (const auto& c : {compareGroups(women, men), compareGroups(womenMoments, district.without(womenMoments))}) {
        CHECK(c.group.n == 1881);
        CHECK(c.rest.n == 919);
        CHECK(*c.difference == Approx(0.396777349117).margin(kMargin));
        CHECK(c.welch->standardError == Approx(0.0364284804748).margin(kMargin));
        CHECK(c.welch->degreesOfFreedom == Approx(1689.96730054).margin(1e-7));
        CHECK(c.welch->t == Approx(10.8919544254).margin(kMargin));
        CHECK(c.welch->pValue == Approx(9.52206724894e-27).epsilon(1e-6));
        CHECK(c.welch->differenceCi95.lower == Approx(0.325327667314).margin(kMargin));
        CHECK(c.welch->differenceCi95.upper == Approx(0.46822703092).margin(kMargin));
        CHECK(c.hedgesG->g == Approx(0.451264665549).margin(kMargin));
        CHECK(c.hedgesG->standardError == Approx(0.0406849766621).margin(kMargin));
        CHECK(c.hedgesG->ci95.lower == Approx(0.37152357658).margin(kMargin));
        CHECK(c.hedgesG->ci95.upper == Approx(0.531005754519).margin(kMargin));
    }
}
