#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting and lints, UI checks and unit tests, the Rust
# tests (core, CLI, app), the real app window driven by tauri-driver under Xvfb, a benchmark smoke
# run, the Debian package bundle, fuzz smoke runs of the sync file reader and its content checks, and the Windows build
# checked under Wine (scripts/check-windows.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
started=$SECONDS
step() { printf '\n\033[1m==> %s (%ds)\033[0m\n' "$*" $((SECONDS - started)); }

step "Installing what is missing"
df -h . /tmp | sed 's/^/disk: /'
bash scripts/setup.sh --test

# Two steps run in the background from here on, at the lowest priority, so that they take only the
# cores the other steps leave idle. Each runs in its own session (killed as a group when this script
# ends). A new session is a new scheduler autogroup on Linux, whose weight ignores `nice` inside
# it: the autogroup itself gets nice 19, else a background step takes a full core from the steps
# below (the Windows check did: 52 min in CI). Each writes its exit status to a file, which
# `succeeded` reads: `wait PID` alone cannot be trusted with a child that ended long ago, as bash
# forgets its status when a later child of its own gets the same PID, and PIDs wrap within a run
# (a fuzz build done after 12 min was once reported as "not a child of this shell").
in_background() { # LOG STATUS_FILE COMMAND...
  setsid bash -c '{ echo 19 >/proc/self/autogroup; } 2>/dev/null; status=0
    nice -n 19 "${@:2}" || status=$?; echo "$status" >"$1"' _ "${@:2}" >"$1" 2>&1 &
}
succeeded() { # PID STATUS_FILE
  wait "$1" 2>/dev/null || true
  [[ "$(cat "$2")" == 0 ]]
}
background=()
stop_background() {
  local pid
  for pid in "${background[@]}"; do kill -- -"$pid" 2>/dev/null || true; done
}
trap stop_background EXIT

# The fuzz build: about 4 min of compiling on its own (the sync file crate and the model only).
step "Fuzz build of the sync file targets, in the background (cargo-fuzz; nightly, else stable with RUSTC_BOOTSTRAP)"
if cargo +nightly --version >/dev/null 2>&1; then fuzz=(cargo +nightly fuzz); else fuzz=(env RUSTC_BOOTSTRAP=1 cargo fuzz); fi
fuzz_log="$(mktemp)" fuzz_status="$(mktemp)"
in_background "$fuzz_log" "$fuzz_status" env -C crates/kozmos-syncfile "${fuzz[@]}" build
fuzz_build=$!
background+=("$fuzz_build")

# The Windows check (scripts/check-windows.sh: the CLI and core tests built for Windows, a smoke
# journey and the core tests under Wine, a check of the desktop app).
# KOZMOS_SKIP_WINDOWS=1 leaves it out (for measuring or a quick local run; CI always runs it).
windows_check=
if [[ "${KOZMOS_SKIP_WINDOWS:-}" != 1 ]]; then
  step "Windows build and checks under Wine, in the background (scripts/check-windows.sh)"
  windows_log="$(mktemp)" windows_status="$(mktemp)"
  in_background "$windows_log" "$windows_status" bash scripts/check-windows.sh
  windows_check=$!
  background+=("$windows_check")
fi

step "Rust formatting, and the lockfiles current (the app's and the fuzz targets')"
cargo fmt --all -- --check
cargo metadata --locked --format-version 1 >/dev/null
(cd crates/kozmos-syncfile/fuzz && cargo metadata --locked --format-version 1 >/dev/null)

step "Release pipeline: workflows (actionlint), release notes, release configurations"
bash scripts/check-release.sh

step "UI: type check, unit tests, build (with the licence list of everything bundled)"
npm --prefix ui run check
npm --prefix ui test
node --test scripts/
npm --prefix ui run build

step "Rust: build app and CLI"
cargo build --workspace --bins

step "Rust lints: clippy on every crate and test, warnings are errors"
cargo clippy --workspace --all-targets -- -D warnings

# In a D-Bus session with a real keyring (gnome-keyring's Secret Service), which the shared folder's
# passphrase tests then require.
step "Rust: tests (core, CLI, app, generated TypeScript types), with a keyring"
dbus-run-session -- bash scripts/with-keyring.sh cargo test --workspace

step "The real app window (tauri-driver + WebKitWebDriver under Xvfb, with a keyring)"
NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x860x24" dbus-run-session -- bash scripts/with-keyring.sh \
  node --test --test-concurrency=1 tests/e2e/
echo "Screenshots: tests/screenshots/ (journey, sync, sheets, import, duplicates, privacy, backups, open-file, release)"

step "Benchmark smoke run (the figures come from a release build, see README)"
target/debug/kozmos-bench --count 300

step "Linux packages .deb and .rpm (debug profile: reuses the build above; release installers: see README)"
ui/node_modules/.bin/tauri build --debug --bundles deb,rpm
deb=$(ls target/debug/bundle/deb/*.deb | head -n 1)
rpm=$(ls target/debug/bundle/rpm/*.rpm | head -n 1)
for listing in "$(dpkg-deb --contents "$deb")" "$(rpm -qlp "$rpm")"; do
  for path in usr/bin/kozmos-desktop usr/share/applications/KOZMOS.desktop usr/share/mime/packages/kozmos-desktop.xml; do
    grep -q "$path" <<<"$listing" || { echo "$path is missing from a package" >&2; exit 1; }
  done
done
ls -l "$deb" "$rpm"

step "The installed .deb: apt-get install, the real window from /usr/bin, a sync file opened by xdg-open, uninstall keeps the data"
source scripts/packages.sh
apt_get install -y -q --reinstall "./$deb"  # the package just built, also over an installed one of the same version
NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x860x24" dbus-run-session -- node --test tests/e2e/installed-deb.mjs

if [[ -n "$windows_check" ]]; then
  step "Windows: the check under Wine (started in the background)"
  if ! succeeded "$windows_check" "$windows_status"; then
    cat "$windows_log"
    echo "The Windows check failed (output above)." >&2
    exit 1
  fi
  sed -n '/Windows check passed/,$p' "$windows_log"
  rm -f "$windows_log" "$windows_status"
else
  step "Windows: left out (KOZMOS_SKIP_WINDOWS=1)"
fi

step "Fuzz smoke run: the sync file reader and the content checks, 15 s each"
if ! succeeded "$fuzz_build" "$fuzz_status"; then
  cat "$fuzz_log"
  echo "The fuzz build failed (output above)." >&2
  exit 1
fi
tail -n 3 "$fuzz_log"
for target in sync_reader sync_content; do
  corpus="$(mktemp -d)"  # new inputs go here; the committed seeds stay as they are
  seeds=()
  if [ -d "crates/kozmos-syncfile/fuzz/corpus/$target" ]; then seeds=("fuzz/corpus/$target"); fi
  (cd crates/kozmos-syncfile && "${fuzz[@]}" run "$target" "$corpus" "${seeds[@]}" -- -max_total_time=15)
  rm -rf "$corpus"
done
rm -f "$fuzz_log" "$fuzz_status"

step "All tests passed"
df -h . /tmp | sed 's/^/disk: /'
du -sh target crates/kozmos-syncfile/fuzz/target 2>/dev/null | sed 's/^/build outputs: /' || true
