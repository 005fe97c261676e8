#pragma once
/// The `mindset` program: options, subcommands and the order things start and stop in.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <Poco/Util/ServerApplication.h>

#include "loader/InstrumentRegistry.h"
#include "report/PdfOutput.h"
#include "store/Store.h"
#include "surveys/SurveyCatalog.h"

namespace mindset::releases {
struct Release;
}

namespace mindset::app {

class MindsetApp final : public Poco::Util::ServerApplication {
protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    int main(const std::vector<std::string>& args) override;

private:
    /// What the commands that read or write survey data start with: the plugins, the store (with
    /// migrations applied) and the surveys, saved in the store. The registry outlives the rest.
    struct Workspace {
        loader::InstrumentRegistry registry;
        std::unique_ptr<store::Store> store;
        surveys::SurveyCatalog catalog;
    };
    std::unique_ptr<Workspace> openWorkspace();
    /// Reports that `surveyId` is not a valid survey (and which files are invalid); the exit code.
    int noSuchSurvey(const Workspace& workspace, const std::string& surveyId) const;

    void handleHelp(const std::string& name, const std::string& value);
    void handlePort(const std::string& name, const std::string& value);
    /// `serve --config FILE`: fills in the serve options the command line did not give from an INI
    /// file of `name = value` lines (docs/deploying.md); unknown names are refused by name.
    void applyServeConfigFile();
    void handlePlugins(const std::string& name, const std::string& value);
    void handleTrustedProxy(const std::string& name, const std::string& value);
    void printHelp(const std::string& command) const;

    int serve();
    int listPlugins();
    int listSurveys();
    /// `mindset instrument check FILE` and `mindset instrument new NAME`.
    int instrument(const std::string& action, const std::string& target);
    int accessCodes(const std::string& action, const std::vector<std::string>& codes);
    /// `codes issue`: prints the sheet or the CSV (`format`), or writes the PDF of slips to `pdfFile`;
    /// `csvFile`, if given, gets the CSV as well. Both files are new and readable by their owner only.
    int issueAccessCodes(store::Store& store, const surveys::SurveyDefinition& survey, const std::string& format, report::Paper paper,
                         const std::filesystem::path& csvFile, const std::filesystem::path& pdfFile);
    int report(const std::string& surveyId);
    /// `mindset report SURVEY --format pdf`: the board report of the survey's district, written to a file.
    int boardReport(Workspace& workspace, const surveys::SurveyDefinition& survey, const std::string& language);
    /// `mindset release publish|list SURVEY`.
    int release(const std::string& action, const std::string& surveyId);
    /// The --release option: 0 (the latest) when absent; std::invalid_argument when not a number from 1.
    std::uint32_t releaseNumber() const;
    int exportResponses(const std::string& surveyId);
    /// `mindset export SURVEY --comments`: the release's shown comments as SURVEY-comments.csv in `folder`.
    int exportComments(store::Store& store, const surveys::SurveyDefinition& survey, const releases::Release& release,
                       const std::filesystem::path& folder);
    int importResponses();
    /// `mindset import list|undo`, `mindset survey test-link`, `mindset responses remove-tests` (cli/TestRuns.h).
    int testRun(const std::string& command, const std::string& action);
    /// The --batch option: std::invalid_argument when absent or not a number from 1.
    std::uint32_t batchNumber() const;
    int demo();
    int users(const std::vector<std::string>& args);
    /// `mindset backup --out FILE [--force]` (cli/Backup.h).
    int backup();
    /// `mindset restore --from FILE` (cli/Restore.h).
    int restore();
    /// `mindset migrate-store --to URI` (cli/MigrateStore.h).
    int migrateStore();
    /// Every district a survey file or a stored survey names, each with the ids of the schools they
    /// give for it: what `users add --district/--school` may name.
    std::map<std::string, std::set<std::string>> knownDistricts(store::Store& store) const;

    std::filesystem::path builtinPluginFolder() const;
    std::filesystem::path surveyFolder() const;
    std::filesystem::path dataFolder() const;
    std::filesystem::path databaseFile() const;
    /// True when --database names a PostgreSQL database; otherwise the store is SQLite in the data folder.
    bool usesPostgresql() const;
    /// What Store opens: the --database URI (checked: postgresql://…), or the SQLite file in the data folder.
    std::string storeLocation() const;

    bool isHelpRequested_ = false;
    int port_ = 8080;
    bool isPortGiven_ = false;  ///< --port was given: a config file's port does not replace it
    std::vector<std::filesystem::path> extraPluginFolders_;
    std::vector<std::string> trustedProxies_;  ///< --trusted-proxy values, checked by serve
};

}  // namespace mindset::app
