#include "web/Http.h"

#include <istream>
#include <sstream>

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/MediaType.h>

namespace mindset::web {

std::string Request::readBody() const {
    if (raw.hasContentLength() && raw.getContentLength64() > static_cast<Poco::Int64>(maxBodyBytes))
        throw HttpError(413, "The request body is " + std::to_string(raw.getContentLength64()) +
                                 " bytes; the limit is " + std::to_string(maxBodyBytes) + " bytes.");
    std::string body;
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
    return {form.begin(), form.end()};
}

}  // namespace mindset::web
