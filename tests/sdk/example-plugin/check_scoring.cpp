// Checks the custom scoring in StaffBelonging.h against hand-computed scores. Plain C++ so that
// the example needs nothing but the SDK; use your own test framework if you have one.
#include <fstream>
#include <iostream>
#include <sstream>

#include "StaffBelonging.h"

namespace {

int failures = 0;

void check(bool isTrue, const char* what) {
    if (isTrue) return;
    std::cerr << "FAILED: " << what << "\n";
    ++failures;
}

}  // namespace

int main() {
    std::ifstream file(STAFF_BELONGING_DEFINITION);
    std::stringstream json;
    json << file.rdbuf();
    const StaffBelongingInstrument instrument(json.str());

    // Items in definition.json order: sb01-sb04 (belonging, sb03 reverse-keyed), sb05-sb07 (support).
    // belonging: sb03 = 2 keys to 1 + 5 - 2 = 4, so keyed {5, 4, 4, 1} sorted {1, 4, 4, 5}: median
    // (4 + 4) / 2 = 4 (the mean would be 3.5). support: sb06 skipped, so no score.
    auto scores = instrument.score({{5, 4, 2, 1, 3, 0, 5}});
    check(scores.size() == 2, "one score per scale");
    check(scores[0].value && *scores[0].value == 4.0, "belonging is the median of keyed answers");
    check(!scores[1].value, "support has no score when an item is skipped");
    check(scores[1].answeredCount == 2, "support counts its 2 answered items");

    // support: {2, 5, 3} sorted {2, 3, 5}: median 3.
    scores = instrument.score({{5, 4, 2, 1, 2, 5, 3}});
    check(scores[1].value && *scores[1].value == 3.0, "support is the median of a complete response");

    if (failures == 0) std::cout << "staff-belonging scoring: all checks passed\n";
    return failures == 0 ? 0 : 1;
}
