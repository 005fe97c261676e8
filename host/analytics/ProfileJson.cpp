#include "analytics/ProfileJson.h"

#include "analytics/ResponseFormat.h"

namespace mindset::analytics {

using nlohmann::json;

namespace {

json interval(const std::optional<Interval>& i) { return i ? json::array({i->lower, i->upper}) : json(nullptr); }
json number(const std::optional<double>& x) { return x ? json(*x) : json(nullptr); }

/// The instrument's own response options, lowest first: what each count of an item refers to.
json optionsJson(const sdk::Definition& definition, const std::string& language) {
    json options = json::array();
    for (const auto& option : definition.responseScale.options) options.push_back({{"code", option.code}, {"label", option.label.in(language)}});
    return options;
}

/// The instrument's unscored options ("don't know"), in order: what each of an item's
/// `unscoredCounts` refers to. Empty when it declares none.
json unscoredOptionsJson(const sdk::Definition& definition, const std::string& language) {
    json options = json::array();
    for (const auto& option : definition.responseScale.unscoredOptions)
        options.push_back({{"code", option.code}, {"label", option.label.in(language)}});
    return options;
}

}  // namespace

json figuresToJson(const CellFigures& f) {
    return {{"n", f.summary.n},
            {"mean", number(f.summary.mean)},
            {"sd", number(f.summary.sd)},
            {"ci95", interval(f.summary.meanCi95)},
            {"favorable", {{"count", f.favorable.count}, {"n", f.favorable.n}, {"share", number(f.favorable.share)},
                           {"ci95", interval(f.favorable.wilson95)}}}};
}

json gapToJson(const GroupComparison& gap, const std::optional<double>& qValue) {
    json out{{"difference", number(gap.difference)}};
    if (gap.welch)
        out["welch"] = {{"ci95", interval(gap.welch->differenceCi95)}, {"df", gap.welch->degreesOfFreedom},
                        {"t", gap.welch->t}, {"p", gap.welch->pValue}};
    if (gap.hedgesG) out["hedgesG"] = {{"g", gap.hedgesG->g}, {"ci95", interval(gap.hedgesG->ci95)}};
    out["q"] = number(qValue);
    // "Real" when the Benjamini-Hochberg adjusted p-value is below 0.05 (see docs/statistics.md).
    out["isBeyondNoise"] = qValue && *qValue < 0.05;
    out["rest"] = {{"n", gap.rest.n}, {"mean", number(gap.rest.mean)}};
    return out;
}

namespace {

json cellJson(const Cell& cell, const std::string& categoryId, const std::string& label, bool withGap, int minimum,
              const std::string& language) {
    json out{{"category", categoryId}, {"label", label}};
    // Hidden before empty: when a whole breakdown is withheld, its empty groups are hidden too.
    if (cell.hidden != HiddenBecause::Shown) {
        out["hidden"] = hiddenCode(cell.hidden);
        out["hiddenExplanation"] = hiddenExplanation(cell.hidden, minimum, language);
        return out;
    }
    if (cell.size == 0) {
        out["empty"] = true;
        return out;
    }
    out.update(figuresToJson(*cell.figures));
    if (!withGap) return out;
    if (cell.gap) out["gap"] = gapToJson(*cell.gap, cell.gapQValue);
    else {
        out["gapHidden"] = hiddenCode(cell.gapHidden);
        out["gapHiddenExplanation"] = hiddenExplanation(cell.gapHidden, minimum, language);
    }
    return out;
}

}  // namespace

std::string hiddenExplanation(HiddenBecause reason, int minGroupSize, const std::string& language) {
    const bool es = language == "es";
    const auto min = std::to_string(minGroupSize);
    switch (reason) {
        case HiddenBecause::Shown: return "";
        case HiddenBecause::ComparisonBelowMinimum:  // about the rest of the district, which shown figures give anyway
            return es ? "Sin comparación: el resto del distrito tiene menos de " + min + " respuestas."
                      : "No comparison: the rest of the district has fewer than " + min + " responses.";
        case HiddenBecause::BelowMinimum:
        case HiddenBecause::ComplementaryProtection: break;
    }
    // The same words for a small group and for one hidden to protect it (see hiddenCode): telling
    // them apart would say which hidden groups are the small ones.
    return es ? "Oculto para proteger a los grupos de menos de " + min + " personas." : "Hidden to protect groups of fewer than " + min + " people.";
}

std::string failureExplanation(const loader::PluginFailure& failure, const std::string& language) {
    if (language == "es")
        return "Sin cifras: el módulo del instrumento " + failure.instrumentKey + " falló en " + failure.hook +
               "() al calcular esta encuesta (" + failure.reason + "). Los demás instrumentos no se ven afectados; avise a quien mantiene el módulo.";
    return "No figures: the plugin of instrument " + failure.instrumentKey + " failed in " + failure.hook + "() on this survey (" +
           failure.reason + "). Other instruments are not affected; tell whoever maintains the plugin.";
}

json scoreRangeJson(const sdk::Definition& definition, const sdk::Scale& scale) {
    if (scale.isCustomFigure()) {
        const auto range = scoreRangeOf(definition, scale, "en");
        return json::array({range.min, range.max});
    }
    return json::array({definition.responseScale.minCode(), definition.responseScale.maxCode()});
}

json profileToJson(const Profile& profile, const surveys::SurveyDefinition& survey, const std::string& language) {
    json out;
    out["survey"] = {{"id", survey.id},       {"title", survey.title.in(language)}, {"district", survey.districtName},
                     {"schoolYear", survey.schoolYear}, {"minGroupSize", profile.minGroupSize}};
    out["responses"] = profile.responses >= profile.minGroupSize ? json(profile.responses) : json(nullptr);

    json scales = json::array();
    for (const auto& scale : profile.scales) {
        const auto& instrument = survey.instruments[scale.ref.instrument];
        const auto& definition = instrument.definition();
        const auto& scaleDefinition = definition.scales[scale.ref.scale];
        json s{{"instrument", instrument.key},
               {"instrumentTitle", definition.title.in(language)},
               {"scale", scale.scaleId},
               {"title", scaleDefinition.title.in(language)},
               {"description", scaleDefinition.description.in(language)},
               {"favorableAtLeast", scaleDefinition.favorableAtLeast},
               {"scoreRange", scoreRangeJson(definition, scaleDefinition)},
               {"options", optionsJson(definition, language)},
               {"unscoredOptions", unscoredOptionsJson(definition, language)},
               {"reading", scaleDefinition.isCustomFigure() ? customFigureReadingText(definition, scaleDefinition, language)
                                                            : scaleReadingText(definition, language)}};
        if (const auto& figure = scaleDefinition.customFigureOf)
            s["customFigureOf"] = {{"scale", figure->scale}, {"figure", figure->figure}};
        if (const auto& tag = scaleDefinition.subScoreOf) {
            const auto* group = definition.findTagGroup(tag->group);
            s["subScoreOf"] = {{"group", tag->group}, {"groupTitle", group ? group->title.in(language) : tag->group}, {"value", tag->value}};
        }
        if (scale.failure) {
            s["failed"] = {{"hook", scale.failure->hook}, {"reason", scale.failure->reason}};
            s["failedExplanation"] = failureExplanation(*scale.failure, language);
            scales.push_back(std::move(s));
            continue;
        }
        if (scale.hidden != HiddenBecause::Shown) {
            s["hidden"] = hiddenCode(scale.hidden);
            s["hiddenExplanation"] = hiddenExplanation(scale.hidden, profile.minGroupSize, language);
            scales.push_back(std::move(s));
            continue;
        }
        s.update(figuresToJson(*scale.district));
        if (scale.reliability) {
            const auto& r = *scale.reliability;
            json items = json::array();
            for (std::size_t i = 0; i < r.perItem.size(); ++i)
                items.push_back({{"item", scale.items[i].itemId}, {"correctedItemTotal", number(r.perItem[i].correctedItemTotal)},
                                 {"alphaIfDropped", number(r.perItem[i].alphaIfDropped)}});
            s["reliability"] = {{"alpha", number(r.alpha)},
                                {"standardizedAlpha", number(r.standardizedAlpha)},
                                {"ci95", interval(r.alphaCi95)},
                                {"respondents", r.respondents},
                                {"droppedRespondents", r.droppedRespondents},
                                {"items", items}};
        }
        json items = json::array();
        for (const auto& item : scale.items) {
            json counts = json::object();
            for (std::size_t c = 0; c < item.countsByCode.size(); ++c)
                counts[std::to_string(definition.responseScale.minCode() + static_cast<int>(c))] = item.countsByCode[c];
            std::string text;
            for (const auto& d : definition.items)
                if (d.id == item.itemId) text = d.text.in(language);
            items.push_back({{"item", item.itemId}, {"text", text}, {"reverseKeyed", item.isReverseKeyed}, {"counts", counts},
                             {"missing", item.missing}, {"unscoredCounts", item.countsByUnscoredCode}});
        }
        s["items"] = items;
        scales.push_back(std::move(s));
    }
    out["scales"] = scales;
    json failures = json::array();
    for (const auto& failure : profile.failures)
        failures.push_back({{"instrument", failure.instrumentKey}, {"hook", failure.hook}, {"reason", failure.reason},
                            {"explanation", failureExplanation(failure, language)}});
    out["failures"] = failures;

    json ranking = json::array();
    for (auto g : profile.ranking) ranking.push_back(profile.scales[g].instrumentKey + "/" + profile.scales[g].scaleId);
    out["ranking"] = ranking;
    out["rankedBy"] = "favorableShare";
    out["rankingBasis"] = rankingBasisText(language);

    json breakdowns = json::array();
    for (const auto& breakdown : profile.breakdowns) {
        json categories = json::array();
        for (const auto& c : breakdown.categories) categories.push_back({{"id", c.id}, {"label", c.label.in(language)}});
        json byScale = json::array();
        for (std::size_t g = 0; g < breakdown.cellsByScale.size(); ++g) {
            json cells = json::array();
            for (const auto& cell : breakdown.cellsByScale[g]) {
                const auto& category = breakdown.categories[cell.category];
                cells.push_back(cellJson(cell, category.id, category.label.in(language), true, profile.minGroupSize, language));
            }
            byScale.push_back({{"scale", profile.scales[g].instrumentKey + "/" + profile.scales[g].scaleId}, {"cells", cells}});
        }
        breakdowns.push_back({{"question", breakdown.questionId}, {"label", breakdown.label.in(language)},
                              {"categories", categories}, {"scales", byScale}});
    }
    out["breakdowns"] = breakdowns;

    if (profile.pair) {
        const auto& rows = profile.breakdowns[profile.pair->rowQuestion];
        const auto& columns = profile.breakdowns[profile.pair->columnQuestion];
        json byScale = json::array();
        for (std::size_t g = 0; g < profile.pair->cellsByScale.size(); ++g) {
            json cells = json::array();
            for (const auto& cell : profile.pair->cellsByScale[g]) {
                const auto& row = rows.categories[cell.category / columns.categories.size()];
                const auto& column = columns.categories[cell.category % columns.categories.size()];
                auto c = cellJson(cell, row.id + "|" + column.id, row.label.in(language) + " · " + column.label.in(language), false,
                                  profile.minGroupSize, language);
                c["row"] = row.id;
                c["column"] = column.id;
                cells.push_back(std::move(c));
            }
            byScale.push_back({{"scale", profile.scales[g].instrumentKey + "/" + profile.scales[g].scaleId}, {"cells", cells}});
        }
        out["pair"] = {{"rows", rows.questionId}, {"columns", columns.questionId}, {"scales", byScale}};
    }
    return out;
}

}  // namespace mindset::analytics
