'use strict';
// A staff member who uses only the keyboard: Tab and Shift+Tab between controls, Space and the
// arrow keys inside radio groups and on checkboxes, Enter on buttons. No mouse at all.
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

/// What has keyboard focus now, and how its focus indicator is drawn.
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    const fieldset = element.closest('fieldset');
    const style = getComputedStyle(element);
    return {
      tag: element.tagName.toLowerCase(),
      type: element.type || '',
      name: element.name || '',
      value: element.value || '',
      isChecked: Boolean(element.checked),
      text: element.textContent.trim(),
      legend: fieldset ? fieldset.querySelector('legend').textContent.trim() : '',
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth) || 0,
    };
  });
}

/// Presses `key` until the focused element satisfies `isWanted`; fails after `max` presses.
async function pressUntil(page, key, isWanted, what, max = 40) {
  for (let presses = 0; presses < max; ++presses) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (isWanted(now)) return now;
  }
  throw new Error(`${max} presses of ${key} never reached ${what}; focus is on ${JSON.stringify(await focused(page))}`);
}

const isButton = (label) => (f) => f.tag === 'button' && f.text === label;
const inGroup = (name) => (f) => f.name === name;

function assertFocusVisible(state, what) {
  assert.notEqual(state.outlineStyle, 'none', `${what} shows a focus outline`);
  assert.ok(state.outlineWidth >= 2, `${what}'s focus outline is at least 2 px wide (is ${state.outlineWidth})`);
}

/// Moves the checked radio of the focused group to `value` with the arrow keys.
async function arrowTo(page, value) {
  for (let presses = 0; presses < 10; ++presses) {
    const now = await focused(page);
    if (now.value === value && now.isChecked) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`the arrow keys never checked ${value}`);
}

async function pressEnterAndWait(page, url) {
  await Promise.all([page.waitForURL(url), page.keyboard.press('Enter')]);
}

test('the survey can be completed with the keyboard alone, with focus always visible', async () => {
  const context = await h.newContext(browser, { width: 1280, height: 900 });
  const page = await context.newPage();
  await page.goto(`${server.url}${surveyPath}`);

  const start = await pressUntil(page, 'Tab', isButton('Start the survey'), 'the Start button');
  assertFocusVisible(start, 'the Start button');
  await pressEnterAndWait(page, /\/pages\/1\?/);

  // About you: arrow keys check radios, Space checks the first radio and checkboxes.
  const school = await pressUntil(page, 'Tab', inGroup('d.school'), 'the school question');
  assertFocusVisible(school, 'a radio button');
  await arrowTo(page, 'maple-elementary');
  await pressUntil(page, 'Tab', inGroup('d.role'), 'the role question', 1);
  await page.keyboard.press('Space');
  assert.deepEqual([(await focused(page)).value, (await focused(page)).isChecked], ['teacher', true]);
  await pressUntil(page, 'Tab', inGroup('d.years'), 'the years question', 1);
  await arrowTo(page, '6-10');
  for (const race of ['asian', 'hispanic']) {
    const box = await pressUntil(page, 'Tab', (f) => f.name === 'd.race' && f.value === race, race, 8);
    assertFocusVisible(box, 'a checkbox');
    await page.keyboard.press('Space');
  }
  const next = await pressUntil(page, 'Tab', isButton('Next'), 'the Next button', 8);
  assertFocusVisible(next, 'the Next button');
  // Shift+Tab goes back to the last checkbox; Tab returns to Next.
  await pressUntil(page, 'Shift+Tab', (f) => f.name === 'd.race' && f.value === 'prefer-not-to-say', 'the last checkbox', 1);
  await pressUntil(page, 'Tab', isButton('Next'), 'the Next button', 1);
  await pressEnterAndWait(page, /\/pages\/2\?/);

  // Each item takes one Tab: into the group, Space to choose, arrows to move the choice.
  for (const [i, definition] of survey.instrumentDefinitions.entries()) {
    for (const [index, item] of definition.items.entries()) {
      const group = await pressUntil(page, 'Tab', (f) => f.type === 'radio' && f.legend === item.text.en,
        `item "${item.text.en}"`, index === 0 ? 20 : 1);
      assert.equal(group.value, '1', 'focus enters an unanswered group on its first choice');
      await page.keyboard.press('Space');
      await arrowTo(page, String(h.plannedCode(i, index)));
    }
    const isLast = i === survey.instrumentDefinitions.length - 1;
    // The last page ends with the survey's comment boxes (one Tab each) before its button.
    const button = await pressUntil(page, 'Tab', isButton(isLast ? 'Submit my answers' : 'Next'), 'the page button',
      isLast ? 1 + (survey.comments || []).length : 1);
    assertFocusVisible(button, 'the page button');
    await pressEnterAndWait(page, isLast ? /\/thanks\?/ : new RegExp(`/pages/${i + 3}\\?`));
  }

  assert.equal((await page.getByRole('heading', { level: 1 }).textContent()).trim(), 'Thank you');
  assert.equal(server.responseCount(), 1);
  const about = { school: 'maple-elementary', role: 'teacher', years: '6-10', race: ['asian', 'hispanic'] };
  assert.equal(server.query('SELECT hex(demographics) FROM responses'), h.expectedDemographicsHex(survey, about));
  assert.equal(server.query('SELECT hex(answers) FROM responses'), h.expectedAnswersHex(survey));
  await context.close();
});
