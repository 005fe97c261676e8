'use strict';
// Issue 12 item 5: a staff member writes a comment on the last page, told first (in Spanish) that
// it is shown word for word; the leader sees nothing of it while the survey is open (interim
// release), and sees it, masked, under the school, once the survey has closed and its final
// release is out; groups below the comment threshold read "hidden". No accessibility violations.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./lib/harness');

const survey = h.loadSurvey();
const id = 'comments-e2e';
const surveyPath = `/surveys/${id}`;
const commentsPath = `/leader/surveys/${id}/comments`;
const password = 'a long enough demo password';
const about = { school: 'riverside-middle', role: 'teacher' };
const comment = 'Más tiempo para planificar juntos, por favor. Escríbame: ana.ruiz@example.org o 512-555-0134.';
const isoDate = (days) => new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);

let browser;
let surveysDir;
let dataDir;
before(async () => {
  surveysDir = h.surveyCopy((s) => {
    s.id = id;
    s.opens = isoDate(-30);
    s.closes = isoDate(30);
  });
  dataDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'mindset-e2e-comments-'));
  h.mindset(['demo', '--survey', id, '--responses', '400', '--data-dir', dataDir, '--surveys', surveysDir]);
  execFileSync(h.mindsetBin, ['users', 'add', 'leader', '--data-dir', dataDir, '--surveys', surveysDir], { input: `${password}\n`, encoding: 'utf8' });
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(surveysDir, { recursive: true, force: true });
});

/// Starts the server on the shared data folder; its stop() keeps the folder for the next phase.
async function startKeepingData() {
  const server = await h.startServer({ surveysDir, dataDir });
  const stop = server.stop;
  server.stop = async () => {
    const keep = process.env.MINDSET_E2E_KEEP;
    process.env.MINDSET_E2E_KEEP = '1';
    try { await stop(); } finally { if (keep === undefined) delete process.env.MINDSET_E2E_KEEP; else process.env.MINDSET_E2E_KEEP = keep; }
  };
  return server;
}

test('a comment is submitted in Spanish, told first, and seen by a leader only in the final release, masked, above the threshold', async () => {
  let server = await startKeepingData();
  try {
    // The respondent: the one-page form in Spanish, the notice before the box.
    const context = await h.newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}${surveyPath}/all?lang=es`);
    const notice = page.getByText('Los líderes del distrito verán los comentarios palabra por palabra.');
    assert.ok(await notice.isVisible(), 'the notice is on the page');
    const box = page.getByLabel(survey.comments[0].label.es, { exact: false });
    const noticeBox = await notice.boundingBox();
    const boxBox = await box.boundingBox();
    assert.ok(noticeBox.y < boxBox.y, 'the notice comes before the box');
    assert.ok(boxBox.width <= 390, 'the box fits a 390 px phone');
    await h.expectNoAxeViolations(page, 'the one-page form with its comment box (es)');
    await h.answerAboutYou(page, survey, 'es', about);
    for (let i = 0; i < survey.instrumentDefinitions.length; ++i) await h.answerItems(page, survey, i, 'es');
    await box.fill(comment);
    await box.scrollIntoViewIfNeeded();
    await h.screenshot(page, 'comments-form-390-es');
    await Promise.all([page.waitForURL(/\/thanks\?lang=es/), page.getByRole('button', { name: 'Enviar mis respuestas', exact: true }).click()]);
    assert.equal(server.query('SELECT COUNT(*) FROM comments'), '1');
    assert.equal(server.query('SELECT group_key FROM comments'), 'riverside-middle');
    assert.match(server.query('SELECT text FROM comments'), /Escríbame: \[email\] o \[phone\]\.$/);
    await context.close();

    // The leader while the survey is open: an interim release shows no comment.
    h.mindset(['release', 'publish', id, '--data-dir', dataDir, '--surveys', surveysDir]);
    const leader = await h.newContext(browser, { width: 390, height: 844 });
    const leaderPage = await leader.newPage();
    await h.signIn(leaderPage, `${server.url}${commentsPath}`, 'leader', password);
    assert.ok(await leaderPage.getByText(/Comments are shown with the final release/).isVisible());
    assert.equal(await leaderPage.getByText('Más tiempo para planificar').count(), 0);
    await leader.close();
  } finally {
    await server.stop();
  }

  // The survey closes: its final release is published when the server starts again.
  const file = path.join(surveysDir, `${id}.json`);
  const closed = JSON.parse(fs.readFileSync(file, 'utf8'));
  closed.closes = isoDate(-1);
  fs.writeFileSync(file, JSON.stringify(closed, null, 2));
  server = await startKeepingData();
  try {
    for (const [language, width, masked, hidden] of [['en', 390, '[email] o [phone]', 'hidden'], ['es', 1280, '[correo] o [teléfono]', 'oculto']]) {
      const leader = await h.newContext(browser, { width, height: 844 });
      const page = await leader.newPage();
      await h.signIn(page, `${server.url}${commentsPath}`, 'leader', password);  // the sign-in form in English
      await page.goto(`${server.url}${commentsPath}?lang=${language}`);
      assert.ok(await page.getByText(/\(final\)/).first().isVisible(), 'the final release is named');
      const shown = page.locator('blockquote.comment', { hasText: 'Más tiempo para planificar juntos' });
      assert.equal(await shown.count(), 1, `the comment is shown once (${language})`);
      assert.ok((await shown.textContent()).includes(`Escríbame: ${masked}.`), `masked (${language})`);
      // Under its school, and "No answer" (nobody) hidden.
      const school = page.locator('section.comment-group', { has: page.getByRole('heading', { name: 'Riverside Middle School', exact: true }) });
      assert.equal(await school.locator('blockquote.comment', { hasText: 'Más tiempo' }).count(), 1);
      const noAnswer = page.locator('section.comment-group').last();
      assert.equal((await noAnswer.locator('.hidden-group').textContent()).trim(), hidden);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= width, `no sideways scrolling at ${width} px (${scrollWidth})`);
      await h.expectNoAxeViolations(page, `the comments page (${language}, ${width} px)`);
      await h.screenshot(page, `comments-leader-${width}-${language}`);
      await leader.close();
    }
  } finally {
    await server.stop();
  }
});
