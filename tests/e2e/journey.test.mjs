// The real app in its real window: first run, search, create, edit, a validation error at its
// field, script text shown as text, delete with undo, English in every area.
// Screenshots of every step go to tests/screenshots/journey (ignored by git).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, startDriver, closeApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appPath = process.env.KOZMOS_APP ?? join(root, 'target/debug/kozmos-desktop');
const cliPath = process.env.KOZMOS_CLI ?? join(root, 'target/debug/kozmos');
const driverPath = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const shots = join(root, 'tests/screenshots/journey');
const dir = mkdtempSync(join(tmpdir(), 'kozmos-e2e-'));
const db = join(dir, 'kozmos.sqlite3');
const saveDir = join(dir, 'saved');
const XSS_NAME = '<img src=x onerror="window.__kozmosXss=1">';

let driver;
let s;

function cli(...args) {
  return execFileSync(cliPath, ['--db', db, '--lang', 'de', ...args], { encoding: 'utf8' });
}

function cliJson(...args) {
  return JSON.parse(cli(...args, '--json'));
}

async function key(...values) {
  const down = values.map((value) => ({ type: 'keyDown', value }));
  const up = [...values].reverse().map((value) => ({ type: 'keyUp', value }));
  await s.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: [...down, ...up] }] });
  await s.cmd('DELETE', '/actions');
}

async function rowCount() {
  return s.count('[data-testid=association-row]');
}

/** Empties the search box the way a user does: select all, backspace. */
async function clearSearch() {
  const box = await s.find('[data-testid=search]');
  await box.sendKeys('\uE009a\uE000\uE003');
}

/** Waits until the list shows exactly the rows whose names are given. */
async function waitRows(...names) {
  return s.until(async () => {
    const rows = await s.findAll('[data-testid=open-association]');
    const texts = await Promise.all(rows.map((r) => r.text()));
    return texts.length === names.length && names.every((n, i) => texts[i].trim() === n);
  }, `rows ${names.join(', ')}`);
}

before(async () => {
  rmSync(shots, { recursive: true, force: true });
  // Data that is already there (as after an import): three scripts, and enough rows for two pages.
  cli('associations', 'add', '--name', 'Ukrainischer Verein Jena', '--name-original', 'Українська громада Єни',
    '--city', 'Jena', '--district', '16053', '--themes', 'kultur,bildung');
  cli('associations', 'add', '--name', 'Vietnamesischer Verein Erfurt', '--name-original', 'Hội người Việt Erfurt',
    '--city', 'Erfurt', '--district', '16051', '--themes', 'sprache');
  cli('associations', 'add', '--name', 'Bärbel-Müller-Haus', '--city', 'Halle (Saale)', '--district', '15002');
  for (let i = 1; i <= 52; i++) {
    cli('associations', 'add', '--name', `Testverein ${String(i).padStart(2, '0')}`, '--city', 'Magdeburg');
  }
  // The native save dialog cannot be driven through WebDriver; the app saves here instead.
  process.env.KOZMOS_SAVE_DIR = saveDir;
  mkdirSync(saveDir);
  driver = await startDriver(driverPath);
  s = await Session.start(driver, appPath, ['--db', db], shots);
});

after(() => closeApp({ session: s, driver, appPath, dbs: [db], dir }));

test('first run asks for network and name, and says what is missing', async () => {
  await s.find('[data-testid=first-run]');
  await s.screenshot('first-run');
  await s.click('[data-testid=first-run-submit]');
  assert.match(await s.text('#err-volunteer'), /Namen/);
  assert.match(await s.text('#err-network'), /Netzwerk/);
  assert.equal(await (await s.find('[data-testid=volunteer]')).attribute('aria-invalid'), 'true');
  await s.screenshot('first-run-errors');
  await s.click('[data-testid=network-lamsa]');
  await s.type('[data-testid=volunteer]', 'Amira Haddad');
  await s.click('[data-testid=first-run-submit]');
  await s.waitText('[data-testid=overview-totals]', '55');
  await s.screenshot('overview');
  await s.click('[data-testid=nav-associations]');
  await s.find('[data-testid=association-list]');
  assert.equal(await s.waitText('[data-testid=list-count]', '1–50 von 55'), '1–50 von 55');
  await s.screenshot('list');
  assert.equal(cliJson('info').volunteer, 'Amira Haddad');
});

test('the list pages and searches as you type, in every script', async () => {
  await s.click('.pager button:last-child');
  await s.waitText('[data-testid=list-count]', '51–55 von 55');
  for (const [query, expected] of [
    ['українська', 'Ukrainischer Verein Jena'],
    ['hoi nguoi viet', 'Vietnamesischer Verein Erfurt'],
    ['Hội người', 'Vietnamesischer Verein Erfurt'],
    ['mueller', 'Bärbel-Müller-Haus'],
    ['MULLER', 'Bärbel-Müller-Haus'],
  ]) {
    await s.type('[data-testid=search]', query);
    await waitRows(expected);
  }
  await s.type('[data-testid=search]', 'українська');
  await waitRows('Ukrainischer Verein Jena');
  await s.screenshot('search-cyrillic');
  await clearSearch();
  await s.click('[data-testid=facet-state] option[value=TH]');
  await waitRows('Ukrainischer Verein Jena', 'Vietnamesischer Verein Erfurt');
  await s.click('[data-testid=facet-district] option[value="16053"]');
  await waitRows('Ukrainischer Verein Jena');
  await s.screenshot('facets');
  await s.click('[data-testid=facets] button.link');
  await s.until(async () => (await rowCount()) === 50, 'filters reset');
  await s.type('[data-testid=search]', 'kein solcher verein');
  await s.find('[data-testid=list-empty]');
  await clearSearch();
  await s.until(async () => (await rowCount()) === 50, 'full first page again');
});

test('keyboard: / jumps to the search, Alt+N opens a new association', async () => {
  await s.exec('document.activeElement && document.activeElement.blur()');
  await key('/');
  assert.equal(await s.exec('return document.activeElement.dataset.testid'), 'search');
  await s.exec('document.activeElement.blur()');
  await key('\uE00A', 'n');
  await s.find('[data-testid=association-form]');
  await s.click('[data-testid=form-cancel]');
  await s.find('[data-testid=association-list]');
});

test('create an association with Arabic name, district and themes', async () => {
  await s.click('[data-testid=new-association]');
  await s.find('[data-testid=association-form]');
  await s.type('[data-testid=input-name]', 'Deutsch-Arabischer Freundschaftsverein');
  await s.type('[data-testid=input-name_original]', 'جمعية الصداقة العربية الألمانية');
  await s.click('#field-state option[value=ST]');
  await s.click('#field-district option[value="15003"]');
  await s.type('[data-testid=input-city]', 'Magdeburg');
  await s.type('[data-testid=input-postcode]', '39104');
  await s.type('[data-testid=input-email]', 'info@freundschaft-md.de');
  await s.type('[data-testid=input-members]', '1.200');
  await s.click('[data-testid=codes-themes] input[value=kultur]');
  await s.click('[data-testid=codes-themes] input[value=dialog]');
  await s.screenshot('form-filled');
  await s.click('[data-testid=form-save]');
  assert.equal(await s.waitText('[data-testid=detail-name]', 'Freundschaftsverein'), 'Deutsch-Arabischer Freundschaftsverein');
  assert.equal(await s.text('[data-testid=detail-original]'), 'جمعية الصداقة العربية الألمانية');
  assert.match(await s.text('dd[data-field=district]'), /Magdeburg/);
  assert.match(await s.text('dd[data-field=themes]'), /Kunst & Kultur/);
  assert.match(await s.text('dd[data-field=members]'), /1\.200/);
  await s.screenshot('detail-created');
  await s.click('[data-testid=add-project]');
  await s.type('[data-testid=input-title]', 'Interkulturelles Sommerfest');
  await s.type('[data-testid=input-year]', '2025');
  await s.type('[data-testid=input-people_reached]', '600');
  await s.type('[data-testid=input-budget]', '2.500');
  await s.click('[data-testid=form-save]');
  await s.waitText('[data-testid=project-row]', 'Interkulturelles Sommerfest');
  assert.match(await s.text('[data-testid=project-row]'), /2025 · 600 Menschen erreicht · 2\.500\s€/);
  await s.click('[data-testid=add-idea]');
  await s.type('[data-testid=input-title]', 'Elterncafé');
  await s.type('[data-testid=input-amount_needed]', '8.000');
  await s.click('[data-testid=form-save]');
  await s.waitText('[data-testid=idea-row]', 'Elterncafé');
  await s.screenshot('detail-projects');
  const [stored] = cliJson('associations', 'list', '--search', 'Freundschaftsverein');
  assert.equal(stored.district, '15003');
});

test('a validation error shows at its field and nothing is saved', async () => {
  await s.click('[data-testid=edit-association]');
  await s.find('[data-testid=association-form]');
  await s.type('[data-testid=input-postcode]', '391');
  await s.type('[data-testid=input-email]', 'keine-adresse');
  await s.click('[data-testid=form-save]');
  assert.match(await s.text('.field[data-field=postcode] [data-testid=error-postcode]'), /fünf Ziffern/);
  assert.match(await s.text('.field[data-field=email] [data-testid=error-email]'), /gültige Adresse/);
  assert.equal(await (await s.find('[data-testid=input-postcode]')).attribute('aria-invalid'), 'true');
  assert.equal(await s.exec('return document.activeElement.getAttribute("aria-invalid")'), 'true');
  assert.match(await s.text('[data-testid=form-error]'), /markierten Felder \(2\)/);
  await s.screenshot('validation-error');
  const [stored] = cliJson('associations', 'list', '--search', 'Freundschaftsverein');
  assert.equal(cliJson('associations', 'show', stored.id).postcode, '39104');

  await s.type('[data-testid=input-postcode]', '06108');
  await s.type('[data-testid=input-email]', 'info@freundschaft-halle.de');
  await s.click('#field-district option[value="15002"]');
  await s.type('[data-testid=input-city]', 'Halle (Saale)');
  await s.click('[data-testid=form-save]');
  await s.waitText('dd[data-field=city]', 'Halle (Saale)');
  const edited = cliJson('associations', 'show', stored.id);
  assert.equal(edited.postcode, '06108');
  assert.equal(edited.district, '15002');
  assert.equal(edited.email, 'info@freundschaft-halle.de');
  await s.screenshot('detail-edited');
});

test('script text in a name shows as text and runs nothing', async () => {
  await s.click('[data-testid=nav-associations]');
  await s.click('[data-testid=new-association]');
  await s.type('[data-testid=input-name]', XSS_NAME);
  await s.type('#field-mission_de', '<script>window.__kozmosXss=2</script><b>fett</b>');
  await s.click('[data-testid=form-save]');
  assert.equal(await s.waitText('[data-testid=detail-name]', '<img'), XSS_NAME);
  assert.equal(await s.text('dd[data-field=mission_de]'), '<script>window.__kozmosXss=2</script><b>fett</b>');
  const [flag, injected, bold] = await s.exec(
    'return [window.__kozmosXss ?? null, document.querySelectorAll("img[src=x]").length, document.querySelectorAll("main b").length]',
  );
  assert.deepEqual([flag, injected, bold], [null, 0, 0]);
  await s.screenshot('script-as-text');
  await s.click('[data-testid=nav-associations]');
  await s.type('[data-testid=search]', 'onerror');
  await waitRows(XSS_NAME);
  assert.equal(await s.exec('return window.__kozmosXss ?? null'), null);
  await s.screenshot('script-in-list');
});

test('delete asks first, can be undone, and then removes the association from the list', async () => {
  await waitRows(XSS_NAME);
  await s.click('[data-testid=open-association]');
  await s.click('[data-testid=delete-association]');
  await s.find('[data-testid=confirm-dialog][open]');
  await s.screenshot('delete-confirm');
  await s.click('[data-testid=confirm-cancel]');
  await s.until(async () => (await s.count('[data-testid=confirm-dialog][open]')) === 0, 'dialog closed');
  assert.equal(await s.count('[data-testid=deleted-banner]'), 0);

  await s.click('[data-testid=delete-association]');
  await s.click('[data-testid=confirm-ok]');
  await s.find('[data-testid=deleted-banner]');
  await s.screenshot('deleted-with-undo');
  const [gone] = cliJson('associations', 'list', '--search', 'onerror');
  assert.equal(gone, undefined, 'a deleted association is not listed');

  await s.click('[data-testid=undo-delete]');
  await s.until(async () => (await s.count('[data-testid=deleted-banner]')) === 0, 'banner gone');
  assert.equal(cliJson('associations', 'list', '--search', 'onerror').length, 1);

  await s.click('[data-testid=delete-association]');
  await s.click('[data-testid=confirm-ok]');
  await s.find('[data-testid=deleted-banner]');
  await s.click('[data-testid=nav-associations]');
  await s.type('[data-testid=search]', 'onerror');
  await s.find('[data-testid=list-empty]');
  await clearSearch();
});

test('foundations: create with funding area, amounts and deadlines; a reversed range is refused', async () => {
  await s.click('[data-testid=nav-foundations]');
  await s.find('[data-testid=list-empty]');
  await s.screenshot('foundations-empty');
  await s.click('[data-testid=new-foundation]');
  await s.find('[data-testid=foundation-form]');
  await s.type('[data-testid=input-name]', 'Bürgerstiftung Saale-Unstrut');
  await s.click('#field-legal_form option[value=buergerstiftung]');
  await s.click('#field-funding_area option[value=district]');
  await s.click('[data-testid=codes-area_districts] input[value="15084"]');
  await s.click('[data-testid=codes-area_districts] input[value="15088"]');
  await s.click('[data-testid=codes-themes] input[value=integration]');
  await s.type('[data-testid=input-grant_min]', '20.000');
  await s.type('[data-testid=input-grant_max]', '5.000');
  await s.click('#field-application_route option[value=deadlines]');
  await s.type('[data-testid=input-deadlines]', '31.03.2027\uE00730.09.2027');
  await s.click('[data-testid=form-save]');
  assert.match(await s.text('.field[data-field=grant_max] [data-testid=error-grant_max]'), /mindestens so hoch/);
  await s.screenshot('foundation-range-error');
  await s.type('[data-testid=input-grant_min]', '1.500');
  await s.type('[data-testid=input-grant_max]', '25.000,50');
  await s.click('[data-testid=form-save]');
  assert.equal(await s.waitText('[data-testid=detail-name]', 'Bürgerstiftung'), 'Bürgerstiftung Saale-Unstrut');
  assert.match(await s.text('dd[data-field=grant_max]'), /25\.000,50\s€/);
  assert.match(await s.text('dd[data-field=area_districts]'), /Burgenlandkreis/);
  assert.match(await s.text('dd[data-field=deadlines]'), /31\.03\.2027/);
  await s.screenshot('foundation-detail');
  const [stored] = cliJson('foundations', 'list', '--search', 'saale unstrut');
  assert.equal(stored.grant_max, 2500050, 'amounts are exact cents');

  await s.click('[data-testid=nav-foundations]');
  await s.type('[data-testid=foundation-search]', 'burgenlandkreis');
  await s.until(async () => (await s.count('[data-testid=foundation-row]')) === 1, 'found by its funding area');
  assert.match(await s.text('[data-testid=foundation-row]'), /Bürgerstiftung Saale-Unstrut.*Landkreis\(e\).*1\.500\s€ – 25\.000,50\s€.*31\.03\.2027/s);
  await s.screenshot('foundation-list');
});

test('persons: add a contact with consent, withdraw it in one click, erase for privacy', async () => {
  await s.click('[data-testid=nav-associations]');
  await s.type('[data-testid=search]', 'українська');
  await waitRows('Ukrainischer Verein Jena');
  await s.click('[data-testid=open-association]');
  await s.find('[data-testid=persons-card]');
  await s.click('[data-testid=add-person]');
  await s.find('[data-testid=person-form]');
  await s.type('[data-testid=input-name]', 'Олена Коваленко');
  await s.type('[data-testid=input-name_latin]', 'Olena Kovalenko');
  await s.type('[data-testid=input-role]', 'Vorsitzende');
  await s.type('[data-testid=input-email]', 'olena@');
  await s.click('[data-testid=form-save]');
  assert.match(await s.text('[data-testid=error-email]'), /gültige Adresse/);
  await s.type('[data-testid=input-email]', 'olena@ukr-jena.de');
  await s.click('[data-testid=form-save]');
  assert.equal(await s.waitText('[data-testid=detail-name]', 'Олена'), 'Олена Коваленко');
  assert.match(await s.text('[data-testid=consent-print-status]'), /keine Angabe/);

  await s.click('[data-testid=give-print]');
  await s.click('[data-testid=consent-channel] option[value=form]');
  await s.click('[data-testid=consent-save]');
  await s.waitText('[data-testid=consent-print-status]', 'erteilt');
  await s.click('[data-testid=give-share]');
  await s.click('[data-testid=consent-save]');
  await s.waitText('[data-testid=consent-share-status]', 'erteilt');
  await s.screenshot('person-consent');
  await s.click('[data-testid=withdraw-share]');
  await s.waitText('[data-testid=consent-share-status]', 'widerrufen');
  assert.match(await s.text('[data-testid=consent-print-status]'), /erteilt/);
  assert.equal(await s.count('[data-testid=consent-history] tbody tr'), 3);
  await s.screenshot('person-withdrawn');

  const [found] = cliJson('persons', 'search', 'kovalenko');
  assert.equal(found.name, 'Олена Коваленко');
  await s.click('[data-testid=erase-person]');
  await s.find('[data-testid=confirm-dialog][open]');
  await s.screenshot('person-erase-confirm');
  await s.click('[data-testid=confirm-ok]');
  await s.find('[data-testid=erased-banner]');
  assert.equal(await s.text('[data-testid=detail-name]'), '(anonymisiert)');
  assert.match(await s.text('dd[data-field=role]'), /Vorsitzende/);
  assert.equal(await s.count('[data-testid=edit-person]'), 0);
  await s.screenshot('person-erased');
  assert.equal(cliJson('persons', 'search', 'kovalenko').length, 0);
  const shown = cliJson('persons', 'show', found.id);
  assert.equal(shown.email, null);
});

test('cooperations: create from a foundation, move across the board, log, and delete with care', async () => {
  await s.click('[data-testid=nav-foundations]');
  await s.click('[data-testid=open-foundation]');
  await s.find('[data-testid=cooperations-card]');
  await s.click('[data-testid=add-cooperation]');
  await s.find('[data-testid=cooperation-form]');
  await s.waitText('[data-testid=picked-foundation]', 'Bürgerstiftung Saale-Unstrut');
  await s.click('[data-testid=form-save]');
  assert.match(await s.text('[data-testid=error-idea]'), /Idee/);
  assert.match(await s.text('.field[data-field=association_id] .field-error'), /Verein: bitte auswählen/);
  await s.type('[data-testid=input-idea]', 'Sprachcafé für Eltern');
  await s.type('[data-testid=pick-association]', 'ukrainischer');
  await s.click('[data-testid=pick-result]');
  await s.waitText('[data-testid=picked-association]', 'Ukrainischer Verein Jena');
  await s.type('[data-testid=input-amount_requested]', '4.500');
  await s.type('[data-testid=input-next_step]', 'Termin mit der Stiftung');
  await s.type('[data-testid=input-next_step_due]', '02.01.2026');
  await s.screenshot('cooperation-form');
  await s.click('[data-testid=form-save]');
  await s.waitText('[data-testid=detail-name]', 'Sprachcafé für Eltern');
  await s.waitText('[data-testid=log-entry]', 'angelegt in Phase „Idee“');

  await s.click('[data-testid=nav-cooperations]');
  await s.waitText('[data-testid=stage-idee] [data-testid=card]', 'Sprachcafé');
  assert.match(await s.text('[data-testid=stage-idee] [data-testid=card]'), /fällig 02\.01\.2026/);
  await s.screenshot('board');
  // Keyboard: the card's stage menu.
  await s.click('[data-testid=stage-idee] [data-testid=card-stage] option[value=erstkontakt]');
  await s.waitText('[data-testid=stage-erstkontakt] [data-testid=card]', 'Sprachcafé');
  // Mouse: drag and drop (the browser's drag events, dispatched in the real window).
  await s.exec(`
    const card = document.querySelector('[data-testid=stage-erstkontakt] [data-testid=card]');
    const target = document.querySelector('[data-testid=stage-gespraech]');
    const data = new DataTransfer();
    card.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: data }));
    target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }));
    target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
  `);
  await s.waitText('[data-testid=stage-gespraech] [data-testid=card]', 'Sprachcafé');
  assert.equal(await s.count('[data-testid=stage-idee] [data-testid=card]'), 0);
  await s.screenshot('board-moved');

  await s.click('[data-testid=stage-gespraech] [data-testid=open-cooperation]');
  await s.waitText('[data-testid=log-entry]', 'Erstkontakt → Gespräch');
  await s.type('[data-testid=log-text]', 'Anruf: Stiftung lädt zum Gespräch ein');
  await s.click('[data-testid=log-kind] option[value=call]');
  await s.click('[data-testid=log-add]');
  await s.waitText('[data-testid=log-entry]', 'Stiftung lädt zum Gespräch ein');
  assert.equal(await s.count('[data-testid=log-entry]'), 4);
  await s.screenshot('cooperation-log');
  const [listed] = cliJson('cooperations', 'list', '--search', 'sprachcafe');
  assert.equal(listed.stage, 'gespraech');
  assert.equal(listed.amount_requested, 450000);

  // Deleting the association asks what happens to its cooperation, and can be undone as a whole.
  await s.click('.meta button.link');
  await s.find('[data-testid=association-detail]');
  await s.click('[data-testid=delete-association]');
  await s.click('[data-testid=confirm-ok]');
  await s.waitText('dialog[open] h2', 'Auch die Kooperationen löschen?');
  await s.screenshot('delete-cascade');
  await s.click('dialog[open] [data-testid=confirm-ok]');
  await s.find('[data-testid=deleted-banner]');
  assert.equal(cliJson('cooperations', 'list', '--search', 'sprachcafe').length, 0);
  await s.click('[data-testid=undo-delete]');
  await s.until(async () => (await s.count('[data-testid=deleted-banner]')) === 0, 'restored');
  await s.until(() => cliJson('cooperations', 'list', '--search', 'sprachcafe').length === 1, 'cooperation restored too');
});

test('matching: an association sees fitting foundations with reasons and starts a cooperation from one', async () => {
  // A foundation that fits, entered from the command line while the app runs.
  cli('foundations', 'add', '--name', 'Stiftung Kulturaustausch Ost', '--funding-area', 'east', '--themes', 'kultur,dialog',
    '--accepts-applications', 'yes', '--application-route', 'open', '--grant-max', '20000');
  await s.type('[data-testid=global-search]', 'Freundschaftsverein');
  await s.click('[data-testid=global-hit]');
  await s.find('[data-testid=match-panel]');
  await s.waitText('[data-testid=match]', 'Stiftung Kulturaustausch Ost');
  const first = await s.text('[data-testid=match]');
  assert.match(first, /2 gemeinsame Themen: Kunst & Kultur, Interkultureller Dialog/);
  assert.match(first, /Fördergebiet \(Ostdeutschland\) deckt Halle \(Saale\) ab/);
  assert.match(first, /Benötigte 8.000 € liegen in der Fördersumme/);
  assert.match(first, /\? Förderarten unvollständig/);
  assert.equal(await s.count('[data-testid=match]'), 1, 'the foundation outside its area is left out');
  await s.click('[data-testid=show-excluded]');
  await s.until(async () => (await s.count('[data-testid=match]')) === 2, 'the excluded one with its reason');
  assert.match(await s.text('[data-testid=match]:nth-child(2)'), /außerhalb des Fördergebiets/);
  await s.screenshot('matching');
  await s.click('[data-testid=start-cooperation]');
  await s.waitText('[data-testid=log-entry]', 'Aus dem Abgleich');
  assert.equal(await s.text('[data-testid=detail-stage] option:checked'), 'Idee');
  await s.screenshot('cooperation-from-match');

  // The Abgleich area: the reverse direction, for a foundation chosen by searching.
  await s.click('[data-testid=nav-matching]');
  await s.click('[data-testid=matching-side-foundation]');
  await s.type('[data-testid=pick-foundation]', 'kulturaustausch');
  await s.click('[data-testid=pick-result]');
  await s.waitText('[data-testid=match]', 'Deutsch-Arabischer Freundschaftsverein');
  assert.match(await s.text('[data-testid=match]'), /2 gemeinsame Themen/);
  // The pair already has a cooperation (started above): the button says a further one would be made.
  assert.equal(await s.text('[data-testid=match] [data-testid=start-cooperation]'), 'Weitere Kooperation anlegen');
  // Narrowing: associations in Thuringia, then those that name culture too; a bad amount is shown at its field.
  await s.click('[data-testid=match-region] option[value=TH]');
  await s.waitText('[data-testid=match-count]', '2 Treffer');
  await s.click('[data-testid=match-theme] option[value=kultur]');
  await s.waitText('[data-testid=match-count]', '1 Treffer');
  assert.match(await s.text('[data-testid=match]'), /Ukrainischer Verein Jena/);
  await s.screenshot('matching-narrowed');
  await s.type('[data-testid=match-amount]', 'zehn Euro\uE004');
  await s.waitText('[data-testid=match-amount-error]', '„zehn Euro“ ist kein Eurobetrag');
  await s.type('[data-testid=match-amount]', '\uE004');
  await s.until(async () => (await s.count('[data-testid=match-amount-error]')) === 0, 'the error goes with the bad value');
  await s.click('[data-testid=match-theme] option[value=""]');
  await s.click('[data-testid=match-region] option[value=""]');
  await s.waitText('[data-testid=match]', 'Deutsch-Arabischer Freundschaftsverein');
  await s.screenshot('matching-page');
});

test('one search box finds associations, foundations and cooperations as you type', async () => {
  await s.exec('document.activeElement && document.activeElement.blur()');
  await key('\uE009', 'k');
  assert.equal(await s.exec('return document.activeElement.dataset.testid'), 'global-search');
  for (const [query, kind, name] of [
    ['MUELLER', 'association', 'Bärbel-Müller-Haus'],
    ['saale unstrut', 'foundation', 'Bürgerstiftung Saale-Unstrut'],
    ['sprachcafe', 'cooperation', 'Sprachcafé für Eltern'],
    ['جمعية الصداقة', 'association', 'Deutsch-Arabischer Freundschaftsverein'],
  ]) {
    await s.type('[data-testid=global-search]', query);
    await s.until(async () => {
      const hits = await s.findAll('[data-testid=global-hit]');
      if (hits.length !== 1) return false;
      return (await hits[0].attribute('data-kind')) === kind && (await hits[0].text()).includes(name);
    }, `one ${kind} hit for ${query}`);
  }
  await s.screenshot('global-search');
  await (await s.find('[data-testid=global-search]')).sendKeys('\uE007');
  await s.waitText('[data-testid=detail-name]', 'Deutsch-Arabischer Freundschaftsverein');
});

test('English on request, in every area', async () => {
  await s.click('[data-testid=nav-associations]');
  await clearSearch();
  await s.click('[data-testid=lang-en]');
  assert.equal(await s.text('[data-testid=nav-associations]'), 'Associations');
  await s.waitText('[data-testid=list-count]', 'of 56');
  await s.screenshot('list-english');
  await s.click('[data-testid=nav-sheets]');
  await s.waitText('[data-testid=sheets-page] h1', 'Profile sheets');
  assert.match(await s.text('[data-testid=sheets-batch]'), /Print a batch/);
  await s.screenshot('sheets-english');
  await s.click('[data-testid=nav-data]');
  for (const [tab, words] of [
    ['import', /Choose spreadsheet/],
    ['duplicates', /Likely duplicates/],
    ['privacy', /Retention review/],
    ['backups', /Backups/],
  ]) {
    await s.click(`[data-testid=data-tab-${tab}]`);
    await s.until(async () => words.test(await s.text('[data-testid=data]')), `the ${tab} tab in English`);
    await s.screenshot(`data-${tab}-english`);
  }
  await s.click('[data-testid=nav-settings]');
  assert.match(await s.text('[data-testid=settings]'), new RegExp(db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await s.screenshot('settings');
  assert.equal(cliJson('info').ui_lang, 'en');
  await s.click('[data-testid=lang-de]');
  assert.equal(await s.text('[data-testid=nav-settings]'), 'Einstellungen');
});

test('demo data: load it from the settings, see the overview fill, remove it without touching real records', async () => {
  await s.click('[data-testid=nav-settings]');
  await s.waitText('[data-testid=demo-count]', 'Keine Demodaten');
  await s.click('[data-testid=demo-settings] button');
  await s.waitText('[data-testid=demo-count]', '140 Vereine', 30000);
  await s.click('[data-testid=nav-overview]');
  await s.find('[data-testid=overdue] li');
  await s.find('[data-testid=deadlines] li');
  await s.waitText('[data-testid=networks]', 'LAMSA');
  await s.screenshot('overview-demo');
  await s.click('[data-testid=nav-cooperations]');
  await s.until(async () => (await s.count('[data-testid=card]')) >= 60, 'demo cards on the board');
  await s.screenshot('board-demo');
  await s.click('[data-testid=view-list]');
  await s.until(async () => (await s.count('[data-testid=cooperation-list] tbody tr')) >= 60, 'the same as a list');
  await s.screenshot('cooperation-list-demo');
  await s.click('[data-testid=view-board]');
  await s.type('[data-testid=global-search]', 'Коваленко');
  await s.until(async () => {
    const hits = await s.findAll('[data-testid=global-hit]');
    return hits.length > 0 && (await hits[0].attribute('data-kind')) === 'person';
  }, 'persons found in their own script');
  await s.click('[data-testid=global-hit]');
  await s.waitText('[data-testid=person-detail] h1', 'Olena Kovalenko');
  await s.find('[data-testid=consent-panel]');

  // Reports: a chart and a table per report, each savable as CSV for Excel.
  await s.click('[data-testid=nav-reports]');
  await s.until(async () => (await s.count('[data-testid=report-chart]')) === 7, 'seven charts');
  await s.waitText('[data-testid=report-by_network]', 'LAMSA e.V. (Sachsen-Anhalt)');
  assert.match(await s.text('[data-testid=report-amounts]'), /\d{4} · MigraNetz Thüringen e\.V\.\s*[\d.]+ €/);
  const drawn = await s.exec(`
    const canvas = document.querySelector('[data-testid=report-funnel] canvas');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
    return inked;`);
  assert.ok(drawn > 1000, `the funnel chart is drawn (${drawn} pixels)`);
  await s.screenshot('reports');
  await s.click('[data-testid=report-funnel] [data-testid=report-csv]');
  await s.waitText('[data-testid=report-saved]', '.csv');
  const savedPath = (await s.text('[data-testid=report-saved]')).replace(/^Gespeichert: /, '').trim();
  const csv = readFileSync(savedPath, 'utf8');
  assert.ok(csv.startsWith('\uFEFFKooperationen nach Phase;jetzt in der Phase;Phase erreicht\r\n'), csv.slice(0, 80));
  assert.match(csv, /\r\nIdee;\d+;\d+\r\n/);
  await s.click('[data-testid=reports-pdf]');
  await s.waitText('[data-testid=report-saved]', '.pdf');
  const pdf = readFileSync((await s.text('[data-testid=report-saved]')).replace(/^Gespeichert: /, '').trim());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.length > 10_000, `a whole report PDF (${pdf.length} bytes)`);
  await s.click('[data-testid=report-funnel] [data-testid=report-pdf]');
  await s.waitText('[data-testid=report-saved]', 'kozmos-funnel-');

  await s.click('[data-testid=nav-settings]');
  await s.click('[data-testid=remove-demo]');
  await s.waitText('[data-testid=demo-count]', 'Keine Demodaten', 30000);
  await s.click('[data-testid=nav-associations]');
  await s.waitText('[data-testid=list-count]', 'von 56');
});

test('at start the app reminds of overdue follow-ups; dates export as a calendar file', async () => {
  // Restart the window's app: the Sprachcafé cooperation's next step (2 January) is overdue.
  await s.exec('location.reload()');
  await s.waitText('dialog[open][data-testid=reminders]', 'Termin mit der Stiftung');
  assert.match(await s.text('[data-testid=reminders]'), /Ein nächster Schritt ist überfällig/);
  assert.match(await s.text('[data-testid=reminders]'), /02\.01\.2026/);
  await s.screenshot('reminders');
  await s.click('[data-testid=reminders-overview]');
  await s.until(async () => (await s.count('dialog[open]')) === 0, 'the reminder closes');
  await s.waitText('[data-testid=overdue] h2', '(1)');
  await s.click('[data-testid=export-calendar]');
  await s.waitText('[data-testid=calendar-saved]', 'kozmos-termine.ics');
  assert.match(await s.text('[data-testid=calendar-saved]'), /Nachfassungen: 1, Antragsfristen: 2/);
  await s.screenshot('calendar-saved');
  const ics = readFileSync(join(saveDir, 'kozmos-termine.ics'), 'utf8');
  const unfolded = ics.replace(/\r\n /g, '');
  assert.ok(ics.startsWith('BEGIN:VCALENDAR\r\n') && ics.endsWith('END:VCALENDAR\r\n'));
  assert.match(unfolded, /SUMMARY:Termin mit der Stiftung: Ukrainischer Verein Jena × Bürgerstiftung Saale-Unstrut/);
  assert.match(unfolded, /DTSTART;VALUE=DATE:20260102/);
  assert.match(unfolded, /SUMMARY:Antragsfrist: Bürgerstiftung Saale-Unstrut\r\nDESCRIPTION:[^\r]*\r\nCATEGORIES:Antragsfrist/);
  assert.match(unfolded, /DTSTART;VALUE=DATE:20270331/);
});
