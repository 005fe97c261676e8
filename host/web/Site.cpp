#include "web/Site.h"

#include <cstdio>
#include <ctime>

namespace mindset::web {

std::chrono::year_month_day localToday() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return std::chrono::year_month_day{std::chrono::year(local.tm_year + 1900), std::chrono::month(local.tm_mon + 1),
                                       std::chrono::day(local.tm_mday)};
}

std::string formatDate(std::chrono::year_month_day day) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                  static_cast<unsigned>(day.day()));
    return text;
}

}  // namespace mindset::web
