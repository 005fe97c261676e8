#include "web/LeaderFrame.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "web/Templates.h"

namespace mindset::web {

using nlohmann::json;

namespace {

/// "2024-2025" as "2024–25", as the other results pages write a school year.
std::string shortYear(const std::string& schoolYear) {
    if (schoolYear.size() == 9 && schoolYear[4] == '-') return schoolYear.substr(0, 4) + "\u2013" + schoolYear.substr(7, 2);
    return schoolYear;
}

}  // namespace

std::string scaleKey(const std::string& instrumentId, const std::string& scaleId) { return instrumentId + "." + scaleId; }

std::string fragmentId(std::string text) {
    for (auto& c : text)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '-';
    return text;
}

std::string leaderHomeHref(const std::string& language) { return "/leader?lang=" + language; }

void addLeaderFrame(json& view, const Site& site, const std::string& districtSlug, const std::string& currentPath, const std::string& query,
                    const std::string& language) {
    const auto& t = messages(language);
    std::vector<const surveys::SurveyDefinition*> surveys;
    for (const auto& survey : site.catalog.surveys)
        if (survey.districtId == districtSlug) surveys.push_back(&survey);
    std::stable_sort(surveys.begin(), surveys.end(), [](const auto* a, const auto* b) { return a->schoolYear < b->schoolYear; });

    const auto district = "/leader/districts/" + districtSlug;
    json links = json::array();
    auto add = [&](const std::string& label, const std::string& path) {
        links.push_back({{"label", label}, {"href", path + "?lang=" + language}, {"isCurrent", path == currentPath}, {"isGroup", false}});
    };
    add(t["navSummary"], district + "/summary");
    add(t["navYears"], district);
    // The profiles share one item: "Profile: 2024–25 2025–26 ..." (each link is named "Profile 2024–25"
    // for a screen reader), which keeps the whole navigation on one row of a laptop screen.
    json profiles = json::array();
    for (const auto* survey : surveys) {
        const auto path = "/leader/surveys/" + survey->id;
        profiles.push_back({{"year", shortYear(survey->schoolYear)}, {"href", path + "?lang=" + language}, {"isCurrent", path == currentPath}});
    }
    if (!profiles.empty()) links.push_back({{"label", t["navProfile"]}, {"profiles", profiles}, {"isGroup", true}});
    // Participation of the survey still open, if one is; else of the latest year.
    const surveys::SurveyDefinition* followed = surveys.empty() ? nullptr : surveys.back();
    for (const auto* survey : surveys)
        if (survey->isOpenOn(site.today())) followed = survey;
    if (followed) add(t["navParticipation"], "/leader/surveys/" + followed->id + "/participation");
    add(t["goalsTitle"], district + "/goals");
    add(t["navPeers"], district + "/peers");

    // The page being read, named in the phone's collapsed menu ("Results pages: Summary").
    std::string current;
    for (const auto& link : links) {
        if (link["isGroup"].get<bool>()) {
            for (const auto& profile : link["profiles"])
                if (profile["isCurrent"].get<bool>()) current = link["label"].get<std::string>() + " " + profile["year"].get<std::string>();
        } else if (link["isCurrent"].get<bool>()) {
            current = link["label"].get<std::string>();
        }
    }
    view["homeHref"] = leaderHomeHref(language);
    view["resultsNav"] = {{"label", fillMessage(t["navLabel"], {{"district", surveys.empty() ? districtSlug : surveys.front()->districtName}})},
                          {"menu", t["navMenu"]},
                          {"current", current},
                          {"links", links}};
    view["languageLinks"] = languageLinks(language, query.empty() ? currentPath : currentPath + "?" + query);
}

}  // namespace mindset::web
