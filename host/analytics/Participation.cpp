#include "analytics/Participation.h"

#include "analytics/ReleasePattern.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mindset::analytics {

namespace {

ParticipationRow makeRow(std::string id, sdk::LocalizedText label, std::int64_t count, std::optional<std::int64_t> expected,
                         int minimum) {
    ParticipationRow row{std::move(id), std::move(label), publishCount(count, minimum), expected, std::nullopt};
    row.exactCount = count;
    if (!row.responded.exact) row.hidden = HiddenBecause::BelowMinimum;
    if (!expected || *expected <= 0) return row;
    // A hidden count gets no rate: times the published expected number it would give the count back,
    // and even a bound ("under 3%") would say which hidden rows are the small ones.
    if (row.responded.exact) row.rate = static_cast<double>(*row.responded.exact) / static_cast<double>(*expected);
    return row;
}

/// Withholds rows of a table whose counts add up to the published district count, as protectCells
/// decides, so that no hidden row is the district minus the rows shown. `counts[i]` is row i's.
void protectTable(std::vector<ParticipationRow>& rows, const std::vector<std::int64_t>& counts, std::int64_t district, int minimum) {
    // Cell 0 is the district, the total of the other cells: below the minimum it is hidden itself,
    // and then no shown row can give a small one away.
    std::vector<std::int64_t> sizes{district};
    CellSum table{{}, 0};
    for (const auto count : counts) {
        table.parts.push_back(sizes.size());
        sizes.push_back(count);
    }
    const auto reasons = protectCells(sizes, {table}, minimum);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (reasons[i + 1] != HiddenBecause::ComplementaryProtection) continue;
        // Nothing about the count: not even a bound, and no rate, which times the expected number would give it.
        rows[i].responded = {std::nullopt, 0};
        rows[i].rate.reset();
        rows[i].hidden = HiddenBecause::ComplementaryProtection;
    }
}

/// Hides the rows the release's profile hides (no count, no rate); `questionId` names the
/// breakdown the rows come from, or is empty when no release figure stands behind them.
void hideAsRelease(std::vector<ParticipationRow>& rows, const nlohmann::json& pattern, const std::string& questionId) {
    for (auto& row : rows) {
        const bool isHidden = questionId.empty() || isHiddenByRelease(pattern, questionId, row.id);
        if (!isHidden || (row.exactCount == 0 && !isTableWithheld(pattern, questionId))) {  // an empty group shows as empty in the profile too
            row.hidden = HiddenBecause::Shown;
            row.responded = {row.exactCount, 0};
            if (row.expected && *row.expected > 0) row.rate = static_cast<double>(row.exactCount) / static_cast<double>(*row.expected);
            continue;
        }
        row.responded = {std::nullopt, 0};
        row.rate.reset();
        row.hidden = HiddenBecause::ComplementaryProtection;
    }
}

const Breakdown* breakdownOf(const surveys::SurveyDefinition& survey, const Profile& profile, const surveys::DemographicQuestion* question) {
    if (!question) return nullptr;
    const auto index = static_cast<std::size_t>(question - survey.demographics.data());
    return index < profile.breakdowns.size() ? &profile.breakdowns[index] : nullptr;
}

std::string isoDate(std::chrono::year_month_day day) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                  static_cast<unsigned>(day.day()));
    return text;
}

std::string expectedFromCode(ExpectedFrom from) {
    switch (from) {
        case ExpectedFrom::StaffCounts: return "staff-counts";
        case ExpectedFrom::AccessCodes: return "access-codes";
        case ExpectedFrom::Nothing: break;
    }
    return "nothing";
}

nlohmann::json rowToJson(const ParticipationRow& row, const std::string& language) {
    nlohmann::json out{{"id", row.id}, {"label", row.label.in(language)}};
    if (row.band) {
        out["respondedBand"] = {{"low", row.band->low}, {"high", row.band->high}};
        if (row.expected) out["expected"] = *row.expected;
        if (row.rateBand) out["rateBand"] = {{"low", row.rateBand->first / 100.0}, {"high", row.rateBand->second / 100.0}};
        return out;
    }
    // A hidden row says only "hidden": neither its count nor a bound, nor whether it is the small one.
    if (row.responded.exact && row.hidden == HiddenBecause::Shown) out["responded"] = *row.responded.exact;
    if (row.hidden != HiddenBecause::Shown) out["hidden"] = hiddenCode(row.hidden);
    if (row.expected) out["expected"] = *row.expected;
    if (row.rate) out["rate"] = *row.rate;
    return out;
}

}  // namespace

PublishedCount publishCount(std::int64_t count, int minGroupSize) {
    if (count > 0 && count < minGroupSize) return {std::nullopt, minGroupSize};
    return {count, 0};
}

Participation participationOf(const surveys::SurveyDefinition& survey, const Profile& profile, const std::vector<SchoolCodes>& codes) {
    Participation participation;
    participation.surveyId = survey.id;
    const int minimum = participation.minGroupSize = survey.reportingThreshold();
    participation.hasRoleStaff = !survey.staffByRole.empty();

    const bool usesCodes = survey.access == surveys::Access::AccessCodes;
    const bool hasSchoolStaff = std::any_of(survey.schools.begin(), survey.schools.end(), [](const auto& s) { return s.staff.has_value(); });
    if (usesCodes) participation.expectedFrom = ExpectedFrom::AccessCodes;
    else if (hasSchoolStaff || participation.hasRoleStaff) participation.expectedFrom = ExpectedFrom::StaffCounts;

    // The whole district: all schools' expected numbers, when every school has one.
    std::optional<std::int64_t> districtExpected;
    if (usesCodes) {
        std::int64_t issued = 0;
        for (const auto& school : codes) issued += school.issued;
        if (issued > 0) districtExpected = issued;
    } else if (std::all_of(survey.schools.begin(), survey.schools.end(), [](const auto& s) { return s.staff.has_value(); })) {
        districtExpected = 0;
        for (const auto& school : survey.schools) *districtExpected += *school.staff;
    }
    participation.district = makeRow("district", sdk::LocalizedText{{{"en", survey.districtName}}}, profile.responses, districtExpected, minimum);

    // Schools: with access codes, the codes used at each school (a respondent's code says where
    // it was handed out); otherwise the answers to the question that lists the schools.
    const surveys::DemographicQuestion* schoolQuestion = nullptr;
    const surveys::DemographicQuestion* roleQuestion = nullptr;
    for (const auto& question : survey.demographics) {
        if (question.isFromSchools && !schoolQuestion) schoolQuestion = &question;
        if (question.id == surveys::kRoleQuestionId) roleQuestion = &question;
    }
    std::vector<std::int64_t> schoolCounts, roleCounts;
    // A release's participation counts its respondents by the school they gave, like its profile;
    // live participation of a code survey counts the codes used at each school.
    const bool isRelease = profile.suppressionPattern.is_object();
    if (usesCodes && !(isRelease && breakdownOf(survey, profile, schoolQuestion))) {
        for (const auto& school : survey.schools) {
            const auto found = std::find_if(codes.begin(), codes.end(), [&](const SchoolCodes& c) { return c.schoolId == school.id; });
            const auto issued = found == codes.end() ? 0 : found->issued;
            const auto used = found == codes.end() ? 0 : found->used;
            participation.schools.push_back(makeRow(school.id, school.name, used,
                                                    issued > 0 ? std::optional<std::int64_t>(issued) : std::nullopt, minimum));
            schoolCounts.push_back(used);
        }
    } else if (const auto* breakdown = breakdownOf(survey, profile, schoolQuestion)) {
        for (std::size_t c = 0; c < breakdown->categories.size(); ++c) {
            const auto count = breakdown->respondents[c];
            if (c < survey.schools.size()) {
                participation.schools.push_back(makeRow(survey.schools[c].id, breakdown->categories[c].label, count, survey.schools[c].staff, minimum));
                schoolCounts.push_back(count);
            } else if (count > 0) {  // "no answer", for a school question that is not required
                participation.schools.push_back(makeRow(breakdown->categories[c].id, breakdown->categories[c].label, count, std::nullopt, minimum));
                schoolCounts.push_back(count);
            }
        }
    }

    // Roles, district-wide: every role choice; "prefer not to say" and "no answer" only when used.
    if (const auto* breakdown = breakdownOf(survey, profile, roleQuestion)) {
        for (std::size_t c = 0; c < breakdown->categories.size(); ++c) {
            const auto& category = breakdown->categories[c];
            const bool isRealRole = c < roleQuestion->choices.size() && !roleQuestion->choices[c].isPreferNotToSay;
            const auto count = breakdown->respondents[c];
            if (!isRealRole && count == 0) continue;
            std::optional<std::int64_t> expected;
            for (const auto& role : survey.staffByRole)
                if (isRealRole && role.roleId == category.id) expected = role.staff;
            participation.roles.push_back(makeRow(category.id, category.label, count, expected, minimum));
            roleCounts.push_back(count);
        }
    }

    if (isRelease) {
        // Exactly the release's pattern, which its audit checked together with everything else the
        // release publishes; a pattern of its own here could pin what the profile hides.
        const bool isSchoolFromRelease = breakdownOf(survey, profile, schoolQuestion) != nullptr;
        hideAsRelease(participation.schools, profile.suppressionPattern, isSchoolFromRelease ? schoolQuestion->id : "");
        if (roleQuestion) hideAsRelease(participation.roles, profile.suppressionPattern, roleQuestion->id);
        return participation;
    }
    // Every school or role left out above has nobody in it: each table's rows add up to the district.
    protectTable(participation.schools, schoolCounts, profile.responses, minimum);
    protectTable(participation.roles, roleCounts, profile.responses, minimum);
    return participation;
}

std::vector<std::size_t> respondentCategories(const surveys::SurveyDefinition& survey, std::span<const std::uint8_t> demographics) {
    std::vector<std::size_t> categories;
    for (std::size_t q = 0; q < survey.demographics.size() && (q + 1) * 4 <= demographics.size(); ++q) {
        const auto* slot = demographics.data() + q * 4;
        const auto value = static_cast<std::uint32_t>(slot[0]) | static_cast<std::uint32_t>(slot[1]) << 8 |
                           static_cast<std::uint32_t>(slot[2]) << 16 | static_cast<std::uint32_t>(slot[3]) << 24;
        categories.push_back(categoryOf(survey.demographics[q], value));
    }
    return categories;
}

Profile countRespondents(const surveys::SurveyDefinition& survey, const ResponseSource& responses) {
    Profile profile;
    profile.surveyId = survey.id;
    profile.minGroupSize = survey.minGroupSize;
    for (const auto& question : survey.demographics) {
        Breakdown breakdown;
        breakdown.questionId = question.id;
        breakdown.label = question.label;
        breakdown.categories = categoriesOf(question);
        breakdown.respondents.assign(breakdown.categories.size(), 0);
        profile.breakdowns.push_back(std::move(breakdown));
    }
    responses([&](const ResponseBytes& response) {
        ++profile.responses;
        const auto categories = respondentCategories(survey, response.demographics);
        for (std::size_t q = 0; q < categories.size(); ++q) ++profile.breakdowns[q].respondents[categories[q]];
    });
    return profile;
}

void bandLiveCounts(Participation& participation) {
    const auto width = static_cast<std::int64_t>(std::max(10, participation.minGroupSize));
    participation.bandWidth = static_cast<int>(width);
    auto band = [width](ParticipationRow& row) {
        const auto low = row.exactCount / width * width;
        row.band = CountBand{low, low + width - 1};
        row.responded = {std::nullopt, 0};
        row.rate.reset();
        row.hidden = HiddenBecause::Shown;
        row.rateBand.reset();
        if (row.expected && *row.expected > 0) {
            // From the band alone, rounded outward: the range says nothing the band does not.
            const auto expected = static_cast<double>(*row.expected);
            const auto lowPercent = static_cast<int>(std::floor(100.0 * static_cast<double>(row.band->low) / expected));
            const auto highPercent = static_cast<int>(std::ceil(100.0 * static_cast<double>(row.band->high) / expected));
            row.rateBand = std::make_pair(std::min(lowPercent, 100), std::min(highPercent, 100));
        }
    };
    band(participation.district);
    for (auto& row : participation.schools) band(row);
    for (auto& row : participation.roles) band(row);
}

std::string windowState(const surveys::SurveyDefinition& survey, std::chrono::year_month_day today) {
    if (today < survey.opens) return "not-yet-open";
    return today > survey.closes ? "closed" : "open";
}

nlohmann::json participationToJson(const Participation& participation, const surveys::SurveyDefinition& survey,
                                   const std::string& language, std::chrono::year_month_day today) {
    nlohmann::json out{{"survey", survey.id},
                       {"window", windowState(survey, today)},
                       {"opens", isoDate(survey.opens)},
                       {"closes", isoDate(survey.closes)},
                       {"minGroupSize", participation.minGroupSize},
                       {"expectedFrom", expectedFromCode(participation.expectedFrom)},
                       {"live", participation.bandWidth > 0},
                       {"district", rowToJson(participation.district, language)},
                       {"schools", nlohmann::json::array()},
                       {"roles", nlohmann::json::array()}};
    for (const auto& row : participation.schools) out["schools"].push_back(rowToJson(row, language));
    for (const auto& row : participation.roles) out["roles"].push_back(rowToJson(row, language));
    if (participation.bandWidth > 0) out["bandWidth"] = participation.bandWidth;
    return out;
}

}  // namespace mindset::analytics
