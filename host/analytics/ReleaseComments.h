#pragma once
/// Which comments a release shows (docs/privacy.md, R10): only the final release's, and of each
/// group only when the release shows that group's figures on every scale with at least the
/// survey's commentMinGroupSize respondents; a group below that shows nothing but "hidden". Groups
/// are the schools (the single-choice question whose choices are the survey's schools), or the
/// district for a survey without one: never role, race/ethnicity or any other answer.

#include <string>
#include <vector>

#include "analytics/Profile.h"
#include "surveys/SurveyDefinition.h"

namespace mindset::analytics {

/// One stored comment as the release reads it: its question, its group key
/// (surveys::commentGroupKey) and its text (already masked when it was stored).
struct StoredCommentText {
    std::string questionId;
    std::string groupKey;
    std::string text;
};

/// A group's comments for one question, or only that it is hidden.
struct CommentGroup {
    std::string key;          ///< the category id, or "" for the district
    sdk::LocalizedText label;  ///< the school's name, "No answer", or empty for the district
    bool isShown = false;
    std::vector<std::string> texts{};  ///< empty when hidden; in the order given (the store's random ids)
};

struct CommentQuestionGroups {
    std::string questionId;
    sdk::LocalizedText label;
    std::vector<CommentGroup> groups;  ///< every group of the survey, in the school question's order
};

/// What a release shows of the comments.
struct ReleaseComments {
    bool isFinalRelease = false;  ///< false: nothing is shown until the final release
    int threshold = 10;           ///< the survey's commentMinGroupSize
    std::vector<CommentQuestionGroups> questions;  ///< one per comment question, in survey order
};

/// The comments `profile` (a release's profile, read with its stored pattern) lets its readers see.
/// Every group is listed whether or not it has comments, so that a hidden group's line says nothing
/// about whether anyone in it wrote. Comments of a question the survey no longer asks are left out.
ReleaseComments releaseComments(const surveys::SurveyDefinition& survey, const Profile& profile, bool isFinalRelease,
                                const std::vector<StoredCommentText>& comments);

/// The shown comments as CSV for `mindset export --comments`: a header line `question,school,comment`,
/// then one record per comment of a shown group (school: the category id, or "district"); hidden
/// groups have no record. A comment starting with =, +, - or @ is prefixed with ' so that a
/// spreadsheet does not run it as a formula.
std::string commentsCsv(const ReleaseComments& comments);

/// Whether the group `key` of `profile` may show its comments (see the header comment).
bool isCommentGroupShown(const surveys::SurveyDefinition& survey, const Profile& profile, const std::string& key);

}  // namespace mindset::analytics
