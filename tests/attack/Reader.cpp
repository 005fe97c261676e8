#include "attack/Reader.h"

#include <cstdio>
#include <random>
#include <regex>
#include <stdexcept>

namespace mindset::attack {

using nlohmann::json;

namespace {

std::string fetch(testing::TestSite& site, const std::string& path) {
    const auto reply = site.get(path);
    if (reply.status != 200)
        throw std::runtime_error("GET " + path + " answered " + std::to_string(reply.status) + ", expected 200");
    return reply.body;
}

/// 128 random bits as hex: the exactly-once token a browser's one-page form would carry.
std::string freshToken() {
    static std::mt19937_64 random(20261124);  // deterministic, like everything else in the suite
    std::string token;
    for (int i = 0; i < 2; ++i) {
        char part[17];
        std::snprintf(part, sizeof part, "%016llx", static_cast<unsigned long long>(random()));
        token += part;
    }
    return token;
}

}  // namespace

bool publishFigures(testing::TestSite& site, const std::string& surveyId) {
    // As a leader's "publish an interim release" does: the product audits it against every
    // earlier release and refuses when it would give something away.
    try {
        site.publishRelease(surveyId);
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

Downloads downloadEverything(testing::TestSite& site, const std::string& surveyId) {
    Downloads downloads;
    downloads.surveyId = surveyId;
    downloads.profile = json::parse(fetch(site, "/api/surveys/" + surveyId + "/profile"));
    downloads.participation = json::parse(fetch(site, "/api/surveys/" + surveyId + "/participation"));
    // Row-level responses, when the product offers them to a leader (it no longer does).
    if (const auto exported = site.get("/leader/surveys/" + surveyId + "/export.csv"); exported.status == 200)
        downloads.exportRows = parseCsv(exported.body);
    return downloads;
}

std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool isQuoted = false, isFieldStarted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (isQuoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += text[i++];
            else if (c == '"') isQuoted = false;
            else field += c;
            continue;
        }
        if (c == '"') {
            isQuoted = isFieldStarted = true;
        } else if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
            isFieldStarted = true;
        } else if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            record.push_back(std::move(field));
            field.clear();
            records.push_back(std::move(record));
            record.clear();
            isFieldStarted = false;
        } else {
            field += c;
            isFieldStarted = true;
        }
    }
    if (isFieldStarted || !field.empty()) {
        record.push_back(std::move(field));
        records.push_back(std::move(record));
    }
    return records;
}

void asAnotherBrowser(testing::TestSite& site, const std::function<void()>& visit) {
    auto leaderCookies = site.cookies();
    site.cookies().clear();
    try {
        visit();
    } catch (...) {
        site.cookies() = std::move(leaderCookies);
        throw;
    }
    site.cookies() = std::move(leaderCookies);
}

FormLayout readForm(testing::TestSite& site, const std::string& surveyId) {
    const auto page = fetch(site, "/surveys/" + surveyId + "/all");
    FormLayout layout;
    static const std::regex input(R"re(name="([^"]+)" value="([^"]*)")re");
    for (auto it = std::sregex_iterator(page.begin(), page.end(), input); it != std::sregex_iterator(); ++it) {
        const auto name = (*it)[1].str(), value = (*it)[2].str();
        if (name.rfind("i.", 0) == 0) {
            if (layout.itemFields.empty() || layout.itemFields.back() != name) layout.itemFields.push_back(name);
        } else if (name.rfind("d.", 0) == 0) {
            if (layout.demographicFields.empty() || layout.demographicFields.back().first != name)
                layout.demographicFields.push_back({name, {}});
            layout.demographicFields.back().second.push_back(value);
        }
    }
    return layout;
}

int submitThroughForm(testing::TestSite& site, const std::string& surveyId, const surveys::FormFields& answers,
                      const std::string& forwardedFor) {
    fetch(site, "/surveys/" + surveyId + "/all");  // sets the CSRF cookie, as the page does for a browser
    surveys::FormFields fields{{"csrf", site.cookies().at("mindset_csrf")}, {"submission", freshToken()}, {"lang", "en"}};
    fields.insert(fields.end(), answers.begin(), answers.end());
    std::map<std::string, std::string> headers;
    if (!forwardedFor.empty()) headers["X-Forwarded-For"] = forwardedFor;
    return site.send("POST", "/surveys/" + surveyId + "/responses", testing::encodeForm(fields), "application/x-www-form-urlencoded", headers).status;
}

}  // namespace mindset::attack
