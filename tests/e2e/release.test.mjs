// What a release brings, in the real window: "Über KOZMOS" shows the version of Cargo.toml and the
// licences of the bundled software; the check at start finds a newer release on the update server
// (a local one here) and only says so; the release notes show as text; installing downloads the
// package and refuses it when it is not signed with KOZMOS's key; offline the check at start stays
// silent and a check asked for says the server cannot be reached. Screenshots: tests/screenshots/release.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Session, closeApp, freePort, startDriver } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appPath = process.env.KOZMOS_APP ?? join(root, 'target/debug/kozmos-desktop');
const cliPath = process.env.KOZMOS_CLI ?? join(root, 'target/debug/kozmos');
const driverPath = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const tauriCli = join(root, 'ui/node_modules/.bin/tauri');
const shots = join(root, 'tests/screenshots/release');
const dir = mkdtempSync(join(tmpdir(), 'kozmos-e2e-release-'));
const db = join(dir, 'kozmos.sqlite3');
const configHome = join(dir, 'config');
const version = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version = "(.+)"$/m)[1];
const NOTES = '- Neu: Steckbriefe auf Ukrainisch\n- <script>alert("x")</script> bleibt Text\n- Fehler beim Import behoben';

let driver;
let s;
let server;
let port;
const requests = [];

/** A package signed with a key that is not KOZMOS's: what an attacker could offer. */
function forgedPackage() {
  const payload = join(dir, 'KOZMOS_9.9.0_amd64.AppImage');
  writeFileSync(payload, 'not KOZMOS');
  const key = join(dir, 'forged.key');
  execFileSync(tauriCli, ['signer', 'generate', '--ci', '-p', '', '-w', key], { stdio: 'ignore' });
  execFileSync(tauriCli, ['signer', 'sign', '-f', key, '-p', '', payload], { stdio: 'ignore' });
  return { bytes: readFileSync(payload), signature: readFileSync(`${payload}.sig`, 'utf8') };
}

function startServer(pkg) {
  const manifest = {
    version: '9.9.0',
    notes: NOTES,
    pub_date: '2026-12-01T10:00:00Z',
    platforms: { 'linux-x86_64': { signature: pkg.signature, url: `http://127.0.0.1:${port}/KOZMOS_9.9.0_amd64.AppImage` } },
  };
  server = createServer((req, res) => {
    requests.push(req.url);
    if (req.url === '/latest.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(manifest));
    } else {
      res.end(pkg.bytes);
    }
  });
  return new Promise((done) => server.listen(port, '127.0.0.1', done));
}

before(async () => {
  rmSync(shots, { recursive: true, force: true });
  execFileSync(cliPath, ['--db', db, 'init', '--network', 'lamsa', '--volunteer', 'Amira Haddad']);
  port = await freePort();
  await startServer(forgedPackage());
  driver = await startDriver(driverPath, { KOZMOS_UPDATE_URL: `http://127.0.0.1:${port}/latest.json`, XDG_CONFIG_HOME: configHome });
  s = await Session.start(driver, appPath, ['--db', db], shots);
});

after(async () => {
  server?.close();
  await closeApp({ session: s, driver, appPath, dbs: [db], dir });
});

test('Über KOZMOS shows the version of Cargo.toml and the licences of the bundled software', async () => {
  await s.click('[data-testid=nav-settings]');
  assert.equal(await s.text('[data-testid=about-version]'), version);
  await s.click('[data-testid=show-licenses]');
  await s.find('[data-testid=licenses-crate]');
  const summaries = await s.exec('return [...document.querySelectorAll("[data-testid^=licenses-] > summary")].map((e) => e.textContent)');
  const counts = Object.fromEntries(summaries.map((t) => [t.replace(/ \(\d+\)$/, ''), Number(t.match(/\((\d+)\)$/)[1])]));
  assert.equal(counts['Schriften'], 6);
  assert.ok(counts['Rust-Bibliotheken'] > 300, summaries.join());
  assert.ok(counts['Bibliotheken der Oberfläche (npm)'] >= 3, summaries.join());
  await s.type('[data-testid=license-filter]', 'libsqlite3-sys');
  await s.until(async () => (await s.count('[data-testid=license-component]')) === 1, 'one component for the filter');
  assert.match(await s.text('[data-testid=license-component]'), /libsqlite3-sys [0-9.]+ – MIT/);
  await s.click('[data-testid=license-component] summary');
  assert.match(await s.text('[data-testid=license-component]'), /Permission is hereby granted/);
  await s.type('[data-testid=license-filter]', 'Arabic');
  await s.waitText('[data-testid=license-component]', 'Noto Sans Arabic');
  await s.click('[data-testid=license-component] summary');
  await s.waitText('[data-testid=license-component]', 'SIL OPEN FONT LICENSE');
  await s.screenshot('about');
});

test('the check at start finds the newer release and only says so; the notes are text', async () => {
  await s.find('[data-testid=update-banner]');
  assert.match(await s.text('[data-testid=update-banner]'), /KOZMOS 9\.9\.0 ist verfügbar/);
  await s.screenshot('banner');
  await s.click('[data-testid=update-details]');
  const found = await s.text('[data-testid=update-banner] [data-testid=update-found]');
  assert.match(found, new RegExp(`Version 9\\.9\\.0 ist verfügbar \\(installiert: ${version.replace(/\./g, '\\.')}\\)`));
  assert.match(found, /Veröffentlicht am 01\.12\.2026/);
  assert.equal(await s.text('[data-testid=update-notes]'), NOTES);
  assert.equal(await s.count('script:not([src])'), 0);
  assert.deepEqual(requests, ['/latest.json'], 'nothing downloaded before the user asked');
  await s.screenshot('found');
});

test('installing downloads the package and refuses it when someone else signed it', async () => {
  await s.click('[data-testid=install-update]');
  await s.waitText('[data-testid=install-error]', 'nicht gültig signiert', 20000);
  assert.ok(requests.includes('/KOZMOS_9.9.0_amd64.AppImage'));
  await s.screenshot('forged-refused');
  // KOZMOS keeps running in its version.
  await s.click('[data-testid=nav-overview]');
  await s.click('[data-testid=nav-settings]');
  assert.equal(await s.text('[data-testid=about-version]'), version);
});

test('the check at start can be turned off; the choice is kept for this computer', async () => {
  await s.click('[data-testid=check-updates-at-start]');
  const file = join(configHome, 'de.kozmos.desktop', 'preferences.json');
  await s.until(() => JSON.parse(readFileSync(file, 'utf8')).check_updates_at_start === false, 'the preference saved');
  await s.click('[data-testid=check-updates-at-start]');
  await s.until(() => JSON.parse(readFileSync(file, 'utf8')).check_updates_at_start === true, 'the preference saved again');
});

test('offline, the check at start is silent and a check asked for says the server is unreachable', async () => {
  await new Promise((done) => server.close(done));
  server = null;
  const shotNo = s.shotNo;
  await s.end();
  s = await Session.start(driver, appPath, ['--db', db], shots);
  s.shotNo = shotNo;
  await s.find('[data-testid=nav-settings]', 15000);
  await sleep(3000);
  assert.equal(await s.count('[data-testid=update-banner]'), 0);
  assert.equal(await s.count('[role=alert]'), 0);
  await s.click('[data-testid=nav-settings]');
  await s.click('[data-testid=check-updates]');
  await s.waitText('[data-testid=update-error]', 'nicht erreichbar', 25000);
  await s.exec('document.getElementById("updates").scrollIntoView()');
  await s.screenshot('offline');
});
