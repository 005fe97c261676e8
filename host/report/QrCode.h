#pragma once
/// A QR code's matrix of modules, made with libqrencode (Debian: libqrencode-dev), for whoever draws
/// it (report/CodeSlips draws it with cairo as filled squares). No drawing here.

#include <string>
#include <vector>

namespace mindset::report {

/// The modules of one QR code symbol, row by row, without the quiet zone around it (whoever draws
/// it leaves kQrQuietZone white modules on every side, as the standard asks).
struct QrCode {
    int size = 0;             ///< modules across (and down): 21 for version 1, 4 more per version
    std::vector<bool> dark;   ///< size × size, row by row
    bool isDark(int x, int y) const { return dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) + static_cast<std::size_t>(x)]; }
};

/// White modules a reader needs around the symbol.
constexpr int kQrQuietZone = 4;

/// `text` (bytes as they are, case kept) in the smallest symbol that holds it at error correction
/// level M (about 15% of the symbol may be smudged or torn). Throws std::invalid_argument naming the
/// length when the text is empty or too long for any QR code.
QrCode qrCodeOf(const std::string& text);

}  // namespace mindset::report
