# Debian packages installed only when missing. Sourced by setup.sh and check-windows.sh.

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# apt-get as root: directly, or through sudo. It waits for the package lock (the Windows check in the
# background may be installing while the test command installs the .deb it built).
apt_get() {
  if [[ $(id -u) -eq 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
  fi
}

install_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
    echo "Missing Debian packages: ${missing[*]}. Please install them as root (apt-get install ${missing[*]})." >&2
    exit 1
  fi
  say "Installing Debian packages: ${missing[*]}"
  apt_get update -q
  apt_get install -y -q --no-install-recommends "${missing[@]}"
}
