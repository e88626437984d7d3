// The desktop app's start and memory, measured in its real window (tauri-driver + WebKitWebDriver
// under Xvfb, like the e2e tests): from process start (the kernel's start time of the app process)
// to the overview's first figures from the database on screen (the `kozmos:first-list` mark the
// overview sets in the frame after it rendered them); then the memory of the app process (RSS), and
// of it with its WebKit processes (PSS, shared pages counted once), after opening each main page.
// Median of the runs; goals beside.
//
//   node scripts/bench-app.mjs --db /path/to/demo100.sqlite3 [--runs 3]
//     (KOZMOS_APP: the app binary, default target/release/kozmos-desktop, a release build with
//      `--features custom-protocol`; KOZMOS_CLI: the `kozmos` binary, default target/release/kozmos)
//
// Run it under `xvfb-run -a dbus-run-session --`. The database is copied first; the original is
// never opened.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Session, startDriver, closeApp } from '../tests/e2e/webdriver.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const source = arg('--db');
if (!source) {
  console.error('usage: node scripts/bench-app.mjs --db DATABASE [--runs N]');
  process.exit(2);
}
const runs = Number(arg('--runs', '3'));
const appPath = process.env.KOZMOS_APP ?? join(root, 'target/release/kozmos-desktop');
const cliPath = process.env.KOZMOS_CLI ?? join(root, 'target/release/kozmos');
const driverPath = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const pages = ['overview', 'associations', 'foundations', 'cooperations', 'matching', 'reports', 'sheets', 'sync', 'data', 'settings'];
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
// When the machine booted, in ms since the epoch, to 10 ms: now less the uptime. (The `btime` of
// /proc/stat is whole seconds, truncated: it put process starts up to a second early.)
const bootMs = Date.now() - Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;

/** The app process started with `marker` among its arguments. */
function appPid(marker) {
  const line = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.includes(appPath) && l.includes(marker));
  return line ? Number(line.trim().split(/\s+/)[0]) : null;
}

/** When a process started, in ms since the epoch (the kernel's clock ticks since boot). */
function startedAt(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return bootMs + (Number(fields[19]) / ticksPerSecond) * 1000;
}

/** A process's memory in MB: `VmRSS` (resident) or `RssAnon` (of it what no file backs: heaps and
 * stacks) from its status, or `Pss` (its share of pages it shares with others, so a sum over
 * processes counts shared libraries once) from smaps_rollup. */
function memoryMb(pid, kind) {
  const [file, key] = { pss: ['smaps_rollup', 'Pss'], anon: ['status', 'RssAnon'], rss: ['status', 'VmRSS'] }[kind];
  try {
    const kib = Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'))[1]);
    return kib / 1024;
  } catch {
    return 0;
  }
}

/** The process and every process below it. */
function tree(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      /* gone */
    }
  }
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]) ?? []));
  return all;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const starts = [];
const memory = new Map(pages.map((p) => [p, { app: [], anon: [], all: [] }]));
for (let run = 1; run <= runs; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'kozmos-bench-app-'));
  const db = join(dir, 'kozmos.sqlite3');
  copyFileSync(source, db);
  try {
    execFileSync(cliPath, ['--db', db, 'init', '--network', 'lamsa', '--volunteer', 'Benchmark'], { stdio: 'ignore' });
  } catch {
    /* set up already */
  }
  const driver = await startDriver(driverPath);
  const s = await Session.start(driver, appPath, ['--db', db], join(root, 'tests/screenshots/bench-app'));
  try {
    const painted = await s.until(
      () => s.exec("return performance.getEntriesByName('kozmos:first-list').map((e) => performance.timeOrigin + e.startTime)[0] ?? null"),
      'the overview with its figures',
      60000,
    );
    const pid = appPid(db);
    const ms = painted - startedAt(pid);
    starts.push(ms);
    console.log(`run ${run}: first figures on screen ${ms.toFixed(0)} ms after the process started`);
    if (run === runs) await s.screenshot('overview');
    // The overdue follow-ups of the demo data open their reminder over the window: "Später".
    const reminder = await s.exec('return document.querySelector("[data-testid=reminders-later]") !== null');
    if (reminder) await s.click('[data-testid=reminders-later]');
    for (const page of pages) {
      await s.click(`[data-testid=nav-${page}]`);
      await s.until(() => s.exec('return document.querySelector("[aria-busy=true]") === null'), `${page} loaded`, 60000);
      await sleep(500);
      memory.get(page).app.push(memoryMb(pid, 'rss'));
      memory.get(page).anon.push(memoryMb(pid, 'anon'));
      memory.get(page).all.push(tree(pid).reduce((sum, p) => sum + memoryMb(p, 'pss'), 0));
    }
  } finally {
    await closeApp({ session: s, driver, appPath, dbs: [db], dir });
    rmSync(dir, { recursive: true, force: true });
  }
}

const line = (what, figure, goal) => console.log(`| ${what.padEnd(68)} | ${figure.padStart(18)} | ${goal.padEnd(9)} |`);
console.log('');
line('what', 'figure', 'goal');
console.log(`|${'-'.repeat(70)}|${'-'.repeat(20)}|${'-'.repeat(11)}|`);
line(`app start to first figures (median of ${runs})`, `${median(starts).toFixed(0)} ms`, '≤ 1000 ms');
for (const [page, { app, anon, all }] of memory) {
  const figures = [app, anon, all].map((m) => median(m).toFixed(0)).join(' / ');
  line(`after opening "${page}": app RSS / of it heap / with WebKit PSS`, `${figures} MB`, '≤ 150 MB');
}
