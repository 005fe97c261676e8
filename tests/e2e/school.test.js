'use strict';
// A principal signs in with a school-scoped account: /leader lists their school's reports, the
// report reads on a 390x844 phone without sideways scrolling, has no accessibility violations at
// 1280 and 390 px in English and Spanish, and the district's summary is a "page not found".
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./lib/harness');

const password = 'a long enough demo password';
const sourceDir = process.env.MINDSET_SOURCE_DIR || path.resolve(__dirname, '..', '..');

let browser;
let server;
before(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mindset-e2e-school-'));
  h.mindset(['demo', '--plan', path.join(sourceDir, 'surveys', 'demo', 'plan.json'), '--data-dir', dataDir]);
  execFileSync(h.mindsetBin, ['users', 'add', 'principal', '--district', 'riverside-isd', '--school', 'lakeview-elementary', '--data-dir', dataDir],
    { input: `${password}\n`, encoding: 'utf8' });
  server = await h.startServer({ dataDir });
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const { width, height } of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
  test(`a principal reads their school's report at ${width} px, in English and Spanish, with no axe violations`, async () => {
    const context = await h.newContext(browser, { width, height });
    context.setDefaultTimeout(15000);
    const page = await context.newPage();
    await h.signIn(page, `${server.url}/leader`, 'principal', password);
    assert.equal((await page.getByRole('heading', { level: 2 }).first().textContent()).trim(), 'Lakeview Elementary School');
    await h.expectNoAxeViolations(page, `the principal's home at ${width} px`);
    await h.screenshot(page, `school-home-${width}`);

    await Promise.all([page.waitForLoadState(), page.getByRole('link', { name: 'Report for 2025–26' }).click()]);
    assert.match(page.url(), /\/leader\/surveys\/riverside-2025\/schools\/lakeview-elementary\?lang=en$/);
    assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Lakeview Elementary School, 2025–26');
    assert.ok(await page.getByRole('heading', { name: 'What this page does not show, and why' }).isVisible());
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px at ${width} px`);
    await h.expectNoAxeViolations(page, `the school report at ${width} px`);
    await h.screenshot(page, `school-report-${width}`);
    await page.screenshot({ path: path.join(h.artifactsDir, `school-report-${width}-first-screen.png`) });
    await page.locator('#years-title').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(h.artifactsDir, `school-report-${width}-years.png`) });

    await Promise.all([page.waitForLoadState(), page.getByRole('link', { name: 'Español' }).click()]);
    assert.match(page.url(), /lang=es/);
    assert.match(await page.locator('main').textContent(), /Todo el distrito/);
    await h.expectNoAxeViolations(page, `the school report in Spanish at ${width} px`);
    await h.screenshot(page, `school-report-es-${width}`);

    const summary = await page.goto(`${server.url}/leader/districts/riverside-isd/summary`);
    assert.equal(summary.status(), 404);
    await context.close();
  });
}
