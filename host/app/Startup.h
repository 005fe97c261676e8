#pragma once
/// The start-up steps shared by every subcommand: plugins, then surveys, then the store.
/// Each step reports what it refused and goes on with the rest.

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analytics/Profile.h"
#include "auth/OidcProvider.h"
#include "loader/InstrumentRegistry.h"
#include "store/Store.h"
#include "surveys/SurveyCatalog.h"

namespace mindset::app {

/// The plugin folders to load: the built-in one beside the executable, then `extraFolders`.
void loadPlugins(loader::InstrumentRegistry& registry, const std::filesystem::path& builtinFolder,
                 const std::vector<std::filesystem::path>& extraFolders);

/// The stored responses of a saved survey, read once per call (for analytics::buildProfile).
analytics::ResponseSource storedResponses(store::Store& store, const surveys::SurveyDefinition& survey);

/// Moves to catalog.invalid, changing nothing stored, every survey whose file breaks a promise made
/// to the respondents whose responses are stored (surveys/Promises.h): one entry per broken promise,
/// naming the file, the field, the stored and the new value, and what to do instead. `serve` and
/// every command that saves surveys call it through saveSurveys; `mindset surveys` calls it alone,
/// so both say the same.
void refuseBrokenPromises(surveys::SurveyCatalog& catalog, store::Store& store);

/// Saves every survey of `catalog` in `store` and records its store id, after
/// refuseBrokenPromises. A survey the store refuses (its questions changed after responses were
/// stored) moves to catalog.invalid.
void saveSurveys(surveys::SurveyCatalog& catalog, store::Store& store);

/// Every known district with its schools: those of the loaded survey files and of the surveys stored.
std::map<std::string, std::set<std::string>> knownDistricts(const surveys::SurveyCatalog& catalog, store::Store& store);

/// The single sign-on provider of `serve --oidc FILE`: the file read (auth::readOidcConfig) and
/// every rule's district and school checked against `districts` as `users add` checks them. Throws
/// auth::OidcConfigError naming the file, the rule and the reason.
std::shared_ptr<auth::OidcProvider> loadSingleSignOn(const std::filesystem::path& file,
                                                     const std::map<std::string, std::set<std::string>>& districts);

}  // namespace mindset::app
