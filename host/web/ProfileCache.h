#pragma once
/// Profiles kept between requests: a profile is rebuilt only when its survey has a different
/// number of responses than when it was built. Thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "analytics/Profile.h"

namespace mindset::web {

class ProfileCache {
public:
    /// The profile of `surveyId` for `responseCount` responses; `build()` makes it when needed.
    std::shared_ptr<const analytics::Profile> get(const std::string& surveyId, std::int64_t responseCount,
                                                  const std::function<analytics::Profile()>& build) {
        {
            std::lock_guard lock(mutex_);
            if (auto it = bySurvey_.find(surveyId); it != bySurvey_.end() && it->second.first == responseCount) return it->second.second;
        }
        auto profile = std::make_shared<const analytics::Profile>(build());  // outside the lock: may take a second
        std::lock_guard lock(mutex_);
        bySurvey_[surveyId] = {responseCount, profile};
        return profile;
    }

private:
    std::mutex mutex_;
    std::map<std::string, std::pair<std::int64_t, std::shared_ptr<const analytics::Profile>>> bySurvey_;
};

}  // namespace mindset::web
