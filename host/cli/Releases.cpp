#include "cli/Releases.h"

#include <Poco/String.h>

namespace mindset::cli {

std::string describeRelease(const store::ReleaseRecord& release) {
    return "release " + std::to_string(release.number) + " (" + store::releaseKindName(release.kind) + "), published " +
           release.publishedOn + ", " + std::to_string(release.responses) + " responses";
}

bool publishRelease(std::ostream& out, std::ostream& err, store::Store& store, const surveys::SurveyDefinition& survey,
                    std::chrono::year_month_day today) {
    const auto outcome = releases::publishRelease(store, survey, releases::kindFor(survey, today), today);
    if (!outcome.release) {
        err << "mindset release: " << outcome.refusal << "\n";
        return false;
    }
    out << survey.id << ": published " << describeRelease(*outcome.release) << "\n";
    return true;
}

namespace {

/// Why a survey has no release: its final release was refused (the refusal, from `due`), or it comes when the survey closes.
std::string noReleaseReason(const surveys::SurveyDefinition& survey, const std::optional<releases::PublishOutcome>& due) {
    if (due && !due->release)
        return "its final release, due since the survey closed on " + releases::isoDate(survey.closes) + ", was refused: " + due->refusal;
    return "the final release is published when the survey closes on " + releases::isoDate(survey.closes);
}

}  // namespace

void printReleases(std::ostream& out, store::Store& store, const surveys::SurveyDefinition& survey, std::chrono::year_month_day today) {
    // As serve and report do: a closed survey gets its final release before anyone reads its releases.
    const auto due = releases::publishFinalIfDue(store, survey, today);
    if (due && due->release) out << survey.id << ": published " << describeRelease(*due->release) << " (the survey has closed)\n";
    const auto all = store.releases(survey.storeId);
    if (all.empty()) {
        out << survey.id << ": no release yet; " << noReleaseReason(survey, due) << "\n";
        return;
    }
    for (const auto& release : all) out << survey.id << ": " << describeRelease(release) << "\n";
    if (due && !due->release) {  // closed: no later release will hold the responses the refusal left out
        out << survey.id << ": " << noReleaseReason(survey, due) << "; release " << all.back().number << " stays the latest\n";
        return;
    }
    if (const auto waiting = store.countUnreleasedResponses(survey.storeId); waiting > 0)
        out << survey.id << ": " << waiting << " responses arrived since release " << all.back().number
            << "; they appear in the next release\n";
}

void publishDueFinalReleases(std::ostream& out, std::ostream& err, store::Store& store, const surveys::SurveyCatalog& catalog,
                             std::chrono::year_month_day today) {
    for (const auto& survey : catalog.surveys) {
        const auto outcome = releases::publishFinalIfDue(store, survey, today);
        if (!outcome) continue;
        if (outcome->release) out << "  " << survey.id << ": published " << describeRelease(*outcome->release) << "\n";
        else err << "  " << survey.id << ": no final release: " << outcome->refusal << "\n";
    }
}

std::optional<releases::Release> readRelease(std::ostream& err, store::Store& store, const surveys::SurveyDefinition& survey,
                                             std::uint32_t number, std::chrono::year_month_day today) {
    const auto due = releases::publishFinalIfDue(store, survey, today);
    const auto all = store.releases(survey.storeId);
    if (all.empty()) {
        err << "survey '" << survey.id << "' has no release yet: " << noReleaseReason(survey, due);
        if (!due) err << " (or publish an interim release with `mindset release publish " << survey.id << "`)";
        err << "\n";
        return std::nullopt;
    }
    if (number > all.size()) {
        err << "survey '" << survey.id << "' has no release " << number << "; its releases are 1 to " << all.size() << "\n";
        return std::nullopt;
    }
    auto release = releases::readRelease(store, survey, number == 0 ? all.back() : all[number - 1]);
    if (!release.isMatchingPublished) {
        err << "warning: these figures no longer match " << describeRelease(release.record) << " as published: ";
        if (!release.hasRecordedFingerprints)
            err << "something that computes them (such as an instrument's scoring) changed since\n";
        else if (release.changedInstruments.empty())
            err << "every instrument is as it was, so Mindset's own computation changed since (an upgrade)\n";
        else
            err << "the questions or the scoring of "
                << Poco::cat(std::string(", "), release.changedInstruments.begin(), release.changedInstruments.end()) << " changed since\n";
    }
    return release;
}

}  // namespace mindset::cli
