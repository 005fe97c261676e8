#pragma once
/// The one boundary every call into plugin code goes through after loading (scoring,
/// interpretation, any hook): whatever the plugin throws — a std::exception, a string, `throw 42` —
/// is caught here, named (id@version, hook, survey), logged once, and handed back as a value, so
/// that the caller can confine the failure to that instrument's figures on that survey.
///
/// A plugin that crashes the process rather than throwing cannot be caught here; the loader finds
/// it before it is ever used (loader/HookCheck.h).

#include <optional>
#include <string>
#include <utility>

namespace mindset::loader {

/// A plugin hook that failed on a survey.
struct PluginFailure {
    std::string instrumentKey;  ///< "id@version"
    std::string hook;           ///< e.g. "score", "interpret"
    std::string surveyId;       ///< empty for a call at load time
    std::string reason;         ///< what it threw, or which rule its result broke

    /// "instrument x@1.0.0 failed in score() on survey s: std::out_of_range: map::at"
    std::string message() const;
};

/// Where a hook is called: what the failure will be named by.
struct HookCall {
    std::string instrumentKey;
    std::string hook;
    std::string surveyId;
};

/// Records `failure` in the log (logger "mindset.plugins") and returns it.
PluginFailure reportFailure(PluginFailure failure);

/// What the exception in flight is, for a failure's reason: "std::out_of_range: map::at",
/// "an exception of type int (not a std::exception)". Call only inside a catch block.
std::string currentExceptionText();

/// Runs `call` (which calls plugin code). Returns nothing when it returned, else the failure,
/// already logged. Never throws.
template <class Call>
std::optional<PluginFailure> guardHook(const HookCall& where, Call&& call) noexcept {
    try {
        std::forward<Call>(call)();
        return std::nullopt;
    } catch (...) {
        try {
            return reportFailure({where.instrumentKey, where.hook, where.surveyId, currentExceptionText()});
        } catch (...) {  // out of memory while naming it: still confined
            return PluginFailure{};
        }
    }
}

}  // namespace mindset::loader
