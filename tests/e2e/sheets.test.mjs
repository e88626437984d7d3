// Profile sheets in the real window: an association's sheet previewed (pages as pictures that have
// loaded), switched to English, saved as PDF and opened to print; a meeting pack for a foundation
// from the best matches and a picked association, reordered and saved; a batch of one network into
// a folder; the KOZMOS contact set in the settings (a bad e-mail first), after which the sheet no
// longer warns about it. The native dialogs are replaced by KOZMOS_SAVE_DIR and KOZMOS_OPEN_DIR, the
// PDF viewer by KOZMOS_VIEWER (a script that notes the path it was given). Screenshots of every
// step go to tests/screenshots/sheets (ignored by git).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, startDriver, closeApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appPath = process.env.KOZMOS_APP ?? join(root, 'target/debug/kozmos-desktop');
const cliPath = process.env.KOZMOS_CLI ?? join(root, 'target/debug/kozmos');
const driverPath = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const shots = join(root, 'tests/screenshots/sheets');
const dir = mkdtempSync(join(tmpdir(), 'kozmos-e2e-sheets-'));
const db = join(dir, 'kozmos.sqlite3');
const saveDir = join(dir, 'saved');
const folder = join(dir, 'folder');
const viewer = join(dir, 'viewer.sh');
const viewed = join(dir, 'viewed.txt');

const NAME = 'Deutsch-Arabischer Kulturverein Magdeburg';
const ARABIC = 'الجمعية الثقافية العربية الألمانية';
const FOUNDATION = 'Bürgerstiftung Magdeburg';

let driver;
let s;

function cli(...args) {
  return execFileSync(cliPath, ['--db', db, '--lang', 'de', ...args], { encoding: 'utf8' });
}

function cliJson(...args) {
  return JSON.parse(cli(...args, '--json'));
}

function pdfText(file) {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

function pdfPages(file) {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))[1]);
}

async function key(...values) {
  const down = values.map((value) => ({ type: 'keyDown', value }));
  const up = [...values].reverse().map((value) => ({ type: 'keyUp', value }));
  await s.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: [...down, ...up] }] });
  await s.cmd('DELETE', '/actions');
}

function shot(name) {
  return s.screenshot(name);
}

/** Notes whether `region` turns aria-busy and `button` disabled (with the status it shows) until asked. */
async function watchBusy(region, button) {
  await s.exec(`
    const region = document.querySelector(arguments[0]);
    const button = document.querySelector(arguments[1]);
    window.__busy = { busy: false, disabled: false, note: '' };
    window.__busyWatch?.disconnect();
    window.__busyWatch = new MutationObserver(() => {
      if (region.getAttribute('aria-busy') === 'true') window.__busy.busy = true;
      if (button.disabled) window.__busy.disabled = true;
      const note = region.querySelector('[role=status]');
      if (note && region.getAttribute('aria-busy') === 'true' && note.textContent.trim()) window.__busy.note = note.textContent.trim();
    });
    window.__busyWatch.observe(region, { attributes: true, childList: true, subtree: true, characterData: true });`, [region, button]);
}

async function sawBusy() {
  return s.exec('window.__busyWatch.disconnect(); return window.__busy');
}

/** The preview's pictures: how many, whether each has loaded, the first one's source. */
async function previewImages() {
  return s.exec(`
    const imgs = [...document.querySelectorAll('[data-testid=sheet-page-image]')];
    return {
      count: imgs.length,
      loaded: imgs.every((i) => i.complete && i.naturalWidth > 0),
      widths: imgs.map((i) => Math.round(i.getBoundingClientRect().width)),
      alt: imgs.map((i) => i.alt),
      first: imgs[0] ? imgs[0].src.slice(-200) : '',
      lang: document.querySelector('[data-testid=sheet-preview]').dataset.lang,
      busy: document.querySelector('[data-testid=sheet-preview]').getAttribute('aria-busy'),
    };`);
}

/** Waits for a finished preview in `lang`; the page count shown equals the pictures, all loaded. */
async function waitPreview(lang) {
  const shown = await s.until(async () => {
    const p = await previewImages();
    return p.lang === lang && p.busy === 'false' && p.count > 0 && p.loaded ? p : null;
  }, `a loaded ${lang} preview`, 15000);
  const count = Number((await s.text('[data-testid=sheet-page-count]')).replace(/\D/g, ''));
  assert.equal(shown.count, count, 'one picture per page');
  return shown;
}

const codes = async () =>
  s.exec('return [...document.querySelectorAll("[data-testid=sheet-warning]")].map((w) => w.dataset.code)');

const packNames = async () =>
  s.exec('return [...document.querySelectorAll("[data-testid=pack-item-name]")].map((n) => n.textContent.trim())');

before(async () => {
  rmSync(shots, { recursive: true, force: true });
  for (const d of [saveDir, folder]) mkdirSync(d, { recursive: true });
  cli('init', '--network', 'lamsa', '--volunteer', 'Anna Schmidt');
  const mission = 'Wir bringen arabischsprachige und deutsche Familien in Magdeburg zusammen: Sprachcafés, Hausaufgabenhilfe, Kulturabende und Beratung für Neuzugewanderte.';
  const missionEn = 'We bring Arabic-speaking and German families in Magdeburg together: language cafés, homework help, cultural evenings and advice for newcomers.';
  cli('associations', 'add', '--name', NAME, '--name-original', ARABIC, '--legal-form', 'ev', '--founded-year', '2012',
    '--city', 'Magdeburg', '--postcode', '39104', '--district', '15003', '--network', 'lamsa', '--themes', 'kultur,bildung',
    '--target-groups', 'children,families,newcomers', '--languages', 'ar,de', '--members', '85', '--volunteers', '20',
    '--website', 'www.dakv-magdeburg.de', '--email', 'info@dakv-magdeburg.de', '--mission-de', mission, '--mission-en', missionEn,
    '--previous-funders', 'Aktion Mensch,Stadt Magdeburg', '--needs', 'project,events');
  cli('associations', 'add', '--name', 'Syrischer Frauenverein Halle', '--name-original', 'جمعية النساء السوريات',
    '--city', 'Halle (Saale)', '--district', '15002', '--network', 'lamsa', '--themes', 'kultur,gleichstellung');
  cli('associations', 'add', '--name', 'Vietnamesischer Verein Dessau', '--name-original', 'Hội người Việt Dessau',
    '--city', 'Dessau-Roßlau', '--district', '15001', '--network', 'lamsa', '--themes', 'kultur,sprache');
  cli('associations', 'add', '--name', 'Ukrainischer Verein Jena', '--name-original', 'Українська громада Єни',
    '--city', 'Jena', '--district', '16053', '--network', 'migranetz', '--themes', 'kultur,bildung');
  cli('associations', 'add', '--name', 'Afghanischer Kulturverein Erfurt', '--name-original', 'انجمن فرهنگی افغان',
    '--city', 'Erfurt', '--district', '16051', '--network', 'migranetz', '--themes', 'kultur');
  const [a] = cliJson('associations', 'list', '--search', 'Kulturverein Magdeburg');
  const layla = cliJson('persons', 'add', '--association', a.id, '--name', 'Layla Haddad', '--name-original', 'ليلى حداد',
    '--role', 'Vorsitzende', '--email', 'layla@dakv-magdeburg.de');
  cli('persons', 'consent', layla.id, '--purpose', 'print', '--status', 'given');
  cli('persons', 'add', '--association', a.id, '--name', 'Omar Nasser', '--email', 'omar@example.org');
  cli('foundations', 'add', '--name', FOUNDATION, '--city', 'Magdeburg', '--state', 'ST', '--themes', 'kultur,bildung',
    '--funding-area', 'state', '--area-states', 'ST');
  writeFileSync(viewer, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${viewed}'\n`, { mode: 0o755 });
  // The native dialogs and the PDF viewer cannot be driven through WebDriver; these stand in.
  process.env.KOZMOS_SAVE_DIR = saveDir;
  process.env.KOZMOS_OPEN_DIR = folder;
  process.env.KOZMOS_VIEWER = viewer;
  // The sheet to print goes into the app's cache folder: keep it in the test's folder.
  process.env.XDG_CACHE_HOME = join(dir, 'cache');
  driver = await startDriver(driverPath);
  s = await Session.start(driver, appPath, ['--db', db], shots);
  await s.find('[data-testid=nav-associations]', 15000);
});

after(() => closeApp({ session: s, driver, appPath, dbs: [db], dir }));

test('an association opens its profile sheet: German pages, as pictures that have loaded', async () => {
  await s.click('[data-testid=nav-associations]');
  await s.type('[data-testid=search]', 'Kulturverein Magdeburg');
  await s.until(async () => {
    const rows = await s.findAll('[data-testid=open-association]');
    return rows.length === 1 && (await rows[0].text()).trim() === NAME;
  }, 'the one association found');
  await s.click('[data-testid=open-association]');
  await s.waitText('[data-testid=detail-name]', NAME);
  await shot('association');
  await s.click('[data-testid=open-sheet]');
  await s.find('[data-testid=sheet-page]');
  assert.equal(await s.text('[data-testid=sheet-name]'), NAME);
  assert.equal(await s.text('[data-testid=sheet-original]'), ARABIC);
  assert.equal(await (await s.find('[data-testid=sheet-original]')).attribute('dir'), 'auto');
  assert.equal(await s.exec('return document.querySelector("[data-testid=sheet-lang-de]").checked'), true);
  const de = await waitPreview('de');
  assert.match(de.alt[0], new RegExp(`^Seite 1 von ${de.count} des Profilblatts von ${NAME}$`));
  assert.ok(de.widths.every((w) => w > 500 && w <= 800), `pages scaled to the width: ${de.widths}`);
  assert.match(await s.text('[data-testid=sheet-page-count]'), /^\d+ Seiten?$/);
  // Omar has not agreed to be printed; the KOZMOS contact is not set yet.
  assert.deepEqual((await codes()).sort(), ['kozmos_contact_missing', 'persons_not_printed']);
  assert.match(await s.text('[data-testid=sheet-warnings]'), /1 Ansprechperson hat nicht eingewilligt/);
  await shot('sheet-german');
  await s.exec('document.querySelector("[data-testid=sheet-page-image]").scrollIntoView({ block: "start" })');
  await shot('sheet-german-page');
  await s.exec('window.scrollTo(0, 0)');

  // Keyboard: the language is one radio group; the arrow key chooses English and the preview follows.
  await s.exec('document.querySelector("[data-testid=sheet-lang-de]").focus()');
  await watchBusy('[data-testid=sheet-preview]', '[data-testid=sheet-save]');
  await key('\uE014');
  const en = await waitPreview('en');
  assert.equal((await sawBusy()).busy, true, 'the preview said it was busy');
  assert.equal(await s.exec('return document.querySelector("[data-testid=sheet-lang-en]").checked'), true);
  assert.notEqual(en.first, de.first, 'the English pages are new pictures');
  assert.equal(await s.text('[data-testid=nav-sheets]'), 'Profilblätter', 'the UI stays German');
  await shot('sheet-english');
});

test('save the English sheet as PDF, and open it to print', async () => {
  await s.click('[data-testid=sheet-save]');
  const path = await s.waitText('[data-testid=sheet-done-path]', saveDir, 20000);
  assert.match(await s.text('[data-testid=sheet-done]'), /^Als PDF gespeichert \(/);
  assert.ok(existsSync(path), path);
  assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');
  const text = pdfText(path);
  assert.match(text, new RegExp(NAME));
  assert.match(text, /As of/);
  assert.match(text, /Layla Haddad/);
  assert.doesNotMatch(text, /Omar Nasser/, 'no consent, not printed');
  const shownPages = Number((await s.text('[data-testid=sheet-done]')).match(/\((\d+) (Seite|Seiten)\)/)[1]);
  assert.equal(pdfPages(path), shownPages);
  await shot('sheet-saved');

  await s.click('[data-testid=sheet-print]');
  const opened = await s.waitText('[data-testid=sheet-done]', 'Im PDF-Programm geöffnet', 20000);
  const openedPath = await s.text('[data-testid=sheet-done-path]');
  assert.ok(opened.includes(openedPath));
  assert.equal(readFileSync(viewed, 'utf8').trim(), openedPath, 'the viewer got the file');
  assert.ok(openedPath.startsWith(join(dir, 'cache')), openedPath);
  assert.match(pdfText(openedPath), /As of/);
  await shot('sheet-opened');
});

test('a meeting pack: the best matches, a picked association, reordered, saved with a cover', async () => {
  await s.click('[data-testid=nav-foundations]');
  await s.click('[data-testid=open-foundation]');
  await s.waitText('[data-testid=detail-name]', FOUNDATION);
  await s.click('[data-testid=open-pack]');
  await s.waitText('[data-testid=pack-foundation]', FOUNDATION);
  await s.find('[data-testid=pack-empty]');
  assert.equal(await (await s.find('[data-testid=pack-save]')).property('disabled'), true);
  assert.match(await s.text('[data-testid=pack-need-one]'), /mindestens einen Verein/);
  await shot('pack-empty');

  await s.click('[data-testid=pack-best]');
  await s.waitText('[data-testid=pack-note]', '3 Vereine aus dem Abgleich übernommen');
  // Only the associations in Saxony-Anhalt are in the foundation's funding area; best first.
  assert.deepEqual(await packNames(), [NAME, 'Vietnamesischer Verein Dessau', 'Syrischer Frauenverein Halle']);
  await s.click('[data-testid=pack-best]');
  await s.waitText('[data-testid=pack-note]', '3 waren schon in der Mappe');
  assert.equal((await packNames()).length, 3, 'no duplicates');

  await s.type('[data-testid=pack-pick]', 'Jena');
  await s.waitText('[data-testid=pick-result]', 'Ukrainischer Verein Jena');
  await s.click('[data-testid=pick-result]');
  await s.until(async () => (await packNames()).length === 4, 'the picked association in the list');
  assert.equal(await s.exec('return document.activeElement.id'), 'pack-pick', 'ready for the next one');
  assert.equal(await s.text('[data-testid=pack-count]'), '4 Vereine');

  // Keyboard: Enter on "up" moves the entry, and the focus stays on it.
  await s.exec('document.querySelectorAll("[data-testid=pack-up]")[3].focus()');
  await key('\uE007');
  await s.until(async () => (await packNames())[2] === 'Ukrainischer Verein Jena', 'moved up');
  assert.equal(await s.exec('return document.activeElement.closest("[data-testid=pack-item]").dataset.id'),
    cliJson('associations', 'list', '--search', 'Jena')[0].id);
  await s.click('[data-testid=pack-item]:nth-child(2) [data-testid=pack-remove]');
  await s.until(async () => (await packNames()).length === 3, 'one removed');
  const order = [NAME, 'Ukrainischer Verein Jena', 'Syrischer Frauenverein Halle'];
  assert.deepEqual(await packNames(), order);
  assert.equal(await s.exec('return document.querySelector("[data-testid=pack-item] .original").getAttribute("dir")'), 'auto');
  await shot('pack-list');

  await s.click('[data-testid=pack-save]');
  const path = await s.waitText('[data-testid=pack-saved-path]', saveDir, 30000);
  assert.match(path, /Mappe Bürgerstiftung Magdeburg\.pdf$/);
  const text = pdfText(path);
  assert.match(text, new RegExp(FOUNDATION));
  const at = order.map((n) => text.lastIndexOf(n));
  assert.ok(at[0] < at[1] && at[1] < at[2], `sheets in the chosen order: ${at}`);
  assert.equal(await s.text('[data-testid=pack-saved-title]'), `Mappe gespeichert (${pdfPages(path)} Seiten, 3 Profilblätter):`);
  assert.match(await s.text('[data-testid=sheet-warnings-count]'), /\d+ Hinweise?/);
  await s.click('[data-testid=sheet-warnings-count]');
  await shot('pack-saved');
});

test('a batch: the sheets of one network into a folder, and a filter that finds nothing', async () => {
  await s.click('[data-testid=nav-sheets]');
  await s.find('[data-testid=sheets-page]');
  await s.waitText('[data-testid=batch-found]', 'findet 5 Vereine');
  await shot('sheets-page');
  await s.click('[data-testid=batch-network] option[value=migranetz]');
  await s.waitText('[data-testid=batch-found]', 'findet 2 Vereine');
  await s.click('[data-testid=batch-district] option[value="15001"]');
  await s.waitText('[data-testid=batch-found]', 'findet keinen Verein');
  assert.equal(await (await s.find('[data-testid=batch-folder]')).property('disabled'), true);
  await shot('batch-none');
  await s.click('[data-testid=batch-district] option[value=""]');
  await s.waitText('[data-testid=batch-found]', 'findet 2 Vereine');
  await s.click('[data-testid=batch-folder]');
  await s.waitText('[data-testid=batch-path]', folder, 30000);
  assert.equal(await s.text('[data-testid=batch-title]'), '2 Dateien in den Ordner geschrieben:');
  const files = readdirSync(folder).sort();
  assert.deepEqual(files, ['Afghanischer Kulturverein Erfurt.pdf', 'Ukrainischer Verein Jena.pdf']);
  for (const f of files) assert.equal(readFileSync(join(folder, f)).subarray(0, 5).toString(), '%PDF-');
  assert.match(pdfText(join(folder, 'Ukrainischer Verein Jena.pdf')), /Stand/);
  await s.click('[data-testid=batch-result] details summary');
  await s.click('[data-testid=sheet-warnings-count]');
  assert.match(await s.text('[data-testid=sheet-warnings]'), /MigraNetz Thüringen e\.V\. – KOZMOS/);
  await shot('batch-folder');

  // All networks as one PDF, in English; while it is made, the buttons wait and say why.
  await s.click('[data-testid=batch-network] option[value=""]');
  await s.click('[data-testid=batch-lang-en]');
  await watchBusy('[data-testid=sheets-batch]', '[data-testid=batch-pdf]');
  await s.click('[data-testid=batch-pdf]');
  await shot('batch-busy');
  const path = await s.waitText('[data-testid=batch-path]', saveDir, 30000);
  assert.deepEqual(await sawBusy(), { busy: true, disabled: true, note: 'Die Blätter werden erstellt. Das kann einige Sekunden dauern …' });
  assert.match(path, /Association profiles\.pdf$/);
  assert.match(await s.text('[data-testid=batch-title]'), /^Gespeichert \(5 Profilblätter, \d+ Seiten?\):$/);
  assert.equal((pdfText(path).match(/As of/g) ?? []).length, pdfPages(path));
  await shot('batch-pdf');
});

test('the KOZMOS contact: a bad e-mail is refused at its field, a good one is printed', async () => {
  await s.click('[data-testid=nav-sheets]');
  await s.click('[data-testid=sheets-pick-association]');
  await s.type('[data-testid=sheets-pick-association]', 'Kulturverein Magdeburg');
  await s.waitText('[data-testid=pick-result]', NAME);
  await s.click('[data-testid=pick-result]');
  await waitPreview('de');
  await s.click('[data-testid=sheet-warning][data-code=kozmos_contact_missing] [data-testid=set-contact]');
  await s.find('[data-testid=kozmos-contacts]');
  await s.find('[data-testid=contact-lamsa-not-set]');
  await shot('settings-contacts');
  assert.equal(await s.exec('return Math.round(document.getElementById("kozmos-contacts").getBoundingClientRect().top) < 200'), true,
    'the contacts card is in view');
  assert.equal(await s.exec('return document.querySelector("[data-testid=contact-lamsa-organisation]").value'), 'LAMSA e.V. – KOZMOS');
  await s.type('[data-testid=contact-lamsa-person]', 'Anna Schmidt');
  await s.type('[data-testid=contact-lamsa-email]', 'anna@');
  await s.click('[data-testid=contact-lamsa-save]');
  assert.match(await s.text('[data-testid=contact-lamsa-error-email]'), /\S/);
  assert.equal(await (await s.find('[data-testid=contact-lamsa-email]')).attribute('aria-invalid'), 'true');
  assert.equal(await s.exec('return document.activeElement.dataset.testid'), 'contact-lamsa-email');
  assert.equal(cliJson('pdf', 'contacts').find((c) => c.network === 'lamsa').configured, false, 'nothing saved');
  await shot('contact-bad-email');
  await s.type('[data-testid=contact-lamsa-email]', 'kozmos@lamsa.de');
  await s.type('[data-testid=contact-lamsa-phone]', '0391 5633360');
  await s.type('[data-testid=contact-lamsa-website]', 'www.lamsa.de');
  await s.click('[data-testid=contact-lamsa-save]');
  await s.find('[data-testid=contact-lamsa-saved]');
  assert.equal(await s.count('[data-testid=contact-lamsa-error-email]'), 0);
  const lamsa = cliJson('pdf', 'contacts').find((c) => c.network === 'lamsa');
  assert.equal(lamsa.email, 'kozmos@lamsa.de');
  assert.equal(lamsa.person, 'Anna Schmidt');
  await shot('contact-saved');

  await s.click('[data-testid=contacts-back]');
  await waitPreview('de');
  assert.deepEqual(await codes(), ['persons_not_printed'], 'the contact warning is gone');
  await s.click('[data-testid=sheet-save]');
  const path = await s.waitText('[data-testid=sheet-done-path]', 'Vereinssteckbrief', 20000);
  const text = pdfText(path);
  assert.match(text, /Stand/);
  assert.match(text, /Anna Schmidt/);
  assert.match(text, /kozmos@lamsa\.de/);
  await shot('sheet-with-contact');
  await s.exec('window.scrollTo(0, document.documentElement.scrollHeight)');
  await shot('sheet-with-contact-bottom');
});

test('English UI: the sheet is still German unless chosen', async () => {
  await s.click('[data-testid=lang-en]');
  await s.waitText('[data-testid=sheet-save]', 'Save as PDF');
  await s.click('[data-testid=sheet-back]');
  await s.waitText('[data-testid=open-sheet]', 'Profile sheet');
  await s.click('[data-testid=open-sheet]');
  await waitPreview('de');
  assert.equal(await s.exec('return document.querySelector("[data-testid=sheet-lang-de]").checked'), true);
  assert.match(await s.text('[data-testid=sheet-page-count]'), /^\d+ pages?$/);
  await shot('sheet-english-ui');
  await s.click('[data-testid=nav-sheets]');
  await s.waitText('[data-testid=sheets-page] h1', 'Profile sheets');
  await shot('sheets-page-english');
  await s.click('[data-testid=lang-de]');
  await s.waitText('[data-testid=sheets-page] h1', 'Profilblätter');
});
