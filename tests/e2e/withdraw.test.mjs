// A withdrawn consent reaches the other network, in the real window: installation A (LAMSA) shares
// a person with B (MigraNetz), then the person withdraws the consent to sharing at A. B imports A's
// next file: the preview counts the person as no longer shared; afterwards the person's page says
// so (German, then English), shows role and organisation and nothing personal, and offers only
// erasing; the association's page lists a neutral entry. Screenshots go to tests/screenshots/withdraw.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, startDriver, closeApp } from './webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const appPath = process.env.KOZMOS_APP ?? join(root, 'target/debug/kozmos-desktop');
const cliPath = process.env.KOZMOS_CLI ?? join(root, 'target/debug/kozmos');
const driverPath = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const shots = join(root, 'tests/screenshots/withdraw');
const dir = mkdtempSync(join(tmpdir(), 'kozmos-e2e-withdraw-'));
const dbA = join(dir, 'a', 'kozmos.sqlite3');
const dbB = join(dir, 'b', 'kozmos.sqlite3');
/** The file the open dialog "chooses". */
const incoming = join(dir, 'incoming.kozmos-sync');
const NAME = 'Nguyễn Thị Hoa';

let driver;
let s;
let personId;

function cli(db, ...args) {
  return execFileSync(cliPath, ['--db', db, '--lang', 'de', ...args], { encoding: 'utf8' });
}

function cliJson(db, ...args) {
  return JSON.parse(cli(db, ...args, '--json'));
}

before(async () => {
  rmSync(shots, { recursive: true, force: true });
  for (const d of [dirname(dbA), dirname(dbB)]) mkdirSync(d, { recursive: true });
  cli(dbA, 'init', '--network', 'lamsa', '--volunteer', 'Anna');
  const association = cliJson(dbA, 'associations', 'add', '--name', 'Vietnamesischer Verein Halle', '--city', 'Halle (Saale)');
  const person = cliJson(dbA, 'persons', 'add', '--association', association.id, '--name', NAME, '--role', 'Vorsitzende',
    '--email', 'hoa@example.org');
  personId = person.id;
  cli(dbA, 'persons', 'consent', personId, '--purpose', 'share', '--status', 'given');
  cli(dbB, 'init', '--network', 'migranetz', '--volunteer', 'Bernd');
  const first = join(dir, 'first.kozmos-sync');
  cli(dbA, 'sync', 'export', '--out', first);
  cli(dbB, 'sync', 'import', first, '--yes');
  assert.equal(cliJson(dbB, 'persons', 'show', personId).name, NAME);
  // The person withdraws the consent to sharing at A; A's next file tells B.
  cli(dbA, 'persons', 'withdraw', personId, '--purpose', 'share');
  cli(dbA, 'sync', 'export', '--out', incoming);
  process.env.KOZMOS_OPEN_FILE = incoming;
  driver = await startDriver(driverPath);
  s = await Session.start(driver, appPath, ['--db', dbB], shots);
  await s.find('[data-testid=nav-sync]', 15000);
});

after(() => closeApp({ session: s, driver, appPath, dbs: [dbA, dbB], dir }));

test('B imports the withdrawal: the preview counts the person as no longer shared', async () => {
  await s.click('[data-testid=nav-sync]');
  await s.click('[data-testid=sync-tab-import]');
  await s.click('[data-testid=choose-file]');
  await s.find('[data-testid=sync-preview]', 30000);
  assert.match(await s.text('[data-testid=count-withheld]'), /1\s*Personen nicht mehr geteilt/);
  assert.doesNotMatch(await s.text('[data-testid=sync-preview]'), /Nguyễn|hoa@/);
  await s.screenshot('b-preview-withdrawal');
  await s.click('[data-testid=import-apply]');
  await s.waitText('[data-testid=import-counts]', '1 Person nicht mehr geteilt', 30000);
  await s.screenshot('b-applied');
});

test("the association's page lists a neutral entry that opens the person's page", async () => {
  await s.click('[data-testid=nav-associations]');
  await s.click('[data-testid=open-association]');
  await s.waitText('[data-testid=detail-name]', 'Vietnamesischer Verein Halle');
  const row = await s.waitText('[data-testid=person-row]', 'nicht mehr geteilt');
  assert.match(row, /Vorsitzende/);
  assert.doesNotMatch(row, /Nguyễn|hoa@/);
  await s.exec('document.querySelector("[data-testid=persons-card]").scrollIntoView({ block: "center" })');
  await s.screenshot('b-association-persons');
  await s.click('[data-testid=open-person]');
  await s.find('[data-testid=person-detail]');
});

test("the person's page says the other network no longer shares them; only erasing is offered", async () => {
  const banner = await s.waitText('[data-testid=withheld-banner]', 'teilt diese Person nicht mehr');
  assert.match(banner, /persönlichen Daten wurden hier entfernt/);
  assert.equal(await s.text('[data-testid=detail-name]'), '(nicht mehr geteilt)');
  const page = await s.text('[data-testid=person-detail]');
  assert.match(page, /Vorsitzende/);
  assert.match(page, /Vietnamesischer Verein Halle/);
  assert.doesNotMatch(page, /Nguyễn|hoa@/);
  assert.equal(await s.count('[data-testid=edit-person]'), 0);
  assert.equal(await s.count('[data-testid=delete-person]'), 0);
  assert.equal(await s.count('[data-testid=erase-person]'), 1);
  await s.screenshot('b-person-withheld');
  await s.click('[data-testid=lang-en]');
  await s.waitText('[data-testid=withheld-banner]', 'no longer shares this person');
  assert.equal(await s.text('[data-testid=detail-name]'), '(no longer shared)');
  await s.screenshot('b-person-withheld-english');
  // A still holds the person whole.
  assert.equal(cliJson(dbA, 'persons', 'show', personId).name, NAME);
  assert.equal(cliJson(dbB, 'persons', 'search', 'Vorsitzende').length, 0);
});
