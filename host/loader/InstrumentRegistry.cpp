#include "loader/InstrumentRegistry.h"

#include "loader/DerivedScales.h"

namespace mindset::loader {

InstrumentRegistry::~InstrumentRegistry() {
    byKey_.clear();  // instruments first, while their code is still mapped
}

const sdk::Instrument* InstrumentRegistry::find(std::string_view key) const {
    auto it = byKey_.find(key);
    return it == byKey_.end() ? nullptr : it->second.instrument.get();
}

const sdk::Definition* InstrumentRegistry::definitionOf(std::string_view key) const {
    auto it = byKey_.find(key);
    return it == byKey_.end() ? nullptr : it->second.definition.get();
}

std::vector<LoadedInstrument> InstrumentRegistry::instruments() const {
    std::vector<LoadedInstrument> result;
    for (const auto& [key, entry] : byKey_) result.push_back({entry.instrument.get(), entry.file, entry.definition.get()});
    return result;
}

void InstrumentRegistry::add(std::unique_ptr<sdk::Instrument> instrument, const sdk::Definition& definition,
                             const std::filesystem::path& file) {
    byKey_.emplace(definition.key(), Entry{std::move(instrument), std::make_unique<const sdk::Definition>(withDerivedScales(definition)), file});
}

void InstrumentRegistry::withdrawInstrument(const std::string& key, std::string reason) {
    auto it = byKey_.find(key);
    if (it == byKey_.end()) return;
    const auto file = it->second.file;
    byKey_.erase(it);
    refuseInstrument(file, key, std::move(reason));
}

const RefusedPlugin* InstrumentRegistry::refusalOf(std::string_view key) const {
    for (const auto& refused : refused_)
        if (refused.instrument == key) return &refused;
    return nullptr;
}

std::filesystem::path InstrumentRegistry::fileOf(std::string_view key) const {
    auto it = byKey_.find(key);
    return it == byKey_.end() ? std::filesystem::path() : it->second.file;
}

}  // namespace mindset::loader
