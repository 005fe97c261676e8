'use strict';
// Issue 12, item 4, as a staff member who starts on a phone and finishes on a laptop: "Save and
// finish later" offers a resume code, shown once; typed on the survey's first page of another
// browser (in Spanish here), it opens the saved answers at the page they were left on; a wrong
// code is told next to the field. Each page is checked with axe and photographed.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');

const survey = h.loadSurvey();
const surveyPath = `/surveys/${survey.id}`;
const about = { school: 'maple-elementary', role: 'teacher', years: '6-10', race: ['asian'] };
const t = h.messages;

let browser;
let server;
before(async () => {
  server = await h.startServer();
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function press(page, name, url) {
  await Promise.all([page.waitForURL(url), page.getByRole('button', { name, exact: true }).click()]);
}

function checkedAnswers(page) {
  return page.locator('form#answers input:checked').evaluateAll((inputs) => inputs.map((i) => `${i.name}=${i.value}`).sort());
}

test('a resume code shown once on the phone continues the answers on a laptop in Spanish, at the page left', async () => {
  const phone = await h.newContext(browser);
  const page = await phone.newPage();
  await page.goto(`${server.url}${surveyPath}?lang=en`);
  await press(page, t.en.start, /\/pages\/1\?lang=en$/);
  await h.answerAboutYou(page, survey, 'en', about);
  await press(page, 'Next', /\/pages\/2\?lang=en$/);
  await h.answerItems(page, survey, 0, 'en', 0, 5);
  const answeredOnPhone = await checkedAnswers(page);
  assert.equal(answeredOnPhone.length, 5);
  await press(page, t.en.saveForLater, /\/pages\/2$/);
  await h.expectNoAxeViolations(page, 'the saved page with the resume-code button');
  await press(page, t.en.getResumeCode, /\/resume-code$/);
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), t.en.resumeCodeTitle);
  const code = (await page.locator('.resume-code strong').textContent()).trim();
  assert.match(code, /^[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  await h.expectNoAxeViolations(page, 'the resume-code page');
  await h.screenshot(page, 'resume-code-390');
  await phone.close();

  // A wrong code first, on another phone: the message is next to the field, the section open.
  const other = await h.newContext(browser);
  const wrongPage = await other.newPage();
  await wrongPage.goto(`${server.url}${surveyPath}?lang=en`);
  await wrongPage.getByText(t.en.resumeSectionTitle).click();
  await wrongPage.getByLabel(t.en.resumeCodeLabel, { exact: true }).fill('7KQ2M-9XD4H-RT6WB-3NPQ8');
  await press(wrongPage, t.en.resumeWithCode, /\/resume$/);
  assert.match(await wrongPage.locator('#resume-code-error').textContent(), /does not open any saved answers/);
  await h.expectNoAxeViolations(wrongPage, 'the landing page with a wrong resume code');
  await h.screenshot(wrongPage, 'resume-wrong-code-390');
  await other.close();

  // The laptop, in Spanish: the code typed in lower case with spaces.
  const laptop = await h.newContext(browser, { width: 1280, height: 800 });
  const later = await laptop.newPage();
  await later.goto(`${server.url}${surveyPath}?lang=es`);
  await later.getByText(t.es.resumeSectionTitle).click();
  await h.expectNoAxeViolations(later, 'the Spanish landing page with the resume field open');
  await h.screenshot(later, 'resume-landing-es-1280');
  await later.getByLabel(t.es.resumeCodeLabel, { exact: true }).fill(code.toLowerCase().replace(/-/g, ' '));
  await press(later, t.es.resumeWithCode, /\/pages\/2\?lang=es$/);
  assert.deepEqual(await checkedAnswers(later), answeredOnPhone);
  await h.screenshot(later, 'resume-continued-es-1280');
  await laptop.close();
});
