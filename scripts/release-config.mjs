#!/usr/bin/env node
// Writes the Tauri configuration a release build merges over tauri.conf.json (`tauri build --config FILE`),
// from the environment of the release workflow, and says what it chose:
// - the updater endpoint of this repository (the committed config has none, so dev builds never look for
//   updates);
// - updater artifacts (signed .sig files, which tauri-action lists in latest.json) when TAURI_SIGNING_PRIVATE_KEY
//   is set, except for the Windows "offline" installer (the updater serves the normal one); tauri.conf.json
//   leaves them off so that a build without the key works;
// - Windows signing: a certificate in the store (WINDOWS_CERTIFICATE_THUMBPRINT) or Azure Artifact Signing
//   (AZURE_SIGNING_ENDPOINT, AZURE_SIGNING_ACCOUNT, AZURE_SIGNING_PROFILE; the tool reads AZURE_CLIENT_ID,
//   AZURE_CLIENT_SECRET and AZURE_TENANT_ID itself); with neither, the installers are unsigned;
// - macOS: without APPLE_CERTIFICATE the app is signed ad hoc (identity "-"), so Apple-silicon Macs say
//   "unidentified developer" instead of "damaged"; with it, the Tauri CLI signs and notarises.
//
// Usage: node scripts/release-config.mjs OUT.json [--offline] [--platform win32|darwin|linux]
// Needs GITHUB_REPOSITORY (owner/name).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const usage = 'usage: node scripts/release-config.mjs OUT.json [--offline] [--platform win32|darwin|linux]';
const env = (name) => (process.env[name] ?? '').trim();

function fail(message) {
  console.error(`release-config: ${message}`);
  process.exit(1);
}

let out = null;
let offline = false;
let platform = process.platform;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--offline') offline = true;
  else if (args[i] === '--platform') platform = args[++i];
  else if (out === null && !args[i].startsWith('--')) out = args[i];
  else fail(usage);
}
if (!out) fail(usage);
if (!['win32', 'darwin', 'linux'].includes(platform)) fail(`unknown platform ${platform}`);
const repository = env('GITHUB_REPOSITORY');
if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) fail('GITHUB_REPOSITORY (owner/name) is not set');

const config = {
  bundle: {},
  plugins: {
    updater: { endpoints: [`https://github.com/${repository}/releases/latest/download/latest.json`] },
  },
};
const said = [`updater endpoint: ${config.plugins.updater.endpoints[0]}`];

if (offline) {
  config.bundle.createUpdaterArtifacts = false;
  said.push('updater artifacts: none (the offline installer; updates come as the normal installer)');
} else if (!env('TAURI_SIGNING_PRIVATE_KEY')) {
  config.bundle.createUpdaterArtifacts = false;
  said.push('updater artifacts: none (no TAURI_SIGNING_PRIVATE_KEY; installed apps will not be offered this release)');
} else {
  config.bundle.createUpdaterArtifacts = true; // tauri.conf.json has false, so a plain `tauri build` needs no key
  said.push('updater artifacts: signed');
}

if (platform === 'win32') {
  const thumbprint = env('WINDOWS_CERTIFICATE_THUMBPRINT');
  const azure = ['AZURE_SIGNING_ENDPOINT', 'AZURE_SIGNING_ACCOUNT', 'AZURE_SIGNING_PROFILE'].map(env);
  if (thumbprint) {
    config.bundle.windows = {
      certificateThumbprint: thumbprint,
      digestAlgorithm: 'sha256',
      timestampUrl: env('WINDOWS_TIMESTAMP_URL') || 'http://timestamp.digicert.com',
    };
    said.push(`Windows signing: certificate ${thumbprint}`);
  } else if (azure.every(Boolean)) {
    const [endpoint, account, profile] = azure;
    config.bundle.windows = {
      signCommand: {
        cmd: 'artifact-signing-cli',
        args: ['-e', endpoint, '-a', account, '-c', profile, '-d', 'KOZMOS', '%1'],
      },
    };
    said.push(`Windows signing: Azure Artifact Signing (${account}/${profile})`);
  } else {
    said.push('Windows signing: none (unsigned installers)');
  }
}

if (platform === 'darwin') {
  if (env('APPLE_CERTIFICATE')) {
    said.push('macOS signing: Developer ID from APPLE_CERTIFICATE (notarised when APPLE_ID etc. are set)');
  } else {
    config.bundle.macOS = { signingIdentity: '-' };
    said.push('macOS signing: ad hoc (no APPLE_CERTIFICATE; not notarised)');
  }
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(config, null, 2)}\n`);
console.log(`Wrote ${out}:\n  ${said.join('\n  ')}`);
