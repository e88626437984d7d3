#!/usr/bin/env bash
# Prints the release notes of one version: the body of its "## [VERSION]" section in CHANGELOG.md
# (up to the next "## " heading, without leading and trailing blank lines). Fails when the
# changelog has no such section or the section is empty. The release workflow puts these notes
# on the GitHub release and into latest.json, whose notes the app shows as "what changed".
#
# Usage: scripts/release-notes.sh VERSION [CHANGELOG]
set -euo pipefail
if [[ $# -lt 1 || $# -gt 2 || -z "$1" ]]; then
  echo "Usage: $0 VERSION [CHANGELOG]" >&2
  exit 2
fi
version="$1"
changelog="${2:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/CHANGELOG.md}"
[[ -f "$changelog" ]] || { echo "No changelog at $changelog" >&2; exit 1; }

# Headings look like "## [0.2.0] - 2027-01-15" (Keep a Changelog); the version is compared as text.
notes=$(awk -v version="$version" '
  /^## / {
    if (found) exit
    heading = $0
    sub(/^##[[:space:]]+\[/, "", heading)
    if (heading != $0 && index(heading, version "]") == 1) { found = 1; next }
  }
  /^\[[^]]+\]: / { if (found) exit }  # link definitions at the end of the file
  found { print }
  END { if (!found) exit 3 }
' "$changelog") || {
  status=$?
  if [[ $status -eq 3 ]]; then
    echo "${changelog##*/} has no section \"## [$version]\": add one before tagging v$version." >&2
  fi
  exit 1
}
# Trim blank lines at both ends.
notes=$(printf '%s\n' "$notes" | sed -e '/./,$!d')  # leading ones; $( ) drops the trailing ones
if [[ -z "${notes//[[:space:]]/}" ]]; then
  echo "The section \"## [$version]\" of ${changelog##*/} is empty." >&2
  exit 1
fi
printf '%s\n' "$notes"
