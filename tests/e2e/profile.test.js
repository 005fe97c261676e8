'use strict';
// An equity leader signs in and reads the demo district's profile (its interim release): the page
// works with a screen reader's view of it (axe-core), says which release it shows, shows small groups
// as hidden, prints; publishing again with nothing new is refused with the reason; another
// district's account cannot see it.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./lib/harness');

const survey = h.loadSurvey();
const profilePath = `/leader/surveys/${survey.id}`;
const password = 'a long enough demo password';

let browser;
let server;
before(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mindset-e2e-profile-'));
  h.mindset(['demo', '--survey', survey.id, '--responses', '400', '--data-dir', dataDir]);
  h.mindset(['release', 'publish', survey.id, '--data-dir', dataDir]);  // leaders read releases only
  for (const [user, district] of [['leader', null], ['neighbour', 'brazos-valley-isd']]) {
    const args = ['users', 'add', user, '--data-dir', dataDir, ...(district ? ['--district', district] : [])];
    execFileSync(h.mindsetBin, args, { input: `${password}\n`, encoding: 'utf8' });
  }
  server = await h.startServer({ dataDir });
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page, user) {
  await h.signIn(page, `${server.url}${profilePath}`, user, password);
}

test('a leader signs in, reads the profile without accessibility violations, and prints it', async () => {
  const context = await h.newContext(browser, { width: 1280, height: 900 });
  // Full-page screenshots of the results take longer than the 5 s the other pages get, most of all
  // while the other core is busy.
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  await signIn(page, 'leader');
  assert.match(page.url(), new RegExp(`${profilePath}$`), 'signing in returns to the page that was asked for');
  assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), survey.title.en);
  await page.getByRole('heading', { name: 'Where staff stand' }).waitFor();
  // The page says which release it shows.
  assert.ok(await page.getByText(/^Release 1 \(interim\), published \d{4}-\d{2}-\d{2}, 400 responses$/).first().isVisible());
  assert.ok(await page.getByRole('img', { name: /Equity & Excellence/ }).first().isVisible(), 'overview chart with an accessible name');
  await h.expectAtMostScreens(page, 15);
  await h.expectNoAxeViolations(page, 'the district profile');
  await h.screenshot(page, 'profile-1280');
  await page.emulateMedia({ media: 'print' });
  await h.screenshot(page, 'profile-print');
  await page.emulateMedia({ media: 'screen' });

  // One kind of group, every scale: 400 demo responses leave some groups below the open link's
  // threshold of 10, hidden, never shown.
  const details = page.getByRole('navigation', { name: 'In detail' });
  await Promise.all([page.waitForLoadState(), details.getByRole('link', { name: 'By: What is your race or ethnicity?' }).click()]);
  assert.equal((await page.getByRole('heading', { level: 2 }).first().textContent()).trim(), 'By: What is your race or ethnicity?');
  assert.ok(await page.getByText('Hidden to protect groups of fewer than 10 people.').first().isVisible());
  await h.expectAtMostScreens(page, 15);
  await h.expectNoAxeViolations(page, 'a breakdown of every scale');
  await h.screenshot(page, 'profile-breakdown-1280');

  // One scale: each statement's answers, and the scale's groups with their charts.
  await Promise.all([page.waitForLoadState(), page.getByRole('link', { name: 'High expectations', exact: true }).click()]);
  assert.match(page.url(), /&scale=equity-excellence\.high-expectations#by-race$/);
  assert.ok(await page.getByRole('img', { name: 'High expectations: Answers to each statement' }).isVisible(), "the statements' chart");
  assert.ok(await page.getByRole('img', { name: 'High expectations: What is your race or ethnicity?' }).isVisible(), "the groups' chart");
  await h.expectAtMostScreens(page, 15);
  await h.expectNoAxeViolations(page, 'one scale of the profile');
  await h.screenshot(page, 'profile-scale-1280');
  await context.close();
});

test('on a phone each part of the profile stays accessible, in Spanish too, without sideways scrolling', async () => {
  const context = await h.newContext(browser, { width: 390, height: 844 });
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  await signIn(page, 'leader');
  for (const part of ['?lang=es', '?lang=es&scale=equity-excellence.equitable-resourcing', '?lang=es&by=role']) {
    await page.goto(`${server.url}${profilePath}${part}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${part} scrolls sideways by ${overflow} px`);
    await h.expectNoAxeViolations(page, `the profile ${part} at 390 px`);
  }
  await h.screenshot(page, 'profile-breakdown-390-es');
  await context.close();
});


test('publishing again with nothing new is refused with the reason, and the release stays as it was', async () => {
  const context = await h.newContext(browser, { width: 390, height: 844 });
  const page = await context.newPage();
  await signIn(page, 'leader');
  await page.getByRole('button', { name: 'Publish an interim release now' }).click();
  assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'No release was published');
  assert.ok(await page.getByText(/^No response has arrived in survey 'riverside-2026' since release 1 \(interim, published [-0-9]+\): a new release would show nothing new\.$/).isVisible());
  await h.expectNoAxeViolations(page, 'the refused release');
  await h.screenshot(page, 'release-refused-390');
  await page.getByRole('link', { name: 'Back to the results' }).click();
  assert.match(page.url(), new RegExp(`${profilePath}\\?lang=en$`));
  assert.equal(server.query('SELECT COUNT(*) FROM releases'), '1');
  await context.close();
});

test('an account of another district cannot see this district', async () => {
  const context = await h.newContext(browser, { width: 1280, height: 900 });
  const page = await context.newPage();
  await signIn(page, 'neighbour');
  const response = await page.goto(`${server.url}${profilePath}`);
  assert.equal(response.status(), 404);
  const api = await page.goto(`${server.url}/api/surveys/${survey.id}/profile`);
  assert.equal(api.status(), 404);
  await context.close();
});
