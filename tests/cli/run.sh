#!/bin/sh
# Runs every tests/cli/t_*.sh file against $HINDSIGHT (the binary under test) and prints
# "cli: N passed, N failed". Exits non-zero when a case failed.
set -u
: "${HINDSIGHT:?set HINDSIGHT to the hindsight binary}"
dir=$(cd "$(dirname "$0")" && pwd)
. "$dir/lib.sh"
PASSED=0
FAILED=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# With CLI_CLAIM_DIR, several runners share the files: each takes the next file no other has
# claimed (mkdir is atomic), largest files first, so that they finish close together.
files=$(ls "$dir"/t_*.sh)
[ -n "${CLI_CLAIM_DIR:-}" ] && files=$(ls -S "$dir"/t_*.sh)
for test_file in $files; do
    FILE=$(basename "$test_file")
    case " ${CLI_SKIP:-} " in *" $FILE "*) echo "$FILE: skipped"; continue ;; esac
    if [ -n "${CLI_CLAIM_DIR:-}" ] && ! mkdir "$CLI_CLAIM_DIR/$FILE" 2>/dev/null; then
        continue
    fi
    FIX="$dir/../fixtures"
    T="$scratch/${FILE%.sh}"
    mkdir -p "$T"
    export HINDSIGHT_DB="$T/h.db" HINDSIGHT_NOW="2026-03-06T09:00:00Z" HINDSIGHT_USER="tester"
    unset HINDSIGHT_NOW_OVERRIDE 2>/dev/null || true
    before_p=$PASSED before_f=$FAILED
    . "$test_file"
    echo "$FILE: $((PASSED - before_p)) passed, $((FAILED - before_f)) failed"
done
echo "cli: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
