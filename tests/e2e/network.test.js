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
