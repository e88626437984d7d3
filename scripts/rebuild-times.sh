#!/usr/bin/env bash
# How long `cargo build --workspace --bins` takes after one line changes in the PDF engine, the sync
# file format, the store, the model and a Svelte component (the UI build included for the last).
# Run from the repository root after a full build; each change is undone afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

first() { for f in "$@"; do [ -f "$f" ] && { echo "$f"; return; }; done; echo "none of $*" >&2; exit 1; }
pdf=$(first crates/kozmos-pdf/src/shape.rs crates/kozmos-core/src/pdf/shape.rs)
syncfile=$(first crates/kozmos-syncfile/src/file.rs crates/kozmos-core/src/sync/file.rs)
store=crates/kozmos-core/src/store/mod.rs
model=$(first crates/kozmos-model/src/vocab.rs crates/kozmos-core/src/vocab.rs)
svelte=ui/src/components/Overview.svelte

cargo build --workspace --bins -q
timed() {  # label, file, command…
  local label=$1 file=$2; shift 2
  cp "$file" "$file.orig"
  # One changed line (a comment with a new value, so the content differs each run).
  case $file in
    *.svelte) printf '\n<!-- touched %s -->\n' "$(date +%s%N)" >>"$file" ;;
    *) printf '\n// touched %s\n' "$(date +%s%N)" >>"$file" ;;
  esac
  local start=$SECONDS
  "$@" >/dev/null
  printf '%-44s %4d s\n' "$label" $((SECONDS - start))
  mv "$file.orig" "$file"
  "$@" >/dev/null  # untimed: back to the unchanged state before the next change
}
build() { cargo build --workspace --bins -q; }
ui_and_build() { npm --prefix ui run build && cargo build --workspace --bins -q; }
timed "PDF engine ($pdf)" "$pdf" build
timed "sync file format ($syncfile)" "$syncfile" build
timed "store ($store)" "$store" build
timed "model ($model)" "$model" build
if [ -d ui/node_modules ]; then timed "Svelte component (UI build + cargo)" "$svelte" ui_and_build; fi
