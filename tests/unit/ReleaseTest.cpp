#include <catch2/catch.hpp>

#include <atomic>
#include <sstream>
#include <thread>

#include "analytics/ProfileJson.h"
#include "app/Startup.h"
#include "cli/Releases.h"
#include "demo/DemoResponses.h"
#include "releases/Releases.h"
#include "store/Store.h"
#include "support/TestSupport.h"
#include "surveys/SurveyCatalog.h"
#include "support/TestDatabase.h"

using namespace mindset;
using namespace std::chrono;
using store::ReleaseKind;
using store::ReleaseResult;

namespace {

/// The demo survey saved in an in-memory store.
struct Fixture {
    store::Store store{testing::storeLocation()};
    surveys::SurveyCatalog catalog;

    Fixture() {
        catalog.surveys.push_back(testing::demoSurvey());
        app::saveSurveys(catalog, store);
    }
    const surveys::SurveyDefinition& survey() const { return catalog.surveys.front(); }
    void add(std::size_t count, std::uint64_t seed) {
        std::vector<store::StoredResponse> rows;
        for (auto& r : demo::generateResponses(survey(), count, seed)) rows.push_back({r.demographics, r.answers});
        store.insertResponses(survey().storeId, rows);
    }
    store::NewRelease newRelease(ReleaseKind kind, std::int64_t unreleasedRead) const {
        return {survey().storeId, "2026-11-30", kind, unreleasedRead, "null", "null", "abc"};
    }
    /// How many responses of release `number` carry each release number (index = number).
    std::vector<int> releaseNumbers(std::uint32_t number) {
        std::vector<int> counts(4, 0);
        store.forEachReleaseResponse(survey().storeId, number,
                                     [&](auto, auto, std::uint32_t release) { ++counts.at(release); });
        return counts;
    }
};

const year_month_day kOpenDay = testing::dayWhenDemoIsOpen();
const year_month_day kAfterClosing = 2027y / July / 1d;

}  // namespace

TEST_CASE("publishing a release numbers it and marks exactly the responses it holds", "[unit][releases]") {
    Fixture f;
    const auto surveyId = f.survey().storeId;
    CHECK(f.store.publishRelease(f.newRelease(ReleaseKind::Interim, 0)) == ReleaseResult::NoResponses);
    f.add(40, 1);
    store::ReleaseRecord first;
    // Read 39 unreleased, but 40 are there: something arrived meanwhile, nothing is stored.
    CHECK(f.store.publishRelease(f.newRelease(ReleaseKind::Interim, 39)) == ReleaseResult::ResponsesArrived);
    CHECK(f.store.releases(surveyId).empty());
    REQUIRE(f.store.publishRelease(f.newRelease(ReleaseKind::Interim, 40), &first) == ReleaseResult::Published);
    CHECK(first.number == 1);
    CHECK(first.responses == 40);
    CHECK(first.publishedOn == "2026-11-30");
    CHECK(f.store.countUnreleasedResponses(surveyId) == 0);
    CHECK(f.store.publishRelease(f.newRelease(ReleaseKind::Interim, 0)) == ReleaseResult::NothingChanged);

    f.add(7, 2);
    CHECK(f.releaseNumbers(0) == std::vector<int>{7, 40, 0, 0});  // 0: every response, the new ones in no release
    store::ReleaseRecord second;
    REQUIRE(f.store.publishRelease(f.newRelease(ReleaseKind::Interim, 7), &second) == ReleaseResult::Published);
    CHECK(second.number == 2);
    CHECK(second.responses == 47);
    CHECK(f.releaseNumbers(1) == std::vector<int>{0, 40, 0, 0});  // release 1 still holds exactly its 40
    CHECK(f.releaseNumbers(2) == std::vector<int>{0, 40, 7, 0});

    // A final release may close an unchanged population; after it, nothing more.
    store::ReleaseRecord final;
    REQUIRE(f.store.publishRelease(f.newRelease(ReleaseKind::Final, 0), &final) == ReleaseResult::Published);
    CHECK(final.number == 3);
    CHECK(final.kind == ReleaseKind::Final);
    f.add(3, 3);
    CHECK(f.store.publishRelease(f.newRelease(ReleaseKind::Interim, 3)) == ReleaseResult::AlreadyFinal);
    CHECK(f.store.publishRelease(f.newRelease(ReleaseKind::Final, 3)) == ReleaseResult::AlreadyFinal);
    const auto all = f.store.releases(surveyId);
    REQUIRE(all.size() == 3);
    CHECK(all[0].responses == 40);
    CHECK(f.store.findRelease(surveyId, 2)->responses == 47);
    CHECK_FALSE(f.store.findRelease(surveyId, 4));
}

TEST_CASE("a published release reads back the same figures, and says when they no longer match", "[unit][releases]") {
    Fixture f;
    f.add(300, 7);
    const auto outcome = releases::publishRelease(f.store, f.survey(), ReleaseKind::Interim, kOpenDay);
    REQUIRE(outcome.release);
    CHECK(outcome.release->publishedOn == releases::isoDate(kOpenDay));
    CHECK(outcome.release->profileSha256.size() == 64);
    f.add(25, 8);  // after the release: not in it

    const auto read = releases::readRelease(f.store, f.survey(), *outcome.release);
    CHECK(read.isMatchingPublished);
    CHECK(read.profile.responses == 300);
    const auto live = analytics::buildProfile(f.survey(), app::storedResponses(f.store, f.survey()));
    CHECK(live.responses == 325);
    CHECK(analytics::profileToJson(read.profile, f.survey(), "en") != analytics::profileToJson(live, f.survey(), "en"));

    CHECK(read.changedInstruments.empty());

    // Figures that no longer match say what changed, from the fingerprints recorded with the release.
    auto changed = *outcome.release;
    changed.profileSha256 = std::string(64, '0');
    const auto hostChanged = releases::readRelease(f.store, f.survey(), changed);
    CHECK_FALSE(hostChanged.isMatchingPublished);
    CHECK(hostChanged.hasRecordedFingerprints);  // every instrument as recorded: the host's computation changed
    CHECK(hostChanged.changedInstruments.empty());

    auto fingerprints = nlohmann::json::parse(changed.instrumentFingerprintsJson);
    REQUIRE(fingerprints.size() == f.survey().instruments.size());
    const auto changedKey = f.survey().instruments.back().key;
    fingerprints[changedKey] = std::string(64, 'f');
    fingerprints["retired-instrument@0.1.0"] = std::string(64, 'e');  // pinned then, not now
    changed.instrumentFingerprintsJson = fingerprints.dump();
    const auto instrumentChanged = releases::readRelease(f.store, f.survey(), changed);
    REQUIRE(changedKey < "retired-instrument@0.1.0");  // named in the order of their keys
    CHECK(instrumentChanged.changedInstruments == std::vector<std::string>{changedKey, "retired-instrument@0.1.0"});

    changed.instrumentFingerprintsJson = "{}";  // published before fingerprints were recorded
    const auto unknown = releases::readRelease(f.store, f.survey(), changed);
    CHECK_FALSE(unknown.hasRecordedFingerprints);
    CHECK(unknown.changedInstruments.empty());
}

TEST_CASE("publishing refuses with a reason that names the survey", "[unit][releases]") {
    Fixture f;
    auto outcome = releases::publishRelease(f.store, f.survey(), ReleaseKind::Interim, kOpenDay);
    CHECK_FALSE(outcome.release);
    CHECK(outcome.refusal == "survey 'riverside-2026' has no responses yet: there is nothing to release");
    f.add(20, 1);
    REQUIRE(releases::publishRelease(f.store, f.survey(), ReleaseKind::Interim, kOpenDay).release);
    outcome = releases::publishRelease(f.store, f.survey(), ReleaseKind::Interim, kOpenDay);
    CHECK_FALSE(outcome.release);
    CHECK(outcome.refusal.find("no response has arrived in survey 'riverside-2026' since release 1 (interim, published") == 0);
    CHECK_FALSE(releases::publishFinalIfDue(f.store, f.survey(), kOpenDay));  // still open: no final release is due
}

TEST_CASE("a closed survey gets one final release however many readers ask at once", "[unit][releases]") {
    Fixture f;
    f.add(60, 3);
    std::atomic<int> published{0};
    std::vector<std::thread> readers;
    for (int i = 0; i < 6; ++i)
        readers.emplace_back([&] {
            const auto outcome = releases::publishFinalIfDue(f.store, f.survey(), kAfterClosing);
            if (outcome && outcome->release) ++published;
        });
    for (auto& reader : readers) reader.join();
    CHECK(published == 1);
    const auto all = f.store.releases(f.survey().storeId);
    REQUIRE(all.size() == 1);
    CHECK(all[0].kind == ReleaseKind::Final);
    CHECK(all[0].responses == 60);
    CHECK_FALSE(releases::publishFinalIfDue(f.store, f.survey(), kAfterClosing));
}

TEST_CASE("a final release that is refused says why wherever releases are listed or read", "[unit][releases]") {
    Fixture f;
    f.add(60, 3);
    REQUIRE(releases::publishRelease(f.store, f.survey(), ReleaseKind::Interim, kOpenDay).release);
    f.add(2, 4);  // two more before closing: a release that differs from the interim by two people is refused
    std::ostringstream out;
    cli::printReleases(out, f.store, f.survey(), kAfterClosing);
    CHECK_THAT(out.str(), Catch::Contains("riverside-2026: release 1 (interim)") &&
                              Catch::Contains("riverside-2026: its final release, due since the survey closed on 2027-06-30, was "
                                              "refused: the release of survey 'riverside-2026' was not published: ") &&
                              Catch::Contains("; release 1 stays the latest") && !Catch::Contains("appear in the next release"));
    std::ostringstream err;
    const auto read = cli::readRelease(err, f.store, f.survey(), 0, kAfterClosing);
    REQUIRE(read);
    CHECK(read->record.number == 1);

    // Still open: no final release is due, and the listing says when it comes.
    Fixture open;
    std::ostringstream none;
    cli::printReleases(none, open.store, open.survey(), kOpenDay);
    CHECK(none.str() == "riverside-2026: no release yet; the final release is published when the survey closes on 2027-06-30\n");
}
