'use strict';
// Issue 12, as a staff member on a 390x844 phone and a 1280x800 laptop, in English and Spanish:
// the way in (Start, or Continue) is on the first screen without scrolling; switching language
// in the middle of a page keeps what was answered on it; Start with saved answers asks first and
// Continue lands on the page left; a review before the final submit lists what was skipped.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./lib/harness');

const survey = h.loadSurvey();
const surveyPath = `/surveys/${survey.id}`;
const codesSurveyPath = '/surveys/riverside-codes-2026';
const about = { school: 'maple-elementary', role: 'teacher', years: '6-10', race: ['asian', 'hispanic'] };
const viewports = [{ width: 390, height: 844 }, { width: 1280, height: 800 }];
const t = h.messages;

let browser;
let server;
let surveysDir;
before(async () => {
  // The demo survey and a copy of it that asks for an access code (a taller first screen).
  surveysDir = h.surveyCopy((s) => {
    s.id = 'riverside-codes-2026';
    s.access = 'codes';
  });
  fs.copyFileSync(path.join(h.sourceDir, 'surveys', `${survey.id}.json`), path.join(surveysDir, `${survey.id}.json`));
  server = await h.startServer({ surveysDir });
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (surveysDir) fs.rmSync(surveysDir, { recursive: true, force: true });
});

const pageUrl = (n, language = '') => new RegExp(`${surveyPath}/pages/${n}\\?lang=${language}`);

async function press(page, name, url) {
  await Promise.all([page.waitForURL(url), page.getByRole('button', { name, exact: true }).click()]);
}

/// Fails unless the whole of `locator` is inside the window as first shown (no scrolling).
async function assertOnFirstScreen(page, locator, what) {
  const scrollY = await page.evaluate(() => window.scrollY);
  assert.equal(scrollY, 0, 'the page is shown from its top');
  const box = await locator.boundingBox();
  assert.ok(box, `${what} is shown`);
  const { width, height } = page.viewportSize();
  assert.ok(box.y >= 0 && box.x >= 0 && box.y + box.height <= height && box.x + box.width <= width,
    `${what} is on the first screen of ${width}x${height}: its box is x ${box.x.toFixed(0)}, y ${box.y.toFixed(0)}, ` +
    `${box.width.toFixed(0)}x${box.height.toFixed(0)}`);
  return box;
}

/// A window-sized PNG of what is seen first (the harness's screenshots are full pages).
async function firstScreen(page, name) {
  fs.mkdirSync(h.artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(h.artifactsDir, `${name}.png`) });
}

/// The radios checked on the page, as "field=value".
function checkedAnswers(page) {
  return page.locator('form#answers input:checked').evaluateAll((inputs) => inputs.map((i) => `${i.name}=${i.value}`).sort());
}

test('Start, and Continue once answers are saved, are on the first screen at 390x844 and 1280x800 in both languages', async () => {
  const boxes = [];
  for (const viewport of viewports)
    for (const language of ['en', 'es']) {
      const context = await h.newContext(browser, viewport);
      const page = await context.newPage();
      const where = `${viewport.width}x${viewport.height} ${language}`;

      await page.goto(`${server.url}${surveyPath}?lang=${language}`);
      const start = page.getByRole('button', { name: t[language].start, exact: true });
      boxes.push(`${where}: Start at y ${(await assertOnFirstScreen(page, start, `Start (${where})`)).y.toFixed(0)}`);
      const estimate = page.locator('p.time-needed');
      await assertOnFirstScreen(page, estimate, `the time estimate (${where})`);
      assert.match(await estimate.textContent(), language === 'en' ? /43 statements and 4 questions about you/ : /43 afirmaciones y 4 preguntas sobre usted/);
      await firstScreen(page, `first-screen-${viewport.width}-${language}`);

      // With answers saved, Continue is the way in, and Start stays on the screen too.
      await press(page, t[language].start, pageUrl(1));
      await page.goto(`${server.url}${surveyPath}?lang=${language}`);
      await assertOnFirstScreen(page, page.getByRole('link', { name: t[language].continueDraft, exact: true }), `Continue (${where})`);
      await assertOnFirstScreen(page, start, `Start beside Continue (${where})`);
      await firstScreen(page, `first-screen-draft-${viewport.width}-${language}`);
      await h.expectNoAxeViolations(page, `the landing page with a draft (${where})`);

      // With an access code to type: the field and Start.
      await page.goto(`${server.url}${codesSurveyPath}?lang=${language}`);
      await assertOnFirstScreen(page, page.getByLabel(t[language].codeLabel), `the access-code field (${where})`);
      await assertOnFirstScreen(page, start, `Start under the access-code field (${where})`);
      await firstScreen(page, `first-screen-codes-${viewport.width}-${language}`);
      await context.close();
    }
  console.log(boxes.join('\n'));
});

test('switching language in the middle of a page keeps the answers on it, on a phone and a laptop', async () => {
  for (const viewport of viewports) {
    const context = await h.newContext(browser, viewport);
    const page = await context.newPage();
    await page.goto(`${server.url}${surveyPath}?lang=en`);
    await press(page, 'Start the survey', pageUrl(1));
    await h.answerAboutYou(page, survey, 'en', about);
    await press(page, 'Next', pageUrl(2));
    await h.answerItems(page, survey, 0, 'en', 0, 4);
    const before = await checkedAnswers(page);
    assert.equal(before.length, 4);

    // Español in the header, with four statements answered and nothing saved yet.
    await Promise.all([
      page.waitForURL(pageUrl(2, 'es')),
      page.getByRole('navigation', { name: 'Language' }).getByRole('button', { name: 'Español', exact: true }).click(),
    ]);
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    assert.deepEqual(await checkedAnswers(page), before, `the four answers survive the switch to Spanish (${viewport.width} px)`);
    const definition = survey.instrumentDefinitions[0];
    for (const [index, item] of definition.items.slice(0, 4).entries())
      assert.ok(await h.itemGroup(page, item.text.es).getByLabel(h.optionLabel(definition, h.plannedCode(0, index), 'es'), { exact: true }).isChecked());
    await h.expectNoAxeViolations(page, `a form page in Spanish after switching (${viewport.width} px)`);
    await h.screenshot(page, `language-switch-es-${viewport.width}`);
    await firstScreen(page, `language-switch-es-${viewport.width}-top`);

    // One more answer in Spanish, then back to English: five.
    await h.answerItems(page, survey, 0, 'es', 4, 5);
    await Promise.all([
      page.waitForURL(pageUrl(2, 'en')),
      page.getByRole('navigation', { name: 'Idioma' }).getByRole('button', { name: 'English', exact: true }).click(),
    ]);
    assert.equal((await checkedAnswers(page)).length, 5);
    // The page before keeps its answers too.
    await press(page, 'Back', pageUrl(1, 'en'));
    for (const [questionId, chosen] of Object.entries(about))
      for (const choiceId of [].concat(chosen))
        assert.ok(await h.questionGroup(page, survey, questionId, 'en').getByLabel(h.choiceLabel(survey, questionId, choiceId, 'en'), { exact: true }).isChecked());
    await context.close();
  }

  // The language buttons come first in the page, yet Enter in a field still means the form's own
  // button: here Submit of the one-page form, which checks the answers (in English).
  const context = await h.newContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}${codesSurveyPath}/all?lang=en`);
  const code = page.getByLabel('Your access code');
  await code.fill('AAAA-BBBB-CCCC');
  await Promise.all([page.waitForURL(new RegExp(`${codesSurveyPath}/responses$`)), code.press('Enter')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.getByRole('heading', { name: 'Please check your answers' }).count(), 1);
  await context.close();
  assert.equal(server.responseCount(), 0);
});

test('Start with saved answers asks first, and Continue lands on the page left', async () => {
  const context = await h.newContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}${surveyPath}?lang=es`);
  await press(page, 'Comenzar la encuesta', pageUrl(1));
  await h.answerAboutYou(page, survey, 'es', about);
  await press(page, 'Siguiente', pageUrl(2));
  await h.answerItems(page, survey, 0, 'es', 0, 3);
  await press(page, 'Siguiente', pageUrl(3));

  await page.goto(`${server.url}${surveyPath}?lang=es`);
  await press(page, 'Comenzar la encuesta', new RegExp(`${surveyPath}/start$`));
  assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), t.es.startOverTitle);
  await h.expectNoAxeViolations(page, 'the start-over question');
  await h.screenshot(page, 'start-over-390-es');
  // Its language link leads to the landing page in English (the question is a POST's answer).
  const english = page.getByRole('navigation', { name: 'Idioma' }).getByRole('link', { name: 'English' });
  assert.equal(new URL(await english.getAttribute('href'), page.url()).pathname, surveyPath);
  await Promise.all([page.waitForURL(pageUrl(3, 'es')), page.getByRole('link', { name: t.es.keepDraft }).click()]);
  await press(page, 'Atrás', pageUrl(2, 'es'));
  assert.equal((await checkedAnswers(page)).length, 3, 'keeping them kept them');

  await page.goto(`${server.url}${surveyPath}?lang=es`);
  await Promise.all([page.waitForURL(pageUrl(2, 'es')), page.getByRole('link', { name: t.es.continueDraft }).click()]);

  await page.goto(`${server.url}${surveyPath}?lang=es`);
  await press(page, 'Comenzar la encuesta', new RegExp(`${surveyPath}/start$`));
  await press(page, t.es.startOverConfirm, pageUrl(1, 'es'));
  assert.equal((await checkedAnswers(page)).length, 0, 'starting again started from nothing');
  await context.close();
});

test('Submit with skipped statements shows a review that links to each; submitting from it stores the response', async () => {
  const context = await h.newContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}${surveyPath}?lang=en`);
  await press(page, 'Start the survey', pageUrl(1));
  await h.answerAboutYou(page, survey, 'en', about);
  await press(page, 'Next', pageUrl(2));
  const total = survey.instrumentDefinitions.length + 1;
  for (let number = 2; number <= total; ++number) {
    const items = survey.instrumentDefinitions[number - 2].items.length;
    // The second statement of the second page and the last one of the last page are skipped.
    if (number === 3) {
      await h.answerItems(page, survey, 1, 'en', 0, 1);
      await h.answerItems(page, survey, 1, 'en', 2);
    } else if (number === total) {
      await h.answerItems(page, survey, number - 2, 'en', 0, items - 1);
    } else {
      await h.answerItems(page, survey, number - 2, 'en');
    }
    if (number < total) await press(page, 'Next', pageUrl(number + 1));
  }
  await press(page, 'Submit my answers', new RegExp(`${surveyPath}/review\\?lang=en$`));
  assert.equal(server.responseCount(), 0, 'nothing is stored before the review is submitted');
  const skipped = [survey.instrumentDefinitions[1].items[1].text.en, survey.instrumentDefinitions[total - 2].items.at(-1).text.en];
  const links = page.getByRole('main').locator('ul.unanswered a');
  assert.deepEqual((await links.allTextContents()).map((text) => text.trim()), skipped);
  await h.expectNoAxeViolations(page, 'the review page');
  await h.screenshot(page, 'review-390-en');
  await firstScreen(page, 'review-390-en-top');

  // A link leads to the statement itself; answering it and coming back through the pages works.
  await Promise.all([page.waitForURL(pageUrl(3)), links.first().click()]);
  assert.ok(await h.itemGroup(page, skipped[0]).isVisible());
  await page.goBack();
  await press(page, 'Submit my answers', /\/thanks\?lang=en$/);
  assert.equal(server.responseCount(), 1);
  await context.close();
});
