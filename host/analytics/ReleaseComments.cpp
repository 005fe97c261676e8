#include "analytics/ReleaseComments.h"

#include "analytics/Csv.h"
#include "surveys/Comments.h"

namespace mindset::analytics {

namespace {

/// Whether every scale that has figures shows this group with at least `threshold` scored
/// respondents: the group's figures are published, and its published sizes are all large enough.
/// A scale whose plugin failed publishes nothing and is passed over; with none left, hidden.
template <typename CellOf>
bool isShownOnEveryScale(const Profile& profile, int threshold, CellOf cellOf) {
    bool hasScale = false;
    for (std::size_t g = 0; g < profile.scales.size(); ++g) {
        if (profile.scales[g].failure) continue;
        const auto [hidden, size] = cellOf(g);
        if (hidden != HiddenBecause::Shown || size < threshold) return false;
        hasScale = true;
    }
    return hasScale;
}

}  // namespace

bool isCommentGroupShown(const surveys::SurveyDefinition& survey, const Profile& profile, const std::string& key) {
    const auto threshold = survey.commentMinGroupSize;
    const auto* question = surveys::commentGroupQuestion(survey);
    if (!question) {
        if (!key.empty()) return false;
        return isShownOnEveryScale(profile, threshold, [&](std::size_t g) {
            return std::pair{profile.scales[g].hidden, profile.scales[g].size};
        });
    }
    const auto q = static_cast<std::size_t>(question - survey.demographics.data());
    if (q >= profile.breakdowns.size()) return false;
    const auto& breakdown = profile.breakdowns[q];
    std::size_t category = breakdown.categories.size();
    for (std::size_t c = 0; c < breakdown.categories.size(); ++c)
        if (breakdown.categories[c].id == key) category = c;
    if (category == breakdown.categories.size()) return false;
    return isShownOnEveryScale(profile, threshold, [&](std::size_t g) {
        const auto& cell = breakdown.cellsByScale[g][category];
        return std::pair{cell.hidden, cell.size};
    });
}

ReleaseComments releaseComments(const surveys::SurveyDefinition& survey, const Profile& profile, bool isFinalRelease,
                                const std::vector<StoredCommentText>& comments) {
    ReleaseComments result;
    result.isFinalRelease = isFinalRelease;
    result.threshold = survey.commentMinGroupSize;
    if (!isFinalRelease) return result;

    std::vector<CommentGroup> groups;
    if (const auto* question = surveys::commentGroupQuestion(survey))
        for (const auto& category : categoriesOf(*question)) groups.push_back({category.id, category.label, false, {}});
    else
        groups.push_back({"", {}, false, {}});
    for (auto& group : groups) group.isShown = isCommentGroupShown(survey, profile, group.key);

    for (const auto& question : survey.comments) {
        CommentQuestionGroups entry{question.id, question.label, groups};
        for (const auto& comment : comments) {
            if (comment.questionId != question.id) continue;
            for (auto& group : entry.groups)
                if (group.isShown && group.key == comment.groupKey) group.texts.push_back(comment.text);
        }
        result.questions.push_back(std::move(entry));
    }
    return result;
}

}  // namespace mindset::analytics

namespace mindset::analytics {

std::string commentsCsv(const ReleaseComments& comments) {
    std::string csv = "question,school,comment\r\n";
    for (const auto& question : comments.questions)
        for (const auto& group : question.groups)
            for (const auto& text : group.texts) {
                appendCsvField(csv, question.questionId);
                csv += ',';
                appendCsvField(csv, group.key.empty() ? "district" : group.key);
                csv += ',';
                const bool looksLikeFormula = !text.empty() && std::string_view("=+-@").find(text.front()) != std::string_view::npos;
                appendCsvField(csv, looksLikeFormula ? "'" + text : text);
                csv += "\r\n";
            }
    return csv;
}

}  // namespace mindset::analytics
