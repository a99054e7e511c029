# t_localize.sh: hindsight localize on a cube and a history, its JSON, the scorer, and bad
# input (missing columns, a non-numeric cell with its line, an empty file). Needs no store.

begin "a cube: two-sided causes in the benchmarks' notation, pairs sorted by attribute"
run localize "$FIX/cube_small.csv"
expect_rc 0
[ "$(head -n 1 "$T/out")" = "a=a3&c=c1;b=b2" ] || fail "first line is '$(head -n 1 "$T/out")'"
expect_out "found: 2 segments explain 100.0 % of the deviation; 36 leaves"
[ ! -f "$HINDSIGHT_DB" ] || fail "localize created a store"
end

begin "--json: root_cause, explained_share, status and the segments"
run localize "$FIX/cube_small.csv" --json
expect_rc 0
expect_json '.root_cause == ["a=a3&c=c1", "b=b2"] and .status == "found"'
expect_json '(.explained_share | length) == 2 and (.explained_share | add) > 0.99'
expect_json '.segments[1].real == 1500 and .segments[1].expected == 2800 and .leaves == 36'
end

begin "a history: the expected ratio from each leaf's own earlier minutes"
run localize "$FIX/history_small.csv" --time-column min --at 1772626200 --ratio value/cnt
expect_rc 0
[ "$(head -n 1 "$T/out")" = "cdn=5&p2p=0" ] || fail "first line is '$(head -n 1 "$T/out")'"
run localize "$FIX/history_small.csv" --time-column min --at 2026-03-04T12:10:00Z \
    --ratio value/cnt --json
expect_json '.root_cause == ["cdn=5&p2p=0"] and .rows == 66 and .leaves == 6'
end

begin "no deviation: an empty set and a status, never an invented cause"
run localize "$FIX/history_small.csv" --time-column min --at 1772625900 --ratio value/cnt --json
expect_rc 0
expect_json '.root_cause == [] and .status == "no_deviation"'
run localize "$FIX/history_small.csv" --time-column min --at 1772625900 --ratio value/cnt
expect_out "(none)"
expect_out "no_deviation: no leaf moved beyond the noise"
end

begin "the scorer: exact matches, canonical pairs and numbers, micro-F1"
printf 'a=1&b=2\tb=2&a=1.0\nc=x;d=y\tc=x;e=z\n\n# a comment\nf=1\t\n' >"$T/cases"
run localize --score "$T/cases"
expect_rc 0
expect_out "cases 3  TP 2  FP 1  FN 2  precision 0.667  recall 0.500  F1 0.571"
run localize --score "$T/cases" --json
expect_json '.tp == 2 and .fp == 1 and .fn == 2 and .cases == 3'
printf 'a=1\tnot-a-pair\n' >"$T/bad"
run localize --score "$T/bad"
expect_rc 1
expect_err "bad:1: prediction: 'not-a-pair' is not attribute=value"
end

begin "bad input: missing columns, a non-numeric cell with its line, an empty file"
printf 'real,a\n1,x\n' >"$T/nopredict.csv"
run localize "$T/nopredict.csv"
expect_rc 1
expect_err_one_line
expect_err "nopredict.csv:1: missing column 'predict'"
run localize "$FIX/cube_bad_number.csv"
expect_rc 1
expect_err "cube_bad_number.csv:3: column 'predict': expected a number >= 0, got 'abc'"
: >"$T/empty.csv"
run localize "$T/empty.csv"
expect_rc 1
expect_err "empty.csv: empty file"
run localize "$FIX/history_small.csv" --time-column min --at 1772626200 --ratio stalls/cnt
expect_rc 1
expect_err "missing column 'stalls'"
run localize "$FIX/history_small.csv" --time-column min --at 12345 --ratio value/cnt
expect_rc 1
expect_err "no row at the instant asked for (--at)"
run localize "$FIX/history_small.csv" --time-column min --ratio value/cnt
expect_rc 1
expect_err "needs --at TIME"
run localize "$T/absent.csv"
expect_rc 1
expect_err "cannot open"
run localize
expect_rc 1
expect_err "missing the file"
end
