#pragma once
/// Checks an instrument version's declaration that some of its scales compare with an earlier
/// version (sdk::Comparability) against that earlier version's definition. sdk::validate checks
/// what a definition can tell alone; this checks what needs both versions.

#include <string>
#include <vector>

#include <mindset/sdk.h>

namespace mindset::loader {

/// Why what `later` declares comparable with `earlier` (same instrument id) does not hold, one
/// line per problem naming the scale, the expected and the actual value; empty when it holds or
/// when `later` declares nothing about `earlier`'s version. Both definitions must pass
/// sdk::validate. Holding means, for every listed scale: `earlier` has a scale of that id with
/// the same favorableAtLeast; every mapped-to item exists there and belongs to that scale; the
/// mapping covers the earlier scale's items one to one; mapped items agree on reverse keying;
/// and the two versions have the same response codes.
std::vector<std::string> comparabilityProblems(const sdk::Definition& later, const sdk::Definition& earlier);

}  // namespace mindset::loader
