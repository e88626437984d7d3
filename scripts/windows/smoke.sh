#!/usr/bin/env bash
# A journey with the Windows `kozmos` CLI under Wine, run by scripts/check-windows.sh (which sets
# WINEPREFIX, USER and a UTF-8 locale): the default data folder of the user "Jürgen Müller", names
# in Arabic and Cyrillic, demo data, search, a profile sheet, sync export and import into a second
# database, backup and restore (also while another program holds the database), and a database on
# a network drive. Every step's output is checked, not only its exit code.
# Usage: smoke.sh PATH/TO/kozmos.exe
set -euo pipefail
exe=$1
home="$WINEPREFIX/drive_c/users/$USER"  # the user's folder, seen from Linux
win_home="C:\\users\\$USER"              # and from Windows
data="$home/AppData/Roaming/KOZMOS/kozmos/data"
out_dir="$home/KOZMOS Ausgaben"
win_out="$win_home\\KOZMOS Ausgaben"
export KOZMOS_LANG=de
unset KOZMOS_DB

fail() {
  echo "smoke: FAILED: $*" >&2
  exit 1
}

# Runs the Windows CLI; its standard output (a pipe: UTF-8 bytes) goes to $out, its errors to $err.
kz() {
  local status attempt
  # Now and then Wine fails to start the program: it ends with status 1 having printed nothing
  # (once in a CI run so far). Our CLI prints a message for every error and every panic, so such a
  # silent end is tried again, three starts in all, as the tests do with Wine's error 1359.
  for attempt in 1 2 3; do
    status=0
    out=$(wine "$exe" "$@" 2>"$err_file") || status=$?
    err=$(<"$err_file")
    [[ $status -ne 0 && -z $out && -z $err && $attempt -lt 3 ]] || break
    printf '  (kozmos %s ended with %s and printed nothing: starting it again)\n' "$1" "$status" >&2
  done
  iconv -f UTF-8 -t UTF-8 <<<"$out$err" >/dev/null || fail "kozmos $*: output is not UTF-8: $out $err"
  ((status == 0)) || fail "kozmos $* ended with $status: ${out}${err:-(no message)}"
}

# expect WHAT TEXT WANTED...: every WANTED occurs in TEXT.
expect() {
  local what=$1 text=$2
  shift 2
  for wanted in "$@"; do
    grep -qF -- "$wanted" <<<"$text" || fail "$what: “$wanted” missing in: $text"
  done
}

step() { printf '  %s\n' "$*"; }

err_file=$(mktemp)
fifo=$(mktemp -u)
holder=""
trap 'rm -f "$err_file" "$fifo"; if [[ -n $holder ]]; then kill "$holder" 2>/dev/null || true; fi' EXIT
rm -rf "$home/AppData/Roaming/KOZMOS" "$out_dir" "$WINEPREFIX/network-share/"*
mkdir -p "$out_dir"

step "init: the database in the data folder of $USER"
kz init --network lamsa --volunteer "Jürgen Müller"
expect init "$out" "Datenbank: $win_home\\AppData\\Roaming\\KOZMOS\\kozmos\\data\\kozmos.sqlite3" "Name: Jürgen Müller"
[[ -f $data/kozmos.sqlite3 ]] || fail "init: no database in $data"
[[ -z $err ]] || fail "init: unexpected message: $err"

step "associations and persons with names in Cyrillic and Arabic"
kz associations add --name "Ukrainische Gemeinde Jena" --name-original "Українська громада Єни" --city Jena --json
expect "add (Cyrillic)" "$out" '"name_original": "Українська громада Єни"'
jena=$(sed -n 's/^  "id": "\(.*\)",$/\1/p' <<<"$out")
[[ -n $jena ]] || fail "add: no id in $out"
kz associations add --name "Arabischer Kulturverein Halle" --name-original "الجمعية الثقافية العربية في هاله" --city Halle
expect "add (Arabic)" "$out" "Name in Originalschrift: الجمعية الثقافية العربية في هاله"
kz persons add --association "$jena" --name "Olena Kovalenko" --name-original "Олена Коваленко" --json
olena=$(sed -n 's/^  "id": "\(.*\)",$/\1/p' <<<"$out")
for purpose in print share; do
  kz persons consent "$olena" --purpose $purpose --status given --channel form
done
expect consent "$out" "Олена Коваленко"

step "demo data"
kz demo --scale 1
expect demo "$out" "Demo: 140 Vereine"

step "search in Cyrillic and Arabic, read back through the pipe"
kz search "громада Єни"
expect "search громада Єни" "$out" "Українська громада Єни" "Treffer: 1"
kz search الثقافية
expect "search الثقافية" "$out" "الجمعية الثقافية العربية في هاله"
kz --lang en search Коваленко
expect "search Коваленко" "$out" "Olena Kovalenko  Ukrainische Gemeinde Jena" "Hits: "

step "a profile sheet written to a folder with umlauts"
kz pdf association "$jena" -o "$win_out\\Steckbrief Jena – Müller.pdf"
pdf="$out_dir/Steckbrief Jena – Müller.pdf"
expect pdf "$out" "PDF gespeichert: $win_out\\Steckbrief Jena – Müller.pdf"
[[ $(head -c 5 "$pdf") == "%PDF-" ]] || fail "pdf: no PDF header"
(($(stat -c %s "$pdf") > 10000)) || fail "pdf: only $(stat -c %s "$pdf") bytes"
expect "pdf text" "$(pdftotext -enc UTF-8 "$pdf" -)" "Українська громада Єни" "Олена Коваленко"

step "sync export, and import into a second database"
kz sync export -o "$win_out\\lamsa.kozmos-sync"
expect "sync export" "$out" "Geschrieben: $win_out\\lamsa.kozmos-sync (5 Einträge"
second="$win_out\\Zweite Datenbank\\kozmos.sqlite3"
kz --db "$second" init --network migranetz --volunteer "Олена"
kz --db "$second" sync import "$win_out\\lamsa.kozmos-sync" --yes
expect "sync import" "$out" "neu: 5" "neu persons „Olena Kovalenko“" "Übernommen."
# The other side's file, for the restore below (a file from this installation itself is refused).
kz --db "$second" associations add --name "Verein aus Thüringen" --city Jena
kz --db "$second" sync export -o "$win_out\\migranetz.kozmos-sync"
kz --db "$second" search громада
expect "search after import" "$out" "Українська громада Єни"

step "backup, a later change, restore"
kz backup create
backup=$(sed -n 's/^Gesichert: //p' <<<"$out")
expect backup "$backup" "$win_home\\AppData\\Roaming\\KOZMOS\\kozmos\\data\\backups\\kozmos-"
kz associations add --name "Nach der Sicherung e.V." --city Dessau
kz search "Nach der Sicherung"
expect "added after the backup" "$out" "Treffer: 1"

step "restore refused while another program has the database open; nothing changes"
mkfifo "$fifo"
# A second kozmos waits at its question (database open) until it reads the answer "n".
wine "$exe" sync import "$win_out\\migranetz.kozmos-sync" <"$fifo" >/dev/null 2>&1 &
holder=$!
exec 3>"$fifo"
for _ in $(seq 50); do [[ -f $data/kozmos.sqlite3-wal ]] && break; sleep 0.2; done
status=0
wine "$exe" backup restore "$backup" --yes >/dev/null 2>"$err_file" || status=$?
echo n >&3
exec 3>&-
wait "$holder" || true
holder=""
((status == 1)) || fail "restore while open: exit $status"
expect "restore while open" "$(<"$err_file")" "ist noch in einem anderen Programm geöffnet"
kz search "Nach der Sicherung"
expect "after the refused restore" "$out" "Treffer: 1"

kz backup restore "$backup" --yes
expect restore "$out" "Wiederhergestellt."
kz search "Nach der Sicherung"
expect "after the restore" "$out" "Treffer: 0"
kz search громада
expect "after the restore" "$out" "Українська громада Єни"
kz backup list
expect "backup list" "$out" "vor-wiederherstellung" "manuell"

step "a database on a network drive: warned once, rollback journal instead of WAL"
kz --db 'N:\KOZMOS\kozmos.sqlite3' init --network lamsa --volunteer "Jürgen Müller"
expect "network drive" "$err" "Netzlaufwerk"
[[ $(grep -c . <<<"$err") -eq 1 ]] || fail "network drive: the note should come once: $err"
kz --db 'N:\KOZMOS\kozmos.sqlite3' associations add --name "Verein im Netz" --city Erfurt
[[ ! -e $WINEPREFIX/network-share/KOZMOS/kozmos.sqlite3-wal ]] || fail "network drive: WAL in use"
kz --db 'N:\KOZMOS\kozmos.sqlite3' search "Verein im Netz"
expect "network drive" "$out" "Treffer: 1"

echo "  smoke journey passed"
