#pragma once
/// `mindset instrument check FILE`: what is wrong with an instrument before staff ever see it.

#include <filesystem>
#include <ostream>
#include <string>

namespace mindset::cli {

/// Checks a built plugin module (loaded exactly as `serve` loads it: descriptor, every definition
/// it exports, the crash check of its hooks) or a definition JSON file. Prints one line per
/// problem, "FILE: id@version: $.items['q3'].text: reason", so that build tools and editors can
/// point at it, then one line per version that passes and a summary. Returns whether every
/// version passed (and the module loaded at all).
bool checkInstrument(std::ostream& out, const std::filesystem::path& file);

/// The whole text of a file a researcher names (a definition, a model); std::runtime_error
/// "cannot read FILE" when it cannot be read.
std::string readTextFile(const std::filesystem::path& file);

}  // namespace mindset::cli
