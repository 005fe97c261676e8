#include <catch2/catch.hpp>

#include <set>

#include "store/ResumeCode.h"
#include "store/Tokens.h"

using namespace mindset::store;

TEST_CASE("resume codes are 20 unambiguous characters in four groups, typed forgivingly", "[unit][resume]") {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const auto code = newResumeCode();
        REQUIRE(code.size() == 23);
        CHECK(code[5] == '-');
        CHECK(code[11] == '-');
        CHECK(code[17] == '-');
        CHECK(code.find_first_of("ILOU") == std::string::npos);
        CHECK(normalizeResumeCode(code).size() == kResumeCodeLength);
        seen.insert(code);
    }
    CHECK(seen.size() == 200);
    CHECK(normalizeResumeCode("7kq2m 9xd4h-rt6wb-3npq8") == "7KQ2M9XD4HRT6WB3NPQ8");
    CHECK(normalizeResumeCode("OIL2M-9XD4H-RT6WB-3NPQ8") == "0112M9XD4HRT6WB3NPQ8");
    CHECK(normalizeResumeCode("7KQ2M-9XD4H-RT6WB-3NPQ").empty());    // 19
    CHECK(normalizeResumeCode("7KQ2M-9XD4H-RT6WB-3NPQ88").empty());  // 21
    CHECK(normalizeResumeCode("7KQ2M-9XD4H-RT6WB-3NPQU").empty());   // U is not in the alphabet
}

TEST_CASE("a resume code unwraps the token it wrapped, and nothing else does", "[unit][resume]") {
    const auto code = normalizeResumeCode(newResumeCode());
    const auto other = normalizeResumeCode(newResumeCode());
    const auto token = randomToken();
    const auto wrapped = wrapDraftToken(code, token);
    CHECK(unwrapDraftToken(code, wrapped) == token);
    CHECK_FALSE(unwrapDraftToken(other, wrapped));
    CHECK(wrapDraftToken(code, token) != wrapped);  // a fresh nonce each time
    auto altered = wrapped;
    altered.back() ^= 1;
    CHECK_FALSE(unwrapDraftToken(code, altered));
    CHECK_FALSE(unwrapDraftToken(code, {1, 2, 3}));
    // The lookup hash is not the SHA-256 every other token is stored under, and differs per code.
    CHECK(resumeCodeHash(code).size() == 64);
    CHECK(resumeCodeHash(code) != sha256Hex(code));
    CHECK(resumeCodeHash(code) != resumeCodeHash(other));
    CHECK(resumeCodeHash(code) == resumeCodeHash(code));
}
