#pragma once
/// Finds plugin modules, checks their C descriptor before any C++ object crosses, and registers
/// their instruments. A bad plugin is refused with a message naming the file, the expected and
/// the actual value; the others load as usual.

#include <filesystem>

#include "loader/InstrumentRegistry.h"

namespace mindset::loader {

/// Loads one plugin module into `registry`, or records why it was refused. Never throws for a
/// bad plugin. A plugin's instruments are added all together or not at all.
void loadPluginFile(InstrumentRegistry& registry, const std::filesystem::path& file);

/// Loads every `*.so` in `folder` in name order. A missing folder is recorded as refused.
void loadPluginFolder(InstrumentRegistry& registry, const std::filesystem::path& folder);

}  // namespace mindset::loader
