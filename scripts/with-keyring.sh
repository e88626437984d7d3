#!/usr/bin/env bash
# Runs a command with a real, unlocked keyring (gnome-keyring's Secret Service) in the current D-Bus
# session, as a desktop login provides one: the shared folder's passphrase is stored there.
# Use inside dbus-run-session: dbus-run-session -- bash scripts/with-keyring.sh COMMAND…
set -euo pipefail
[[ -n ${DBUS_SESSION_BUS_ADDRESS:-} ]] || { echo "with-keyring.sh: no D-Bus session (run it in dbus-run-session)" >&2; exit 1; }
# A keyring of its own in a temporary folder (never the user's): the daemon reads the login password
# on stdin, creates the login keyring there and unlocks it.
keyrings="$(mktemp -d)"
trap 'rm -rf "$keyrings"' EXIT
printf 'kozmos-test' | XDG_DATA_HOME="$keyrings" gnome-keyring-daemon --unlock --components=secrets >/dev/null
export KOZMOS_EXPECT_KEYRING=1
"$@"
