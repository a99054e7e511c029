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
for test_file in "$dir"/t_*.sh; do
    FILE=$(basename "$test_file")
    case " ${CLI_SKIP:-} " in *" $FILE "*) echo "$FILE: skipped"; continue ;; esac
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
