// Spreadsheet import in the real window: a German Excel CSV (Windows-1252, ";") chosen through the
// open dialog (KOZMOS_OPEN_FILE), its columns mapped (one mapping changed by hand), the preview with
// a rejected row and its reason, confirmed, and the new associations found in the list; then the
// list exported as CSV through the save dialog (KOZMOS_SAVE_DIR). Screenshots go to
// tests/screenshots/import (ignored by git).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, startDriver, closeApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appPath = process.env.KOZMOS_APP ?? join(root, 'target/debug/kozmos-desktop');
const cliPath = process.env.KOZMOS_CLI ?? join(root, 'target/debug/kozmos');
const driverPath = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const shots = join(root, 'tests/screenshots/import');
const dir = mkdtempSync(join(tmpdir(), 'kozmos-e2e-import-'));
const db = join(dir, 'kozmos.sqlite3');
const saveDir = join(dir, 'saved');
const csv = join(dir, 'vereine.csv');

let driver;
let s;

function cli(...args) {
  return execFileSync(cliPath, ['--db', db, '--lang', 'de', ...args], { encoding: 'utf8' });
}

/** Latin-1 bytes for text that has only Latin-1 characters (as German Excel writes CSV). */
function latin1(text) {
  return Buffer.from(text, 'latin1');
}

before(async () => {
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(saveDir, { recursive: true });
  cli('init', '--network', 'lamsa', '--volunteer', 'Anna Schmidt');
  writeFileSync(
    csv,
    latin1(
      'Name des Vereins;PLZ;Stadt;Kontakt;Themen\r\n' +
        'Deutsch-Syrischer Verein Müller e.V.;06108;Halle (Saale);info@dsv-halle.de;"Bildung & Weiterbildung; kultur"\r\n' +
        'Weißer Fluss e.V.;99084;Erfurt;fluss@example.org;Kunst & Kultur\r\n' +
        'Kaputt e.V.;123;Jena;;\r\n',
    ),
  );
  process.env.KOZMOS_OPEN_FILE = csv;
  process.env.KOZMOS_SAVE_DIR = saveDir;
  driver = await startDriver(driverPath);
  s = await Session.start(driver, appPath, ['--db', db], shots);
  await s.find('[data-testid=nav-associations]', 15000);
});

after(() => closeApp({ session: s, driver, appPath, dbs: [db], dir }));

test('a CSV is mapped (one column changed by hand), previewed, confirmed and its records listed', async () => {
  await s.click('[data-testid=nav-data]');
  await s.click('[data-testid=data-tab-import]');
  await s.find('[data-testid=import-page]');
  await shot('start');
  await s.click('[data-testid=import-choose]');
  await s.find('[data-testid=import-mapping]');
  const selected = () =>
    s.exec('return [...document.querySelectorAll("[data-testid^=map-]")].map((e) => e.value)');
  assert.deepEqual(await selected(), ['name', 'postcode', 'city', '', 'themes'], '"Kontakt" is not known');
  await shot('mapping-proposed');
  await s.exec(`
    const select = document.querySelector('[data-testid=map-3]');
    select.value = 'email';
    select.dispatchEvent(new Event('change', { bubbles: true }));`);
  assert.equal((await selected())[3], 'email');
  await shot('mapping-changed');

  await s.click('[data-testid=import-preview-button]');
  await s.find('[data-testid=import-preview]');
  await s.until(
    // Its top at the top of the window, or all of it in view when the page ends below it.
    () =>
      s.exec(`const r = document.querySelector('[data-testid=import-preview]').getBoundingClientRect();
        return r.top >= 0 && (r.top < 80 || r.bottom <= window.innerHeight);`),
    'the preview scrolled into view',
  );
  assert.equal(await s.text('[data-testid=import-counts]'), 'Neu: 2 · Aktualisiert: 0 · Unverändert: 0 · Dubletten: 0 · Abgelehnt: 1');
  const statuses = await s.exec('return [...document.querySelectorAll("[data-testid=import-row]")].map((r) => r.dataset.status)');
  assert.deepEqual(statuses, ['create', 'create', 'reject']);
  assert.match(await s.text('[data-testid=import-rows]'), /PLZ: bitte fünf Ziffern/);
  assert.equal(cli('associations', 'list').includes('Müller'), false, 'the preview wrote nothing');
  await shot('preview');

  await s.click('[data-testid=save-rejected]');
  await s.find('[data-testid=rejected-saved]');
  const report = readFileSync(join(saveDir, 'abgelehnte-zeilen.csv'), 'utf8');
  assert.match(report, /Kaputt e\.V\.;123;Jena/);

  await s.click('[data-testid=import-confirm]');
  await s.find('[data-testid=import-result]');
  assert.match(await s.text('[data-testid=import-result]'), /^2 neu, 0 aktualisiert\. Sicherungskopie: .*vor-tabellenimport/);
  await shot('done');

  await s.click('[data-testid=nav-associations]');
  await s.until(async () => (await s.findAll('[data-testid=open-association]')).length === 2, 'two associations listed');
  const names = await s.exec('return [...document.querySelectorAll("[data-testid=open-association]")].map((e) => e.textContent.trim())');
  assert.deepEqual(names.sort(), ['Deutsch-Syrischer Verein Müller e.V.', 'Weißer Fluss e.V.']);
  await shot('list');

  await s.click('[data-testid=export-csv]');
  await s.find('[data-testid=export-saved]');
  const exported = join(saveDir, 'vereine.csv');
  assert.ok(existsSync(exported));
  const text = readFileSync(exported, 'utf8');
  assert.ok(text.startsWith('\ufeffID;Name;'));
  assert.match(text, /Bildung & Weiterbildung; Kunst & Kultur/);
  await shot('exported');
});

test('a list exported by another installation imports as new records; importing it again imports nothing and says why', async () => {
  const other = join(dir, 'andere.sqlite3');
  const otherCli = (...args) => execFileSync(cliPath, ['--db', other, '--lang', 'de', ...args], { encoding: 'utf8' });
  otherCli('init', '--network', 'migranetz', '--volunteer', 'Trần Minh');
  otherCli('associations', 'add', '--name', 'Hội người Việt Erfurt', '--city', 'Erfurt', '--email', 'hoi@example.org');
  otherCli('associations', 'add', '--name', 'Українська громада Jena', '--city', 'Jena', '--email', 'gromada@example.org');
  otherCli('export', 'associations', '--out', csv);
  const importFile = async () => {
    await s.click('[data-testid=nav-data]');
    await s.click('[data-testid=data-tab-import]');
    if ((await s.findAll('[data-testid=import-another]')).length) await s.click('[data-testid=import-another]');
    await s.click('[data-testid=import-choose]');
    await s.find('[data-testid=import-mapping]');
    await s.click('[data-testid=import-preview-button]');
    await s.find('[data-testid=import-counts]');
  };
  await importFile();
  assert.equal(await s.text('[data-testid=import-counts]'), 'Neu: 2 · Aktualisiert: 0 · Unverändert: 0 · Dubletten: 0 · Abgelehnt: 0');
  assert.match(await s.text('[data-testid=import-foreign-ids]'), /^2 Zeilen nennen eine ID, die es hier nicht gibt/);
  await shot('foreign-preview');
  await s.click('[data-testid=import-confirm]');
  await s.find('[data-testid=import-result]');
  const names = JSON.parse(cli('associations', 'list', '--json')).map((a) => a.name);
  assert.ok(names.includes('Hội người Việt Erfurt') && names.includes('Українська громада Jena'), names.join(', '));

  await importFile();
  assert.equal(await s.text('[data-testid=import-nothing]'), 'Nichts zu importieren: 2 Zeilen als Dubletten übersprungen.');
  assert.equal((await s.findAll('[data-testid=import-confirm]')).length, 0, 'nothing to confirm');
  await shot('nothing-to-import');
});

function shot(name) {
  return s.screenshot(name);
}
