#pragma once
/// Staff Belonging: an instrument whose items and codes are in definition.json and whose scoring
/// is custom. A plugin needs C++ like this only when the default scoring (the mean of the
/// answered items, see mindset::sdk::meanOfAnsweredItems) is not what the instrument prescribes.

#include <algorithm>
#include <string_view>
#include <vector>

#include <mindset/sdk.h>

/// Scores each scale as the median of its keyed answers, and only for complete responses: the
/// validation study treated the answers as ordinal and dropped respondents who skipped an item.
/// Immutable after construction, so the host may call it from many threads at once.
class StaffBelongingInstrument final : public mindset::sdk::Instrument {
public:
    /// Parses and validates `jsonText`; throws mindset::sdk::DefinitionError naming the bad field.
    explicit StaffBelongingInstrument(std::string_view jsonText) : definition_(mindset::sdk::Definition::fromJson(jsonText)) {}

    const mindset::sdk::Definition& definition() const override { return definition_; }

    std::vector<mindset::sdk::ScaleScore> score(const mindset::sdk::ItemAnswers& answers) const override {
        std::vector<mindset::sdk::ScaleScore> scores;
        for (const auto& scale : definition_.scales) {
            std::vector<int> keyed;
            bool isComplete = true;
            for (std::size_t i = 0; i < definition_.items.size(); ++i) {
                const auto& item = definition_.items[i];
                if (item.scaleId != scale.id) continue;
                const int code = i < answers.codes.size() ? answers.codes[i] : 0;
                if (code == 0) {
                    isComplete = false;
                    continue;
                }
                keyed.push_back(mindset::sdk::keyedCode(definition_, item, code));
            }
            mindset::sdk::ScaleScore score{scale.id, std::nullopt, static_cast<int>(keyed.size()), {}};
            if (isComplete && !keyed.empty()) score.value = median(keyed);
            scores.push_back(std::move(score));
        }
        return scores;
    }

private:
    static double median(std::vector<int> values) {
        std::sort(values.begin(), values.end());
        const auto middle = values.size() / 2;
        return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2.0;
    }

    const mindset::sdk::Definition definition_;
};
