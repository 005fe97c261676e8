#include "analytics/Profile.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <typeinfo>

#include "analytics/ResponseFormat.h"

namespace mindset::analytics {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

/// A group's running figures on one scale.
struct Accumulator {
    Moments moments;
    std::int64_t favorable = 0;

    /// Adds a score that is present (not NaN).
    void add(double score, bool isFavorable) {
        moments.add(score);
        favorable += isFavorable;
    }
    CellFigures figures() const { return {summarize(moments), proportion(favorable, moments.count())}; }
};

/// Where one stored answer byte goes.
struct AnswerSlot {
    std::int64_t* countsByCode;   // the item's ItemFigures::countsByCode
    std::int64_t* missing;        // the item's ItemFigures::missing
    double* keyed;                // the item's cell in its scale's keyed row
    std::size_t firstKeyedValue;  // in keyedValues: the keyed value of each valid code, lowest first
    std::size_t scale;            // the item's scale, in Profile::scales order
    int minCode;
    int codeCount;
};

/// Whether the instrument scores with the SDK's default, sdk::meanOfAnsweredItems, which the
/// profile then computes itself: the default is a virtual call into the plugin that allocates
/// its result, half of a profile's time when made for every response. A JsonInstrument does, as
/// the SDK declares it final without a score() of its own. typeid compares mangled names, so a
/// JsonInstrument created inside a plugin library is recognized too.
bool scoresByMeanOfAnsweredItems(const sdk::Instrument& instrument) { return typeid(instrument) == typeid(sdk::JsonInstrument); }

std::uint32_t readUint32(std::span<const std::uint8_t> bytes, std::size_t offset) {
    return static_cast<std::uint32_t>(bytes[offset]) | static_cast<std::uint32_t>(bytes[offset + 1]) << 8 |
           static_cast<std::uint32_t>(bytes[offset + 2]) << 16 | static_cast<std::uint32_t>(bytes[offset + 3]) << 24;
}

/// Fills in the figures and gaps of the cells that `reasons` leaves shown.
void finishCells(std::vector<Cell>& cells, const std::vector<Accumulator>& accumulators, const Accumulator& district,
                 const std::vector<HiddenBecause>& reasons, int minimum, bool isDistrictHidden, bool withGaps) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        auto& cell = cells[i];
        cell.size = accumulators[i].moments.count();
        cell.hidden = isDistrictHidden && cell.size > 0 ? HiddenBecause::BelowMinimum : reasons[i];
        if (cell.hidden != HiddenBecause::Shown || cell.size == 0) {
            cell.gapHidden = cell.hidden;
            continue;
        }
        cell.figures = accumulators[i].figures();
        if (!withGaps) continue;
        const auto rest = district.moments.without(accumulators[i].moments);
        if (rest.count() < minimum) {  // the difference and the group's mean would give the rest away
            cell.gapHidden = HiddenBecause::ComparisonBelowMinimum;
            continue;
        }
        cell.gap = compareGroups(accumulators[i].moments, rest);
    }
}

std::vector<std::size_t> indexRange(std::size_t from, std::size_t count) {
    std::vector<std::size_t> indexes(count);
    for (std::size_t i = 0; i < count; ++i) indexes[i] = from + i;
    return indexes;
}

sdk::LocalizedText text(const char* en, const char* es) { return sdk::LocalizedText{{{"en", en}, {"es", es}}}; }

}  // namespace

ResponseSource responsesInMemory(const std::vector<surveys::EncodedResponse>& responses) {
    return [&responses](const std::function<void(const ResponseBytes&)>& each) {
        for (const auto& response : responses) each({response.demographics, response.answers});
    };
}

std::vector<Category> categoriesOf(const surveys::DemographicQuestion& question) {
    std::vector<Category> categories;
    for (const auto& choice : question.choices) categories.push_back({choice.id, choice.label});
    if (question.isMultiple)
        categories.push_back({"two-or-more", text("Two or more (selected more than one)", "Dos o más (seleccionó más de una)")});
    categories.push_back({"no-answer", text("No answer", "Sin respuesta")});
    return categories;
}

std::size_t categoryOf(const surveys::DemographicQuestion& question, std::uint32_t slot) {
    const auto choices = question.choices.size();
    const auto noAnswer = choices + (question.isMultiple ? 1 : 0);
    if (!question.isMultiple) return slot >= 1 && slot <= choices ? slot - 1 : noAnswer;
    switch (std::popcount(slot)) {
        case 0: return noAnswer;
        case 1: return static_cast<std::size_t>(std::countr_zero(slot));
        default: return choices;  // two or more
    }
}

Profile buildProfile(const surveys::SurveyDefinition& survey, const ResponseSource& source, const ProfileOptions& options) {
    Profile profile;
    profile.surveyId = survey.id;
    profile.minGroupSize = survey.minGroupSize;
    const auto minimum = survey.minGroupSize;

    // The scales, and where each instrument's scales and items land in the flat lists.
    std::vector<std::size_t> firstScaleOf;
    std::vector<std::vector<std::size_t>> scaleOfItem;     // [instrument][item] -> flat scale index
    std::vector<std::vector<std::size_t>> columnOfItem;    // [instrument][item] -> column within its scale
    std::vector<double> favorableAtLeast;
    for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
        const auto& definition = survey.instruments[i].definition();
        firstScaleOf.push_back(profile.scales.size());
        for (std::size_t s = 0; s < definition.scales.size(); ++s) {
            ScaleFigures figures;
            figures.ref = {i, s};
            figures.instrumentKey = survey.instruments[i].key;
            figures.scaleId = definition.scales[s].id;
            profile.scales.push_back(std::move(figures));
            favorableAtLeast.push_back(definition.scales[s].favorableAtLeast);
        }
        scaleOfItem.emplace_back();
        columnOfItem.emplace_back();
        for (const auto& item : definition.items) {
            std::size_t s = 0;
            while (definition.scales[s].id != item.scaleId) ++s;
            auto& scale = profile.scales[firstScaleOf[i] + s];
            scaleOfItem[i].push_back(firstScaleOf[i] + s);
            columnOfItem[i].push_back(scale.items.size());
            const auto codes = static_cast<std::size_t>(definition.responseScale.maxCode() - definition.responseScale.minCode() + 1);
            scale.items.push_back({item.id, item.isReverseKeyed, std::vector<std::int64_t>(codes, 0), 0});
        }
    }
    const auto scaleCount = profile.scales.size();

    // Breakdown categories, and the pair to cross.
    std::vector<std::vector<Category>> categories;
    for (const auto& question : survey.demographics) categories.push_back(categoriesOf(question));
    std::optional<std::size_t> pairRows, pairColumns;
    for (std::size_t q = 0; q < survey.demographics.size(); ++q) {
        if (survey.demographics[q].id == options.pairRows) pairRows = q;
        if (survey.demographics[q].id == options.pairColumns) pairColumns = q;
    }
    const bool hasPair = pairRows && pairColumns && *pairRows != *pairColumns;
    const auto pairColumnCount = hasPair ? categories[*pairColumns].size() : 0;
    const auto pairCellCount = hasPair ? categories[*pairRows].size() * pairColumnCount : 0;

    // One pass over the responses.
    std::vector<Accumulator> district(scaleCount);
    std::vector<std::vector<Accumulator>> byCategory(survey.demographics.size());  // [q][category * scales + scale]
    for (std::size_t q = 0; q < categories.size(); ++q) byCategory[q].resize(categories[q].size() * scaleCount);
    std::vector<Accumulator> byPair(pairCellCount * scaleCount);
    std::vector<std::vector<std::int64_t>> respondents(categories.size());  // [q][category]
    for (std::size_t q = 0; q < categories.size(); ++q) respondents[q].resize(categories[q].size());
    std::vector<ItemCovariance> covariances;
    std::vector<std::vector<double>> keyedRows;
    for (const auto& scale : profile.scales) {
        covariances.emplace_back(scale.items.size());
        keyedRows.emplace_back(scale.items.size(), kMissing);
    }

    // Everything the loop needs per answer byte, looked up once here rather than per response:
    // at a million responses the loop body is the whole cost of a profile.
    std::vector<AnswerSlot> slots;
    std::vector<double> keyedValues;
    for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
        const auto& definition = survey.instruments[i].definition();
        for (std::size_t j = 0; j < definition.items.size(); ++j) {
            auto& item = profile.scales[scaleOfItem[i][j]].items[columnOfItem[i][j]];
            slots.push_back({item.countsByCode.data(), &item.missing, &keyedRows[scaleOfItem[i][j]][columnOfItem[i][j]],
                             keyedValues.size(), scaleOfItem[i][j], definition.responseScale.minCode(),
                             static_cast<int>(item.countsByCode.size())});
            for (int index = 0; index < slots.back().codeCount; ++index)
                keyedValues.push_back(sdk::keyedCode(definition, definition.items[j], definition.responseScale.minCode() + index));
        }
    }
    // Scores of an instrument with the default scoring are computed here (see
    // scoresByMeanOfAnsweredItems); the others get their answers and score them themselves.
    std::vector<bool> isDefaultScoring;
    std::vector<sdk::ItemAnswers> answers(survey.instruments.size());
    for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
        isDefaultScoring.push_back(scoresByMeanOfAnsweredItems(*survey.instruments[i].instrument));
        answers[i].codes.resize(survey.instruments[i].definition().items.size());
    }
    std::vector<int> minAnswered;
    for (const auto& instrument : survey.instruments)
        for (const auto& scale : instrument.definition().scales) minAnswered.push_back(scale.minAnswered);
    std::vector<std::optional<loader::PluginFailure>> failures(survey.instruments.size());
    std::vector<double> keyedSums(scaleCount);
    std::vector<int> answeredCounts(scaleCount);

    std::vector<std::size_t> category(survey.demographics.size());
    std::vector<double> scores(scaleCount, kMissing);
    // The accumulators one response adds to, each a row of one per scale: the district, its
    // category of every question, its cell of the crossed pair.
    std::vector<Accumulator*> groupRows(1 + survey.demographics.size() + (hasPair ? 1 : 0));
    groupRows[0] = district.data();
    const auto demographicBytes = survey.demographics.size() * 4;
    const auto answerBytes = survey.answerCount();

    source([&](const ResponseBytes& response) {
        if (response.demographics.size() != demographicBytes || response.answers.size() != answerBytes)
            throw std::invalid_argument("a stored response of survey '" + survey.id + "' does not fit its layout");
        ++profile.responses;
        for (std::size_t q = 0; q < survey.demographics.size(); ++q) {
            category[q] = categoryOf(survey.demographics[q], readUint32(response.demographics, q * 4));
            ++respondents[q][category[q]];
            groupRows[1 + q] = byCategory[q].data() + category[q] * scaleCount;
        }
        if (hasPair) groupRows.back() = byPair.data() + (category[*pairRows] * pairColumnCount + category[*pairColumns]) * scaleCount;

        for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
            const auto& instrument = survey.instruments[i];
            const auto firstScale = firstScaleOf[i];
            const auto endScale = i + 1 < firstScaleOf.size() ? firstScaleOf[i + 1] : scaleCount;
            const bool isDefault = isDefaultScoring[i];
            if (isDefault) {
                std::fill(keyedSums.begin() + firstScale, keyedSums.begin() + endScale, 0.0);
                std::fill(answeredCounts.begin() + firstScale, answeredCounts.begin() + endScale, 0);
            }
            auto& codes = answers[i].codes;
            const auto* bytes = response.answers.data() + instrument.firstAnswerIndex;
            const auto* slot = slots.data() + instrument.firstAnswerIndex;
            for (std::size_t j = 0; j < codes.size(); ++j, ++slot) {
                const int code = bytes[j];
                const auto index = code - slot->minCode;
                if (code == 0 || index < 0 || index >= slot->codeCount) {
                    ++*slot->missing;
                    *slot->keyed = kMissing;
                    if (isDefault && code != 0) {  // not a code of the response scale, yet meanOfAnsweredItems counts it
                        keyedSums[slot->scale] += sdk::keyedCode(instrument.definition(), instrument.definition().items[j], code);
                        ++answeredCounts[slot->scale];
                    }
                } else {
                    ++slot->countsByCode[index];
                    const double keyed = keyedValues[slot->firstKeyedValue + static_cast<std::size_t>(index)];
                    *slot->keyed = keyed;
                    if (isDefault) {
                        keyedSums[slot->scale] += keyed;
                        ++answeredCounts[slot->scale];
                    }
                }
                if (!isDefault) codes[j] = code;
            }
            if (isDefault) {
                // Summed in item order and divided as meanOfAnsweredItems does: the same doubles.
                for (auto g = firstScale; g < endScale; ++g)
                    scores[g] = answeredCounts[g] >= minAnswered[g] ? keyedSums[g] / answeredCounts[g] : kMissing;
                continue;
            }
            // Plugin code: whatever it throws, or a result that breaks the rules, fails this
            // instrument on this survey only; once failed, it is not called again.
            std::vector<sdk::ScaleScore> scaleScores;
            if (!failures[i]) {
                const loader::HookCall where{instrument.key, "score", survey.id};
                failures[i] = loader::guardHook(where, [&] { scaleScores = instrument.instrument->score(answers[i]); });
                if (!failures[i])
                    if (auto problem = scoreProblem(instrument.definition(), scaleScores); !problem.empty())
                        failures[i] = loader::reportFailure({where.instrumentKey, where.hook, where.surveyId, problem});
            }
            if (failures[i]) {
                std::fill(scores.begin() + firstScale, scores.begin() + endScale, kMissing);
                continue;
            }
            for (auto g = firstScale; g < endScale; ++g) {
                const auto s = g - firstScale;
                scores[g] = s < scaleScores.size() && scaleScores[s].value ? *scaleScores[s].value : kMissing;
            }
        }
        for (std::size_t g = 0; g < scaleCount; ++g) {
            covariances[g].add(keyedRows[g]);
            const double score = scores[g];
            if (std::isnan(score)) continue;
            const bool isFavorable = score >= favorableAtLeast[g];
            for (auto* row : groupRows) row[g].add(score, isFavorable);
        }
    });

    // A failed instrument's scales lose everything added before it failed: no figure of them
    // would be whole.
    for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
        if (!failures[i]) continue;
        profile.failures.push_back(*failures[i]);
        const auto endScale = i + 1 < firstScaleOf.size() ? firstScaleOf[i + 1] : scaleCount;
        for (auto g = firstScaleOf[i]; g < endScale; ++g) {
            auto& scale = profile.scales[g];
            scale.failure = failures[i];
            district[g] = {};
            for (auto& row : byCategory)
                for (std::size_t c = g; c < row.size(); c += scaleCount) row[c] = {};
            for (std::size_t c = g; c < byPair.size(); c += scaleCount) byPair[c] = {};
            covariances[g] = ItemCovariance(scale.items.size());
            for (auto& item : scale.items) {
                std::fill(item.countsByCode.begin(), item.countsByCode.end(), 0);
                item.missing = 0;
            }
        }
    }

    // District figures.
    for (std::size_t g = 0; g < scaleCount; ++g) {
        auto& scale = profile.scales[g];
        if (scale.failure) continue;  // no figures, and not "hidden" either: failed, and says why
        scale.size = district[g].moments.count();
        if (scale.size < minimum) {
            scale.hidden = HiddenBecause::BelowMinimum;
            for (auto& item : scale.items) {  // item counts would show the answers of fewer than the minimum
                std::fill(item.countsByCode.begin(), item.countsByCode.end(), 0);
                item.missing = 0;
            }
            continue;
        }
        scale.district = district[g].figures();
        scale.reliability = covariances[g].reliability();
    }

    // Protection. Each question's categories add up to the district. The crossed pair is
    // protected together with its two questions' breakdowns: a row of the table plus its row
    // category, a column plus its column category, and the whole table, are all sums a reader
    // could form, so every one of them must keep its hidden cells safe (see Suppression.h).
    for (std::size_t q = 0; q < survey.demographics.size(); ++q)
        profile.breakdowns.push_back({survey.demographics[q].id, survey.demographics[q].label, categories[q], {}, respondents[q]});
    std::optional<PairBreakdown> pair;
    if (hasPair) pair = PairBreakdown{*pairRows, *pairColumns, {}};
    const auto rows = hasPair ? categories[*pairRows].size() : 0;

    for (std::size_t g = 0; g < scaleCount; ++g) {
        const bool isDistrictHidden = profile.scales[g].hidden != HiddenBecause::Shown;
        // Every cell of this scale in one list: each question's categories, then the pair's cells.
        std::vector<std::int64_t> sizes;
        std::vector<std::size_t> firstCellOf;
        std::vector<CellSum> sums;
        for (std::size_t q = 0; q < categories.size(); ++q) {
            firstCellOf.push_back(sizes.size());
            sums.push_back({indexRange(sizes.size(), categories[q].size()), std::nullopt});
            for (std::size_t c = 0; c < categories[q].size(); ++c) sizes.push_back(byCategory[q][c * scaleCount + g].moments.count());
        }
        const auto firstPairCell = sizes.size();
        if (hasPair) {
            for (std::size_t i = 0; i < pairCellCount; ++i) sizes.push_back(byPair[i * scaleCount + g].moments.count());
            sums.push_back({indexRange(firstPairCell, pairCellCount), std::nullopt});
            for (std::size_t r = 0; r < rows; ++r)
                sums.push_back({indexRange(firstPairCell + r * pairColumnCount, pairColumnCount), firstCellOf[*pairRows] + r});
            for (std::size_t c = 0; c < pairColumnCount; ++c) {
                CellSum column{{}, firstCellOf[*pairColumns] + c};
                for (std::size_t r = 0; r < rows; ++r) column.parts.push_back(firstPairCell + r * pairColumnCount + c);
                sums.push_back(std::move(column));
            }
        }
        const auto reasons = protectCells(sizes, sums, minimum);

        for (std::size_t q = 0; q < categories.size(); ++q) {
            std::vector<Cell> cells(categories[q].size());
            std::vector<Accumulator> accumulators;
            for (std::size_t c = 0; c < cells.size(); ++c) {
                cells[c].category = c;
                accumulators.push_back(byCategory[q][c * scaleCount + g]);
            }
            const std::vector<HiddenBecause> own(reasons.begin() + static_cast<std::ptrdiff_t>(firstCellOf[q]),
                                                 reasons.begin() + static_cast<std::ptrdiff_t>(firstCellOf[q] + cells.size()));
            finishCells(cells, accumulators, district[g], own, minimum, isDistrictHidden, true);
            profile.breakdowns[q].cellsByScale.push_back(std::move(cells));
        }
        if (hasPair) {
            std::vector<Cell> cells(pairCellCount);
            std::vector<Accumulator> accumulators;
            for (std::size_t i = 0; i < pairCellCount; ++i) {
                cells[i].category = i;
                accumulators.push_back(byPair[i * scaleCount + g]);
            }
            const std::vector<HiddenBecause> own(reasons.begin() + static_cast<std::ptrdiff_t>(firstPairCell), reasons.end());
            finishCells(cells, accumulators, district[g], own, minimum, isDistrictHidden, false);
            pair->cellsByScale.push_back(std::move(cells));
        }
    }
    profile.pair = std::move(pair);

    // Many gaps are tested at once: adjust their p-values together (Benjamini-Hochberg).
    std::vector<Cell*> tested;
    std::vector<double> pValues;
    for (auto& breakdown : profile.breakdowns)
        for (auto& cells : breakdown.cellsByScale)
            for (auto& cell : cells)
                if (cell.gap && cell.gap->welch) {
                    tested.push_back(&cell);
                    pValues.push_back(cell.gap->welch->pValue);
                }
    const auto qValues = benjaminiHochberg(pValues);
    for (std::size_t i = 0; i < tested.size(); ++i) tested[i]->gapQValue = qValues[i];

    // Ranked by the share favorable, which means the same on every response format; a mean does
    // not (3 is high on 1-4 and low on 1-7). Ties go to the mean as a share of its range.
    auto shareOf = [&](std::size_t g) { return profile.scales[g].district->favorable.share.value_or(0); };
    auto pompOf = [&](std::size_t g) {
        const auto& definition = survey.instruments[profile.scales[g].ref.instrument].definition();
        return shareOfRange(*profile.scales[g].district->summary.mean, scoreRangeOf(definition, "en"));
    };
    for (std::size_t g = 0; g < scaleCount; ++g)
        if (profile.scales[g].district && profile.scales[g].district->summary.mean) profile.ranking.push_back(g);
    std::stable_sort(profile.ranking.begin(), profile.ranking.end(), [&](std::size_t a, std::size_t b) {
        if (shareOf(a) != shareOf(b)) return shareOf(a) > shareOf(b);
        return pompOf(a) > pompOf(b);
    });
    return profile;
}

}  // namespace mindset::analytics
