#pragma once
/// Finds, at load time, an instrument whose hooks crash the process (a segmentation fault, an
/// abort, an endless loop) rather than throw: its hooks are exercised on synthetic responses in a
/// forked child process, so a crash there costs the child only. Without this, a plugin that
/// crashes while scoring would kill the server whenever a page needs a profile, and again after
/// every restart: a crash loop. Exceptions are not this check's business: loader/PluginCalls.h
/// confines them at run time.

#include <chrono>
#include <string>
#include <vector>

#include <mindset/sdk.h>

namespace mindset::loader {

/// How long the child may take before it is killed and the instrument refused.
inline constexpr std::chrono::milliseconds kHookCheckTimeout{10000};

/// Synthetic answers for `definition`, the same on every run: every item at each code, nothing
/// answered, alternating lowest and highest, and 32 fixed pseudo-random mixes with gaps.
std::vector<sdk::ItemAnswers> syntheticAnswers(const sdk::Definition& definition);

/// Calls `instrument`'s hooks (score on synthetic responses: every item at each code, none
/// answered, alternating ends, a fixed pseudo-random mix with gaps; interpret for every scale,
/// both standings, at the ends and the middle of the range, in English and Spanish) in a forked
/// child. Returns why the instrument must be refused ("crashed with signal SIGSEGV (Segmentation
/// fault) in score()"), or an empty string when the child finished. Call before the instrument is
/// used and while the process has no other thread that matters (the child runs plugin code only).
std::string crashInHooks(const sdk::Instrument& instrument, std::chrono::milliseconds timeout = kHookCheckTimeout);

}  // namespace mindset::loader
