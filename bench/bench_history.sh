#!/bin/sh
# The commands that look across incidents, on a store of many years of incident records: the
# generated histories of BENCH_ORGS organisations (hindsight demo generate --history 36, each
# about 120 incidents), imported into one store. Times the import, search (and the same FTS5
# query through the sqlite3 shell, the floor for it), similar, trends (text and HTML) and the
# process audit; then verify on a generated week (the counterfactual with its bootstrap and
# placebo runs). Figures only; no pass or fail.
#   sh bench/bench_history.sh [hindsight] ; BENCH_ORGS=10
set -eu
bin=${1:-build/hindsight}
orgs=${BENCH_ORGS:-10}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
export HINDSIGHT_DB="$w/h.db" HINDSIGHT_NOW=2026-03-09T10:00:00Z HINDSIGHT_USER=bench
# secs CMD...: runs CMD (output discarded) and prints its wall time in seconds.
secs() {
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}
"$bin" init >/dev/null
n=0
import_s=0
seed=1
while [ "$seed" -le "$orgs" ]; do
    rm -rf "$w/d"
    "$bin" demo generate "$w/d" --seed "$seed" --days 1 --scale 0.01 --history 36 >/dev/null
    k=$(ls "$w/d/history" | wc -l)
    s=$(secs "$bin" import "$w/d/history/"*.json --new-key)
    import_s=$(echo "$import_s + $s" | bc -l)
    n=$((n + k))
    seed=$((seed + 1))
done
last=$(sqlite3 "$HINDSIGHT_DB" "SELECT 'INC-' || max(seq) FROM incidents")
printf 'store: %d incidents from %d organisations, %s\n' "$n" "$orgs" \
    "$(du -h "$HINDSIGHT_DB" | cut -f1)"
printf '%-44s %8s\n' command seconds
printf '%-44s %8.3f\n' "import (all, $n documents)" "$import_s"
printf '%-44s %8.4f\n' "search checkout" "$(secs "$bin" search checkout --limit 20)"
printf '%-44s %8.4f\n' "search \"provider timeout\" --tag ..." \
    "$(secs "$bin" search '"provider timeout"' --tag failure-mode:dependency)"
printf '%-44s %8.4f\n' "sqlite3: the same FTS5 match, top 20 (peer)" \
    "$(secs sqlite3 "$HINDSIGHT_DB" "SELECT rowid, bm25(search_index) FROM search_index WHERE search_index MATCH 'checkout' ORDER BY bm25(search_index) LIMIT 20")"
printf '%-44s %8.4f\n' "similar $last" "$(secs "$bin" similar "$last")"
printf '%-44s %8.4f\n' "trends (by month, text)" "$(secs "$bin" trends)"
printf '%-44s %8.4f\n' "trends --by quarter --format html" \
    "$(secs "$bin" trends --by quarter --format html)"
printf '%-44s %8.4f\n' "audit" "$(secs "$bin" audit)"

# verify on a generated week: the incident, a fix done after it, its criterion.
export HINDSIGHT_DB="$w/v.db"
rm -rf "$w/d"
"$bin" demo generate "$w/d" --scale 2 --history 0 >/dev/null
"$bin" init >/dev/null
"$bin" ingest events "$w/d/events.jsonl" >/dev/null
truth() { jq -r ".incident.$1" "$w/d/ground_truth.json"; }
"$bin" incident new --title bench --severity SEV2 --started "$(truth start)" \
    --mitigated "$(truth end)" --resolved "$(truth recovered_at)" --segment platform=android \
    --segment app_version=5.2 >/dev/null
HINDSIGHT_NOW=2026-03-07T12:00:00Z "$bin" action add INC-1 "fix" --kind architecture \
    --owner bench --due 2026-03-08 --recurrence 3 --effort 1 \
    --success "((count() where event = 'purchase_completed') / (count() where event = 'payment_submitted')) where platform = 'android' >= 0.8 over 1d" >/dev/null
HINDSIGHT_NOW=2026-03-07T12:00:00Z "$bin" action update A-1 --status done >/dev/null
printf '%-44s %8.4f\n' "verify A-1 (week of 400,000 events)" "$(secs "$bin" verify A-1)"
"$bin" verify A-1 --json | jq -r '.actions[0] | "  verdict \(.verdict), criterion_met \(.criterion_met), incident effect \(.incident_effect.point) [\(.incident_effect.ci_low), \(.incident_effect.ci_high)], placebo rate \(.placebo_rate)"'
