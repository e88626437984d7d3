// Backups in the real window: the daily backup made on start is listed, "Jetzt sichern" adds a
// manual one, a bad number kept is refused at its field, and restoring the daily backup (after a
// change made since) asks first, saves the current state and brings the old data back.
// Screenshots go to tests/screenshots/backups (ignored by git).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, startDriver, closeApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appPath = process.env.KOZMOS_APP ?? join(root, 'target/debug/kozmos-desktop');
const cliPath = process.env.KOZMOS_CLI ?? join(root, 'target/debug/kozmos');
const driverPath = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const shots = join(root, 'tests/screenshots/backups');
const dir = mkdtempSync(join(tmpdir(), 'kozmos-e2e-backups-'));
const db = join(dir, 'kozmos.sqlite3');

let driver;
let s;

function cli(...args) {
  return execFileSync(cliPath, ['--db', db, '--lang', 'de', ...args], { encoding: 'utf8' });
}

const names = () => JSON.parse(cli('associations', 'list', '--json')).map((a) => a.name).sort();
const items = () => s.exec('return [...document.querySelectorAll("[data-testid=backup-item]")].map((i) => i.textContent)');

before(async () => {
  rmSync(shots, { recursive: true, force: true });
  cli('init', '--network', 'migranetz', '--volunteer', 'Trần Minh');
  cli('associations', 'add', '--name', 'Hội người Việt Erfurt', '--city', 'Erfurt');
  const [club] = JSON.parse(cli('associations', 'list', '--json'));
  cli('persons', 'add', '--association', club.id, '--name', 'Nguyễn Thị Lan', '--role', 'Vorstand');
  driver = await startDriver(driverPath);
  s = await Session.start(driver, appPath, ['--db', db], shots);
  await s.find('[data-testid=nav-data]', 15000);
});

after(() => closeApp({ session: s, driver, appPath, dbs: [db], dir }));

test('the daily backup is listed; a manual one is added; the number kept is checked', async () => {
  await s.click('[data-testid=nav-data]');
  await s.click('[data-testid=data-tab-backups]');
  await s.until(async () => (await items()).some((t) => t.includes('Täglich')), 'the daily backup listed');
  assert.ok((await s.text('[data-testid=backup-folder]')).endsWith('backups'));
  await s.screenshot('list');
  await s.click('[data-testid=backup-now]');
  await s.waitText('[data-testid=backup-done]', 'Gesichert: kozmos-');
  assert.equal((await items()).length, 2);
  await s.type('[data-testid=backup-keep]', '0');
  await s.click('[data-testid=backup-keep-save]');
  await s.waitText('.field-error', '1 bis 365');
  await s.screenshot('keep-refused');
  await s.type('[data-testid=backup-keep]', '7');
  await s.click('[data-testid=backup-keep-save]');
  await s.waitText('[data-testid=backup-done]', '7 automatische');
});

test('restoring the daily backup asks, saves the current state and brings the old data back, never an erased person', async () => {
  cli('associations', 'add', '--name', 'Später angelegt e.V.');
  assert.deepEqual(names(), ['Hội người Việt Erfurt', 'Später angelegt e.V.']);
  // Erased after the daily backup was made: the restore must erase her again.
  const [club] = JSON.parse(cli('associations', 'list', '--json')).filter((a) => a.name.startsWith('Hội'));
  const [lan] = JSON.parse(cli('persons', 'list', '--association', club.id, '--json'));
  cli('persons', 'erase', lan.id, '--yes');
  await s.exec(`[...document.querySelectorAll('[data-testid=backup-item]')]
    .find((i) => i.textContent.includes('Täglich')).querySelector('[data-testid=backup-restore]').click()`);
  await s.until(async () => s.exec('return document.querySelector("[data-testid=confirm-dialog]").open'), 'the confirm dialog');
  const text = await s.text('[data-testid=confirm-dialog]');
  assert.match(text, /1 Vereine/);
  assert.match(text, /zuerst den jetzigen Stand/);
  assert.match(text, /Eine Löschung aus Datenschutzgründen, die die Sicherung noch nicht kennt, wird erneut angewendet/);
  await s.screenshot('confirm');
  await s.click('[data-testid=confirm-ok]');
  await s.waitText('[data-testid=backup-done]', 'Wiederhergestellt', 15000);
  assert.match(await s.text('[data-testid=backup-done]'), /Eine Löschung aus Datenschutzgründen wurde erneut angewendet/);
  assert.ok((await items()).some((t) => t.includes('Vor Wiederherstellung')));
  await s.screenshot('restored');
  assert.deepEqual(names(), ['Hội người Việt Erfurt']);
  const person = JSON.parse(cli('persons', 'show', lan.id, '--json'));
  assert.equal(person.life, 'purged');
  assert.equal(person.name, null);
  // The app works on the restored database.
  await s.click('[data-testid=nav-associations]');
  await s.until(async () => (await s.findAll('[data-testid=open-association]')).length === 1, 'one association listed');
});
