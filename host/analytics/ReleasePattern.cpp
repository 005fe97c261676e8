#include "analytics/ReleasePattern.h"

namespace mindset::analytics {

bool isTableWithheld(const nlohmann::json& pattern, const std::string& question) {
    if (pattern.value("everyBreakdownHidden", false)) return true;
    for (const auto& table : pattern.value("withheldTables", nlohmann::json::array()))
        if (table == question) return true;
    return false;
}

bool isHiddenByRelease(const nlohmann::json& pattern, const std::string& question, const std::string& category) {
    if (isTableWithheld(pattern, question)) return true;
    const auto group = question + "=" + category;
    for (const auto& hidden : pattern.value("hiddenGroups", nlohmann::json::array()))
        if (hidden == group) return true;
    return false;
}

}  // namespace mindset::analytics
