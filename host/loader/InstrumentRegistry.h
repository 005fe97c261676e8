#pragma once
/// Every loaded instrument by id@version, the plugin files that were refused and why, and the
/// plugin libraries themselves, which stay loaded until the registry is destroyed at exit.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/dll/shared_library.hpp>
#include <mindset/sdk.h>

namespace mindset::loader {

/// A plugin file that was not loaded, with the reason (naming expected and actual values).
struct RefusedPlugin {
    std::filesystem::path file;
    std::string reason;
};

/// An instrument together with the file it came from.
struct LoadedInstrument {
    const sdk::Instrument* instrument;
    std::filesystem::path file;
};

/// Load once at start-up, then read from any thread: lookups never change the registry.
class InstrumentRegistry {
public:
    InstrumentRegistry() = default;
    InstrumentRegistry(const InstrumentRegistry&) = delete;
    InstrumentRegistry& operator=(const InstrumentRegistry&) = delete;
    ~InstrumentRegistry();

    /// The instrument for "id@version", or nullptr.
    const sdk::Instrument* find(std::string_view key) const;
    /// All loaded instruments ordered by id@version.
    std::vector<LoadedInstrument> instruments() const;
    const std::vector<RefusedPlugin>& refused() const { return refused_; }

    // Used by PluginLoader.
    void keepLibrary(const boost::dll::shared_library& library) { libraries_.push_back(library); }
    void add(std::unique_ptr<sdk::Instrument> instrument, const std::filesystem::path& file);
    void refuse(const std::filesystem::path& file, std::string reason) { refused_.push_back({file, std::move(reason)}); }
    /// Removes every instrument `file` registered and records it as refused: a plugin found wrong
    /// only once a later plugin is loaded is refused as a whole, as if it had been at its turn.
    void withdraw(const std::filesystem::path& file, std::string reason);
    /// The file that registered `key`, or an empty path.
    std::filesystem::path fileOf(std::string_view key) const;

private:
    struct Entry {
        std::unique_ptr<sdk::Instrument> instrument;
        std::filesystem::path file;
    };
    // Libraries are declared before the instruments so that they are destroyed after them:
    // an instrument's destructor lives in its library.
    std::vector<boost::dll::shared_library> libraries_;
    std::map<std::string, Entry, std::less<>> byKey_;
    std::vector<RefusedPlugin> refused_;
};

}  // namespace mindset::loader
