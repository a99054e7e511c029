#!/bin/sh
# Runs every test suite against a build directory and ends with one line
# "N passed, N failed" summing them all; exits non-zero when anything failed.
#   scripts/run-tests.sh BUILD_DIR
set -u
build=${1:?usage: scripts/run-tests.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# ASan/UBSan: fail on the first report, and say where.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

echo "== unit tests (Criterion)"
if [ -x "$build/unit-tests" ]; then
    "$build/unit-tests" --jobs 2 >"$log" 2>&1
    rc=$?
    grep -E '^\[----\]|FAIL|Synthesis' "$log" | grep -v '^\[----\] *$' | tail -n 40
    synth=$(grep 'Synthesis' "$log" | tail -n 1)
    p=$(echo "$synth" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
    f=$(echo "$synth" | sed -n 's/.*Failing: \([0-9]*\).*/\1/p')
    c=$(echo "$synth" | sed -n 's/.*Crashing: \([0-9]*\).*/\1/p')
    if [ -z "$p" ]; then
        echo "unit tests did not report (exit $rc):"; tail -n 30 "$log"
        failed=$((failed + 1))
    else
        passed=$((passed + p))
        failed=$((failed + f + c))
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && [ "$c" -eq 0 ]; then
            echo "unit tests exited $rc"; tail -n 30 "$log"; failed=$((failed + 1))
        fi
    fi
else
    echo "unit tests not built (Criterion missing?)"
    failed=$((failed + 1))
fi

echo "== command-line tests"
HINDSIGHT="$build/hindsight" sh "$root/tests/cli/run.sh" >"$log" 2>&1
cat "$log"
p=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | tail -n 1)
f=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | tail -n 1)
if [ -z "$p" ]; then
    echo "command-line tests did not report"
    failed=$((failed + 1))
else
    passed=$((passed + p))
    failed=$((failed + f))
fi

echo "== browser test (headless Chromium renders the HTML report)"
HINDSIGHT="$build/hindsight" ARTIFACTS="$build/artifacts" sh "$root/tests/browser/run.sh" \
    >"$log" 2>&1
cat "$log"
p=$(sed -n 's/^browser: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log" | tail -n 1)
f=$(sed -n 's/^browser: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log" | tail -n 1)
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-1}))

echo "== source rules (layers, banned calls)"
"$root/tools/check-source.sh" >"$log" 2>&1
cat "$log"
p=$(sed -n 's/^check-source: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log")
f=$(sed -n 's/^check-source: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log")
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-1}))

# The command-line suite again under valgrind, on a build without sanitizers (the two do not
# mix): memory errors or definite leaks make valgrind exit 99, which fails the case.
if [ -n "${VALGRIND_BUILD:-}" ] && command -v valgrind >/dev/null 2>&1; then
    echo "== command-line tests under valgrind ($VALGRIND_BUILD)"
    wrap=$(mktemp)
    cat >"$wrap" <<WRAP
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \\
    "$(cd "$VALGRIND_BUILD" && pwd)/hindsight" "\$@"
WRAP
    chmod 755 "$wrap"   # readable: one test runs it as an unprivileged user
    # The generator's own tests and the 17 MB import cases take minutes under valgrind and add
    # no code path the other cases do not run; they run (with sanitizers) in the pass above.
    # Valgrind runs one thread at a time, so two runners go side by side, one per core, each
    # taking the next file the other has not claimed (tests/cli/run.sh, CLI_CLAIM_DIR).
    # The week of demo data some files analyse is ingested by the plain build (HINDSIGHT_SETUP,
    # tests/cli/lib.sh: demo_data); every other command runs in valgrind.
    claims=$(mktemp -d)
    setup_bin="$(cd "$VALGRIND_BUILD" && pwd)/hindsight"
    HINDSIGHT="$wrap" HINDSIGHT_SETUP="$setup_bin" UNDER_VALGRIND=1 CLI_SKIP="t_demo_generate.sh" \
        CLI_CLAIM_DIR="$claims" sh "$root/tests/cli/run.sh" >"$log.a" 2>&1 &
    HINDSIGHT="$wrap" HINDSIGHT_SETUP="$setup_bin" UNDER_VALGRIND=1 CLI_SKIP="t_demo_generate.sh" \
        CLI_CLAIM_DIR="$claims" sh "$root/tests/cli/run.sh" >"$log.b" 2>&1
    wait
    rm -rf "$claims"
    for half in a b; do
        grep -E '^(FAIL|    |t_)' "$log.$half" | grep -v ': skipped$' | head -n 40
        p=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$log.$half" | tail -n 1)
        f=$(sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$log.$half" | tail -n 1)
        if [ -z "$p" ]; then
            echo "valgrind suite ($half) did not report"; failed=$((failed + 1))
        else
            echo "valgrind ($half): $p passed, $f failed"
            passed=$((passed + p)); failed=$((failed + f))
        fi
        rm -f "$log.$half"
    done
    rm -f "$wrap"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
