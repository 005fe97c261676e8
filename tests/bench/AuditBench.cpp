// Benchmark of the disclosure audit and secondary suppression (issue 9), not a test: it prints
// figures and asserts nothing. For the demo district's riverside-2024 (the demo plan's responses,
// seed and year) and for a 1,000,000-response riverside-2026, it publishes three releases (half,
// three quarters, then all of the responses, in the generator's random order), each audited
// against the ones published before it, and prints per release the audit and suppression time,
// the LPs solved, and how many groups and cells are hidden against the old table-by-table rule
// (analytics::protectCells with the survey's minGroupSize).
//
// usage: mindset_bench_audit [COUNT]     (the large survey's responses; default 1000000; 0: the demo survey only)
// or:    cmake --build build --target bench-audit
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analytics/Profile.h"
#include "demo/DemoPlan.h"
#include "demo/DemoResponses.h"
#include "loader/PluginLoader.h"
#include "surveys/SurveyCatalog.h"

namespace {

using namespace mindset;
using Clock = std::chrono::steady_clock;

/// Hidden non-empty cells (group x scale) and hidden groups of a profile.
struct HiddenCount {
    std::size_t cells = 0;
    std::size_t groups = 0;
    std::size_t nonEmptyCells = 0;
};

/// What the profile hides now.
HiddenCount hiddenNow(const analytics::Profile& profile) {
    HiddenCount count;
    for (std::size_t g = 0; g < profile.scales.size(); ++g) {
        for (const auto& breakdown : profile.breakdowns)
            for (const auto& cell : breakdown.cellsByScale[g]) {
                count.nonEmptyCells += cell.size > 0;
                count.cells += cell.size > 0 && cell.hidden != analytics::HiddenBecause::Shown;
            }
        if (profile.pair)
            for (const auto& cell : profile.pair->cellsByScale[g]) {
                count.nonEmptyCells += cell.size > 0;
                count.cells += cell.size > 0 && cell.hidden != analytics::HiddenBecause::Shown;
            }
    }
    count.groups = profile.suppressionPattern["hiddenGroups"].size();
    return count;
}

/// What the old rule (before issue 9) would hide on the same figures: per scale, each breakdown's
/// cells adding up to the district, each row and column of the pair adding up to its category.
HiddenCount hiddenByOldRule(const analytics::Profile& profile, int minGroupSize) {
    HiddenCount count;
    std::vector<bool> isGroupHiddenSomewhere;
    for (std::size_t g = 0; g < profile.scales.size(); ++g) {
        std::vector<std::int64_t> sizes;
        std::vector<std::size_t> first;
        std::vector<analytics::CellSum> sums;
        for (const auto& breakdown : profile.breakdowns) {
            first.push_back(sizes.size());
            analytics::CellSum sum;
            for (const auto& cell : breakdown.cellsByScale[g]) {
                sum.parts.push_back(sizes.size());
                sizes.push_back(cell.size);
            }
            sums.push_back(std::move(sum));
        }
        if (profile.pair) {
            const auto rows = profile.breakdowns[profile.pair->rowQuestion].categories.size();
            const auto columns = profile.breakdowns[profile.pair->columnQuestion].categories.size();
            const auto firstPair = sizes.size();
            for (const auto& cell : profile.pair->cellsByScale[g]) sizes.push_back(cell.size);
            analytics::CellSum all;
            for (std::size_t i = 0; i < rows * columns; ++i) all.parts.push_back(firstPair + i);
            sums.push_back(all);
            for (std::size_t r = 0; r < rows; ++r) {
                analytics::CellSum row{{}, first[profile.pair->rowQuestion] + r};
                for (std::size_t c = 0; c < columns; ++c) row.parts.push_back(firstPair + r * columns + c);
                sums.push_back(std::move(row));
            }
            for (std::size_t c = 0; c < columns; ++c) {
                analytics::CellSum column{{}, first[profile.pair->columnQuestion] + c};
                for (std::size_t r = 0; r < rows; ++r) column.parts.push_back(firstPair + r * columns + c);
                sums.push_back(std::move(column));
            }
        }
        const auto reasons = analytics::protectCells(sizes, sums, minGroupSize);
        isGroupHiddenSomewhere.resize(sizes.size(), false);
        for (std::size_t i = 0; i < sizes.size(); ++i) {
            if (sizes[i] == 0 || reasons[i] == analytics::HiddenBecause::Shown) continue;
            ++count.cells;
            isGroupHiddenSomewhere[i] = true;
        }
    }
    for (bool isHidden : isGroupHiddenSomewhere) count.groups += isHidden;
    return count;
}

/// Publishes three releases of `responses` and prints one line per release.
void publishReleases(const surveys::SurveyDefinition& survey, const std::vector<surveys::EncodedResponse>& responses) {
    std::vector<nlohmann::json> published;
    std::vector<std::uint32_t> releaseOf(responses.size(), 0);
    const std::vector<double> shares{0.5, 0.75, 1.0};
    std::printf("%s, %zu responses, threshold %d (minGroupSize %d, %s)\n", survey.id.c_str(), responses.size(), survey.reportingThreshold(),
                survey.minGroupSize, survey.access == surveys::Access::OpenLink ? "open link" : "access codes");
    std::printf("  release  responses  passed  audit+suppression ms  LPs  rounds  profile ms  hidden groups (old)  hidden cells (old) of non-empty\n");
    for (std::size_t r = 0; r < shares.size(); ++r) {
        const auto count = static_cast<std::size_t>(shares[r] * static_cast<double>(responses.size()));
        analytics::ProfileOptions options;
        options.earlierPatterns = published;
        const auto source = [&](const std::function<void(const analytics::ResponseBytes&)>& each) {
            for (std::size_t i = 0; i < count; ++i) each({responses[i].demographics, responses[i].answers, releaseOf[i]});
        };
        const auto started = Clock::now();
        const auto profile = analytics::buildProfile(survey, source, options);
        const auto profileMs = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
        const auto now = hiddenNow(profile);
        const auto old = hiddenByOldRule(profile, survey.minGroupSize);
        std::printf("  %7zu  %9zu  %6s  %20.1f  %4lld  %6lld  %10.1f  %10zu (%4zu)  %10zu (%4zu) of %zu\n", r + 1, count,
                    profile.isAuditPassed ? "yes" : "NO", profile.auditReport["milliseconds"].get<double>(),
                    profile.auditReport["linearPrograms"].get<long long>(), profile.auditReport["rounds"].get<long long>(), profileMs,
                    now.groups, old.groups, now.cells, old.cells, now.nonEmptyCells);
        if (!profile.isAuditPassed) {
            std::printf("           refused: %s\n", profile.auditFailure.c_str());
            continue;  // a refused release is not published: the next one is audited without it
        }
        published.push_back(profile.suppressionPattern);
        for (std::size_t i = 0; i < count; ++i)
            if (releaseOf[i] == 0) releaseOf[i] = static_cast<std::uint32_t>(published.size());
        std::fflush(stdout);
    }
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::size_t largeCount = 1'000'000;
        if (argc > 1) largeCount = std::stoul(argv[1]);
        loader::InstrumentRegistry registry;
        loader::loadPluginFolder(registry, MINDSET_BUILTIN_PLUGIN_DIR);
        const auto folder = std::filesystem::path(MINDSET_SOURCE_DIR) / "surveys";

        const auto plan = demo::loadDemoPlan(folder / "demo" / "plan.json");
        const auto demoSurvey = surveys::loadSurveyFile(folder / "riverside-2024.json", registry);
        for (const auto& planned : plan.surveys) {
            if (planned.surveyId != demoSurvey.id) continue;
            const auto responses = demo::generateResponses(demoSurvey, planned.responses, planned.seed,
                                                           plan.profileFor(planned, demoSurvey.districtId));
            publishReleases(demoSurvey, responses);
        }

        if (largeCount == 0) return 0;
        const auto largeSurvey = surveys::loadSurveyFile(folder / "riverside-2026.json", registry);
        const auto started = Clock::now();
        const auto responses = demo::generateResponses(largeSurvey, largeCount, 20260401);
        std::printf("(generated %zu responses in %.1f s)\n", responses.size(), std::chrono::duration<double>(Clock::now() - started).count());
        publishReleases(largeSurvey, responses);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "mindset_bench_audit: %s\n", e.what());
        return 1;
    }
}
