// The search pickers by keyboard alone, in the real window: in the cooperation form a foundation
// is searched, the arrow keys, Home and End move a visible highlight through the results while the
// focus stays in the input (WAI-ARIA combobox: aria-activedescendant), Escape closes the list and
// Enter chooses. The global search box takes the same keys. Screenshots go to
// tests/screenshots/picker (ignored by git).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, startDriver, closeApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appPath = process.env.KOZMOS_APP ?? join(root, 'target/debug/kozmos-desktop');
const cliPath = process.env.KOZMOS_CLI ?? join(root, 'target/debug/kozmos');
const driverPath = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const shots = join(root, 'tests/screenshots/picker');
const dir = mkdtempSync(join(tmpdir(), 'kozmos-e2e-picker-'));
const db = join(dir, 'kozmos.sqlite3');

const FOUNDATIONS = ['Kulturstiftung Anhalt', 'Stiftung Kulturaustausch Ost', 'Kulturfonds Thüringen'];

let driver;
let s;

function cli(...args) {
  return execFileSync(cliPath, ['--db', db, '--lang', 'de', ...args], { encoding: 'utf8' });
}

function cliJson(...args) {
  return JSON.parse(cli(...args, '--json'));
}

/** Presses keys one after another, as a user types them. */
async function press(...values) {
  for (const value of values) {
    await s.cmd('POST', '/actions', {
      actions: [{ type: 'key', id: 'keyboard', actions: [{ type: 'keyDown', value }, { type: 'keyUp', value }] }],
    });
  }
  await s.cmd('DELETE', '/actions');
}

const KEY = { down: '\uE015', up: '\uE013', home: '\uE011', end: '\uE010', enter: '\uE007', escape: '\uE00C', backspace: '\uE003' };

/** The combobox as a screen reader sees it: the focused element, its state, the listed options. */
async function combobox() {
  return s.exec(`
    const input = document.activeElement;
    const list = document.getElementById(input.getAttribute('aria-controls'));
    const options = list ? [...list.querySelectorAll('[role=option]')] : [];
    const active = input.getAttribute('aria-activedescendant');
    const shown = active ? document.getElementById(active) : null;
    return {
      testid: input.dataset.testid,
      role: input.getAttribute('role'),
      expanded: input.getAttribute('aria-expanded'),
      options: options.map((o) => o.textContent.trim()),
      selected: options.map((o) => o.getAttribute('aria-selected')),
      active: shown ? shown.textContent.trim() : null,
      activeIndex: shown ? options.indexOf(shown) : -1,
      activeBackground: shown ? getComputedStyle(shown).backgroundColor : null,
      otherBackground: options.find((o) => o !== shown) ? getComputedStyle(options.find((o) => o !== shown)).backgroundColor : null,
    };`);
}

before(async () => {
  cli('init', '--network', 'lamsa', '--volunteer', 'Anna Schmidt');
  cli('associations', 'add', '--name', 'Ukrainischer Verein Jena', '--city', 'Jena', '--district', '16053');
  for (const name of FOUNDATIONS) cli('foundations', 'add', '--name', name, '--city', 'Halle (Saale)');
  driver = await startDriver(driverPath);
  s = await Session.start(driver, appPath, ['--db', db], shots);
});

after(() => closeApp({ session: s, driver, appPath, dbs: [db], dir }));

test('a foundation is chosen in the cooperation form with the keyboard alone', async () => {
  await s.click('[data-testid=nav-associations]');
  await s.click('[data-testid=open-association]');
  await s.click('[data-testid=add-cooperation]');
  await s.find('[data-testid=cooperation-form]');
  await s.waitText('[data-testid=picked-association]', 'Ukrainischer Verein Jena');
  await s.type('[data-testid=input-idea]', 'Theaterwerkstatt');
  // Into the foundation picker, then only keys.
  await s.click('[data-testid=pick-foundation]');
  await press(...'kultur');
  await s.until(async () => (await s.count('[data-testid=pick-result]')) === 3, 'three results');
  let box = await combobox();
  assert.equal(box.testid, 'pick-foundation');
  assert.equal(box.role, 'combobox');
  assert.equal(box.expanded, 'true');
  assert.equal(box.active, null, 'no option is active before an arrow key');
  const options = box.options;
  assert.deepEqual([...options].sort(), [...FOUNDATIONS.map((n) => `${n} · Halle (Saale)`)].sort());

  await press(KEY.down, KEY.down);
  box = await combobox();
  assert.equal(box.testid, 'pick-foundation', 'the focus stays in the input');
  assert.equal(box.active, options[1]);
  assert.deepEqual(box.selected, ['false', 'true', 'false'], 'exactly the active option is selected');
  assert.notEqual(box.activeBackground, box.otherBackground, 'the active option is highlighted');
  await s.screenshot('foundation-second-active');

  await press(KEY.end);
  assert.equal((await combobox()).activeIndex, 2);
  await press(KEY.down);
  assert.equal((await combobox()).activeIndex, 0, 'down from the last goes round to the first');
  await press(KEY.up);
  assert.equal((await combobox()).activeIndex, 2, 'up from the first goes round to the last');
  await press(KEY.home);
  assert.equal((await combobox()).activeIndex, 0);

  // Escape closes the list and leaves the typed text; typing opens it again.
  await press(KEY.escape);
  await s.until(async () => (await s.count('[data-testid=pick-result]')) === 0, 'the list closed');
  box = await combobox();
  assert.deepEqual([box.testid, box.expanded], ['pick-foundation', 'false']);
  assert.equal(await s.exec('return document.activeElement.value'), 'kultur');
  assert.equal(await s.count('[data-testid=cooperation-form]'), 1, 'Escape did not leave the form');
  await press(KEY.backspace, 'r');
  await s.until(async () => (await s.count('[data-testid=pick-result]')) === 3, 'the results again');

  await press(KEY.down, KEY.down, KEY.down);
  const chosen = (await combobox()).active;
  assert.equal(chosen, options[2]);
  await s.screenshot('foundation-third-active');
  await press(KEY.enter);
  const name = chosen.split(' · ')[0];
  await s.waitText('[data-testid=picked-foundation]', name);
  assert.equal(await s.count('[data-testid=cooperation-form]'), 1, 'Enter chose, it did not send the form');
  assert.equal(await s.exec('return document.activeElement.textContent.trim()'), 'ändern', 'the focus moves on to "change"');
  await s.screenshot('foundation-chosen');

  await s.click('[data-testid=form-save]');
  await s.waitText('[data-testid=detail-name]', 'Theaterwerkstatt');
  const [cooperation] = cliJson('cooperations', 'list');
  assert.equal(cooperation.foundation_name, name);
});

test('the search box takes the same keys: a foundation opened by arrow key and Enter', async () => {
  const box = await s.find('[data-testid=global-search]');
  await box.click();
  await press(...'kultur');
  await s.until(async () => (await s.count('[data-testid=global-hit]')) >= 3, 'the hits');
  await press(KEY.down, KEY.down);
  const state = await combobox();
  assert.equal(state.testid, 'global-search');
  assert.equal(state.activeIndex, 1);
  assert.notEqual(state.activeBackground, state.otherBackground);
  await s.screenshot('search-second-active');
  const hit = await s.exec('return document.getElementById(document.activeElement.getAttribute("aria-activedescendant")).querySelector(".hit-name").textContent');
  await press(KEY.enter);
  await s.waitText('[data-testid=detail-name]', hit);
});
