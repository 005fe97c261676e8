'use strict';
// A survey that needs one-time access codes: codes printed by `mindset codes issue` (as a sheet, or
// as a PDF of slips whose QR codes carry the link with the code) let a staff member in once; a used
// or unknown code is refused on the landing page, next to the field.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const h = require('./lib/harness');

const survey = h.loadSurvey();
const surveyId = 'riverside-codes-2026';
const surveyPath = `/surveys/${surveyId}`;

let browser;
let server;
let surveysDir;
let codes;
let links;
let dataDir;
before(async () => {
  surveysDir = h.surveyCopy((s) => {
    s.id = surveyId;
    s.access = 'codes';
  });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mindset-e2e-data-'));
  try {
    const sheet = h.mindset(['codes', 'issue', '--survey', surveyId, '--school', 'maple-elementary', '--count', '3',
      '--data-dir', dataDir, '--surveys', surveysDir]);
    codes = [...sheet.matchAll(/^Your code \/ Su código: +([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})$/gm)].map((m) => m[1]);
    links = [...sheet.matchAll(/^Open \/ Abra: +(\S+)$/gm)].map((m) => m[1]);
    assert.equal(codes.length, 3, `the printed sheet has three slips, each with its code:\n${sheet}`);
    assert.deepEqual(links, codes.map((code) => `http://127.0.0.1:8080${surveyPath}?code=${code}`),
      'each slip has the survey link carrying its own code');
    server = await h.startServer({ surveysDir, dataDir });
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (surveysDir) fs.rmSync(surveysDir, { recursive: true, force: true });
});

async function press(page, name, url) {
  await Promise.all([page.waitForURL(url), page.getByRole('button', { name, exact: true }).click()]);
}

/// Opens the landing page in a new browser session, types `code` and presses Start.
async function startWithCode(code, expectedUrl) {
  const context = await h.newContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}${surveyPath}`);
  await page.getByLabel('Your access code').fill(code);
  await press(page, 'Start the survey', expectedUrl);
  return { context, page };
}

/// The code field's error: its text, and that the field is marked invalid and described by it.
async function codeError(page) {
  const field = page.getByLabel('Your access code');
  const describedBy = (await field.getAttribute('aria-describedby')).split(/\s+/);
  const error = page.locator('#code-error');
  assert.ok(describedBy.includes('code-error'), 'the error is part of the field\'s description');
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  return (await error.textContent()).trim();
}

test('a code opens the survey once; used and unknown codes are refused with their own message', async () => {
  const landing = await h.newContext(browser);
  const landingPage = await landing.newPage();
  await landingPage.goto(`${server.url}${surveyPath}`);
  assert.equal(await landingPage.getByRole('textbox', { name: 'Your access code' }).count(), 1);
  assert.equal(await landingPage.getByRole('link', { name: /All questions on one page/ }).count(), 0,
    'the one-page form, which needs no draft, is not offered when codes are required');
  await h.expectNoAxeViolations(landingPage, 'the access-code landing page');
  await h.screenshot(landingPage, 'landing-codes-390');
  await landing.close();

  const { context, page } = await startWithCode(codes[0], /\/pages\/1\?/);
  // The code was issued for Maple Elementary: page 1 shows that school and offers no other, so the
  // codes used per school and the responses per school agree.
  const school = page.getByRole('group', { name: survey.demographics.find((q) => q.id === 'school').label.en });
  assert.equal((await school.locator('.fixed-answer').textContent()).trim(), 'Maple Elementary School');
  assert.equal(await school.getByRole('radio').count(), 0, 'no other school is offered');
  await h.expectNoAxeViolations(page, 'page 1 with the school given by the code');
  await h.screenshot(page, 'code-school-fixed-390');
  await h.answerAboutYou(page, survey, 'en', { role: 'teacher' });
  for (const [i] of survey.instrumentDefinitions.entries()) {
    await press(page, 'Next', new RegExp(`/pages/${i + 2}\\?`));
    await h.answerItems(page, survey, i, 'en');
  }
  // Two optional questions about the respondent were skipped: the review lists them first.
  await press(page, 'Submit my answers', /\/review\?/);
  assert.equal(await page.locator('ul.unanswered a').count(), 2);
  await press(page, 'Submit my answers', /\/thanks\?/);
  assert.equal(server.responseCount(), 1);
  await context.close();

  const used = await startWithCode(codes[0], new RegExp(`${surveyPath}/start$`));
  assert.match(await codeError(used.page), /^This access code has already been used\./);
  assert.equal(await used.page.getByLabel('Your access code').inputValue(), codes[0], 'the typed code is kept');
  await h.expectNoAxeViolations(used.page, 'the landing page refusing a used code');
  await h.screenshot(used.page, 'code-used-390');
  await used.context.close();

  const unknown = await startWithCode('AAAA-BBBB-CCCC', new RegExp(`${surveyPath}/start$`));
  assert.match(await codeError(unknown.page), /^This access code is not valid for this survey\./);
  await unknown.context.close();
  assert.equal(server.responseCount(), 1, 'refused codes store nothing');

  // The other code on the sheet is untouched.
  const second = await startWithCode(codes[1], /\/pages\/1\?/);
  assert.equal((await second.page.locator('#progress-label').textContent()).trim(), 'Step 1 of 4: About you');
  await second.context.close();
});

test('the link on a code slip opens the survey with the code filled in, in English and Spanish', async () => {
  const context = await h.newContext(browser);
  const page = await context.newPage();
  // The sheet was printed for the default address; the test server listens on another port.
  const slipLink = new URL(links[2]);
  await page.goto(`${server.url}${slipLink.pathname}${slipLink.search}&lang=es`);
  assert.equal(await page.getByRole('textbox', { name: 'Su código de acceso' }).inputValue(), codes[2]);
  await h.expectNoAxeViolations(page, 'the landing page opened from a slip link');
  await h.screenshot(page, 'landing-code-link-es-390');
  await Promise.all([page.waitForURL(/lang=en/), page.getByRole('link', { name: 'English' }).click()]);
  assert.equal(await page.getByLabel('Your access code').inputValue(), codes[2], 'switching language keeps the code');
  await press(page, 'Start the survey', /\/pages\/1\?/);
  assert.equal((await page.locator('#progress-label').textContent()).trim(), 'Step 1 of 4: About you');
  await context.close();
});

test('the QR code on the first page of the PDF slips opens the survey with its code accepted', async () => {
  // Issued for the test server's own address, so the QR code's link is opened as a phone would open it.
  const pdf = path.join(dataDir, 'maple-slips.pdf');
  const wrote = h.mindset(['codes', 'issue', '--survey', surveyId, '--school', 'maple-elementary', '--count', '2', '--format', 'pdf',
    '--out', pdf, '--base-url', server.url, '--data-dir', dataDir, '--surveys', surveysDir]);
  assert.match(wrote, /^Wrote 2 code slips for Maple Elementary School \(riverside-codes-2026, batch 2; 1 page, letter, /);
  assert.equal(fs.statSync(pdf).mode & 0o777, 0o600, 'the slips are readable by their owner only');
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
  const slipCodes = [...text.matchAll(/\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b/g)].map((m) => m[1]);
  assert.equal(slipCodes.length, 2, `two slips, each with its code:\n${text}`);
  assert.equal([...text.matchAll(/Open \/ Abra: +(\S+)/g)].filter((m) => m[1] === `${server.url}${surveyPath}`).length, 2,
    'each slip prints the survey\'s address');

  // Page 1 as a camera sees a printout (kept in artifacts/ to be looked at), its QR codes read back.
  fs.mkdirSync(h.artifactsDir, { recursive: true });
  const image = path.join(h.artifactsDir, 'code-slips-page1');
  execFileSync('pdftoppm', ['-png', '-r', '150', '-f', '1', '-l', '1', '-singlefile', pdf, image]);
  // zbarimg's stderr only has notes about the desktop bus, which a server has none of.
  const decoded = execFileSync('zbarimg', ['--quiet', '--raw', `${image}.png`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    .trim().split('\n').sort();
  assert.deepEqual(decoded, slipCodes.map((code) => `${server.url}${surveyPath}?code=${code}`).sort(),
    'each QR code carries the link with its own slip\'s code');

  const context = await h.newContext(browser);
  const page = await context.newPage();
  await page.goto(decoded[0]);
  const code = new URL(decoded[0]).searchParams.get('code');
  assert.equal(await page.getByLabel('Your access code').inputValue(), code, 'the code from the QR code is filled in');
  await h.screenshot(page, 'landing-code-from-pdf-qr-390');
  await press(page, 'Start the survey', /\/pages\/1\?/);
  assert.equal((await page.locator('#progress-label').textContent()).trim(), 'Step 1 of 4: About you');
  await context.close();
});

test('a voided code (a lost sheet) is refused beside the field, in English and Spanish', async () => {
  const voided = h.mindset(['codes', 'void', '--survey', surveyId, codes[1], '--data-dir', dataDir, '--surveys', surveysDir]);
  assert.match(voided, /1 code voided in riverside-codes-2026/);
  const english = await startWithCode(codes[1], new RegExp(`${surveyPath}/start$`));
  assert.match(await codeError(english.page), /^This access code was cancelled by your survey coordinator/);
  await h.expectNoAxeViolations(english.page, 'the landing page refusing a voided code');
  await h.screenshot(english.page, 'code-voided-390');
  await english.context.close();

  const context = await h.newContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.url}${surveyPath}?lang=es`);
  await page.getByLabel('Su código de acceso').fill(codes[1]);
  await Promise.all([page.waitForURL(new RegExp(`${surveyPath}/start$`)), page.getByRole('button', { name: 'Comenzar la encuesta' }).click()]);
  assert.match((await page.locator('#code-error').textContent()).trim(), /^La persona que coordina la encuesta anuló este código/);
  await context.close();
  assert.equal(server.responseCount(), 1, 'a voided code stores nothing');
});
