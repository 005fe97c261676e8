-- Action plans on goals (issue 11, docs/goals.md#action-plans): what the district will do to reach
-- a goal, who owns each step, by when, and how far it is. Like goals, these are staff decisions,
-- never about respondents: nothing here refers to responses, drafts, codes or submissions.
--
-- An action belongs to one goal, and through it to the goal's scale and group. owner is whoever
-- answers for the step, as the district writes it (a role such as "Director of Equity", or a name).
-- due_on is a date, "YYYY-MM-DD". status is 'planned', 'under-way', 'done' or 'dropped'; whether an
-- action is overdue is worked out from due_on and the day, never stored. A removed action keeps its
-- row (is_removed = 1) so that its history below still shows what was removed.
CREATE TABLE goal_actions (
    id            INTEGER PRIMARY KEY,
    goal_id       INTEGER NOT NULL REFERENCES goals(id),
    district_slug TEXT NOT NULL,
    description   TEXT NOT NULL,
    owner         TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('planned', 'under-way', 'done', 'dropped')),
    is_removed    INTEGER NOT NULL DEFAULT 0 CHECK (is_removed IN (0, 1))
);
CREATE INDEX goal_actions_by_district ON goal_actions (district_slug, goal_id, id);

-- One row per change to an action, in the same transaction as the change, as goal_changes does for
-- goals (username copied; exact UTC time, since these are staff actions, not answers).
CREATE TABLE goal_action_changes (
    id            INTEGER PRIMARY KEY,
    action_id     INTEGER NOT NULL REFERENCES goal_actions(id),
    goal_id       INTEGER NOT NULL REFERENCES goals(id),
    district_slug TEXT NOT NULL,
    username      TEXT NOT NULL,
    change        TEXT NOT NULL CHECK (change IN ('created', 'changed', 'removed')),
    before_json   TEXT,
    after_json    TEXT NOT NULL,
    changed_at    TEXT NOT NULL
);
CREATE INDEX goal_action_changes_by_district ON goal_action_changes (district_slug, id);
