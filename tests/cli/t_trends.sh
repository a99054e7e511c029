# t_trends.sh: hindsight trends and hindsight audit on a small history built through the commands
# (the clock moved with HINDSIGHT_NOW between steps): the JSON figures worked out by hand, the
# Markdown tables, the HTML page parsed as XML, --by quarter, --since/--until, refused options;
# the audit's findings with their records. Neither command changes the store.
#
#   INC-1 SEV2 2025-10-05 00:00 d +10m r +2h  bad-deploy payments  review 10-07 00:00 (46 h)
#   INC-2 SEV3 2025-10-20 00:00 d +30m r +4h  capacity   search    (postmortem never written)
#   INC-3 SEV1 2025-12-10 00:00 d +5m  r +90m bad-deploy payments  (66 days after INC-1)
#   INC-4 SEV3 2026-01-19 00:00 d +10m r +1h  capacity   search    (91 days after INC-2)
#   A-1 (INC-1, alice) due 10-20, done 10-15, verified 10-16; A-2 (INC-2, bob) due 11-01, open

at() { HINDSIGHT_NOW=$1; export HINDSIGHT_NOW; }
long_text="This section says what it must in enough plain words to count as written: more than
twenty of them, so the audit does not call it thin at all."

at 2025-10-05T06:00:00Z
hs init >/dev/null
hs incident new --title "Deploy broke payments" --severity SEV2 --started 2025-10-05T00:00:00Z \
    --detected 2025-10-05T00:10:00Z --mitigated 2025-10-05T01:00:00Z \
    --resolved 2025-10-05T02:00:00Z --tag failure-mode:bad-deploy --service payments >/dev/null
at 2025-10-06T00:00:00Z
hs action add INC-1 "Canary releases" --kind process --owner alice --due 2025-10-20T00:00:00Z \
    --no-success "a process change" >/dev/null
for s in summary timeline root-causes detection resolution action-items lessons-learned; do
    hs postmortem INC-1 edit "$s" --text "$long_text" >/dev/null
done
hs postmortem INC-1 edit impact --text "Some users." >/dev/null
hs incident update INC-1 --status postmortem >/dev/null
at 2025-10-07T00:00:00Z
hs incident update INC-1 --status review >/dev/null
hs feedback INC-1 --clarity 2 --usefulness 3 --time-efficiency 1 \
    --comment "too many meetings" >/dev/null
at 2025-10-15T00:00:00Z
hs action update A-1 --status done >/dev/null
at 2025-10-16T00:00:00Z
hs action update A-1 --status verified >/dev/null
at 2025-10-20T06:00:00Z
hs incident new --title "Search ran out of capacity" --severity SEV3 \
    --started 2025-10-20T00:00:00Z --detected 2025-10-20T00:30:00Z \
    --mitigated 2025-10-20T03:00:00Z --resolved 2025-10-20T04:00:00Z \
    --tag failure-mode:capacity --service search >/dev/null
at 2025-10-21T00:00:00Z
hs action add INC-2 "Autoscale search" --kind architecture --owner bob \
    --due 2025-11-01T00:00:00Z --no-success "capacity is tested by load tests" >/dev/null
at 2025-12-10T06:00:00Z
hs incident new --title "Deploy broke payments again" --severity SEV1 \
    --started 2025-12-10T00:00:00Z --detected 2025-12-10T00:05:00Z \
    --mitigated 2025-12-10T00:30:00Z --resolved 2025-12-10T01:30:00Z \
    --tag failure-mode:bad-deploy --service payments >/dev/null
at 2026-01-19T06:00:00Z
hs incident new --title "Search capacity again" --severity SEV3 --started 2026-01-19T00:00:00Z \
    --detected 2026-01-19T00:10:00Z --mitigated 2026-01-19T00:40:00Z \
    --resolved 2026-01-19T01:00:00Z --tag failure-mode:capacity --service search >/dev/null
# Evidence: metrics during INC-1 (used) and the fixture's, from March 2026 (far from all).
printf 'timestamp,metric,value,service\n2025-10-05T00:30:00Z,http_error_rate,0.2,payments\n' \
    >"$T/near.csv"
hs ingest metrics "$T/near.csv" >/dev/null
hs ingest metrics "$FIX/metrics_long.csv" >/dev/null
at 2026-03-06T09:00:00Z

begin "trends --format json: the figures of each month, empty months with zeros"
snapshot
run trends --format json
expect_rc 0
expect_json '.by == "month" and ([.periods[].period] == ["2025-10","2025-11","2025-12","2026-01","2026-02","2026-03"])'
# October: INC-1 and INC-2. Detect 600 and 1800 s: median 1200, p90 600 + 0.9 * 1200 = 1680.
expect_json '.periods[0] | .incidents == 2 and .by_severity == {"SEV1":0,"SEV2":1,"SEV3":1,"SEV4":0}'
expect_json '.periods[0] | .by_service == {"payments":1,"search":1} and .by_failure_mode["bad-deploy"] == 1'
expect_json '.periods[0] | .ttd_median_s == 1200 and .ttd_p90_s == 1680 and .ttd_n == 2'
# Resolve 7200 and 14400 s: median 10800. Postmortem: review 46 h after resolution.
expect_json '.periods[0] | .ttr_median_s == 10800 and .ttp_median_s == 165600 and .ttp_n == 1'
expect_json '.periods[0] | .tta_median_s == null and .ttm_median_s == 7200'
expect_json '.periods[0] | .actions_opened == 2 and .actions_done == 1 and .actions_on_time == 1 and .actions_overdue == 0'
expect_json '.periods[0] | .recurrence_rate == 0 and .fix_efficacy == 1'
expect_json '.periods[0].feedback == {"count":1,"clarity":2,"usefulness":3,"time_efficiency":1}'
# November: nothing happened, but A-2 (due 11-01) is overdue at its end; the fix still holds.
expect_json '.periods[1] | .incidents == 0 and .ttd_median_s == null and .recurrence_rate == null'
expect_json '.periods[1] | .actions_overdue == 1 and .fix_efficacy == 1 and .feedback.count == 0'
# December: INC-3 recurs (bad-deploy 66 days after INC-1) after its fix was verified.
expect_json '.periods[2] | .incidents == 1 and .recurrence_rate == 1 and .fix_efficacy == 0'
# January: INC-4 (capacity) is 91 days after INC-2: outside the 90-day window.
expect_json '.periods[3] | .incidents == 1 and .recurrence_rate == 0 and .ttr_median_s == 3600'
grep -qi 'nan' "$T/out" && fail "NaN in the JSON"
expect_store_unchanged
end

begin "trends: text and Markdown show every period"
run trends
expect_rc 0
expect_out "Incident trends by month: 4 incidents, 2025-10 to 2026-03 (UTC)."
expect_out "2025-11: 0 incidents"
expect_out "time to detect       median 20m, p90 28m (2 measured)"
expect_out "fix efficacy         0.0% (0 of 1 fixed failure modes did not recur)"
run trends --format md
expect_rc 0
expect_out "# Incident trends by month"
expect_out "| 2025-10 | 2 | 0 | 1 | 1 | 0 | 0.0% | 100.0% |"
expect_out "| 2025-11 | 0 | 0 | 0 | 0 | 0 | - | 100.0% |"
expect_out "| 2025-10 | payments 1, search 1 | bad-deploy 1, capacity 1 |"
expect_no_out "![" # images only in the HTML page
end

begin "trends --format html: one well-formed page with four accessible charts"
snapshot
run trends --format html --out "$T/trends.html"
expect_rc 0
xmllint --noout "$T/trends.html" 2>/dev/null || fail "the page does not parse as XML"
[ "$(grep -o '<svg ' "$T/trends.html" | wc -l)" -eq 4 ] || fail "not 4 inline charts"
[ "$(grep -o 'role="img"' "$T/trends.html" | wc -l)" -eq 4 ] || fail "a chart without role=img"
grep -qF '<title id="trends-severity-title">Incidents per month by severity</title>' \
    "$T/trends.html" || fail "no severity chart title"
grep -qF 'Median time to detect, mitigate and resolve per month' "$T/trends.html" ||
    fail "no durations chart"
grep -qF 'stroke-dasharray' "$T/trends.html" || fail "no dashed line"
grep -qF '<pattern id="trends-modes-pat-1"' "$T/trends.html" || fail "no fill patterns"
grep -q '<script\|<img\|nan\|inf"' "$T/trends.html" && fail "script, image or NaN in the page"
[ -z "$(grep -o 'https\?://[^"]*' "$T/trends.html" | grep -v '^http://www.w3.org/')" ] ||
    fail "an external reference"
expect_store_unchanged
end

begin "trends --by quarter and --since/--until"
run trends --format json --by quarter
expect_rc 0
expect_json '[.periods[] | [.period, .incidents]] == [["2025-Q4",3],["2026-Q1",1]]'
expect_json '.periods[0].by_severity == {"SEV1":1,"SEV2":1,"SEV3":1,"SEV4":0}'
run trends --format json --since 2025-11-01 --until 2026-01-01T00:00:00Z
expect_rc 0
expect_json '[.periods[].period] == ["2025-11","2025-12"] and .periods[1].incidents == 1'
expect_json '.since == "2025-11-01T00:00:00Z" and .until == "2026-01-01T00:00:00Z"'
# recurrence still looks back before --since
expect_json '.periods[1].recurrence_rate == 1'
end

begin "trends: bad options are refused with a clear message"
snapshot
run trends --by week
expect_rc 1
expect_err_one_line
expect_err "--by: 'week' is not one of month, quarter"
run trends --since 2025-13-01
expect_rc 1
expect_err_one_line
expect_err "--since"
run trends --since 2026-01-01 --until 2025-01-01
expect_rc 1
expect_err "--since 2026-01-01T00:00:00Z is not before --until 2025-01-01T00:00:00Z"
run trends --format pdf
expect_rc 1
expect_err "--format: 'pdf' is not one of text, md, html, json"
run trends --since 1700-01-01
expect_rc 1
expect_err "more than 1200 months"
expect_store_unchanged
end

begin "audit --format json: findings with the records behind them"
snapshot
run audit --format json
expect_rc 0
expect_json '.postmortems == 1 and .thin_words == 20'
# impact was written in two words; the optional sections were never written, which is a
# choice, not a thin postmortem
expect_json 'any(.findings[]; .kind == "thin_section" and (.text | startswith("section '"'"'impact'"'"'")) and .count == 1 and .records == ["INC-1"] and (.text | contains("1 under 20 words")))'
expect_json 'all(.findings[]; .kind != "thin_section" or (.text | contains("'"'"'lucky'"'"'") | not))'
expect_json 'all(.findings[]; .kind != "thin_section" or (.text | contains("'"'"'summary'"'"'") | not))'
expect_json 'any(.findings[]; .kind == "no_success_criterion" and .records == ["A-2","INC-2"] and (.text | contains("capacity is tested by load tests")))'
expect_json 'any(.findings[]; .kind == "no_update" and (.text | startswith("bob: 1 open action")) and .records == ["A-2"])'
expect_json 'all(.findings[]; .kind != "no_update" or (.text | startswith("alice") | not))'
expect_json 'any(.findings[]; .kind == "postmortem_overdue" and .records == ["INC-2"])'
# INC-1's postmortem is in review: what is overdue is its follow-up review (as `due` says)
expect_json 'any(.findings[]; .kind == "postmortem_overdue" and .records == ["INC-1"] and (.text | startswith("INC-1: follow-up review overdue")))'
expect_json '[.findings[] | select(.kind == "postmortem_overdue") | .records[0]] == ["INC-2","INC-1","INC-3","INC-4"]'
expect_json '[.findings[] | select(.kind == "unused_source") | .records[0]] == ["source 2"]'
expect_json 'any(.findings[]; .kind == "unused_source" and (.text | contains("metrics_long.csv")))'
expect_json 'any(.findings[]; .kind == "feedback" and .records == ["INC-1"] and (.text | contains("too many meetings")))'
expect_store_unchanged
end

begin "audit: text and Markdown"
run audit
expect_rc 0
expect_out "Actions without a success criterion (2)"
expect_out "  - bob: 1 open action without an update for 14d or more"
expect_out "    records: A-2"
run audit --format md
expect_rc 0
expect_out "## Evidence sources never used"
expect_out "| finding | count | records |"
run audit --format md --out "$T/audit.md"
expect_rc 0
[ ! -s "$T/out" ] || fail "audit --out also wrote to stdout"
grep -q "^## Evidence sources never used" "$T/audit.md" || fail "audit --out: no Markdown in the file"
run audit --format html
expect_rc 1
expect_err "--format: 'html' is not one of text, md, json"
end

begin "trends and audit on an empty store"
export HINDSIGHT_DB="$T/empty.db"
hs init >/dev/null
run trends --format json
expect_rc 0
expect_json '.periods == []'
run trends --format html
expect_rc 0
xmllint --noout "$T/out" 2>/dev/null || fail "the empty page does not parse"
run audit --format json
expect_rc 0
expect_json '.findings == [] and .postmortems == 0'
export HINDSIGHT_DB="$T/h.db"
end
