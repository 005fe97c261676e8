'use strict';
// The signed-in frame and the network view, as a district leader and network staff see them.
// - The shared results navigation wraps instead of scrolling sideways: on a 390x844 phone every
//   item is on screen and reachable, in English and Spanish; at 1280 px too.
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
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mindset-e2e-network-'));
  // The demo network as `bash .ci/serve` seeds it: Riverside's three years (2026-27 open, with an
  // interim release) and five peer districts.
  h.mindset(['demo', '--plan', path.join(sourceDir, 'surveys', 'demo', 'plan.json'), '--data-dir', dataDir]);
  for (const [user, district] of [['riverside', 'riverside-isd'], ['network', null]])
    execFileSync(h.mindsetBin, ['users', 'add', user, ...(district ? ['--district', district] : []), '--data-dir', dataDir],
      { input: `${password}\n`, encoding: 'utf8' });
  server = await h.startServer({ dataDir });
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function viewportShot(page, name) {
  fs.mkdirSync(h.artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(h.artifactsDir, `${name}.png`) });
}

/// Every visible link of the results navigation with where it sits, and whether any list scrolls sideways.
async function navigationLinks(page) {
  return page.locator('nav.results-nav').evaluate((nav) => {
    const lists = [...nav.querySelectorAll('ul')].filter((ul) => ul.checkVisibility());
    return {
      scrollsSideways: nav.scrollWidth > nav.clientWidth + 1 || lists.some((ul) => ul.scrollWidth > ul.clientWidth + 1),
      links: [...nav.querySelectorAll('a')].filter((a) => a.checkVisibility()).map((a) => {
        const box = a.getBoundingClientRect();
        return { name: a.textContent.replace(/\s+/g, ' ').trim(), left: box.left, right: box.right, top: box.top, bottom: box.bottom, height: box.height };
      }),
    };
  });
}

for (const [width, height] of [[390, 844], [1280, 800]]) {
  for (const language of ['en', 'es']) {
    test(`at ${width}x${height} in ${language} every item of the results navigation is on screen`, async () => {
      const context = await h.newContext(browser, { width, height });
      context.setDefaultTimeout(15000);
      const page = await context.newPage();
      await h.signIn(page, `${server.url}/leader/districts/riverside-isd/summary`, 'riverside', password);
      await page.goto(`${server.url}/leader/districts/riverside-isd/summary?lang=${language}`);
      const nav = page.locator('nav.results-nav');
      if (width < 600) {
        // On a phone the pages fold into one row that names the page being read; a tap opens it.
        const menu = nav.locator('details summary');
        assert.match(await menu.textContent(), language === 'es' ? /^Páginas de resultados: Resumen$/ : /^Results pages: Summary$/);
        const box = await menu.boundingBox();
        assert.ok(box.y + box.height <= 140 && box.height >= 44, `the menu sits at ${box.y} px, ${box.height} px high`);
        assert.equal((await navigationLinks(page)).links.length, 0, 'closed, the menu shows no link');
        await viewportShot(page, `navigation-${width}-${language}-closed`);
        await menu.click();
      }
      const { scrollsSideways, links } = await navigationLinks(page);
      assert.equal(scrollsSideways, false, 'the navigation scrolls sideways');
      // Summary, years compared, three profiles, participation, goals, peers.
      assert.equal(links.length, 8, `eight links: ${links.map((l) => l.name).join(', ')}`);
      for (const link of links) {
        assert.ok(link.left >= 0 && link.right <= width, `${link.name} lies from ${link.left} to ${link.right} px, outside the ${width} px screen`);
        assert.ok(link.bottom <= height / 2, `${link.name} ends ${link.bottom} px down, past the top half of the first screen`);
        assert.ok(link.height >= 44, `${link.name} is ${link.height} px high, less than a 44 px target`);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
      await viewportShot(page, `navigation-${width}-${language}`);
      await h.expectNoAxeViolations(page, `the summary with its navigation${width < 600 ? ' opened' : ''} at ${width} px in ${language}`);
      // The last item is reachable by keyboard too: it leads to its page.
      const last = nav.locator('a:visible').last();
      await last.focus();
      await Promise.all([page.waitForURL(/\/leader\/districts\/riverside-isd\/peers\?lang=/), page.keyboard.press('Enter')]);
      await context.close();
    });
  }
}

// - The network view: network staff see every district's latest release on one screen at 1280x800,
//   sort it by a column with a plain link, and open a district's summary from its name.
// The demo's REO readiness series (Riverside's central office, another instrument) has a table of
// its own below the staff survey's, so the first table stays within 1280 px.
test('at 1280x800 network staff see every district at a glance, sort by a scale, and open a summary', async () => {
  const context = await h.newContext(browser, { width: 1280, height: 800 });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await h.signIn(page, `${server.url}/leader`, 'network', password);
  await Promise.all([page.waitForLoadState(), page.getByRole('link', { name: /Network view/ }).click()]);
  assert.match(page.url(), /\/network\?lang=en$/);
  assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Network of districts at a glance');

  const tables = page.locator('table.network-glance');
  assert.equal(await tables.count(), 2, "the staff survey's districts, then Riverside's central office (its REO readiness series)");
  const table = tables.first();
  const rows = table.locator('tbody tr');
  assert.equal(await rows.count(), 6, 'six districts share the staff survey');
  assert.match(await tables.nth(1).locator('tbody').textContent(), /Riverside ISD Central Office/);
  await h.screenshot(page, 'network-1280');
  await viewportShot(page, 'network-1280-first-screen');
  // Every district's name and every scale's figure and change on the first screen; no sideways scrolling.
  const lowest = await rows.evaluateAll((trs) => trs.map((tr) => ({
    name: tr.querySelector('th').textContent.trim(),
    bottom: Math.max(...[...tr.querySelectorAll('th a, td.heat .figure, td.heat .change')].map((el) => el.getBoundingClientRect().bottom)),
  })));
  for (const row of lowest) assert.ok(row.bottom <= 800, `${row.name}: its name or figures end at ${row.bottom} px, below the first screen`);
  const region = page.getByRole('region', { name: /^Latest release \(2026–27 unless named\) of Equity/ });
  const sideways = await region.evaluate((el) => el.scrollWidth - el.clientWidth);
  assert.ok(sideways <= 0, `the table scrolls sideways by ${sideways} px at 1280 px`);
  const riverside = table.locator('tbody tr', { hasText: 'Riverside Independent School District' });
  assert.match(await riverside.textContent(), /open until 2027-06-30/);
  assert.match(await riverside.textContent(), /Release 1 \(interim\)/);
  assert.match(await riverside.textContent(), /clearly up since 2025–26/);
  // Colour is never the only signal: a clearly-up cell carries ▲ and its words.
  const up = riverside.locator('td.heat-clear-above').first();
  assert.match(await up.textContent(), /▲ \+\d\.\d\d, clearly up since 2025–26/);
  await h.expectNoAxeViolations(page, 'the network view at 1280 px');

  // Sort by a scale: a plain link; the column says it is sorted.
  await Promise.all([page.waitForURL(/sort=equity-excellence\.high-expectations&order=desc/),
    table.getByRole('link', { name: 'High expectations' }).click()]);
  assert.equal(await table.locator('th[aria-sort]').getAttribute('aria-sort'), 'descending');
  const means = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[2].querySelector('.figure').textContent)));
  assert.deepEqual(means, [...means].sort((a, b) => b - a), `highest first: ${means.join(', ')}`);

  // A district's name opens its own summary.
  await Promise.all([page.waitForURL(/\/leader\/districts\/brazos-valley-isd\/summary\?lang=en$/),
    table.getByRole('link', { name: 'Brazos Valley Independent School District' }).click()]);
  assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Brazos Valley Independent School District: summary');
  await context.close();
});

test('the network view reads on a 390 px phone and in Spanish', async () => {
  const context = await h.newContext(browser, { width: 390, height: 844 });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  await h.signIn(page, `${server.url}/network`, 'network', password);
  await page.goto(`${server.url}/network?lang=es`);
  assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'La red de distritos de un vistazo');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  // The wide table scrolls in its own region, which takes the keyboard focus.
  const region = page.getByRole('region', { name: /^Última publicación/ }).first();
  await region.focus();
  assert.equal(await region.evaluate((el) => el === document.activeElement), true);
  const text = await page.locator('table.network-glance').first().textContent();
  assert.match(text, /sube claramente desde 2025–26/);
  assert.doesNotMatch(text, /\d\.\d\d/, 'a Spanish figure with a decimal point');
  await h.expectNoAxeViolations(page, 'the network view in Spanish at 390 px');
  await h.screenshot(page, 'network-390-es');
  await viewportShot(page, 'network-390-es-first-screen');
  await page.goto(`${server.url}/network?lang=es&sort=rate`);
  await h.screenshot(page, 'network-390-es-by-rate');
  await context.close();
});
