# t_analyze.sh: the automatic diagnosis on the generated demo incident; findings become
# hypotheses; an incident without evidence; a bad key.

export HINDSIGHT_NOW=2026-03-08T00:00:00Z
hs init >/dev/null
demo_data --scale 2 --days 7
hs incident new --title "Android payments" --severity SEV2 --started "$(truth start)" \
    --mitigated "$(truth end)" --resolved "$(truth recovered_at)" >/dev/null
hs incident new --title "Nothing there" --severity SEV3 --started 2025-01-01T10:00:00Z >/dev/null

begin "analyze finds the broken step, the segment, the change and what moved first"
run analyze INC-1 --json
expect_rc 0
# later blocks check other parts of this same diagnosis (a run of analyze is the costly step
# of this file, most of all under valgrind)
cp "$T/out" "$T/inc1.json"
expect_json '.funnel.broken_step.from == "payment_submitted" and .funnel.broken_step.to == "purchase_completed"'
expect_json '[.root_causes[].segment | select(.platform == "android" and .app_version == "5.2")] | length >= 1'
expect_json '.changes[0].id == "chg-22"'
expect_json '((.first_moved.at | fromdateiso8601) - ("2026-03-06T14:05:00Z" | fromdateiso8601) | fabs) <= 1800'
expect_json '.hypotheses[0].id == "F-1" and (.hypotheses[0].text | contains("chg-22"))'
[ "$(sqlite3 "$HINDSIGHT_DB" 'SELECT count(*) FROM findings')" -ge 1 ] || fail "no findings stored"
end

begin "a finding becomes a hypothesis, linked in the audit log"
text=$(jq -r '.hypotheses[0].text' "$T/out")
run hypothesis accept INC-1 F-1
expect_rc 0
[ "$(cat "$T/out")" = "H-1" ] || fail "not H-1"
run hypothesis list INC-1 --json
expect_json ".[0].id == \"H-1\" and .[0].text == $(printf '%s' "$text" | jq -R .)"
run log INC-1
expect_out "F-1"
run hypothesis accept INC-1 F-99
expect_rc 1
expect_err "unknown finding 'F-99'"
end

begin "a metric that strays is localised over its labels: payments, in both regions"
cp "$T/inc1.json" "$T/out"
expect_json '[.root_causes[] | select(.metric == "http_error_rate")] == [{"metric": "http_error_rate", "segment": {"service": "payments"}, "explained_share": ([.root_causes[] | select(.metric == "http_error_rate")][0].explained_share), "direction": "up"}]'
expect_json '[.root_causes[] | select(.metric == "http_error_rate")][0].explained_share > 0.9'
expect_json '[.root_causes[] | select(.metric == "latency_p99_ms") | .segment] == [{"service": "payments"}]'
# traffic did not stray: nothing to localise
expect_json '[.root_causes[] | select(.metric == "http_requests_total")] == []'
# the step's cause comes first, then the metrics'
expect_json '.root_causes[0].metric == "payment_submitted -> purchase_completed" and (.root_causes[0] | has("direction") | not)'
end

begin "--history: whole days from 1d to 35d; weeks first from 14d, days where weeks are missing"
run analyze INC-1 --history 14d --json
expect_rc 0
expect_json '.changes[0].id == "chg-22" and (.hypotheses[0].text | contains("chg-22"))'
run analyze INC-1 --history 36d
expect_rc 1
expect_err "--history: '36d' is not a whole number of days from 1d to 35d"
run analyze INC-1 --history 36h
expect_rc 1
expect_err "--history: '36h' is not a whole number of days"
run analyze INC-1 --history soon
expect_rc 1
expect_err "--history: "
end

begin "the plain diagnosis is readable"
run analyze INC-1
expect_rc 0
expect_out "<- broken"
expect_out "F-1"
expect_out "service=payments  explains"
expect_out "of the rise of http_error_rate"
end

begin "an incident without evidence: empty sections and why, exit 0"
run analyze INC-2 --json
expect_rc 0
expect_json '.funnel.broken_step == null and (.root_causes | length) == 0 and (.hypotheses | length) == 0'
expect_json '(.not_analysed | length) >= 1'
end

begin "a bad key is refused"
snapshot
run analyze INC-9
expect_rc 1
expect_err "INC-9"
expect_store_unchanged
end

begin "baselines from the previous days, and change points from both methods"
cp "$T/inc1.json" "$T/out"
expect_json '[.baselines[] | select(.series == "latency_p99_ms")][0] | .baseline == "previous days" and .observed > 1.5 * .expected and .z_max > 5'
expect_json '[.baselines[] | select(.series == "http_requests_total")][0] | (.observed / .expected) > 0.8 and (.observed / .expected) < 1.25'
expect_json '[.change_points[] | select(.method == "both" and .series == "http_error_rate")] | length >= 1'
expect_json '[.change_points[].method] - ["pelt", "bocpd", "both"] | length == 0'
end

begin "a step that broke in one segment only is found by the corrected segment test"
# The first 25 minutes: too few payments for the total conversion to drop significantly.
hs incident new --title "Early window" --severity SEV2 --started 2026-03-06T14:05:00Z \
    --mitigated 2026-03-06T14:30:00Z --resolved 2026-03-06T15:34:40Z >/dev/null
run analyze INC-3 --json
expect_rc 0
expect_json '.funnel.broken_step.test == "segment" and .funnel.broken_step.from == "payment_submitted"'
expect_json '.funnel.broken_step.segment.app_version == "5.2" or .funnel.broken_step.segment.platform == "android"'
expect_json '.funnel.broken_step.z >= .funnel.broken_step.z_critical and .funnel.broken_step.z_critical > 3'
# the tested segment is the root cause, named with the dimension it implies (5.2 is android's)
expect_json 'any(.not_analysed[]; contains("the segment is the one the segment-level funnel test found"))'
expect_json '.root_causes[0].segment == {"app_version": "5.2", "platform": "android"}'
run analyze INC-3
expect_out "<- broken in "
expect_out "corrected for every segment tested"
end

begin "a saved metric that strays is localised over the event dimensions when it is a count or a ratio"
hs metric define slow_payments "count() where event = 'payment_submitted' and latency_ms > 1200" >/dev/null
hs metric define android_failed "(count() where event = 'payment_submitted' and platform = 'android') - (count() where event = 'purchase_completed' and platform = 'android')" >/dev/null
# a ratio: its value per minute strays less than 6 deviations, the incident as a whole more
hs metric define slow_share "100 * (count() where event = 'payment_submitted' and latency_ms > 1200) / (count() where event = 'payment_submitted')" >/dev/null
run analyze INC-1 --json
expect_rc 0
expect_json '[.baselines[] | select(.series == "slow_payments")][0].z_max >= 6'
expect_json '[.root_causes[] | select(.metric == "slow_payments")][0] | .segment.app_version == "5.2" and .direction == "up" and .explained_share > 0.5'
expect_json '[.baselines[] | select(.series == "slow_share")][0].z_max < 6'
# named with the dimension its segment implies, as the broken step's
expect_json '[.root_causes[] | select(.metric == "slow_share")][0] | .segment == {"app_version": "5.2", "platform": "android"} and .direction == "up" and .explained_share > 0.5'
# its 10-minute bucket [14:00, 14:10) holds the start; the one-minute error rate at 14:05 moved first
expect_json 'any(.change_points[]; .series == "slow_share" and .at == "2026-03-06T14:00:00Z")'
expect_json '.first_moved.series == "http_error_rate" and .first_moved.at == "2026-03-06T14:05:00Z"'
# a difference of counts is not additive over segments: a note, no made-up split
expect_json '[.root_causes[] | select(.metric == "android_failed")] == []'
expect_json 'any(.not_analysed[]; contains("android_failed strays but is not a count, a sum or a ratio of those"))'
end
