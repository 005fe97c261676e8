'use strict';
// Issue 10's walkthrough: a district survey that mixes the shipped 5-point agreement instrument
// with researchers' instruments of every other shape (fixture plugins built with
// mindset_add_instrument, as a researcher builds one): 4-point stages, 4-point with "don't know"
// and "not applicable", 7-point agreement, 5-point frequency, and custom scoring with sub-scores and
// a custom figure. A staff member answers it on a phone; demo responses fill two school years (the
// shipped continuous-improvement 0.9.0 -> 1.0.0 mapping carries its trend); a leader reads the
// profile, the district's trends and the board report on a laptop and a phone. Every page answers,
// shows each instrument's own labels and range, and has no accessibility violation.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./lib/harness');

const fixtureFolders = ['formats', 'dont-know', 'tags'].map((folder) => path.join(h.fixturePluginDir, folder));
const pluginArgs = fixtureFolders.flatMap((folder) => ['--plugins', folder]);
const formatsDir = path.join(h.sourceDir, 'tests', 'fixtures', 'src', 'formats');
const readDefinition = (file) => JSON.parse(fs.readFileSync(path.join(formatsDir, file), 'utf8'));

// The researchers' instruments, as the respondent sees them (fixture-tags-custom shares
// tagged.json's items and options; only its scoring and id differ).
const researchers = [
  { reference: 'fixture-stages@1.0.0', definition: readDefinition('stages.json') },
  { reference: 'fixture-readiness-dk@1.0.0', definition: readDefinition('readiness-dk.json') },
  { reference: 'fixture-agreement7@1.0.0', definition: readDefinition('agreement7.json') },
  { reference: 'fixture-frequency@1.0.0', definition: readDefinition('frequency.json') },
  { reference: 'fixture-tags-custom@1.0.0', definition: readDefinition('tagged.json') },
];
const shipped = JSON.parse(fs.readFileSync(path.join(h.sourceDir, 'plugins', 'equity-excellence', 'definition.json'), 'utf8'));
const district = 'riverside-isd';
const thisYear = 'formats-2026';
const password = 'a long enough demo password';

/// Two surveys of one district, a year apart, each mixing the shipped instruments with every
/// researcher's instrument; the earlier one pins continuous-improvement 0.9.0.
function writeSurveys() {
  const dir = h.makeTempDir('formats-surveys');
  const base = JSON.parse(fs.readFileSync(path.join(h.sourceDir, 'surveys', 'riverside-2026.json'), 'utf8'));
  for (const [id, year, opens, closes, improvement] of [
    ['formats-2025', '2025-2026', '2025-09-01', '2026-06-30', 'continuous-improvement@0.9.0'],
    [thisYear, '2026-2027', '2026-09-01', '2027-06-30', 'continuous-improvement@1.0.0'],
  ]) {
    const survey = { ...base, id, schoolYear: year, opens, closes };
    survey.title = { en: `Riverside mixed formats, ${year}`, es: `Riverside formatos mixtos, ${year}` };
    survey.instruments = ['equity-excellence@1.0.0', improvement, ...researchers.map((r) => r.reference)];
    fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(survey, null, 2));
  }
  return dir;
}

let browser;
let server;
let surveysDir;
before(async () => {
  surveysDir = writeSurveys();
  const dataDir = h.makeTempDir('formats-data');
  const common = ['--surveys', surveysDir, '--data-dir', dataDir, ...pluginArgs];
  h.mindset(['demo', '--survey', 'formats-2025', '--responses', '160', '--year-index', '0', ...common]);
  h.mindset(['demo', '--survey', thisYear, '--responses', '160', '--year-index', '1', ...common]);
  for (const survey of ['formats-2025', thisYear]) h.mindset(['release', 'publish', survey, ...common]);
  execFileSync(h.mindsetBin, ['users', 'add', 'network', '--data-dir', dataDir], { input: `${password}\n`, encoding: 'utf8' });
  server = await h.startServer({ dataDir, surveysDir, pluginDirs: fixtureFolders });
  browser = await h.launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  if (surveysDir) fs.rmSync(surveysDir, { recursive: true, force: true });
});

const labelsOf = (definition, language) =>
  [...definition.responseScale.options, ...(definition.responseScale.unscoredOptions || [])].map((option) => option.label[language]);

async function press(page, name) {
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name, exact: true }).click()]);
}

test('a staff member answers every format on a phone, "don\'t know" included', async () => {
  const context = await h.newContext(browser, { width: 390, height: 844 });
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  const storedBefore = server.responseCount();
  await page.goto(`${server.url}/surveys/${thisYear}`);
  await press(page, 'Start the survey');
  const survey = JSON.parse(fs.readFileSync(path.join(surveysDir, `${thisYear}.json`), 'utf8'));
  await h.answerAboutYou(page, survey, 'en', { school: 'maple-elementary', role: 'teacher' });
  await press(page, 'Next');

  const definitions = [shipped, null, ...researchers.map((r) => r.definition)];
  for (const [index, definition] of definitions.entries()) {
    if (definition) {
      assert.ok((await page.locator('#progress-label').textContent()).includes(definition.title.en), `the page of ${definition.id}`);
      for (const [itemIndex, item] of definition.items.entries()) {
        const group = h.itemGroup(page, item.text.en);
        // Each item offers exactly its instrument's options, in order, "don't know" last.
        const offered = (await group.locator('label').allTextContents()).map((text) => text.trim());
        assert.deepEqual(offered, labelsOf(definition, 'en'), `the options of ${item.id}`);
        const choice = offered[(itemIndex + index) % offered.length];
        await group.getByLabel(choice, { exact: true }).check();
      }
      await h.expectNoAxeViolations(page, `the ${definition.id} page`);
      if (definition.id === 'fixture-agreement7') await h.screenshot(page, 'formats-respond-agreement7-390');
      if (definition.id === 'fixture-readiness-dk') await h.screenshot(page, 'formats-respond-dont-know-390');
    }
    const last = index === definitions.length - 1;
    await press(page, last ? 'Submit my answers' : 'Next');
  }
  // The continuous-improvement page was left unanswered: the review says so, and submits as it is.
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Before you submit');
  await press(page, 'Submit my answers');
  assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Thank you');
  assert.equal(server.responseCount(), storedBefore + 1, 'the response is stored');
  await context.close();
});

/// The lowest and highest scored options of an instrument.
function endsOf(definition) {
  const options = definition.responseScale.options;
  return [options[0], options[options.length - 1]];
}

/// What each instrument's part of a profile says about its range, from its own options.
function readingOf(definition, language) {
  const [first, last] = endsOf(definition);
  return language === 'en'
    ? `Each scale runs from ${first.code} (${first.label.en}) to ${last.code} (${last.label.en})`
    : `Cada escala va de ${first.code} (${first.label.es}) a ${last.code} (${last.label.es})`;
}

// innerText keeps the page's own breaks between cells, which textContent runs together.
const mainText = async (page) => (await page.locator('main').innerText()).replace(/\s+/g, ' ');

for (const [width, height, language] of [[1280, 900, 'en'], [390, 844, 'es']]) {
  test(`a leader reads every format in the profile and the years compared (${language}, ${width} px)`, async () => {
    const context = await h.newContext(browser, { width, height });
    context.setDefaultTimeout(30000);
    const page = await context.newPage();
    await h.signIn(page, `${server.url}/leader/surveys/${thisYear}`, 'network', password);

    const profile = await page.goto(`${server.url}/leader/surveys/${thisYear}?lang=${language}`);
    assert.equal(profile.status(), 200);
    let text = await mainText(page);
    for (const definition of [shipped, ...researchers.map((r) => r.definition)]) {
      assert.ok(text.includes(definition.title[language]), `the profile shows ${definition.id}`);
      assert.ok(text.includes(readingOf(definition, language)), `the profile gives ${definition.id}'s own range: ${readingOf(definition, language)}`);
    }
    assert.ok(text.includes(language === 'en' ? 'Ranked by % favorable' : 'Ordenadas por el porcentaje favorable'), 'the ranking names its common metric');
    assert.match(text, language === 'en' ? /Top answers the instrument's own figure, 0 to 1/ : /Respuestas máximas cifra propia del instrumento, de 0 a 1/);
    assert.match(text, language === 'en' ? /Focus: Students sub-score by Focus/ : /Enfoque: Estudiantes subpuntuación por Enfoque/);
    await h.expectNoAxeViolations(page, `the mixed-format profile (${language}, ${width} px)`);
    await h.screenshot(page, `formats-profile-${language}-${width}`);

    const trends = await page.goto(`${server.url}/leader/districts/${district}?lang=${language}`);
    assert.equal(trends.status(), 200);
    text = await mainText(page);
    const axisOf = (definition) => {
      const [first, last] = endsOf(definition);
      return `${language === 'en' ? 'Mean score' : 'Puntuación media'} (${first.code} = ${first.label[language]}, ${last.code} = ${last.label[language]})`;
    };
    const figure = language === 'en' ? "Mean of the instrument's custom figure (0 to 1)" : 'Media de la cifra propia del instrumento (0 a 1)';
    // An axis label wraps over tspans, one line each.
    const axes = await page.locator('text.chart-axis-label').evaluateAll((labels) =>
      labels.map((label) => [...label.querySelectorAll('tspan')].map((line) => line.textContent).join(' ')));
    for (const axis of [...researchers.map((r) => axisOf(r.definition)), figure])
      assert.ok(axes.includes(axis), `the years compared chart their own range: ${axis}`);
    await h.expectNoAxeViolations(page, `the years compared (${language}, ${width} px)`);
    await h.screenshot(page, `formats-trends-${language}-${width}`);

    const summary = await page.goto(`${server.url}/leader/districts/${district}/summary?lang=${language}`);
    assert.equal(summary.status(), 200);
    await h.expectNoAxeViolations(page, `the summary (${language}, ${width} px)`);
    await context.close();
  });
}

test('the board report gives each instrument its own range', async () => {
  const context = await h.newContext(browser, { width: 1280, height: 900 });
  const page = await context.newPage();
  await h.signIn(page, `${server.url}/leader/surveys/${thisYear}`, 'network', password);
  const report = await page.request.get(`${server.url}/leader/districts/${district}/report.pdf`);
  assert.equal(report.status(), 200);
  const text = execFileSync('pdftotext', ['-', '-'], { input: await report.body(), encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const definition of [shipped, ...researchers.map((r) => r.definition)])
    assert.ok(text.includes(readingOf(definition, 'en')), `the report gives ${definition.id}'s own range`);
  await context.close();
});
