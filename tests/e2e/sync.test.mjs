// Sync files in the real window: installation A (LAMSA) exports through the wizard, encrypted;
// installation B (MigraNetz, its own data) imports that file after a preview, sees the records in its
// list, is told a second import changes nothing, resolves a conflict from concurrent edits, syncs
// through a shared folder, writes a file for A alone that carries only the field A lacks, and undoes
// an import (refused once the record changed again). The native dialogs are replaced by
// KOZMOS_SAVE_DIR, KOZMOS_OPEN_FILE and KOZMOS_OPEN_DIR. Screenshots of every step go to
// tests/screenshots/sync (ignored by git).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, startDriver, closeApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appPath = process.env.KOZMOS_APP ?? join(root, 'target/debug/kozmos-desktop');
const cliPath = process.env.KOZMOS_CLI ?? join(root, 'target/debug/kozmos');
const driverPath = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const shots = join(root, 'tests/screenshots/sync');
const dir = mkdtempSync(join(tmpdir(), 'kozmos-e2e-sync-'));
const dbA = join(dir, 'a', 'kozmos.sqlite3');
const dbB = join(dir, 'b', 'kozmos.sqlite3');
const saveDir = join(dir, 'saved');
const shared = join(dir, 'shared');
/** The file the open dialog "chooses": each step copies the file it imports here. */
const incoming = join(dir, 'incoming.kozmos-sync');
const PASSPHRASE = 'Pferd Batterie Heftklammer 7';
const ARABIC = 'الجمعية الثقافية العربية الألمانية';
const VIETNAMESE = 'Hội người Việt Halle';

let driver;
let s;

function cli(db, ...args) {
  return execFileSync(cliPath, ['--db', db, '--lang', 'de', ...args], { encoding: 'utf8' });
}

function cliJson(db, ...args) {
  return JSON.parse(cli(db, ...args, '--json'));
}

function idOf(db, search) {
  const [found] = cliJson(db, 'associations', 'list', '--search', search);
  assert.ok(found, `association "${search}" in ${db}`);
  return found.id;
}

async function key(...values) {
  const down = values.map((value) => ({ type: 'keyDown', value }));
  const up = [...values].reverse().map((value) => ({ type: 'keyUp', value }));
  await s.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: [...down, ...up] }] });
  await s.cmd('DELETE', '/actions');
}

/** Starts the app on a database; screenshots keep counting across sessions. */
async function launch(db) {
  const shotNo = s?.shotNo ?? 0;
  await s?.end();
  s = await Session.start(driver, appPath, ['--db', db], shots);
  s.shotNo = shotNo;
  await s.find('[data-testid=nav-sync]', 15000);
}

async function openTab(tab) {
  await s.click(`[data-testid=sync-tab-${tab}]`);
  await s.until(async () => (await (await s.find(`[data-testid=sync-tab-${tab}]`)).attribute('aria-selected')) === 'true', `tab ${tab}`);
}

/** Chooses the file at `incoming` in the import wizard. */
async function chooseIncoming() {
  await openTab('import');
  await s.click('[data-testid=choose-file]');
  await s.waitText('[data-testid=picked-file]', 'incoming.kozmos-sync');
}

async function counts() {
  const out = {};
  for (const key of ['new', 'changed', 'deleted', 'restored', 'purged', 'conflicts', 'duplicates']) {
    out[key] = Number((await s.text(`[data-testid=count-${key}] .count-number`)).replace(/\D/g, ''));
  }
  return out;
}

before(async () => {
  rmSync(shots, { recursive: true, force: true });
  for (const d of [saveDir, shared, dirname(dbA), dirname(dbB)]) mkdirSync(d, { recursive: true });
  // Installation A (LAMSA): three associations in three scripts, and a person who did not consent to sharing.
  cli(dbA, 'init', '--network', 'lamsa', '--volunteer', 'Anna');
  cli(dbA, 'associations', 'add', '--name', 'Deutsch-Arabischer Kulturverein', '--name-original', ARABIC,
    '--city', 'Magdeburg', '--district', '15003', '--themes', 'kultur,dialog');
  cli(dbA, 'associations', 'add', '--name', 'Vietnamesischer Verein Halle', '--name-original', VIETNAMESE,
    '--city', 'Halle (Saale)', '--district', '15002', '--postcode', '06108');
  cli(dbA, 'associations', 'add', '--name', 'Afrikanischer Elternverein Dessau', '--city', 'Dessau-Roßlau');
  cli(dbA, 'persons', 'add', '--association', idOf(dbA, 'Elternverein'), '--name', 'Amadou Diallo', '--email', 'amadou@example.org');
  // Installation B (MigraNetz Thüringen) with its own data.
  cli(dbB, 'init', '--network', 'migranetz', '--volunteer', 'Bernd');
  cli(dbB, 'associations', 'add', '--name', 'Ukrainischer Verein Jena', '--name-original', 'Українська громада Єни', '--city', 'Jena');
  // The native dialogs cannot be driven through WebDriver; the app uses these paths instead.
  process.env.KOZMOS_SAVE_DIR = saveDir;
  process.env.KOZMOS_OPEN_FILE = incoming;
  process.env.KOZMOS_OPEN_DIR = shared;
  driver = await startDriver(driverPath);
});

after(() => closeApp({ session: s, driver, appPath, dbs: [dbA, dbB], dir }));

test('A exports through the wizard: privacy profile, a confirmation for all data, an encrypted file', async () => {
  await launch(dbA);
  await s.click('[data-testid=nav-sync]');
  await s.find('[data-testid=sync-overview]');
  assert.match(await s.text('[data-testid=sync-site]'), /LAMSA/);
  assert.match(await s.text('[data-testid=sync-peers]'), /Noch keine Datei/);
  await s.screenshot('a-overview');

  // Keyboard: the tabs are one stop; the arrow keys move between them.
  await s.exec('document.getElementById("sync-tab-overview").focus()');
  await key('\uE014');
  await s.find('[data-testid=sync-export]');
  assert.equal(await s.exec('return document.activeElement.id'), 'sync-tab-export');
  assert.equal(await s.exec('return document.querySelector("[data-testid=profile-consented]").checked'), true);
  await s.screenshot('a-export-wizard');

  // "All data" asks first; cancelling keeps the recommended profile.
  await s.click('[data-testid=profile-all]');
  await s.find('[data-testid=confirm-dialog][open]');
  assert.match(await s.text('[data-testid=confirm-dialog][open]'), /nicht zugestimmt/);
  await s.screenshot('a-export-all-confirm');
  await s.click('[data-testid=confirm-dialog][open] [data-testid=confirm-cancel]');
  await s.until(async () => (await s.count('dialog[open]')) === 0, 'the dialog closes');
  assert.equal(await s.exec('return document.querySelector("[data-testid=profile-consented]").checked'), true);
  assert.equal(await s.exec('return document.querySelector("[data-testid=profile-all]").checked'), false);

  // The passphrase: a live strength hint, and the repeat must match.
  await s.click('[data-testid=export-encrypt]');
  await s.type('[data-testid=export-passphrase]', 'kurz');
  await s.waitText('[data-testid=export-strength]', 'Zu kurz');
  await s.type('[data-testid=export-passphrase]', PASSPHRASE);
  await s.waitText('[data-testid=export-strength]', 'Stark');
  await s.type('[data-testid=export-repeat]', 'Pferd Batterie');
  await s.click('[data-testid=export-save]');
  assert.match(await s.text('[data-testid=error-export-repeat]'), /stimmen nicht überein/);
  assert.equal(await (await s.find('[data-testid=export-repeat]')).attribute('aria-invalid'), 'true');
  assert.equal(readdirSync(saveDir).length, 0, 'nothing is written while the form has a problem');
  await s.screenshot('a-export-passphrase-mismatch');
  await s.type('[data-testid=export-repeat]', PASSPHRASE);
  await s.click('[data-testid=export-save]');
  await s.waitText('[data-testid=export-saved]', '.kozmos-sync', 30000);
  assert.equal(await s.text('[data-testid=export-rows]'), '3');
  assert.match(await s.text('[data-testid=export-result]'), /verschlüsselt/);
  assert.match(await s.text('[data-testid=export-result]'), /Kontaktpersonen ohne Einwilligung/);
  await s.screenshot('a-export-saved');
  const [file] = readdirSync(saveDir);
  assert.match(file, /^kozmos-lamsa-\d{4}-\d{2}-\d{2}\.kozmos-sync$/);
  copyFileSync(join(saveDir, file), incoming);
  const [exported] = cliJson(dbA, 'sync', 'history');
  assert.equal(exported.direction, 'export');
  assert.equal(exported.encrypted, true);
});

test('B imports the file: passphrase, preview with the new records, apply, the records in the list', async () => {
  await launch(dbB);
  await s.click('[data-testid=nav-sync]');
  await chooseIncoming();
  await s.find('[data-testid=import-passphrase]');
  await s.type('[data-testid=import-passphrase]', 'falsches Passwort');
  await s.click('[data-testid=open-file]');
  await s.find('[data-testid=error-passphrase]', 30000);
  assert.equal(await (await s.find('[data-testid=import-passphrase]')).attribute('aria-invalid'), 'true');
  await s.screenshot('b-import-wrong-passphrase');
  await s.type('[data-testid=import-passphrase]', PASSPHRASE);
  await s.click('[data-testid=open-file]');
  await s.find('[data-testid=sync-preview]', 30000);
  assert.match(await s.text('[data-testid=preview-header]'), /LAMSA e\.V\./);
  assert.match(await s.text('[data-testid=preview-header]'), /verschlüsselt/);
  assert.match(await s.text('[data-testid=preview-header]'), /Kontaktpersonen ohne Einwilligung/);
  assert.deepEqual(await counts(), { new: 3, changed: 0, deleted: 0, restored: 0, purged: 0, conflicts: 0, duplicates: 0 });
  const records = await s.text('[data-testid=preview-records]');
  for (const name of ['Deutsch-Arabischer Kulturverein', 'Vietnamesischer Verein Halle', 'Afrikanischer Elternverein Dessau']) {
    assert.match(records, new RegExp(name));
  }
  assert.doesNotMatch(records, /Amadou/, 'the person without consent stayed at A');
  await s.screenshot('b-import-preview');
  await s.click('[data-testid=import-apply]');
  await s.waitText('[data-testid=import-counts]', '3 neu', 30000);
  // A small file keeps an undo journal instead of a backup copy of the whole database.
  assert.match(await s.text('[data-testid=sync-undo]'), /Bis zum nächsten Import lässt sich dieser Import rückgängig machen/);
  assert.equal(await s.count('[data-testid=import-backup]'), 0);
  await s.screenshot('b-import-applied');

  await s.click('[data-testid=nav-associations]');
  await s.waitText('[data-testid=list-count]', 'von 4');
  const names = await Promise.all((await s.findAll('[data-testid=open-association]')).map((r) => r.text()));
  assert.deepEqual(names.map((n) => n.trim()).sort(), [
    'Afrikanischer Elternverein Dessau',
    'Deutsch-Arabischer Kulturverein',
    'Ukrainischer Verein Jena',
    'Vietnamesischer Verein Halle',
  ]);
  await s.type('[data-testid=search]', 'العربية');
  await s.waitText('[data-testid=open-association]', 'Deutsch-Arabischer Kulturverein');
  await s.screenshot('b-list-after-import');
  assert.equal(cliJson(dbB, 'persons', 'search', 'amadou').length, 0);
});

test('importing the same file again says so, and changes nothing', async () => {
  await s.click('[data-testid=nav-sync]');
  await chooseIncoming();
  await s.type('[data-testid=import-passphrase]', PASSPHRASE);
  await s.click('[data-testid=open-file]');
  await s.waitText('[data-testid=already-imported]', 'schon importiert', 30000);
  assert.equal(await (await s.find('[data-testid=import-apply]')).property('disabled'), true);
  await s.screenshot('b-already-imported');
  await s.click('[data-testid=import-cancel]');
  await s.until(async () => (await s.count('[data-testid=sync-preview]')) === 0, 'the preview closes');
});

test('concurrent edits: the preview names the conflict, a changed file is refused, the conflict is restored', async () => {
  const id = idOf(dbA, 'Vietnamesischer Verein Halle');
  // Both installations edit the city before either knows of the other's edit; B's edit is the newer one.
  cli(dbA, 'associations', 'edit', id, '--city', 'Halle-Neustadt', '--postcode', '06122');
  cli(dbB, 'associations', 'edit', id, '--city', 'Halle-Süd');
  const second = join(dir, 'a-second.kozmos-sync');
  cli(dbA, 'sync', 'export', '--out', second);
  copyFileSync(second, incoming);

  await chooseIncoming();
  await s.find('[data-testid=sync-preview]', 30000);
  const shown = await counts();
  assert.equal(shown.changed, 1);
  assert.equal(shown.conflicts, 1);
  const record = await s.text('[data-testid=preview-record][data-outcome=changed]');
  assert.match(record, /Vietnamesischer Verein Halle/);
  assert.match(record, /PLZ:\s*06108\s*→\s*06122/);
  assert.match(await s.text('[data-testid=preview-conflict]'), /Ort – Konflikt: „Halle-Süd“ gilt; „Halle-Neustadt“ von LAMSA e\.V\. \(/);
  await s.screenshot('b-conflict-preview');

  // The file changes between preview and apply (a sync tool wrote a newer one): nothing is applied.
  writeFileSync(incoming, 'not the previewed file');
  await s.click('[data-testid=import-apply]');
  await s.waitText('[data-testid=error-file]', 'seit der Vorschau geändert');
  assert.equal(cliJson(dbB, 'associations', 'show', id).postcode, '06108');
  await s.screenshot('b-file-changed');
  copyFileSync(second, incoming);
  await s.click('[data-testid=import-apply]');
  await s.waitText('[data-testid=import-counts]', '1 geändert', 30000);
  assert.equal(cliJson(dbB, 'associations', 'show', id).postcode, '06122');
  assert.equal(cliJson(dbB, 'associations', 'show', id).city, 'Halle-Süd');

  await s.waitText('[data-testid=conflict-badge]', '1');
  await s.click('[data-testid=to-conflicts]');
  await s.find('[data-testid=conflict]');
  assert.equal(await s.text('[data-testid=conflict-kept]'), 'Halle-Süd');
  assert.equal(await s.text('[data-testid=conflict-lost]'), 'Halle-Neustadt');
  assert.match(await s.text('[data-testid=conflict]'), /Vietnamesischer Verein Halle.*Ort/s);
  assert.match(await s.text('[data-testid=conflict]'), /diese Installation/);
  await s.screenshot('b-conflicts');
  await s.click('[data-testid=restore-conflict]');
  await s.find('[data-testid=no-conflicts]');
  await s.waitText('[data-testid=toast]', 'Halle-Neustadt');
  assert.equal(cliJson(dbB, 'associations', 'show', id).city, 'Halle-Neustadt');
  assert.equal(await s.count('[data-testid=conflict-badge]'), 0);
  await s.click('[data-testid=show-seen]');
  await s.waitText('[data-testid=conflict]', 'wiederhergestellt am');
  await s.screenshot('b-conflict-restored');
});

test('shared folder: choose it, sync now, apply the other installation\'s new file', async () => {
  await openTab('folder');
  assert.match(await s.text('[data-testid=folder-path]'), /Noch kein Ordner/);
  assert.equal(await (await s.find('[data-testid=sync-now]')).property('disabled'), true);
  await s.click('[data-testid=choose-folder]');
  await s.waitText('[data-testid=folder-path]', shared);
  await s.click('[data-testid=sync-now]');
  await s.waitText('[data-testid=folder-written]', 'Eigene Datei geschrieben', 30000);
  await s.find('[data-testid=no-incoming]');

  // A puts its own file into the folder, with one more association.
  cli(dbA, 'associations', 'add', '--name', 'Syrischer Frauenverein Gera', '--name-original', 'جمعية النساء السوريات', '--city', 'Gera');
  cli(dbA, 'sync', 'folder', '--set', shared, '--now', '--yes');
  await s.click('[data-testid=sync-now]');
  await s.find('[data-testid=incoming-file]', 30000);
  assert.match(await s.text('[data-testid=folder-written]'), /aktuell/);
  assert.match(await s.text('[data-testid=incoming-file]'), /Datei von LAMSA e\.V\./);
  assert.match(await s.text('[data-testid=incoming-file]'), /Syrischer Frauenverein Gera/);
  await s.screenshot('b-folder-incoming');
  await s.click('[data-testid=incoming-apply]');
  await s.waitText('[data-testid=incoming-applied]', '1 neu', 30000);
  await s.screenshot('b-folder-applied');
  assert.equal(cliJson(dbB, 'associations', 'list', '--search', 'frauenverein').length, 1);
});

test('history and overview show every file; English on request', async () => {
  await openTab('history');
  // Three imports (the repeated one changed nothing and is not logged), one export into the folder.
  await s.until(async () => (await s.count('[data-testid=history-row]')) === 4, 'four entries');
  assert.equal(await s.count('[data-testid=history-row][data-direction=import]'), 3);
  assert.match(await s.text('[data-testid=history-table]'), /1 geändert · 1 Konflikt/);
  await s.screenshot('b-history');
  await openTab('overview');
  await s.waitText('[data-testid=peer]', 'LAMSA e.V.');
  await s.screenshot('b-overview');
  await s.click('[data-testid=lang-en]');
  await s.waitText('[data-testid=sync-tab-import]', 'Import file');
  await s.waitText('[data-testid=sync-peers] h2', 'Other installations');
  await s.screenshot('b-overview-english');
  await s.click('[data-testid=lang-de]');
  await s.waitText('[data-testid=sync-tab-import]', 'Datei importieren');
});

test('a file erasing many persons: the warning names them, apply waits for the extra tick', async () => {
  const club = idOf(dbA, 'Elternverein');
  const ids = [];
  for (let i = 0; i < 20; i++) {
    ids.push(cliJson(dbA, 'persons', 'add', '--association', club, '--name', `Mitglied Nummer ${String(i).padStart(2, '0')}`).id);
  }
  const everyone = join(dir, 'alle.kozmos-sync');
  cli(dbA, 'sync', 'export', '--profile', 'all', '--yes', '--out', everyone);
  cli(dbB, 'sync', 'import', everyone, '--yes');
  for (const id of ids.slice(0, 6)) cli(dbA, 'persons', 'erase', id, '--yes');
  rmSync(incoming);
  cli(dbA, 'sync', 'export', '--profile', 'all', '--yes', '--out', incoming);

  await chooseIncoming();
  await s.find('[data-testid=mass-warning]', 30000);
  assert.equal(await (await s.find('[data-testid=mass-warning]')).attribute('role'), 'alert');
  const warning = await s.text('[data-testid=mass-warning]');
  assert.match(warning, /Kontaktperson: 6 von 21 würden anonymisiert/);
  for (let i = 0; i < 6; i++) assert.match(warning, new RegExp(`Mitglied Nummer 0${i}`));
  assert.doesNotMatch(warning, /Mitglied Nummer 06/);
  assert.equal(await (await s.find('[data-testid=import-apply]')).property('disabled'), true);
  await s.screenshot('b-mass-warning');
  // Keyboard: space on the focused checkbox.
  await (await s.find('[data-testid=mass-checked]')).sendKeys(' ');
  await s.until(async () => (await (await s.find('[data-testid=import-apply]')).property('disabled')) === false, 'apply enabled');
  await s.screenshot('b-mass-confirmed');
  await s.click('[data-testid=import-apply]');
  await s.waitText('[data-testid=import-counts]', '6 anonymisiert', 30000);
  assert.equal(cliJson(dbB, 'persons', 'search', 'Mitglied Nummer').length, 14);
});

test('a file with 230 new records: the preview pages through every one, forward and back, by keyboard; the shared folder too', async () => {
  const csv = join(dir, 'viele.csv');
  const name = (i) => `Massenverein Nummer ${String(i).padStart(3, '0')}`;
  writeFileSync(csv, `Name;Ort\n${Array.from({ length: 230 }, (_, i) => `${name(i)};Erfurt\n`).join('')}`);
  cli(dbA, 'import', csv, '--kind', 'associations', '--yes');
  rmSync(incoming, { force: true });
  cli(dbA, 'sync', 'export', '--out', incoming);
  const total = cliJson(dbB, 'sync', 'preview', incoming).records_total;
  assert.ok(total >= 230, `${total}`);
  const pages = Math.ceil(total / 100);
  const n = (x) => x.toLocaleString('de-DE');
  const range = (page) => `Einträge ${n((page - 1) * 100 + 1)}–${n(Math.min(page * 100, total))} von ${n(total)}`;
  const names = () => s.exec('return [...document.querySelectorAll("[data-testid=preview-record] .record-name")].map((e) => e.textContent)');
  const focused = () => s.exec('return document.activeElement?.dataset.testid ?? null');
  const disabled = async (id) => (await s.find(`[data-testid=${id}]`)).property('disabled');

  await chooseIncoming();
  await s.waitText('[data-testid=records-range]', range(1), 30000);
  assert.equal(await s.count('[data-testid=preview-record]'), 100);
  assert.equal(await disabled('records-prev'), true);
  const seen = new Map();
  const collect = async () => {
    for (const shown of await names()) seen.set(shown, (seen.get(shown) ?? 0) + 1);
  };
  await collect();
  // Keyboard: Enter on the focused "Weiter", page after page; the focus stays on it.
  await s.exec('document.querySelector("[data-testid=records-next]").focus()');
  for (let page = 2; page <= pages; page++) {
    await key('\uE007');
    await s.waitText('[data-testid=records-range]', range(page));
    await collect();
    if (page < pages) assert.equal(await focused(), 'records-next');
  }
  // On the last page "Weiter" is disabled and the focus moved to "Zurück".
  assert.equal(await disabled('records-next'), true);
  assert.equal(await focused(), 'records-prev');
  assert.equal(await s.count('[data-testid=preview-record]'), total - (pages - 1) * 100);
  await s.screenshot('b-records-last-page');
  assert.equal(seen.size, total, 'every record listed');
  for (let i = 0; i < 230; i++) assert.equal(seen.get(name(i)), 1, `${name(i)} exactly once`);

  await key('\uE007');
  await s.waitText('[data-testid=records-range]', range(pages - 1));
  assert.equal(await focused(), 'records-prev');
  assert.equal(await disabled('records-next'), false);
  await s.screenshot('b-records-back');
  await s.click('[data-testid=lang-en]');
  await s.waitText('[data-testid=records-range]', `Records ${(pages - 2) * 100 + 1}–${(pages - 1) * 100} of ${total}`);
  assert.match(await s.text('[data-testid=records-pager]'), /Back.*Next/s);
  await s.click('[data-testid=lang-de]');
  await s.waitText('[data-testid=records-range]', range(pages - 1));
  await s.click('[data-testid=import-cancel]');

  // The same file in the shared folder: its records are paged too (the app previews it again for that).
  copyFileSync(incoming, join(shared, 'kozmos-gross.kozmos-sync'));
  await openTab('folder');
  await s.click('[data-testid=sync-now]');
  await s.waitText('[data-testid=incoming-file] [data-testid=records-range]', range(1), 30000);
  await s.click('[data-testid=incoming-file] [data-testid=records-next]');
  await s.waitText('[data-testid=incoming-file] [data-testid=records-range]', range(2), 30000);
  assert.equal(await focused(), 'records-next');
  await s.screenshot('b-folder-records-page-2');
  await s.click('[data-testid=incoming-file] [data-testid=records-prev]');
  await s.waitText('[data-testid=incoming-file] [data-testid=records-range]', range(1));
  await s.click('[data-testid=incoming-apply]');
  await s.waitText('[data-testid=incoming-applied]', '230 neu', 60000);
  assert.equal(cliJson(dbB, 'associations', 'list', '--search', 'Massenverein', '--limit', '500').length, 230);
});

test('an encrypted shared folder: said plainly when it is not, the passphrase in the keyring, asked for when forgotten', async () => {
  await openTab('folder');
  assert.match(await s.text('[data-testid=folder-plain]'), /nicht verschlüsselt: Wer den Ordner lesen kann/);
  await s.screenshot('b-folder-plain');
  await s.click('[data-testid=folder-encrypt]');
  await s.until(async () => (await s.exec('return document.activeElement?.dataset.testid')) === 'folder-passphrase', 'passphrase focused');
  await s.click('[data-testid=folder-encrypt-save]');
  assert.match(await s.text('[data-testid=error-folder-passphrase]'), /Bitte geben Sie eine Passphrase ein/);
  await s.type('[data-testid=folder-passphrase]', PASSPHRASE);
  await s.waitText('[data-testid=folder-strength]', 'Stark');
  await s.type('[data-testid=folder-repeat]', PASSPHRASE);
  assert.equal(await (await s.find('[data-testid=folder-remember]')).property('checked'), true);
  await s.screenshot('b-folder-encrypt-form');
  await s.click('[data-testid=folder-encrypt-save]');
  await s.waitText('[data-testid=folder-encrypted]', 'im Schlüsselbund dieses Computers gespeichert', 30000);
  assert.equal(await s.count('[data-testid=folder-plain]'), 0);

  // B's file is written encrypted; A's plain file in the folder is not opened any more.
  await s.click('[data-testid=sync-now]');
  await s.waitText('[data-testid=folder-written]', '(verschlüsselt)', 60000);
  await s.screenshot('b-folder-encrypted-sync');
  const own = join(shared, `kozmos-${cliJson(dbB, 'info').site_id}.kozmos-sync`);
  assert.throws(() => cli(dbA, 'sync', 'preview', own), /verschlüsselt/);

  // A switches on with the same passphrase and adds an association; B reads it.
  const agreed = join(dir, 'vereinbart.txt');
  writeFileSync(agreed, PASSPHRASE);
  cli(dbA, 'associations', 'add', '--name', 'Kurdischer Kulturverein Erfurt', '--city', 'Erfurt');
  cli(dbA, 'sync', 'folder', '--encryption', 'on', '--passphrase-file', agreed, '--now', '--yes');
  await s.click('[data-testid=sync-now]');
  await s.waitText('[data-testid=incoming-file]', 'Kurdischer Kulturverein Erfurt', 60000);
  await s.click('[data-testid=incoming-apply]');
  await s.waitText('[data-testid=incoming-applied]', '1 neu', 60000);

  // Forgotten: the next sync asks, a typo is caught at the field, the right one syncs.
  await s.click('[data-testid=folder-forget]');
  await s.waitText('[data-testid=folder-encrypted]', 'beim nächsten Abgleich gefragt');
  await s.click('[data-testid=sync-now]');
  await s.find('[data-testid=folder-unlock]', 30000);
  await s.until(async () => (await s.exec('return document.activeElement?.dataset.testid')) === 'folder-unlock', 'prompt focused');
  await s.type('[data-testid=folder-unlock]', 'Pferd Batterie Heftklammer 8\uE007');
  await s.waitText('[data-testid=error-folder-unlock]', 'passt nicht', 60000);
  assert.equal(await (await s.find('[data-testid=folder-unlock]')).attribute('aria-invalid'), 'true');
  await s.screenshot('b-folder-unlock-wrong');
  await s.type('[data-testid=folder-unlock]', `${PASSPHRASE}\uE007`);
  await s.find('[data-testid=folder-result]', 60000);
  await s.waitText('[data-testid=folder-encrypted]', 'im Schlüsselbund');

  // After a restart the keyring has it: no question.
  await launch(dbB);
  await s.click('[data-testid=nav-sync]');
  await openTab('folder');
  await s.waitText('[data-testid=folder-encrypted]', 'im Schlüsselbund');
  await s.click('[data-testid=sync-now]');
  await s.find('[data-testid=folder-result]', 60000);
  assert.equal(await s.count('[data-testid=folder-unlock]'), 0);
  await s.screenshot('b-folder-after-restart');
});

test('B writes a file for A alone: of a record A has, only the field A lacks travels', async () => {
  const id = idOf(dbB, 'Vietnamesischer Verein Halle');
  cli(dbB, 'associations', 'edit', id, '--phone', '0345 6789012');
  await launch(dbB);
  await s.click('[data-testid=nav-sync]');
  await openTab('export');
  await s.click('[data-testid=export-peer]');
  assert.match(await s.text('[data-testid=sync-export]'), /Nur Neues für LAMSA e\.V\./);
  // All data: a filtered profile sends every person it allows whole (one may be newly allowed).
  await s.click('[data-testid=profile-all]');
  await s.click('[data-testid=confirm-dialog][open] [data-testid=confirm-ok]');
  await s.until(async () => (await s.count('dialog[open]')) === 0, 'the dialog closes');
  await s.screenshot('b-export-for-peer');
  for (const f of readdirSync(saveDir)) rmSync(join(saveDir, f));
  await s.click('[data-testid=export-save]');
  await s.waitText('[data-testid=export-saved]', '.kozmos-sync', 30000);
  assert.equal(await s.text('[data-testid=export-rows]'), '1');
  assert.equal(await s.text('[data-testid=export-fields]'), '1');
  await s.screenshot('b-export-for-peer-saved');
  const [file] = readdirSync(saveDir);
  const preview = cliJson(dbA, 'sync', 'preview', join(saveDir, file));
  assert.deepEqual([preview.counts.new, preview.counts.changed, preview.counts.conflicts], [0, 1, 0]);
  cli(dbA, 'sync', 'import', join(saveDir, file), '--yes');
  assert.equal(cliJson(dbA, 'associations', 'show', id).phone, '0345 6789012');
  assert.equal(cliJson(dbA, 'associations', 'show', id).city, cliJson(dbB, 'associations', 'show', id).city);
});

test('B undoes an import in the window: asked first, all as before, the file importable again; refused once the record changed', async () => {
  const id = idOf(dbA, 'Deutsch-Arabischer Kulturverein');
  const siteB = cliJson(dbB, 'info').site_id;
  cli(dbA, 'associations', 'edit', id, '--phone', '0391 5550123');
  const weekly = join(dir, 'a-weekly.kozmos-sync');
  cli(dbA, 'sync', 'export', '--peer', siteB, '--profile', 'all', '--yes', '--out', weekly);
  copyFileSync(weekly, incoming);
  const phoneBefore = cliJson(dbB, 'associations', 'show', id).phone ?? null;
  const historyBefore = cliJson(dbB, 'sync', 'history').length;

  await chooseIncoming();
  await s.find('[data-testid=sync-preview]', 30000);
  await s.click('[data-testid=import-apply]');
  await s.waitText('[data-testid=import-counts]', '1 geändert', 30000);
  assert.equal(cliJson(dbB, 'associations', 'show', id).phone, '0391 5550123');
  await s.screenshot('b-import-undoable');
  await s.click('[data-testid=undo-import]');
  await s.waitText('[data-testid=confirm-dialog][open]', 'Import rückgängig machen?');
  const asked = await s.text('[data-testid=confirm-dialog][open]');
  assert.match(asked, /Import vom .*LAMSA.*incoming\.kozmos-sync/s);
  assert.match(asked, /1 geändert/);
  await s.screenshot('b-undo-asked');
  await s.click('[data-testid=confirm-dialog][open] [data-testid=confirm-ok]');
  await s.waitText('[data-testid=undo-done]', 'alles ist wie vorher', 30000);
  assert.equal(cliJson(dbB, 'associations', 'show', id).phone ?? null, phoneBefore);
  // The result no longer claims what was undone: no "Übernommen", no way to its conflicts.
  assert.equal(await s.count('[data-testid=import-counts]'), 0);
  assert.equal(await s.count('[data-testid=to-conflicts]'), 0);
  await s.screenshot('b-undone');

  // The history keeps the import, marked as undone; the same file is not "imported before".
  await openTab('history');
  await s.find('[data-testid=history-table]');
  assert.equal(await s.count('[data-testid=sync-undo-last]'), 0);
  assert.equal(await s.count('[data-testid=history-row]'), historyBefore + 1);
  assert.match(await s.text('[data-testid=history-row]'), /rückgängig gemacht am/);
  assert.equal(await s.count('[data-testid=history-undone]'), 1);
  await s.screenshot('b-history-undone');
  assert.ok(cliJson(dbB, 'sync', 'history')[0].undone_at);
  await chooseIncoming();
  await s.find('[data-testid=sync-preview]', 30000);
  assert.equal(await s.count('[data-testid=already-imported]'), 0);
  await s.click('[data-testid=import-apply]');
  await s.waitText('[data-testid=import-counts]', '1 geändert', 30000);

  // B edits the record after the import: the undo on the history tab is refused and names it.
  cli(dbB, 'associations', 'edit', id, '--phone', '0391 5550999');
  await openTab('history');
  await s.waitText('[data-testid=sync-undo-last]', 'Letzten Import rückgängig machen');
  await s.click('[data-testid=sync-undo-last] [data-testid=undo-import]');
  await s.click('[data-testid=confirm-dialog][open] [data-testid=confirm-ok]');
  await s.waitText('[data-testid=undo-error]', '„Deutsch-Arabischer Kulturverein“ wurde nach dem Import noch einmal geändert', 30000);
  assert.equal(cliJson(dbB, 'associations', 'show', id).phone, '0391 5550999');
  assert.equal(await s.count('[data-testid=undo-import]'), 0, 'no button that can only fail');
  await s.screenshot('b-undo-refused');
});
