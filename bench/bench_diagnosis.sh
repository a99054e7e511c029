#!/bin/sh
# End-to-end accuracy of `hindsight analyze` on generated incidents: for each seed, a demo data
# set (hindsight demo generate --seed N) with its injected incident and ground truth, ingested
# into a fresh store; the incident is recorded with the true start and end, analysed, and the
# diagnosis is checked against the truth:
#   step     the broken funnel step is the injected one
#   segment  the first root cause is exactly the injected segment (every key=value, no more)
#   change   the best-ranked change is the causing one
#   top      the top hypothesis (F-1) names the causing change, the segment and the step
#   lead     minutes between the first change point (what moved first) and the true start
# The generator's scenarios (--scenario) inject different shapes of incident: 0 android-payments
# (platform and version, the last step), 1 ios-checkout (platform and version, checkout ->
# payment), 2 india-cart (a country, cart -> checkout), 3 pro-cart (a plan, the first step).
# Seed s uses scenario (s - 1) mod the number in BENCH_SCENARIOS, so each gets the same share.
# Figures only; no pass or fail.
#   sh bench/bench_diagnosis.sh [hindsight] ; BENCH_SEEDS=20 BENCH_SCALES="1 2"
#   BENCH_SCENARIOS="0 1 2 3" (default) or "0" for the classic one only
set -eu
bin=${1:-build/hindsight}
seeds=${BENCH_SEEDS:-20}
scales=${BENCH_SCALES:-1 2}
scenarios=${BENCH_SCENARIOS:-0 1 2 3}
n_scenarios=$(echo $scenarios | wc -w)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
export HINDSIGHT_DB="$w/h.db" HINDSIGHT_NOW=2026-03-09T00:00:00Z HINDSIGHT_USER=bench
truth() {
    sed -n "/\"incident\"/,\$ s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$w/data/ground_truth.json" |
        head -n 1
}
printf '%-6s %-5s %-17s %-5s %-8s %-7s %-4s %8s %8s\n' scale seed scenario step segment change top lead_min analyze_s
for scale in $scales; do
    n=0; ok_step=0; ok_seg=0; ok_chg=0; ok_top=0; lead_sum=0; lead_n=0; time_sum=0
    seed=1
    while [ "$seed" -le "$seeds" ]; do
        rm -rf "$w/data" "$w/h.db" "$w/h.db-wal" "$w/h.db-shm"
        scenario=$(echo $scenarios | cut -d' ' -f $(( (seed - 1) % n_scenarios + 1 )))
        "$bin" demo generate "$w/data" --seed "$seed" --scale "$scale" --scenario "$scenario" \
            --history 0 >/dev/null
        "$bin" init >/dev/null
        for kind in events metrics changes; do
            f=$(ls "$w/data/$kind".* | head -n 1)
            "$bin" ingest "$kind" "$f" >/dev/null
        done
        "$bin" incident new --title bench --severity SEV2 --started "$(truth start)" \
            --mitigated "$(truth end)" --resolved "$(truth recovered_at)" >/dev/null
        t0=$(date +%s.%N)
        "$bin" analyze INC-1 --json >"$w/an.json"
        t1=$(date +%s.%N)
        step=$(truth funnel_step)
        cause=$(truth cause_change_id)
        seg=$(sed -n 's/.*"segment": *\({[^}]*}\).*/\1/p' "$w/data/ground_truth.json" | head -n 1)
        r_step=$(jq -r --arg s "$step" '(.funnel.broken_step // {}) | ((.from // "") + " -> " + (.to // "")) == $s' "$w/an.json")
        r_seg=$(jq -r --argjson t "$seg" '(.root_causes[0].segment // {}) == $t' "$w/an.json")
        r_chg=$(jq -r --arg c "$cause" '(.changes[0].id // "") == $c' "$w/an.json")
        r_top=$(jq -r --arg c "$cause" --arg s "$step" --argjson t "$seg" '(.hypotheses[0].text // "") as $x | ($x | contains("(" + $c + ")")) and ($x | contains($s)) and ([$t | to_entries[] | .key + "=" + .value] | all(. as $kv | $x | contains($kv)))' "$w/an.json")
        lead=$(jq -r --arg s "$(truth start)" 'if .first_moved then (((.first_moved.at | fromdateiso8601) - ($s | fromdateiso8601)) / 60 | . * 10 | round / 10) else "none" end' "$w/an.json")
        secs=$(echo "$t1 - $t0" | bc -l)
        printf '%-6s %-5s %-17s %-5s %-8s %-7s %-4s %8s %8.2f\n' "$scale" "$seed" "$(truth scenario)" "$r_step" "$r_seg" "$r_chg" "$r_top" "$lead" "$secs"
        n=$((n + 1))
        [ "$r_step" = true ] && ok_step=$((ok_step + 1))
        [ "$r_seg" = true ] && ok_seg=$((ok_seg + 1))
        [ "$r_chg" = true ] && ok_chg=$((ok_chg + 1))
        [ "$r_top" = true ] && ok_top=$((ok_top + 1))
        if [ "$lead" != none ]; then
            lead_sum=$(echo "$lead_sum + ($lead)^2" | bc -l); lead_n=$((lead_n + 1))
        fi
        time_sum=$(echo "$time_sum + $secs" | bc -l)
        seed=$((seed + 1))
    done
    rmse=$( [ "$lead_n" -gt 0 ] && echo "sqrt($lead_sum / $lead_n)" | bc -l || echo 0)
    printf 'scale %s, %d seeds: step %d/%d, segment %d/%d, change %d/%d, top hypothesis %d/%d; first move found %d/%d, RMS error %.1f min; analyze %.2f s mean\n' \
        "$scale" "$n" "$ok_step" "$n" "$ok_seg" "$n" "$ok_chg" "$n" "$ok_top" "$n" "$lead_n" "$n" "$rmse" "$(echo "$time_sum / $n" | bc -l)"
done
