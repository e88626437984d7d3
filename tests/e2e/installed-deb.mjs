// The .deb as a user gets it, after `apt-get install ./KOZMOS_…deb` (scripts/test.sh installs it,
// then runs this file): the desktop file and the .kozmos-sync MIME type are registered, the installed
// /usr/bin/kozmos-desktop starts in its real window, a sync file opened through its MIME association
// (xdg-open, what a double-click does) reaches that window's import preview, and uninstalling keeps
// the user's data. Not part of the tests/e2e/*.test.mjs run: it needs the package installed.
// Screenshots: tests/screenshots/installed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, closeApp, startDriver } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appPath = '/usr/bin/kozmos-desktop';
const cliPath = process.env.KOZMOS_CLI ?? join(root, 'target/debug/kozmos');
const driverPath = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const shots = join(root, 'tests/screenshots/installed');
const dir = mkdtempSync(join(tmpdir(), 'kozmos-e2e-installed-'));
const sender = join(dir, 'lamsa', 'kozmos.sqlite3');
// The database as a double-click finds it: through KOZMOS_DB, not an argument.
const db = join(dir, 'Jürgen Müller', 'kozmos.sqlite3');
const file = join(dir, 'Downloads', 'von LAMSA.kozmos-sync');
const desktopFile = '/usr/share/applications/KOZMOS.desktop';
// xdg-open and xdg-mime as on a GNOME desktop (Ubuntu's): through gio and the shared MIME database.
const desktopEnv = { ...process.env, XDG_CURRENT_DESKTOP: 'GNOME' };
const asRoot = (command, ...args) =>
  execFileSync(process.getuid() === 0 ? command : 'sudo', process.getuid() === 0 ? args : [command, ...args], { stdio: 'inherit' });

let driver;
let s;

function cli(database, ...args) {
  return execFileSync(cliPath, ['--db', database, '--lang', 'de', ...args], { encoding: 'utf8' });
}

before(async () => {
  assert.ok(existsSync(appPath), `${appPath} is missing: install the .deb first (scripts/test.sh does)`);
  rmSync(shots, { recursive: true, force: true });
  mkdirSync(dirname(file), { recursive: true });
  cli(sender, 'init', '--network', 'lamsa', '--volunteer', 'Amira Haddad');
  cli(sender, 'associations', 'add', '--name', 'Deutsch-Arabischer Kulturverein Magdeburg', '--name-original', 'الجمعية الثقافية الألمانية العربية', '--city', 'Magdeburg');
  cli(sender, 'sync', 'export', '-o', file);
  cli(db, 'init', '--network', 'migranetz', '--volunteer', 'Trần Minh');
  driver = await startDriver(driverPath, { KOZMOS_DB: db });
});

after(() => closeApp({ session: s, driver, appPath, dbs: [], dir }));

test('the package registers KOZMOS for .kozmos-sync files', () => {
  const desktop = readFileSync(desktopFile, 'utf8');
  assert.match(desktop, /^Exec=kozmos-desktop %f$/m);
  assert.match(desktop, /^MimeType=application\/x-kozmos-sync;$/m);
  const query = (...args) => execFileSync('xdg-mime', ['query', ...args], { encoding: 'utf8', env: desktopEnv }).trim();
  assert.equal(query('filetype', file), 'application/x-kozmos-sync');
  assert.equal(query('default', 'application/x-kozmos-sync'), 'KOZMOS.desktop');
});

test('the installed app starts in its window', async () => {
  const started = Date.now();
  s = await Session.start(driver, appPath, [], shots);
  await s.find('[data-testid=overview]', 20000);
  console.log(`# installed app: window with the start page after ${Date.now() - started} ms (WebDriver session included)`);
  assert.equal(await s.text('.who'), 'Trần Minh');
  await s.screenshot('started');
});

test('xdg-open of a sync file brings it to the running window, at its import preview', async () => {
  execFileSync('xdg-open', [file], { env: { ...desktopEnv, KOZMOS_DB: db } });
  await s.waitText('[data-testid=picked-file]', 'von LAMSA.kozmos-sync', 15000);
  await s.find('[data-testid=import-preview]');
  await s.screenshot('opened-by-xdg-open');
  await s.click('[data-testid=import-apply]');
  await s.find('[data-testid=import-counts]');
});

test("uninstalling keeps the user's data", async () => {
  await s.end();
  s = null;
  asRoot('apt-get', 'remove', '-y', '-q', 'kozmos');
  assert.ok(!existsSync(appPath));
  assert.ok(!existsSync(desktopFile));
  assert.ok(existsSync(db));
  const names = JSON.parse(cli(db, 'associations', 'list', '--json')).map((a) => a.name);
  assert.deepEqual(names, ['Deutsch-Arabischer Kulturverein Magdeburg']);
});
