#pragma once
/// `mindset instrument new NAME`: a ready-to-build instrument project for a researcher to start from.

#include <filesystem>
#include <ostream>
#include <string>

namespace mindset::cli {

/// Writes folder `parent`/`name`: CMakeLists.txt (find_package(MindsetSDK), mindset_add_instrument),
/// definition.json (instrument `name` 1.0.0, a 4-point implementation scale and two scales, every
/// text in English and Spanish, interpretation texts), plugin.cpp and README.md. It builds as it is
/// against the installed SDK. Throws std::invalid_argument when `name` is not an instrument id, and
/// std::runtime_error when the folder exists (nothing is overwritten) or cannot be written.
/// Prints what it wrote and the commands to build and check it.
void writeInstrumentTemplate(std::ostream& out, const std::string& name, const std::filesystem::path& parent);

}  // namespace mindset::cli
