'use strict';
// An equity leader of the demo district compares its three school years: the comparison page is
// linked from the leader's home page, works with a screen reader's view of it (axe-core), shows
// trend charts with a table beside each, reads well on a phone and prints; another district's
// account cannot see it.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./lib/harness');

const comparePath = '/leader/districts/riverside-isd';
const password = 'a long enough demo password';
const years = [['riverside-2024', 0], ['riverside-2025', 1], ['riverside-2026', 2]];

let browser;
let server;
before(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mindset-e2e-compare-'));
  for (const [survey, yearIndex] of years)
    h.mindset(['demo', '--survey', survey, '--responses', '2000', '--seed', String(40 + yearIndex), '--year-index', String(yearIndex),
      '--data-dir', dataDir]);
  // Leaders read releases only: the closed years get their final release when the server starts,
  // the open 2026-27 survey an interim release now.
  h.mindset(['release', 'publish', 'riverside-2026', '--data-dir', dataDir]);
  for (const [user, district] of [['riverside', 'riverside-isd'], ['brazos', 'brazos-valley-isd']])
    execFileSync(h.mindsetBin, ['users', 'add', user, '--district', district, '--data-dir', dataDir], { input: `${password}\n`, encoding: 'utf8' });
  server = await h.startServer({ dataDir });
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page, user, next = '/leader') {
  await h.signIn(page, `${server.url}${next}`, user, password);
}

test('a district leader opens the comparison from the home page; it has no accessibility violations and prints', async () => {
  const context = await h.newContext(browser, { width: 1280, height: 900 });
  // Full-page screenshots of long pages take a while on a loaded machine.
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  await signIn(page, 'riverside');
  await Promise.all([page.waitForLoadState(), page.getByRole('link', { name: /Riverside Independent School District: years compared/ }).click()]);
  assert.match(page.url(), new RegExp(`${comparePath}\\?lang=en$`));
  assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Riverside Independent School District: years compared');

  // Each scale has a trend chart with an accessible name, and a table with the same years beside it.
  const chart = page.getByRole('img', { name: 'High expectations: district mean by school year' });
  assert.ok(await chart.isVisible(), 'a trend chart named for its scale');
  const table = page.getByRole('table', { name: 'High expectations: district mean by school year' });
  for (const year of ['2024–25', '2025–26', '2026–27'])
    assert.ok(await table.getByRole('rowheader', { name: year }).isVisible(), `the table has a row for ${year}`);
  assert.ok(await page.getByText(/This page tests \d+ changes at once/).isVisible(), 'the multiple-comparison control is explained');
  await expectHeadingsInOrder(page);
  await h.expectAtMostScreens(page, 15);
  await h.expectNoAxeViolations(page, 'the comparison page');
  await h.screenshot(page, 'compare-1280');
  await page.emulateMedia({ media: 'print' });
  await h.screenshot(page, 'compare-print');
  await page.pdf({ path: path.join(h.artifactsDir, 'compare-print.pdf'), format: 'Letter' });
  await page.emulateMedia({ media: 'screen' });

  // A scale's groups are one link away, on a page of their own: the link lands on the group's gap trend.
  const highExpectations = page.getByRole('region', { name: 'High expectations (Equity & Excellence Staff Mindset Scale)', exact: true });
  await Promise.all([page.waitForLoadState(), highExpectations.getByRole('link', { name: 'What is your race or ethnicity?' }).click()]);
  assert.match(page.url(), /\?lang=en&scale=equity-excellence\.high-expectations#by-equity-excellence-high-expectations-race$/);
  assert.ok(await page.getByRole('img', { name: /^High expectations: each group's gap to the rest of the district by school year \(What is your race or ethnicity\?\)$/ }).isVisible(), 'a gap-trend chart');
  assert.equal(await page.getByRole('img', { name: 'Equitable resourcing: district mean by school year' }).count(), 0, 'only the scale asked for');
  await expectHeadingsInOrder(page);
  await h.expectAtMostScreens(page, 15);
  await h.expectNoAxeViolations(page, "a scale's groups, years compared");
  await h.screenshot(page, 'compare-scale-1280');
  await Promise.all([page.waitForLoadState(), page.getByRole('link', { name: '← Back to every scale, years compared' }).click()]);
  assert.match(page.url(), new RegExp(`${comparePath}\\?lang=en$`));
  await context.close();
});

/// Headings go down one level at a time.
async function expectHeadingsInOrder(page) {
  const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((hs) => hs.map((x) => Number(x.tagName[1])));
  for (let i = 1; i < levels.length; ++i) assert.ok(levels[i] <= levels[i - 1] + 1, `heading ${i} skips a level: ${levels.slice(0, i + 1)}`);
}


test('on a phone the comparison page does not scroll sideways and stays accessible', async () => {
  const context = await h.newContext(browser, { width: 390, height: 844 });
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  await signIn(page, 'riverside', comparePath);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  await h.expectNoAxeViolations(page, 'the comparison page at 390 px');
  await h.screenshot(page, 'compare-390');
  await page.goto(`${server.url}${comparePath}?lang=es&scale=equity-excellence.equitable-resourcing`);
  const scaleOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(scaleOverflow <= 0, `the scale's page scrolls sideways by ${scaleOverflow} px`);
  await h.expectNoAxeViolations(page, "a scale's groups at 390 px, in Spanish");
  await h.screenshot(page, 'compare-scale-390-es');
  await context.close();
});

test("another district's account cannot see this district's comparison, its JSON or its CSV", async () => {
  const context = await h.newContext(browser, { width: 1280, height: 900 });
  const page = await context.newPage();
  await signIn(page, 'brazos');
  assert.equal(await page.getByRole('link', { name: /Riverside/ }).count(), 0, 'no link to another district');
  for (const url of [comparePath, '/api/districts/riverside-isd/trends', `${comparePath}/trends.csv`]) {
    const response = await page.request.get(`${server.url}${url}`);
    assert.equal(response.status(), 404, url);
  }
  await context.close();
});

test('from the comparison page a leader sets a goal, and its status shows there with the evidence', async () => {
  const context = await h.newContext(browser, { width: 1280, height: 900 });
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  await signIn(page, 'riverside', comparePath);
  const goals = page.getByRole('region', { name: 'Goals', exact: true });
  assert.ok(await goals.getByText('No goals have been set yet.').isVisible());

  await Promise.all([page.waitForLoadState(), goals.getByRole('link', { name: 'All goals with their evidence, year by year' }).click()]);
  await page.getByLabel('Scale', { exact: true }).selectOption({ label: 'High expectations' });
  await page.getByRole('group', { name: 'What to measure' }).getByLabel('The mean, on the response scale').check();
  await page.getByLabel('Target', { exact: true }).fill('4.5');
  await page.getByLabel('Target school year').fill('2028-2029');
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Add the goal' }).click()]);
  await page.getByRole('status').getByText('The goal was added.').waitFor();

  // Back on the comparison page, the goal's latest status is there, written out, with a link to its evidence.
  await page.goto(`${server.url}${comparePath}`);
  const status = goals.getByRole('listitem').filter({ hasText: 'High expectations' });
  assert.equal(await status.count(), 1, 'one goal listed');
  assert.match(await status.textContent(), /^(Met|On track|Off track)\s+High expectations: mean, whole district\s+Target: 4\.50 by 2028-2029 · School year 2026-2027$/);
  await h.expectNoAxeViolations(page, 'the comparison page with a goal');
  await goals.screenshot({ path: path.join(h.artifactsDir, 'compare-goal-1280.png') });

  // Improvement cycles was reworked after the 2024-25 pilot (continuous-improvement@0.9.0 -> 1.0.0,
  // which declares only the other two scales comparable): its line breaks, theirs continue.
  const cycles = page.getByRole('table', { name: 'Improvement cycles: district mean by school year' });
  const dataPractice = page.getByRole('table', { name: 'Data-informed practice: district mean by school year' });
  assert.match(await cycles.getByRole('row').nth(2).textContent(), /Not compared/);
  assert.doesNotMatch(await dataPractice.getByRole('row').nth(2).textContent(), /Not compared/);
  await context.close();
});
