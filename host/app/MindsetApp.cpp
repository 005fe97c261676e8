#include "app/MindsetApp.h"

#include <cerrno>
#include <csignal>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <map>
#include <sstream>

#include <Poco/AutoPtr.h>
#include <Poco/String.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IniFileConfiguration.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>

#include "app/InstrumentPreview.h"
#include "app/ServeLock.h"
#include "app/ServedSite.h"
#include "app/Startup.h"
#include "auth/Passwords.h"
#include "cli/AccessCodes.h"
#include "cli/Backup.h"
#include "cli/MigrateStore.h"
#include "cli/Restore.h"
#include "cli/DemoSeeding.h"
#include "cli/Import.h"
#include "cli/TestRuns.h"
#include "cli/InstrumentCheck.h"
#include "cli/InstrumentSimulate.h"
#include "cli/InstrumentTemplate.h"
#include "cli/Listings.h"
#include "cli/Releases.h"
#include "cli/Report.h"
#include "demo/DemoResponses.h"
#include "imports/FileType.h"
#include "analytics/ProfileJson.h"
#include "analytics/RawExport.h"
#include "releases/Releases.h"
#include "cli/Users.h"
#include "report/CodeSlips.h"
#include "report/PdfRenderer.h"
#include "report/QrCode.h"
#include "web/DistrictData.h"
#include "web/HttpServer.h"
#include "web/handlers/BoardReportPages.h"
#include "web/Routes.h"
#include "web/Site.h"

namespace mindset::app {

using Poco::Util::Option;
using Poco::Util::OptionCallback;

namespace {

struct Command {
    const char* name;
    const char* summary;
    const char* options;  ///< the options it reads, for its --help
};

constexpr Command kCommands[] = {
    {"serve", "Start the web server: staff answer surveys at /surveys/<id>.",
     "  --port N           port to listen on (default 8080; 0 picks a free one)\n"
     "  --host ADDR        address to listen on (default 127.0.0.1)\n"
     "  --data-dir DIR     where the SQLite database lives (default ./data)\n"
     "  --database URI     use this PostgreSQL database instead (postgresql://USER@HOST:PORT/DB;\n"
     "                     docs/postgresql.md)\n"
     "  --surveys DIR      folder of survey definitions (default: the surveys/ folder of this checkout)\n"
     "  --plugins DIR      also load instrument plugins from DIR (repeatable)\n"
     "  --trusted-proxy ADDR  a reverse proxy's address (e.g. 127.0.0.1): only its X-Forwarded-For\n"
     "                     and X-Forwarded-Proto headers are believed (repeatable; default: none)\n"
     "  --config FILE      settings from an INI file, one `name = value` per line named as these\n"
     "                     options (port, host, data-dir, database, surveys, plugins, trusted-proxy,\n"
     "                     log-requests = yes;\n"
     "                     several plugins or proxies separated by commas); the command line wins\n"
     "  --oidc FILE        single sign-on for leaders with the district's OpenID Connect provider (Google\n"
     "                     Workspace, Microsoft Entra): issuer, client, and the rules that map an e-mail\n"
     "                     domain or group to a scope (docs/accounts.md#single-sign-on). Exits 78 when\n"
     "                     the file is wrong or a rule names an unknown district or school.\n"
     "  --log-requests     one line per request on standard error: method, path (no query), status and\n"
     "                     milliseconds; never the client's address, a code or an answer\n"
     "  --allow-invalid-surveys  start even when a survey file is invalid or refused, serving the\n"
     "                     others (without it, serve exits 78 listing the files, so that a service\n"
     "                     manager sees the failure). Exits 69 when the port is already in use.\n"},
    {"plugins", "List loaded instruments (id@version) and refused plugin files with the reason. Exits 1 if any was refused.",
     "  --plugins DIR      also load instrument plugins from DIR (repeatable)\n"},
    {"instrument", "For researchers: `mindset instrument check PLUGIN.so` loads a built plugin as `serve` would and\n"
                   "      lists every problem of every instrument version it exports (file, id@version, item id), or\n"
                   "      checks one definition.json; exits 1 if any version is refused. `mindset instrument new NAME`\n"
                   "      writes NAME/, an instrument project (with a scoring test) that builds against the installed SDK.\n"
                   "      `mindset instrument preview PLUGIN.so` writes the pages staff will see (landing page, the\n"
                   "      instrument's page, the one-page form; each language) to ID@VERSION/ folders, to open in a browser.\n"
                   "      `mindset instrument simulate PLUGIN.so|definition.json [--model FILE]` draws samples of responses\n"
                   "      from a one-factor model per scale (each item's mean answer and loading) and reports the expected\n"
                   "      Cronbach's alpha with its range, item-rest r, floor and ceiling effects and likely keying mistakes.",
     "  --out DIR          new: the folder to create NAME/ in; preview: the folder for the pages (default: the current folder)\n"
     "  --model FILE       simulate: {\"respondents\": 300, \"samples\": 200, \"seed\": 1, \"defaultLoading\": 0.6,\n"
     "                     \"items\": {\"ITEM\": {\"mean\": 3.2, \"loading\": 0.7}}}, every field optional; an item not\n"
     "                     named answers around the middle of the range, loading 0.6 (-0.6 when reverse keyed)\n"
     "  --responses N      simulate: respondents per sample (instead of the model's)\n"
     "  --seed N           simulate: the random seed (instead of the model's)\n"},
    {"surveys", "List valid surveys, and invalid survey files with every problem (field and reason): unknown\n"
                "      fields (with the nearest known name), missing Spanish texts, JSON syntax errors with line and\n"
                "      column. Exits 1 if any is invalid. Files not read (not ending in .json, folders) are listed too.\n"
                "      A file that breaks a promise made to respondents already stored (lowers minGroupSize, changes\n"
                "      demographic questions, moves from access codes to an open link) is invalid, as `serve` says.",
     "  --surveys DIR      folder of survey definitions\n"
     "  --data-dir DIR     the database whose responses the promises were made to (default ./data)\n"
     "  --database URI     that database in PostgreSQL instead (postgresql://USER@HOST:PORT/DB)\n"
     "  --plugins DIR      also load instrument plugins from DIR (repeatable)\n"},
    {"demo", "Adds synthetic responses to a survey (realistic group differences, reliable scales, missing\n"
             "      answers) so that its profile shows something: `mindset demo --survey ID --responses N`;\n"
             "      or to every survey of a demo network: `mindset demo --plan surveys/demo/plan.json`.",
     "  --survey ID        the survey (this or --plan)\n"
     "  --responses N      how many responses to add (1-2000000)\n"
     "  --seed N           the random seed (default 2026); the same seed gives the same responses\n"
     "  --plan FILE        instead of --survey: the surveys, counts, seeds, years and district\n"
     "                     differences of a demo network (JSON; see surveys/demo/plan.json)\n"
     "  --year-index N     which year of the demo district to simulate: 0 (default) the first, 1 the\n"
     "                     next, ... (means and group gaps drift from year to year)\n"
     "  --if-empty         add them only to surveys that have no responses yet\n"
     "  --data-dir DIR     where the SQLite database lives (default ./data)\n"
     "  --database URI     use this PostgreSQL database instead (postgresql://USER@HOST:PORT/DB;\n"
     "                     docs/postgresql.md)\n"
     "  --surveys DIR      folder of survey definitions\n"
     "  --plugins DIR      also load instrument plugins from DIR (repeatable)\n"},
    {"report", "The district profile of a survey: `mindset report SURVEY` prints every scale, the strengths and\n"
               "      areas for growth and each breakdown of its latest release, with small groups hidden as on the web pages;\n"
               "      with --format pdf, the board report of the survey's district (its summary page as a PDF).",
     "  --release N        an earlier release (default: the latest; not with pdf, which shows each year's latest)\n"
     "  --format FORMAT    text (default), json (the same JSON as /api/surveys/SURVEY/profile) or pdf\n"
     "  --paper PAPER      with pdf: letter (default) or a4\n"
     "  --out FILE         with pdf: the file, or a folder for DISTRICT-board-report-PAPER.pdf (default: the current folder)\n"
     "  --lang LANG        en (default) or es\n"
     "  --data-dir DIR     where the SQLite database lives (default ./data)\n"
     "  --database URI     use this PostgreSQL database instead (postgresql://USER@HOST:PORT/DB;\n"
     "                     docs/postgresql.md)\n"
     "  --surveys DIR      folder of survey definitions\n"
     "  --plugins DIR      also load instrument plugins from DIR (repeatable)\n"},
    {"export", "De-identified responses of a survey's latest release and their codebook, as on the profile page:\n"
               "      `mindset export SURVEY` writes SURVEY-responses.csv and SURVEY-codebook.csv; with --comments,\n"
               "      SURVEY-comments.csv instead (the final release's comments, as leaders see them).",
     "  --release N        an earlier release (default: the latest)\n"
     "  --comments         write the comments, apart from the responses (final release only)\n"
     "  --out DIR          the folder to write to (default: the current folder)\n"
     "  --data-dir DIR     where the SQLite database lives (default ./data)\n"
     "  --database URI     use this PostgreSQL database instead (postgresql://USER@HOST:PORT/DB;\n"
     "                     docs/postgresql.md)\n"
     "  --surveys DIR      folder of survey definitions\n"
     "  --plugins DIR      also load instrument plugins from DIR (repeatable)\n"},
    {"release", "Results are read only as releases (immutable, dated snapshots): `mindset release publish SURVEY`\n"
                "      publishes an interim release of an open survey now (the final one is made when it closes),\n"
                "      if it passes the disclosure audit; `mindset release list SURVEY` lists its releases.",
     "  --data-dir DIR     where the SQLite database lives (default ./data)\n"
     "  --database URI     use this PostgreSQL database instead (postgresql://USER@HOST:PORT/DB;\n"
     "                     docs/postgresql.md)\n"
     "  --surveys DIR      folder of survey definitions\n"
     "  --plugins DIR      also load instrument plugins from DIR (repeatable)\n"},
    {"codes", "One-time access codes: `mindset codes issue` prints new codes for a school to hand out (a sheet of\n"
              "      slips, a PDF of slips with QR codes, or CSV for a mail merge), as one numbered batch; `mindset codes void CODE...` or\n"
              "      `mindset codes void --batch N` cancels lost ones (the survey refuses them, rates stop counting them);\n"
              "      `mindset codes status` shows issued, voided and used codes (the response rate) per school, and the batches.",
     "  --survey ID        the survey (required)\n"
     "  --school ID        issue: the school the codes are for (a code's respondent is not asked for another)\n"
     "  --count N          issue: how many codes (1-10000)\n"
     "  --base-url URL     issue: the address staff open (default http://127.0.0.1:8080)\n"
     "  --format FORMAT    issue: sheet (default; slips to print and cut), csv (one row per code, for a mail\n"
     "                     merge) or pdf (8 slips a page with cut lines, each with a QR code of its link; needs --out)\n"
     "  --out FILE         issue with pdf: the PDF file to write, readable by its owner only (refused if FILE exists)\n"
     "  --paper PAPER      issue with pdf: letter (default) or a4\n"
     "  --csv FILE         issue: also write the codes as CSV to FILE, readable by its owner only (refused\n"
     "                     if FILE exists)\n"
     "  --batch N          void: every unused code of batch N (printed on the sheet and in the CSV)\n"
     "  --data-dir DIR     where the SQLite database lives (default ./data)\n"
     "  --database URI     use this PostgreSQL database instead (postgresql://USER@HOST:PORT/DB;\n"
     "                     docs/postgresql.md)\n"
     "  --surveys DIR      folder of survey definitions\n"
     "  --plugins DIR      also load instrument plugins from DIR (repeatable)\n"},
    {"import", "An earlier year's responses from a CSV file exported by another tool (Google Forms, Qualtrics, a\n"
               "      spreadsheet), read through a mapping file (docs/importing.md). Every row is checked as the form\n"
               "      checks it; all rows are stored in one transaction, or none, as one numbered import batch.\n"
               "      `mindset import list --survey ID` lists the batches; `mindset import undo --survey ID --batch N`\n"
               "      removes exactly batch N's responses (refused once any is in a published release).\n"
               "      Exits 65 when nothing is stored or removed.",
     "  --survey ID        the survey the responses belong to (required)\n"
     "  --batch N          undo: the import batch to remove (printed by the import and by `import list`)\n"
     "  --csv FILE         the exported responses, UTF-8, with a header line (required); a workbook (.xlsx),\n"
     "                     UTF-16 text or another delimiter is refused with what to do\n"
     "  --delimiter D      the file's field separator: , (default), ';' (or semicolon), tab or '|'\n"
     "  --mapping FILE     which column answers which question or item, and what its texts mean (required)\n"
     "  --dry-run          report what would be stored and every row that would be rejected; store nothing\n"
     "  --test-lines L,L   leave out the rows starting on these lines (your own test submissions; line 1\n"
     "                     is the header, as a text editor numbers them); a line with no row is refused\n"
     "  --append           add to a survey that already has responses (refused otherwise, so that\n"
     "                     running an import twice does not count a year twice)\n"
     "  --skip-rejected    store the accepted rows even if some are rejected (the report lists those left out)\n"
     "  --data-dir DIR     where the SQLite database lives (default ./data)\n"
     "  --database URI     use this PostgreSQL database instead (postgresql://USER@HOST:PORT/DB;\n"
     "                     docs/postgresql.md)\n"
     "  --surveys DIR      folder of survey definitions\n"
     "  --plugins DIR      also load instrument plugins from DIR (repeatable)\n"},
    {"survey", "A test run: `mindset survey test-link --survey ID` prints a secret link that opens the survey on\n"
               "      one page before and while it is open, without a code. What is sent through it is kept apart as a\n"
               "      test response: in no result, release or response rate, and it does not lock the survey's\n"
               "      questions (they stay editable until the first real response). A new link replaces the old one.",
     "  --survey ID        the survey (required)\n"
     "  --base-url URL     the address staff open (default http://127.0.0.1:8080)\n"
     "  --data-dir DIR     where the SQLite database lives (default ./data)\n"
     "  --database URI     use this PostgreSQL database instead (postgresql://USER@HOST:PORT/DB;\n"
     "                     docs/postgresql.md)\n"
     "  --surveys DIR      folder of survey definitions\n"
     "  --plugins DIR      also load instrument plugins from DIR (repeatable)\n"},
    {"responses", "`mindset responses remove-tests --survey ID` deletes the survey's test responses (sent through its\n"
                  "      test link) and says how many; real responses are not touched.",
     "  --survey ID        the survey (required)\n"
     "  --data-dir DIR     where the SQLite database lives (default ./data)\n"
     "  --database URI     use this PostgreSQL database instead (postgresql://USER@HOST:PORT/DB;\n"
     "                     docs/postgresql.md)\n"
     "  --surveys DIR      folder of survey definitions\n"
     "  --plugins DIR      also load instrument plugins from DIR (repeatable)\n"},
    {"backup", "A consistent copy of the database, safe while `serve` runs: `mindset backup --out FILE` copies\n"
               "      every committed response (SQLite's online backup API), checks the copy (PRAGMA integrity_check),\n"
               "      and prints its size and how many responses and releases it holds. Restore: stop serve, then\n"
               "      `mindset restore --from FILE` (docs/running-a-survey.md). Exits 66 when there is no database,\n"
               "      73 when FILE exists or cannot be written.",
     "  --out FILE         the copy to write, readable by its owner only (required); never half-written\n"
     "  --force            replace FILE if it exists (default: refuse)\n"
     "  --data-dir DIR     where the SQLite database lives (default ./data); for PostgreSQL use pg_dump\n"
     "                     (docs/postgresql.md)\n"},
    {"restore", "Puts a copy made by `mindset backup` back in place of the database: `mindset restore --from FILE`.\n"
                "      Stop serve first (it is refused while any process has the database open). The copy is checked\n"
                "      (a Mindset database, PRAGMA integrity_check, a schema this version knows) before anything changes;\n"
                "      the database it replaces is kept as DIR/mindset.sqlite.before-restore. Exits 65 when FILE is not\n"
                "      a sound Mindset backup, 66 when it does not exist, 73 when DIR cannot be written, 75 while in use.",
     "  --from FILE        the backup to restore (required); never changed\n"
     "  --data-dir DIR     the data folder to restore into (default ./data); created if missing\n"},
    {"migrate-store", "Moves this data folder's SQLite database into PostgreSQL, for several hosts sharing one database:\n"
                      "      `mindset migrate-store --to postgresql://USER@HOST:PORT/DB`. Stop serve first. The PostgreSQL\n"
                      "      database must exist and hold no rows; every table is copied in one transaction, then counted\n"
                      "      and checksummed on both sides (a copy that differs is deleted again). The SQLite file is never\n"
                      "      changed beyond the migrations serve would apply (docs/postgresql.md). Exits 65 when the\n"
                      "      PostgreSQL database is not empty, 66 when there is no SQLite database, 69 when PostgreSQL\n"
                      "      refuses, 70 when the copy differs.",
     "  --to URI           the PostgreSQL database to fill (required)\n"
     "  --data-dir DIR     the data folder whose mindset.sqlite is copied (default ./data)\n"},
    {"users", "Staff accounts for the leaders who sign in to read results (respondents need none):\n"
              "      `mindset users add USERNAME [--district SLUG [--school ID]]` reads the password from the first\n"
              "      line of standard input;\n"
              "      `mindset users password USERNAME` sets a new one the same way (`reset` works too) and signs\n"
              "      the account out; `mindset users list`; `mindset users remove USERNAME` also signs it out.",
     "  --district SLUG    add: limit the account to one district (default: the whole network); must be\n"
     "                     the district id of a survey file or of a survey already stored\n"
     "  --school ID        add, with --district: a school leader's account, which reads only that school's\n"
     "                     report; must be a school id the district's surveys give\n"
     "  --data-dir DIR     where the SQLite database lives (default ./data)\n"
     "  --database URI     use this PostgreSQL database instead (postgresql://USER@HOST:PORT/DB;\n"
     "                     docs/postgresql.md)\n"
     "  --surveys DIR      folder of survey definitions (their district ids are the known districts)\n"
     "  --plugins DIR      also load instrument plugins from DIR (repeatable)\n"},
};

const Command* findCommand(const std::string& name) {
    for (const auto& command : kCommands)
        if (name == command.name) return &command;
    return nullptr;
}

}  // namespace

void MindsetApp::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    options.addOption(Option("help", "h", "show help for a command")
                          .required(false)
                          .repeatable(false)
                          .callback(OptionCallback<MindsetApp>(this, &MindsetApp::handleHelp)));
    options.addOption(Option("port", "p", "port to listen on")
                          .required(false)
                          .repeatable(false)
                          .argument("N")
                          .callback(OptionCallback<MindsetApp>(this, &MindsetApp::handlePort)));
    options.addOption(Option("config", "", "settings file").required(false).repeatable(false).argument("FILE").binding("mindset.config"));
    options.addOption(Option("host", "", "address to listen on").required(false).repeatable(false).argument("ADDR").binding("mindset.host"));
    options.addOption(Option("data-dir", "d", "database folder").required(false).repeatable(false).argument("DIR").binding("mindset.dataDir"));
    options.addOption(Option("database", "", "PostgreSQL database").required(false).repeatable(false).argument("URI").binding("mindset.database"));
    options.addOption(Option("surveys", "s", "survey folder").required(false).repeatable(false).argument("DIR").binding("mindset.surveyDir"));
    options.addOption(Option("model", "", "simulation model file").required(false).repeatable(false).argument("FILE").binding("mindset.model"));
    options.addOption(Option("out", "o", "output folder or file").required(false).repeatable(false).argument("DIR").binding("mindset.out"));
    options.addOption(Option("responses", "", "number of responses").required(false).repeatable(false).argument("N").binding("mindset.responses"));
    options.addOption(Option("seed", "", "random seed").required(false).repeatable(false).argument("N").binding("mindset.seed"));
    options.addOption(Option("plan", "", "demo plan file").required(false).repeatable(false).argument("FILE").binding("mindset.plan"));
    options.addOption(Option("year-index", "", "year of the demo district").required(false).repeatable(false).argument("N").binding("mindset.yearIndex"));
    options.addOption(Option("if-empty", "", "only when empty").required(false).repeatable(false).binding("mindset.ifEmpty"));
    options.addOption(Option("format", "", "output format").required(false).repeatable(false).argument("FORMAT").binding("mindset.format"));
    options.addOption(Option("release", "", "release number").required(false).repeatable(false).argument("N").binding("mindset.release"));
    options.addOption(Option("paper", "", "paper size").required(false).repeatable(false).argument("PAPER").binding("mindset.paper"));
    options.addOption(Option("lang", "", "language").required(false).repeatable(false).argument("LANG").binding("mindset.lang"));
    options.addOption(Option("survey", "", "survey id").required(false).repeatable(false).argument("ID").binding("mindset.survey"));
    options.addOption(Option("school", "", "school id").required(false).repeatable(false).argument("ID").binding("mindset.school"));
    options.addOption(Option("count", "", "number of codes").required(false).repeatable(false).argument("N").binding("mindset.count"));
    options.addOption(Option("base-url", "", "public address").required(false).repeatable(false).argument("URL").binding("mindset.baseUrl"));
    options.addOption(Option("batch", "", "batch of codes").required(false).repeatable(false).argument("N").binding("mindset.batch"));
    options.addOption(Option("district", "", "district id").required(false).repeatable(false).argument("SLUG").binding("mindset.district"));
    options.addOption(Option("csv", "", "CSV file to import").required(false).repeatable(false).argument("FILE").binding("mindset.csv"));
    options.addOption(Option("mapping", "", "import mapping file").required(false).repeatable(false).argument("FILE").binding("mindset.mapping"));
    options.addOption(Option("delimiter", "", "CSV field separator").required(false).repeatable(false).argument("D").binding("mindset.delimiter"));
    options.addOption(Option("comments", "", "export the comments").required(false).repeatable(false).binding("mindset.comments"));
    options.addOption(Option("dry-run", "", "store nothing").required(false).repeatable(false).binding("mindset.dryRun"));
    options.addOption(Option("append", "", "add to stored responses").required(false).repeatable(false).binding("mindset.append"));
    options.addOption(Option("allow-invalid-surveys", "", "serve even if a survey is invalid").required(false).repeatable(false).binding("mindset.allowInvalidSurveys"));
    options.addOption(Option("log-requests", "", "log one line per request").required(false).repeatable(false).binding("mindset.logRequests"));
    options.addOption(Option("to", "", "PostgreSQL database to copy into").required(false).repeatable(false).argument("URI").binding("mindset.to"));
    options.addOption(Option("from", "", "backup file to restore").required(false).repeatable(false).argument("FILE").binding("mindset.from"));
    options.addOption(Option("force", "", "replace an existing file").required(false).repeatable(false).binding("mindset.force"));
    options.addOption(Option("skip-rejected", "", "leave rejected rows out").required(false).repeatable(false).binding("mindset.skipRejected"));
    options.addOption(Option("test-lines", "", "lines of test submissions").required(false).repeatable(false).argument("L,L").binding("mindset.testLines"));
    options.addOption(Option("plugins", "", "extra plugin folder")
                          .required(false)
                          .repeatable(true)
                          .argument("DIR")
                          .callback(OptionCallback<MindsetApp>(this, &MindsetApp::handlePlugins)));
    options.addOption(Option("oidc", "", "single sign-on configuration").required(false).repeatable(false).argument("FILE").binding("mindset.oidc"));
    options.addOption(Option("trusted-proxy", "", "address of a trusted reverse proxy")
                          .required(false)
                          .repeatable(true)
                          .argument("ADDR")
                          .callback(OptionCallback<MindsetApp>(this, &MindsetApp::handleTrustedProxy)));
}

void MindsetApp::handleHelp(const std::string&, const std::string&) {
    isHelpRequested_ = true;
    stopOptionsProcessing();
}

void MindsetApp::handlePort(const std::string&, const std::string& value) {
    isPortGiven_ = true;
    std::size_t used = 0;
    int port = -1;
    try {
        port = std::stoi(value, &used);
    } catch (const std::exception&) {
    }
    if (used != value.size() || port < 0 || port > 65535)
        throw Poco::Util::InvalidArgumentException("--port expects a number from 0 to 65535, got '" + value + "'");
    port_ = port;
}

void MindsetApp::handlePlugins(const std::string&, const std::string& value) { extraPluginFolders_.emplace_back(value); }

void MindsetApp::handleTrustedProxy(const std::string&, const std::string& value) { trustedProxies_.push_back(value); }

void MindsetApp::printHelp(const std::string& commandName) const {
    if (const auto* command = findCommand(commandName)) {
        std::cout << "usage: mindset " << command->name << " [options]\n\n" << command->summary << "\n\noptions:\n"
                  << command->options << "  --help             show this help\n";
        return;
    }
    std::cout << "usage: mindset <command> [options]\n\ncommands:\n";
    for (const auto& command : kCommands) std::cout << "  " << command.name << "\n      " << command.summary << "\n";
    std::cout << "\n`mindset <command> --help` lists a command's options.\n";
}

int MindsetApp::main(const std::vector<std::string>& args) {
    const std::string command = args.empty() ? "" : args.front();
    if (isHelpRequested_ || command.empty() || command == "help") {
        printHelp(command == "help" && args.size() > 1 ? args[1] : command);
        return command.empty() && !isHelpRequested_ ? EXIT_USAGE : EXIT_OK;
    }
    const std::size_t expectedArgs = command == "release" || command == "instrument" ? 3 : command == "codes" || command == "report" || command == "export" ||
                                         command == "survey" || command == "responses" || (command == "import" && args.size() > 1) ? 2 : 1;
    // users checks its own (add NAME, list, remove NAME), and `codes void` takes the codes to void.
    const bool checksOwnArgs = command == "users" || (command == "codes" && args.size() > 1 && args[1] == "void");
    if (!checksOwnArgs && args.size() != expectedArgs) {
        if (args.size() > expectedArgs) std::cerr << "mindset " << command << ": unexpected argument '" << args[expectedArgs] << "'\n";
        else if (command == "release") std::cerr << "mindset release: expected `publish SURVEY` or `list SURVEY`\n";
        else if (command == "instrument") std::cerr << "mindset instrument: expected `check PLUGIN.so`, `new NAME`, `preview PLUGIN.so` or `simulate PLUGIN.so`\n";
        else if (command == "survey") std::cerr << "mindset survey: expected `test-link`\n";
        else if (command == "responses") std::cerr << "mindset responses: expected `remove-tests`\n";
        else std::cerr << "mindset codes: expected `issue`, `void` or `status`\n";
        return EXIT_USAGE;
    }
    try {
        if (command == "serve") return serve();
        if (command == "plugins") return listPlugins();
        if (command == "surveys") return listSurveys();
        if (command == "instrument") return instrument(args[1], args[2]);
        if (command == "codes") return accessCodes(args[1], {args.begin() + 2, args.end()});
        if (command == "report") return report(args[1]);
        if (command == "release") return release(args[1], args[2]);
        if (command == "export") return exportResponses(args[1]);
        if (command == "demo") return demo();
        if (command == "import") return args.size() == 1 ? importResponses() : testRun(command, args[1]);
        if (command == "survey" || command == "responses") return testRun(command, args[1]);
        if (command == "users") return users(args);
        if (command == "backup") return backup();
        if (command == "restore") return restore();
        if (command == "migrate-store") return migrateStore();
    } catch (const std::invalid_argument& e) {  // a wrong option value: the user's to fix
        std::cerr << "mindset " << command << ": " << e.what() << "\n";
        return EXIT_USAGE;
    } catch (const std::exception& e) {
        std::cerr << "mindset " << command << ": " << e.what() << "\n";
        return EXIT_SOFTWARE;
    }
    std::cerr << "mindset: unknown command '" << command << "'\n\n";
    printHelp("");
    return EXIT_USAGE;
}

std::filesystem::path MindsetApp::builtinPluginFolder() const {
    // The build tree and an install share one layout: bin/mindset and lib/mindset/plugins/.
    const std::filesystem::path binFolder = config().getString("application.dir");
    return binFolder.parent_path().parent_path() / "lib" / "mindset" / "plugins";
}

std::filesystem::path MindsetApp::surveyFolder() const {
    return config().getString("mindset.surveyDir", MINDSET_DEFAULT_SURVEY_DIR);
}

std::filesystem::path MindsetApp::dataFolder() const { return config().getString("mindset.dataDir", "data"); }

std::filesystem::path MindsetApp::databaseFile() const { return dataFolder() / "mindset.sqlite"; }

bool MindsetApp::usesPostgresql() const { return !config().getString("mindset.database", "").empty(); }

std::string MindsetApp::storeLocation() const {
    if (!usesPostgresql()) return databaseFile().string();
    const auto database = config().getString("mindset.database");
    if (store::databaseKindOf(database) != store::DatabaseKind::Postgresql)
        throw std::invalid_argument("--database expects a PostgreSQL URI such as postgresql://mindset@db.example.org:5432/mindset, got '" +
                                    database + "' (SQLite needs no option: its file lives in --data-dir)");
    return database;
}

int MindsetApp::listPlugins() {
    loader::InstrumentRegistry registry;
    loadPlugins(registry, builtinPluginFolder(), extraPluginFolders_);
    cli::printPlugins(std::cout, registry);
    return registry.refused().empty() ? EXIT_OK : 1;
}

int MindsetApp::instrument(const std::string& action, const std::string& target) {
    if (action == "check") return cli::checkInstrument(std::cout, target) ? EXIT_OK : 1;
    if (action == "new") {
        try {
            cli::writeInstrumentTemplate(std::cout, target, config().getString("mindset.out", "."));
        } catch (const std::invalid_argument&) {
            throw;  // a bad name: a usage error
        } catch (const std::exception& e) {  // the folder exists or cannot be written
            std::cerr << "mindset instrument new: " << e.what() << "\n";
            return EXIT_CANTCREAT;
        }
        return EXIT_OK;
    }
    if (action == "preview") {
        try {
            previewInstrument(std::cout, target, config().getString("mindset.out", "."));
        } catch (const std::exception& e) {  // refused plugin, unwritable folder
            std::cerr << "mindset instrument preview: " << e.what() << "\n";
            return 1;
        }
        return EXIT_OK;
    }
    if (action == "simulate") {
        try {
            const auto respondents = config().has("mindset.responses") ? std::optional(config().getInt64("mindset.responses")) : std::nullopt;
            const auto seed = config().has("mindset.seed") ? std::optional(static_cast<std::uint64_t>(config().getInt64("mindset.seed"))) : std::nullopt;
            cli::simulateFile(std::cout, target, config().getString("mindset.model", ""), respondents, seed);
        } catch (const std::exception& e) {  // refused plugin or definition, a bad model
            std::cerr << "mindset instrument simulate: " << e.what() << "\n";
            return 1;
        }
        return EXIT_OK;
    }
    std::cerr << "mindset instrument: expected `check PLUGIN.so`, `new NAME`, `preview PLUGIN.so` or `simulate PLUGIN.so`, got '" << action << "'\n";
    return EXIT_USAGE;
}

int MindsetApp::listSurveys() {
    loader::InstrumentRegistry registry;
    loadPlugins(registry, builtinPluginFolder(), extraPluginFolders_);
    auto catalog = surveys::loadSurveyFolder(surveyFolder(), registry);
    // Say what `serve` would: a file that breaks a promise to stored respondents is invalid too.
    if (usesPostgresql() || std::filesystem::exists(databaseFile())) {
        store::Store store(storeLocation());
        refuseBrokenPromises(catalog, store);
    }
    cli::printSurveys(std::cout, catalog);
    return catalog.invalid.empty() ? EXIT_OK : 1;
}

std::unique_ptr<MindsetApp::Workspace> MindsetApp::openWorkspace() {
    auto workspace = std::make_unique<Workspace>();
    loadPlugins(workspace->registry, builtinPluginFolder(), extraPluginFolders_);
    if (!usesPostgresql()) std::filesystem::create_directories(dataFolder());
    workspace->store = std::make_unique<store::Store>(storeLocation());
    workspace->catalog = surveys::loadSurveyFolder(surveyFolder(), workspace->registry);
    saveSurveys(workspace->catalog, *workspace->store);
    return workspace;
}

int MindsetApp::noSuchSurvey(const Workspace& workspace, const std::string& surveyId) const {
    std::cerr << "mindset: no valid survey '" << surveyId << "' in " << surveyFolder().string() << "\n";
    cli::printInvalidSurveys(std::cerr, workspace.catalog);
    return EXIT_DATAERR;
}

int MindsetApp::demo() {
    const auto surveyId = config().getString("mindset.survey", "");
    const auto planFile = config().getString("mindset.plan", "");
    if (surveyId.empty() == planFile.empty()) throw std::invalid_argument("expected either --survey ID or --plan FILE");
    const bool onlyIfEmpty = config().hasProperty("mindset.ifEmpty");
    if (!planFile.empty()) {
        demo::DemoPlan plan;
        try {
            plan = demo::loadDemoPlan(planFile);
        } catch (const demo::DemoPlanError& e) {
            std::cerr << "mindset demo: " << e.what() << "\n";
            return EXIT_DATAERR;
        }
        auto workspace = openWorkspace();
        cli::printInvalidSurveys(std::cerr, workspace->catalog);
        std::cout << "Demo data from " << planFile << ":\n";
        cli::seedDemoPlan(std::cout, *workspace->store, workspace->catalog, plan, onlyIfEmpty, web::localToday());
        return EXIT_OK;
    }
    const auto count = config().getInt("mindset.responses", 0);
    if (count < 1 || count > 2000000) throw std::invalid_argument("--responses expects 1 to 2000000, got " + std::to_string(count));
    auto workspace = openWorkspace();
    const auto* survey = workspace->catalog.find(surveyId);
    auto& store = *workspace->store;
    if (!survey) return noSuchSurvey(*workspace, surveyId);
    if (onlyIfEmpty && store.countResponses(survey->storeId) > 0) {
        std::cout << "Survey " << surveyId << " already has responses; no demo responses added.\n";
        return EXIT_OK;
    }
    const auto seed = static_cast<std::uint64_t>(config().getInt64("mindset.seed", 2026));
    demo::DemoProfile demoProfile;
    demoProfile.yearIndex = config().getInt("mindset.yearIndex", 0);
    if (demoProfile.yearIndex < 0 || demoProfile.yearIndex > 50)
        throw std::invalid_argument("--year-index expects 0 to 50, got " + std::to_string(demoProfile.yearIndex));
    std::vector<store::StoredResponse> rows;
    for (auto& response : demo::generateResponses(*survey, static_cast<std::size_t>(count), seed, demoProfile))
        rows.push_back({std::move(response.demographics), std::move(response.answers)});
    store.insertResponses(survey->storeId, rows);
    std::cout << "Added " << count << " synthetic responses to " << surveyId << " (seed " << seed << ", year index "
              << demoProfile.yearIndex << ").\n";
    return EXIT_OK;
}

int MindsetApp::importResponses() {
    cli::ImportRequest request;
    const auto surveyId = config().getString("mindset.survey", "");
    request.csvFile = config().getString("mindset.csv", "");
    request.mappingFile = config().getString("mindset.mapping", "");
    if (surveyId.empty() || request.csvFile.empty() || request.mappingFile.empty())
        throw std::invalid_argument("--survey ID, --csv FILE and --mapping FILE are required");
    request.isDryRun = config().hasProperty("mindset.dryRun");
    request.isAppending = config().hasProperty("mindset.append");
    request.skipsRejected = config().hasProperty("mindset.skipRejected");
    if (config().has("mindset.testLines")) {
        const auto text = config().getString("mindset.testLines");
        std::stringstream in(text);
        for (std::string item; std::getline(in, item, ',');) {
            std::size_t used = 0;
            unsigned long line = 0;
            try {
                line = std::stoul(item, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != item.size() || line < 2)
                throw std::invalid_argument("--test-lines expects line numbers from 2 (line 1 is the header) separated by commas, got '" +
                                            text + "'");
            request.testLines.insert(line);
        }
    }
    if (config().has("mindset.delimiter")) {
        const auto name = config().getString("mindset.delimiter");
        const auto delimiter = imports::delimiterNamed(name);
        if (!delimiter) throw std::invalid_argument("--delimiter expects ',', ';' (or semicolon), tab or '|', got '" + name + "'");
        request.delimiter = *delimiter;
    }
    auto workspace = openWorkspace();
    const auto* survey = workspace->catalog.find(surveyId);
    if (!survey) return noSuchSurvey(*workspace, surveyId);
    return cli::importResponses(std::cout, *workspace->store, *survey, request) ? EXIT_OK : EXIT_DATAERR;
}

int MindsetApp::exportResponses(const std::string& surveyId) {
    auto workspace = openWorkspace();
    const auto* survey = workspace->catalog.find(surveyId);
    auto& store = *workspace->store;
    if (!survey) return noSuchSurvey(*workspace, surveyId);
    const auto release = cli::readRelease(std::cerr, store, *survey, releaseNumber(), web::localToday());
    if (!release) return EXIT_UNAVAILABLE;
    const std::filesystem::path folder = config().getString("mindset.out", ".");
    if (config().hasProperty("mindset.comments")) return exportComments(store, *survey, *release, folder);
    std::filesystem::create_directories(folder);
    // These names are the ones the codebook's R and Python recipes read.
    const auto responsesFile = folder / (survey->id + "-responses.csv");
    std::ofstream csv(responsesFile, std::ios::binary);
    analytics::ExportOptions options;
    options.profile = releases::readingOptions(release->record);
    const auto summary = analytics::writeRawExport(*survey, releases::releaseResponses(store, *survey, release->record.number), csv, options);
    std::ofstream codebook(folder / (survey->id + "-codebook.csv"), std::ios::binary);
    analytics::writeCodebook(*survey, summary, codebook);
    std::cout << "Wrote " << summary.rows << " rows of " << cli::describeRelease(release->record) << " to "
              << responsesFile.string() << " and its codebook.\n";
    return EXIT_OK;
}

int MindsetApp::exportComments(store::Store& store, const surveys::SurveyDefinition& survey, const releases::Release& release,
                               const std::filesystem::path& folder) {
    if (survey.comments.empty()) {
        std::cerr << "mindset export: survey '" << survey.id << "' asks no comment questions (\"comments\" in its survey file)\n";
        return EXIT_DATAERR;
    }
    const auto comments = releases::readComments(store, survey, release);
    if (!comments.isFinalRelease) {
        std::cerr << "mindset export: comments are exported only from the final release, and " << cli::describeRelease(release.record)
                  << " is not final: the survey closes on " << releases::isoDate(survey.closes)
                  << " (docs/privacy.md, R10)\n";
        return EXIT_UNAVAILABLE;
    }
    std::filesystem::create_directories(folder);
    const auto file = folder / (survey.id + "-comments.csv");
    std::ofstream csv(file, std::ios::binary);
    csv << analytics::commentsCsv(comments);
    std::size_t shown = 0, hidden = 0;
    for (const auto& question : comments.questions)
        for (const auto& group : question.groups) {
            shown += group.texts.size();
            hidden += !group.isShown;
        }
    std::cout << "Wrote " << shown << (shown == 1 ? " comment of " : " comments of ") << cli::describeRelease(release.record) << " to " << file.string() << " ("
              << hidden << " question-school groups hidden: below " << survey.commentMinGroupSize << " respondents or hidden in the release).\n";
    return EXIT_OK;
}

int MindsetApp::report(const std::string& surveyId) {
    const auto format = config().getString("mindset.format", "text");
    const auto language = config().getString("mindset.lang", "en");
    if (format != "text" && format != "json" && format != "pdf") throw std::invalid_argument("--format expects text, json or pdf, got '" + format + "'");
    if (language != "en" && language != "es") throw std::invalid_argument("--lang expects en or es, got '" + language + "'");
    if (format != "pdf" && config().hasProperty("mindset.paper")) throw std::invalid_argument("--paper applies only to --format pdf");
    auto workspace = openWorkspace();
    const auto* survey = workspace->catalog.find(surveyId);
    auto& store = *workspace->store;
    if (!survey) return noSuchSurvey(*workspace, surveyId);
    if (format == "pdf") return boardReport(*workspace, *survey, language);
    const auto release = cli::readRelease(std::cerr, store, *survey, releaseNumber(), web::localToday());
    if (!release) return EXIT_UNAVAILABLE;
    if (format == "json") {
        auto data = analytics::profileToJson(release->profile, *survey, language);
        data["release"] = {{"number", release->record.number}, {"kind", store::releaseKindName(release->record.kind)},
                           {"publishedOn", release->record.publishedOn}, {"responses", release->record.responses},
                           {"matchesPublished", release->isMatchingPublished}};
        std::cout << data.dump(2) << "\n";
        return EXIT_OK;
    }
    std::cout << "From " << cli::describeRelease(release->record) << "\n";
    cli::printReport(std::cout, release->profile, *survey, language);
    return EXIT_OK;
}

int MindsetApp::boardReport(Workspace& workspace, const surveys::SurveyDefinition& survey, const std::string& language) {
    if (config().hasProperty("mindset.release"))
        throw std::invalid_argument("--release does not apply to --format pdf: the board report shows each school year's latest release, as the district summary does");
    const auto paperText = config().getString("mindset.paper", "letter");
    const auto paper = report::paperNamed(paperText);
    if (!paper) throw std::invalid_argument("--paper expects letter or a4, got '" + paperText + "'");
    web::Site site{workspace.catalog, *workspace.store, web::localToday};
    const web::District district{survey.districtId, survey.districtName};
    if (web::districtYears(site, district.slug).empty()) {
        std::cerr << "mindset report: no survey of " << district.name << " has a published release yet, so there is no board report to make\n";
        return EXIT_UNAVAILABLE;
    }
    const auto started = std::chrono::steady_clock::now();
    const auto pdf = report::renderPdf(web::handlers::boardReportDocument(site, district, language), *paper);
    const auto elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    const auto fileName = web::handlers::boardReportFileName(district, report::paperName(*paper));
    std::filesystem::path file = config().getString("mindset.out", ".");
    if (std::filesystem::is_directory(file)) file /= fileName;
    std::ofstream out(file, std::ios::binary);
    out.write(pdf.bytes.data(), static_cast<std::streamsize>(pdf.bytes.size()));
    out.close();
    if (!out) {
        std::cerr << "mindset report: could not write " << file.string() << "\n";
        return EXIT_CANTCREAT;
    }
    std::cout << "Wrote the board report of " << district.name << " (" << pdf.pages << " pages, " << report::paperName(*paper) << ", "
              << pdf.bytes.size() / 1024 << " KiB, made in " << elapsedMs << " ms) to " << file.string() << "\n";
    return EXIT_OK;
}

std::uint32_t MindsetApp::releaseNumber() const {
    const auto text = config().getString("mindset.release", "");
    if (text.empty()) return 0;
    std::size_t used = 0;
    long number = 0;
    try {
        number = std::stol(text, &used);
    } catch (const std::exception&) {
    }
    if (used != text.size() || number < 1 || number > 1'000'000)
        throw std::invalid_argument("--release expects a release number such as 1 or 2, got '" + text + "'");
    return static_cast<std::uint32_t>(number);
}

int MindsetApp::release(const std::string& action, const std::string& surveyId) {
    if (action != "publish" && action != "list") {
        std::cerr << "mindset release: expected `publish SURVEY` or `list SURVEY`, got '" << action << "'\n";
        return EXIT_USAGE;
    }
    auto workspace = openWorkspace();
    const auto* survey = workspace->catalog.find(surveyId);
    if (!survey) return noSuchSurvey(*workspace, surveyId);
    if (action == "list") {
        cli::printReleases(std::cout, *workspace->store, *survey, web::localToday());
        return EXIT_OK;
    }
    return cli::publishRelease(std::cout, std::cerr, *workspace->store, *survey, web::localToday()) ? EXIT_OK : EXIT_DATAERR;
}

std::uint32_t MindsetApp::batchNumber() const {
    const auto text = config().getString("mindset.batch", "");
    std::size_t used = 0;
    std::uint32_t batch = 0;
    try {
        batch = static_cast<std::uint32_t>(std::stoul(text, &used));
    } catch (const std::exception&) {
    }
    if (text.empty() || used != text.size() || batch < 1)
        throw std::invalid_argument("--batch expects a batch number such as 1 or 2, got '" + text + "'");
    return batch;
}

int MindsetApp::testRun(const std::string& command, const std::string& action) {
    const bool isImport = command == "import";
    const char* expected = isImport ? "`list` or `undo`" : command == "survey" ? "`test-link`" : "`remove-tests`";
    if ((isImport && action != "list" && action != "undo") || (command == "survey" && action != "test-link") ||
        (command == "responses" && action != "remove-tests")) {
        std::cerr << "mindset " << command << ": expected " << expected << ", got '" << action << "'\n";
        return EXIT_USAGE;
    }
    const auto surveyId = config().getString("mindset.survey", "");
    if (surveyId.empty()) throw std::invalid_argument("--survey ID is required");
    const auto batch = action == "undo" ? batchNumber() : 0;  // checked before the database is opened
    auto workspace = openWorkspace();
    const auto* survey = workspace->catalog.find(surveyId);
    if (!survey) return noSuchSurvey(*workspace, surveyId);
    auto& store = *workspace->store;
    if (action == "list") cli::printImportBatches(std::cout, store, *survey);
    else if (action == "undo") return cli::undoImport(std::cout, store, *survey, batch) ? EXIT_OK : EXIT_DATAERR;
    else if (action == "test-link") cli::printNewTestLink(std::cout, store, *survey, config().getString("mindset.baseUrl", "http://127.0.0.1:8080"));
    else cli::removeTestResponses(std::cout, store, *survey);
    return EXIT_OK;
}

int MindsetApp::accessCodes(const std::string& action, const std::vector<std::string>& codes) {
    if (action != "issue" && action != "status" && action != "void") {
        std::cerr << "mindset codes: expected `issue`, `void` or `status`, got '" << action << "'\n";
        return EXIT_USAGE;
    }
    const auto surveyId = config().getString("mindset.survey", "");
    if (surveyId.empty()) {
        std::cerr << "mindset codes: --survey ID is required\n";
        return EXIT_USAGE;
    }
    const bool isBatch = config().has("mindset.batch");
    if (action == "void" && codes.empty() == !isBatch)
        throw std::invalid_argument("void expects the codes to void (`void CODE...`) or `--batch N`, one of the two");
    const std::uint32_t batch = isBatch ? batchNumber() : 0;
    const auto format = config().getString("mindset.format", "sheet");
    if (format != "sheet" && format != "csv" && format != "pdf") throw std::invalid_argument("--format expects sheet, csv or pdf, got '" + format + "'");
    if (format != "pdf" && config().hasProperty("mindset.paper")) throw std::invalid_argument("--paper applies only to --format pdf");
    if (format != "pdf" && config().hasProperty("mindset.out"))
        throw std::invalid_argument("--out applies only to --format pdf (the sheet and the CSV go to standard output; --csv FILE also writes the CSV to a file)");
    const auto paperText = config().getString("mindset.paper", "letter");
    const auto paper = report::paperNamed(paperText);
    if (!paper) throw std::invalid_argument("--paper expects letter or a4, got '" + paperText + "'");
    // The codes exist nowhere else once printed: no file is ever written over another one.
    const std::filesystem::path csvFile = action == "issue" ? config().getString("mindset.csv", "") : "";
    const std::filesystem::path pdfFile = action == "issue" && format == "pdf" ? config().getString("mindset.out", "") : "";
    if (action == "issue" && format == "pdf" && pdfFile.empty())
        throw std::invalid_argument("--format pdf needs --out FILE, the PDF file to write the slips to (a PDF is never printed on the screen)");
    if (!csvFile.empty() && csvFile == pdfFile) throw std::invalid_argument("--csv and --out name the same file '" + csvFile.string() + "': give two");
    for (const auto& file : {csvFile, pdfFile})
        if (!file.empty() && std::filesystem::exists(file)) {
            std::cerr << "mindset codes: '" << file.string() << "' already exists (it may hold codes handed out): give another file name\n";
            return EXIT_CANTCREAT;
        }

    auto workspace = openWorkspace();
    const auto* survey = workspace->catalog.find(surveyId);
    auto& store = *workspace->store;
    if (!survey) return noSuchSurvey(*workspace, surveyId);
    if (action == "status") {
        cli::printAccessCodeStatus(std::cout, store, *survey);
        return EXIT_OK;
    }
    if (action == "void") {
        const bool isDone = isBatch ? cli::voidAccessCodeBatch(std::cout, std::cerr, store, *survey, batch)
                                    : cli::voidAccessCodes(std::cout, std::cerr, store, *survey, codes);
        return isDone ? EXIT_OK : EXIT_DATAERR;
    }
    return issueAccessCodes(store, *survey, format, *paper, csvFile, pdfFile);
}

int MindsetApp::issueAccessCodes(store::Store& store, const surveys::SurveyDefinition& survey, const std::string& format, report::Paper paper,
                                 const std::filesystem::path& csvFile, const std::filesystem::path& pdfFile) {
    if (survey.access != surveys::Access::AccessCodes)
        std::cerr << "note: survey '" << survey.id << "' is an open-link survey; add \"access\": \"codes\" to require these codes\n";
    if (!config().has("mindset.baseUrl"))
        std::cerr << "note: the codes carry the link http://127.0.0.1:8080/surveys/" << survey.id
                  << "?code=...; give the address staff open with --base-url https://...\n";
    const auto baseUrl = config().getString("mindset.baseUrl", "http://127.0.0.1:8080");
    // An address too long for a QR code is refused before any code is issued (a code is 14 characters).
    if (!pdfFile.empty()) {
        try {
            report::qrCodeOf(cli::codeLinkBase(survey, baseUrl) + "0000-0000-0000");
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument("--base-url is too long for the slips' QR codes (" + std::string(e.what()) + ")");
        }
    }
    std::vector<std::filesystem::path> created;
    const auto removeCreated = [&created] {
        for (const auto& file : created) std::filesystem::remove(file);
    };
    for (const auto& file : {csvFile, pdfFile}) {
        if (file.empty()) continue;
        if (!cli::createPrivateFile(file)) {
            std::cerr << "mindset codes: cannot create '" << file.string() << "': " << std::strerror(errno) << "\n";
            removeCreated();
            return EXIT_CANTCREAT;
        }
        created.push_back(file);
    }
    cli::IssuedCodes issued;
    try {
        issued = cli::issueAccessCodes(store, survey, config().getString("mindset.school", ""), config().getInt("mindset.count", 0), baseUrl,
                                       web::formatDate(web::localToday()));
    } catch (...) {  // nothing issued: leave no empty file that would refuse the next try
        removeCreated();
        throw;
    }
    // From here on the codes are stored: a file that cannot be finished says how to cancel them.
    const auto writeFile = [&](const std::filesystem::path& file, const std::string& bytes) {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out)
            std::cerr << "mindset codes: could not finish writing '" << file.string() << "'; if it was the only copy of the codes, cancel them: "
                      << "mindset codes void --survey " << survey.id << " --batch " << issued.batch << "\n";
        return static_cast<bool>(out);
    };
    if (format == "csv") cli::writeCodeCsv(std::cout, issued);
    else if (format == "sheet") cli::printCodeSheet(std::cout, issued);
    if (!csvFile.empty()) {
        std::ostringstream csv;
        cli::writeCodeCsv(csv, issued);
        if (!writeFile(csvFile, csv.str())) return EXIT_IOERR;
        std::cerr << "Also wrote the " << issued.codes.size() << " codes as CSV to " << csvFile.string() << "\n";
    }
    if (pdfFile.empty()) return EXIT_OK;
    const auto started = std::chrono::steady_clock::now();
    const auto pdf = report::renderCodeSlips(cli::codeSlipSheet(issued), paper);
    const auto elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    if (!writeFile(pdfFile, pdf.bytes)) return EXIT_IOERR;
    std::cout << "Wrote " << issued.codes.size() << " code slips for " << issued.school->name.in("en") << " (" << survey.id << ", batch " << issued.batch
              << "; " << pdf.pages << (pdf.pages == 1 ? " page, " : " pages, ") << report::paperName(paper) << ", " << pdf.bytes.size() / 1024
              << " KiB, made in " << elapsedMs << " ms) to " << pdfFile.string() << ", readable by its owner only.\n"
              << "Keep no other copy; if it is lost: mindset codes void --survey " << survey.id << " --batch " << issued.batch << "\n";
    return EXIT_OK;
}

int MindsetApp::backup() {
    const auto destination = config().getString("mindset.out", "");
    if (usesPostgresql())
        throw std::invalid_argument("--database: `mindset backup` copies the SQLite database; back up PostgreSQL with pg_dump (docs/postgresql.md)");
    if (destination.empty()) throw std::invalid_argument("--out FILE is required: the file to write the copy to");
    // Never opened through Store: a backup must not create, migrate or otherwise change the database.
    return static_cast<int>(
        cli::backupDatabase(std::cout, std::cerr, databaseFile(), destination, config().hasProperty("mindset.force")));
}

int MindsetApp::restore() {
    const auto backupFile = config().getString("mindset.from", "");
    if (usesPostgresql())
        throw std::invalid_argument("--database: `mindset restore` restores the SQLite database; restore PostgreSQL with pg_restore (docs/postgresql.md)");
    if (backupFile.empty()) throw std::invalid_argument("--from FILE is required: the backup to restore");
    // Never opened through Store: the database being replaced may be damaged, and must not be migrated.
    return static_cast<int>(cli::restoreDatabase(std::cout, std::cerr, backupFile, databaseFile()));
}

int MindsetApp::migrateStore() {
    const auto target = config().getString("mindset.to", "");
    if (usesPostgresql()) throw std::invalid_argument("--database: migrate-store reads the SQLite database of --data-dir; name PostgreSQL with --to");
    if (target.empty()) throw std::invalid_argument("--to URI is required: the PostgreSQL database to copy into (postgresql://USER@HOST:PORT/DB)");
    if (store::databaseKindOf(target) != store::DatabaseKind::Postgresql)
        throw std::invalid_argument("--to expects a PostgreSQL URI such as postgresql://mindset@db.example.org:5432/mindset, got '" + target + "'");
    return static_cast<int>(cli::migrateStore(std::cout, std::cerr, databaseFile(), target));
}

int MindsetApp::users(const std::vector<std::string>& args) {
    const std::string action = args.size() > 1 ? args[1] : "";
    const bool takesName = action == "add" || action == "remove" || action == "password" || action == "reset";
    if (!(takesName || action == "list") || args.size() != (takesName ? 3u : 2u)) {
        std::cerr << "mindset users: expected `add USERNAME`, `password USERNAME`, `list` or `remove USERNAME`\n";
        return EXIT_USAGE;
    }
    if (!usesPostgresql()) std::filesystem::create_directories(dataFolder());
    store::Store store(storeLocation());
    if (action == "list") {
        cli::printUsers(std::cout, store);
        return EXIT_OK;
    }
    if (action == "remove") {
        cli::removeUser(std::cout, store, args[2]);
        return EXIT_OK;
    }
    std::optional<std::string> district, school;
    if (config().has("mindset.district")) {
        if (action != "add") throw std::invalid_argument("--district is for `users add`; to change a scope, remove the account and add it again");
        district = config().getString("mindset.district");
    }
    if (config().has("mindset.school")) {
        if (action != "add") throw std::invalid_argument("--school is for `users add`; to change a scope, remove the account and add it again");
        school = config().getString("mindset.school");
    }
    // Checked before the password is asked for, so that a typo costs no typing.
    std::vector<std::string> knownDistricts, knownSchools;
    if (district) {
        const auto known = this->knownDistricts(store);
        for (const auto& [slug, schools] : known) knownDistricts.push_back(slug);
        if (const auto it = known.find(*district); it != known.end()) knownSchools.assign(it->second.begin(), it->second.end());
    }
    if (action == "add") cli::checkScope(district, knownDistricts, school, knownSchools);
    std::string password;
    {
        cli::HiddenTerminalInput hidden((action == "add" ? "Password for " : "New password for ") + args[2] + " (at least " +
                                        std::to_string(auth::kMinPasswordCharacters) + " characters): ");
        password = cli::readPasswordLine(std::cin);
    }
    if (action == "add")
        cli::addUser(std::cout, store, args[2], district, knownDistricts, password, web::formatDate(web::localToday()), school, knownSchools);
    else
        cli::setUserPassword(std::cout, store, args[2], password);
    return EXIT_OK;
}

std::map<std::string, std::set<std::string>> MindsetApp::knownDistricts(store::Store& store) const {
    loader::InstrumentRegistry registry;
    loadPlugins(registry, builtinPluginFolder(), extraPluginFolders_);
    return app::knownDistricts(surveys::loadSurveyFolder(surveyFolder(), registry), store);
}

void MindsetApp::applyServeConfigFile() {
    const auto file = config().getString("mindset.config", "");
    if (file.empty()) return;
    if (!std::filesystem::is_regular_file(file)) throw std::invalid_argument("--config: no file at " + file);
    Poco::AutoPtr<Poco::Util::IniFileConfiguration> settings;
    try {
        settings = new Poco::Util::IniFileConfiguration(file);
    } catch (const Poco::Exception& e) {
        throw std::invalid_argument("--config " + file + ": " + e.displayText());
    }
    const std::map<std::string, std::string> bound{
        {"host", "mindset.host"}, {"data-dir", "mindset.dataDir"}, {"database", "mindset.database"}, {"surveys", "mindset.surveyDir"}};
    auto commaSeparated = [](const std::string& value) {
        std::vector<std::string> items;
        std::stringstream in(value);
        for (std::string item; std::getline(in, item, ',');) {
            item.erase(0, item.find_first_not_of(' '));
            item.erase(item.find_last_not_of(' ') + 1);
            if (!item.empty()) items.push_back(item);
        }
        return items;
    };
    Poco::Util::AbstractConfiguration::Keys keys;
    settings->keys(keys);
    for (const auto& key : keys) {
        const auto value = settings->getString(key, "");
        if (const auto it = bound.find(key); it != bound.end()) {
            if (!config().hasProperty(it->second)) config().setString(it->second, value);
        } else if (key == "port") {
            if (!isPortGiven_) handlePort(key, value);
        } else if (key == "trusted-proxy") {
            if (trustedProxies_.empty()) trustedProxies_ = commaSeparated(value);
        } else if (key == "plugins") {
            for (auto& folder : commaSeparated(value)) extraPluginFolders_.emplace_back(std::move(folder));
        } else if (key == "log-requests") {
            const auto yes = Poco::toLower(value);
            if (yes != "yes" && yes != "true" && yes != "no" && yes != "false")
                throw std::invalid_argument("--config " + file + ": log-requests = " + value + ": expected yes or no");
            if ((yes == "yes" || yes == "true") && !config().hasProperty("mindset.logRequests")) config().setString("mindset.logRequests", "");
        } else {
            throw std::invalid_argument("--config " + file + ": unknown setting '" + key +
                                        "' (known: port, host, data-dir, database, surveys, plugins, trusted-proxy, log-requests; no [sections])");
        }
    }
}

namespace {

/// The signals serve waits for, blocked in this thread before any other starts (threads inherit
/// the mask), so that they reach only the sigwait below: SIGHUP reloads the survey files, the
/// others stop the server. Unblocked, SIGHUP's default would end the process.
sigset_t serveSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    for (const int signal : {SIGHUP, SIGINT, SIGQUIT, SIGTERM}) sigaddset(&signals, signal);
    return signals;
}

}  // namespace

int MindsetApp::serve() {
    const auto signals = serveSignals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    applyServeConfigFile();
    web::ServerOptions options;
    options.port = static_cast<unsigned short>(port_);
    options.host = config().getString("mindset.host", options.host);
    options.trustedProxies = trustedProxies_;
    options.logRequests = config().hasProperty("mindset.logRequests");
    // Listen first: a second server on a port in use must fail before it touches the database.
    std::optional<web::ListeningSocket> socket;
    try {
        socket.emplace(options);
    } catch (const web::ListenError& e) {
        std::cerr << "mindset serve: " << e.what() << "\n";
        return EXIT_UNAVAILABLE;
    }

    // One server per SQLite file: it keeps its drafts in memory (store/DraftCache.h).
    std::optional<ServeLock> databaseLock;
    if (!usesPostgresql()) {
        try {
            databaseLock.emplace(databaseFile());
        } catch (const ServeLockError& e) {
            std::cerr << "mindset serve: not started: " << e.what() << "\n";
            return EXIT_UNAVAILABLE;
        }
    }

    auto workspace = openWorkspace();
    auto& store = *workspace->store;
    if (databaseLock) store.keepDraftsInMemory();
    const auto& catalog = workspace->catalog;
    cli::printRefusedPlugins(std::cerr, workspace->registry);
    cli::printInvalidSurveys(std::cerr, catalog);
    cli::printSkippedSurveyFiles(std::cerr, catalog);
    if (!catalog.invalid.empty()) {
        const auto count = std::to_string(catalog.invalid.size());
        if (!config().hasProperty("mindset.allowInvalidSurveys")) {
            std::cerr << "mindset serve: not started: " << count << " survey file(s) above are invalid or refused, and their "
                      << "staff links would answer 404. Fix them (`mindset surveys` checks them without starting), or start "
                      << "with --allow-invalid-surveys to serve the other surveys.\n";
            return EXIT_CONFIG;
        }
        std::cerr << "WARNING: " << count << " survey file(s) above are NOT served (--allow-invalid-surveys): their staff "
                  << "links answer 404 until they are fixed and the surveys reloaded (SIGHUP) or the server restarted.\n";
    }
    std::shared_ptr<auth::OidcProvider> singleSignOn;
    if (config().has("mindset.oidc")) {
        try {
            singleSignOn = loadSingleSignOn(config().getString("mindset.oidc"), app::knownDistricts(catalog, store));
        } catch (const auth::OidcConfigError& e) {
            std::cerr << "mindset serve: not started: " << e.what() << "\n";
            return EXIT_CONFIG;
        }
    }
    store.deleteExpiredDrafts(web::formatDate(web::localToday()));
    // Closed surveys get their final release before anyone reads them.
    cli::publishDueFinalReleases(std::cout, std::cerr, store, catalog, web::localToday());

    auto served = std::make_shared<const ServedSite>(std::move(workspace->catalog), store, web::localToday, singleSignOn);
    web::HttpServer server(routesOf(served), options, std::move(*socket));
    server.start();

    const auto base = "http://" + options.host + ":" + std::to_string(server.port());
    std::cout << "Mindset is running at " << base << "/\n"
              << "  database: "
              << (usesPostgresql() ? store::displayLocation(storeLocation()) : std::filesystem::absolute(databaseFile()).string()) << "\n";
    for (const auto& survey : served->catalog().surveys) std::cout << "  survey:   " << base << "/surveys/" << survey.id << "\n";
    if (singleSignOn)
        std::cout << "  single sign-on: " << singleSignOn->config().providerName << " (" << singleSignOn->config().issuer << "), "
                  << singleSignOn->config().rules.size() << " rule(s)\n";
    std::cout << "Press Ctrl+C to stop; send SIGHUP (`systemctl reload mindset`) to reload the survey files." << std::endl;

    for (int signal = 0; sigwait(&signals, &signal) == 0 && signal == SIGHUP;) {
        // Survey files only: plugins stay as loaded (a new plugin needs a restart).
        try {
            auto fresh = surveys::loadSurveyFolder(surveyFolder(), workspace->registry);
            saveSurveys(fresh, store);
            auto reload = mergeReload(served->catalog(), std::move(fresh));
            printReload(std::cout, std::cerr, reload);
            served = std::make_shared<const ServedSite>(std::move(reload.catalog), served->site());
            server.replaceRouter(routesOf(served));
        } catch (const std::exception& e) {
            std::cerr << "WARNING: the survey files could not be reloaded (" << e.what() << "); still serving the surveys loaded before."
                      << std::endl;
        }
    }
    server.stop();
    return EXIT_OK;
}

}  // namespace mindset::app
