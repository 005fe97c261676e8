#pragma once
/// Published releases kept between requests, with their rebuilt profiles, by survey and release
/// number. A release never changes once published, so an entry never goes stale. Thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "releases/Releases.h"

namespace mindset::web {

class ProfileCache {
public:
    /// Release `number` of `surveyId`; `build()` reads it when it is not kept yet.
    std::shared_ptr<const releases::Release> get(const std::string& surveyId, std::uint32_t number,
                                                 const std::function<releases::Release()>& build) {
        const auto key = std::make_pair(surveyId, number);
        {
            std::lock_guard lock(mutex_);
            if (auto it = byRelease_.find(key); it != byRelease_.end()) return it->second;
        }
        auto release = std::make_shared<const releases::Release>(build());  // outside the lock: may take a second
        std::lock_guard lock(mutex_);
        return byRelease_.try_emplace(key, std::move(release)).first->second;
    }

private:
    std::mutex mutex_;
    std::map<std::pair<std::string, std::uint32_t>, std::shared_ptr<const releases::Release>> byRelease_;
};

}  // namespace mindset::web
