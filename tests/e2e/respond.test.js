'use strict';
// A staff member answers the open-link survey in a real browser: in English, in Spanish, saving
// and resuming in a new browser session, and pressing Submit more than once.
const { test, before, after, beforeEach, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./lib/harness');

const survey = h.loadSurvey();
const surveyPath = `/surveys/${survey.id}`;
const draftCookie = `mindset_draft_${survey.id}`;
const about = { school: 'maple-elementary', role: 'teacher', years: '6-10', race: ['asian', 'hispanic'] };

let browser;
let server;
before(async () => { browser = await h.launchBrowser(); });
after(async () => { await browser?.close(); });
beforeEach(async () => { server = await h.startServer(); });
afterEach(async (t) => {
  if (t.passed === false) console.log(`mindset log:\n${server.log()}`);
  await server?.stop();
});

/// Clicks the button called `name` and waits for the page whose address matches `url`.
async function press(page, name, url) {
  await Promise.all([page.waitForURL(url), page.getByRole('button', { name, exact: true }).click()]);
}

const pageUrl = (n) => new RegExp(`${surveyPath}/pages/${n}\\?lang=`);
const thanksUrl = new RegExp(`${surveyPath}/thanks\\?lang=`);

async function heading(page) {
  return (await page.getByRole('heading', { level: 1 }).textContent()).trim();
}

async function progressText(page) {
  return (await page.locator('#progress-label').textContent()).trim();
}

/// Answers instrument pages first..last by clicking, checking each page's step text, and
/// leaves the browser on the last page with every item answered.
async function answerInstrumentPages(page, language, first = 2) {
  const t = h.messages[language];
  const total = survey.instrumentDefinitions.length + 1;
  for (let number = first; number <= total; ++number) {
    const definition = survey.instrumentDefinitions[number - 2];
    assert.equal(await progressText(page),
      `${t.stepOf.replace('{{step}}', number).replace('{{total}}', total)}: ${definition.title[language]}`);
    await h.answerItems(page, survey, number - 2, language);
    if (number < total) await press(page, t.next, pageUrl(number + 1));
  }
}

function assertStoredOnce() {
  assert.equal(server.responseCount(), 1, 'exactly one response is stored');
  assert.equal(server.query('SELECT hex(demographics) FROM responses'), h.expectedDemographicsHex(survey, about));
  assert.equal(server.query('SELECT hex(answers) FROM responses'), h.expectedAnswersHex(survey));
}

test('a staff member completes the survey in English and sees the thank-you page', async () => {
  const context = await h.newContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}${surveyPath}`);
  assert.equal(await heading(page), survey.title.en);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');

  await press(page, 'Start the survey', pageUrl(1));
  assert.equal(await progressText(page), 'Step 1 of 4: About you');
  assert.equal(await page.getByRole('button', { name: 'Back', exact: true }).count(), 0, 'no Back on the first page');
  await h.answerAboutYou(page, survey, 'en', about);
  await press(page, 'Next', pageUrl(2));
  assert.equal(await page.locator('fieldset.item').count(), survey.instrumentDefinitions[0].items.length);
  await answerInstrumentPages(page, 'en');

  assert.equal(server.responseCount(), 0, 'nothing is stored before Submit');
  await press(page, 'Submit my answers', thanksUrl);
  assert.equal(await heading(page), 'Thank you');
  assertStoredOnce();
  await context.close();
});

test('a staff member switches to Spanish on the landing page and completes the survey in Spanish', async () => {
  const context = await h.newContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}${surveyPath}`);
  await Promise.all([
    page.waitForURL(/\?lang=es$/),
    page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Español' }).click(),
  ]);
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await heading(page), survey.title.es);
  assert.equal(await page.getByRole('navigation', { name: 'Idioma' }).getByRole('link', { name: 'English' }).count(), 1);

  await press(page, 'Comenzar la encuesta', pageUrl(1));
  assert.equal(await progressText(page), 'Paso 1 de 4: Sobre usted');
  await h.answerAboutYou(page, survey, 'es', about);
  await press(page, 'Siguiente', pageUrl(2));

  const firstItem = survey.instrumentDefinitions[0].items[0].text;
  assert.equal(await h.itemGroup(page, firstItem.es).count(), 1, 'items are in Spanish');
  assert.equal(await page.getByText(firstItem.en).count(), 0, 'no English item text on the Spanish page');
  for (const name of ['Siguiente', 'Atrás', 'Guardar y terminar más tarde'])
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `button "${name}"`);
  await answerInstrumentPages(page, 'es');

  await press(page, 'Enviar mis respuestas', thanksUrl);
  assert.equal(await heading(page), 'Gracias');
  assertStoredOnce();
  await context.close();
});

test('answers saved for later can be finished in a new browser session holding only the draft cookie', async () => {
  const first = await h.newContext(browser);
  const page = await first.newPage();
  await page.goto(`${server.url}${surveyPath}`);
  await press(page, 'Start the survey', pageUrl(1));
  await h.answerAboutYou(page, survey, 'en', about);
  await press(page, 'Next', pageUrl(2));
  const answeredBefore = 5;
  await h.answerItems(page, survey, 0, 'en', 0, answeredBefore);
  await Promise.all([page.waitForURL(/\/pages\/2$/), page.getByRole('button', { name: 'Save and finish later' }).click()]);
  assert.equal(await heading(page), 'Your answers are saved');

  const cookie = (await first.cookies()).find((c) => c.name === draftCookie);
  assert.ok(cookie, `the browser holds ${draftCookie}`);
  assert.equal(cookie.httpOnly, true);
  await first.close();

  const second = await h.newContext(browser);
  await second.addCookies([cookie]);
  const later = await second.newPage();
  await later.goto(`${server.url}${surveyPath}`);
  // Continue goes back to the page that was saved, and the page before it kept its answers too.
  await Promise.all([later.waitForURL(pageUrl(2)), later.getByRole('link', { name: 'Continue where you left off' }).click()]);
  await press(later, 'Back', pageUrl(1));
  for (const [questionId, chosen] of Object.entries(about))
    for (const choiceId of [].concat(chosen)) {
      const label = h.choiceLabel(survey, questionId, choiceId, 'en');
      assert.ok(await h.questionGroup(later, survey, questionId, 'en').getByLabel(label, { exact: true }).isChecked(),
        `"${label}" is still checked`);
    }
  await press(later, 'Next', pageUrl(2));
  const definition = survey.instrumentDefinitions[0];
  for (const [index, item] of definition.items.entries()) {
    const group = h.itemGroup(later, item.text.en);
    const label = h.optionLabel(definition, h.plannedCode(0, index), 'en');
    if (index < answeredBefore) assert.ok(await group.getByLabel(label, { exact: true }).isChecked(), `item ${index + 1} kept`);
    else assert.equal(await group.locator('input:checked').count(), 0, `item ${index + 1} was not answered yet`);
  }
  await h.answerItems(later, survey, 0, 'en', answeredBefore);
  await press(later, 'Next', pageUrl(3));
  await answerInstrumentPages(later, 'en', 3);
  await press(later, 'Submit my answers', thanksUrl);
  assertStoredOnce();
  await second.close();
});

/// Starts the survey in a new browser session and answers every page, leaving it on the last.
async function answerEverything(baseUrl = server.url) {
  const context = await h.newContext(browser);
  const page = await context.newPage();
  await page.goto(`${baseUrl}${surveyPath}`);
  await press(page, 'Start the survey', pageUrl(1));
  await h.answerAboutYou(page, survey, 'en', about);
  await press(page, 'Next', pageUrl(2));
  await answerInstrumentPages(page, 'en');
  return { context, page };
}

test('a double click on Submit, then reloading and going back, stores one response', async () => {
  const { context, page } = await answerEverything();
  const posts = [];
  page.on('request', (request) => { if (request.method() === 'POST') posts.push(request.url()); });
  await Promise.all([page.waitForURL(thanksUrl), page.getByRole('button', { name: 'Submit my answers' }).dblclick()]);
  assert.ok(posts.length >= 1);
  assert.equal(await heading(page), 'Thank you');
  assert.equal(server.responseCount(), 1, `a double click (${posts.length} POSTs sent) stores one response`);

  await page.reload();
  assert.equal(await heading(page), 'Thank you');
  await page.goBack();
  await page.waitForLoadState();
  assert.equal(server.responseCount(), 1, 'reloading and going back store nothing more');
  assertStoredOnce();
  await context.close();
});

test('clicking Submit again while the first answer is slow to arrive stores one response', async () => {
  const proxy = await h.startHoldingProxy(server.url);
  try {
    const { context, page } = await answerEverything(proxy.url);
    const button = page.getByRole('button', { name: 'Submit my answers' });
    await button.scrollIntoViewIfNeeded();
    const box = await button.boundingBox();
    const clickSubmit = () => page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);

    const posts = [];
    page.on('request', (request) => { if (request.method() === 'POST') posts.push(request.url()); });
    // The server has stored the first submission, but its answer has not reached the browser.
    const firstHandled = proxy.holdNext((request) => request.method === 'POST');
    await clickSubmit();
    await firstHandled;
    assert.equal(server.responseCount(), 1);
    // Waiting for the commit of the thank-you page, not for "load": the first navigation is
    // aborted by the second click, which waitForURL would report as a failure.
    const thanksShown = page.waitForEvent('framenavigated',
      { predicate: (frame) => frame === page.mainFrame() && thanksUrl.test(frame.url()) });
    await clickSubmit();
    await thanksShown;
    await page.waitForLoadState();
    proxy.release();
    assert.equal(posts.length, 2, 'the browser sent the last page twice');
    assert.equal(await heading(page), 'Thank you');
    assertStoredOnce();
    await context.close();
  } finally {
    await proxy.close();
  }
});

test('the last page sent twice at the same moment stores one response', async () => {
  const { context, page } = await answerEverything();
  // Exactly what the browser would send for a click on Submit, twice at once with the browser's
  // cookies (two tabs, or a retry while the first request is still running).
  const form = page.locator('form');
  const body = `${await form.evaluate((f) => new URLSearchParams(new FormData(f)).toString())}&action=submit`;
  const action = new URL(await form.getAttribute('action'), page.url()).href;
  const send = () => page.request.post(action, {
    data: body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    maxRedirects: 0,
  });
  const replies = await Promise.all([send(), send()]);
  for (const reply of replies) {
    assert.equal(reply.status(), 303);
    assert.match(reply.headers().location, thanksUrl);
  }
  assertStoredOnce();
  await context.close();
});
