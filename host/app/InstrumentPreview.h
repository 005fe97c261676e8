#pragma once
/// `mindset instrument preview PLUGIN.so`: the respondent's pages of every instrument version a
/// built plugin exports, written to files a researcher opens in a browser before any staff see them.

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace mindset::app {

/// Loads the plugin as `serve` would, puts each instrument version it exports alone in a survey
/// made for the preview (one unit, open today, every language the instrument offers), serves it on
/// a private port and saves, per language, the survey's landing page, the instrument's own page of
/// the form and the one-page form, under `outFolder`/ID@VERSION/, with the style sheet beside them.
/// Prints each file written; throws std::runtime_error naming the plugin when it is refused or
/// exports nothing, or the folder cannot be written. Returns the files written.
std::vector<std::filesystem::path> previewInstrument(std::ostream& out, const std::filesystem::path& plugin,
                                                     const std::filesystem::path& outFolder);

}  // namespace mindset::app
