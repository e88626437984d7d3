// A small WebDriver client for driving the real KOZMOS window through tauri-driver.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import net from 'node:net';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecc';

/** The id of a found element: the W3C key, or the legacy one WebKitWebDriver may send. */
function elementId(found) {
  return found[ELEMENT] ?? found.ELEMENT ?? Object.values(found)[0];
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts tauri-driver on a free port; stop it with SIGTERM (SIGKILL would orphan WebKitWebDriver).
 * The apps it starts get this process's environment and `env`.
 */
export async function startDriver(driverPath, env = {}) {
  const port = await freePort();
  const nativePort = await freePort();
  const child = spawn(driverPath, ['--port', String(port), '--native-port', String(nativePort)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NO_AT_BRIDGE: '1', ...env },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${base}/status`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  return {
    base,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/** The ids of app processes still running with `marker` among their arguments (a test's database path). */
function appsLeft(appPath, marker) {
  return execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, stat, program, ...args]) => stat && !stat.startsWith('Z') && program === appPath && args.includes(marker))
    .map(([pid]) => Number(pid));
}

/**
 * Ends app windows the driver failed to close (they would keep the test runner's output open and
 * hang the run): waits up to 5 s for them to go, then sends SIGTERM.
 */
export async function endLeftoverApps(appPath, markers) {
  const left = () => markers.flatMap((marker) => appsLeft(appPath, marker));
  for (let i = 0; i < 50 && left().length > 0; i++) await sleep(100);
  for (const pid of left()) process.kill(pid, 'SIGTERM');
}

/** Ends a test file's app: its session, the driver, any app left running on `dbs`, then removes
 * the test's folder (the web view may still be writing its shader cache there for a moment). */
export async function closeApp({ session, driver, appPath, dbs, dir }) {
  await session?.end();
  await driver?.stop();
  await endLeftoverApps(appPath, dbs);
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

export class Session {
  constructor(base, id, shotsDir) {
    this.base = base;
    this.id = id;
    this.shotsDir = shotsDir;
    this.shotNo = 0;
  }

  static async start(driver, application, args, shotsDir) {
    const res = await fetch(`${driver.base}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ capabilities: { alwaysMatch: { 'tauri:options': { application, args } } } }),
    });
    const body = await res.json();
    if (!res.ok || !body.value?.sessionId) throw new Error(`session failed: ${JSON.stringify(body)}`);
    mkdirSync(shotsDir, { recursive: true });
    return new Session(driver.base, body.value.sessionId, shotsDir);
  }

  async cmd(method, path, body) {
    const res = await fetch(`${this.base}/session/${this.id}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value)}`);
    return json.value;
  }

  async end() {
    await this.cmd('DELETE', '').catch(() => {});
  }

  /** Waits until `fn` returns a truthy value (or throws after `ms`). */
  async until(fn, what, ms = 8000) {
    const deadline = Date.now() + ms;
    let last;
    while (Date.now() < deadline) {
      try {
        const value = await fn();
        if (value) return value;
      } catch (e) {
        last = e;
      }
      await sleep(100);
    }
    const shot = await this.screenshot('timeout').catch(() => 'no screenshot');
    throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''} (see ${shot})`);
  }

  async find(css, ms) {
    return this.until(async () => {
      const found = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
      return found.length > 0 ? new Element(this, found[0]) : null;
    }, css, ms);
  }

  async findAll(css) {
    const found = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return found.map((e) => new Element(this, e));
  }

  async count(css) {
    return (await this.findAll(css)).length;
  }

  async exec(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  async text(css) {
    return (await this.find(css)).text();
  }

  async waitText(css, expected, ms) {
    return this.until(async () => {
      const els = await this.findAll(css);
      for (const el of els) {
        const text = await el.text();
        if (text.includes(expected)) return text;
      }
      return null;
    }, `${css} containing "${expected}"`, ms);
  }

  async click(css) {
    const el = await this.find(css);
    try {
      await el.click();
    } catch (e) {
      await this.screenshot('failed-click');
      throw new Error(`clicking ${css}: ${e.message}`);
    }
  }

  async type(css, text, { clear = true } = {}) {
    const el = await this.find(css);
    if (clear) await el.clear();
    await el.sendKeys(text);
    return el;
  }

  /** A screenshot once the web view has painted what the DOM shows (else it may catch an older frame). */
  async screenshot(name) {
    await sleep(250);
    await this.cmd('POST', '/execute/async', {
      script: 'const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));',
      args: [],
    }).catch(() => {});
    const png = await this.cmd('GET', '/screenshot');
    this.shotNo += 1;
    const file = `${this.shotsDir}/${String(this.shotNo).padStart(2, '0')}-${name}.png`;
    writeFileSync(file, Buffer.from(png, 'base64'));
    return file;
  }
}

export class Element {
  /** `ref` is the element reference as the driver sent it; it is passed back as is. */
  constructor(session, ref) {
    this.session = session;
    this.ref = ref;
    this.id = elementId(ref);
  }

  cmd(method, path, body) {
    return this.session.cmd(method, `/element/${this.id}${path}`, body);
  }

  /** Scrolls the element to the middle of the window (clear of sticky bars), then clicks it. */
  async click() {
    await this.session.exec('(arguments[0].closest("select") || arguments[0]).scrollIntoView({ block: "center" })', [this.ref]);
    return this.cmd('POST', '/click', {});
  }

  clear() {
    return this.cmd('POST', '/clear', {});
  }

  sendKeys(text) {
    return this.cmd('POST', '/value', { text });
  }

  text() {
    return this.cmd('GET', '/text');
  }

  attribute(name) {
    return this.cmd('GET', `/attribute/${name}`);
  }

  property(name) {
    return this.cmd('GET', `/property/${name}`);
  }
}
