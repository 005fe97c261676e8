#pragma once
/// The demo network as surveys/demo/plan.json makes it, served by a TestSite: Riverside ISD's three
/// school years with the plan's responses and one release each (2026-27 open, interim), and the five
/// other districts' 2026-27 surveys with 150 responses each (enough to be peers), released.

#include <memory>
#include <string>

#include "support/TestSite.h"

namespace mindset::testing {

/// The password of the accounts demoNetworkSite creates.
inline const std::string kDemoNetworkPassword = "correct horse battery";

/// The demo network with two accounts: "leader" (riverside-isd) and "brazos" (brazos-valley-isd).
std::unique_ptr<TestSite> demoNetworkSite();

}  // namespace mindset::testing
