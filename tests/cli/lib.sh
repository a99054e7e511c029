# lib.sh: helpers for the command-line scenario tests (sourced by run.sh).
#
# Each test file runs in a fresh scratch folder $T with its own store ($HINDSIGHT_DB), a
# pinned clock ($HINDSIGHT_NOW) and a fixed actor ($HINDSIGHT_USER). A case is
#   begin "what it checks"; run ARGS...; expect_rc 0; expect_out "text"; ...; end
# and fails when any expectation inside it fails.

CASE=""
CASE_FAILED=0

begin() {
    CASE=$1
    CASE_FAILED=0
}

fail() {
    if [ "$CASE_FAILED" -eq 0 ]; then
        printf 'FAIL %s: %s\n' "$FILE" "$CASE"
    fi
    CASE_FAILED=1
    printf '    %s\n' "$*"
}

end() {
    if [ "$CASE_FAILED" -eq 0 ]; then
        PASSED=$((PASSED + 1))
    else
        FAILED=$((FAILED + 1))
        printf '    stdout: %s\n' "$(head -c 600 "$T/out" 2>/dev/null)"
        printf '    stderr: %s\n' "$(head -c 600 "$T/err" 2>/dev/null)"
    fi
}

# run ARGS...: runs hindsight; stdout in $T/out, stderr in $T/err, exit status in $RC.
run() {
    "$HINDSIGHT" "$@" >"$T/out" 2>"$T/err"
    RC=$?
}

# hs ARGS...: runs hindsight for set-up; a failure fails the current case.
hs() {
    if ! "$HINDSIGHT" "$@" >"$T/setup.out" 2>"$T/setup.err"; then
        fail "set-up failed: hindsight $*: $(cat "$T/setup.err")"
        return 1
    fi
    cat "$T/setup.out"
}

expect_rc() {
    [ "$RC" -eq "$1" ] || fail "exit status $RC, expected $1"
}

# expect_out TEXT / expect_err TEXT: the output contains TEXT (fixed string).
expect_out() {
    grep -qF -- "$1" "$T/out" || fail "stdout lacks '$1'"
}

expect_err() {
    grep -qF -- "$1" "$T/err" || fail "stderr lacks '$1'"
}

expect_no_out() {
    ! grep -qF -- "$1" "$T/out" || fail "stdout has '$1'"
}

# expect_out_exact FILE: stdout equals the content of FILE.
expect_out_exact() {
    if ! cmp -s "$1" "$T/out"; then
        fail "stdout differs from expected: $(diff "$1" "$T/out" | head -n 20)"
    fi
}

# expect_err_one_line: stderr is exactly one line starting with "hindsight: ".
expect_err_one_line() {
    lines=$(wc -l <"$T/err")
    [ "$lines" -eq 1 ] || fail "stderr has $lines lines, expected 1"
    head -n 1 "$T/err" | grep -q '^hindsight: ' || fail "stderr does not start with 'hindsight: '"
}

# expect_json FILTER: jq FILTER on stdout is true.
expect_json() {
    if ! jq -e "$1" "$T/out" >/dev/null 2>&1; then
        fail "JSON check failed: $1"
    fi
}

# snapshot: remembers the store's content and bytes; expect_store_unchanged compares.
snapshot() {
    store_state >"$T/snapshot"
}

store_state() {
    if [ -f "$HINDSIGHT_DB" ]; then
        cksum <"$HINDSIGHT_DB"
        sqlite3 "$HINDSIGHT_DB" .dump 2>&1
    else
        echo "no store"
    fi
    for f in "$HINDSIGHT_DB-wal"; do
        if [ -s "$f" ]; then echo "wal present"; fi
    done
}

expect_store_unchanged() {
    store_state >"$T/snapshot.after"
    if ! cmp -s "$T/snapshot" "$T/snapshot.after"; then
        fail "the store changed: $(diff "$T/snapshot" "$T/snapshot.after" | head -n 10)"
    fi
}

# demo_data [--with-logs] OPTION...: writes the demo data set into $T/data (hindsight demo
# generate with these options) and ingests its events, metrics and changes (and its logs).
# HINDSIGHT_SETUP, when set, is the binary for the ingests: the valgrind pass gives the plain
# build, because ingesting a week of data takes minutes under valgrind and runs no code path
# that the ingest's own cases (t_evidence.sh) do not. The generator runs under test: this is
# where the valgrind pass runs it.
demo_data() {
    with_logs=0
    if [ "${1:-}" = --with-logs ]; then with_logs=1; shift; fi
    hs demo generate "$T/data" "$@" >/dev/null || return 1
    for kind in events metrics changes; do
        setup_hs ingest "$kind" "$(ls "$T/data/$kind".* | head -n 1)" >/dev/null || return 1
    done
    if [ "$with_logs" = 1 ]; then
        setup_hs ingest logs "$T/data/logs.jsonl" >/dev/null || return 1
    fi
}

# setup_hs ARGS...: hs with HINDSIGHT_SETUP's binary when it is set.
setup_hs() {
    tested_bin=$HINDSIGHT
    HINDSIGHT=${HINDSIGHT_SETUP:-$HINDSIGHT}
    hs "$@"
    setup_rc=$?
    HINDSIGHT=$tested_bin
    return $setup_rc
}

# truth FIELD: a "FIELD": "value" of the generated incident in $T/data/ground_truth.json.
truth() {
    sed -n "/\"incident\"/,\$ s/.*\"$1\": *\"\([^\"]*\)\".*/\1/p" "$T/data/ground_truth.json" |
        head -n 1
}
