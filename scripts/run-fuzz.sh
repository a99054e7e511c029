#!/bin/sh
# Runs every libFuzzer target of a build directory for a while, each on a scratch copy of its
# seed corpus, and prints one line per target. Exits non-zero when any target failed (a crash,
# a sanitizer report, a failed property check, a leak, a timeout) or when none was found.
#   scripts/run-fuzz.sh BUILD_DIR SECONDS
# Seeds:      tests/fuzz/corpus/<name>/   for fuzz_<name> (optional)
# Dictionary: tests/fuzz/<name>.dict      for fuzz_<name> (optional)
# Crash inputs and the log of a failing target are kept in BUILD_DIR/fuzz-artifacts/<target>/;
# reproduce with: BUILD_DIR/fuzz_<name> BUILD_DIR/fuzz-artifacts/fuzz_<name>/crash-...
set -eu
usage="usage: scripts/run-fuzz.sh BUILD_DIR SECONDS"
build=${1:?$usage}
seconds=${2:?$usage}
case "$seconds" in
    ''|*[!0-9]*) echo "run-fuzz: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)

# UBSan only prints by default; make its reports fatal so that libFuzzer counts them.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:abort_on_error=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

scratch=""
trap '[ -z "$scratch" ] || rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM

# The value of "stat::NAME: VALUE" from -print_final_stats, or "?".
final_stat() {
    v=$(sed -n "s/^stat::$1: *\([0-9][0-9]*\).*/\1/p" "$2" | tail -n 1)
    echo "${v:-?}"
}

found=0
failed=0
for exe in "$build"/fuzz_*; do
    if [ ! -f "$exe" ] || [ ! -x "$exe" ]; then
        continue # the fuzz_*.p object directories, a non-matching glob
    fi
    target=$(basename "$exe")
    name=${target#fuzz_}
    found=$((found + 1))

    scratch=$(mktemp -d)
    mkdir "$scratch/corpus"
    seeds=0
    if [ -d "$root/tests/fuzz/corpus/$name" ]; then
        cp -R "$root/tests/fuzz/corpus/$name/." "$scratch/corpus/"
        seeds=$(find "$scratch/corpus" -type f | wc -l | tr -d ' ')
    fi
    artifacts="$build/fuzz-artifacts/$target"
    mkdir -p "$artifacts"
    set -- -max_total_time="$seconds" -max_len=256 -print_final_stats=1 \
        -artifact_prefix="$artifacts/"
    dict="$root/tests/fuzz/$name.dict"
    [ -f "$dict" ] && set -- "$@" -dict="$dict"

    rc=0
    (cd "$scratch" && "$exe" "$@" "$scratch/corpus") >"$scratch/log" 2>&1 || rc=$?

    runs=$(final_stat number_of_executed_units "$scratch/log")
    speed=$(final_stat average_exec_per_sec "$scratch/log")
    units=$(find "$scratch/corpus" -type f | wc -l | tr -d ' ')
    if [ "$rc" -eq 0 ]; then
        echo "$target: ok, $runs runs in ${seconds}s ($speed exec/s), corpus $seeds -> $units"
    else
        failed=$((failed + 1))
        cp "$scratch/log" "$artifacts/log"
        crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$scratch/log" | tail -n 1)
        echo "$target: FAILED (exit $rc) after $runs runs; input: ${crash:-none written};" \
            "log: $artifacts/log"
        grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz_)|runtime error' "$scratch/log" | head -n 5 |
            sed 's/^/    /'
    fi
    rm -rf "$scratch"
    scratch=""
done

if [ "$found" -eq 0 ]; then
    echo "run-fuzz: no fuzz_* executable in $build (configure with -Dfuzzing=true)" >&2
    exit 1
fi
echo "fuzz: $found targets, $failed failed"
[ "$failed" -eq 0 ]
