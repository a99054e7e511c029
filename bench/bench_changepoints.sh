#!/bin/sh
# bench_changepoints.sh: change point accuracy on the Turing Change Point Dataset, scored as
# TCPDBench scores (F1 with margin 5, covering), next to the published default figures.
#   sh bench/bench_changepoints.sh path/to/hindsight
# Needs the data in ../shared/data/tcpd relative to the repository root (or $TCPD_DATA) and
# hindsight-cpscore next to the binary (both built by meson). Skips, saying why, without them.
# Figures only: the exit status stays 0 (a scorer that disagrees with the published scores
# prints a MISMATCH line), so that bench/run.sh goes on to the other benchmarks.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$dir/../build/hindsight}
score=${HINDSIGHT_CPSCORE:-$(dirname "$bin")/hindsight-cpscore}
data=${TCPD_DATA:-$dir/../../shared/data/tcpd}

if [ ! -f "$data/annotations.json" ] || [ ! -d "$data/datasets" ]; then
    echo "bench_changepoints: skipped: no TCPD data at $data (set TCPD_DATA to its folder)"
    exit 0
fi
if [ ! -x "$bin" ] || [ ! -x "$score" ]; then
    echo "bench_changepoints: skipped: $bin or $score is not built"
    exit 0
fi
scratch=$(mktemp -d "${TMPDIR:-/tmp}/hindsight-bench-cp.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }

echo "== the scorer against TCPDBench's published default runs (means over the univariate set)"
rc=0
"$score" --reference "$data/reference_default_runs.json" --groups "$data/groups.json" \
    "$data/annotations.json" >"$scratch/reference.txt" || rc=$?
grep -E '^(method|binseg|pelt|bocpd|zero) |rescored' "$scratch/reference.txt"
[ $rc -eq 0 ] || echo "MISMATCH: the scorer disagrees with more published scores than the 3 \
that TCPDBench's set order explains (see $0)"

# Runs one method on every series into one predictions file; prints the time taken.
predict() {
    out="$scratch/$1.json"
    n=0
    start=$(now_ms)
    printf '{' >"$out"
    for d in "$data"/datasets/*/; do
        name=$(basename "$d")
        [ $n -eq 0 ] || printf ',' >>"$out"
        printf '"%s": ' "$name" >>"$out"
        "$bin" changepoints "$d$name.json" --method "$1" --json >>"$out"
        n=$((n + 1))
    done
    printf '}\n' >>"$out"
    ms=$(($(now_ms) - start))
    echo "$1: $n series in $ms ms ($((ms / n)) ms per series, process start included)"
}

echo
echo "== run time"
predict bocpd
predict pelt

echo
echo "== per series (cps: change points after TCPDBench's cleaning)"
"$score" --groups "$data/groups.json" "$data/annotations.json" "bocpd=$scratch/bocpd.json" \
    "pelt=$scratch/pelt.json" | tee "$scratch/ours.txt"

echo
echo "== means over the 25 univariate series: hindsight next to the published default figures"
printf '%-22s %6s %6s\n' "method" "F1" "cover"
awk '/^mean over/ { printf "%-22s %6s %6s\n%-22s %6s %6s\n", "hindsight bocpd", $7, $9,
                    "hindsight pelt", $12, $14 }' "$scratch/ours.txt"
awk '$1 ~ /^(binseg|pelt|bocpd|zero)$/ { printf "%-22s %6s %6s\n", "published " $1, $6, $9 }' \
    "$scratch/reference.txt"
