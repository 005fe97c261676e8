#include "web/Http.h"

#include <cstdint>
#include <istream>
#include <sstream>

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/MediaType.h>
#include <Poco/String.h>

namespace mindset::web {

bool hasBody(const Poco::Net::HTTPServerRequest& raw) {
    // RFC 9112, 6.3: a request with neither Content-Length nor chunked Transfer-Encoding has no
    // body. Poco would read one until the connection closes, and the client waits for its answer.
    return raw.hasContentLength() || raw.getChunkedTransferEncoding();
}

std::string Request::readBody() const {
    if (raw.hasContentLength() && raw.getContentLength64() > static_cast<Poco::Int64>(maxBodyBytes))
        throw HttpError(413, "The request body is " + std::to_string(raw.getContentLength64()) +
                                 " bytes; the limit is " + std::to_string(maxBodyBytes) + " bytes.");
    std::string body;
    if (!hasBody(raw)) return body;
    std::istream& in = raw.stream();
    char buffer[8192];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (body.size() > maxBodyBytes)
            throw HttpError(413, "The request body is larger than the limit of " + std::to_string(maxBodyBytes) + " bytes.");
    }
    return body;
}

std::vector<std::pair<std::string, std::string>> Request::readForm() const {
    const auto contentType = raw.getContentType();
    if (contentType.empty() || !Poco::Net::MediaType(contentType).matches("application", "x-www-form-urlencoded"))
        throw HttpError(415, "Expected a form (application/x-www-form-urlencoded), got '" + contentType + "'.");
    const auto body = readBody();
    Poco::Net::HTMLForm form;
    form.setFieldLimit(2000);
    std::istringstream in(body);
    try {
        form.read(in);
    } catch (const Poco::Exception& e) {
        throw HttpError(400, "The form could not be read: " + e.displayText());
    }
    std::vector<std::pair<std::string, std::string>> fields(form.begin(), form.end());
    for (const auto& [name, value] : fields) {
        if (!isValidUtf8(name)) throw HttpError(400, "A field name in the form is not valid UTF-8 text.");
        if (!isValidUtf8(value)) throw HttpError(400, "The value of field '" + name + "' is not valid UTF-8 text.");
    }
    return fields;
}

std::string Request::cookie(const std::string& name) const {
    // Read in place rather than through getCookies(), which builds a collection of every cookie:
    // this runs on every respondent's request.
    for (const auto& [header, value] : raw)
        if (Poco::icompare(header, "Cookie") == 0)
            if (auto found = cookieValue(value, name)) return std::string(*found);
    return {};
}

std::optional<std::string_view> cookieValue(std::string_view header, std::string_view name) {
    constexpr std::string_view kBlank = " \t";
    auto trimmed = [kBlank](std::string_view text) {
        const auto first = text.find_first_not_of(kBlank);
        if (first == std::string_view::npos) return std::string_view{};
        return text.substr(first, text.find_last_not_of(kBlank) - first + 1);
    };
    while (!header.empty()) {
        const auto end = header.find(';');
        const auto pair = header.substr(0, end);
        header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
        const auto equals = pair.find('=');
        if (equals == std::string_view::npos || trimmed(pair.substr(0, equals)) != name) continue;
        auto value = trimmed(pair.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        return value;
    }
    return std::nullopt;
}

std::string formValue(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& name) {
    for (const auto& [n, v] : fields)
        if (n == name) return v;
    return {};
}

bool isValidUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        std::uint32_t codePoint = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            length = 2;
            codePoint = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3;
            codePoint = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4;
            codePoint = c & 0x07;
        } else {
            return false;
        }
        if (i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            codePoint = (codePoint << 6) | (next & 0x3F);
        }
        static constexpr std::uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (codePoint < kSmallest[length] || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) return false;
        i += length;
    }
    return true;
}

}  // namespace mindset::web
