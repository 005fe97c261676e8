#pragma once
/// A survey: one administration fielded to one district in one school year, read from
/// surveys/*.json and checked against the loaded instruments.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <mindset/sdk.h>

#include "loader/InstrumentRegistry.h"

namespace mindset::surveys {

/// One thing wrong in a survey file: the JSON path of the field (e.g. `$.demographics[2].label`)
/// and what is wrong with it.
struct SurveyProblem {
    std::string field;
    std::string reason;
};

/// A survey file that cannot be used: which file, and every problem found in it (at least one),
/// each naming its field and why.
class SurveyError : public std::runtime_error {
public:
    SurveyError(std::filesystem::path file, std::string field, std::string reason)
        : SurveyError(std::move(file), std::vector<SurveyProblem>{{std::move(field), std::move(reason)}}) {}
    /// `problems` must not be empty.
    SurveyError(std::filesystem::path file, std::vector<SurveyProblem> problems)
        : std::runtime_error(describe(file, problems)), file_(std::move(file)), problems_(std::move(problems)) {}
    const std::filesystem::path& file() const { return file_; }
    /// The first problem's field and reason.
    const std::string& field() const { return problems_.front().field; }
    const std::string& reason() const { return problems_.front().reason; }
    /// Every problem, in the order found: unknown fields first, then each field as it is read.
    const std::vector<SurveyProblem>& problems() const { return problems_; }

private:
    static std::string describe(const std::filesystem::path& file, const std::vector<SurveyProblem>& problems) {
        if (problems.size() == 1) return file.string() + ": " + problems.front().field + ": " + problems.front().reason;
        std::string text = file.string() + ": " + std::to_string(problems.size()) + " problems:";
        for (const auto& problem : problems) text += "\n  " + problem.field + ": " + problem.reason;
        return text;
    }

    std::filesystem::path file_;
    std::vector<SurveyProblem> problems_;
};

struct School {
    std::string id;
    /// A string, or a text per language (`{"en": "Central office", "es": "Oficina central"}`) for a
    /// name that is not a proper name; a missing language falls back to English.
    sdk::LocalizedText name;
    /// Staff expected to answer (optional `"staff"`): the denominator of the school's response rate
    /// when the survey uses an open link. Not part of the answer layout: it may change at any time.
    std::optional<std::int64_t> staff{};
};

/// Staff expected to answer in one role of the district (optional `"staffByRole"`).
struct RoleStaff {
    std::string roleId;  ///< a choice id of the demographic question with id kRoleQuestionId
    std::int64_t staff = 0;
};

/// The demographic question that staffByRole refers to.
inline constexpr std::string_view kRoleQuestionId = "role";

/// Largest staff count a survey file may give for a school or a role.
inline constexpr std::int64_t kMaxStaffCount = 1000000;

struct Choice {
    std::string id;
    sdk::LocalizedText label;
    bool isPreferNotToSay = false;
};

/// A question about the respondent (school, role, years in district, race/ethnicity, ...).
struct DemographicQuestion {
    std::string id;
    sdk::LocalizedText label;
    sdk::LocalizedText hint;
    bool isMultiple = false;  ///< several choices may be selected (stored as a bit set)
    bool isRequired = false;
    bool isFromSchools = false;  ///< its choices are the survey's schools, in the same order
    std::vector<Choice> choices;
};

/// An instrument pinned by the survey, and where its answers start in the stored answer bytes.
struct SurveyInstrument {
    std::string key;  ///< id@version
    const sdk::Instrument* instrument = nullptr;
    std::size_t firstAnswerIndex = 0;
    /// The definition the loader read under its guard (loader::LoadedInstrument::definition);
    /// set for every survey parsed against a registry. Reading it calls no plugin code.
    const sdk::Definition* loadedDefinition = nullptr;

    /// The instrument's definition: loadedDefinition, or (for an instrument put in by hand, as
    /// tests do) instrument->definition().
    const sdk::Definition& definition() const { return loadedDefinition ? *loadedDefinition : instrument->definition(); }
};

/// Most multiple-choice options a question may have (they are stored as bits of a uint32).
inline constexpr std::size_t kMaxMultipleChoices = 32;

/// An open-ended question (`"comments"` in the file): a text box on the last page of the form. Its
/// answers are stored apart from the responses and shown to leaders word for word, only with the
/// final release and only for groups of at least commentMinGroupSize (docs/privacy.md, R10).
struct CommentQuestion {
    std::string id;
    sdk::LocalizedText label;
    /// Longest comment accepted, in characters (Unicode code points): `maxLength`, default and at
    /// most kMaxCommentLength.
    std::size_t maxLength = 2000;
};

/// The longest comment a survey may accept, in characters.
inline constexpr std::size_t kMaxCommentLength = 2000;
/// Most comment questions a survey may ask (a draft holds every comment, and drafts are bounded).
inline constexpr std::size_t kMaxCommentQuestions = 3;

/// How respondents get in.
enum class Access {
    OpenLink,     ///< anyone with the link
    AccessCodes,  ///< a one-time code per respondent, issued per school with `mindset codes`
};

struct SurveyDefinition {
    std::string id;
    sdk::LocalizedText title;
    sdk::LocalizedText introduction;
    std::string districtId;
    std::string districtName;
    std::vector<School> schools;
    std::string schoolYear;
    std::vector<std::string> languages;  ///< first is the default
    std::chrono::year_month_day opens;
    std::chrono::year_month_day closes;  ///< inclusive
    int minGroupSize = 5;
    /// The smallest group shown for an open-link survey, where anyone can pad a group with answers
    /// of their own: `openLinkMinGroupSize` in the file, default max(10, 2 x minGroupSize).
    int openLinkMinGroupSize = 10;
    /// The smallest group whose comments are shown: `commentMinGroupSize` in the file, default
    /// max(10, reportingThreshold()), never below reportingThreshold(). Higher than the figures'
    /// minimum because a comment is one person's own words.
    int commentMinGroupSize = 10;
    bool requiresEveryItem = false;
    /// Items offer "Prefer not to answer", which counts as answered but is stored as no answer.
    bool allowsPreferNotToAnswer = false;
    Access access = Access::OpenLink;
    std::vector<SurveyInstrument> instruments;
    std::vector<DemographicQuestion> demographics;
    /// Open-ended questions, asked on the last page; may be empty.
    std::vector<CommentQuestion> comments;
    /// Staff expected to answer per role, district-wide, in the role question's choice order; may be empty.
    std::vector<RoleStaff> staffByRole;
    std::filesystem::path file;
    std::string json;        ///< the file's text, kept with the stored survey
    std::int64_t storeId = 0;  ///< the survey's row in the store, once saved there

    /// The smallest group any output shows: minGroupSize with access codes, openLinkMinGroupSize
    /// with an open link (docs/privacy.md, R4).
    int reportingThreshold() const { return access == Access::AccessCodes ? minGroupSize : openLinkMinGroupSize; }
    /// Number of item answers one response holds (sum over instruments).
    std::size_t answerCount() const;
    /// Pages of the form: page 1 asks about the respondent, page 1 + i shows instrument i.
    std::size_t pageCount() const { return 1 + instruments.size(); }
    /// A generous estimate of the time to answer everything, in whole minutes.
    int estimatedMinutes() const;
    bool isOpenOn(std::chrono::year_month_day day) const { return opens <= day && day <= closes; }
    bool offersLanguage(std::string_view language) const;
    /// What each stored demographic slot and answer byte means; must stay the same once
    /// responses exist (compared as text).
    std::string answerLayout() const;
};

/// Parses and validates one survey file; throws SurveyError listing every problem found, each
/// with its field and reason: unknown fields (with the nearest known name), missing texts in
/// an offered language, JSON syntax errors in plain words with line and column.
SurveyDefinition parseSurvey(std::string_view json, const std::filesystem::path& file,
                             const loader::InstrumentRegistry& registry);

/// Reads and parses `file`; throws SurveyError.
SurveyDefinition loadSurveyFile(const std::filesystem::path& file, const loader::InstrumentRegistry& registry);

}  // namespace mindset::surveys
