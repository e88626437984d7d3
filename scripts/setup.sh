#!/usr/bin/env bash
# Installs what KOZMOS needs and is missing: Debian/Ubuntu packages (when root or sudo is
# available), the UI's npm packages, and (with --test) the cargo tools the tests use (tauri-driver,
# cargo-fuzz) and the tools they call (age and script open encrypted sync files, unzip).
# Sourced by start.sh and test.sh; safe to run again.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_test_tools=false
[[ "${1:-}" == "--test" ]] && want_test_tools=true

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

build_packages=(build-essential pkg-config file libwebkit2gtk-4.1-dev libxdo-dev libssl-dev librsvg2-dev)
test_packages=(xvfb xauth webkit2gtk-driver dbus dbus-x11 fonts-noto-core poppler-utils qpdf age bsdutils unzip)

install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
      echo "Missing Debian packages: ${missing[*]}. Please install them as root (apt-get install ${missing[*]})." >&2
      exit 1
    fi
  fi
  say "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

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

if $want_test_tools && ! command -v tauri-driver >/dev/null && [[ ! -x "$HOME/.cargo/bin/tauri-driver" ]]; then
  say "Installing tauri-driver (drives the real app window in tests)"
  cargo install tauri-driver --version 2.1.0 --locked
fi

if $want_test_tools && ! command -v cargo-fuzz >/dev/null && [[ ! -x "$HOME/.cargo/bin/cargo-fuzz" ]]; then
  say "Installing cargo-fuzz (the fuzz smoke run of the sync file reader)"
  cargo install cargo-fuzz --locked
fi
