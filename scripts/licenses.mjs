#!/usr/bin/env node
// Writes the licence list the app shows under "Über KOZMOS": every Rust crate compiled into the
// desktop app (for the target being built), every npm package the UI ships, and the PDF fonts,
// each with its SPDX licence and the licence texts it ships (identical texts stored once).
// Fails when a component's licence is not one KOZMOS (AGPL-3.0-or-later) may bundle.
//
// Usage: node scripts/licenses.mjs OUT.json   (the UI build runs it into ui/dist/licenses.json)

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const APP_PACKAGE = 'kozmos-desktop';

/** Licences that may be bundled in an AGPL-3.0-or-later program (each alone, or combined). */
export const ALLOWED = new Set([
  '0BSD', 'Apache-2.0', 'Apache-2.0 WITH LLVM-exception', 'BSD-1-Clause', 'BSD-2-Clause', 'BSD-3-Clause',
  'BSL-1.0', 'CC0-1.0', 'CDLA-Permissive-2.0', 'ISC', 'MIT', 'MIT-0', 'MPL-2.0', 'OFL-1.1', 'Unicode-3.0',
  'Unicode-DFS-2016', 'Unlicense', 'Zlib', 'bzip2-1.0.6', 'AGPL-3.0-or-later', 'GPL-3.0-or-later',
  'LGPL-2.1-or-later', 'LGPL-3.0-or-later',
]);

const LICENSE_FILE = /^(licen[cs]e|copying|notice|copyright|ofl)([-._].*)?$/i;

/** Whether an SPDX expression (also the old "MIT/Apache-2.0" form) allows bundling. */
export function allowed(expression) {
  const normalised = expression.replace(/\s*\/\s*/g, ' OR ').replace(/[()]/g, ' ');
  // Without parentheses, AND binds tighter than OR: one alternative whose parts are all allowed.
  return normalised
    .split(/\s+OR\s+/)
    .some((alternative) => alternative.split(/\s+AND\s+/).every((part) => ALLOWED.has(part.trim())));
}

/** The licence texts a package ships in its folder. A file that only names another one (a
 * symbolic link packed as text, such as "../LICENSE-MIT") is not a text. */
function textsIn(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile() && LICENSE_FILE.test(entry.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => readFileSync(join(folder, entry.name), 'utf8'))
    .filter((text) => text.trim().split(/\s+/).length >= 10);
}

function hostTarget() {
  const info = execFileSync('rustc', ['-vV'], { encoding: 'utf8' });
  return info.match(/^host: (\S+)$/m)[1];
}

/** The targets being built: the Tauri CLI names it; a universal macOS build is both Macs. */
function targets() {
  const triple = process.env.TAURI_ENV_TARGET_TRIPLE || hostTarget();
  return triple === 'universal-apple-darwin' ? ['aarch64-apple-darwin', 'x86_64-apple-darwin'] : [triple];
}

/** The crates compiled into the app: normal dependencies reachable from it (no build tools, no macros). */
function crates() {
  const args = ['metadata', '--format-version', '1', '--locked', ...targets().flatMap((t) => ['--filter-platform', t])];
  const metadata = JSON.parse(execFileSync('cargo', args, { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 }));
  const packages = new Map(metadata.packages.map((p) => [p.id, p]));
  const nodes = new Map(metadata.resolve.nodes.map((n) => [n.id, n]));
  const workspace = new Set(metadata.workspace_members);
  const start = metadata.packages.find((p) => p.name === APP_PACKAGE).id;
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const dep of nodes.get(queue.shift()).deps) {
      const normal = dep.dep_kinds.some((kind) => kind.kind === null);
      const isMacro = packages.get(dep.pkg).targets.some((t) => t.kind.includes('proc-macro'));
      if (normal && !isMacro && !seen.has(dep.pkg)) {
        seen.add(dep.pkg);
        queue.push(dep.pkg);
      }
    }
  }
  return [...seen]
    .filter((id) => !workspace.has(id))
    .map((id) => packages.get(id))
    .map((p) => ({
      kind: 'crate',
      name: p.name,
      version: p.version,
      license: p.license ?? `SEE LICENSE FILE ${p.license_file}`,
      repository: p.repository ?? null,
      texts: textsIn(dirname(p.manifest_path)),
    }));
}

/** The npm packages the UI ships: every package in the lockfile that is not only for development. */
function npmPackages() {
  const lock = JSON.parse(readFileSync(join(root, 'ui', 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev && !entry.optional)
    .map(([path, entry]) => {
      const folder = join(root, 'ui', path);
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
      const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
      return {
        kind: 'npm',
        name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length),
        version: entry.version,
        license: entry.license ?? manifest.license ?? 'UNKNOWN',
        repository: repository ?? null,
        texts: textsIn(folder),
      };
    });
}

/** The fonts the PDFs embed. */
function fonts() {
  const folder = join(root, 'crates', 'kozmos-pdf', 'fonts');
  const faces = readdirSync(folder).filter((f) => f.endsWith('.ttf'));
  const families = [...new Set(faces.map((f) => f.replace(/-(Regular|Bold)\.ttf$/, '')))];
  return families.map((family) => ({
    kind: 'font',
    name: family.replace(/([a-z])([A-Z])/g, '$1 $2'),
    version: null,
    license: 'OFL-1.1',
    repository: 'https://github.com/notofonts',
    texts: [readFileSync(join(folder, 'OFL.txt'), 'utf8')],
  }));
}

function main(out) {
  const components = [...fonts(), ...crates(), ...npmPackages()];
  const refused = components.filter((c) => !allowed(c.license));
  if (refused.length > 0) {
    for (const c of refused) console.error(`Licence not allowed in KOZMOS: ${c.kind} ${c.name} ${c.version}: ${c.license}`);
    process.exit(1);
  }
  const texts = {};
  const listed = components
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name))
    .map(({ texts: own, ...component }) => {
      const keys = own.map((text) => {
        const key = createHash('sha256').update(text.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 16);
        texts[key] = text;
        return key;
      });
      return { ...component, texts: [...new Set(keys)] };
    });
  writeFileSync(out, JSON.stringify({ components: listed, texts }));
  const count = (kind) => listed.filter((c) => c.kind === kind).length;
  console.log(`Licences: ${count('crate')} crates, ${count('npm')} npm packages, ${count('font')} fonts, ${Object.keys(texts).length} texts → ${out}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv[2]) {
    console.error('Usage: node scripts/licenses.mjs OUT.json');
    process.exit(2);
  }
  main(resolve(process.argv[2]));
}
