#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "analytics/Profile.h"
#include "analytics/RawExport.h"
#include "demo/DemoResponses.h"
#include "support/TestSupport.h"
#include "surveys/ResponseEncoding.h"

using namespace mindset;
using analytics::HiddenBecause;

namespace {

/// Parses RFC 4180 text strictly: CRLF after every record, quotes only around whole fields.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool isQuoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (isQuoted) {
            if (c != '"') field += c;
            else if (i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
            else isQuoted = false;
        } else if (c == '"') {
            REQUIRE(field.empty());
            isQuoted = true;
        } else if (c == ',') {
            record.push_back(std::move(field));
            field.clear();
        } else if (c == '\r') {
            REQUIRE((i + 1 < text.size() && text[i + 1] == '\n'));
            ++i;
            record.push_back(std::move(field));
            field.clear();
            records.push_back(std::move(record));
            record.clear();
        } else {
            REQUIRE(c != '\n');  // a line break outside quotes must be CRLF
            field += c;
        }
    }
    REQUIRE_FALSE(isQuoted);
    REQUIRE(record.empty());  // the last record ends with CRLF too
    REQUIRE(field.empty());
    return records;
}

/// The export read back: the header, and the rows as maps from column name to text.
struct Table {
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;

    explicit Table(const std::string& csv) {
        auto records = parseCsv(csv);
        REQUIRE_FALSE(records.empty());
        header = records[0];
        for (std::size_t r = 1; r < records.size(); ++r) {
            REQUIRE(records[r].size() == header.size());
            std::map<std::string, std::string> row;
            for (std::size_t c = 0; c < header.size(); ++c) row[header[c]] = records[r][c];
            rows.push_back(std::move(row));
        }
    }

    /// n and mean of a numeric column over the rows `where` accepts.
    template <typename Where>
    std::pair<std::int64_t, double> mean(const std::string& column, Where where) const {
        std::int64_t n = 0;
        double sum = 0;
        for (const auto& row : rows) {
            if (!where(row) || row.at(column).empty()) continue;
            sum += std::strtod(row.at(column).c_str(), nullptr);
            ++n;
        }
        return {n, n > 0 ? sum / static_cast<double>(n) : std::nan("")};
    }
};

struct Export {
    std::string csv;
    analytics::ExportSummary summary;
};

/// The export as a release writes it: with the suppression pattern its profile was published with
/// (none given: the profile is built, and audited, here).
Export exportOf(const surveys::SurveyDefinition& survey, const analytics::ResponseSource& source,
                std::optional<nlohmann::json> pattern = std::nullopt) {
    if (!pattern) pattern = analytics::buildProfile(survey, source).suppressionPattern;
    analytics::ExportOptions options;
    options.profile.fixedPattern = pattern;
    std::ostringstream csv;
    auto summary = analytics::writeRawExport(survey, source, csv, options);
    return {csv.str(), std::move(summary)};
}

struct Person {
    std::string school;
    std::string role;
    std::string years;
    std::vector<std::string> race;
};

/// Responses to the demo survey built from form fields, as the web form would store them.
class Responses {
public:
    explicit Responses(const surveys::SurveyDefinition& survey) : survey_(survey) {}

    /// `count` people answering every high-expectations item so that its keyed value is `keyed`,
    /// and the first asset-based-views item (too few for that scale's score) with code 3.
    void add(int count, const Person& person, int keyed) {
        const auto& instrument = survey_.instruments[0];
        for (int i = 0; i < count; ++i) {
            surveys::FormFields fields{{"d.school", person.school}, {"d.role", person.role}, {"d.years", person.years}};
            for (const auto& r : person.race) fields.emplace_back("d.race", r);
            for (const auto& item : instrument.definition().items) {
                if (item.scaleId == "high-expectations")
                    fields.emplace_back(surveys::itemFieldName(instrument, item), std::to_string(item.isReverseKeyed ? 6 - keyed : keyed));
                if (item.id == "ee11") fields.emplace_back(surveys::itemFieldName(instrument, item), "3");
            }
            const auto check = surveys::checkResponse(survey_, fields, {});
            REQUIRE(check.isValid());
            stored_.push_back(check.response);
        }
    }

    void addStored(std::vector<surveys::EncodedResponse> responses) {
        for (auto& r : responses) stored_.push_back(std::move(r));
    }

    void shuffle(std::uint64_t seed) {
        std::mt19937_64 random(seed);
        std::shuffle(stored_.begin(), stored_.end(), random);
    }

    analytics::ResponseSource source() const { return analytics::responsesInMemory(stored_); }

private:
    const surveys::SurveyDefinition& survey_;
    std::vector<surveys::EncodedResponse> stored_;
};

std::size_t scaleIndex(const analytics::Profile& profile, const std::string& id) {
    for (std::size_t g = 0; g < profile.scales.size(); ++g)
        if (profile.scales[g].scaleId == id) return g;
    FAIL("no scale " << id);
    return 0;
}

std::string columnOf(const analytics::Profile& profile, std::size_t g) {
    const auto at = profile.scales[g].instrumentKey.find('@');
    return profile.scales[g].instrumentKey.substr(0, at) + "." + profile.scales[g].scaleId;
}

std::string combinationOf(const std::map<std::string, std::string>& row, const surveys::SurveyDefinition& survey) {
    std::string key;
    for (const auto& question : survey.demographics) key += row.at(question.id) + "|";
    return key;
}

/// The privacy rules of RawExport.h, checked against the export and the profile built from the
/// same responses.
void checkPrivacy(const surveys::SurveyDefinition& survey, const analytics::Profile& profile, const Table& table) {
    const auto k = survey.minGroupSize;
    // k-anonymity, "withheld" counting as a value.
    std::map<std::string, std::int64_t> combinations;
    for (const auto& row : table.rows) ++combinations[combinationOf(row, survey)];
    for (const auto& [combination, rows] : combinations) {
        INFO(combination);
        CHECK(rows >= k);
    }

    for (std::size_t g = 0; g < profile.scales.size(); ++g) {
        if (profile.scales[g].hidden != HiddenBecause::Shown) continue;
        const auto column = columnOf(profile, g);
        for (const auto& breakdown : profile.breakdowns) {
            std::int64_t hiddenResidue = 0;
            for (const auto& cell : breakdown.cellsByScale[g]) {
                const auto& id = breakdown.categories[cell.category].id;
                const auto [named, mean] = table.mean(column, [&](const auto& row) { return row.at(breakdown.questionId) == id; });
                INFO(breakdown.questionId << " = " << id << " on " << column);
                // A category the profile hides is never named.
                if (cell.hidden != HiddenBecause::Shown && cell.size > 0) {
                    CHECK(std::none_of(table.rows.begin(), table.rows.end(), [&](const auto& row) { return row.at(breakdown.questionId) == id; }));
                    hiddenResidue += cell.size;
                    continue;
                }
                // Profile minus the rows that name the group: nobody, or at least k people.
                const auto residue = cell.size - named;
                CHECK((residue == 0 || residue >= k));
                if (residue == 0 && named > 0) CHECK(mean == Approx(*cell.figures->summary.mean).margin(1e-12));
            }
            CHECK((hiddenResidue == 0 || hiddenResidue >= k));
        }
        if (!profile.pair) continue;
        const auto& rowQuestion = profile.breakdowns[profile.pair->rowQuestion];
        const auto& columnQuestion = profile.breakdowns[profile.pair->columnQuestion];
        const auto columns = columnQuestion.categories.size();
        for (std::size_t i = 0; i < profile.pair->cellsByScale[g].size(); ++i) {
            const auto& cell = profile.pair->cellsByScale[g][i];
            if (cell.size == 0 || cell.hidden != HiddenBecause::Shown) continue;
            const auto& r = rowQuestion.categories[i / columns].id;
            const auto& c = columnQuestion.categories[i % columns].id;
            const auto named = table.mean(column, [&](const auto& row) {
                return row.at(rowQuestion.questionId) == r && row.at(columnQuestion.questionId) == c;
            }).first;
            INFO(r << " x " << c << " on " << column);
            CHECK((cell.size - named == 0 || cell.size - named >= k));
        }
    }
}

}  // namespace

TEST_CASE("the raw export has one row per response with the profile's categories, stored codes and scores",
          "[unit][analytics][privacy]") {
    const auto survey = testing::demoSurvey();
    Responses responses(survey);
    responses.add(10, {"cedar-elementary", "teacher", "0-2", {"white"}}, 4);
    responses.add(10, {"cedar-elementary", "teacher", "0-2", {"hispanic"}}, 5);
    responses.add(12, {"maple-elementary", "teacher", "3-5", {"hispanic", "white"}}, 2);
    responses.add(2, {"lakeview-elementary", "paraprofessional", "6-10", {"black"}}, 3);
    const auto result = exportOf(survey, responses.source());
    const Table table(result.csv);
    const auto profile = analytics::buildProfile(survey, responses.source());

    // Header: demographics, then every item, then every scale.
    REQUIRE(table.header.size() == 4 + 14 + 14 + 15 + 9);
    CHECK(std::vector<std::string>(table.header.begin(), table.header.begin() + 5) ==
          std::vector<std::string>{"school", "role", "years", "race", "equity-excellence.ee01"});
    CHECK(table.header[4 + 43] == "equity-excellence.high-expectations");
    CHECK(table.header.back() == "continuous-improvement.improvement-cycles");
    CHECK(result.summary.columns == table.header);

    CHECK(table.rows.size() == 34);
    CHECK(result.summary.rows == 34);

    // Lakeview's 2 respondents are never named, nor is Maple, hidden to protect them.
    for (const auto& row : table.rows) {
        CHECK(row.at("school") != "lakeview-elementary");
        CHECK(row.at("school") != "maple-elementary");
        CHECK(row.at("race") != "black");
    }
    checkPrivacy(survey, profile, table);

    // Codes as stored: ee04 is reverse keyed, so keyed 4 was stored as 2; unanswered items and
    // scales without a score are empty, not 0. Cedar's white teachers are the rows that answered
    // ee01 with 4 (whichever demographics the audit leaves named).
    std::int64_t cedarWhite = 0;
    for (const auto& row : table.rows) {
        if (row.at("equity-excellence.ee01") != "4") continue;
        ++cedarWhite;
        CHECK((row.at("race") == "white" || row.at("race") == analytics::kWithheldValue));
        CHECK(row.at("equity-excellence.ee04") == "2");
        CHECK(row.at("equity-excellence.ee06").empty());
        CHECK(row.at("equity-excellence.ee11") == "3");
        CHECK(row.at("equity-excellence.high-expectations") == "4");
        CHECK(row.at("equity-excellence.asset-based-views").empty());  // 1 item answered, 2 needed
        CHECK(row.at("shared-responsibility.sr01").empty());
    }
    CHECK(cedarWhite == 10);
    // The multiple-choice race question holds the profile's category, not the choices.
    CHECK(std::none_of(table.rows.begin(), table.rows.end(), [](const auto& row) { return row.at("race").find('|') != std::string::npos; }));

    // The district mean recomputed from the file.
    const auto g = scaleIndex(profile, "high-expectations");
    const auto [n, mean] = table.mean("equity-excellence.high-expectations", [](const auto&) { return true; });
    CHECK(n == profile.scales[g].size);
    CHECK(mean == Approx(*profile.scales[g].district->summary.mean).margin(1e-12));

    // Cedar's 20 all answer favorably, as does the whole district: showing Cedar would tell that
    // the hidden rest (Lakeview's 2, Maple's 12) are all favorable too. The audit hides Cedar, so
    // the file names no school at all.
    const auto& school = result.summary.questions[0];
    CHECK(school.questionId == "school");
    CHECK(school.withheldRows == 34);
    CHECK(school.categories[0].id == "cedar-elementary");
    CHECK(school.categories[0].rows == 0);
    CHECK(std::none_of(table.rows.begin(), table.rows.end(), [](const auto& row) { return row.at("school") == "cedar-elementary"; }));
    CHECK(school.categories[1].isWithheldEverywhere);  // lakeview
    CHECK(result.summary.withholdingOrder == std::vector<std::string>{"years", "school", "role", "race"});
    for (const auto& instrument : result.summary.instruments) CHECK(instrument.isDefaultScoring);
}

TEST_CASE("scale scores keep every digit a mean needs", "[unit][analytics]") {
    const auto survey = testing::demoSurvey();
    Responses responses(survey);
    responses.addStored(demo::generateResponses(survey, 300, 11));
    const Table table(exportOf(survey, responses.source()).csv);
    const auto profile = analytics::buildProfile(survey, responses.source());
    bool isAnyFraction = false;
    for (std::size_t g = 0; g < profile.scales.size(); ++g) {
        const auto column = columnOf(profile, g);
        for (const auto& row : table.rows) isAnyFraction = isAnyFraction || row.at(column).size() > 10;  // e.g. 3.6666666666666665
        const auto [n, mean] = table.mean(column, [](const auto&) { return true; });
        INFO(column);
        CHECK(n == profile.scales[g].size);
        CHECK(mean == Approx(*profile.scales[g].district->summary.mean).margin(1e-12));
        // Answer distributions as the profile counts them.
        for (const auto& item : profile.scales[g].items) {
            const auto itemColumn = column.substr(0, column.find('.')) + "." + item.itemId;
            std::vector<std::int64_t> counts(item.countsByCode.size(), 0);
            std::int64_t missing = 0;
            for (const auto& row : table.rows) {
                const auto& code = row.at(itemColumn);
                if (code.empty()) ++missing;
                else ++counts[static_cast<std::size_t>(std::stoi(code) - 1)];
            }
            CHECK(counts == item.countsByCode);
            CHECK(missing == item.missing);
        }
    }
    CHECK(isAnyFraction);
}

TEST_CASE("the export and the profile together never reveal a group below the minimum", "[unit][analytics][privacy]") {
    const auto survey = testing::demoSurvey();
    for (const auto& [count, seed] : std::vector<std::pair<std::size_t, std::uint64_t>>{{40, 1}, {150, 2}, {400, 3}}) {
        INFO(count << " responses");
        Responses responses(survey);
        responses.addStored(demo::generateResponses(survey, count, seed));
        const auto profile = analytics::buildProfile(survey, responses.source());
        const auto result = exportOf(survey, responses.source(), profile.suppressionPattern);
        const Table table(result.csv);
        REQUIRE(table.rows.size() == count);
        checkPrivacy(survey, profile, table);

        // The summary's counts are those of the file.
        for (std::size_t q = 0; q < survey.demographics.size(); ++q) {
            const auto& question = result.summary.questions[q];
            const auto withheld = std::count_if(table.rows.begin(), table.rows.end(),
                                                [&](const auto& row) { return row.at(question.questionId) == "withheld"; });
            CHECK(question.withheldRows == withheld);
            for (const auto& category : question.categories) {
                const auto named = std::count_if(table.rows.begin(), table.rows.end(),
                                                 [&](const auto& row) { return row.at(question.questionId) == category.id; });
                CHECK(category.rows == named);
            }
        }
    }
}

TEST_CASE("the export depends on the responses only, not on the order they are stored in", "[unit][analytics][privacy]") {
    const auto survey = testing::demoSurvey();
    Responses responses(survey);
    responses.addStored(demo::generateResponses(survey, 250, 7));
    const auto first = exportOf(survey, responses.source()).csv;
    responses.shuffle(99);
    CHECK(exportOf(survey, responses.source()).csv == first);
}

TEST_CASE("a survey with fewer responses than the minimum group size exports no rows", "[unit][analytics][privacy]") {
    const auto survey = testing::demoSurvey();
    Responses responses(survey);
    responses.add(4, {"cedar-elementary", "teacher", "0-2", {"white"}}, 4);
    const auto result = exportOf(survey, responses.source());
    const Table table(result.csv);
    CHECK(table.header.size() == result.summary.columns.size());
    CHECK(table.rows.empty());
    CHECK(result.summary.responses == 4);
    CHECK(result.summary.rows == 0);
    std::ostringstream codebook;
    analytics::writeCodebook(survey, result.summary, codebook);
    CHECK(codebook.str().find("fewer responses than the minimum group size") != std::string::npos);
}

TEST_CASE("fields with a comma, a quote or a line break are quoted", "[unit][analytics]") {
    auto survey = testing::demoSurvey();
    Responses responses(survey);
    responses.add(6, {"cedar-elementary", "teacher", "0-2", {"white"}}, 4);
    responses.add(6, {"maple-elementary", "teacher", "0-2", {"white"}}, 3);
    // Choice ids of real surveys are identifiers; a renamed one shows that values are quoted too.
    survey.demographics[1].choices[0].id = "teacher, \"full\" time";
    survey.demographics[0].label.byLanguage["en"] = "Where do you work,\nmost of the time?";
    const auto result = exportOf(survey, responses.source());
    CHECK(result.csv.find("\"teacher, \"\"full\"\" time\"") != std::string::npos);
    const Table table(result.csv);
    REQUIRE(table.rows.size() == 12);
    for (const auto& row : table.rows) CHECK(row.at("role") == "teacher, \"full\" time");

    std::ostringstream out;
    analytics::writeCodebook(survey, result.summary, out);
    const auto codebook = parseCsv(out.str());
    bool isSchoolFound = false, isRoleFound = false;
    for (const auto& record : codebook) {
        REQUIRE(record.size() == 6);
        if (record[0] == "school") isSchoolFound = record[2] == "Where do you work,\nmost of the time?";
        if (record[0] == "role")
            isRoleFound = record[4].find("student-support = Counselor, social worker or other student support") != std::string::npos;
    }
    CHECK(isSchoolFound);
    CHECK(isRoleFound);
}

TEST_CASE("the codebook describes every column, what was withheld and how to recompute", "[unit][analytics][privacy]") {
    const auto survey = testing::demoSurvey();
    Responses responses(survey);
    responses.addStored(demo::generateResponses(survey, 400, 5));
    const auto result = exportOf(survey, responses.source());
    std::ostringstream out;
    analytics::writeCodebook(survey, result.summary, out);
    const auto codebook = parseCsv(out.str());
    REQUIRE(codebook.size() == 1 + 5 + result.summary.columns.size());
    CHECK(codebook[0] == std::vector<std::string>{"variable", "kind", "label", "type", "values", "notes"});
    std::map<std::string, std::vector<std::string>> byVariable;
    for (std::size_t i = 1; i < codebook.size(); ++i) byVariable[codebook[i][0]] = codebook[i];
    for (std::size_t c = 0; c < result.summary.columns.size(); ++c) CHECK(codebook[6 + c][0] == result.summary.columns[c]);

    const auto& privacy = byVariable.at("about.privacy")[5];
    CHECK(privacy.find("at least 5 rows") != std::string::npos);
    CHECK(privacy.find("years, school, role, race") != std::string::npos);
    for (const auto& question : result.summary.questions)
        CHECK(privacy.find(question.questionId + " " + std::to_string(question.withheldRows)) != std::string::npos);
    const auto& r = byVariable.at("about.r")[5];
    CHECK(r.find("read.csv(\"riverside-2026-responses.csv\", na.strings = \"\", check.names = FALSE)") != std::string::npos);
    CHECK(r.find("psych::alpha(na.omit(items))") != std::string::npos);
    CHECK(r.find("items[[\"equity-excellence.ee04\"]] <- 6 - items[[\"equity-excellence.ee04\"]]") != std::string::npos);
    CHECK(r.find("t.test(x[g], x[!g])") != std::string::npos);
    CHECK(byVariable.at("about.python")[5].find("pd.read_csv(") != std::string::npos);

    const auto& ee04 = byVariable.at("equity-excellence.ee04");
    CHECK(ee04[1] == "item");
    CHECK(ee04[5].find("Reverse keyed: keyed value = 6 - code.") != std::string::npos);
    CHECK(ee04[4].find("1 = ") == 0);
    const auto& scale = byVariable.at("equity-excellence.high-expectations");
    CHECK(scale[5].find("ee04 (reverse keyed)") != std::string::npos);
    CHECK(scale[5].find("at least 3 of the 5") != std::string::npos);
    CHECK(scale[5].find("at least 4") != std::string::npos);
    const auto& school = byVariable.at("school");
    CHECK(school[4].find("central-office = Central office (withheld in every row)") != std::string::npos);
    CHECK(school[5].find("Withheld in " + std::to_string(result.summary.questions[0].withheldRows) + " of 400 rows") != std::string::npos);
    CHECK(byVariable.at("race")[5].find("two-or-more") != std::string::npos);
}
