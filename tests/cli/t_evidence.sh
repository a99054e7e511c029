# t_evidence.sh: ingesting evidence files and asking for metric series.

W="--from 2026-03-04T12:00:00Z --to 2026-03-04T12:04:00Z"
hs init >/dev/null

begin "events from JSON Lines (PostHog and Segment shapes) and CSV"
run ingest events "$FIX/events_small.jsonl"
expect_rc 0
expect_out "source 1: 10 events from $FIX/events_small.jsonl (jsonl), 2026-03-04T12:00:05Z .. 2026-03-04T12:03:30Z"
run ingest events "$FIX/events_small.csv" --json
expect_rc 0
expect_json '.[0].rows == 2 and .[0].format == "csv" and .[0].source == 2 and (.[0].sha256 | length) == 64'
end

begin "every property becomes a field; nested objects are flattened"
run fields --json
expect_rc 0
expect_json 'map(.name) | index("device.model") != null and index("$session_id") != null'
expect_json 'map(select(.name == "latency_ms"))[0].type == "number"'
expect_json 'map(select(.name == "platform"))[0].type == "text"'
end

begin "count per minute, empty buckets 0, time-ordered CSV"
run series "count()" $W --csv
expect_rc 0
printf 'time,value\n2026-03-04T12:00:00Z,5\n2026-03-04T12:01:00Z,2\n2026-03-04T12:02:00Z,1\n2026-03-04T12:03:00Z,4\n' >"$T/want"
expect_out_exact "$T/want"
run series "count() where event = 'nothing'" $W --csv
expect_out "2026-03-04T12:02:00Z,0"
end

begin "--by gives one row per bucket and group, sorted by time then group"
run series "count() where event = 'product_viewed'" $W --bucket 2m --by platform --csv
printf 'time,platform,value\n2026-03-04T12:00:00Z,android,1\n2026-03-04T12:00:00Z,ios,1\n2026-03-04T12:00:00Z,web,0\n2026-03-04T12:02:00Z,android,0\n2026-03-04T12:02:00Z,ios,0\n2026-03-04T12:02:00Z,web,2\n' >"$T/want"
expect_out_exact "$T/want"
end

begin "--by lists only the groups that some aggregate counted after its filter"
run series "count() where platform = 'android'" $W --bucket 4m --by platform --by app_version --csv
printf 'time,platform,app_version,value\n2026-03-04T12:00:00Z,android,5.2,3\n' >"$T/want"
expect_out_exact "$T/want"
end

begin "aggregates: sum, avg (empty when no value), min, max, exact quantile, uniq"
run series "sum(revenue)" $W --csv
expect_out "2026-03-04T12:01:00Z,20.5"
expect_out "2026-03-04T12:00:00Z,0"
run series "avg(latency_ms)" $W --csv
expect_out "2026-03-04T12:00:00Z,90.625"
expect_out "2026-03-04T12:02:00Z,90"
run series "avg(revenue)" $W --csv
expect_out "2026-03-04T12:00:00Z,"
run series "quantile(0.5, latency_ms) where timestamp_is_not_a_field = 1" $W
expect_rc 1
run series "quantile(0.5, latency_ms)" --from 2026-03-04T12:00:00Z --to 2026-03-04T12:04:00Z --bucket 1h --csv
expect_out "2026-03-04T12:00:00Z,80"
run series "max(latency_ms) - min(latency_ms)" --from 2026-03-04T12:00:00Z --to 2026-03-04T13:00:00Z --bucket 1h --csv
expect_out "2026-03-04T12:00:00Z,987.5"
run series "uniq(distinct_id)" --from 2026-03-04T12:00:00Z --to 2026-03-04T13:00:00Z --bucket 1h --csv
expect_out "2026-03-04T12:00:00Z,6"
run series "uniq(\$session_id)" --from 2026-03-04T12:00:00Z --to 2026-03-04T13:00:00Z --bucket 1h --csv
expect_out "2026-03-04T12:00:00Z,4"
end

begin "count(F) counts the events that have F; stddev is the sample standard deviation"
run series "count(revenue)" --from 2026-03-04T12:00:00Z --to 2026-03-04T13:00:00Z --bucket 1h --csv
expect_out "2026-03-04T12:00:00Z,3"
run series "stddev(revenue)" --from 2026-03-04T12:00:00Z --to 2026-03-04T13:00:00Z --bucket 1h --csv
expect_out "2026-03-04T12:00:00Z,7.910962858"
end

begin "filters: =, !=, in, not in, numbers, and/or/not, flattened and quoted fields"
Q="--from 2026-03-04T12:00:00Z --to 2026-03-04T13:00:00Z --bucket 1h --csv"
run series "count() where country in ('US', 'DE')" $Q
expect_out "2026-03-04T12:00:00Z,7"
run series "count() where platform != 'web'" $Q
expect_out "2026-03-04T12:00:00Z,7"
run series "count() where platform not in ('web') and latency_ms >= 100" $Q
expect_out "2026-03-04T12:00:00Z,3"
run series "count() where not (platform = 'web' or platform = 'ios')" $Q
expect_out "2026-03-04T12:00:00Z,3"
run series "count() where device.model = 'pixel'" $Q
expect_out "2026-03-04T12:00:00Z,1"
run series "count() where beta = 'true' and note = 'café \"quoted\"'" $Q
expect_out "2026-03-04T12:00:00Z,1"
run series "count() where \`latency_ms\` > 150.5" $Q
expect_out "2026-03-04T12:00:00Z,3"
end

begin "ratios; division by zero is empty"
run series "(count() where event = 'purchase_completed') / (count() where event = 'product_viewed')" \
    --from 2026-03-04T12:00:00Z --to 2026-03-04T13:00:00Z --bucket 1h --csv
expect_out "2026-03-04T12:00:00Z,0.75"
run series "(count() where event = 'purchase_completed') / (count() where event = 'product_viewed')" $W --csv
expect_out "2026-03-04T12:01:00Z,"
expect_out "2026-03-04T12:03:00Z,0.5"
end

begin "a where after a parenthesised expression filters every aggregate in it"
run series "((count() where event = 'purchase_completed') / count()) where platform = 'ios'" \
    --from 2026-03-04T12:00:00Z --to 2026-03-04T13:00:00Z --bucket 1h --csv
expect_out "2026-03-04T12:00:00Z,0.25"
end

begin "metrics from long CSV, Prometheus JSON and wide CSV"
run ingest metrics "$FIX/metrics_long.csv" "$FIX/metrics_prom.json" "$FIX/metrics_wide.csv"
expect_rc 0
expect_out "(csv)"
expect_out "(prom)"
expect_out "(wide-csv)"
run series "metric('http_error_rate') where service = 'payments'" $W --csv
expect_out "2026-03-04T12:00:00Z,0.02"
expect_out "2026-03-04T12:01:00Z,0.06"
run series "max(metric('http_error_rate'))" $W --by region --csv
expect_out "2026-03-04T12:01:00Z,eu-west,0.07"
run series "metric('latency_p99_ms') where service = 'payments'" $W --csv
expect_out "2026-03-04T12:01:00Z,480.5"
run series "sum(metric('queue_depth'))" $W --csv
expect_out "2026-03-04T12:00:00Z,6"
expect_out "2026-03-04T12:01:00Z,9"
end

begin "logs and changes"
run ingest logs "$FIX/logs_small.jsonl"
expect_rc 0
expect_out "3 logs"
run ingest changes "$FIX/changes_small.jsonl" "$FIX/changes_small.csv"
expect_rc 0
expect_out "2 changes"
expect_out "1 changes"
[ "$(sqlite3 "$HINDSIGHT_DB" "SELECT description FROM changes WHERE change_id = 'chg-3'")" = 'raise timeout to 2s, for "eu"' ] || fail "CSV change description"
[ "$(sqlite3 "$HINDSIGHT_DB" "SELECT level FROM logs WHERE message LIKE 'slow%'")" = warn ] || fail "log aliases"
end

begin "saved metrics: define, use with a filter, list"
run metric define conversion "(count() where event = 'purchase_completed') / (count() where event = 'product_viewed')" --unit ratio --description "purchases per product view"
expect_rc 0
expect_out "saved metric conversion"
run series "conversion where platform = 'web'" --from 2026-03-04T12:00:00Z --to 2026-03-04T13:00:00Z --bucket 1h --csv
expect_out "2026-03-04T12:00:00Z,0.5"
run metric list --json
expect_json 'length == 1 and .[0].name == "conversion" and .[0].unit == "ratio"'
run series "conversion" $W --json
expect_json '.expr | startswith("(count() where event = ")'
run log --json
expect_json 'any(.[]; .record == "metric conversion" and .action == "define")'
end

begin "sources list and remove"
run sources --json
expect_json 'length == 8 and .[0].kind == "events" and .[0].rows == 10'
run sources rm 2
expect_rc 0
expect_out "removed source 2"
run series "count()" $W --csv
expect_out "2026-03-04T12:00:00Z,3"
run sources rm 99
expect_rc 1
expect_err "unknown source 99"
end

# Refusals: one clear line (plus a caret under the column for expressions), exit 1, the store
# unchanged.
refused_ev() {
    msg=$1
    shift
    begin "refused: $msg"
    snapshot
    run "$@"
    expect_rc 1
    expect_err "$msg"
    expect_store_unchanged
    end
}

printf '{"event":"a","timestamp":"2026-03-04T12:00:00Z"}\n{"event":"b","timestamp":"2026-03-04T12:00:01Z"\n{"event":"c"}\n' >"$T/bad.jsonl"
refused_ev "$T/bad.jsonl:2: unexpected end of line inside an object (at byte 48)" ingest events "$T/bad.jsonl"
refused_ev "this content was already ingested as source 1 (use --force" ingest events "$FIX/events_small.jsonl"
printf '' >"$T/empty.jsonl"
refused_ev "the file is empty" ingest events "$T/empty.jsonl"
head -c 3000 /dev/urandom >"$T/garbage.jsonl"
refused_ev "$T/garbage.jsonl:1:" ingest events "$T/garbage.jsonl"
refused_ev "cannot open '$T/none.jsonl'" ingest events "$T/none.jsonl"
refused_ev "unknown format 'xml' for events" ingest events "$FIX/events_small.jsonl" --format xml
refused_ev "ingest: unknown kind 'traces'" ingest traces "$FIX/events_small.jsonl"
printf '{"event":"a","timestamp":"yesterday"}\n' >"$T/badtime.jsonl"
refused_ev "$T/badtime.jsonl:1: field 'timestamp': " ingest events "$T/badtime.jsonl"
printf '{"timestamp":"2026-03-04T12:00:00Z"}\n' >"$T/noevent.jsonl"
refused_ev "$T/noevent.jsonl:1: missing field 'event'" ingest events "$T/noevent.jsonl"
printf '{"event":"a","timestamp":"2026-03-04T12:00:00Z","properties":[1]}\n' >"$T/props.jsonl"
refused_ev "field 'properties': expected an object" ingest events "$T/props.jsonl"
awk 'BEGIN { printf "{\"event\":\"a\",\"timestamp\":\"2026-03-04T12:00:00Z\",\"properties\":{\"x\":\""; for (i = 0; i < 1100000; i++) printf "a"; printf "\"}}\n" }' >"$T/long.jsonl"
refused_ev "$T/long.jsonl:1: line longer than 1048576 bytes" ingest events "$T/long.jsonl"
printf 'timestamp,metric,value\n2026-03-04T12:00:00Z,m,abc\n' >"$T/badmetric.csv"
refused_ev "$T/badmetric.csv:2: column 'value'" ingest metrics "$T/badmetric.csv"
printf '{"id":"x","timestamp":"2026-03-04T12:00:00Z","kind":"rollout"}\n' >"$T/badchange.jsonl"
refused_ev "$T/badchange.jsonl:1: field 'kind': unknown kind 'rollout'" ingest changes "$T/badchange.jsonl"
refused_ev "column 8: expected a field name" series "count( where x" $W
refused_ev "column 15: unknown property 'platfrom' (did you mean 'platform'?)" series "count() where platfrom = 'web'" $W
refused_ev "unknown metric 'nosuch'" series "nosuch" $W
refused_ev "unknown metric 'nosuch_metric'" series "metric('nosuch_metric')" $W
refused_ev "unknown function 'median'" series "median(latency_ms)" $W
refused_ev "unterminated string" series "count() where platform = 'web" $W
refused_ev "--from and --to are required" series "count()"
refused_ev "--from must be before --to" series "count()" --from 2026-03-05 --to 2026-03-04
refused_ev "--bucket: invalid duration" series "count()" $W --bucket 5x
refused_ev "use a larger --bucket" series "count()" --from 2020-01-01 --to 2026-01-01 --bucket 1s
refused_ev "invalid metric name '1st'" metric define 1st "count()"
refused_ev "'count' is a word of the expression language" metric define count "count()"
refused_ev "unexpected text after the expression" metric define m "count() count()"

begin "the caret points at the column of a syntax error"
run series "count() where platform ==" $W
expect_rc 1
[ "$(sed -n 3p "$T/err")" = "                           ^" ] || fail "caret misplaced: $(cat "$T/err")"
end

begin "--skip-bad keeps the good lines and reports each bad one"
run ingest events "$T/bad.jsonl" --skip-bad
expect_rc 0
expect_err "skipped $T/bad.jsonl:2:"
expect_err "skipped $T/bad.jsonl:3: missing field 'timestamp'"
expect_out "1 events"
expect_out "2 bad lines skipped"
end

begin "--force ingests the same content again"
run ingest events "$FIX/events_small.jsonl" --force --source again
expect_rc 0
run sources --json
expect_json 'map(select(.name == "again")) | length == 1'
end

if [ -z "${UNDER_VALGRIND:-}" ]; then
# Files of 16 MB and more are parsed by two threads; line numbers and order must not change.
awk 'BEGIN {
    for (i = 1; i <= 120000; i++) {
        if (i == 10 || i == 90000)
            print "{\"event\":\"broken\",\"timestamp\":\"2026-03-05T00:00:00Z\",\"properties\":{\"x\":}}"
        else if (i == 100000)
            print ""
        else
            printf "{\"event\":\"e%d\",\"timestamp\":\"2026-03-05T%02d:%02d:%02dZ\",\"distinct_id\":\"user-%06d\",\"properties\":{\"$session_id\":\"session-%06d\",\"platform\":\"p%d\",\"n\":%d}}\n", i % 5, int(i / 3600) % 24, int(i / 60) % 60, i % 60, i % 5000, i % 20000, i % 3, i
    }
}' >"$T/big.jsonl"

begin "a large file split between threads reports the first bad line with its real number"
snapshot
run ingest events "$T/big.jsonl"
expect_rc 1
expect_err_one_line
expect_err "$T/big.jsonl:10: "
expect_store_unchanged
end

begin "a large file with --skip-bad reports every bad line in file order and keeps the rest"
run ingest events "$T/big.jsonl" --skip-bad --json
expect_rc 0
expect_json '.[0].rows == 119997 and .[0].bad_rows == 2'
[ "$(grep -c '^hindsight: skipped' "$T/err")" = 2 ] || fail "expected two skipped lines"
head -n 1 "$T/err" | grep -q "big.jsonl:10: " || fail "first skipped line is not 10"
tail -n 1 "$T/err" | grep -q "big.jsonl:90000: " || fail "second skipped line is not 90000"
run series "count() where event != 'broken'" --from 2026-03-05 --to 2026-03-06 --bucket 1d --csv
expect_out "2026-03-05T00:00:00Z,119997"
run series "sum(n)" --from 2026-03-05 --to 2026-03-06 --bucket 1d --csv
expect_out "2026-03-05T00:00:00Z,7199869990"
end
fi
