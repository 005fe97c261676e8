#pragma once
/// Finds plugin modules, checks their C descriptor before any C++ object crosses, and registers
/// their instruments. A bad plugin is refused with a message naming the file, the expected and
/// the actual value; the others load as usual.

#include <filesystem>

#include "loader/InstrumentRegistry.h"

namespace mindset::loader {

/// Loads one plugin module into `registry`, or records why it was refused. Never throws for a
/// bad plugin. A fault of the module (not loadable, wrong ABI, registration threw, a hook crashes)
/// refuses all its instruments; a fault of one instrument version (its definition is invalid or
/// throws, its id@version is taken, its declared comparability does not hold) refuses that version
/// alone, and the plugin's other versions load.
void loadPluginFile(InstrumentRegistry& registry, const std::filesystem::path& file);

/// Loads every `*.so` in `folder` in name order. A missing folder is recorded as refused.
void loadPluginFolder(InstrumentRegistry& registry, const std::filesystem::path& folder);

}  // namespace mindset::loader
