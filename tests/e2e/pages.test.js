'use strict';
// Every page a respondent can see, on a 390 px phone and a 1280 px laptop: axe-core must find no
// violation (WCAG 2.0/2.1/2.2 A and AA, and best practice), and each page is saved as a full-page
// PNG in tests/e2e/artifacts/ for a person to look at. The one-page form is also shown as printed.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');

const survey = h.loadSurvey();
const surveyPath = `/surveys/${survey.id}`;

let browser;
let server;
before(async () => {
  browser = await h.launchBrowser();
  server = await h.startServer();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function press(page, name, url) {
  await Promise.all([page.waitForURL(url), page.getByRole('button', { name, exact: true }).click()]);
}

/// What a person would notice about the layout: controls smaller than 44 px high (buttons,
/// links standing alone, choice labels, text fields), and a page wider than the window.
function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const scrollWidth = document.scrollingElement.scrollWidth;
    if (scrollWidth > window.innerWidth) problems.push(`the page scrolls sideways (${scrollWidth} px wide)`);
    // Links inside running text (the error summary's list) are exempt, as WCAG 2.5.8 allows.
    const targets = document.querySelectorAll('button, a:not(.problems a), label.choice, input[type=text]');
    for (const element of targets) {
      const { height } = element.getBoundingClientRect();
      if (height > 0 && height < 44)
        problems.push(`${element.tagName.toLowerCase()} "${element.textContent.trim() || element.name}" is ${height.toFixed(1)} px high`);
    }
    return problems;
  });
}

/// Where the five agreement choices of the first item sit: one row (wide) or one column (narrow).
function scaleLayout(page) {
  return page.locator('fieldset.item').first().locator('label.choice').evaluateAll((labels) => {
    const boxes = labels.map((label) => label.getBoundingClientRect());
    if (boxes.every((box) => Math.abs(box.top - boxes[0].top) < 1)) return 'row';
    if (boxes.every((box, i) => i === 0 || box.top >= boxes[i - 1].bottom - 1)) return 'column';
    return 'mixed';
  });
}

/// Each question marked in error, with the message inside its box that describes it.
function errorsBesideQuestions(page) {
  return page.locator('fieldset.has-error').evaluateAll((fieldsets) => fieldsets.map((fieldset) => {
    const legend = fieldset.querySelector('legend').textContent.trim();
    const ids = (fieldset.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    const messages = ids.map((id) => document.getElementById(id))
      .filter((element) => element && fieldset.contains(element))
      .map((element) => element.textContent.trim());
    return `${legend}: ${messages.join(' ') || '(no message beside it)'}`;
  }));
}

async function heading(page) {
  return (await page.getByRole('heading', { level: 1 }).textContent()).trim();
}

for (const width of [390, 1280]) {
  test(`every respondent page passes axe-core and has 44 px targets at ${width} px`, async () => {
    const context = await h.newContext(browser, { width, height: width < 800 ? 844 : 900 });
    const page = await context.newPage();
    const failures = [];
    const visited = [];
    /// Checks the page shown now with axe and saves its screenshot as NAME-WIDTH.png.
    async function check(name) {
      visited.push(name);
      const report = await h.axeViolations(page);
      if (report) failures.push(`${name} (${page.url()}):\n${report}`);
      const layout = await layoutProblems(page);
      if (layout.length) failures.push(`${name} (${page.url()}) layout:\n${layout.map((p) => `- ${p}`).join('\n')}`);
      await h.screenshot(page, `${name}-${width}`);
    }

    await page.goto(`${server.url}/`);
    await check('home');
    await page.goto(`${server.url}${surveyPath}`);
    await check('landing');
    await Promise.all([page.waitForURL(/lang=es/), page.getByRole('link', { name: 'Español' }).click()]);
    assert.equal(await heading(page), survey.title.es);
    await check('landing-es');

    await page.goto(`${server.url}${surveyPath}/all?lang=en`);
    await check('all');
    if (width === 1280) {
      await page.emulateMedia({ media: 'print' });
      // Submit, its hidden copy for Enter, and the language button: none on paper.
      assert.equal(await page.locator('button').count(), 3);
      assert.equal(await page.locator('button:visible').count(), 0, 'no button on paper');
      assert.equal(await scaleLayout(page), 'row', 'the agreement scale is one row on paper');
      await h.screenshot(page, `all-print-${width}`);
      await page.emulateMedia({ media: null });
    }
    await press(page, 'Submit my answers', new RegExp(`${surveyPath}/responses$`));
    assert.equal(await page.getByRole('heading', { name: 'Please check your answers' }).count(), 1);
    await check('all-errors');

    await page.goto(`${server.url}${surveyPath}`);
    await press(page, 'Start the survey', /\/pages\/1\?/);
    await check('page1');
    await press(page, 'Next', /\/pages\/1$/);
    assert.equal(await page.getByRole('heading', { name: 'Please check your answers' }).count(), 1);
    assert.deepEqual(await errorsBesideQuestions(page), [
      'Where do you work most of the time? (required): Please answer this question.',
      'What is your role? (required): Please answer this question.',
    ]);
    await check('errors');

    await h.answerAboutYou(page, survey, 'en', { school: 'cedar-elementary', role: 'teacher' });
    await press(page, 'Next', /\/pages\/2\?/);
    await h.answerItems(page, survey, 0, 'en', 0, 3);
    assert.equal(await scaleLayout(page), width < 768 ? 'column' : 'row', 'the agreement scale layout');
    await check('page2');
    await press(page, 'Next', /\/pages\/3\?/);
    await check('page3');
    await press(page, 'Next', /\/pages\/4\?/);
    await check('page4');
    await press(page, 'Save and finish later', /\/pages\/4$/);
    assert.equal(await heading(page), 'Your answers are saved');
    await check('saved');
    await page.goto(`${server.url}${surveyPath}`);
    assert.equal(await page.getByRole('link', { name: 'Continue where you left off' }).count(), 1);
    await check('landing-resume');

    // Most statements were skipped: Submit shows the review first.
    await page.goto(`${server.url}${surveyPath}/pages/4?lang=en`);
    await press(page, 'Submit my answers', /\/review\?lang=en$/);
    assert.equal(await heading(page), 'Before you submit');
    await check('review');
    await press(page, 'Submit my answers', /\/thanks\?/);
    assert.equal(await heading(page), 'Thank you');
    await check('thanks');

    // The draft is gone: its pages send the respondent to the landing page, which says why.
    await page.goto(`${server.url}${surveyPath}/pages/2?lang=en`);
    assert.match(page.url(), /resume=missing/);
    await check('draft-missing');

    // Spanish labels are longer: the agreement scale must still fit.
    await page.goto(`${server.url}${surveyPath}?lang=es`);
    await press(page, 'Comenzar la encuesta', /\/pages\/1\?/);
    await h.answerAboutYou(page, survey, 'es', { school: 'cedar-elementary', role: 'teacher' });
    await press(page, 'Siguiente', /\/pages\/2\?/);
    assert.equal(await scaleLayout(page), width < 768 ? 'column' : 'row', 'the Spanish agreement scale layout');
    await check('page2-es');

    await context.close();
    assert.equal(failures.length, 0, `problems at ${width} px:\n\n${failures.join('\n\n')}`);
    console.log(`axe-core and layout: no problems on ${visited.length} pages at ${width} px (${visited.join(', ')})`);
  });
}
