#pragma once
/// Masks what would let a reader reach the writer of a comment, or someone named in it: e-mail
/// addresses, telephone numbers and web addresses, in the forms people write them in English and
/// Spanish. Comments are shown to leaders word for word (docs/privacy.md, R10); these are the parts
/// that are never shown.

#include <string>
#include <string_view>

namespace mindset::surveys {

/// What replaces each kind of contact detail: the same in every language (the leader's page says
/// what the marks mean).
inline constexpr std::string_view kMaskedEmail = "[email]";
inline constexpr std::string_view kMaskedPhone = "[phone]";
inline constexpr std::string_view kMaskedWeb = "[web]";

/// `text` (UTF-8) with every e-mail address ("ana.ruiz@example.org", "ana arroba example punto
/// com", "ana (at) example (dot) org"), web address ("https://...", "www.example.mx",
/// "example.com/page") and telephone number ("(512) 555-0134", "512.555.0134", "+1 512 555 0134",
/// "+52 55 1234 5678", "612 34 56 78": 7 to 15 digits with the usual separators) replaced by
/// kMaskedEmail, kMaskedWeb and kMaskedPhone. School years and dates ("2024-2025", "2025-03-01")
/// and ordinary numbers are kept.
std::string maskContacts(std::string_view text);

}  // namespace mindset::surveys
