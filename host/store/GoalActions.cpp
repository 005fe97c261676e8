// Action plans on goals (016_goal_actions.sql): what a district will do to reach a goal, and the
// history of every change, written in the same transaction as the change.
#include <nlohmann/json.hpp>

#include "store/Store.h"

namespace mindset::store {

std::string goalActionToJson(const GoalActionRecord& action) {
    return nlohmann::json{{"description", action.description},
                          {"owner", action.owner},
                          {"dueOn", action.dueOn},
                          {"status", action.status},
                          {"removed", action.isRemoved}}
        .dump();
}

namespace {

/// The columns actionFrom reads, in its order.
constexpr const char* kActionColumns = "id, goal_id, district_slug, description, owner, due_on, status, is_removed";

GoalActionRecord actionFrom(const Query& row) {
    return {row.columnInt64(0), row.columnInt64(1), row.columnText(2), row.columnText(3),
            row.columnText(4),  row.columnText(5),  row.columnText(6), row.columnInt64(7) != 0};
}

}  // namespace

std::optional<std::int64_t> Store::createGoalAction(const GoalActionRecord& action, const std::string& username,
                                                    const std::string& changedAt) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    // The goal is read in the same transaction: an action is never added to a goal removed meanwhile.
    if (!findGoalLocked(action.districtSlug, action.goalId)) return std::nullopt;
    auto insert = database_->prepare(
        "INSERT INTO goal_actions (goal_id, district_slug, description, owner, due_on, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
        "RETURNING id");
    insert.bind(1, action.goalId).bind(2, action.districtSlug).bind(3, action.description).bind(4, action.owner);
    insert.bind(5, action.dueOn).bind(6, action.status);
    insert.step();
    auto stored = action;
    stored.id = insert.columnInt64(0);
    stored.isRemoved = false;
    insert.reset();
    addGoalActionChange({0, stored.id, stored.goalId, stored.districtSlug, username, "created", "", goalActionToJson(stored), changedAt});
    transaction.commit();
    return stored.id;
}

GoalUpdate Store::updateGoalAction(const GoalActionRecord& action, const std::string& username, const std::string& changedAt) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    const auto before = findGoalActionLocked(action.districtSlug, action.goalId, action.id);
    if (!before) return GoalUpdate::NotFound;
    auto after = action;
    after.isRemoved = false;
    if (after == *before) return GoalUpdate::Unchanged;
    auto update = database_->prepare(
        "UPDATE goal_actions SET description = ?2, owner = ?3, due_on = ?4, status = ?5 WHERE id = ?1");
    update.bind(1, action.id).bind(2, action.description).bind(3, action.owner).bind(4, action.dueOn).bind(5, action.status).run();
    addGoalActionChange({0, action.id, action.goalId, action.districtSlug, username, "changed", goalActionToJson(*before),
                         goalActionToJson(after), changedAt});
    transaction.commit();
    return GoalUpdate::Changed;
}

bool Store::removeGoalAction(const std::string& districtSlug, std::int64_t goalId, std::int64_t actionId, const std::string& username,
                             const std::string& changedAt) {
    std::lock_guard lock(mutex_);
    WriteTransaction transaction(*database_);
    auto action = findGoalActionLocked(districtSlug, goalId, actionId);
    if (!action) return false;
    database_->prepare("UPDATE goal_actions SET is_removed = 1 WHERE id = ?1").bind(1, actionId).run();
    const auto before = goalActionToJson(*action);
    action->isRemoved = true;
    addGoalActionChange({0, actionId, goalId, districtSlug, username, "removed", before, goalActionToJson(*action), changedAt});
    transaction.commit();
    return true;
}

std::vector<GoalActionRecord> Store::goalActions(const std::string& districtSlug) {
    std::lock_guard lock(mutex_);
    // Actions of goals still in place, each goal's by due date (then as added).
    auto select = database_->prepare(std::string("SELECT ") + kActionColumns +
                                      " FROM goal_actions WHERE district_slug = ?1 AND is_removed = 0 AND goal_id IN "
                                      "(SELECT id FROM goals WHERE district_slug = ?1 AND is_removed = 0) ORDER BY goal_id, due_on, id");
    select.bind(1, districtSlug);
    std::vector<GoalActionRecord> actions;
    while (select.step()) actions.push_back(actionFrom(select));
    return actions;
}

std::optional<GoalActionRecord> Store::findGoalAction(const std::string& districtSlug, std::int64_t goalId, std::int64_t actionId) {
    std::lock_guard lock(mutex_);
    return findGoalActionLocked(districtSlug, goalId, actionId);
}

std::optional<GoalActionRecord> Store::findGoalActionLocked(const std::string& districtSlug, std::int64_t goalId, std::int64_t actionId) {
    // Through its goal: an action of a removed goal, or of another district's, is not found.
    if (!findGoalLocked(districtSlug, goalId)) return std::nullopt;
    auto select = database_->prepare(std::string("SELECT ") + kActionColumns +
                                      " FROM goal_actions WHERE id = ?1 AND goal_id = ?2 AND district_slug = ?3 AND is_removed = 0");
    select.bind(1, actionId).bind(2, goalId).bind(3, districtSlug);
    if (!select.step()) return std::nullopt;
    return actionFrom(select);
}

void Store::addGoalActionChange(const GoalActionChange& change) {
    auto insert = database_->prepare(
        "INSERT INTO goal_action_changes (action_id, goal_id, district_slug, username, change, before_json, after_json, changed_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    insert.bind(1, change.actionId).bind(2, change.goalId).bind(3, change.districtSlug).bind(4, change.username).bind(5, change.change);
    if (change.beforeJson.empty()) insert.bindNull(6);
    else insert.bind(6, change.beforeJson);
    insert.bind(7, change.afterJson).bind(8, change.changedAt);
    insert.run();
}

std::vector<GoalActionChange> Store::goalActionChanges(const std::string& districtSlug) {
    std::lock_guard lock(mutex_);
    auto select = database_->prepare(
        "SELECT id, action_id, goal_id, district_slug, username, change, before_json, after_json, changed_at FROM goal_action_changes "
        "WHERE district_slug = ?1 ORDER BY id DESC");
    select.bind(1, districtSlug);
    std::vector<GoalActionChange> changes;
    while (select.step())
        changes.push_back({select.columnInt64(0), select.columnInt64(1), select.columnInt64(2), select.columnText(3), select.columnText(4),
                           select.columnText(5), select.columnText(6), select.columnText(7), select.columnText(8)});
    return changes;
}

}  // namespace mindset::store
