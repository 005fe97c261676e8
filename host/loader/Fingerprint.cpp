#include "loader/Fingerprint.h"

#include <cstdio>
#include <stdexcept>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <nlohmann/json.hpp>

#include "loader/HookCheck.h"
#include "loader/PluginCalls.h"

namespace mindset::loader {

namespace {

using nlohmann::json;

json texts(const sdk::LocalizedText& text) { return text.byLanguage; }  // std::map: sorted by language

std::string rounded(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", x);
    return text;
}

}  // namespace

std::string fingerprintOf(const sdk::Instrument& instrument) {
    const sdk::Definition* definition = nullptr;
    if (auto failure = guardHook({"(unknown)", "definition", ""}, [&] { definition = &instrument.definition(); }))
        throw std::runtime_error(failure->message());
    return fingerprintOf(instrument, *definition);
}

std::string fingerprintOf(const sdk::Instrument& instrument, const sdk::Definition& d) {
    json canonical{{"id", d.id}, {"version", d.version}};
    json options = json::array();
    for (const auto& option : d.responseScale.options) options.push_back({{"code", option.code}, {"label", texts(option.label)}});
    canonical["responseScale"] = {{"id", d.responseScale.id}, {"options", options}};
    // Only when declared, so that the fingerprints stored before unscored options existed still hold.
    if (!d.responseScale.unscoredOptions.empty()) {
        json unscored = json::array();
        for (const auto& option : d.responseScale.unscoredOptions) unscored.push_back({{"code", option.code}, {"label", texts(option.label)}});
        canonical["responseScale"]["unscoredOptions"] = unscored;
    }
    json scales = json::array();
    for (const auto& scale : d.scales) {
        if (!scale.isDeclared()) continue;  // the host's, from what is below: the same fingerprint with or without them
        scales.push_back({{"id", scale.id}, {"title", texts(scale.title)}, {"favorableAtLeast", rounded(scale.favorableAtLeast)},
                          {"minAnswered", scale.minAnswered}});
        if (scale.figures.empty()) continue;  // only when declared, as for unscored options
        json figures = json::array();
        for (const auto& figure : scale.figures)
            figures.push_back({{"id", figure.id}, {"title", texts(figure.title)}, {"min", rounded(figure.min)}, {"max", rounded(figure.max)},
                               {"favorableAtLeast", rounded(figure.favorableAtLeast)}});
        scales.back()["figures"] = figures;
    }
    canonical["scales"] = scales;
    json items = json::array();
    for (const auto& item : d.items) {
        items.push_back({{"id", item.id}, {"scale", item.scaleId}, {"text", texts(item.text)}, {"reverseKeyed", item.isReverseKeyed}});
        if (!item.tags.empty()) items.back()["tags"] = item.tags;  // only when tagged, as for unscored options
    }
    canonical["items"] = items;
    if (!d.tagGroups.empty()) {
        json groups = json::array();
        for (const auto& group : d.tagGroups) {
            json values = json::array();
            for (const auto& value : group.values) values.push_back({{"id", value.id}, {"title", texts(value.title)}});
            groups.push_back({{"id", group.id}, {"title", texts(group.title)}, {"values", values}});
        }
        canonical["tagGroups"] = groups;
    }

    json scoring = json::array();
    for (const auto& answers : syntheticAnswers(d)) {
        std::vector<sdk::ScaleScore> scores;
        if (guardHook({d.key(), "score", "(none: the fingerprint at start-up)"}, [&] { scores = instrument.score(answers); })) {
            scoring.push_back("threw");  // where it first throws is part of its behaviour; once is logged enough
            break;
        }
        json row = json::array();
        for (const auto& score : scores) {
            row.push_back(score.value ? json(rounded(*score.value)) : json(nullptr));
            for (const auto& figure : score.figures) row.push_back(figure ? json(rounded(*figure)) : json(nullptr));
        }
        scoring.push_back(row);
    }
    canonical["scoring"] = scoring;

    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    const auto text = canonical.dump();
    engine.update(text.data(), static_cast<unsigned>(text.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

}  // namespace mindset::loader
