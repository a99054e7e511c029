# t_verify.sh: hindsight verify on the generated demo week (one injected incident: android 5.2
# payments stopped converting; docs/demo-data.md): a fix done after the recovery is recovered
# with a clear incident effect; a fix done while the incident went on is not; a criterion that
# cannot be met; no criterion; not enough data yet; an unknown field or metric; unknown ids;
# verify KEY over several actions; --apply moves to verified with the figures audited, and
# without --apply the store is byte-for-byte unchanged.

at() { # at TIME MINUTES: TIME plus MINUTES, RFC 3339 UTC
    date -u -d "$1 + $2 minutes" +%Y-%m-%dT%H:%M:%SZ
}

hs init >/dev/null
demo_data --scale 2 --days 7
start=$(truth start)
end=$(truth end)
recovered=$(truth recovered_at)
during=$(at "$start" 25)
after=$(at "$recovered" 30)

# The incident is declared 15 minutes in; its actions are planned while it goes on.
export HINDSIGHT_NOW="$(at "$start" 15)"
hs incident new --title "Android payments" --severity SEV2 --started "$start" \
    --segment platform=android --segment app_version=5.2 >/dev/null
hs metric define payment_conversion \
    "(count() where event = 'purchase_completed') / (count() where event = 'payment_submitted')" >/dev/null
CONV="payment_conversion where platform = 'android'"
add() { # add TEXT CRITERION
    hs action add INC-1 "$1" --kind architecture --owner maria --due 2026-04-01T00:00:00Z \
        --success "$2" >/dev/null
}
add "Turn the new SDK off for android" "$CONV >= 0.8 over 1d"             # A-1 done after
add "Retry payments in the client" "$CONV >= 0.8 over 1h"                  # A-2 done during
hs action add INC-1 "Write the runbook" --kind process --owner maria \
    --due 2026-04-01T00:00:00Z --no-success "a document, nothing to measure" >/dev/null  # A-3
add "Alert on the segment" "count() where platfrom = 'android' > 5 over 1d" # A-4 bad field
add "Near-perfect conversion" "$CONV >= 0.99 over 1d"                      # A-5 cannot be met
add "A week without regressions" "$CONV >= 0.8 over 7d"                    # A-6 data ends first
add "Canary per segment" "$CONV >= 0.8 over 1d"                            # A-7 not done
add "Payments error budget" "metric('no_such_metric') < 0.01 over 1d"      # A-8 bad metric
HINDSIGHT_NOW="$during" hs action update A-2 --status done >/dev/null
export HINDSIGHT_NOW="$after"
hs incident update INC-1 --mitigated "$end" --resolved "$recovered" >/dev/null
for a in A-1 A-4 A-5 A-6 A-8; do hs action update $a --status done >/dev/null; done
export HINDSIGHT_NOW=2026-03-10T00:00:00Z

begin "the demo's incident is where the ground truth says, and the during time inside it"
[ "$start" = 2026-03-06T14:05:00Z ] || fail "start is $start"
[ "$during" \< "$end" ] || fail "$during is not before the mitigation at $end"
end

# One run over the incident's actions serves most cases (the model is the costly part, and the
# valgrind pass runs this file too).
run verify INC-1 --json
cp "$T/out" "$T/key.json"
act() { # act A-ID FILTER: FILTER on that action's entry of the incident run
    if ! jq -e ".actions[] | select(.id == \"$1\") | $2" "$T/key.json" >/dev/null 2>&1; then
        fail "JSON check failed for $1: $2"
    fi
}

begin "verify KEY: every action with a criterion; one action's problem does not hide the others"
expect_rc 0
expect_json '[.actions[].id] == ["A-1", "A-2", "A-4", "A-5", "A-6", "A-7", "A-8"]'
act A-4 '.verdict == null and .criterion_met == null and (.error | contains("A-4: column 15: unknown property '"'platfrom'"'"))'
act A-8 '.error | contains("no_such_metric")'
expect_json '[.actions[].applied] | all(. == false)'
end

begin "a fix done after the recovery: criterion met, recovered, the incident's effect clearly negative"
act A-1 '.criterion_met == true and .criterion_value >= 0.8 and .verdict == "recovered"'
act A-1 '.incident_effect | .point < -0.1 and .ci_high < 0 and .ci_low < .point'
act A-1 '.incident_effect | .cumulative < 0 and .cumulative_ci_high < 0'
act A-1 '.effect | .ci_low < .point and .point < .ci_high and (.point | fabs) < 0.1'
act A-1 '.effect.tost_ci_low >= -.delta and .effect.tost_ci_high <= .delta'
act A-1 '.bucket == "15m" and .p_value > 0.05 and .r2 > 0 and .applied == false'
act A-1 '.placebo_rate >= 0 and .placebo_rate <= 0.2 and .placebo.runs == 20'
act A-1 ".baseline == {\"from\": \"2026-03-02T00:00:00Z\", \"to\": \"2026-03-06T14:00:00Z\"}"
act A-1 ".post.from == \"$after\" and .incident.from == \"$start\" and .incident.to == \"$end\""
act A-1 '[.model.controls[].expr] == ["((count() where event = '"'purchase_completed'"') / (count() where event = '"'payment_submitted'"')) where platform != '"'android'"'", "((count() where event = '"'purchase_completed'"') / (count() where event = '"'payment_submitted'"')) where app_version != '"'5.2'"'"]'
end

begin "every key of the JSON is there, with null rather than NaN"
act A-1 'has("id") and has("criterion_met") and has("criterion_value") and has("criterion_reason") and has("verdict") and has("effect") and has("incident_effect") and has("p_value") and has("placebo_rate") and has("r2") and has("bucket") and has("baseline") and has("post") and has("applied")'
for k in point ci_low ci_high cumulative cumulative_ci_low cumulative_ci_high; do
    act A-1 ".effect.$k | type == \"number\""
    act A-1 ".incident_effect.$k | type == \"number\""
done
grep -qiE 'nan|inf' "$T/key.json" && fail "NaN or inf in the JSON"
end

begin "one action alone gets the same figures (deterministic)"
run verify A-1 --json
expect_rc 0
expect_json '.actions | length == 1'
[ "$(jq -S '.actions[0]' "$T/out")" = "$(jq -S '.actions[] | select(.id == "A-1")' "$T/key.json")" ] ||
    fail "verify A-1 and verify INC-1 differ on A-1"
end

begin "the text a person reads: criterion, impact, residual, placebo, verdict, narrative"
run verify A-1
expect_rc 0
expect_out "A-1  Turn the new SDK off for android  [done]"
expect_out "criterion    $CONV >= 0.8 over 1d"
expect_out "-> met"
expect_out "  incident     -0."
expect_out "  after fix    "
expect_out "pseudo-interventions in the baseline found an effect"
expect_out "level + trend + hour of day + 2 controls"
expect_out "verdict      recovered: the 90% interval"
expect_out "During the incident the metric averaged"
expect_out "clear of zero"
expect_out "within the tolerance"
end

begin "a fix done while the incident went on: not met, not recovered"
act A-2 '.criterion_met == false and .criterion_value < 0.8'
act A-2 '.verdict == "not_recovered" and .effect.ci_high < 0 and .degraded == "down"'
act A-2 ".post == {\"from\": \"$during\", \"to\": \"$(at "$during" 60)\"}"
end

begin "a criterion that cannot be met: not met, though the metric recovered"
act A-5 '.criterion_met == false and .verdict == "recovered"'
end

begin "not enough data yet: the window runs past the ingested data; an action not done yet"
act A-6 '.criterion_met == null and (.criterion_reason | contains("the ingested data ends at 2026-03-08T23:59:59"))'
act A-6 '(.criterion_value | type == "number") and .verdict != null'
act A-7 '.criterion_met == null and .verdict == null and (.criterion_reason | contains("A-7 is not done yet"))'
act A-7 '.incident_effect.ci_high < 0 and .effect == null'
end

begin "an action without a criterion says so, with no verdict"
run verify A-3 --json
expect_rc 0
expect_json '.actions[0] | .criterion_met == null and .verdict == null and .effect == null'
expect_json '.actions[0].criterion_reason == "A-3 has no success criterion: a document, nothing to measure"'
run verify A-3
expect_out "criterion    none: A-3 has no success criterion"
end

begin "an unknown field or metric: the query's error, naming the action; the store unchanged"
snapshot
run verify A-4
expect_rc 1
expect_err_one_line
expect_err "A-4: column 15: unknown property 'platfrom' (did you mean 'platform'?)"
run verify A-8 --json
expect_rc 1
expect_err "A-8: column 1: unknown metric 'no_such_metric'"
expect_store_unchanged
end

begin "unknown ids and bad options are refused"
snapshot
run verify A-99
expect_rc 1
expect_err "unknown action 'A-99'"
run verify INC-9
expect_rc 1
expect_err "unknown incident 'INC-9'"
run verify A-1 --alpha 2
expect_rc 1
expect_err "--alpha: '2' is not a level"
run verify A-1 --bucket 10s
expect_rc 1
expect_err "--bucket: '10s' is shorter than a minute"
run verify A-1 --delta -1
expect_rc 1
expect_err "--delta"
run verify
expect_rc 1
expect_store_unchanged
end

if [ -z "${UNDER_VALGRIND:-}" ]; then
begin "the text of several actions, and nothing written without --apply"
snapshot
run verify INC-1
expect_rc 0
expect_out "A-2  Retry payments in the client  [done]"
expect_out "verdict      not_recovered: the 95% interval"
expect_out "error        A-4: column 15: unknown property"
expect_store_unchanged
end

begin "another bucket on request"
run verify A-1 --json --bucket 1h
expect_rc 0
expect_json '.actions[0] | .bucket == "1h" and .incident_effect.point < 0'
end
fi

begin "too short a baseline: how much there is and how much is needed"
HINDSIGHT_NOW=2026-03-02T03:10:00Z hs incident new --title "Early" --severity SEV3 \
    --started 2026-03-02T03:00:00Z --segment platform=android >/dev/null
HINDSIGHT_NOW=2026-03-02T03:10:00Z hs action add INC-2 "Early fix" --kind process --owner a \
    --due 2026-04-01T00:00:00Z --success "$CONV >= 0.8 over 6h" >/dev/null
HINDSIGHT_NOW=2026-03-02T03:30:00Z hs incident update INC-2 --mitigated 2026-03-02T03:30:00Z >/dev/null
HINDSIGHT_NOW=2026-03-02T03:30:00Z hs action update A-9 --status done >/dev/null
run verify A-9 --json
expect_rc 0
expect_json '.actions[0] | .verdict == null and .criterion_met == true'
expect_json '.actions[0].verdict_reason | contains("too short a baseline: 3h of data before the incident (12 buckets of 15m") and contains("12 with a value); at least 6h (24 buckets with a value) are needed")'
end

begin "--apply leaves an action that did not pass as it was, and the store unchanged"
snapshot
run verify A-5 --apply --json
expect_rc 0
expect_json '.actions[0] | .applied == false and .apply_reason == "the criterion is not met" and .status == "done"'
expect_store_unchanged
end

begin "--apply: the passing action moves to verified, its figures in the audit log"
run verify A-1 --apply --json
expect_rc 0
expect_json '.actions[0] | .applied == true and .status == "verified"'
run action list INC-1 --json
expect_json '.[] | select(.id == "A-1") | .status == "verified"'
expect_json '.[] | select(.id == "A-5") | .status == "done"'
run log INC-1 --json
expect_json '[.[] | select(.record == "A-1" and .action == "status")] | last | .old == "done" and .new == "verified"'
expect_json '[.[] | select(.record == "A-1" and .action == "verify") | .field] == ["criterion", "effect", "p_value", "incident_effect", "verdict"]'
expect_json '.[] | select(.record == "A-1" and .field == "verdict") | .new | startswith("recovered")'
expect_json '.[] | select(.record == "A-1" and .field == "criterion") | .new | endswith("over 1d: met)")'
end
