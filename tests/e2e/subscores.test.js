'use strict';
// Racial Equity Office readiness 1.1.0 in its demo survey (issue 10, item 3): a leader reads each
// phase as a sub-score of the implementation scale, marked as one, on a phone and a laptop, in
// English and Spanish, without accessibility violations; a sub-score's page lists its statements.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./lib/harness');

const surveyId = 'riverside-reo-2026';
const profilePath = `/leader/surveys/${surveyId}`;
const password = 'a long enough demo password';

let browser;
let server;
before(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mindset-e2e-subscores-'));
  h.mindset(['demo', '--survey', surveyId, '--responses', '150', '--data-dir', dataDir]);
  h.mindset(['release', 'publish', surveyId, '--data-dir', dataDir]);
  execFileSync(h.mindsetBin, ['users', 'add', 'network', '--data-dir', dataDir], { input: `${password}\n`, encoding: 'utf8' });
  server = await h.startServer({ dataDir });
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const [width, height, language, phase, note] of [
  [390, 844, 'en', 'Phase: Naming the goals', /sub-score by Phase/],
  [1280, 900, 'es', 'Fase: Definición de las metas', /subpuntuación por Fase/],
]) {
  test(`the phases are sub-scores of the implementation scale (${language}, ${width} px)`, async () => {
    const context = await h.newContext(browser, { width, height });
    context.setDefaultTimeout(30000);
    const page = await context.newPage();
    await h.signIn(page, `${server.url}${profilePath}`, 'network', password);
    await page.goto(`${server.url}${profilePath}?lang=${language}`);
    const row = page.getByRole('row', { name: new RegExp(phase) });
    await row.waitFor();
    assert.match(await row.textContent(), note, 'the row says it is a sub-score');
    await h.expectNoAxeViolations(page, `the REO profile (${language}, ${width} px)`);
    await h.screenshot(page, `subscores-profile-${language}-${width}`);

    await row.getByRole('link', { name: phase }).click();
    await page.getByRole('heading', { level: 2, name: new RegExp(phase) }).waitFor();
    const statement = language === 'en' ? 'The district has named specific, measurable goals for racial equity.'
                                        : 'El distrito ha definido metas específicas y medibles de equidad racial.';
    assert.ok(await page.getByRole('rowheader', { name: statement }).isVisible(), 'the sub-score page lists its statements');
    await h.expectNoAxeViolations(page, `the sub-score page (${language}, ${width} px)`);
    await h.screenshot(page, `subscores-phase-${language}-${width}`);
    await context.close();
  });
}
