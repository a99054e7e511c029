#!/bin/sh
# The browser test: headless Chromium renders the HTML report of the generated demo incident.
# It passes when the page loads without a console message, draws its five inline charts, and
# gives a screenshot (kept in ARTIFACTS as report.png). Prints "browser: N passed, N failed".
#   HINDSIGHT=build/hindsight ARTIFACTS=build/artifacts sh tests/browser/run.sh
set -u
: "${HINDSIGHT:?set HINDSIGHT to the hindsight binary}"
: "${ARTIFACTS:?set ARTIFACTS to the folder for the screenshot}"
passed=0
failed=0
check() { # check NAME CONDITION-EXIT-STATUS
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL browser: $1"; fi
}
chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    echo "browser: Chromium is missing (scripts/bootstrap.sh test installs it)"
    echo "browser: 0 passed, 1 failed"
    exit 1
fi
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
mkdir -p "$ARTIFACTS"
export HINDSIGHT_DB="$w/h.db" HINDSIGHT_NOW=2026-03-08T00:00:00Z HINDSIGHT_USER=tester
{
    "$HINDSIGHT" init &&
    "$HINDSIGHT" demo generate "$w/data" --scale 2 &&
    "$HINDSIGHT" ingest events "$w/data/events.jsonl" &&
    "$HINDSIGHT" ingest metrics "$w/data/metrics.csv" &&
    "$HINDSIGHT" ingest changes "$w/data/changes.jsonl" &&
    "$HINDSIGHT" incident new --title "Android 5.2 users cannot complete checkout" \
        --severity SEV2 --started 2026-03-06T14:05:00Z --mitigated 2026-03-06T15:31:13Z \
        --resolved 2026-03-06T15:34:40Z &&
    "$HINDSIGHT" analyze INC-1 &&
    "$HINDSIGHT" report INC-1 --format html --out "$w/report.html"
} >"$w/setup.log" 2>&1
check "set-up (demo data, analysis, HTML report)" $?

# A fresh profile and no background networking: the page must need nothing from outside.
run_chromium() {
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$w/profile" --enable-logging=stderr --v=0 --window-size=1000,3000 "$@" \
        "file://$w/report.html"
}
run_chromium --screenshot="$ARTIFACTS/report.png" >"$w/shot.log" 2>&1
check "Chromium renders the page to PNG" $?
size=$(wc -c <"$ARTIFACTS/report.png" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ]
check "the screenshot has content ($size bytes)" $?
! grep -q 'CONSOLE' "$w/shot.log"
check "no console message: $(grep CONSOLE "$w/shot.log" | head -n 1)" $?
run_chromium --dump-dom >"$w/dom.html" 2>"$w/dom.log"
[ "$(grep -o '<svg ' "$w/dom.html" | wc -l)" -eq 5 ]
check "the rendered page holds the five charts" $?
grep -q '<h2>Diagnosis</h2>' "$w/dom.html"
check "the rendered page has the diagnosis" $?
echo "browser: screenshot in $ARTIFACTS/report.png"
echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
