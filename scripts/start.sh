#!/usr/bin/env bash
# Installs what is missing, builds KOZMOS and starts it. Extra arguments go to the app
# (e.g. --db /path/to/kozmos.sqlite3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
echo "==> Building the UI"
npm --prefix ui run build
echo "==> Building and starting KOZMOS"
exec cargo run --bin kozmos-desktop -- "$@"
