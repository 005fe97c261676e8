'use strict';
// An equity leader of the demo district sets goals in the web form and reads each goal's status for
// each of three school years; a form with a mistake says so beside the field and stores nothing;
// the change history names who changed what; the pages pass axe-core at phone and laptop width;
// an account of another district cannot open them.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./lib/harness');

const goalsPath = '/leader/districts/riverside-isd/goals';
const password = 'a long enough demo password';
const statuses = ['Met', 'On track', 'Off track', 'No data', 'Before the baseline'];

let browser;
let server;
before(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mindset-e2e-goals-'));
  for (const [survey, seed] of [['riverside-2024', '24'], ['riverside-2025', '25'], ['riverside-2026', '26']])
    h.mindset(['demo', '--survey', survey, '--responses', '400', '--seed', seed, '--data-dir', dataDir]);
  // Leaders read releases only: the closed years get their final release when the server starts.
  h.mindset(['release', 'publish', 'riverside-2026', '--data-dir', dataDir]);
  for (const [user, district] of [['rivera', 'riverside-isd'], ['brazos', 'brazos-valley-isd']])
    execFileSync(h.mindsetBin, ['users', 'add', user, '--district', district, '--data-dir', dataDir],
      { input: `${password}\n`, encoding: 'utf8' });
  server = await h.startServer({ dataDir });
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page, user) {
  await h.signIn(page, `${server.url}${goalsPath}`, user, password);
}

/// The rows of a goal's year table: [school year, status, evidence].
async function yearRows(page, goalTitle) {
  const section = page.getByRole('region', { name: goalTitle, exact: true });
  return section.getByRole('row').evaluateAll((rows) => rows.slice(1).map((row) =>
    [...row.querySelectorAll('th, td')].map((cell) => cell.textContent.trim())));
}

test('a leader sets goals in the form and sees their status for each year', async () => {
  const context = await h.newContext(browser, { width: 1280, height: 900 });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await signIn(page, 'rivera');
  assert.match(page.url(), new RegExp(`${goalsPath}$`), 'signing in returns to the goals page');
  assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Goals for Riverside Independent School District');
  await page.getByText('This district has no goals yet.').waitFor();

  // A gap goal without a group: the problem is shown beside the group field, nothing is stored.
  await page.getByLabel('Scale', { exact: true }).selectOption({ label: 'High expectations' });
  await page.getByRole('group', { name: 'What to measure' }).getByLabel('The gap between a group and the rest of the district, to close').check();
  await page.getByLabel('Target', { exact: true }).fill('0.1');
  await page.getByLabel('Target school year').fill('2027-2028');
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Add the goal' }).click()]);
  await page.getByRole('alert').getByText('Please check the goal').waitFor();
  const groupError = page.locator('#goal-group-error');
  assert.equal((await groupError.textContent()).trim(), 'A gap is between a group and the rest of the district: choose a group.');
  assert.equal(await page.getByLabel('For whom').getAttribute('aria-describedby'), 'goal-group-hint goal-group-error');
  assert.equal(await page.getByLabel('Target', { exact: true }).inputValue(), '0.1', 'what was typed stays');
  assert.equal(server.query('SELECT COUNT(*) FROM goals'), '0');
  await h.expectNoAxeViolations(page, 'the goal form with a problem');
  await h.screenshot(page, 'goals-form-problem-1280');

  // Fix it: choose the group and add the goal.
  await page.getByLabel('For whom').selectOption({ label: 'Black or African American' });
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Add the goal' }).click()]);
  await page.getByRole('status').getByText('The goal was added.').waitFor();

  // A second goal: the district's mean on another scale, from the 2025-2026 baseline.
  await page.getByLabel('Scale', { exact: true }).selectOption({ label: 'High expectations' });
  await page.getByRole('group', { name: 'What to measure' }).getByLabel('The mean, on the response scale').check();
  await page.getByLabel('Target', { exact: true }).fill('4.4');
  await page.getByLabel('Target school year').fill('2028-2029');
  await page.getByLabel('Baseline school year').selectOption('2025-2026');
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Add the goal' }).click()]);
  await page.getByRole('status').getByText('The goal was added.').waitFor();

  const gapRows = await yearRows(page, 'High expectations: gap to the rest of the district, Black or African American');
  assert.deepEqual(gapRows.map((row) => row[0]), ['2024-2025', '2025-2026', '2026-2027']);
  for (const [year, status, evidence] of gapRows) {
    assert.ok(statuses.includes(status), `${year}: a status written out, got "${status}"`);
    assert.ok(evidence.length > 20, `${year}: evidence in a sentence, got "${evidence}"`);
  }
  assert.match(gapRows[0][2], /^(Baseline: gap to the rest of the district|Gap to the rest|No figure)/);

  const meanRows = await yearRows(page, 'High expectations: mean, whole district');
  assert.equal(meanRows[0][1], 'Before the baseline', 'a year before the chosen baseline is not judged');
  assert.match(meanRows[1][2], /^(Baseline: mean \d\.\d\d \(95% CI \d\.\d\d to \d\.\d\d\)|Mean \d\.\d\d .* reaches the target of 4\.40\.)/);
  assert.match(meanRows[2][2], /95% CI/);
  // The status has a colour, and the words say the same: the colour is never the only signal.
  const badge = page.locator('.goal .status').first();
  assert.notEqual(await badge.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgba(0, 0, 0, 0)');

  // The change history says who added what.
  const history = page.getByRole('table', { name: 'Table of changes to the goals' });
  assert.equal(await history.getByRole('row').count(), 3, 'a header and one row per goal added');
  assert.match(await history.getByRole('row').nth(1).textContent(), /rivera\s*Added\s*High expectations: mean, whole district/);
  assert.equal(server.query("SELECT COUNT(*) FROM goal_changes WHERE username = 'rivera' AND action = 'created'"), '2');

  await h.expectNoAxeViolations(page, 'the goals page at 1280 px');
  await h.screenshot(page, 'goals-1280');

  // Change a goal's target through its edit form.
  await page.getByRole('link', { name: 'Change or remove this goal: High expectations: mean, whole district' }).click();
  await page.getByRole('heading', { level: 1, name: 'Change a goal' }).waitFor();
  assert.equal(await page.getByLabel('Target', { exact: true }).inputValue(), '4.4');
  await h.expectNoAxeViolations(page, 'the edit form');
  await page.getByLabel('Target', { exact: true }).fill('4.5');
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Save the changes' }).click()]);
  await page.getByRole('status').getByText('The goal was changed.').waitFor();
  assert.match(await page.getByRole('table', { name: 'Table of changes to the goals' }).getByRole('row').nth(1).textContent(),
    /rivera\s*Changed.*target: 4\.40 by 2028-2029 → 4\.50 by 2028-2029/);
  await context.close();
});

test('the goals page reads well on a phone, in Spanish too', async () => {
  const context = await h.newContext(browser, { width: 390, height: 844 });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await signIn(page, 'rivera');
  await page.getByRole('heading', { name: 'High expectations: mean, whole district' }).waitFor();
  await h.expectNoAxeViolations(page, 'the goals page at 390 px');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page itself does not scroll sideways (${overflow} px)`);
  await h.screenshot(page, 'goals-390');
  await page.getByRole('link', { name: 'Español' }).click();
  await page.getByRole('heading', { level: 1, name: 'Metas de Riverside Independent School District' }).waitFor();
  await page.getByRole('heading', { name: 'Expectativas altas: media, todo el distrito' }).waitFor();
  await h.expectNoAxeViolations(page, 'the goals page in Spanish');
  await h.screenshot(page, 'goals-390-es');
  await context.close();
});

test('a leader writes an action plan for a goal, on a phone, and sees it under the goal', async () => {
  const context = await h.newContext(browser, { width: 390, height: 844 });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await signIn(page, 'rivera');
  const goal = 'High expectations: mean, whole district';
  await page.getByRole('link', { name: `Add or change actions: ${goal}` }).click();
  await page.getByRole('heading', { level: 1, name: `Action plan: ${goal}` }).waitFor();
  await page.getByText('No actions yet.').waitFor();

  // A date that does not exist: said beside the field, nothing stored, what was typed kept.
  await page.getByLabel('What will be done').fill('Coach each school team on high expectations for every student group');
  await page.getByLabel('Who answers for it').fill('Director of Equity');
  await page.locator('#action-due').evaluate((input) => { input.type = 'text'; input.value = '2027-02-30'; });
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Add the action' }).click()]);
  await page.getByRole('alert').getByText('Please check the action').waitFor();
  assert.equal(await page.getByLabel('Due', { exact: true }).getAttribute('aria-describedby'), 'action-due-hint action-due-error');
  assert.equal(await page.getByLabel('Who answers for it').inputValue(), 'Director of Equity');
  assert.equal(server.query('SELECT COUNT(*) FROM goal_actions'), '0');
  await h.expectNoAxeViolations(page, 'the action form with a problem at 390 px');

  await page.getByLabel('Due', { exact: true }).fill('2020-03-31');  // already past: overdue
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Add the action' }).click()]);
  await page.getByRole('status').getByText('The action was added.').waitFor();
  const row = page.getByRole('row', { name: /Coach each school team/ });
  assert.match(await row.textContent(), /Director of Equity\s*2020-03-31\s*overdue\s*Planned/);
  await h.expectNoAxeViolations(page, 'the action plan at 390 px');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the plan page itself does not scroll sideways (${overflow} px)`);
  await h.screenshot(page, 'goal-plan-390');

  // Under way: changed through the row's link; the goals page shows the plan under its goal.
  await page.getByRole('link', { name: /^Change: Coach each school team/ }).click();
  await page.getByRole('heading', { level: 2, name: 'Change this action' }).waitFor();
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Under way' });
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Save the action' }).click()]);
  await page.getByRole('status').getByText('The action was saved.').waitFor();
  await page.getByRole('link', { name: 'Back to the goals' }).click();
  const section = page.getByRole('region', { name: goal, exact: true });
  await section.getByText('1 action — under way: 1, overdue: 1.').waitFor();
  assert.match(await page.getByRole('table', { name: 'Table of changes to the goals' }).getByRole('row').nth(1).textContent(),
    /rivera\s*Changed an action.*Status: Planned → Under way/);
  assert.equal(server.query("SELECT COUNT(*) FROM goal_action_changes WHERE username = 'rivera'"), '2');
  await h.expectNoAxeViolations(page, 'the goals page with a plan at 390 px');
  await h.screenshot(page, 'goals-with-plan-390');
  // The same plan on a laptop, to look at.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('link', { name: `Add or change actions: ${goal}` }).click();
  await page.getByRole('heading', { level: 1, name: `Action plan: ${goal}` }).waitFor();
  await h.screenshot(page, 'goal-plan-1280');
  await context.close();
});

test("another district's account cannot see or change Riverside's goals", async () => {
  const context = await h.newContext(browser, { width: 1280, height: 900 });
  const page = await context.newPage();
  await signIn(page, 'brazos');
  const response = await page.goto(`${server.url}${goalsPath}`);
  assert.equal(response.status(), 404);
  assert.equal(await page.getByText('High expectations').count(), 0);
  assert.equal((await page.goto(`${server.url}${goalsPath}/1`)).status(), 404);
  assert.equal((await page.goto(`${server.url}${goalsPath}/1/actions`)).status(), 404);
  assert.equal((await page.goto(`${server.url}/api/districts/riverside-isd/goals`)).status(), 404);
  await context.close();
});
