#!/usr/bin/env bash
# Builds KOZMOS for Windows and runs it under Wine, on Debian and without Windows (the route in
# ../shared/design/windows.md: Debian's rustc-web with its std sources builds std for
# x86_64-pc-windows-gnu via -Zbuild-std, linked by mingw-w64). The phases, each timed:
#   toolchain  mingw-w64, Wine, poppler (apt, when missing); rustc-web unpacked into target/windows-toolchain/
#   wine       a private Wine prefix (target/windows-wine/) whose user is "Jürgen Müller"
#   build      the kozmos CLI and the core's tests, in one cargo run (target/windows/)
#   smoke      a journey with the Windows CLI (scripts/windows/smoke.sh)
#   tests      the core tests under Wine, without the checks that start Linux PDF tools
#              (KOZMOS_SKIP_PDF_TOOLS=1, as on the Windows CI runner: Wine cannot start Linux programs),
#              with fewer kill iterations and random sync histories (Linux runs them all)
#   desktop    cargo check of the desktop app for Windows
# Usage: scripts/check-windows.sh [PHASE...]   (default: all, in this order). Safe to run again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/packages.sh # say, apt_get, install_packages

triple=x86_64-pc-windows-gnu
toolchains="$root/target/windows-toolchain"
export CARGO_TARGET_DIR="$root/target/windows"
export PATH="$HOME/.cargo/bin:$PATH"
export WINEPREFIX="$root/target/windows-wine"
export WINEDEBUG=-all
# Wine names the Windows user (and C:\users\…) after $USER; its arguments and environment are read
# as the Unix locale's text, so that must be UTF-8.
export USER="Jürgen Müller"
export LC_ALL=C.UTF-8

die() {
  echo "check-windows: $*" >&2
  exit 1
}

# One Wine server for all the programs the phases start (each would else start and stop its own),
# ended when this script ends.
wine_server() {
  [[ -z ${wine_server_up:-} ]] || return 0
  wineserver -k 2>/dev/null || true # one left over from a run that was killed
  wineserver -p
  trap 'wineserver -k 2>/dev/null || true' EXIT
  wine_server_up=1
}

# --- timing -------------------------------------------------------------------------------------
started=$SECONDS
phase_name=""
times=()
# Ends the running phase (printing its time) and starts the next one, if named.
phase() {
  if [[ -n $phase_name ]]; then
    times+=("$(printf 'windows %-9s %5d s' "$phase_name" $((SECONDS - phase_began)))")
    echo "${times[-1]}"
  fi
  phase_name=${1:-}
  phase_began=$SECONDS
  if [[ -n $phase_name ]]; then say "Windows $phase_name: $2"; fi
}

# --- toolchain ----------------------------------------------------------------------------------
candidate() { apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" {print $2}'; }

# The first dependency of PACKAGE=VERSION whose name matches PATTERN.
dependency() { apt-cache depends "$1" 2>/dev/null | awk -v re="$2" '$1 == "Depends:" && $2 ~ re {print $2; exit}'; }

# Debian's rustc-web (not installed: unpacked) with the std sources of exactly that version.
rust_toolchain() {
  local version
  version=$(candidate rustc-web)
  if [[ -z $version ]]; then
    apt_get update -q
    version=$(candidate rustc-web)
  fi
  [[ -n $version ]] || die "apt offers no rustc-web (Debian 12 has it in bookworm-security)"
  local src_version
  src_version=$(candidate rust-web-src)
  [[ $src_version == "$version" ]] ||
    die "rustc-web $version and rust-web-src ${src_version:-(none)} differ: -Zbuild-std needs the compiler's own std sources"
  rust="$toolchains/$version"
  [[ -x $rust/usr/bin/rustc && -d $rust/usr/lib/rustlib/src/rust/library ]] && return 0
  local libstd llvm
  libstd=$(dependency "libstd-rust-web-dev=$version" '^libstd-rust-web-[0-9.]+$')
  llvm=$(dependency "$libstd=$version" '^libllvm[0-9]+$')
  [[ -n $libstd && -n $llvm ]] || die "cannot tell the libraries rustc-web $version needs"
  say "Downloading rustc-web $version ($libstd, $llvm, rust-web-src) into $toolchains"
  rm -rf "$toolchains" # one version at a time: a new one replaces the old
  mkdir -p "$toolchains"
  local download
  download=$(mktemp -d "$toolchains/.download.XXXXXX")
  local sandbox=()
  [[ $(id -u) -eq 0 ]] && sandbox=(-o APT::Sandbox::User=root) # else apt's _apt user cannot write here
  (cd "$download" && apt-get download -q "${sandbox[@]}" "rustc-web=$version" "libstd-rust-web-dev=$version" \
    "$libstd=$version" "rust-web-src=$version" "$llvm")
  for deb in "$download"/*.deb; do dpkg -x "$deb" "$download/root"; done
  mv "$download/root" "$rust"
  rm -rf "$download"
}

toolchain() {
  phase toolchain "mingw-w64, Wine and Debian's rustc-web with its std sources"
  install_packages gcc-mingw-w64-x86-64 wine wine64 poppler-utils
  rust_toolchain
}

# A cargo command (its name first, then its arguments) for Windows.
windows_cargo() {
  [[ -n ${rust:-} ]] || rust_toolchain
  env RUSTC="$rust/usr/bin/rustc" RUSTDOC="$rust/usr/bin/rustdoc" \
    LD_LIBRARY_PATH="$rust/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    RUSTC_BOOTSTRAP=1 RUSTUP_TOOLCHAIN=stable CARGO_UNSTABLE_BUILD_STD=std,panic_unwind \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine \
    CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar \
    CARGO_PROFILE_DEV_DEBUG=false CARGO_PROFILE_DEV_STRIP=symbols CARGO_INCREMENTAL=0 \
    cargo "$1" --target "$triple" "${@:2}"
}

# --- Wine prefix --------------------------------------------------------------------------------
wine_prefix() {
  phase wine "a private prefix in ${WINEPREFIX#"$root"/}, user \"$USER\""
  local home="$WINEPREFIX/drive_c/users/$USER"
  if [[ ! -f $WINEPREFIX/system.reg || ! -d $home ]]; then
    rm -rf "$WINEPREFIX"
    wineboot -i >/dev/null 2>&1
    wineserver -w
    # The user's Desktop, Documents, … are links into $HOME: real folders keep all in the prefix.
    for link in "$home"/*; do
      if [[ -L $link ]]; then rm "$link" && mkdir "$link"; fi
    done
    # N: is a network drive (GetDriveTypeW says DRIVE_REMOTE), for the network-drive warning.
    mkdir -p "$WINEPREFIX/network-share"
    ln -sfn ../network-share "$WINEPREFIX/dosdevices/n:"
    wine reg add 'HKLM\Software\Wine\Drives' /v n: /d network /f >/dev/null
    wineserver -w
  fi
  # Wine 8.0 lacks bcryptprimitives.dll, whose ProcessPrng every Rust program imports.
  local dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
  if [[ ! -f $dll || scripts/windows/bcryptprimitives.c -nt $dll ]]; then
    x86_64-w64-mingw32-gcc -shared -O2 -s -o "$dll" scripts/windows/bcryptprimitives.c -ladvapi32
  fi
}

# --- build, smoke journey, tests, desktop app ---------------------------------------------------
build() {
  phase build "the kozmos CLI and the core's tests for $triple"
  windows_cargo test --no-run -p kozmos-model -p kozmos-syncfile -p kozmos-pdf -p kozmos-core -p kozmos-cli
}

smoke() {
  phase smoke "a journey with the Windows CLI under Wine"
  wine_server
  bash scripts/windows/smoke.sh "$CARGO_TARGET_DIR/$triple/debug/kozmos.exe"
}

tests() {
  phase tests "the core tests under Wine (KOZMOS_SKIP_PDF_TOOLS=1: no poppler or qpdf)"
  local log="$CARGO_TARGET_DIR/core-tests.log" status=0
  wine_server
  # The kill test imports 10 times instead of 30: each import under Wine takes about 5 s. The sync
  # property tests run 4 random histories each instead of 12–16: what they prove does not depend on
  # the platform (Linux runs them all); with 4, the tests under Wine took 442 s instead of 1,199 s.
  KOZMOS_SKIP_PDF_TOOLS=1 KOZMOS_KILL_ITERATIONS=10 PROPTEST_CASES=4 \
    windows_cargo test --no-fail-fast -p kozmos-model -p kozmos-syncfile -p kozmos-pdf -p kozmos-core -p kozmos-cli -- --show-output >"$log" 2>&1 || status=$?
  grep -E '^test result:|^\s+Running ' "$log" | sed 's/^ *//'
  awk '/^test result:/ {p += $4; f += $6; i += $8} /^skipped part/ {if (/KOZMOS_SKIP_PDF_TOOLS/) t++; else o++}
    END {printf "core tests under Wine: %d passed, %d failed, %d ignored; skipped parts: %d PDF tool checks, %d others (they say why)\n", p, f, i, t, o}' "$log"
  if ((status)); then
    sed -n '/^failures:$/,/^test result:/p' "$log"
    die "core tests failed under Wine (whole log: $log)"
  fi
}

desktop() {
  phase desktop "cargo check of the desktop app for $triple"
  # The app embeds ui/dist when it compiles; test.sh has built it by now, a lone run builds it here.
  [[ -f ui/dist/index.html ]] || npm --prefix ui run build
  windows_cargo check -p kozmos-desktop
}

phases=("$@")
((${#phases[@]})) || phases=(toolchain wine_prefix build smoke tests desktop)
for p in "${phases[@]}"; do
  case $p in
    wine) p=wine_prefix ;;
    toolchain | wine_prefix | build | smoke | tests | desktop) ;;
    *) die "unknown phase $p (toolchain, wine, build, smoke, tests, desktop)" ;;
  esac
  "$p"
done
phase
say "Windows check passed; time per phase:"
printf '%s\n' "${times[@]}"
printf 'windows %-9s %5d s\n' total $((SECONDS - started))
