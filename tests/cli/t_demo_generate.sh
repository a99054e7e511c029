# t_demo_generate.sh: hindsight demo generate: the files and the summary, determinism, and
# every bad option refused with one line and no output directory.

begin "demo generate writes the five files and a summary"
run demo generate "$T/demo" --days 1 --scale 0.2
expect_rc 0
expect_out "wrote demo data to $T/demo (seed 42, 1 day from 2026-03-08T00:00:00Z to 2026-03-09T00:00:00Z, scale 0.2, 4000 users)"
expect_out "events.jsonl"
expect_out "metrics.csv             34560 rows"
expect_out "logs.jsonl"
expect_out "changes.jsonl"
expect_out "ground_truth.json           1 incident"
expect_out "incident: 2026-03-08T14:05:00Z to "
expect_out "payments deploy chg-"
for f in events.jsonl metrics.csv logs.jsonl changes.jsonl ground_truth.json; do
    [ -s "$T/demo/$f" ] || fail "$f missing or empty"
done
[ -z "$(ls -A "$T/demo" | grep '^\.')" ] || fail "temporary files left in $T/demo"
events=$(wc -l <"$T/demo/events.jsonl")
[ "$(awk '$1 == "events.jsonl" { print $2 }' "$T/out")" = "$events" ] ||
    fail "the summary does not give the $events events"
end

begin "the ground truth names the incident and counts the rows"
cp "$T/demo/ground_truth.json" "$T/out"
expect_json '.options.seed == 42 and .options.days == 1 and .options.scale == 0.2'
expect_json '.incident.start == "2026-03-08T14:05:00Z"'
expect_json '.incident.segment == {"platform": "android", "app_version": "5.2"}'
expect_json '.incident.funnel_step == "payment_submitted -> purchase_completed"'
expect_json '.rows["metrics.csv"] == 34560'
cause=$(jq -r .incident.cause_change_id "$T/out")
grep -q "\"id\":\"$cause\".*\"version\":\"5.2-build41\"" "$T/demo/changes.jsonl" ||
    fail "the cause $cause is not the 5.2-build41 deploy"
[ "$(jq -r '.rows["events.jsonl"]' "$T/out")" -eq "$(wc -l <"$T/demo/events.jsonl")" ] ||
    fail "rows of events.jsonl differ from its lines"
end

begin "the same options give byte-identical files; another seed does not"
run demo generate "$T/again" --days 1 --scale 0.2
expect_rc 0
for f in events.jsonl metrics.csv logs.jsonl changes.jsonl ground_truth.json; do
    cmp -s "$T/demo/$f" "$T/again/$f" || fail "$f differs between two runs"
done
run demo generate "$T/other" --days 1 --scale 0.2 --seed 43
expect_rc 0
expect_out "seed 43"
cmp -s "$T/demo/events.jsonl" "$T/other/events.jsonl" && fail "seed 43 gave the events of 42"
end

begin "the history: a year of incident records, deterministic, importable in one go"
n=$(ls "$T/demo/history" | grep -c '^incident-[0-9]*\.json$')
[ "$n" -ge 20 ] || fail "only $n history documents"
HINDSIGHT_DB="$T/hist.db" hs init >/dev/null
HINDSIGHT_DB="$T/hist.db" run import "$T"/demo/history/*.json
expect_rc 0
[ "$(wc -l <"$T/out")" -eq "$n" ] || fail "import did not report $n incidents"
first=$(jq -r .incident.started_at "$T/demo/history/incident-001.json")
last=$(jq -r .incident.started_at "$T/demo/history/incident-$(printf %03d "$n").json")
[ "$first" \< "$last" ] || fail "documents not in the order incidents started ($first, $last)"
[ "$last" \< "2026-03-08T00:00:00Z" ] || fail "a history incident ($last) inside the period"
[ "$first" \> "2025-03-01T00:00:00Z" ] || fail "a history incident ($first) before the 12 months"
verified=$(sqlite3 "$T/hist.db" "SELECT count(*) FROM actions WHERE status = 'verified'")
[ "$verified" -ge 3 ] || fail "only $verified verified actions"
modes=$(sqlite3 "$T/hist.db" "SELECT count(DISTINCT tag) FROM incident_tags WHERE tag LIKE 'failure-mode:%'")
[ "$modes" -ge 5 ] || fail "only $modes failure modes"
# A failed fix: an incident of a failure mode after one of its actions was verified.
again=$(sqlite3 "$T/hist.db" "SELECT count(*) FROM incidents i JOIN incident_tags t ON t.incident_id = i.id
    WHERE t.tag LIKE 'failure-mode:%' AND i.started_at > (SELECT min(au.at) FROM audit au
      JOIN incident_tags t2 ON t2.incident_id = au.incident_id
      WHERE au.field = 'status' AND au.new_value = 'verified' AND t2.tag = t.tag)")
[ "$again" -ge 1 ] || fail "no failure mode came back after a verified fix"
for f in "$T"/demo/history/*.json; do
    cmp -s "$f" "$T/again/history/$(basename "$f")" 2>/dev/null || { fail "$(basename "$f") differs"; break; }
done
end

begin "--history 0 writes none; --history 2 fewer"
run demo generate "$T/h0" --days 1 --scale 0.01 --history 0
expect_rc 0
grep -q '^history:' "$T/out" && fail "history reported with --history 0"
[ -z "$(ls -A "$T/h0/history" 2>/dev/null)" ] || fail "documents written with --history 0"
run demo generate "$T/h0" --days 1 --scale 0.01 --history 2
expect_rc 0
n2=$(ls "$T/h0/history" | wc -l)
[ "$n2" -ge 1 ] && [ "$n2" -lt "$n" ] || fail "2 months gave $n2 documents (12 months: $n)"
expect_out "history: $n2 incident records of the 2 months before"
end

begin "--scenario 2 breaks cart -> checkout for country=IN, and only there"
run demo generate "$T/in" --days 2 --scale 0.5 --scenario 2 --history 0
expect_rc 0
expect_out "catalog deploy chg-"
expect_out "for country=IN"
cp "$T/in/ground_truth.json" "$T/out"
expect_json '.options.scenario == 2 and .incident.scenario == "india-cart"'
expect_json '.incident.segment == {"country": "IN"} and .incident.service == "catalog"'
expect_json '.incident.funnel_step == "add_to_cart -> checkout_started"'
expect_json '.incident.error_log.template == "address lookup failed country=IN code=500 cart=<*>"'
cause=$(jq -r .incident.cause_change_id "$T/out")
grep -q "\"id\":\"$cause\".*\"service\":\"catalog\".*\"segment\":\"country=IN\"" "$T/in/changes.jsonl" ||
    fail "the cause $cause is not the catalog deploy for country=IN"
grep -q '"message":"address lookup failed country=IN code=500' "$T/in/logs.jsonl" ||
    fail "no error lines of the scenario's template"
start=$(jq -r .incident.start "$T/out"); stop=$(jq -r .incident.end "$T/out")
HINDSIGHT_DB="$T/in.db" hs init >/dev/null
HINDSIGHT_DB="$T/in.db" hs ingest events "$T/in/events.jsonl" >/dev/null
# conversion COUNTRY FROM TO: checkout_started / add_to_cart of COUNTRY in [FROM, TO), summed
# over 5-minute buckets.
conversion() {
    for ev in checkout_started add_to_cart; do
        HINDSIGHT_DB="$T/in.db" "$HINDSIGHT" series "count() where event = '$ev' and country = '$1'" \
            --from "$2" --to "$3" --bucket 5m --csv | awk -F, 'NR > 1 { s += $2 } END { print s + 0 }'
    done | paste -sd' ' | awk '{ print ($2 > 0 ? $1 / $2 : -1) }'
}
before=$(date -u -d "$start 12 hours ago" +%Y-%m-%dT%H:%M:%SZ)
in_during=$(conversion IN "$start" "$stop"); us_during=$(conversion US "$start" "$stop")
in_before=$(conversion IN "$before" "$start")
awk -v a="$in_during" -v b="$us_during" 'BEGIN { exit !(a >= 0 && a < 0.5 * b) }' ||
    fail "inside the incident IN converts $in_during, US $us_during"
awk -v a="$in_before" 'BEGIN { exit !(a > 0.45 && a < 0.65) }' ||
    fail "before the incident IN converts $in_before (normal 0.55)"
end

begin "--end moves the period"
run demo generate "$T/end" --days 2 --scale 0.01 --end 2026-01-10T12:00:00+01:00
expect_rc 0
expect_out "2 days from 2026-01-08T11:00:00Z to 2026-01-10T11:00:00Z"
head -n 2 "$T/end/metrics.csv" | grep -q '^2026-01-08T11:00:00Z,http_requests_total,' ||
    fail "metrics do not start at the period's start"
end

begin "demo and demo generate explain themselves"
run demo --help
expect_rc 0
expect_out "generate"
run demo generate --help
expect_rc 0
expect_out "--scale"
run help
expect_out "demo"
end

# refused_demo MESSAGE ARGS...: exit 1, one stderr line with MESSAGE, no directory made.
refused_demo() {
    msg=$1
    shift
    begin "refused: demo $* ($msg)"
    rm -rf "$T/bad"
    run demo "$@"
    expect_rc 1
    expect_err_one_line
    expect_err "$msg"
    [ ! -e "$T/bad" ] || fail "a refused run created $T/bad"
    end
}

refused_demo "unknown command 'make'" make "$T/bad"
refused_demo "missing the output directory" generate
refused_demo "unexpected argument" generate "$T/bad" "$T/bad2"
refused_demo "--days: invalid value '0' (expected a whole number from 1 to 90)" generate "$T/bad" --days 0
refused_demo "--days: invalid value '91'" generate "$T/bad" --days 91
refused_demo "--days: invalid value '2.5'" generate "$T/bad" --days 2.5
refused_demo "--scale: invalid value '0' (expected a number greater than 0 and at most 200)" generate "$T/bad" --scale 0
refused_demo "--scale: invalid value '201'" generate "$T/bad" --scale 201
refused_demo "--scale: invalid value 'big'" generate "$T/bad" --scale big
refused_demo "--seed: invalid value 'x'" generate "$T/bad" --seed x
refused_demo "--seed: invalid value '-3'" generate "$T/bad" --seed -3
refused_demo "--end: invalid time 'tomorrow'" generate "$T/bad" --end tomorrow
refused_demo "--end: invalid value '2026-03-09T00:00:30Z' (expected a whole minute" generate "$T/bad" --end 2026-03-09T00:00:30Z
refused_demo "unknown option '--size'" generate "$T/bad" --size 2
refused_demo "--scenario: invalid value '4' (expected a whole number from 0 to 3)" generate "$T/bad" --scenario 4
refused_demo "--history: invalid value '37' (expected a whole number of months from 0 to 36)" generate "$T/bad" --history 37
refused_demo "--history: invalid value '-1'" generate "$T/bad" --history -1

begin "refused: an output path that is a file"
: >"$T/plain"
run demo generate "$T/plain" --days 1 --scale 0.01
expect_rc 1
expect_err_one_line
expect_err "'$T/plain' is not a directory"
end
