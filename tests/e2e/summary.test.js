'use strict';
// An equity leader preparing a school-board meeting lands on the district summary from the home
// page: on a 1280x800 laptop its first screen holds every scale's figure, change verdict and place
// among peers, under a preliminary notice for the open survey; on a 390x844 phone the same within
// two screens. The page has no accessibility violations, and its tables scroll by keyboard.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./lib/harness');

const summaryPath = '/leader/districts/riverside-isd/summary';
const password = 'a long enough demo password';
const sourceDir = process.env.MINDSET_SOURCE_DIR || path.resolve(__dirname, '..', '..');

let browser;
let server;
before(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mindset-e2e-summary-'));
  // The demo network as `bash .ci/serve` seeds it: Riverside's three years (2026-27 open, with an
  // interim release) and five peer districts.
  h.mindset(['demo', '--plan', path.join(sourceDir, 'surveys', 'demo', 'plan.json'), '--data-dir', dataDir]);
  execFileSync(h.mindsetBin, ['users', 'add', 'riverside', '--district', 'riverside-isd', '--data-dir', dataDir],
    { input: `${password}\n`, encoding: 'utf8' });
  server = await h.startServer({ dataDir });
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/// Every scale row of the summary table: its name, its text, and where it sits on the page.
async function scaleRows(page) {
  return page.locator('.summary-table tbody tr:not(.instrument-row)').evaluateAll((rows) => rows.map((row) => {
    const box = row.getBoundingClientRect();
    return { name: row.querySelector('th').textContent.trim(), text: row.textContent.replace(/\s+/g, ' ').trim(), top: box.top + window.scrollY, bottom: box.bottom + window.scrollY };
  }));
}

async function viewportShot(page, name) {
  fs.mkdirSync(h.artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(h.artifactsDir, `${name}.png`) });
}

test('at 1280x800 the summary\'s first screen holds every scale\'s figure, verdict and peer position', async () => {
  const context = await h.newContext(browser, { width: 1280, height: 800 });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await h.signIn(page, `${server.url}/leader`, 'riverside', password);
  await Promise.all([page.waitForLoadState(), page.getByRole('link', { name: /Riverside Independent School District: summary of the latest results/ }).click()]);
  assert.match(page.url(), new RegExp(`${summaryPath}\\?lang=en$`));
  assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Riverside Independent School District: summary');
  await viewportShot(page, 'summary-1280-first-screen');

  // The open survey's status comes first, above the figures.
  const notice = page.locator('.preliminary');
  assert.match(await notice.textContent(), /^Preliminary\. The 2026–27 survey is still open until 2027-06-30/);
  assert.ok((await notice.boundingBox()).y + (await notice.boundingBox()).height <= 800, 'the preliminary notice is on the first screen');

  const rows = await scaleRows(page);
  assert.equal(rows.length, 9, 'nine scales');
  for (const row of rows) {
    assert.ok(row.bottom <= 800, `${row.name} ends at ${row.bottom} px, below the first screen`);
    assert.match(row.text, /\d\.\d\d · \d+% favorable/, `${row.name}: its figure`);
    assert.match(row.text, /clearly up|clearly down|no clear change|Not comparable with/, `${row.name}: its verdict in words`);
    assert.match(row.text, /(Top quarter|Upper middle|Lower middle|Bottom quarter) of 6 districts/, `${row.name}: its place among peers`);
  }
  // The demo's story: data-informed practice rises clearly, and White staff's gap on equitable resourcing is named.
  assert.match(rows.find((r) => r.name === 'Data-informed practice').text, /clearly up/);
  const gaps = page.getByRole('region', { name: /Largest gaps between racial\/ethnic groups/ });
  assert.match(await gaps.textContent(), /White: \d\.\d\d points below the rest of the district on Equitable resourcing/);

  // Shared navigation, with this page marked.
  const nav = page.getByRole('navigation', { name: 'Results pages of Riverside Independent School District' });
  assert.equal(await nav.getByRole('link', { name: 'Summary' }).getAttribute('aria-current'), 'page');
  assert.equal(await page.getByRole('link', { name: 'Mindset' }).getAttribute('href'), '/leader?lang=en');

  // The heatmap scrolls by keyboard: its region takes the focus.
  const heat = page.getByRole('region', { name: /Each group's average minus the rest of the district's/ });
  await heat.focus();
  assert.equal(await heat.evaluate((el) => el === document.activeElement), true);
  await h.expectNoAxeViolations(page, 'the district summary at 1280 px');
  await h.screenshot(page, 'summary-1280');

  // The board report: a link under the first table downloads the summary as a PDF.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Board report (PDF, US Letter)' }).click()]);
  assert.equal(download.suggestedFilename(), 'riverside-isd-board-report-letter.pdf');
  const pdfFile = path.join(h.artifactsDir, 'summary-board-report-letter.pdf');
  await download.saveAs(pdfFile);
  const pdf = fs.readFileSync(pdfFile);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.length > 20000, `the board report has ${pdf.length} bytes`);
  // Printed, headings keep with what follows them.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('h2').first().evaluate((el) => getComputedStyle(el).breakAfter), 'avoid-page');
  await page.pdf({ path: path.join(h.artifactsDir, 'summary-print.pdf'), format: 'Letter' });
  await context.close();
});

test('at 390x844 the summary shows every scale within two screens, without sideways scrolling', async () => {
  const context = await h.newContext(browser, { width: 390, height: 844 });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await h.signIn(page, `${server.url}${summaryPath}`, 'riverside', password);
  await viewportShot(page, 'summary-390-first-screen');
  await h.screenshot(page, 'summary-390');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  const notice = await page.locator('.preliminary').boundingBox();
  assert.ok(notice.y + notice.height <= 844, 'the preliminary notice is on the first screen');
  const rows = await scaleRows(page);
  assert.equal(rows.length, 9);
  for (const row of rows) {
    assert.ok(row.bottom <= 2 * 844, `${row.name} ends at ${row.bottom} px, past the second screen`);
    assert.match(row.text, /clearly up|clearly down|no clear change|Not comparable with/, `${row.name}: its verdict`);
  }
  await h.expectNoAxeViolations(page, 'the district summary at 390 px');
  await page.goto(`${server.url}${summaryPath}?lang=es`);
  assert.match(await page.locator('.preliminary').textContent(), /^Preliminar\./);
  await h.expectNoAxeViolations(page, 'the district summary in Spanish at 390 px');
  await h.screenshot(page, 'summary-390-es');
  await context.close();
});
