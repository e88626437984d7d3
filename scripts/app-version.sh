#!/usr/bin/env bash
# Prints the version of the app, as cargo resolves it for the desktop package (the workspace's one
# version: the Tauri CLI puts it into the app and its installers, tauri.conf.json has none of its
# own). The release workflow compares a v* tag with it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cargo metadata --no-deps --format-version 1 --manifest-path "$root/Cargo.toml" |
  node -e '
    let json = "";
    process.stdin.on("data", (chunk) => (json += chunk)).on("end", () => {
      const app = JSON.parse(json).packages.find((p) => p.name === "kozmos-desktop");
      if (!app) { console.error("No kozmos-desktop package in Cargo.toml"); process.exit(1); }
      console.log(app.version);
    });'
