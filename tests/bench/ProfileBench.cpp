// Benchmark of the district profile (issue 4), not a test: it prints figures and asserts nothing
// except that every profile counted every response. For each response count it stores that many
// demo responses of surveys/riverside-2026.json (three instruments) in a fresh SQLite file, then
// times buildProfile with every breakdown, reading from the file and from memory. With --database
// (a PostgreSQL server's URI, as tests/support/throwaway-postgres.sh writes it) the same responses
// are also stored in a fresh database on that server and the profile is read from it as a host on
// PostgreSQL would (the database is dropped afterwards).
//
// usage: mindset_bench_profile [--runs N] [--database postgresql://…] [COUNT...]
//        (default: 10000 100000 1000000, 3 runs)
// or:    cmake --build build --target bench-profile
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analytics/Profile.h"
#include "app/Startup.h"
#include "demo/DemoResponses.h"
#include "loader/PluginLoader.h"
#include "store/Database.h"
#include "store/Sqlite.h"
#include "store/Store.h"
#include "surveys/SurveyCatalog.h"

namespace {

using namespace mindset;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kSeed = 20260401;
constexpr double kMiB = 1024.0 * 1024.0;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

/// The first three fields of /proc/loadavg ("0.52 0.40 0.31"), or "?".
std::string loadAverages() {
    std::ifstream file("/proc/loadavg");
    std::string one, five, fifteen;
    if (!(file >> one >> five >> fifteen)) return "?";
    return one + " " + five + " " + fifteen;
}

/// A value of /proc/self/status in kB ("VmRSS", "VmHWM"), or -1 when the line is missing.
long statusKb(const std::string& name) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(name + ":", 0) == 0) return std::strtol(line.c_str() + name.size() + 1, nullptr, 10);
    return -1;
}

/// Measures how far resident memory rises above its level at construction, while a step runs.
/// Linux resets the process's high-water mark (VmHWM) to its current RSS when "5" is written to
/// /proc/self/clear_refs; VmHWM after the step minus VmRSS before it is then the step's own peak
/// growth, whatever the process held before. Freed heap is returned to the system first
/// (malloc_trim) so that the step cannot hide its growth in memory an earlier step left behind.
class RssGrowth {
public:
    /// The process's peak RSS in kB over its whole life, including peaks before any reset.
    static long processPeakKb() { return std::max(peakBeforeResetsKb_, statusKb("VmHWM")); }

    RssGrowth() {
        malloc_trim(0);
        peakBeforeResetsKb_ = processPeakKb();
        std::ofstream clearRefs("/proc/self/clear_refs");
        clearRefs << "5";
        clearRefs.flush();
        isReset_ = static_cast<bool>(clearRefs);
        baselineKb_ = statusKb("VmRSS");
    }
    /// The growth in MB, or nothing when the high-water mark could not be reset.
    std::optional<double> growthMb() const {
        if (!isReset_ || baselineKb_ < 0) return std::nullopt;
        return static_cast<double>(std::max(0L, statusKb("VmHWM") - baselineKb_)) / 1024.0;
    }

private:
    static inline long peakBeforeResetsKb_ = 0;
    bool isReset_ = false;
    long baselineKb_ = -1;
};

/// Wall-clock time, and the CPU time of the calling thread, since construction. The CPU time
/// stays near the true cost when other processes keep the machine busy; the wall-clock time does not.
class Stopwatch {
public:
    struct Reading {
        double wallS = 0;
        double cpuS = 0;
    };
    Stopwatch() : wall_(Clock::now()), cpuS_(threadCpuSeconds()) {}
    Reading read() const { return {secondsSince(wall_), threadCpuSeconds() - cpuS_}; }

private:
    static double threadCpuSeconds() {
        timespec now{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
        return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
    }
    Clock::time_point wall_;
    double cpuS_;
};

struct Timings {
    double min = 0;
    double median = 0;
    double cpuMin = 0;
};

Timings summarize(const std::vector<Stopwatch::Reading>& readings) {
    std::vector<double> wall, cpu;
    for (const auto& r : readings) {
        wall.push_back(r.wallS);
        cpu.push_back(r.cpuS);
    }
    std::sort(wall.begin(), wall.end());
    return {wall.front(), wall[wall.size() / 2], *std::min_element(cpu.begin(), cpu.end())};
}

struct Row {
    std::size_t count = 0;
    double fileMb = 0;
    double generateS = 0;
    double insertS = 0;
    double coldFileS = 0;
    Timings file;
    Timings memory;
    std::optional<double> fileGrowthMb;
    std::optional<double> postgresInsertS;  ///< with --database: Store::insertResponses into PostgreSQL
    std::optional<Timings> postgres;        ///< with --database: the profile read from PostgreSQL
    std::optional<double> memoryGrowthMb;
    double peakRssMb = 0;
};

/// Removes the folder when the object dies, also when a step throws.
class TempFolder {
public:
    TempFolder() {
        auto pattern = (std::filesystem::temp_directory_path() / "mindset-bench-profile.XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("could not create a folder like " + pattern);
        path_ = pattern;
    }
    ~TempFolder() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

void checkCount(const analytics::Profile& profile, std::size_t expected, const char* source) {
    if (profile.responses != static_cast<std::int64_t>(expected))
        throw std::runtime_error(std::string("the profile from ") + source + " counted " + std::to_string(profile.responses) +
                                 " responses, expected " + std::to_string(expected));
}

/// Asks the kernel to drop the file's pages from its cache, so that the next read comes from the
/// disk (or whatever backs the temp folder). Needs no privileges; a hint the kernel may ignore.
void evictFromPageCache(const std::filesystem::path& file) {
    const int fd = open(file.c_str(), O_RDONLY);
    if (fd < 0) return;
    fdatasync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
}

/// Stores `responses` and returns the seconds the inserts took. Copied a batch at a time
/// (insertResponses commits 50,000 rows per transaction anyway), so that the copies never double the
/// memory the generated responses take; only the inserts are timed.
template <typename Responses>
double insertTimed(store::Store& store, std::int64_t storeId, const Responses& responses) {
    constexpr std::size_t kBatch = 50'000;
    std::vector<store::StoredResponse> batch;
    double seconds = 0;
    for (std::size_t begin = 0; begin < responses.size(); begin += kBatch) {
        batch.clear();
        for (std::size_t i = begin; i < std::min(responses.size(), begin + kBatch); ++i)
            batch.push_back({responses[i].demographics, responses[i].answers});
        const auto start = Clock::now();
        store.insertResponses(storeId, batch);
        seconds += secondsSince(start);
    }
    return seconds;
}

/// A fresh database on the PostgreSQL server `serverUri` for one row, dropped when the object dies.
class ScratchPostgresDatabase {
public:
    ScratchPostgresDatabase(const std::string& serverUri, std::size_t count) : server_(serverUri) {
        name_ = "mindset_bench_" + std::to_string(getpid()) + "_" + std::to_string(count);
        auto server = store::openDatabase(server_);
        server->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");  // one statement each: neither may run in a transaction
        server->exec("CREATE DATABASE " + name_);
        const auto query = server_.find('?');
        const auto path = server_.rfind('/', query);  // the URI ends with the maintenance database: replaced
        uri_ = server_.substr(0, path + 1) + name_ + (query == std::string::npos ? "" : server_.substr(query));
    }
    ~ScratchPostgresDatabase() {
        try {
            store::openDatabase(server_)->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        } catch (const std::exception& e) {
            std::fprintf(stderr, "could not drop the benchmark's database %s: %s\n", name_.c_str(), e.what());
        }
    }
    ScratchPostgresDatabase(const ScratchPostgresDatabase&) = delete;
    ScratchPostgresDatabase& operator=(const ScratchPostgresDatabase&) = delete;
    const std::string& uri() const { return uri_; }

private:
    std::string server_, name_, uri_;
};

Row measure(const surveys::SurveyDefinition& loaded, std::size_t count, int runs, const std::string& postgresServer) {
    Row row;
    row.count = count;
    TempFolder folder;
    const auto database = folder.path() / "mindset.sqlite";

    auto start = Clock::now();
    const auto responses = demo::generateResponses(loaded, count, kSeed);
    row.generateS = secondsSince(start);

    surveys::SurveyCatalog catalog;
    catalog.surveys.push_back(loaded);
    {
        store::Store store(database.string());
        app::saveSurveys(catalog, store);
        if (catalog.surveys.empty()) throw std::runtime_error("the store refused the survey: " + std::string(catalog.invalid.at(0).what()));
        row.insertS = insertTimed(store, catalog.surveys.front().storeId, responses);
    }
    {
        store::Connection connection(database.string());
        connection.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    std::error_code noWal;
    const auto walBytes = std::filesystem::exists(database.string() + "-wal") ? std::filesystem::file_size(database.string() + "-wal", noWal) : 0;
    row.fileMb = static_cast<double>(std::filesystem::file_size(database) + walBytes) / kMiB;
    const auto& survey = catalog.surveys.front();

    // From the file: a fresh Store each time, opened inside the timed span, as `mindset report` does.
    auto fromFile = [&] {
        const Stopwatch stopwatch;
        store::Store store(database.string());
        const auto profile = analytics::buildProfile(survey, app::storedResponses(store, survey));
        const auto reading = stopwatch.read();
        checkCount(profile, count, "the SQLite file");
        return reading;
    };
    evictFromPageCache(database);
    row.coldFileS = fromFile().wallS;
    std::vector<Stopwatch::Reading> readings;
    {
        RssGrowth growth;
        for (int run = 0; run < runs; ++run) readings.push_back(fromFile());
        row.fileGrowthMb = growth.growthMb();
    }
    row.file = summarize(readings);

    const auto inMemory = analytics::responsesInMemory(responses);
    readings.clear();
    {
        RssGrowth growth;
        for (int run = 0; run < runs; ++run) {
            const Stopwatch stopwatch;
            const auto profile = analytics::buildProfile(survey, inMemory);
            readings.push_back(stopwatch.read());
            checkCount(profile, count, "memory");
        }
        row.memoryGrowthMb = growth.growthMb();
    }
    row.memory = summarize(readings);

    if (!postgresServer.empty()) {
        ScratchPostgresDatabase scratch(postgresServer, count);
        surveys::SurveyCatalog onPostgres;
        onPostgres.surveys.push_back(loaded);
        {
            store::Store store(scratch.uri());
            app::saveSurveys(onPostgres, store);
            if (onPostgres.surveys.empty()) throw std::runtime_error("PostgreSQL refused the survey: " + std::string(onPostgres.invalid.at(0).what()));
            row.postgresInsertS = insertTimed(store, onPostgres.surveys.front().storeId, responses);
            store::openDatabase(scratch.uri())->exec("VACUUM ANALYZE responses");  // as autovacuum would after a bulk load
        }
        const auto& stored = onPostgres.surveys.front();
        readings.clear();
        for (int run = 0; run < runs; ++run) {
            const Stopwatch stopwatch;
            store::Store store(scratch.uri());  // a fresh connection each time, as `mindset report --database` does
            const auto profile = analytics::buildProfile(stored, app::storedResponses(store, stored));
            readings.push_back(stopwatch.read());
            checkCount(profile, count, "PostgreSQL");
        }
        row.postgres = summarize(readings);
    }
    row.peakRssMb = static_cast<double>(RssGrowth::processPeakKb()) / 1024.0;
    return row;
}

std::string megabytes(const std::optional<double>& mb) {
    if (!mb) return "n/a";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", *mb);
    return text;
}

void printTable(const std::vector<Row>& rows, int runs) {
    std::printf("\n%-36s | %-36s | %-22s | %s\n", "", "profile from file, s", "from memory, s", "RSS, MB");
    std::printf("%9s %8s %7s %9s | %6s %6s %6s %6s %8s | %6s %6s %6s | %6s %6s %7s\n", "responses", "file MB", "gen s",
                "insert s", "min", "median", "cold", "cpu", "us/resp", "min", "median", "cpu", "peak", "+file", "+memory");
    for (const auto& r : rows)
        std::printf("%9zu %8.1f %7.2f %9.2f | %6.3f %6.3f %6.3f %6.3f %8.3f | %6.3f %6.3f %6.3f | %6.0f %6s %7s\n", r.count,
                    r.fileMb, r.generateS, r.insertS, r.file.min, r.file.median, r.coldFileS, r.file.cpuMin,
                    r.file.min / static_cast<double>(r.count) * 1e6, r.memory.min, r.memory.median, r.memory.cpuMin, r.peakRssMb,
                    megabytes(r.fileGrowthMb).c_str(), megabytes(r.memoryGrowthMb).c_str());

    std::printf("\nscaling: time per response (min of %d runs) and its ratio to the first row's (1.00: linear growth)\n", runs);
    std::printf("%9s %12s %7s %12s %7s\n", "responses", "file us", "ratio", "memory us", "ratio");
    const auto perResponse = [](double seconds, std::size_t count) { return seconds / static_cast<double>(count) * 1e6; };
    for (const auto& r : rows) {
        const auto file = perResponse(r.file.min, r.count);
        const auto memory = perResponse(r.memory.min, r.count);
        std::printf("%9zu %12.3f %7.2f %12.3f %7.2f\n", r.count, file, file / perResponse(rows.front().file.min, rows.front().count),
                    memory, memory / perResponse(rows.front().memory.min, rows.front().count));
    }
    std::printf(
        "\nfile MB (2^20 bytes): the SQLite file after PRAGMA wal_checkpoint(TRUNCATE). gen s: demo::generateResponses.\n"
        "insert s: Store::insertResponses only.\n"
        "profile from file: opening a fresh Store plus buildProfile over storedResponses, page cache warm;\n"
        "  cold: one earlier run after asking the kernel to drop the file from its page cache (posix_fadvise).\n"
        "from memory: buildProfile over the generated responses held in a std::vector.\n"
        "min, median, cold: wall-clock; another busy process on the machine inflates them (see the load averages\n"
        "  above). cpu: the least CPU time of the runs, which load inflates much less.\n"
        "RSS peak: the process's high-water mark so far (includes the generated responses); +file, +memory: how far\n"
        "  RSS rose during the timed runs (VmHWM after minus VmRSS before, the mark reset via /proc/self/clear_refs).\n"
        "targets (issue 4) at 1 M: from file <= 1.5 s, from memory <= 0.5 s, peak memory < 1 GB, growth no worse than linear.\n");

    if (std::none_of(rows.begin(), rows.end(), [](const Row& r) { return r.postgres.has_value(); })) return;
    std::printf("\n%9s | %9s | %-28s | %s\n", "", "", "profile from PostgreSQL, s", "beside SQLite");
    std::printf("%9s | %9s | %6s %6s %6s %8s | %9s %7s\n", "responses", "insert s", "min", "median", "cpu", "us/resp", "file min", "ratio");
    for (const auto& r : rows) {
        if (!r.postgres) continue;
        std::printf("%9zu | %9.2f | %6.3f %6.3f %6.3f %8.3f | %9.3f %7.2f\n", r.count, *r.postgresInsertS, r.postgres->min, r.postgres->median,
                    r.postgres->cpuMin, r.postgres->min / static_cast<double>(r.count) * 1e6, r.file.min, r.postgres->min / r.file.min);
    }
    std::printf(
        "profile from PostgreSQL: a fresh Store (one connection) plus buildProfile over storedResponses, the server on this\n"
        "  machine (server work counts in the wall clock, not in cpu). target (issue 13) at 1 M: <= 3 s.\n");
}

/// `text` as a whole number from 1 to 100,000,000; throws std::invalid_argument naming `what` otherwise.
std::size_t positiveNumber(const std::string& text, const char* what) {
    std::size_t used = 0;
    unsigned long long value = 0;
    try {
        value = std::stoull(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size() || value == 0 || value > 100'000'000)
        throw std::invalid_argument(std::string("expected ") + what + " from 1 to 100000000, got '" + text + "'");
    return static_cast<std::size_t>(value);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        int runs = 3;
        std::string postgresServer;
        std::vector<std::size_t> counts;
        for (int i = 1; i < argc; ++i) {
            const std::string arg = argv[i];
            if (arg == "-h" || arg == "--help") {
                std::printf("usage: %s [--runs N] [--database postgresql://...] [COUNT...]   (default: 10000 100000 1000000, 3 runs)\n",
                            argv[0]);
                return 0;
            }
            if (arg == "--database" && i + 1 < argc) {
                postgresServer = argv[++i];
                if (store::databaseKindOf(postgresServer) != store::DatabaseKind::Postgresql)
                    throw std::invalid_argument("--database expects a PostgreSQL server URI (postgresql://user@host:port/postgres), got '" +
                                                postgresServer + "'");
                continue;
            }
            if (arg == "--runs" && i + 1 < argc) {
                runs = static_cast<int>(positiveNumber(argv[++i], "a number of runs"));
                continue;
            }
            counts.push_back(positiveNumber(arg, "a response count"));
        }
        if (counts.empty()) counts = {10'000, 100'000, 1'000'000};

        loader::InstrumentRegistry registry;
        loader::loadPluginFolder(registry, MINDSET_BUILTIN_PLUGIN_DIR);
        for (const auto& refused : registry.refused())
            std::fprintf(stderr, "refused plugin %s: %s\n", refused.file.c_str(), refused.reason.c_str());
        const auto survey = surveys::loadSurveyFile(std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys" / "riverside-2026.json", registry);
        std::printf("survey %s: %zu instruments, %zu items, %zu demographic questions; %d timed runs per figure; %ld CPU(s),"
                    " load averages %s\n",
                    survey.id.c_str(), survey.instruments.size(), survey.answerCount(), survey.demographics.size(), runs,
                    sysconf(_SC_NPROCESSORS_ONLN), loadAverages().c_str());

        std::vector<Row> rows;
        for (const auto count : counts) {
            rows.push_back(measure(survey, count, runs, postgresServer));
            const auto& r = rows.back();
            std::printf("%zu responses: file %.1f MB, generated in %.2f s, inserted in %.2f s, profile from file %.3f s"
                        " (cold %.3f s), from memory %.3f s\n",
                        r.count, r.fileMb, r.generateS, r.insertS, r.file.min, r.coldFileS, r.memory.min);
            if (r.postgres) std::printf("  PostgreSQL: inserted in %.2f s, profile %.3f s\n", *r.postgresInsertS, r.postgres->min);
            std::fflush(stdout);
        }
        std::printf("load averages at the end: %s\n", loadAverages().c_str());
        printTable(rows, runs);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mindset_bench_profile: %s\n", e.what());
        return 1;
    }
}
