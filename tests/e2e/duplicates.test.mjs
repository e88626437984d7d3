// Duplicates in the real window: a planted pair (Müller/Mueller, one with an e-mail) is listed
// with its reason, a look-alike pair is marked "not a duplicate" and disappears, the pair is
// merged field by field (the other's name chosen), and the survivor opens with the persons of
// both. Screenshots go to tests/screenshots/duplicates (ignored by git).
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
const shots = join(root, 'tests/screenshots/duplicates');
const dir = mkdtempSync(join(tmpdir(), 'kozmos-e2e-duplicates-'));
const db = join(dir, 'kozmos.sqlite3');

let driver;
let s;
let keep;
let other;

function cliJson(...args) {
  return JSON.parse(execFileSync(cliPath, ['--db', db, '--lang', 'de', ...args, '--json'], { encoding: 'utf8' }));
}

before(async () => {
  cliJson('init', '--network', 'lamsa', '--volunteer', 'Anna Schmidt');
  keep = cliJson('associations', 'add', '--name', 'Deutsch-Syrischer Verein Müller', '--city', 'Halle (Saale)', '--postcode', '06108').id;
  other = cliJson('associations', 'add', '--name', 'DEUTSCH-SYRISCHER VEREIN MUELLER e.V.', '--city', 'Halle (Saale)',
    '--postcode', '06108', '--email', 'info@dsv-mueller.example', '--name-original', 'الجمعية الألمانية السورية').id;
  cliJson('persons', 'add', '--association', keep, '--name', 'Layla Haddad');
  cliJson('persons', 'add', '--association', other, '--name', 'Omar Nasser');
  cliJson('associations', 'add', '--name', 'Kulturbrücke Gera', '--city', 'Gera');
  cliJson('associations', 'add', '--name', 'Kulturbrücke Gera e.V.', '--city', 'Gera');
  driver = await startDriver(driverPath);
  s = await Session.start(driver, appPath, ['--db', db], shots);
  await s.find('[data-testid=nav-associations]', 15000);
});

after(() => closeApp({ session: s, driver, appPath, dbs: [db], dir }));

test('a planted pair is found, a look-alike dismissed, the pair merged and the survivor opened', async () => {
  await s.click('[data-testid=nav-data]');
  await s.click('[data-testid=data-tab-duplicates]');
  await s.until(async () => (await s.count('[data-testid=duplicate-pair]')) === 2 || null, 'two pairs');
  const first = await s.text('[data-testid=duplicate-pair]');
  assert.match(first, /Gleicher Name und gleiche PLZ \(06108\)/);
  assert.match(first, /MUELLER/);
  await shot('1-pairs');

  const pairs = await s.findAll('[data-testid=duplicate-pair] [data-testid=duplicate-dismiss]');
  await pairs[1].click();
  await s.until(async () => (await s.count('[data-testid=duplicate-pair]')) === 1 || null, 'the look-alike hidden');

  await s.click('[data-testid=duplicate-merge]');
  await s.find('[data-testid=merge-view]');
  const moves = await s.text('[data-testid=merge-moves]');
  assert.match(moves, /Personen: 1/);
  // The e-mail comes from the other record by default (the survivor has none); take its name too.
  const emailFromOther = await s.exec('return document.querySelector("[data-testid=merge-other-email]").checked');
  assert.equal(emailFromOther, true);
  await s.click('[data-testid=merge-other-name]');
  await shot('2-merge-view');
  await s.click('[data-testid=merge-confirm]');

  await s.find('[data-testid=association-detail]', 8000);
  await s.waitText('[data-testid=detail-name]', 'DEUTSCH-SYRISCHER VEREIN MUELLER e.V.');
  const detail = await s.text('[data-testid=association-detail]');
  assert.match(detail, /Layla Haddad/);
  assert.match(detail, /Omar Nasser/);
  assert.match(detail, /info@dsv-mueller\.example/);
  await shot('3-survivor');
  const shown = cliJson('associations', 'show', other);
  assert.equal(shown.id, keep, 'the old id leads to the survivor');
});

function shot(name) {
  return s.screenshot(name);
}
