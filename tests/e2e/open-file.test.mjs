// Opening a received sync file with KOZMOS, as a double-click does: the app started with the file
// opens straight at its import preview; a second start on the same database (a double-click while
// KOZMOS runs) hands its file to the running window and ends, and the window shows that file's
// preview (an encrypted one asks for its passphrase first). Screenshots: tests/screenshots/open-file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, startDriver, closeApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appPath = process.env.KOZMOS_APP ?? join(root, 'target/debug/kozmos-desktop');
const cliPath = process.env.KOZMOS_CLI ?? join(root, 'target/debug/kozmos');
const driverPath = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const shots = join(root, 'tests/screenshots/open-file');
const dir = mkdtempSync(join(tmpdir(), 'kozmos-e2e-open-'));
const sender = join(dir, 'lamsa', 'kozmos.sqlite3');
const receiver = join(dir, 'thüringen', 'kozmos.sqlite3');
// Where a downloaded attachment lands: a folder with an umlaut and a space.
const downloads = join(dir, 'Jürgen Müller', 'Downloads');
const plainFile = join(downloads, 'lamsa 2026-12.kozmos-sync');
const encryptedFile = join(downloads, 'lamsa verschlüsselt.kozmos-sync');
const PASSPHRASE = 'Pferd Batterie Heftklammer 7';

let driver;
let s;

function cli(db, ...args) {
  return execFileSync(cliPath, ['--db', db, '--lang', 'de', ...args], { encoding: 'utf8' });
}

/** Starts the app binary as a double-click would (no WebDriver); resolves with its exit code. */
function startAgain(...args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(appPath, ['--db', receiver, ...args], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NO_AT_BRIDGE: '1' } });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error('the second start did not hand over and end within 15 s'));
    }, 15000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolvePromise(code);
    });
  });
}

before(async () => {
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(downloads, { recursive: true });
  cli(sender, 'init', '--network', 'lamsa', '--volunteer', 'Amira Haddad');
  cli(sender, 'associations', 'add', '--name', 'Ukrainische Gemeinde Halle', '--name-original', 'Українська громада Галле', '--city', 'Halle (Saale)');
  cli(sender, 'sync', 'export', '-o', plainFile);
  writeFileSync(join(dir, 'pw.txt'), PASSPHRASE);
  cli(sender, 'sync', 'export', '-o', encryptedFile, '--passphrase-file', join(dir, 'pw.txt'));
  cli(receiver, 'init', '--network', 'migranetz', '--volunteer', 'Trần Minh');
  driver = await startDriver(driverPath);
});

after(() => closeApp({ session: s, driver, appPath, dbs: [receiver, join(dir, 'Nextcloud', 'KOZMOS', 'kozmos.sqlite3')], dir }));

test('started with a sync file, KOZMOS opens at the preview of that file', async () => {
  s = await Session.start(driver, appPath, ['--db', receiver, plainFile], shots);
  await s.find('[data-testid=import-preview]', 20000);
  assert.equal(await s.text('[data-testid=picked-file]'), 'lamsa 2026-12.kozmos-sync');
  assert.match(await s.text('[data-testid=import-preview]'), /1/);
  assert.equal(await s.exec('return document.querySelector("[aria-selected=true][role=tab]").id'), 'sync-tab-import');
  await s.screenshot('started-with-file');
});

test('a second start on the same database hands its file to the running window and ends', async () => {
  await s.click('[data-testid=import-cancel]');
  await s.click('[data-testid=nav-associations]');
  assert.equal(await startAgain(encryptedFile), 0);
  // The running window shows the new file, and asks for its passphrase first.
  await s.waitText('[data-testid=picked-file]', 'lamsa verschlüsselt.kozmos-sync');
  await s.find('[data-testid=import-passphrase]');
  assert.equal(await s.exec('return document.activeElement?.dataset.testid'), 'import-passphrase');
  await s.screenshot('handed-over-encrypted');
  await s.type('[data-testid=import-passphrase]', PASSPHRASE);
  await s.click('[data-testid=open-file]');
  await s.find('[data-testid=import-preview]');
  await s.click('[data-testid=import-apply]');
  await s.find('[data-testid=import-counts]');
  const names = JSON.parse(cli(receiver, 'associations', 'list', '--json')).map((a) => a.name);
  assert.deepEqual(names, ['Ukrainische Gemeinde Halle']);
  await s.screenshot('applied');
});

test('a database in a cloud-synced folder gets a warning', async () => {
  const cloudDb = join(dir, 'Nextcloud', 'KOZMOS', 'kozmos.sqlite3');
  cli(cloudDb, 'init', '--network', 'lamsa', '--volunteer', 'Amira Haddad');
  const shotNo = s.shotNo;
  await s.end();
  s = await Session.start(driver, appPath, ['--db', cloudDb], shots);
  s.shotNo = shotNo;
  assert.match(await s.text('[data-testid=storage-note]'), /Nextcloud/);
  await s.screenshot('cloud-folder-warning');
  await s.click('[data-testid=storage-note-ok]');
  assert.equal(await s.count('[data-testid=storage-note]'), 0);
  await s.end();
  s = await Session.start(driver, appPath, ['--db', receiver], shots);
  s.shotNo = shotNo + 1;
  await s.find('[data-testid=overview]', 15000);
  assert.equal(await s.count('[data-testid=storage-note]'), 0);
});

test('a second start without a file only brings the window forward; nothing else changes', async () => {
  await s.click('[data-testid=nav-associations]');
  assert.equal(await startAgain(), 0);
  await s.find('[data-testid=open-association]');
  assert.equal(await s.count('[data-testid=sync-import]'), 0);
});
