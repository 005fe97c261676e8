#pragma once
/// The double-submit CSRF token every POST form carries: the same random value in the
/// `mindset_csrf` cookie (HttpOnly, SameSite=Strict, Path=/) and in the form's `csrf` field.
/// The survey pages use the same cookie; any handler with a POST form can use these helpers.

#include <string>

#include "web/Http.h"

namespace mindset::web {

inline constexpr const char* kCsrfCookie = "mindset_csrf";

struct CsrfToken {
    std::string value;   ///< 32 hex digits, for the form's hidden `csrf` field
    bool isNew = false;  ///< made for this request: the browser does not hold it yet
};

/// The request's CSRF token, or a new one when its cookie is missing or malformed.
CsrfToken csrfToken(const Request& request);

/// True when the form's `sent` value matches a token the browser already held (compared in
/// constant time). A new token never matches: the form could not have carried it.
bool isCsrfValid(const CsrfToken& token, const std::string& sent);

/// Sets the CSRF cookie on `response` when `token` is new (with Secure when isSecureRequest).
Response& keepCsrfToken(Response& response, const CsrfToken& token, const Request& request);

/// True when the request came over TLS, or through a trusted proxy that says so
/// (`X-Forwarded-Proto: https`, see web/ClientOrigin.h). Cookies set in answer to it get the
/// Secure attribute (the boundary adds it to any cookie that lacks it).
bool isSecureRequest(const Request& request);

}  // namespace mindset::web
