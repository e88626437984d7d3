#!/usr/bin/env bash
# Prints the version of the app: the root Cargo.toml's [package] version, which the Tauri CLI puts
# into the app and its installers (tauri.conf.json has none of its own). The release workflow
# compares a v* tag with it.
set -euo pipefail
manifest="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/Cargo.toml"
version=$(awk '
  /^[[:space:]]*\[/ { in_package = ($0 ~ /^[[:space:]]*\[package\][[:space:]]*$/) }
  in_package && /^[[:space:]]*version[[:space:]]*=/ {
    sub(/^[^=]*=[[:space:]]*"/, ""); sub(/".*$/, ""); print; exit
  }' "$manifest")
[[ -n "$version" ]] || { echo "No [package] version in $manifest" >&2; exit 1; }
printf '%s\n' "$version"
