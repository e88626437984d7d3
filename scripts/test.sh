#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting, UI checks and unit tests, the Rust
# tests (core, CLI, app), the real app window driven by tauri-driver under Xvfb, a benchmark smoke
# run, the Debian package bundle, and a fuzz smoke run of the sync file reader.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
started=$SECONDS
step() { printf '\n\033[1m==> %s (%ds)\033[0m\n' "$*" $((SECONDS - started)); }

step "Installing what is missing"
bash scripts/setup.sh --test

# The fuzz build (the longest step: about 19 min of compiling on its own) runs in the background at
# the lowest priority from here on, so it takes only the cores the other steps leave idle.
step "Fuzz build of the sync file reader, in the background (cargo-fuzz; nightly, else stable with RUSTC_BOOTSTRAP)"
if cargo +nightly --version >/dev/null 2>&1; then fuzz=(cargo +nightly fuzz); else fuzz=(env RUSTC_BOOTSTRAP=1 cargo fuzz); fi
fuzz_log="$(mktemp)"
(cd crates/kozmos-core && exec nice -n 19 "${fuzz[@]}" build sync_reader) >"$fuzz_log" 2>&1 &
fuzz_build=$!
trap 'kill "$fuzz_build" 2>/dev/null || true' EXIT

step "Rust formatting"
cargo fmt --all -- --check

step "UI: type check, unit tests, build"
npm --prefix ui run check
npm --prefix ui test
npm --prefix ui run build

step "Rust: build app and CLI"
cargo build --workspace --bins

step "Rust: tests (core, CLI, app, generated TypeScript types)"
cargo test --workspace

step "The real app window (tauri-driver + WebKitWebDriver under Xvfb)"
NO_AT_BRIDGE=1 xvfb-run -a -s "-screen 0 1280x860x24" dbus-run-session -- \
  node --test --test-concurrency=1 tests/e2e/
echo "Screenshots: tests/screenshots/ (journey, sync, sheets, import, duplicates, privacy, backups)"

step "Benchmark smoke run (the figures come from a release build, see README)"
target/debug/kozmos-bench --count 300

step "Debian package (debug profile: reuses the build above; release installers: see README)"
ui/node_modules/.bin/tauri build --debug --bundles deb
deb=$(ls target/debug/bundle/deb/*.deb | head -n 1)
dpkg-deb --contents "$deb" | grep -q "usr/bin/kozmos-desktop"
echo "Built $deb"

step "Fuzz smoke run: the sync file reader, 30 s"
if ! wait "$fuzz_build"; then
  cat "$fuzz_log"
  echo "The fuzz build failed (output above)." >&2
  exit 1
fi
tail -n 3 "$fuzz_log"
corpus="$(mktemp -d)"  # new inputs go here; the committed seeds stay as they are
(cd crates/kozmos-core && "${fuzz[@]}" run sync_reader "$corpus" fuzz/corpus/sync_reader -- -max_total_time=30)
rm -rf "$corpus" "$fuzz_log"

step "All tests passed"
