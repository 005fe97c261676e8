#include "store/Tokens.h"

#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace mindset::store {

namespace {
constexpr std::size_t kCodeLength = 12;
}  // namespace

namespace {

/// Fills `out` from the kernel's CSPRNG: one system call, no file to open (unlike
/// Poco::RandomInputStream), which matters on the page every visitor opens first.
void fillRandom(std::string& out) {
    std::size_t filled = 0;
    while (filled < out.size()) {
        const auto n = getrandom(out.data() + filled, out.size() - filled, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("getrandom failed: ") + std::strerror(errno));
        }
        filled += static_cast<std::size_t>(n);
    }
}

}  // namespace

std::string randomToken(std::size_t bytes) {
    std::string raw(bytes, '\0');
    fillRandom(raw);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes * 2);
    for (unsigned char c : raw) {
        hex.push_back(kHex[c >> 4]);
        hex.push_back(kHex[c & 15]);
    }
    return hex;
}

std::string sha256Hex(std::string_view text) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(text.data(), static_cast<unsigned>(text.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string newAccessCode() {
    std::string raw(kCodeLength, '\0');
    fillRandom(raw);
    std::string code;
    for (std::size_t i = 0; i < kCodeLength; ++i) {
        if (i > 0 && i % 4 == 0) code.push_back('-');
        code.push_back(kCrockfordAlphabet[static_cast<unsigned char>(raw[i]) % 32]);  // 256 % 32 == 0: unbiased
    }
    return code;
}

std::string normalizeTypedCode(std::string_view typed, std::size_t length) {
    std::string code;
    for (char c : typed) {
        if (c == ' ' || c == '-') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        if (kCrockfordAlphabet.find(c) == std::string_view::npos) return {};
        code.push_back(c);
        if (code.size() > length) return {};
    }
    return code.size() == length ? code : std::string();
}

std::string normalizeAccessCode(std::string_view typed) { return normalizeTypedCode(typed, kCodeLength); }

}  // namespace mindset::store
