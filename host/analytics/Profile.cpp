#include "analytics/Profile.h"

#include "analytics/DisclosureAudit.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <typeinfo>

#include "analytics/ResponseFormat.h"
#include "loader/DerivedScales.h"

namespace mindset::analytics {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

/// Withholds a scale's answer counts per statement, as its figures are withheld.
void clearItemCounts(ScaleFigures& scale) {
    for (auto& item : scale.items) {
        std::fill(item.countsByCode.begin(), item.countsByCode.end(), 0);
        std::fill(item.countsByUnscoredCode.begin(), item.countsByUnscoredCode.end(), 0);
        item.missing = 0;
    }
}

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
    std::int64_t* countsByUnscoredCode;                    // the item's ItemFigures::countsByUnscoredCode
    const std::vector<sdk::ResponseOption>* unscoredOptions;  // "don't know" and the like

    /// The index of `code` among the unscored options, or -1.
    int unscoredIndexOf(int code) const {
        for (std::size_t u = 0; u < unscoredOptions->size(); ++u)
            if ((*unscoredOptions)[u].code == code) return static_cast<int>(u);
        return -1;
    }
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

/// Where each group of the profile sits in the audit's list: the district, then every question's
/// categories, then the crossed pair's cells.
class GroupIndex {
public:
    GroupIndex(const std::vector<std::vector<Category>>& categories, std::size_t rowQuestion, std::size_t columnQuestion, bool hasPair)
        : rowQuestion_(rowQuestion), columnQuestion_(columnQuestion) {
        std::size_t next = 1;
        for (const auto& question : categories) {
            firstCategory_.push_back(next);
            categoryCounts_.push_back(question.size());
            next += question.size();
        }
        firstPairCell_ = next;
        if (hasPair) {
            rows_ = categories[rowQuestion].size();
            columns_ = categories[columnQuestion].size();
        }
        count_ = next + rows_ * columns_;
    }
    std::size_t count() const { return count_; }
    std::size_t category(std::size_t question, std::size_t category) const { return firstCategory_[question] + category; }
    std::size_t pairCell(std::size_t cell) const { return firstPairCell_ + cell; }

    /// Every question's categories add up to the district; a row of the pair to its row
    /// question's category, a column to its column question's category.
    std::vector<AuditSum> sums() const {
        std::vector<AuditSum> sums;
        for (std::size_t q = 0; q < firstCategory_.size(); ++q) {
            AuditSum sum{{}, 0};
            for (std::size_t c = 0; c < categoryCounts_[q]; ++c) sum.parts.push_back(category(q, c));
            sums.push_back(std::move(sum));
        }
        for (std::size_t r = 0; r < rows_; ++r) {
            AuditSum sum{{}, category(rowQuestion_, r)};
            for (std::size_t c = 0; c < columns_; ++c) sum.parts.push_back(pairCell(r * columns_ + c));
            sums.push_back(std::move(sum));
        }
        for (std::size_t c = 0; c < columns_; ++c) {
            AuditSum sum{{}, category(columnQuestion_, c)};
            for (std::size_t r = 0; r < rows_; ++r) sum.parts.push_back(pairCell(r * columns_ + c));
            sums.push_back(std::move(sum));
        }
        return sums;
    }

private:
    std::vector<std::size_t> firstCategory_, categoryCounts_;
    std::size_t rowQuestion_, columnQuestion_;
    std::size_t firstPairCell_ = 0, rows_ = 0, columns_ = 0, count_ = 1;
};

/// A group's figures on one scale as the audit counts them: n, favorable, sum and sum of squares.
AuditCell auditCell(const Accumulator& accumulator) {
    const auto& m = accumulator.moments;
    if (m.count() == 0) return {};
    const auto n = static_cast<double>(m.count());
    return {m.count(), accumulator.favorable, m.mean() * n, m.sumSquaredDeviations() + n * m.mean() * m.mean()};
}

/// What a stored suppression pattern hid, for the release `release` (0-based) of `tables`.
AuditVisibility visibilityOf(const nlohmann::json& pattern, const std::string& what, const AuditTables& tables,
                             const std::vector<std::string>& tableNames, std::size_t release) {
    if (!pattern.is_object() || pattern.value("version", 0) != 1 || !pattern.contains("hiddenGroups") || !pattern["hiddenGroups"].is_array())
        throw std::invalid_argument("the suppression pattern of " + what + " is not a version 1 pattern: " + pattern.dump());
    AuditVisibility visibility;
    visibility.isGroupHidden.assign(tables.groupNames.size(), false);
    visibility.threshold = pattern.value("threshold", 0);
    for (const auto& id : pattern["hiddenGroups"]) {
        const auto found = std::find(tables.groupNames.begin(), tables.groupNames.end(), id.is_string() ? id.get<std::string>() : "");
        if (found == tables.groupNames.end())
            throw std::invalid_argument("the suppression pattern of " + what + " hides group " + id.dump() + ", which this survey does not have");
        visibility.isGroupHidden[static_cast<std::size_t>(found - tables.groupNames.begin())] = true;
    }
    visibility.isTableWithheld.assign(tables.tables.size(), pattern.value("everyBreakdownHidden", false));
    for (const auto& id : pattern.value("withheldTables", nlohmann::json::array())) {
        const auto found = std::find(tableNames.begin(), tableNames.end(), id.is_string() ? id.get<std::string>() : "");
        if (found == tableNames.end())
            throw std::invalid_argument("the suppression pattern of " + what + " withholds table " + id.dump() + ", which this survey does not have");
        visibility.isTableWithheld[static_cast<std::size_t>(found - tableNames.begin())] = true;
    }
    for (std::size_t t = 0; t < tables.tables.size(); ++t)
        if (visibility.isTableWithheld[t])
            for (auto group : tables.tables[t]) visibility.isGroupHidden[group] = true;
    std::int64_t responses = 0;
    for (std::size_t k = 0; k <= release && k < tables.increments.size(); ++k) responses += tables.increments[k][0].respondents;
    visibility.isEverythingHidden = responses < (visibility.threshold > 0 ? visibility.threshold : tables.threshold);
    return visibility;
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
    profile.minGroupSize = survey.reportingThreshold();
    const auto minimum = profile.minGroupSize;
    // Responses of earlier releases are kept apart per release (an increment each), so that the
    // audit can see what each earlier release published; a fixed pattern needs no audit.
    const bool isFixed = options.fixedPattern.has_value();
    const auto earlierReleases = isFixed ? std::size_t{0} : options.earlierPatterns.size();
    const auto incrementCount = earlierReleases + 1;

    // The scales, and where each instrument's scales and items land in the flat lists.
    std::vector<std::size_t> firstScaleOf;
    std::vector<std::vector<std::size_t>> scaleOfItem;     // [instrument][item] -> flat scale index
    std::vector<std::vector<std::size_t>> columnOfItem;    // [instrument][item] -> column within its scale
    std::vector<double> favorableAtLeast;
    // A sub-score (loader::withDerivedScales) reads its items' keyed answers where their own scales keep them.
    struct SubScore {
        std::size_t scale = 0;                                      // flat scale index of the sub-score
        std::vector<std::pair<std::size_t, std::size_t>> members;  // (flat scale, column) of each item it holds
    };
    std::vector<std::vector<SubScore>> subScoresOf(survey.instruments.size());  // [instrument]
    // A custom figure (loader::withDerivedScales) is what the instrument's score() gives beside a scale's score.
    struct FigureSource {
        std::size_t scale = 0;             // flat scale index of the figure
        loader::FigurePosition position;  // where score()'s result holds it
    };
    std::vector<std::vector<FigureSource>> figuresOf(survey.instruments.size());  // [instrument]
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
            scale.items.push_back({item.id, item.isReverseKeyed, std::vector<std::int64_t>(codes, 0), 0,
                                   std::vector<std::int64_t>(definition.responseScale.unscoredOptions.size(), 0)});
        }
        for (std::size_t s = 0; s < definition.scales.size(); ++s) {
            if (const auto position = loader::figurePositionOf(definition, definition.scales[s]))
                figuresOf[i].push_back({firstScaleOf[i] + s, *position});
            if (!definition.scales[s].isSubScore()) continue;
            SubScore subScore{firstScaleOf[i] + s, {}};
            for (std::size_t j = 0; j < definition.items.size(); ++j) {
                if (!definition.scales[s].holds(definition.items[j])) continue;
                subScore.members.emplace_back(scaleOfItem[i][j], columnOfItem[i][j]);
                // Its statements as their scale shows them; the counts are copied once every response is in.
                profile.scales[subScore.scale].items.push_back(profile.scales[scaleOfItem[i][j]].items[columnOfItem[i][j]]);
            }
            subScoresOf[i].push_back(std::move(subScore));
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

    // One pass over the responses, every group's figures kept per increment.
    const auto groups = GroupIndex(categories, hasPair ? *pairRows : 0, hasPair ? *pairColumns : 0, hasPair);
    std::vector<Accumulator> districtByIncrement(incrementCount * scaleCount);  // [increment * scales + scale]
    std::vector<std::vector<Accumulator>> byCategoryByIncrement(survey.demographics.size());  // [q][(increment * categories + category) * scales + scale]
    for (std::size_t q = 0; q < categories.size(); ++q) byCategoryByIncrement[q].resize(incrementCount * categories[q].size() * scaleCount);
    std::vector<Accumulator> byPairByIncrement(incrementCount * pairCellCount * scaleCount);
    std::vector<std::int64_t> groupRespondents(incrementCount * groups.count());  // [increment * groups + group]
    std::vector<std::vector<std::int64_t>> respondents(categories.size());  // [q][category]
    for (std::size_t q = 0; q < categories.size(); ++q) respondents[q].resize(categories[q].size());
    std::vector<std::optional<ItemCovariance>> covariances;  // none for a custom figure, which has no statements
    std::vector<std::vector<double>> keyedRows;
    for (const auto& scale : profile.scales) {
        covariances.push_back(scale.items.empty() ? std::nullopt : std::optional<ItemCovariance>(scale.items.size()));
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
                             static_cast<int>(item.countsByCode.size()), item.countsByUnscoredCode.data(),
                             &definition.responseScale.unscoredOptions});
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
    const auto demographicBytes = survey.demographics.size() * 4;
    const auto answerBytes = survey.answerCount();

    source([&](const ResponseBytes& response) {
        if (response.demographics.size() != demographicBytes || response.answers.size() != answerBytes)
            throw std::invalid_argument("a stored response of survey '" + survey.id + "' does not fit its layout");
        if (!isFixed && response.releaseNumber > earlierReleases)
            throw std::invalid_argument("a response of survey '" + survey.id + "' belongs to release " +
                                        std::to_string(response.releaseNumber) + ", but only " + std::to_string(earlierReleases) +
                                        " earlier releases' suppression patterns were given");
        const auto increment = isFixed || response.releaseNumber == 0 ? earlierReleases : response.releaseNumber - 1;
        ++profile.responses;
        auto* counted = groupRespondents.data() + increment * groups.count();
        ++counted[0];
        groupRows[0] = districtByIncrement.data() + increment * scaleCount;
        for (std::size_t q = 0; q < survey.demographics.size(); ++q) {
            category[q] = categoryOf(survey.demographics[q], readUint32(response.demographics, q * 4));
            ++respondents[q][category[q]];
            ++counted[groups.category(q, category[q])];
            groupRows[1 + q] = byCategoryByIncrement[q].data() + (increment * categories[q].size() + category[q]) * scaleCount;
        }
        if (hasPair) {
            const auto cell = category[*pairRows] * pairColumnCount + category[*pairColumns];
            ++counted[groups.pairCell(cell)];
            groupRows.back() = byPairByIncrement.data() + (increment * pairCellCount + cell) * scaleCount;
        }

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
                int scoredCode = code;
                if (code == 0 || index < 0 || index >= slot->codeCount) {
                    *slot->keyed = kMissing;
                    if (const auto unscored = code == 0 ? -1 : slot->unscoredIndexOf(code); unscored >= 0) {
                        // "Don't know": counted in the distribution, left out of every score, as a plugin's score() never sees it.
                        ++slot->countsByUnscoredCode[unscored];
                        scoredCode = 0;
                    } else {
                        ++*slot->missing;
                        if (isDefault && code != 0) {  // not a code of the response scale, yet meanOfAnsweredItems counts it
                            keyedSums[slot->scale] += sdk::keyedCode(instrument.definition(), instrument.definition().items[j], code);
                            ++answeredCounts[slot->scale];
                        }
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
                if (!isDefault) codes[j] = scoredCode;
            }
            if (isDefault) {
                // Summed in item order and divided as meanOfAnsweredItems does: the same doubles.
                for (auto g = firstScale; g < endScale; ++g)
                    scores[g] = answeredCounts[g] >= minAnswered[g] ? keyedSums[g] / answeredCounts[g] : kMissing;
            } else {
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
                for (const auto& source : figuresOf[i]) {  // scoreProblem checked there is one per declared figure
                    const auto& figure = scaleScores[source.position.scale].figures[source.position.figure];
                    scores[source.scale] = figure ? *figure : kMissing;
                }
            }
            // Sub-scores are the host's whatever the scoring: the mean of the answered items that
            // carry the tag, after reverse keying.
            for (const auto& subScore : subScoresOf[i]) {
                auto& row = keyedRows[subScore.scale];
                double sum = 0;
                int answered = 0;
                for (std::size_t k = 0; k < subScore.members.size(); ++k) {
                    const auto [memberScale, column] = subScore.members[k];
                    row[k] = keyedRows[memberScale][column];
                    if (std::isnan(row[k])) continue;
                    sum += row[k];
                    ++answered;
                }
                scores[subScore.scale] = answered >= minAnswered[subScore.scale] ? sum / answered : kMissing;
            }
        }
        for (std::size_t g = 0; g < scaleCount; ++g) {
            if (covariances[g]) covariances[g]->add(keyedRows[g]);
            const double score = scores[g];
            if (std::isnan(score)) continue;
            const bool isFavorable = score >= favorableAtLeast[g];
            for (auto* row : groupRows) row[g].add(score, isFavorable);
        }
    });

    // A failed instrument's scales lose everything added before it failed, in every increment: no
    // figure of them would be whole.
    for (std::size_t i = 0; i < survey.instruments.size(); ++i) {
        if (!failures[i]) continue;
        profile.failures.push_back(*failures[i]);
        const auto endScale = i + 1 < firstScaleOf.size() ? firstScaleOf[i + 1] : scaleCount;
        for (auto g = firstScaleOf[i]; g < endScale; ++g) {
            auto& scale = profile.scales[g];
            scale.failure = failures[i];
            // Every accumulator list is laid out [increment][group * scales + scale].
            auto resetScale = [&](std::vector<Accumulator>& accumulators) {
                for (std::size_t c = g; c < accumulators.size(); c += scaleCount) accumulators[c] = {};
            };
            resetScale(districtByIncrement);
            for (auto& row : byCategoryByIncrement) resetScale(row);
            resetScale(byPairByIncrement);
            if (covariances[g]) covariances[g] = ItemCovariance(scale.items.size());
            clearItemCounts(scale);
        }
    }

    // A sub-score's statements with their final counts.
    for (const auto& subScores : subScoresOf)
        for (const auto& subScore : subScores)
            for (std::size_t k = 0; k < subScore.members.size(); ++k)
                profile.scales[subScore.scale].items[k] = profile.scales[subScore.members[k].first].items[subScore.members[k].second];

    // The figures of the release being built: every increment together.
    auto mergedIncrements = [&](const std::vector<Accumulator>& byIncrement) {
        const auto size = byIncrement.size() / incrementCount;
        std::vector<Accumulator> merged(byIncrement.begin(), byIncrement.begin() + static_cast<std::ptrdiff_t>(size));
        for (std::size_t k = 1; k < incrementCount; ++k)
            for (std::size_t i = 0; i < size; ++i) {
                merged[i].moments.merge(byIncrement[k * size + i].moments);
                merged[i].favorable += byIncrement[k * size + i].favorable;
            }
        return merged;
    };
    const auto district = mergedIncrements(districtByIncrement);
    std::vector<std::vector<Accumulator>> byCategory;  // [q][category * scales + scale]
    for (const auto& byIncrement : byCategoryByIncrement) byCategory.push_back(mergedIncrements(byIncrement));
    const auto byPair = mergedIncrements(byPairByIncrement);

    // District figures.
    for (std::size_t g = 0; g < scaleCount; ++g) {
        auto& scale = profile.scales[g];
        if (scale.failure) continue;  // no figures, and not "hidden" either: failed, and says why
        scale.size = district[g].moments.count();
        if (scale.size < minimum) {
            scale.hidden = HiddenBecause::BelowMinimum;
            clearItemCounts(scale);  // item counts would show the answers of fewer than the minimum
            continue;
        }
        scale.district = district[g].figures();
        if (covariances[g]) scale.reliability = covariances[g]->reliability();
    }
    // A sub-score is never shown where a scale of its statements is hidden: its statements' answer
    // counts, and its own figures, would show what the hidden scale withholds.
    for (const auto& subScores : subScoresOf) {
        for (const auto& subScore : subScores) {
            auto& scale = profile.scales[subScore.scale];
            const bool isMemberHidden = std::any_of(subScore.members.begin(), subScore.members.end(), [&](const auto& member) {
                return profile.scales[member.first].hidden != HiddenBecause::Shown;
            });
            if (scale.failure || scale.hidden != HiddenBecause::Shown || !isMemberHidden) continue;
            scale.hidden = HiddenBecause::BelowMinimum;
            scale.district.reset();
            scale.reliability.reset();
            clearItemCounts(scale);
        }
    }

    // Protection (analytics/DisclosureAudit.h). A group is shown or hidden as a whole, on every
    // scale; a shown group's cell is hidden on a scale where fewer than the threshold have a score.
    for (std::size_t q = 0; q < survey.demographics.size(); ++q)
        profile.breakdowns.push_back({survey.demographics[q].id, survey.demographics[q].label, categories[q], {}, respondents[q]});
    std::optional<PairBreakdown> pair;
    if (hasPair) pair = PairBreakdown{*pairRows, *pairColumns, {}};

    AuditTables tables;
    tables.threshold = minimum;
    for (std::size_t g = 0; g < scaleCount; ++g) {
        const auto& definition = survey.instruments[profile.scales[g].ref.instrument].definition();
        const auto range = scoreRangeOf(definition, definition.scales[profile.scales[g].ref.scale], "en");
        tables.scales.push_back({profile.scales[g].instrumentKey + "/" + profile.scales[g].scaleId, range.min, range.max, favorableAtLeast[g]});
    }
    tables.groupNames.assign(groups.count(), "district");
    for (std::size_t q = 0; q < categories.size(); ++q)
        for (std::size_t c = 0; c < categories[q].size(); ++c)
            tables.groupNames[groups.category(q, c)] = survey.demographics[q].id + "=" + categories[q][c].id;
    for (std::size_t i = 0; i < pairCellCount; ++i) {
        const auto& row = categories[*pairRows][i / pairColumnCount];
        const auto& column = categories[*pairColumns][i % pairColumnCount];
        tables.groupNames[groups.pairCell(i)] =
            survey.demographics[*pairRows].id + "|" + survey.demographics[*pairColumns].id + "=" + row.id + "|" + column.id;
    }
    tables.sums = groups.sums();
    std::vector<std::string> tableNames;  // [table]: a question's id, or "rows|columns" for the pair
    for (std::size_t q = 0; q < categories.size(); ++q) {
        tableNames.push_back(survey.demographics[q].id);
        tables.tables.emplace_back();
        for (std::size_t c = 0; c < categories[q].size(); ++c) tables.tables.back().push_back(groups.category(q, c));
    }
    if (hasPair) {
        tableNames.push_back(survey.demographics[*pairRows].id + "|" + survey.demographics[*pairColumns].id);
        tables.tables.emplace_back();
        for (std::size_t i = 0; i < pairCellCount; ++i) tables.tables.back().push_back(groups.pairCell(i));
    }
    for (std::size_t k = 0; k < incrementCount; ++k) {
        std::vector<AuditGroupCounts> counts(groups.count());
        auto fill = [&](std::size_t group, const Accumulator* row) {
            counts[group].respondents = groupRespondents[k * groups.count() + group];
            for (std::size_t g = 0; g < scaleCount; ++g) counts[group].scales.push_back(auditCell(row[g]));
        };
        fill(0, districtByIncrement.data() + k * scaleCount);
        for (std::size_t q = 0; q < categories.size(); ++q)
            for (std::size_t c = 0; c < categories[q].size(); ++c)
                fill(groups.category(q, c), byCategoryByIncrement[q].data() + (k * categories[q].size() + c) * scaleCount);
        for (std::size_t i = 0; i < pairCellCount; ++i) fill(groups.pairCell(i), byPairByIncrement.data() + (k * pairCellCount + i) * scaleCount);
        tables.increments.push_back(std::move(counts));
    }
    for (std::size_t k = 0; k < earlierReleases; ++k)
        tables.releases.push_back(visibilityOf(options.earlierPatterns[k], "release " + std::to_string(k + 1), tables, tableNames, k));
    // Primary suppression: the district below the threshold hides everything; a group below it hides.
    AuditVisibility primary;
    primary.isEverythingHidden = profile.responses < minimum;
    primary.isGroupHidden.assign(groups.count(), false);
    std::vector<std::int64_t> groupSize(groups.count(), 0);
    for (std::size_t k = 0; k < incrementCount; ++k)
        for (std::size_t group = 0; group < groups.count(); ++group) groupSize[group] += groupRespondents[k * groups.count() + group];
    for (std::size_t group = 1; group < groups.count(); ++group) primary.isGroupHidden[group] = groupSize[group] > 0 && groupSize[group] < minimum;

    std::vector<bool> isHidden;
    std::vector<bool> isTableWithheld(tables.tables.size(), false);
    bool isEveryBreakdownHidden = false;
    if (isFixed) {
        tables.releases.push_back(primary);
        const auto stored = visibilityOf(*options.fixedPattern, "the fixed pattern", tables, tableNames, 0);
        isHidden = primary.isGroupHidden;
        for (std::size_t group = 0; group < isHidden.size(); ++group) isHidden[group] = isHidden[group] || stored.isGroupHidden[group];
        isTableWithheld = stored.isTableWithheld;
        profile.auditReport = {{"version", 1}, {"fixedPattern", true}};
    } else {
        tables.releases.push_back(primary);
        const auto protection = protectRelease(tables);
        isHidden = protection.isGroupHidden;
        isTableWithheld = protection.isTableWithheld;
        profile.isAuditPassed = protection.audit.isPassed;
        if (protection.audit.failure) profile.auditFailure = protection.audit.failure->reason;
        nlohmann::json secondary = nlohmann::json::array();
        for (auto group : protection.addedGroups) secondary.push_back(tables.groupNames[group]);
        profile.auditReport = {{"version", 1},
                               {"threshold", minimum},
                               {"earlierReleases", earlierReleases},
                               {"passed", protection.audit.isPassed},
                               {"failure", profile.auditFailure.empty() ? nlohmann::json(nullptr) : nlohmann::json(profile.auditFailure)},
                               {"milliseconds", protection.milliseconds},
                               {"rounds", protection.rounds},
                               {"linearPrograms", protection.linearPrograms},
                               {"secondarySuppression", secondary},
                               {"checked", protection.audit.checked}};
    }
    isEveryBreakdownHidden = !isTableWithheld.empty() && std::all_of(isTableWithheld.begin(), isTableWithheld.end(), [](bool b) { return b; });
    std::vector<bool> isGroupWithheld(groups.count(), false);
    nlohmann::json withheldTables = nlohmann::json::array();
    for (std::size_t t = 0; t < isTableWithheld.size(); ++t) {
        if (!isTableWithheld[t]) continue;
        withheldTables.push_back(tableNames[t]);
        for (auto group : tables.tables[t]) isGroupWithheld[group] = true;
    }
    if (!isFixed) profile.auditReport["everyBreakdownHidden"] = isEveryBreakdownHidden;
    std::vector<HiddenBecause> groupHidden(groups.count(), HiddenBecause::Shown);
    nlohmann::json hiddenGroups = nlohmann::json::array();
    for (std::size_t group = 1; group < groups.count(); ++group) {
        if (!isHidden[group] || groupSize[group] == 0) continue;
        groupHidden[group] = primary.isGroupHidden[group] ? HiddenBecause::BelowMinimum : HiddenBecause::ComplementaryProtection;
        hiddenGroups.push_back(tables.groupNames[group]);
    }
    profile.suppressionPattern = {{"version", 1}, {"threshold", minimum}, {"hiddenGroups", hiddenGroups},
                                  {"withheldTables", withheldTables}, {"everyBreakdownHidden", isEveryBreakdownHidden}};
    auto reasonOf = [&](std::size_t group, std::int64_t scored) {
        if (isGroupWithheld[group]) return groupHidden[group] == HiddenBecause::Shown ? HiddenBecause::ComplementaryProtection : groupHidden[group];  // empty groups too
        if (scored == 0 || groupHidden[group] == HiddenBecause::Shown) return scored > 0 && scored < minimum ? HiddenBecause::BelowMinimum : HiddenBecause::Shown;
        return groupHidden[group];
    };

    for (std::size_t g = 0; g < scaleCount; ++g) {
        const bool isDistrictHidden = profile.scales[g].hidden != HiddenBecause::Shown;
        for (std::size_t q = 0; q < categories.size(); ++q) {
            std::vector<Cell> cells(categories[q].size());
            std::vector<Accumulator> accumulators;
            std::vector<HiddenBecause> reasons;
            for (std::size_t c = 0; c < cells.size(); ++c) {
                cells[c].category = c;
                accumulators.push_back(byCategory[q][c * scaleCount + g]);
                reasons.push_back(reasonOf(groups.category(q, c), accumulators.back().moments.count()));
            }
            finishCells(cells, accumulators, district[g], reasons, minimum, isDistrictHidden, true);
            profile.breakdowns[q].cellsByScale.push_back(std::move(cells));
        }
        if (hasPair) {
            std::vector<Cell> cells(pairCellCount);
            std::vector<Accumulator> accumulators;
            std::vector<HiddenBecause> reasons;
            for (std::size_t i = 0; i < pairCellCount; ++i) {
                cells[i].category = i;
                accumulators.push_back(byPair[i * scaleCount + g]);
                reasons.push_back(reasonOf(groups.pairCell(i), accumulators.back().moments.count()));
            }
            finishCells(cells, accumulators, district[g], reasons, minimum, isDistrictHidden, false);
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
    // Only declared scales: a sub-score's items count in their scales already, and a custom figure
    // says something else than where staff stand.
    auto isDeclared = [&](std::size_t g) {
        return survey.instruments[profile.scales[g].ref.instrument].definition().scales[profile.scales[g].ref.scale].isDeclared();
    };
    for (std::size_t g = 0; g < scaleCount; ++g)
        if (profile.scales[g].district && profile.scales[g].district->summary.mean && isDeclared(g)) profile.ranking.push_back(g);
    std::stable_sort(profile.ranking.begin(), profile.ranking.end(), [&](std::size_t a, std::size_t b) {
        if (shareOf(a) != shareOf(b)) return shareOf(a) > shareOf(b);
        return pompOf(a) > pompOf(b);
    });
    return profile;
}

}  // namespace mindset::analytics
