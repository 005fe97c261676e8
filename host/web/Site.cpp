#include "web/Site.h"

#include <ctime>

namespace mindset::web {

std::chrono::year_month_day localToday() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    return std::chrono::year_month_day{std::chrono::year(local.tm_year + 1900), std::chrono::month(local.tm_mon + 1),
                                       std::chrono::day(local.tm_mday)};
}

}  // namespace mindset::web
