# t_changepoints.sh: hindsight changepoints on small fixture series (CSV with a header, one
# number per line, missing cells, TCPD JSON, constant), its refusals of bad input, and the
# scorer hindsight-cpscore: on hand-made files, and (when ../shared/data/tcpd exists, as on the
# development machine) against TCPDBench's published scores and on every TCPD series.

CPSCORE=${HINDSIGHT_CPSCORE:-$(dirname "$HINDSIGHT")/hindsight-cpscore}
TCPD=${TCPD_DATA:-$dir/../../../shared/data/tcpd}

begin "a mean shift at 30 of 60 (time,value with a header): one change, up, confident"
run changepoints "$FIX/series_shift.csv"
expect_rc 0
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "expected one line"
grep -q '^30 up [0-9.]* (+[0-9.]* sd) confidence 0\.9[0-9]$' "$T/out" ||
    fail "unexpected line: $(cat "$T/out")"
[ ! -s "$T/err" ] || fail "unexpected stderr"
end

begin "--json: indices, method, status, details"
run changepoints "$FIX/series_shift.csv" --json
expect_rc 0
expect_json '.change_points == [30] and .method == "bocpd" and .status == "ok"'
expect_json '.n_obs == 60 and .n_present == 60 and .dimensions == 1'
expect_json '.details[0].index == 30 and .details[0].direction == "up"'
expect_json '.details[0].magnitude > 9 and .details[0].magnitude < 11'
expect_json '.details[0].magnitude_sd > 4 and .details[0].confidence >= 0.9'
expect_json '.details[0].confidence <= 1 and (.details[0] | has("dimension") | not)'
end

begin "--method pelt finds the same change"
run changepoints "$FIX/series_shift.csv" --method pelt --json
expect_rc 0
expect_json '.change_points == [30] and .method == "pelt" and .details[0].confidence > 0.9'
end

begin "one number per line, no header: two shifts, down then up"
for m in bocpd pelt; do
    run changepoints "$FIX/series_numbers.csv" --method $m --json
    expect_rc 0
    expect_json '.change_points == [40, 80] and .n_obs == 120'
    expect_json '[.details[].direction] == ["down", "up"]'
done
run changepoints "$FIX/series_numbers.csv"
expect_out "40 down "
expect_out "80 up "
end

begin "empty, null and NaN cells are missing values; indices stay those of the file"
run changepoints "$FIX/series_missing.csv" --json
expect_rc 0
expect_json '.change_points == [30] and .n_obs == 60 and .n_present == 56'
end

begin "a TCPD JSON file (guessed from .json) gives what the same values in CSV give"
run changepoints "$FIX/series_shift.csv"
cp "$T/out" "$T/csv.out"
run changepoints "$FIX/series_tcpd.json"
expect_rc 0
expect_out_exact "$T/csv.out"
run changepoints "$FIX/series_tcpd.json" --format tcpd --method pelt --json
expect_json '.change_points == [30]'
end

begin "a constant series: no change point, the reason on stderr, exit 0"
run changepoints "$FIX/series_constant.csv"
expect_rc 0
[ ! -s "$T/out" ] || fail "unexpected stdout"
expect_err "hindsight: no change points: the series is constant"
run changepoints "$FIX/series_constant.csv" --json
expect_rc 0
expect_json '.change_points == [] and .status == "constant" and .reason == "the series is constant"'
end

begin "a series too short to hold a change"
printf '1\n2\n9\n' >"$T/short.csv"
run changepoints "$T/short.csv" --json
expect_rc 0
expect_json '.change_points == [] and .status == "too-short"'
printf 'v\n\nnull\nNaN\n' >"$T/blank.csv"
run changepoints "$T/blank.csv" --json
expect_rc 0
expect_json '.status == "all-missing" and .n_obs == 2'
end

begin "bad input: missing file, non-numeric cell with its line, empty file"
run changepoints "$T/nothing.csv"
expect_rc 1
expect_err_one_line
expect_err "cannot open '$T/nothing.csv'"
run changepoints "$FIX/series_bad_cell.csv"
expect_rc 1
expect_err_one_line
expect_err "series_bad_cell.csv:5: column 'value': 'abc' is not a number"
run changepoints "$FIX/series_empty.csv"
expect_rc 1
expect_err_one_line
expect_err "series_empty.csv: no values (an empty series)"
end

begin "bad input: ragged rows, broken JSON, wrong format, unknown method or format"
run changepoints "$FIX/series_ragged.csv"
expect_rc 1
expect_err_one_line
expect_err "series_ragged.csv:3: expected 2 fields as in the first row, found 3"
run changepoints "$FIX/series_bad.json"
expect_rc 1
expect_err_one_line
expect_err "series_bad.json:3: invalid JSON"
run changepoints "$FIX/series_shift.csv" --format tcpd
expect_rc 1
expect_err "series_shift.csv:1: invalid JSON"
printf '{"series": [{"raw": [1, "2", 3]}]}' >"$T/str.json"
run changepoints "$T/str.json"
expect_rc 1
expect_err "field 'series[0].raw[1]': expected a number or null, got a string"
run changepoints "$FIX/series_shift.csv" --method binseg
expect_rc 1
expect_err_one_line
expect_err "unknown method 'binseg' (expected pelt or bocpd)"
run changepoints "$FIX/series_shift.csv" --format xls
expect_rc 1
expect_err "unknown format 'xls'"
run changepoints
expect_rc 1
expect_err "missing the series file"
end

begin "needs no store: none is opened or created"
run changepoints "$FIX/series_shift.csv" --db "$T/never.db"
expect_rc 0
[ ! -e "$T/never.db" ] || fail "a store was created"
end

begin "hindsight-cpscore: F1 and covering of hand-made predictions"
if [ -x "$CPSCORE" ]; then
    printf '{"s": {"1": [10, 20], "2": [11, 20], "3": [10], "4": [0, 5]},
             "t": {"1": [], "2": [10], "3": [50]}}' >"$T/ann.json"
    printf '{"s": {"n_obs": 45, "change_points": [20, 10, 10, 44]},
             "t": {"n_obs": 60, "change_points": []}}' >"$T/pred.json"
    "$CPSCORE" "$T/ann.json" "x=$T/pred.json" >"$T/out" 2>"$T/err"
    RC=$?
    expect_rc 0
    grep -q '^s  *2  *1\.000  *0\.' "$T/out" || fail "series s: $(grep '^s ' "$T/out")"
    grep -q '^t  *0  *0\.800 ' "$T/out" || fail "series t: $(grep '^t ' "$T/out")"
else
    echo "    skip: $CPSCORE not built"
fi
end

begin "hindsight-cpscore reproduces TCPDBench's published default scores"
if [ -x "$CPSCORE" ] && [ -f "$TCPD/reference_default_runs.json" ]; then
    "$CPSCORE" --reference "$TCPD/reference_default_runs.json" --groups "$TCPD/groups.json" \
        "$TCPD/annotations.json" >"$T/out" 2>"$T/err"
    RC=$?
    expect_rc 0
    grep -q '^binseg .* 0\.690 / 0\.690 .* 0\.655 / 0\.655' "$T/out" || fail "binseg means"
    grep -q '^zero .* 0\.647 / 0\.647 .* 0\.557 / 0\.557' "$T/out" || fail "zero means"
    grep -q ' [0-3] of 862 scores differ' "$T/out" || fail "$(tail -n 1 "$T/out")"
else
    echo "    skip: no TCPD data at $TCPD (or no $CPSCORE)"
fi
end

begin "every TCPD series: no regression (bocpd above the published binseg means)"
if [ -x "$CPSCORE" ] && [ -d "$TCPD/datasets" ]; then
    for m in bocpd pelt; do
        printf '{' >"$T/$m.json"
        sep=""
        for d in "$TCPD"/datasets/*/; do
            name=$(basename "$d")
            printf '%s"%s": ' "$sep" "$name" >>"$T/$m.json"
            "$HINDSIGHT" changepoints "$d$name.json" --method $m --json >>"$T/$m.json" ||
                fail "$m failed on $name"
            sep=","
        done
        printf '}\n' >>"$T/$m.json"
    done
    "$CPSCORE" --groups "$TCPD/groups.json" "$TCPD/annotations.json" "bocpd=$T/bocpd.json" \
        "pelt=$T/pelt.json" >"$T/out" 2>"$T/err"
    RC=$?
    expect_rc 0
    means=$(tail -n 1 "$T/out")
    echo "$means" | awk '{ if ($7 < 0.72 || $9 < 0.656 || $12 < 0.68 || $14 < 0.63) exit 1 }' ||
        fail "below the expected means: $means"
else
    echo "    skip: no TCPD data at $TCPD (or no $CPSCORE)"
fi
end
