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

/// A plugin file that was not loaded, or one instrument version of it that was not, with the
/// reason (naming expected and actual values).
struct RefusedPlugin {
    std::filesystem::path file;
    std::string reason;       ///< the whole text, problems included, one per indented line
    std::string instrument;   ///< the refused "id@version" (or "definition 2 of 3"); empty when the whole file was refused
    std::vector<std::string> problems;  ///< a definition's problems, "path: reason" each; empty for other refusals

    bool isWholeFile() const { return instrument.empty(); }
};

/// An instrument together with the file it came from.
struct LoadedInstrument {
    const sdk::Instrument* instrument;
    std::filesystem::path file;
    /// What instrument->definition() returned at load time, under loader::guardHook (twice, the
    /// same object), with the host's sub-scores after its scales (loader::withDerivedScales). The host
    /// reads this instead of calling the plugin again: definition() is plugin code, and a throw
    /// from it after loading would escape every boundary.
    const sdk::Definition* definition;
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
    /// The definition of "id@version" as read at load time (LoadedInstrument::definition), or nullptr.
    const sdk::Definition* definitionOf(std::string_view key) const;
    /// All loaded instruments ordered by id@version.
    std::vector<LoadedInstrument> instruments() const;
    /// Refused plugin files and refused instrument versions, in the order they were found.
    const std::vector<RefusedPlugin>& refused() const { return refused_; }
    /// Why the instrument "id@version" was refused, or nullptr when it was not (by itself).
    const RefusedPlugin* refusalOf(std::string_view key) const;

    // Used by PluginLoader.
    void keepLibrary(const boost::dll::shared_library& library) { libraries_.push_back(library); }
    /// `definition` is what the instrument's definition() returned under guardHook at load time;
    /// the registry keeps it with its sub-scores (loader::withDerivedScales).
    void add(std::unique_ptr<sdk::Instrument> instrument, const sdk::Definition& definition, const std::filesystem::path& file);
    void refuse(const std::filesystem::path& file, std::string reason) { refused_.push_back({file, std::move(reason), {}, {}}); }
    /// Records that `file`'s instrument `instrument` was refused; the file's other versions stay.
    void refuseInstrument(const std::filesystem::path& file, std::string instrument, std::string reason,
                          std::vector<std::string> problems = {}) {
        refused_.push_back({file, std::move(reason), std::move(instrument), std::move(problems)});
    }
    /// Removes the loaded instrument `key` alone and records it as refused, as if it had been
    /// refused when its plugin loaded.
    void withdrawInstrument(const std::string& key, std::string reason);
    /// The file that registered `key`, or an empty path.
    std::filesystem::path fileOf(std::string_view key) const;

private:
    struct Entry {
        std::unique_ptr<sdk::Instrument> instrument;
        std::unique_ptr<const sdk::Definition> definition;
        std::filesystem::path file;
    };
    // Libraries are declared before the instruments so that they are destroyed after them:
    // an instrument's destructor lives in its library.
    std::vector<boost::dll::shared_library> libraries_;
    std::map<std::string, Entry, std::less<>> byKey_;
    std::vector<RefusedPlugin> refused_;
};

}  // namespace mindset::loader
