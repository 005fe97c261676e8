#include "report/QrCode.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <qrencode.h>
#include <stdexcept>

namespace mindset::report {

QrCode qrCodeOf(const std::string& text) {
    if (text.empty()) throw std::invalid_argument("a QR code needs some text to carry, got none");
    // 8-bit mode keeps the link exactly as it is (the other modes would upper-case or re-encode it).
    std::unique_ptr<QRcode, decltype(&QRcode_free)> symbol(QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), QRcode_free);
    if (!symbol) {
        const int error = errno;
        throw std::invalid_argument("cannot make a QR code of " + std::to_string(text.size()) + " bytes" +
                                    (error == ERANGE ? std::string(": at most 2331 fit at error correction level M") : ": " + std::string(std::strerror(error))));
    }
    QrCode code;
    code.size = symbol->width;
    code.dark.reserve(static_cast<std::size_t>(code.size) * static_cast<std::size_t>(code.size));
    // libqrencode sets bit 0 of each byte for a dark module; the other bits say what the module is for.
    for (int i = 0; i < code.size * code.size; ++i) code.dark.push_back((symbol->data[i] & 1) != 0);
    return code;
}

}  // namespace mindset::report
