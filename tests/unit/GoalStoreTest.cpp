#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "store/Store.h"
#include "support/TestDatabase.h"

using namespace mindset;
using nlohmann::json;
using store::GoalRecord;
using store::GoalUpdate;
using store::Store;

namespace {

GoalRecord riversideGoal() {
    return {0, "riverside-isd", "equity-excellence", "high-expectations", "gap", "race", "black", 0.1, "2027-2028", "", false};
}

}  // namespace

TEST_CASE("each change to a goal is stored with who made it and when, in its district's history", "[unit][goals]") {
    Store store(testing::storeLocation());
    auto goal = riversideGoal();
    goal.id = store.createGoal(goal, "maria", "2026-09-14T15:04:05Z");
    REQUIRE(goal.id > 0);
    CHECK(store.goals("riverside-isd") == std::vector<GoalRecord>{goal});

    auto changed = goal;
    changed.targetValue = 0.05;
    changed.baselineYear = "2024-2025";
    CHECK(store.updateGoal(changed, "li", "2026-09-15T08:00:00Z") == GoalUpdate::Changed);
    CHECK(store.findGoal("riverside-isd", goal.id) == changed);
    CHECK(store.updateGoal(changed, "li", "2026-09-15T08:01:00Z") == GoalUpdate::Unchanged);

    CHECK(store.removeGoal("riverside-isd", goal.id, "maria", "2026-09-16T10:30:00Z"));
    CHECK(store.goals("riverside-isd").empty());
    CHECK_FALSE(store.findGoal("riverside-isd", goal.id));

    const auto history = store.goalChanges("riverside-isd");
    REQUIRE(history.size() == 3);  // the unchanged save left no entry
    CHECK(history[0].action == "removed");
    CHECK(history[0].username == "maria");
    CHECK(history[0].changedAt == "2026-09-16T10:30:00Z");
    CHECK(json::parse(history[0].afterJson)["removed"] == true);
    CHECK(history[1].action == "changed");
    CHECK(history[1].username == "li");
    CHECK(json::parse(history[1].beforeJson)["target"] == 0.1);
    CHECK(json::parse(history[1].beforeJson)["baselineYear"].is_null());
    CHECK(json::parse(history[1].afterJson)["target"] == 0.05);
    CHECK(json::parse(history[1].afterJson)["baselineYear"] == "2024-2025");
    CHECK(history[2].action == "created");
    CHECK(history[2].beforeJson.empty());
    CHECK(json::parse(history[2].afterJson) == json::parse(store::goalToJson(goal)));
    CHECK(json::parse(history[2].afterJson)["group"] == json{{"question", "race"}, {"category", "black"}});
}

TEST_CASE("a goal belongs to its district: another district cannot see, change or remove it", "[unit][goals]") {
    Store store(testing::storeLocation());
    auto goal = riversideGoal();
    goal.id = store.createGoal(goal, "maria", "2026-09-14T15:04:05Z");
    auto elsewhere = goal;
    elsewhere.districtSlug = "brazos-valley-isd";
    elsewhere.targetValue = 0.2;
    CHECK(store.goals("brazos-valley-isd").empty());
    CHECK_FALSE(store.findGoal("brazos-valley-isd", goal.id));
    CHECK(store.updateGoal(elsewhere, "ana", "2026-09-15T08:00:00Z") == GoalUpdate::NotFound);
    CHECK_FALSE(store.removeGoal("brazos-valley-isd", goal.id, "ana", "2026-09-15T08:00:00Z"));
    CHECK(store.findGoal("riverside-isd", goal.id)->targetValue == 0.1);
    CHECK(store.goalChanges("brazos-valley-isd").empty());
    CHECK(store.goalChanges("riverside-isd").size() == 1);

    // A removed goal can be neither changed nor removed again.
    REQUIRE(store.removeGoal("riverside-isd", goal.id, "maria", "2026-09-16T10:30:00Z"));
    CHECK(store.updateGoal(goal, "maria", "2026-09-16T10:31:00Z") == GoalUpdate::NotFound);
    CHECK_FALSE(store.removeGoal("riverside-isd", goal.id, "maria", "2026-09-16T10:32:00Z"));
    CHECK(store.goalChanges("riverside-isd").size() == 2);
}

TEST_CASE("the schema refuses a goal without a measure it knows or a gap without a group", "[unit][goals]") {
    Store store(testing::storeLocation());
    auto goal = riversideGoal();
    goal.measure = "median";
    CHECK_THROWS_AS(store.createGoal(goal, "maria", "2026-09-14T15:04:05Z"), store::StoreError);
    goal = riversideGoal();
    goal.groupQuestion.clear();
    goal.groupCategory.clear();
    CHECK_THROWS_AS(store.createGoal(goal, "maria", "2026-09-14T15:04:05Z"), store::StoreError);
    // Nothing half-done: neither a goal nor a history entry was kept.
    CHECK(store.goals("riverside-isd").empty());
    CHECK(store.goalChanges("riverside-isd").empty());
}

TEST_CASE("a goal's action plan keeps every change with who and when, and only on the district's goals", "[unit][goals]") {
    Store store(testing::storeLocation());
    auto goal = riversideGoal();
    goal.id = store.createGoal(goal, "maria", "2026-09-14T15:04:05Z");
    store::GoalActionRecord action{0, goal.id, "riverside-isd", "Train every principal on equitable resourcing", "Director of Equity",
                                   "2027-01-31", "planned", false};
    const auto id = store.createGoalAction(action, "maria", "2026-09-14T15:10:00Z");
    REQUIRE(id);
    action.id = *id;
    CHECK(store.goalActions("riverside-isd") == std::vector<store::GoalActionRecord>{action});
    CHECK(store.goalActions("cedar-isd").empty());

    // Another district cannot reach the goal or its actions.
    auto foreign = action;
    foreign.districtSlug = "cedar-isd";
    CHECK_FALSE(store.createGoalAction(foreign, "eve", "2026-09-14T15:11:00Z"));
    CHECK(store.updateGoalAction(foreign, "eve", "2026-09-14T15:11:00Z") == GoalUpdate::NotFound);
    CHECK_FALSE(store.removeGoalAction("cedar-isd", goal.id, action.id, "eve", "2026-09-14T15:11:00Z"));
    CHECK_FALSE(store.findGoalAction("cedar-isd", goal.id, action.id));

    auto underWay = action;
    underWay.status = "under-way";
    underWay.dueOn = "2027-02-28";
    CHECK(store.updateGoalAction(underWay, "li", "2026-10-01T09:00:00Z") == GoalUpdate::Changed);
    CHECK(store.updateGoalAction(underWay, "li", "2026-10-01T09:01:00Z") == GoalUpdate::Unchanged);
    CHECK(store.findGoalAction("riverside-isd", goal.id, action.id) == underWay);
    CHECK(store.removeGoalAction("riverside-isd", goal.id, action.id, "maria", "2026-11-02T10:00:00Z"));
    CHECK(store.goalActions("riverside-isd").empty());

    const auto history = store.goalActionChanges("riverside-isd");
    REQUIRE(history.size() == 3);  // the unchanged save left no entry
    CHECK(history[0].change == "removed");
    CHECK(history[0].username == "maria");
    CHECK(json::parse(history[0].afterJson)["removed"] == true);
    CHECK(history[1].change == "changed");
    CHECK(history[1].username == "li");
    CHECK(history[1].changedAt == "2026-10-01T09:00:00Z");
    CHECK(json::parse(history[1].beforeJson)["status"] == "planned");
    CHECK(json::parse(history[1].afterJson)["status"] == "under-way");
    CHECK(json::parse(history[1].afterJson)["dueOn"] == "2027-02-28");
    CHECK(history[2].change == "created");
    CHECK(history[2].beforeJson.empty());
    CHECK(store.goalActionChanges("cedar-isd").empty());

    // A removed goal takes no new actions, and its actions leave every plan.
    const auto second = store.createGoalAction({0, goal.id, "riverside-isd", "Publish the plan", "Superintendent", "2027-03-01", "planned", false},
                                               "maria", "2026-11-03T10:00:00Z");
    REQUIRE(second);
    REQUIRE(store.removeGoal("riverside-isd", goal.id, "maria", "2026-11-04T10:00:00Z"));
    CHECK(store.goalActions("riverside-isd").empty());
    CHECK_FALSE(store.createGoalAction(action, "maria", "2026-11-05T10:00:00Z"));
}
