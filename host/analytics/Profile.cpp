#include "analytics/Profile.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace mindset::analytics {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

/// A group's running figures on one scale.
struct Accumulator {
    Moments moments;
    std::int64_t favorable = 0;

    void add(double score, double favorableAtLeast) {
        if (std::isnan(score)) return;
        moments.add(score);
        favorable += score >= favorableAtLeast;
    }
    CellFigures figures() const { return {summarize(moments), proportion(favorable, moments.count())}; }
};

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
    std::vector<ItemCovariance> covariances;
    std::vector<std::vector<double>> keyedRows;
    for (const auto& scale : profile.scales) {
        covariances.emplace_back(scale.items.size());
        keyedRows.emplace_back(scale.items.size(), kMissing);
    }
    std::vector<sdk::ItemAnswers> answers(survey.instruments.size());
    for (std::size_t i = 0; i < survey.instruments.size(); ++i) answers[i].codes.resize(survey.instruments[i].definition().items.size());
    std::vector<std::size_t> category(survey.demographics.size());
    std::vector<double> scores(scaleCount, kMissing);
    const auto demographicBytes = survey.demographics.size() * 4;
    const auto answerBytes = survey.answerCount();

    source([&](const ResponseBytes& response) {
        if (response.demographics.size() != demographicBytes || response.answers.size() != answerBytes)
            throw std::invalid_argument("a stored response of survey '" + survey.id + "' does not fit its layout");
        ++profile.responses;
        for (std::size_t q = 0; q < survey.demographics.size(); ++q)
            category[q] = categoryOf(survey.demographics[q], readUint32(response.demographics, q * 4));

        for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
            const auto& instrument = survey.instruments[i];
            const auto& definition = instrument.definition();
            auto& codes = answers[i].codes;
            for (std::size_t j = 0; j < codes.size(); ++j) {
                const int code = response.answers[instrument.firstAnswerIndex + j];
                codes[j] = code;
                auto& item = profile.scales[scaleOfItem[i][j]].items[columnOfItem[i][j]];
                const auto index = code - definition.responseScale.minCode();
                if (code == 0 || index < 0 || index >= static_cast<int>(item.countsByCode.size())) {
                    ++item.missing;
                    keyedRows[scaleOfItem[i][j]][columnOfItem[i][j]] = kMissing;
                } else {
                    ++item.countsByCode[static_cast<std::size_t>(index)];
                    keyedRows[scaleOfItem[i][j]][columnOfItem[i][j]] = sdk::keyedCode(definition, definition.items[j], code);
                }
            }
            const auto scaleScores = instrument.instrument->score(answers[i]);
            for (std::size_t s = 0; s < definition.scales.size(); ++s)
                scores[firstScaleOf[i] + s] = s < scaleScores.size() && scaleScores[s].value ? *scaleScores[s].value : kMissing;
        }
        for (std::size_t g = 0; g < scaleCount; ++g) {
            covariances[g].add(keyedRows[g]);
            district[g].add(scores[g], favorableAtLeast[g]);
            for (std::size_t q = 0; q < category.size(); ++q) byCategory[q][category[q] * scaleCount + g].add(scores[g], favorableAtLeast[g]);
            if (hasPair)
                byPair[(category[*pairRows] * pairColumnCount + category[*pairColumns]) * scaleCount + g].add(scores[g], favorableAtLeast[g]);
        }
    });

    // District figures.
    for (std::size_t g = 0; g < scaleCount; ++g) {
        auto& scale = profile.scales[g];
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
        profile.breakdowns.push_back({survey.demographics[q].id, survey.demographics[q].label, categories[q], {}});
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

    for (std::size_t g = 0; g < scaleCount; ++g)
        if (profile.scales[g].district && profile.scales[g].district->summary.mean) profile.ranking.push_back(g);
    std::stable_sort(profile.ranking.begin(), profile.ranking.end(), [&](std::size_t a, std::size_t b) {
        return *profile.scales[a].district->summary.mean > *profile.scales[b].district->summary.mean;
    });
    return profile;
}

}  // namespace mindset::analytics
