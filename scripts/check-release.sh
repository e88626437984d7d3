#!/usr/bin/env bash
# Checks the release pipeline without GitHub: the workflows with actionlint (which runs shellcheck on
# their run: blocks when shellcheck is installed), the release notes of the current version, and the
# release configuration of each platform against the Tauri CLI's schema. Run by scripts/test.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

workflows=(.github/workflows/ci.yml .github/workflows/release.yml)

# pip puts actionlint beside its Python; a pyenv shim for it may not exist yet.
actionlint=$(command -v actionlint || true)
if [[ -z "$actionlint" ]] && command -v python3 >/dev/null; then
  scripts_dir=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true)
  if [[ -n "$scripts_dir" && -x "$scripts_dir/actionlint" ]]; then actionlint="$scripts_dir/actionlint"; fi
fi
if [[ -z "$actionlint" ]]; then
  echo "actionlint is missing (scripts/setup.sh --test installs it)." >&2
  exit 1
fi
"$actionlint" "${workflows[@]}"
with_shellcheck=""
if command -v shellcheck >/dev/null; then with_shellcheck=", shellcheck on the run: blocks"; fi
echo "actionlint $("$actionlint" -version | head -n 1): the workflows are clean$with_shellcheck"

if command -v shellcheck >/dev/null; then
  shellcheck scripts/app-version.sh scripts/release-notes.sh scripts/check-release.sh
fi

version=$(bash scripts/app-version.sh)
bash scripts/release-notes.sh "$version" >/dev/null
echo "CHANGELOG.md has the release notes of $version (the version in Cargo.toml)"
if bash scripts/release-notes.sh 0.0.0-not-in-the-changelog >/dev/null 2>&1; then
  echo "scripts/release-notes.sh printed notes for a version CHANGELOG.md does not have." >&2
  exit 1
fi

# Each release configuration, merged over tauri.conf.json as the release build does, must pass the
# Tauri CLI's config check. The build stops at its first step (a beforeBuildCommand that fails on
# purpose), so nothing is compiled.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check_config() { # NAME ARGS-FOR-release-config.mjs... (the environment says what is signed)
  local name=$1 out
  shift
  GITHUB_REPOSITORY=kozmos/kozmos-desktop node scripts/release-config.mjs "$tmp/$name.json" "$@" >/dev/null
  out=$(CI=true node ui/node_modules/@tauri-apps/cli/tauri.js build --no-bundle --config "$tmp/$name.json" \
    --config tauri.offline.conf.json --config '{"build":{"beforeBuildCommand":"exit 7"}}' 2>&1 || true)
  if ! grep -qF "beforeBuildCommand \`exit 7\` failed" <<<"$out"; then
    printf '%s\n' "$out" >&2
    echo "The release configuration \"$name\" does not pass the Tauri CLI's config check (output above)." >&2
    exit 1
  fi
}
check_config linux-unsigned --platform linux
TAURI_SIGNING_PRIVATE_KEY=key WINDOWS_CERTIFICATE_THUMBPRINT=0123456789ABCDEF0123456789ABCDEF01234567 \
  check_config windows-certificate --platform win32
AZURE_SIGNING_ENDPOINT=https://weu.codesigning.azure.net AZURE_SIGNING_ACCOUNT=account AZURE_SIGNING_PROFILE=profile \
  check_config windows-azure-offline --platform win32 --offline
check_config macos-ad-hoc --platform darwin
APPLE_CERTIFICATE=certificate TAURI_SIGNING_PRIVATE_KEY=key check_config macos-developer-id --platform darwin
echo "The release configurations pass the Tauri CLI's config check"
