#include "loader/PluginLoader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <set>
#include <typeinfo>

#include <boost/dll/shared_library.hpp>

#include "loader/HookCheck.h"
#include "loader/PluginCalls.h"
#include "loader/VersionMapping.h"

namespace mindset::loader {

namespace {

constexpr const char* kDescribeSymbol = "mindset_plugin_describe";
constexpr const char* kRegisterSymbol = "mindset_plugin_register";

/// An instrument version the plugin itself reported it could not make (Registrar::refuseInstrument).
struct ReportedRefusal {
    std::string instrument;
    std::vector<std::string> problems;
};

/// Collects what a plugin registers, so that nothing is added if the plugin as a whole is refused.
class CollectingRegistrar final : public sdk::Registrar {
public:
    void addInstrument(std::unique_ptr<sdk::Instrument> instrument) override {
        if (instrument) instruments.push_back(std::move(instrument));
    }
    void refuseInstrument(const std::string& instrument, const std::vector<std::string>& problems) override {
        refusals.push_back({instrument, problems});
    }
    std::vector<std::unique_ptr<sdk::Instrument>> instruments;
    std::vector<ReportedRefusal> refusals;
};

/// The first custom figure ("'top-share' of scale 'beliefs'") of an instrument that cannot give it:
/// a JsonInstrument scores by the SDK's default, which gives no figures. Empty when there is none.
std::string figureWithoutScoring(const sdk::Instrument& instrument, const sdk::Definition& definition) {
    if (typeid(instrument) != typeid(sdk::JsonInstrument)) return {};
    for (const auto& scale : definition.scales)
        if (!scale.figures.empty()) return "'" + scale.figures.front().id + "' of scale '" + scale.id + "'";
    return {};
}

/// "instrument 'x@1.1.0' has an invalid definition:" and one indented line per problem.
std::string invalidDefinitionReason(const std::string& instrument, const std::vector<std::string>& problems) {
    std::string reason = "instrument '" + instrument + "' has an invalid definition:";
    for (const auto& p : problems) reason += "\n    " + p;
    return reason;
}

/// The dynamic loader's own words (e.g. "invalid ELF header") from Boost.DLL's longer message,
/// which repeats the path and ends with an unrelated errno text.
std::string dlopenReason(const std::string& boostMessage, const std::string& file) {
    const std::string marker = "dlerror system message: ";
    const auto start = boostMessage.find(marker);
    if (start == std::string::npos) return boostMessage;
    auto reason = boostMessage.substr(start + marker.size());
    reason = reason.substr(0, reason.rfind("): "));
    if (reason.rfind(file + ": ", 0) == 0) reason = reason.substr(file.size() + 2);  // the file is named already
    return reason;
}

/// The refusal of `later` for declaring scales comparable with `earlier` (from `earlierFile`) that
/// are not, or empty when its declaration holds.
std::string comparabilityRefusal(const sdk::Definition& later, const sdk::Definition& earlier,
                                 const std::filesystem::path& earlierFile) {
    const auto problems = comparabilityProblems(later, earlier);
    if (problems.empty()) return {};
    std::string reason = "instrument '" + later.key() + "' declares scales comparable with " + earlier.key() + " (from " +
                         earlierFile.string() + ") that are not:";
    for (const auto& p : problems) reason += "\n    " + p;
    return reason;
}

std::string quoted(const char* text) { return text ? "'" + std::string(text) + "'" : "(null)"; }

/// Why this descriptor cannot be used by this host, or empty when it can.
std::string descriptorMismatch(const mindset_plugin_descriptor& plugin) {
    const auto host = sdk::currentDescriptor();
    if (plugin.abi_version != host.abi_version)
        return "built for plugin ABI version " + std::to_string(plugin.abi_version) + ", this host expects ABI version " +
               std::to_string(host.abi_version) + " (SDK " + host.sdk_version + "); rebuild it against this SDK";
    if (!plugin.compiler_id || std::strcmp(plugin.compiler_id, host.compiler_id) != 0)
        return "built with compiler " + quoted(plugin.compiler_id) + ", this host expects " + quoted(host.compiler_id);
    if (!plugin.stdlib_id || std::strcmp(plugin.stdlib_id, host.stdlib_id) != 0)
        return "built with C++ standard library " + quoted(plugin.stdlib_id) + ", this host expects " + quoted(host.stdlib_id);
    return {};
}

}  // namespace

void loadPluginFile(InstrumentRegistry& registry, const std::filesystem::path& file) {
    boost::dll::shared_library library;
    try {
        library.load(boost::dll::fs::path(file.string()), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        return registry.refuse(file, "not a loadable plugin module (" + dlopenReason(e.what(), file.string()) + ")");
    }
    // From here on the library stays loaded until exit, refused or not: code it ran may still be
    // referenced (e.g. by an exception in flight), and unloading buys nothing at start-up.
    registry.keepLibrary(library);
    if (!library.has(kDescribeSymbol))
        return registry.refuse(file, std::string("missing entry point ") + kDescribeSymbol +
                                         " (expected every plugin to declare itself with MINDSET_PLUGIN)");
    const auto* descriptor = library.get<sdk::DescribeFunction>(kDescribeSymbol)();
    if (!descriptor) return registry.refuse(file, std::string(kDescribeSymbol) + " returned no descriptor");
    if (auto mismatch = descriptorMismatch(*descriptor); !mismatch.empty()) return registry.refuse(file, mismatch);
    if (!library.has(kRegisterSymbol))
        return registry.refuse(file, std::string("missing entry point ") + kRegisterSymbol +
                                         " (expected every plugin to declare itself with MINDSET_PLUGIN)");

    CollectingRegistrar registrar;
    std::array<char, 1024> error{};
    int status = 1;
    try {
        status = library.get<sdk::RegisterFunction>(kRegisterSymbol)(&registrar, error.data(), error.size());
    } catch (const std::exception& e) {  // a plugin that bypassed MINDSET_PLUGIN and let an exception out
        std::strncpy(error.data(), e.what(), error.size() - 1);
    } catch (...) {
        std::strncpy(error.data(), "unknown exception", error.size() - 1);
    }
    auto refuse = [&](std::string reason) {
        registrar.instruments.clear();  // the library stays loaded, so their destructors still exist
        registry.refuse(file, std::move(reason));
    };
    if (status != 0) return refuse(std::string("registration failed: ") + error.data());
    if (registrar.instruments.empty() && registrar.refusals.empty()) return refuse("registered no instrument (expected at least one)");

    // From here on a mistake in one instrument version refuses that version alone: a researcher
    // who breaks 1.1.0 must not take 1.0.0, and the surveys that pin it, down with it.
    for (auto& reported : registrar.refusals)
        registry.refuseInstrument(file, reported.instrument, invalidDefinitionReason(reported.instrument, reported.problems),
                                  reported.problems);
    // Each accepted instrument with the definition it returned under the guard: the only time the
    // host calls definition(); from here on it reads this pointer.
    struct Accepted {
        std::unique_ptr<sdk::Instrument> instrument;
        const sdk::Definition* definition;
    };
    std::vector<Accepted> accepted;
    std::set<std::string> keysInThisPlugin;
    const auto count = registrar.instruments.size();
    for (std::size_t i = 0; i < count; ++i) {
        auto& instrument = registrar.instruments[i];
        // definition() is plugin code like any hook: guarded, and asked twice, because the host
        // keeps the reference it returns for the instrument's whole life.
        const auto position = "#" + std::to_string(i + 1) + " of " + std::to_string(count);
        const sdk::Definition* definition = nullptr;
        const sdk::Definition* again = nullptr;
        if (auto failure = guardHook({position, "definition", ""}, [&] {
                definition = &instrument->definition();
                again = &instrument->definition();
            })) {
            registry.refuseInstrument(file, "instrument " + position, failure->message());
            continue;
        }
        const auto key = definition->key();
        if (definition != again) {
            registry.refuseInstrument(file, key, "instrument '" + key +
                                                     "': definition() returned a different object on a second call (expected the "
                                                     "same Definition for the instrument's whole life)");
            continue;
        }
        if (auto problems = sdk::validate(*definition); !problems.empty()) {
            registry.refuseInstrument(file, key, invalidDefinitionReason(key, problems), problems);
            continue;
        }
        if (auto figure = figureWithoutScoring(*instrument, *definition); !figure.empty()) {
            registry.refuseInstrument(file, key, "instrument '" + key + "' declares custom figure " + figure +
                                                     " but scores by the SDK's default, which gives none: give it a score() of its own "
                                                     "that fills ScaleScore::figures (docs/writing-an-instrument.md, \"Custom figures\")");
            continue;
        }
        if (auto other = registry.fileOf(key); !other.empty()) {
            registry.refuseInstrument(file, key, "duplicate instrument " + key + ": already loaded from " + other.string());
            continue;
        }
        if (!keysInThisPlugin.insert(key).second) {
            registry.refuseInstrument(file, key, "registers instrument " + key + " twice");
            continue;
        }
        accepted.push_back({std::move(instrument), definition});
    }
    registrar.instruments.clear();

    // A hook that crashes the process would take the server down with it on the first page that
    // needs a profile, and again after every restart: found here, in a child process, instead.
    // The whole plugin goes: its code is shared by every version it registers.
    for (const auto& instrument : accepted)
        if (auto crash = crashInHooks(*instrument.instrument); !crash.empty()) {
            auto reason = "instrument '" + instrument.definition->key() + "' " + crash;
            accepted.clear();
            return registry.refuse(file, std::move(reason));
        }

    // Declared comparability is checked as soon as both versions are loaded, whichever file
    // came first; the version that declares it is the one refused.
    auto fromThisPlugin = [&](const std::string& key) -> const sdk::Definition* {
        for (const auto& instrument : accepted)
            if (instrument.definition->key() == key) return instrument.definition;
        return nullptr;
    };
    std::set<std::string> incomparable;
    for (const auto& instrument : accepted) {
        const auto& later = *instrument.definition;
        for (const auto& declared : later.comparableWith) {
            const auto earlierKey = later.id + "@" + declared.version;
            std::string reason;
            if (const auto* earlier = fromThisPlugin(earlierKey)) {
                reason = comparabilityRefusal(later, *earlier, file);
            } else if (const auto* loaded = registry.definitionOf(earlierKey)) {
                reason = comparabilityRefusal(later, *loaded, registry.fileOf(earlierKey));
            }
            if (reason.empty()) continue;
            registry.refuseInstrument(file, later.key(), std::move(reason));
            incomparable.insert(later.key());
            break;
        }
    }
    std::erase_if(accepted, [&](const auto& instrument) { return incomparable.count(instrument.definition->key()) > 0; });
    std::map<std::string, std::string> toWithdraw;  // first found, before any instrument goes away
    for (const auto& instrument : accepted) {
        for (const auto& loaded : registry.instruments()) {
            if (auto reason = comparabilityRefusal(*loaded.definition, *instrument.definition, file); !reason.empty())
                toWithdraw.emplace(loaded.definition->key(), std::move(reason));
        }
    }
    for (auto& [laterKey, reason] : toWithdraw) registry.withdrawInstrument(laterKey, std::move(reason));
    for (auto& instrument : accepted) registry.add(std::move(instrument.instrument), *instrument.definition, file);
}

void loadPluginFolder(InstrumentRegistry& registry, const std::filesystem::path& folder) {
    std::error_code error;
    if (!std::filesystem::is_directory(folder, error))
        return registry.refuse(folder, "plugin folder does not exist or is not a folder");
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(folder, error), end; !error && it != end; it.increment(error))
        if (it->is_regular_file() && it->path().extension() == ".so") files.push_back(it->path());
    if (error) return registry.refuse(folder, "cannot read the plugin folder: " + error.message());
    std::sort(files.begin(), files.end());
    for (const auto& file : files) loadPluginFile(registry, file);
}

}  // namespace mindset::loader
