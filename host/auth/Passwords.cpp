#include "auth/Passwords.h"

#include <mutex>
#include <semaphore>
#include <stdexcept>

#include <sodium.h>

namespace mindset::auth {

namespace {

// INTERACTIVE limits (Argon2id, 2 passes over 64 MiB: roughly 0.05-0.1 s on a server core) are
// libsodium's recommendation for sign-in that a person waits for. SENSITIVE (1 GiB, seconds per
// attempt) would make every sign-in slow and let a few concurrent attempts exhaust the memory of a
// small district server; online guessing is limited by LoginThrottle anyway, and these limits
// still make an offline attack on a stolen database expensive.
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMemLimitBytes = crypto_pwhash_MEMLIMIT_INTERACTIVE;

// Each hash or verification holds 64 MiB while it runs. The server has up to 64 request threads;
// without a cap, a burst of sign-in attempts could ask for 4 GiB at once. Four at a time keeps
// that at 256 MiB; the rest wait their turn (a few tenths of a second).
std::counting_semaphore<4> concurrentHashes{4};

class HashSlot {
public:
    HashSlot() { concurrentHashes.acquire(); }
    ~HashSlot() { concurrentHashes.release(); }
    HashSlot(const HashSlot&) = delete;
    HashSlot& operator=(const HashSlot&) = delete;
};

void initializeSodium() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialized (sodium_init failed)");
    });
}

/// A hash of a random password nobody knows (32 bytes from randombytes_buf, then discarded),
/// made with the limits above. Being a constant, the first unknown username costs no more than
/// later ones; if the limits change, a fresh one is made once at first use instead.
const std::string& dummyHash() {
    static const std::string hash = [] {
        const std::string stored = "$argon2id$v=19$m=65536,t=2,p=1$xFMv/rwWfwzIa+xFxlBM5Q$hwlEgLac+ReixI/mZPCeYtkBjpk29blz8rg1TruoHlk";
        initializeSodium();
        if (crypto_pwhash_str_needs_rehash(stored.c_str(), kOpsLimit, kMemLimitBytes) == 0) return stored;
        char randomPassword[32];
        randombytes_buf(randomPassword, sizeof randomPassword);
        return hashPassword(std::string_view(randomPassword, sizeof randomPassword));
    }();
    return hash;
}

}  // namespace

std::size_t characterCount(std::string_view text) {
    std::size_t count = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++count;  // continuation bytes belong to the character before
    return count;
}

std::string hashPassword(std::string_view password) {
    initializeSodium();
    char hash[crypto_pwhash_STRBYTES];
    HashSlot slot;
    if (crypto_pwhash_str_alg(hash, password.data(), password.size(), kOpsLimit, kMemLimitBytes,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        throw std::runtime_error("hashing a password failed: Argon2id needs " + std::to_string(kMemLimitBytes >> 20) +
                                 " MiB of memory, which the system did not give");
    return hash;
}

bool verifyPassword(std::string_view password, const std::string& hash) {
    initializeSodium();
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    HashSlot slot;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void verifyAgainstDummy(std::string_view password) { verifyPassword(password, dummyHash()); }

}  // namespace mindset::auth
