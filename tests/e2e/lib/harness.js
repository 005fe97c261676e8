'use strict';
// Shared by the browser tests: a real `mindset serve` on a free port with a fresh data folder,
// Debian's Chromium through playwright-core, axe-core, the survey's questions read from the
// repository, and helpers that answer the survey the way a person would.
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const e2eDir = path.resolve(__dirname, '..');
const sourceDir = process.env.MINDSET_SOURCE_DIR || path.resolve(e2eDir, '..', '..');
const mindsetBin = process.env.MINDSET_BIN || path.join(sourceDir, 'build', 'bin', 'mindset');
// The build's fixture plugins (tests/fixtures), beside bin/ in the build folder.
const fixturePluginDir = process.env.MINDSET_FIXTURE_PLUGIN_DIR || path.resolve(path.dirname(mindsetBin), '..', 'tests', 'fixture-plugins');
const artifactsDir = path.join(e2eDir, 'artifacts');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function requireOrExplain(name) {
  try {
    return require(name);
  } catch (error) {
    throw new Error(`${name} is not installed in ${e2eDir}/node_modules (${error.code}); run: bash tests/e2e/setup.sh`);
  }
}
const { chromium } = requireOrExplain('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// --- The server -----------------------------------------------------------------------------

// Servers still running when this process ends (a failed hook, an interrupted run) are killed by
// the PID this process started, never by name, and their data folders removed.
const runningServers = new Map();  // pid -> data folder
process.on('exit', () => {
  for (const [pid, dataDir] of runningServers) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    if (!process.env.MINDSET_E2E_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(128 + os.constants.signals[signal]));

/// Starts `mindset serve --port 0` (with `--plugins` for each of pluginDirs) and resolves once it
/// printed its address and /healthz answers.
async function startServer({ surveysDir = path.join(sourceDir, 'surveys'), dataDir, pluginDirs = [] } = {}) {
  if (!fs.existsSync(mindsetBin)) throw new Error(`no mindset binary at ${mindsetBin}: build first, or set MINDSET_BIN`);
  if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: run bash tests/e2e/setup.sh`);
  const ownsDataDir = !dataDir;
  dataDir = dataDir || makeTempDir('data');
  const pluginArgs = pluginDirs.flatMap((dir) => ['--plugins', dir]);
  const child = spawn(mindsetBin, ['serve', '--port', '0', '--data-dir', dataDir, '--surveys', surveysDir, ...pluginArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let spawnError = null;
  child.on('error', (error) => { spawnError = error; });
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  if (child.pid) runningServers.set(child.pid, dataDir);
  const removeDataDir = () => {
    if (!process.env.MINDSET_E2E_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const giveUp = (message) => {
    if (child.exitCode === null && child.signalCode === null && child.pid) child.kill('SIGKILL');
    runningServers.delete(child.pid);
    if (ownsDataDir) removeDataDir();
    return new Error(message);
  };

  const deadline = Date.now() + 15000;
  let url;
  while (!url) {
    const running = /Mindset is running at (http:\/\/[^\s/]+)\//.exec(log);
    if (running) url = running[1];
    else if (spawnError) throw giveUp(`could not run ${mindsetBin}: ${spawnError.message}`);
    else if (child.exitCode !== null || child.signalCode !== null)
      throw giveUp(`mindset serve exited (${child.exitCode ?? child.signalCode}):\n${log}`);
    else if (Date.now() > deadline) throw giveUp(`mindset serve did not print its address within 15 s:\n${log}`);
    else await sleep(50);
  }
  const health = await fetch(`${url}/healthz`).then((r) => r.text()).catch((error) => error.message);
  if (health.trim() !== 'ok') throw giveUp(`${url}/healthz did not answer "ok": ${health}`);

  return {
    url,
    dataDir,
    pid: child.pid,
    log: () => log,
    /// Rows in the responses table, read with the sqlite3 command-line tool as an operator would.
    responseCount: () => Number(sqlite(dataDir, 'SELECT COUNT(*) FROM responses')),
    query: (sql) => sqlite(dataDir, sql),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid, 'SIGTERM');
        const stopped = await Promise.race([exited, sleep(5000).then(() => null)]);
        if (!stopped) {
          process.kill(child.pid, 'SIGKILL');
          await exited;
        }
      }
      runningServers.delete(child.pid);
      removeDataDir();
    },
  };
}

function sqlite(dataDir, sql) {
  return execFileSync('sqlite3', [path.join(dataDir, 'mindset.sqlite'), sql], { encoding: 'utf8' }).trim();
}

function makeTempDir(what) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mindset-e2e-${what}-`));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/// A survey folder holding a copy of riverside-2026.json changed by `edit` (for example a new id
/// and "access": "codes").
function surveyCopy(edit) {
  const dir = makeTempDir('surveys');
  const survey = JSON.parse(fs.readFileSync(path.join(sourceDir, 'surveys', 'riverside-2026.json'), 'utf8'));
  edit(survey);
  fs.writeFileSync(path.join(dir, `${survey.id}.json`), JSON.stringify(survey, null, 2));
  return dir;
}

/// Runs `mindset ARGS...` to completion and returns what it printed.
function mindset(args) {
  return execFileSync(mindsetBin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/// A pass-through HTTP proxy in front of `targetUrl` that can hold back one response after the
/// server has handled the request, as a slow network would: holdNext(predicate) arms it and
/// resolves once a matching request was answered by the server; release() delivers the answer.
async function startHoldingProxy(targetUrl) {
  const target = new URL(targetUrl);
  let armed = null;
  const held = [];
  const proxy = http.createServer((request, response) => {
    const upstream = http.request({
      host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers,
    }, (answer) => {
      const deliver = () => {
        if (response.destroyed) return answer.resume();
        response.writeHead(answer.statusCode, answer.headers);
        answer.pipe(response);
      };
      if (armed && armed.predicate(request)) {
        held.push(deliver);
        armed.onHeld();
        armed = null;
      } else {
        deliver();
      }
    });
    upstream.on('error', () => response.destroy());
    response.on('error', () => {});
    request.pipe(upstream);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${proxy.address().port}`,
    holdNext(predicate) {
      return new Promise((onHeld) => { armed = { predicate, onHeld }; });
    },
    release() { held.splice(0).forEach((deliver) => deliver()); },
    close() {
      this.release();
      proxy.closeAllConnections();
      return new Promise((resolve) => proxy.close(resolve));
    },
  };
}

// --- The browser ----------------------------------------------------------------------------

async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic'],
  });
}

/// A fresh browser profile (no cookies) with a phone-sized window unless told otherwise.
async function newContext(browser, { width = 390, height = 844, ...options } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, ...options });
  context.setDefaultTimeout(5000);
  return context;
}

/// Runs axe-core on the page as shown now and returns its violations as readable text (rule,
/// impact, help, and each element with axe's summary), or '' when there are none.
async function axeViolations(page) {
  // page.evaluate goes through the DevTools protocol, so the page's own CSP (no scripts at all)
  // stays in force while axe runs.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }));
  if (results.passes.length === 0) throw new Error(`axe-core checked nothing on ${page.url()}`);
  return results.violations.map((v) =>
    `- ${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n` +
    v.nodes.map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`).join('\n'))
    .join('\n');
}

/// Fails with every axe-core violation on the page as shown now.
async function expectNoAxeViolations(page, where) {
  const report = await axeViolations(page);
  if (report) throw new Error(`axe-core found violations on ${where} (${page.url()}):\n${report}`);
}

/// A results page is at most SCREENS viewport heights long (issue 11: 15 at 1280 px).
async function expectAtMostScreens(page, screens) {
  const { height, screen } = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, screen: window.innerHeight }));
  if (height > screens * screen) throw new Error(`${page.url()} is ${(height / screen).toFixed(1)} screens long, more than ${screens}`);
}

/// A full-page PNG in tests/e2e/artifacts/.

async function screenshot(page, name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/// Opens `url` (a page for signed-in staff), checks that the visitor is sent to the sign-in form,
/// and signs in there as `user`; resolves once the page signing in led to has loaded.
async function signIn(page, url, user, password) {
  await page.goto(url);
  if (!/\/login\?next=/.test(page.url())) throw new Error(`${url} did not send a visitor to sign in first (it showed ${page.url()})`);
  await page.getByLabel(/username/i).fill(user);
  await page.getByLabel(/password/i).fill(password);
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: /sign in/i }).click()]);
}

// --- The survey, as the repository defines it -------------------------------------------------

const messages = JSON.parse(fs.readFileSync(path.join(sourceDir, 'host', 'web', 'messages.json'), 'utf8'));

/// riverside-2026.json with its instruments' definitions: what each page asks, in both languages.
function loadSurvey() {
  const survey = JSON.parse(fs.readFileSync(path.join(sourceDir, 'surveys', 'riverside-2026.json'), 'utf8'));
  survey.instrumentDefinitions = survey.instruments.map((reference) => {
    const id = reference.split('@')[0];
    return JSON.parse(fs.readFileSync(path.join(sourceDir, 'plugins', id, 'definition.json'), 'utf8'));
  });
  return survey;
}

/// The label of response code `code` (1..5) on an instrument's scale.
function optionLabel(definition, code, language) {
  return definition.responseScale.options.find((option) => option.code === code).label[language];
}

/// The answer a test gives to item `index` of instrument `instrumentIndex`: every code is used.
function plannedCode(instrumentIndex, index) {
  return ((index + instrumentIndex) % 5) + 1;
}

/// One item's radio group, found by its legend; proves fieldset, legend and labels are wired.
function itemGroup(page, text) {
  return page.getByRole('group', { name: text, exact: true });
}

/// A demographic question's choices as the form lists them (schools come from the survey).
function choicesOf(survey, question) {
  if (!question.fromSchools) return question.choices;
  // A school's name is one string (a proper name, the same in every language) or a text per language.
  const nameIn = (school, language) => (typeof school.name === 'string' ? school.name : school.name[language] || school.name.en);
  return survey.schools.map((school) => ({ id: school.id, label: { en: nameIn(school, 'en'), es: nameIn(school, 'es') } }));
}

/// The "About you" question with this id, found by its legend. Legends carry a
/// "(required)"/"(optional)" tag, so the question text is matched as the start of the name.
function questionGroup(page, survey, id, language) {
  const question = survey.demographics.find((q) => q.id === id);
  return page.getByRole('group', { name: question.label[language] });
}

/// The label of one demographic choice, e.g. choiceLabel(survey, 'role', 'teacher', 'es').
function choiceLabel(survey, questionId, choiceId, language) {
  const question = survey.demographics.find((q) => q.id === questionId);
  return choicesOf(survey, question).find((choice) => choice.id === choiceId).label[language];
}

/// Answers the "About you" page by clicking labels; `answers` maps question id to choice id(s).
async function answerAboutYou(page, survey, language, answers) {
  for (const [questionId, chosen] of Object.entries(answers)) {
    const group = questionGroup(page, survey, questionId, language);
    for (const choiceId of [].concat(chosen))
      await group.getByLabel(choiceLabel(survey, questionId, choiceId, language), { exact: true }).check();
  }
}

/// The demographics blob the store should hold for `answers`: one little-endian uint32 per
/// question (single choice: index + 1; several: a bit per choice), as hex.
function expectedDemographicsHex(survey, answers) {
  return survey.demographics.map((question) => {
    const ids = choicesOf(survey, question).map((choice) => choice.id);
    const chosen = [].concat(answers[question.id] || []);
    const slot = question.multiple
      ? chosen.reduce((bits, id) => bits | (1 << ids.indexOf(id)), 0)
      : (chosen.length ? ids.indexOf(chosen[0]) + 1 : 0);
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32LE(slot >>> 0);
    return bytes.toString('hex');
  }).join('').toUpperCase();
}

/// Answers items [from, to) of one instrument page by clicking, with plannedCode's answers.
async function answerItems(page, survey, instrumentIndex, language, from = 0, to = undefined) {
  const definition = survey.instrumentDefinitions[instrumentIndex];
  for (const [index, item] of definition.items.slice(from, to).entries()) {
    const label = optionLabel(definition, plannedCode(instrumentIndex, from + index), language);
    await itemGroup(page, item.text[language]).getByLabel(label, { exact: true }).check();
  }
}

/// The answers blob the store should hold after answerItems answered every item: one byte per
/// item in survey order, the response code.
function expectedAnswersHex(survey) {
  return survey.instrumentDefinitions
    .flatMap((definition, i) => definition.items.map((_, index) => plannedCode(i, index)))
    .map((code) => code.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

module.exports = {
  answerAboutYou,
  answerItems,
  choiceLabel,
  artifactsDir,
  axeViolations,
  expectedAnswersHex,
  expectedDemographicsHex,
  expectAtMostScreens,
  expectNoAxeViolations,
  fixturePluginDir,
  itemGroup,
  launchBrowser,
  loadSurvey,
  makeTempDir,
  messages,
  mindset,
  mindsetBin,
  newContext,
  optionLabel,
  plannedCode,
  questionGroup,
  screenshot,
  signIn,
  sleep,
  sourceDir,
  startHoldingProxy,
  startServer,
  surveyCopy,
};
