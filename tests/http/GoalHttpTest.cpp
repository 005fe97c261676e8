#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "analytics/Profile.h"
#include "app/Startup.h"
#include "auth/Passwords.h"
#include "demo/DemoResponses.h"
#include "imports/CsvReader.h"
#include "releases/Releases.h"
#include "support/TestSite.h"
#include "web/DistrictData.h"
#include "web/handlers/GoalPages.h"

using namespace mindset;
using nlohmann::json;
using testing::encodeForm;
using testing::Reply;
using testing::TestSite;

namespace {

const std::string kPassword = "correct horse battery";
const std::string kGoals = "/leader/districts/riverside-isd/goals";
const std::string kApi = "/api/districts/riverside-isd/goals";
const std::string kCsv = "/leader/districts/riverside-isd/goals.csv";

/// The demo survey (riverside-isd, 2026-2027) with 300 synthetic responses in release 1, and an account of
/// `district` (none: the network), signed in unless told otherwise.
std::unique_ptr<TestSite> goalSite(std::optional<std::string> district = "riverside-isd", bool isSignedIn = true) {
    auto site = std::make_unique<TestSite>();
    std::vector<store::StoredResponse> rows;
    for (auto& r : demo::generateResponses(site->survey(), 300, 7)) rows.push_back({r.demographics, r.answers});
    site->store().insertResponses(site->survey().storeId, rows);
    site->publishRelease();
    REQUIRE(site->store().createAccount({0, "maria", auth::hashPassword(kPassword), district, "2026-08-15"}));
    if (isSignedIn) {
        REQUIRE(site->signIn("maria", kPassword).status == 303);
    }
    return site;
}

/// A valid goal form; `changes` replace fields.
surveys::FormFields goalForm(TestSite& site, const std::map<std::string, std::string>& changes = {}) {
    surveys::FormFields fields{{"csrf", site.csrf()},
                               {"lang", "en"},
                               {"scale", "equity-excellence/high-expectations"},
                               {"measure", "mean"},
                               {"group", ""},
                               {"target", "3.8"},
                               {"targetYear", "2028-2029"},
                               {"baselineYear", ""}};
    for (auto& [name, value] : fields)
        if (auto change = changes.find(name); change != changes.end()) value = change->second;
    return fields;
}

std::int64_t goalIdFrom(const Reply& reply) {
    const auto location = reply.header("Location");
    const auto at = location.find("#goal-");
    REQUIRE(at != std::string::npos);
    return std::stoll(location.substr(at + 6));
}

}  // namespace

TEST_CASE("a leader adds, changes and removes a goal, and the history says who did what when", "[http][goals]") {
    auto site = goalSite();
    auto created = site->post(kGoals, encodeForm(goalForm(*site, {{"measure", "gap"}, {"group", "race:black"}, {"target", "0.1"}})));
    REQUIRE(created.status == 303);
    CHECK(created.header("Location").rfind(kGoals + "?lang=en&done=created#goal-", 0) == 0);
    const auto id = goalIdFrom(created);
    auto goals = site->store().goals("riverside-isd");
    REQUIRE(goals.size() == 1);
    CHECK(goals[0].measure == "gap");
    CHECK(goals[0].groupQuestion == "race");
    CHECK(goals[0].groupCategory == "black");
    CHECK(goals[0].targetValue == 0.1);
    CHECK(goals[0].baselineYear.empty());

    auto page = site->get(kGoals + "?lang=en&done=created");
    REQUIRE(page.status == 200);
    CHECK(page.contains("The goal was added."));
    CHECK(page.contains("High expectations: gap to the rest of the district, Black or African American"));
    CHECK(page.contains("Target: at most 0.10 apart by 2028-2029"));
    CHECK(page.contains("<th scope=\"row\">2026-2027</th>"));
    CHECK(page.contains("class=\"status status-"));  // the year's status, written out and coloured

    // Change the target and the baseline; saving the same again changes nothing.
    auto changed = site->post(kGoals + "/" + std::to_string(id),
                              encodeForm(goalForm(*site, {{"measure", "gap"}, {"group", "race:black"}, {"target", "0,05"},
                                                          {"baselineYear", "2026-2027"}})));
    REQUIRE(changed.status == 303);
    CHECK(changed.header("Location").find("done=changed") != std::string::npos);
    CHECK(site->store().findGoal("riverside-isd", id)->targetValue == 0.05);  // "0,05": a decimal comma is fine
    auto same = site->post(kGoals + "/" + std::to_string(id),
                           encodeForm(goalForm(*site, {{"measure", "gap"}, {"group", "race:black"}, {"target", "0.05"},
                                                       {"baselineYear", "2026-2027"}})));
    CHECK(same.header("Location").find("done=unchanged") != std::string::npos);

    auto removed = site->post(kGoals + "/" + std::to_string(id) + "/remove", encodeForm({{"csrf", site->csrf()}, {"lang", "en"}}));
    REQUIRE(removed.status == 303);
    CHECK(site->store().goals("riverside-isd").empty());
    CHECK(site->get(kGoals + "/" + std::to_string(id)).status == 404);  // a removed goal cannot be edited

    const auto history = site->store().goalChanges("riverside-isd");
    REQUIRE(history.size() == 3);
    CHECK(history[0].action == "removed");
    CHECK(history[1].action == "changed");
    CHECK(history[2].action == "created");
    for (const auto& change : history) {
        CHECK(change.username == "maria");
        CHECK(change.goalId == id);
        CHECK(change.changedAt.size() == 20);  // 2026-09-14T15:04:05Z
        CHECK(change.changedAt.back() == 'Z');
    }
    CHECK(json::parse(history[1].beforeJson)["target"] == 0.1);
    CHECK(json::parse(history[1].afterJson)["target"] == 0.05);

    page = site->get(kGoals);
    CHECK(page.contains("This district has no goals yet."));
    CHECK(page.contains("Change history"));
    CHECK(page.contains("<td>maria</td><td>Removed</td>"));
    CHECK(page.contains("target: at most 0.10 apart by 2028-2029 → at most 0.05 apart by 2028-2029; baseline: the first year with "
                        "a figure → 2026-2027"));
}

TEST_CASE("the goals page and the API show every goal's status for each year, from the protected profile", "[http][goals]") {
    auto site = goalSite();
    REQUIRE(site->post(kGoals, encodeForm(goalForm(*site, {{"target", "3.1"}}))).status == 303);
    REQUIRE(site->post(kGoals, encodeForm(goalForm(*site, {{"measure", "favorable"}, {"target", "100"}, {"group", "race:pacific-islander"}})))
                .status == 303);
    const auto api = site->get(kApi);
    REQUIRE(api.status == 200);
    CHECK(api.header("Content-Type") == "application/json; charset=utf-8");
    const auto data = json::parse(api.body);
    REQUIRE(data["goals"].size() == 2);

    // The mean goal: the one year is the baseline, with the profile's district mean and interval.
    const auto profile = analytics::buildProfile(site->survey(), app::storedResponses(site->store(), site->survey()));
    const auto& scale = profile.scales[0];
    REQUIRE(scale.scaleId == "high-expectations");
    const auto& year = data["goals"][0]["years"][0];
    CHECK(year["schoolYear"] == "2026-2027");
    CHECK(year["isBaseline"] == true);
    CHECK(year["value"].get<double>() == Approx(*scale.district->summary.mean).margin(1e-12));
    CHECK(year["ci95"][0].get<double>() == Approx(scale.district->summary.meanCi95->lower).margin(1e-12));
    CHECK(year["status"] == (*scale.district->summary.mean >= 3.1 ? "met" : "on-track"));
    CHECK(year["evidence"].get<std::string>().find("the target of 3.10") != std::string::npos);

    // A group the profile hides (few Pacific Islander staff among 300) has no figure in the goal either.
    const auto& hidden = data["goals"][1]["years"][0];
    CHECK(hidden["status"] == "no-data");
    CHECK(hidden["noData"] == "hidden");
    CHECK(hidden["value"].is_null());
    CHECK(hidden["ci95"].is_null());

    CHECK(data["history"].size() == 2);
    CHECK(data["history"][0]["username"] == "maria");

    const auto page = site->get(kGoals + "?lang=es");
    REQUIRE(page.status == 200);
    CHECK(page.contains("Metas de Riverside Independent School District"));
    CHECK(page.contains("Sin datos"));
}

TEST_CASE("a goal form with problems stores nothing and says what is wrong beside each field", "[http][goals]") {
    auto site = goalSite();
    struct Case {
        std::map<std::string, std::string> changes;
        std::string field;
        std::string message;
    };
    const std::vector<Case> cases{
        {{{"scale", ""}}, "goal-scale", "Choose a scale."},
        {{{"scale", "equity-excellence/nonsense"}}, "goal-scale", "is not a scale of this district&apos;s surveys."},
        {{{"measure", "median"}}, "goal-measure", "Choose what to measure"},
        {{{"measure", "gap"}}, "goal-group", "A gap is between a group and the rest of the district: choose a group."},
        {{{"group", "race:martian"}}, "goal-group", "is not a group of this district&apos;s surveys."},
        {{{"group", "race:no-answer"}}, "goal-group", "is not a group"},
        {{{"target", ""}}, "goal-target", "Enter a target."},
        {{{"target", "lots"}}, "goal-target", "Enter the target as a number"},
        {{{"target", "1e3"}}, "goal-target", "Enter the target as a number"},
        {{{"target", "inf"}}, "goal-target", "Enter the target as a number"},
        {{{"target", "5.5"}}, "goal-target", "enter a value from 1 to 5."},
        {{{"target", "0.9"}}, "goal-target", "enter a value from 1 to 5."},
        {{{"measure", "favorable"}, {"target", "120"}}, "goal-target", "Enter a percentage from 0 to 100."},
        {{{"measure", "gap"}, {"group", "race:black"}, {"target", "-0.1"}}, "goal-target", "enter a value from 0 to 4."},
        {{{"targetYear", "2028/2029"}}, "goal-target-year", "Enter two consecutive years"},
        {{{"targetYear", "2028-2030"}}, "goal-target-year", "Enter two consecutive years"},
        {{{"targetYear", "2026-2027"}}, "goal-target-year", "The target year must come after 2026-2027"},
        {{{"targetYear", "2020-2021"}}, "goal-target-year", "The target year must come after 2026-2027"},
        {{{"targetYear", "2207-2208"}}, "goal-target-year", "Choose a target year before 2057-2058."},
        {{{"baselineYear", "2019-2020"}}, "goal-baseline-year", "Choose one of the district&apos;s survey years."},
    };
    for (const auto& c : cases) {
        INFO(c.field << ": " << c.message);
        const auto reply = site->post(kGoals, encodeForm(goalForm(*site, c.changes)));
        CHECK(reply.status == 400);
        CHECK(reply.contains("Please check the goal"));
        CHECK(reply.contains("<a href=\"#" + c.field + "\">"));  // listed at the top, linked to its field
        const auto besideField = reply.body.find("id=\"" + c.field + "-error\">");
        REQUIRE(besideField != std::string::npos);
        CHECK(reply.body.substr(besideField, 300).find(c.message) != std::string::npos);
    }
    // What was typed stays in the form.
    const auto reply = site->post(kGoals, encodeForm(goalForm(*site, {{"target", "lots"}, {"targetYear", "2029-2030"}})));
    CHECK(reply.contains("value=\"lots\""));
    CHECK(reply.contains("value=\"2029-2030\""));
    CHECK(reply.contains("<option value=\"equity-excellence/high-expectations\" selected>"));

    CHECK(site->store().goals("riverside-isd").empty());
    CHECK(site->store().goalChanges("riverside-isd").empty());

    // The same checks guard a change: the goal stays as it was.
    const auto id = goalIdFrom(site->post(kGoals, encodeForm(goalForm(*site))));
    const auto update = site->post(kGoals + "/" + std::to_string(id), encodeForm(goalForm(*site, {{"target", "7"}})));
    CHECK(update.status == 400);
    CHECK(update.contains("id=\"goal-target-error\""));
    CHECK(site->store().findGoal("riverside-isd", id)->targetValue == 3.8);
    CHECK(site->store().goalChanges("riverside-isd").size() == 1);
}

TEST_CASE("every goal POST needs the form's CSRF token", "[http][goals]") {
    auto site = goalSite();
    const auto id = goalIdFrom(site->post(kGoals, encodeForm(goalForm(*site))));
    for (const std::string token : {"", "0123456789abcdef0123456789abcdef"}) {
        auto fields = goalForm(*site, {{"target", "4"}});
        fields[0].second = token;
        CHECK(site->post(kGoals, encodeForm(fields)).status == 403);
        CHECK(site->post(kGoals + "/" + std::to_string(id), encodeForm(fields)).status == 403);
        CHECK(site->post(kGoals + "/" + std::to_string(id) + "/remove", encodeForm({{"csrf", token}, {"lang", "en"}})).status == 403);
    }
    CHECK(site->store().goals("riverside-isd").size() == 1);
    CHECK(site->store().findGoal("riverside-isd", id)->targetValue == 3.8);
    CHECK(site->store().goalChanges("riverside-isd").size() == 1);
}

TEST_CASE("another district's account gets not found, and a signed-out visitor is sent to sign in", "[http][goals][privacy]") {
    auto site = goalSite("brazos-valley-isd");
    for (const auto& path : {kGoals, kGoals + "/1", kApi}) {
        INFO(path);
        const auto reply = site->get(path);
        CHECK(reply.status == 404);
        CHECK_FALSE(reply.contains("High expectations"));
    }
    CHECK(site->post(kGoals, encodeForm(goalForm(*site))).status == 404);
    CHECK(site->post(kGoals + "/1", encodeForm(goalForm(*site))).status == 404);
    CHECK(site->post(kGoals + "/1/remove", encodeForm({{"csrf", site->csrf()}, {"lang", "en"}})).status == 404);
    CHECK(site->store().goals("riverside-isd").empty());

    auto signedOut = goalSite("riverside-isd", false);
    const auto page = signedOut->get(kGoals);
    CHECK(page.status == 303);
    CHECK(page.header("Location").rfind("/login?next=", 0) == 0);
    CHECK(signedOut->get(kApi).status == 401);
    const auto post = signedOut->post(kGoals, encodeForm(goalForm(*signedOut)));
    CHECK(post.status == 303);
    CHECK(post.header("Location").rfind("/login", 0) == 0);
    CHECK(signedOut->store().goals("riverside-isd").empty());
}

TEST_CASE("a goal address that names no goal of the district is not found", "[http][goals]") {
    auto site = goalSite(std::nullopt);  // a network account sees every district
    REQUIRE(site->get(kGoals).status == 200);
    for (const auto& path : {kGoals + "/abc", kGoals + "/0", kGoals + "/-1", kGoals + "/99", kGoals + "/1x"}) {
        INFO(path);
        CHECK(site->get(path).status == 404);
    }
    CHECK(site->get("/leader/districts/nowhere-isd/goals").status == 404);
}

TEST_CASE("the comparison page's goal section shows each goal's latest status and links to the goals page", "[http][goals]") {
    surveys::SurveyCatalog catalog;
    catalog.surveys.push_back(testing::demoSurvey());
    store::Store store(":memory:");
    app::saveSurveys(catalog, store);
    const web::Site site{catalog, store, [] { return testing::dayWhenDemoIsOpen(); }};
    const web::District district{"riverside-isd", "Riverside Independent School District"};

    auto section = web::handlers::goalStatusSection(site, district, web::districtYears(site, district.slug), "en");
    CHECK(section.find("No goals have been set yet.") != std::string::npos);
    CHECK(section.find("href=\"/leader/districts/riverside-isd/goals?lang=en\"") != std::string::npos);

    std::vector<store::StoredResponse> rows;
    for (auto& r : demo::generateResponses(catalog.surveys[0], 300, 7)) rows.push_back({r.demographics, r.answers});
    store.insertResponses(catalog.surveys[0].storeId, rows);
    REQUIRE(releases::publishRelease(store, catalog.surveys[0], store::ReleaseKind::Interim, testing::dayWhenDemoIsOpen()).release);
    // A target of 1, the bottom of the scale, is met by any mean.
    store.createGoal({0, "riverside-isd", "equity-excellence", "high-expectations", "mean", "", "", 1, "2027-2028", "", false}, "maria",
                     "2026-09-14T15:04:05Z");
    section = web::handlers::goalStatusSection(site, district, web::districtYears(site, district.slug), "es");
    CHECK(section.find("<h2 id=\"goal-summary-title\">Metas</h2>") != std::string::npos);
    CHECK(section.find("<span class=\"status status-met\">Cumplida</span>") != std::string::npos);
    CHECK(section.find("Expectativas altas: media, todo el distrito") != std::string::npos);
}

TEST_CASE("the goals CSV holds the same figures as the JSON, without removed goals", "[http][goals]") {
    auto site = goalSite();
    REQUIRE(site->post(kGoals, encodeForm(goalForm(*site, {{"target", "3.1"}}))).status == 303);
    REQUIRE(site->post(kGoals, encodeForm(goalForm(*site, {{"measure", "favorable"}, {"target", "100"}, {"group", "race:pacific-islander"}})))
                .status == 303);
    const auto removed =
        goalIdFrom(site->post(kGoals, encodeForm(goalForm(*site, {{"measure", "gap"}, {"group", "race:black"}, {"target", "0.1"}}))));
    REQUIRE(site->post(kGoals + "/" + std::to_string(removed) + "/remove", encodeForm({{"csrf", site->csrf()}, {"lang", "en"}})).status == 303);

    const auto reply = site->get(kCsv + "?lang=es");
    REQUIRE(reply.status == 200);
    CHECK(reply.header("Content-Type") == "text/csv; charset=utf-8");
    CHECK(reply.header("Content-Disposition") == "attachment; filename=\"riverside-isd-goals.csv\"");
    const auto table = imports::readCsv(reply.body);
    REQUIRE(table.header.size() == 22);
    CHECK(table.header[14] == "value");
    const auto data = json::parse(site->get(kApi).body);
    REQUIRE(data["goals"].size() == 2);
    REQUIRE(table.records.size() == 2);  // two goals, one school year; the removed goal is not listed
    auto column = [&](const imports::CsvRecord& record, const std::string& name) {
        const auto at = std::find(table.header.begin(), table.header.end(), name);
        REQUIRE(at != table.header.end());
        return record.fields.at(static_cast<std::size_t>(at - table.header.begin()));
    };
    for (std::size_t g = 0; g < 2; ++g) {
        const auto& record = table.records[g];
        REQUIRE_FALSE(record.problem);
        const auto& goal = data["goals"][g];
        const auto& year = goal["years"][0];
        INFO(goal["title"]);
        CHECK(column(record, "goal") == std::to_string(goal["id"].get<std::int64_t>()));
        CHECK(column(record, "scale_title") == "Expectativas altas");  // in the language asked for
        CHECK(column(record, "school_year") == year["schoolYear"]);
        CHECK(column(record, "status") == year["status"]);
        CHECK(column(record, "survey") == year["survey"]);
        CHECK(column(record, "instrument_version") == year["instrument"]);
        if (year["value"].is_null()) {
            CHECK(column(record, "value").empty());
            CHECK(column(record, "ci95_lower").empty());
            CHECK(column(record, "no_data") == year["noData"]);
            CHECK(column(record, "hidden") == year["hidden"]);
            continue;
        }
        // The same doubles, to the last bit.
        CHECK(std::stod(column(record, "value")) == year["value"].get<double>());
        CHECK(std::stod(column(record, "ci95_lower")) == year["ci95"][0].get<double>());
        CHECK(std::stod(column(record, "ci95_upper")) == year["ci95"][1].get<double>());
        CHECK(std::stod(column(record, "expected")) == year["expected"].get<double>());
        CHECK(column(record, "is_baseline") == "1");
        CHECK(column(record, "no_data").empty());
    }
    CHECK(column(table.records[1], "group_label") == "Nativo(a) de Hawái o de las islas del Pacífico");
    CHECK(column(table.records[1], "no_data") == "hidden");

    const auto page = site->get(kGoals);
    CHECK(page.contains("<a href=\"" + kCsv + "?lang=en\">These goals as CSV</a>"));
    CHECK(site->get(kGoals + "?lang=es").contains("Estas metas en CSV"));
}

TEST_CASE("the goals CSV is not found for another district's account, and needs signing in", "[http][goals][privacy]") {
    auto other = goalSite("brazos-valley-isd");
    const auto reply = other->get(kCsv);
    CHECK(reply.status == 404);
    CHECK_FALSE(reply.contains("high-expectations"));
    CHECK(goalSite("riverside-isd", false)->get(kCsv).status == 401);
    CHECK(goalSite(std::nullopt)->get(kCsv).status == 200);  // a network account sees every district
}

namespace {

/// A valid action form; `changes` replace fields.
surveys::FormFields actionForm(TestSite& site, const std::map<std::string, std::string>& changes = {}) {
    surveys::FormFields fields{{"csrf", site.csrf()},
                               {"lang", "en"},
                               {"description", "Train every principal on equitable resourcing"},
                               {"owner", "Director of Equity"},
                               {"dueOn", "2000-01-31"},  // long past: the action is overdue until done
                               {"status", "planned"}};
    for (auto& [name, value] : fields)
        if (auto change = changes.find(name); change != changes.end()) value = change->second;
    return fields;
}

std::int64_t actionIdFrom(const Reply& reply) {
    const auto location = reply.header("Location");
    const auto at = location.find("#action-");
    REQUIRE(at != std::string::npos);
    return std::stoll(location.substr(at + 8));
}

std::int64_t newGoal(TestSite& site) {
    const auto created = site.post(kGoals, encodeForm(goalForm(site)));
    REQUIRE(created.status == 303);
    return goalIdFrom(created);
}

}  // namespace

TEST_CASE("a leader writes a goal's action plan, sees what is overdue on the goals page, and the history keeps every change", "[http][goals]") {
    auto site = goalSite();
    const auto goal = newGoal(*site);
    const auto plan = kGoals + "/" + std::to_string(goal) + "/actions";
    CHECK(site->get(plan + "?lang=en").contains("No actions yet."));
    CHECK(site->get(kGoals + "?lang=en").contains("No actions yet."));

    const auto created = site->post(plan, encodeForm(actionForm(*site, {{"description", "Train <every> principal"}})));
    REQUIRE(created.status == 303);
    CHECK(created.header("Location").rfind(plan + "?lang=en&done=created#action-", 0) == 0);
    const auto action = actionIdFrom(created);
    const auto page = site->get(plan + "?lang=en&done=created");
    CHECK(page.contains("The action was added."));
    CHECK(page.contains("Train &lt;every&gt; principal"));
    CHECK_FALSE(page.contains("Train <every>"));
    CHECK(page.contains(R"(<strong class="overdue">overdue</strong>)"));
    auto goals = site->get(kGoals + "?lang=en");
    CHECK(goals.contains("1 action — planned: 1, overdue: 1."));
    CHECK(goals.contains("Director of Equity"));

    // Done: no longer overdue.
    const auto changed = site->post(plan + "/" + std::to_string(action),
                                    encodeForm(actionForm(*site, {{"description", "Train <every> principal"}, {"status", "done"}})));
    REQUIRE(changed.status == 303);
    CHECK(changed.header("Location").find("done=changed") != std::string::npos);
    goals = site->get(kGoals + "?lang=en");
    CHECK(goals.contains("1 action — done: 1."));
    CHECK(goals.contains("Changed an action"));
    CHECK(goals.contains("Status: Planned → Done"));
    // The same again: nothing stored.
    const auto again = site->post(plan + "/" + std::to_string(action),
                                  encodeForm(actionForm(*site, {{"description", "Train <every> principal"}, {"status", "done"}})));
    CHECK(again.header("Location").find("done=unchanged") != std::string::npos);

    const auto api = json::parse(site->get(kApi).body);
    REQUIRE(api["goals"][0]["actions"].size() == 1);
    CHECK(api["goals"][0]["actions"][0]["status"] == "done");
    CHECK(api["goals"][0]["actions"][0]["isOverdue"] == false);
    CHECK(api["actionHistory"].size() == 2);
    CHECK(api["actionHistory"][0]["username"] == "maria");

    const auto edit = site->get(plan + "?lang=en&edit=" + std::to_string(action));
    CHECK(edit.contains("Change this action"));
    CHECK(edit.contains(R"(<option value="done" selected>Done</option>)"));
    REQUIRE(site->post(plan + "/" + std::to_string(action) + "/remove", encodeForm({{"csrf", site->csrf()}, {"lang", "en"}})).status == 303);
    goals = site->get(kGoals + "?lang=en");
    CHECK(goals.contains("No actions yet."));
    CHECK(goals.contains("Removed an action"));
    CHECK(site->store().goalActionChanges("riverside-isd").size() == 3);
    CHECK(site->get(plan + "?lang=es").contains("Plan de acción"));
}

TEST_CASE("an action form with problems stores nothing and says what is wrong with each field", "[http][goals]") {
    auto site = goalSite();
    const auto plan = kGoals + "/" + std::to_string(newGoal(*site)) + "/actions";
    const auto refused = site->post(plan, encodeForm(actionForm(*site, {{"description", " "}, {"owner", ""}, {"dueOn", "2027-02-30"}, {"status", "finished"}})));
    CHECK(refused.status == 400);
    CHECK(refused.contains("Please check the action"));
    CHECK(refused.contains("Say what will be done."));
    CHECK(refused.contains("Say who answers for this action: a role or a name."));
    CHECK(refused.contains("Give a date that exists, as year-month-day (e.g. 2027-03-31), between 2000 and 2100."));
    CHECK(refused.contains("Choose one of the statuses offered."));
    CHECK(refused.contains(R"(aria-describedby="action-due-hint action-due-error")"));
    const auto tooLong = site->post(plan, encodeForm(actionForm(*site, {{"description", std::string(501, 'a')}, {"dueOn", "31/01/2027"}})));
    CHECK(tooLong.status == 400);
    CHECK(tooLong.contains("Keep this to 500 characters or fewer (it has 501)."));
    CHECK(site->post(plan, encodeForm(actionForm(*site, {{"csrf", "stale"}}))).status == 403);
    CHECK(site->store().goalActions("riverside-isd").empty());
    // 500 letters of Spanish are 500 characters, not their UTF-8 bytes.
    std::string accented;
    for (int i = 0; i < 500; ++i) accented += "é";
    CHECK(site->post(plan, encodeForm(actionForm(*site, {{"description", accented}}))).status == 303);
}

TEST_CASE("an action address that names no action of the district's goal is not found, and another district's account gets nothing", "[http][goals][privacy]") {
    auto site = goalSite();
    const auto goal = newGoal(*site);
    const auto plan = kGoals + "/" + std::to_string(goal) + "/actions";
    const auto action = actionIdFrom(site->post(plan, encodeForm(actionForm(*site))));
    for (const auto& path : {plan + "?edit=abc", plan + "?edit=0", plan + "?edit=99", kGoals + "/99/actions"}) {
        INFO(path);
        CHECK(site->get(path).status == 404);
    }
    CHECK(site->post(plan + "/99", encodeForm(actionForm(*site))).status == 404);
    CHECK(site->post(kGoals + "/99/actions", encodeForm(actionForm(*site))).status == 404);
    CHECK(site->post(plan + "/99/remove", encodeForm({{"csrf", site->csrf()}, {"lang", "en"}})).status == 404);

    REQUIRE(site->store().createAccount({0, "eve", auth::hashPassword(kPassword), std::string("brazos-valley-isd"), "2026-08-15"}));
    REQUIRE(site->signIn("eve", kPassword).status == 303);
    CHECK(site->get(plan).status == 404);
    CHECK(site->post(plan, encodeForm(actionForm(*site))).status == 404);
    CHECK(site->post(plan + "/" + std::to_string(action), encodeForm(actionForm(*site, {{"status", "dropped"}}))).status == 404);
    CHECK(site->post(plan + "/" + std::to_string(action) + "/remove", encodeForm({{"csrf", site->csrf()}, {"lang", "en"}})).status == 404);
    CHECK(site->store().goalActions("riverside-isd").size() == 1);
    CHECK(site->store().goalActions("riverside-isd")[0].status == "planned");
}
