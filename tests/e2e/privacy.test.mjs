// The privacy toolkit in the real window: the retention review (persons last touched in 2020,
// backdated in the file), a bad period refused at its field, one person chosen and erased after a
// clear confirm, the Art. 30 record saved as PDF, and the access report (JSON and PDF) saved from
// a person's page. The save dialog is replaced by KOZMOS_SAVE_DIR, the PDF viewer by
// KOZMOS_VIEWER. Screenshots go to tests/screenshots/privacy (ignored by git).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, startDriver, closeApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appPath = process.env.KOZMOS_APP ?? join(root, 'target/debug/kozmos-desktop');
const cliPath = process.env.KOZMOS_CLI ?? join(root, 'target/debug/kozmos');
const driverPath = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const shots = join(root, 'tests/screenshots/privacy');
const dir = mkdtempSync(join(tmpdir(), 'kozmos-e2e-privacy-'));
const db = join(dir, 'kozmos.sqlite3');
const saveDir = join(dir, 'saved');
const viewer = join(dir, 'viewer.sh');
const viewed = join(dir, 'viewed.txt');

let driver;
let s;
const ids = {};

function cli(...args) {
  return execFileSync(cliPath, ['--db', db, '--lang', 'de', ...args], { encoding: 'utf8' });
}

const cliJson = (...args) => JSON.parse(cli(...args, '--json'));
const pdfText = (file) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });

before(async () => {
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(saveDir, { recursive: true });
  cli('init', '--network', 'lamsa', '--volunteer', 'Anna Schmidt');
  const a = cliJson('associations', 'add', '--name', 'Deutsch-Arabischer Kulturverein Magdeburg', '--name-original',
    'الجمعية الثقافية العربية الألمانية', '--city', 'Magdeburg');
  ids.layla = cliJson('persons', 'add', '--association', a.id, '--name', 'Layla Haddad', '--name-original', 'ليلى حداد',
    '--role', 'Vorsitzende', '--email', 'layla@dakv-magdeburg.de').id;
  ids.olena = cliJson('persons', 'add', '--association', a.id, '--name', 'Olena Kovalenko', '--name-original',
    'Олена Коваленко', '--email', 'olena@example.org').id;
  ids.hoa = cliJson('persons', 'add', '--association', a.id, '--name', 'Nguyễn Thị Hoa').id;
  // Layla and Olena were last touched in 2020 (1 600 000 000 000 ms); Hoa today.
  execFileSync('sqlite3', [db, `UPDATE persons SET changed_hlc = 1600000000000 << 16 WHERE id IN ('${ids.layla}', '${ids.olena}')`]);
  writeFileSync(viewer, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${viewed}'\n`, { mode: 0o755 });
  process.env.KOZMOS_SAVE_DIR = saveDir;
  process.env.KOZMOS_VIEWER = viewer;
  process.env.XDG_CACHE_HOME = join(dir, 'cache');
  driver = await startDriver(driverPath);
  s = await Session.start(driver, appPath, ['--db', db], shots);
  await s.find('[data-testid=nav-associations]', 15000);
});

after(() => closeApp({ session: s, driver, appPath, dbs: [db], dir }));

const rows = async () =>
  s.exec('return [...document.querySelectorAll("[data-testid=retention-row]")].map((r) => r.textContent.replace(/\\s+/g, " ").trim())');

test('the retention review lists the long-inactive persons and erases the chosen one after a confirm', async () => {
  await s.click('[data-testid=nav-data]');
  await s.click('[data-testid=data-tab-privacy]');
  await s.find('[data-testid=retention-list]');
  const listed = await rows();
  assert.equal(listed.length, 2, listed.join(' | '));
  assert.match(listed.join(' '), /Layla Haddad.*ليلى حداد/);
  assert.match(listed.join(' '), /Olena Kovalenko/);
  assert.ok(!listed.join(' ').includes('Nguyễn'), 'a person edited today is not due');
  assert.match(listed[0], /Änderung am Datensatz/);
  assert.equal(await s.text('[data-testid=retention-count]'), 'Zu prüfen: 2');
  assert.equal(await s.exec('return document.querySelector("[data-testid=retention-erase]").disabled'), true, 'nothing chosen yet');
  await s.screenshot('retention');

  await s.type('[data-testid=retention-years]', 'drei');
  await s.click('[data-testid=retention-apply]');
  assert.match(await s.text('[data-testid=retention-years-error]'), /ganze Zahl von 1 bis 30/);
  await s.screenshot('retention-bad-years');
  await s.type('[data-testid=retention-years]', '3');
  await s.click('[data-testid=retention-apply]');
  await s.until(async () => (await s.count('[data-testid=retention-years-error]')) === 0, 'the error gone');

  const olena = await s.exec(`
    const row = [...document.querySelectorAll('[data-testid=retention-row]')].find((r) => r.textContent.includes('Olena'));
    row.querySelector('[data-testid=retention-select]').click();
    return true;`);
  assert.ok(olena);
  assert.match(await s.text('[data-testid=retention-erase]'), /\(1\)/);
  await s.click('[data-testid=retention-erase]');
  await s.find('[data-testid=confirm-dialog][open]');
  assert.match(await s.text('[data-testid=confirm-dialog]'), /„Olena Kovalenko“.*Sicherungskopien/s);
  await s.screenshot('retention-confirm');
  await s.click('[data-testid=confirm-ok]');
  await s.until(async () => (await rows()).length === 1, 'one left to review');
  assert.match(await s.text('[data-testid=toast]'), /Anonymisiert: 1/);
  await s.screenshot('retention-after');
  const olenaNow = cliJson('persons', 'show', ids.olena);
  assert.equal(olenaNow.life, 'purged');
  assert.equal(cliJson('persons', 'show', ids.layla).life, 'alive');
});

test('the record of processing activities is saved and opened as PDF', async () => {
  await s.click('[data-testid=record-save]');
  await s.until(async () => readdirSync(saveDir).some((f) => f.startsWith('verarbeitungsverzeichnis-')), 'the record saved');
  const file = readdirSync(saveDir).find((f) => f.startsWith('verarbeitungsverzeichnis-'));
  const text = pdfText(join(saveDir, file));
  assert.match(text, /Verzeichnis von Verarbeitungstätigkeiten/);
  assert.match(text, /LAMSA e\.V\./);
  await s.click('[data-testid=record-open]');
  await s.until(async () => {
    try {
      return readFileSync(viewed, 'utf8').includes('verarbeitungsverzeichnis-');
    } catch {
      return false;
    }
  }, 'the record opened in the viewer');
  await s.screenshot('record');
});

test("a person's page exports the access report as JSON and PDF", async () => {
  await s.exec(`
    [...document.querySelectorAll('[data-testid=retention-row] button.link')].find((b) => b.textContent.includes('Layla')).click();`);
  await s.waitText('[data-testid=detail-name]', 'Layla Haddad');
  await s.click('[data-testid=access-json]');
  await s.until(async () => readdirSync(saveDir).includes(`auskunft-${ids.layla}.json`), 'the JSON saved');
  const json = JSON.parse(readFileSync(join(saveDir, `auskunft-${ids.layla}.json`), 'utf8'));
  assert.equal(json.format, 'kozmos-access/1');
  assert.equal(json.person.email, 'layla@dakv-magdeburg.de');
  assert.ok(!JSON.stringify(json).includes('Olena'), 'nothing about another person');
  await s.click('[data-testid=access-pdf]');
  await s.until(async () => readdirSync(saveDir).includes(`auskunft-${ids.layla}.pdf`), 'the PDF saved');
  assert.match(pdfText(join(saveDir, `auskunft-${ids.layla}.pdf`)), /Auskunft: Layla Haddad/);
  await s.screenshot('person-access');
});
