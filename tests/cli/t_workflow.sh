# t_workflow.sh: hypotheses with evidence, corrective actions with dependencies, priority,
# escalation; every refusal leaves the store unchanged.

hs init >/dev/null
hs incident new --title "Android checkout broken" --severity SEV2 --started 2026-03-04T14:00:00Z \
    --owner maria >/dev/null
hs incident new --title "Other" --severity SEV3 --started 2026-03-05T10:00:00Z >/dev/null
hs ingest events "$FIX/events_small.jsonl" >/dev/null

begin "hypotheses are numbered and start as proposed"
run hypothesis add INC-1 "The 5.2 release broke payments" --owner maria --likelihood 5 --impact 5
expect_rc 0
[ "$(cat "$T/out")" = "H-1" ] || fail "first hypothesis is not H-1"
run hypothesis add INC-1 "A search config change slowed checkout" --likelihood 2 --impact 3
expect_out "H-2"
run hypothesis add INC-2 "Unrelated"
expect_out "H-3"
end

begin "a query evidence keeps its result as it was"
run evidence add H-1 --query "count() where platform = 'android'" --from 2026-03-04T12:00:00Z \
    --to 2026-03-04T13:00:00Z --supports --note "all android events"
expect_rc 0
expect_out "E-1 added to H-1"
run hypothesis list INC-1 --json
expect_json '.[0].id == "H-1" and .[0].evidence[0].kind == "query" and .[0].evidence[0].stance == "supports"'
expect_json '.[0].evidence[0].result.rows[0].value == 3'
expect_json '.[0].score == 70 and .[0].score_parts.prior == 1 and .[0].score_parts.evidence_balance == 0.5'
end

begin "notes and files are evidence too; the score shows its parts"
printf 'latency looked normal\n' >"$T/graph.txt"
run evidence add H-2 --file "$T/graph.txt" --refutes --note "search dashboard"
expect_rc 0
run evidence add H-2 --note "search p99 normal" --refutes
expect_rc 0
run hypothesis list INC-1 --json
expect_json '.[1].id == "H-2" and (.[1].evidence | length) == 2 and .[1].score_parts.refuting == 1.25'
expect_json '.[1].evidence[0].file.name == "graph.txt" and .[1].evidence[0].file.bytes == 22'
run hypothesis list INC-1
expect_out "score = 40 x prior 1.00"
expect_out "- E-3 note  search p99 normal"
end

begin "refuting needs refuting evidence or a note; confirming one does not close others"
run hypothesis update H-3 --status refuted
expect_rc 1
expect_err "cannot refute H-3 without refuting evidence or a note"
run hypothesis update H-3 --status refuted --note "ruled out by the deploy log"
expect_rc 0
run hypothesis update H-1 --status confirmed
expect_rc 0
run hypothesis update H-2 --status testing --owner dana
expect_out "H-2 updated (2 changes)"
run hypothesis list INC-1 --json
expect_json '.[0].status == "confirmed" and .[1].status == "testing" and .[1].owner == "dana"'
end

begin "refuted hypotheses rank last"
run hypothesis update H-2 --status refuted
expect_rc 0
run hypothesis add INC-1 "Low-rated idea" --likelihood 1 --impact 1
run hypothesis list INC-1 --json
expect_json '.[-1].id == "H-2" and .[-1].status == "refuted"'
end

begin "actions: priority from recurrence x severity / effort, defaults from the incident"
run action add INC-1 "Roll back the SDK" --kind architecture --owner tomas --due 2026-03-08T00:00:00Z \
    --mitigates H-1 --success "count() where event = 'purchase_completed' >= 100 over 7d" \
    --recurrence 4 --effort 1
expect_rc 0
[ "$(cat "$T/out")" = "A-1" ] || fail "first action is not A-1"
run action add INC-1 "Canary per segment" --kind process --owner tomas --due 2026-03-20T00:00:00Z \
    --success "metric('http_error_rate') < 0.01 over 7d" --effort 4 --depends-on A-1
expect_out "A-2"
run action add INC-1 "Alert on segment conversion" --kind monitoring --owner maria \
    --due 2026-03-14T00:00:00Z --no-success "shows in the next detection time" --depends-on A-2
expect_out "A-3"
run action list INC-1 --json
expect_json '.[0].id == "A-1" and .[0].priority == 16 and .[0].priority_label == "P1" and .[0].severity == 4'
expect_json '.[1].id == "A-3" and .[1].blocked == true and .[1].depends_on == ["A-2"]'
expect_json '.[2].id == "A-2" and .[2].priority == 3 and .[2].priority_label == "P3"'
expect_json '.[0].mitigates == "H-1" and (.[0].success | startswith("count() where event"))'
expect_json '.[1].no_success_reason == "shows in the next detection time"'
end

begin "the dependency graph shows what is blocked and the critical path"
run action graph INC-1
expect_rc 0
expect_out "waits for A-2 (todo)"
expect_out "critical path: A-1 -> A-2 -> A-3 (effort 8)"
run action graph INC-1 --json
expect_json '.critical_path.actions == ["A-1", "A-2", "A-3"] and .critical_path.effort == 8'
end

begin "done needs dependencies closed; progress notes count as updates"
run action update A-2 --status done
expect_rc 1
expect_err "cannot mark A-2 done: it depends on A-1, which is todo"
run action update A-1 --status doing --note "rollback started"
expect_rc 0
expect_out "A-1 updated (2 changes)"
run action update A-1 --status done
expect_rc 0
run action update A-2 --status done
expect_rc 0
run action graph INC-1 --json
expect_json '.critical_path.actions == ["A-3"] and .critical_path.effort == 3'
run log INC-1 --json
expect_json 'any(.[]; .record == "A-1" and .field == "progress" and .new == "rollback started")'
expect_json 'any(.[]; .record == "A-1" and .field == "status" and .old == "doing" and .new == "done")'
end

begin "overdue, stalled and escalated follow the policy and the teams"
hs team add payments --lead lena --escalation cto-office >/dev/null
hs person add maria --team payments >/dev/null
HINDSIGHT_NOW=2026-03-16T00:00:00Z run action list --overdue --json
expect_json 'length == 1 and .[0].id == "A-3" and .[0].overdue == true and .[0].escalation_level == 0'
HINDSIGHT_NOW=2026-03-22T00:00:01Z run escalations --json
expect_json 'length == 1 and .[0].escalation_level == 1 and .[0].escalated_to == "lena"'
HINDSIGHT_NOW=2026-04-05T00:00:01Z run escalations --json
expect_json '.[0].escalation_level == 2 and .[0].escalated_to == "cto-office"'
HINDSIGHT_NOW=2026-03-22T00:00:01Z run action list --stalled --json
expect_json 'length == 1 and .[0].id == "A-3" and .[0].stalled == true'
run config set actions.stalled_after 3d
HINDSIGHT_NOW=2026-03-11T00:00:00Z run action list --stalled --json
expect_json 'length == 1'
run action list --owner tomas --json
expect_json 'length == 2 and all(.[]; .owner == "tomas")'
end

begin "verified needs done; wontfix needs a reason; reopening works"
run action update A-3 --status verified
expect_rc 1
expect_err "cannot mark A-3 verified: it is todo"
run action update A-3 --status wontfix
expect_rc 1
expect_err "wontfix needs --reason"
run action update A-3 --status wontfix --reason "covered by A-2's canary alerts"
expect_rc 0
run action update A-3 --status todo
expect_rc 0
run action update A-1 --status verified
expect_rc 0
end

refused_wf() {
    msg=$1
    shift
    begin "refused: $msg"
    snapshot
    run "$@"
    expect_rc 1
    expect_err_one_line
    expect_err "$msg"
    expect_store_unchanged
    end
}

refused_wf "unknown hypothesis 'H-99'" hypothesis update H-99 --status testing
refused_wf "invalid hypothesis id 'X-1'" evidence add X-1 --note n --supports
refused_wf "--likelihood: expected a whole number from 1 to 5, got '7'" hypothesis add INC-1 "x" --likelihood 7
refused_wf "unknown hypothesis status 'maybe'" hypothesis update H-1 --status maybe
refused_wf "say whether it --supports or --refutes" evidence add H-1 --note "n"
refused_wf "give one of --query, --note or --file" evidence add H-1 --query "count()" --file /etc/hostname --supports
refused_wf "--query: column 15: unknown property" evidence add H-1 --query "count() where platfrom = 'x'" --from 2026-03-04 --to 2026-03-05 --supports
refused_wf "--file: cannot open" evidence add H-1 --file "$T/none" --supports
refused_wf "give --success \"EXPR <op> VALUE over WINDOW\" or --no-success REASON" action add INC-1 "x" --kind process --owner a --due 2026-04-01T00:00:00Z
refused_wf "--due: 2026-03-01T00:00:00Z is not in the future" action add INC-1 "x" --kind process --owner a --due 2026-03-01T00:00:00Z --no-success r
refused_wf "unknown action kind 'cleanup'" action add INC-1 "x" --kind cleanup --owner a --due 2026-04-01T00:00:00Z --no-success r
refused_wf "--owner is required" action add INC-1 "x" --kind process --due 2026-04-01T00:00:00Z --no-success r
refused_wf "missing a comparison" action add INC-1 "x" --kind process --owner a --due 2026-04-01T00:00:00Z --success "count() over 7d"
refused_wf "missing 'over WINDOW'" action add INC-1 "x" --kind process --owner a --due 2026-04-01T00:00:00Z --success "count() > 5"
refused_wf "--success: column 1: unknown metric 'nosuch'" action add INC-1 "x" --kind process --owner a --due 2026-04-01T00:00:00Z --success "nosuch > 5 over 7d"
refused_wf "--mitigates: H-3 belongs to another incident" action add INC-1 "x" --kind process --owner a --due 2026-04-01T00:00:00Z --no-success r --mitigates H-3
refused_wf "--depends-on: no action 'A-9' in this incident" action add INC-1 "x" --kind process --owner a --due 2026-04-01T00:00:00Z --no-success r --depends-on A-9
refused_wf "A-1 cannot depend on A-3: that would close the cycle A-1 -> A-3 -> A-2 -> A-1" action update A-1 --depends-on A-3
refused_wf "A-2 cannot depend on itself" action update A-2 --depends-on A-2
refused_wf "unknown action 'A-42'" action update A-42 --note x
refused_wf "unknown team 'search'" person add bob --team search
refused_wf "--lead is required" team add search

# The postmortem document, templates, the checklist and what they gate.

begin "postmortem show lists the template's sections and what each must answer"
run postmortem INC-1 show
expect_rc 0
expect_out "# Postmortem of INC-1 (template default)"
expect_out "## Summary (required)"
expect_out "_Not written yet. What happened, in two or three plain sentences"
run postmortem INC-1 edit summary --text "Android 5.2 users could not pay for 86 minutes."
expect_rc 0
expect_out "INC-1: section summary written"
printf 'Release 5.2-build41 of the payments SDK.\nConfirmed by H-1.\n' >"$T/rc.md"
run postmortem INC-1 edit root-causes --file "$T/rc.md"
expect_rc 0
run postmortem INC-1 show --json
expect_json '.template == "default" and (.sections | length) == 13'
expect_json '.sections[0].id == "summary" and .sections[0].text == "Android 5.2 users could not pay for 86 minutes." and .sections[0].author == "tester"'
expect_json '(.sections[] | select(.id == "root-causes") | .text) == "Release 5.2-build41 of the payments SDK.\nConfirmed by H-1.\n"'
run log INC-1 --json
expect_json 'any(.[]; .record == "INC-1 postmortem" and .field == "summary")'
end

begin "custom templates: add, list, show, use"
cat >"$T/tmpl.txt" <<'TMPL'
# a short template for small incidents
name: short
description: Three questions

[what] What happened (required)
In one paragraph.

[why] Why (required)
The cause, with the data behind it.

[next] What next
TMPL
run template add "$T/tmpl.txt"
expect_rc 0
expect_out "template short stored"
run template list
expect_out "default"
expect_out "short            3 sections  Three questions"
run template show short
expect_out "[what] What happened (required)"
run postmortem INC-2 use short
expect_rc 0
run postmortem INC-2 show --json
expect_json '.template == "short" and (.sections | map(.id)) == ["what", "why", "next"]'
end

begin "the checklist says what each stage misses and marks a stage only when it holds"
run checklist INC-1 --json
expect_rc 0
expect_json 'length == 5 and .[0].stage == "data-access" and .[0].ready == true and .[0].done == false'
expect_json '.[1].stage == "hypothesis-validation" and .[1].ready == true'
expect_json '.[2].stage == "implementation" and .[2].ready == false and (.[2].missing | contains("A-3 (todo)"))'
expect_json '.[4].stage == "post-implementation-review" and (.[4].missing | contains("A-2 (done)"))'
run checklist INC-1 done implementation
expect_rc 1
expect_err "cannot mark INC-1's implementation done: actions not done: A-3 (todo)"
run checklist INC-1 done data-access
expect_rc 0
expect_out "INC-1: data-access done"
run checklist INC-1
expect_out "[x] data-access"
expect_out "[ ] implementation              missing: actions not done: A-3 (todo)"
end

begin "an incident completes once every stage is done"
for s in impact timeline detection resolution action-items lessons-learned; do
    hs postmortem INC-1 edit $s --text "the $s" >/dev/null
done
hs incident update INC-1 --mitigated 2026-03-04T14:50:00Z --resolved 2026-03-04T15:20:00Z >/dev/null
hs incident update INC-1 --status postmortem >/dev/null
run incident update INC-1 --status review
expect_rc 0
hs action update A-3 --status wontfix --reason "covered by the canary alerts" >/dev/null
hs action update A-2 --status verified >/dev/null
for s in hypothesis-validation implementation monitoring post-implementation-review; do
    run checklist INC-1 done $s
    expect_rc 0
done
run incident update INC-1 --status complete
expect_rc 0
expect_out "status complete"
end

begin "due lists overdue postmortems and pending follow-up reviews"
hs incident update INC-2 --mitigated 2026-03-05T11:00:00Z --resolved 2026-03-05T12:00:00Z >/dev/null
run due --json
expect_rc 0
expect_json 'length == 1 and .[0].key == "INC-2" and .[0].what == "postmortem" and .[0].overdue == false'
HINDSIGHT_NOW=2026-03-09T00:00:00Z run due
expect_out "INC-2    postmortem        due 2026-03-08T12:00:00Z (overdue by 12h)"
hs incident new --title "Reviewed long ago" --severity SEV4 --started 2026-01-01T00:00:00Z \
    --mitigated 2026-01-01T01:00:00Z --resolved 2026-01-01T02:00:00Z >/dev/null
hs incident update INC-3 --status postmortem >/dev/null
hs postmortem INC-3 use short >/dev/null
hs postmortem INC-3 edit what --text "x" >/dev/null
hs postmortem INC-3 edit why --text "y" >/dev/null
hs incident update INC-3 --status review >/dev/null
run due --json
expect_json 'any(.[]; .key == "INC-3" and .what == "follow-up review" and .overdue == true and .due_at == "2026-02-03T02:00:00Z")'
run due --within 1h --json
expect_json 'all(.[]; .overdue == true)'
end

begin "decisions and feedback are recorded and audited"
run decide INC-1 "Freeze SDK upgrades on Android until canaries exist"
expect_rc 0
expect_out "decision 1 recorded"
run feedback INC-1 --clarity 4 --usefulness 5 --time-efficiency 3 --comment "timeline took long"
expect_rc 0
expect_out "feedback 1 recorded"
run log INC-1 --json
expect_json 'any(.[]; .action == "decide" and .new == "Freeze SDK upgrades on Android until canaries exist")'
expect_json 'any(.[]; .action == "feedback" and .new == "clarity 4, usefulness 5, time efficiency 3")'
end

refused_wf "template 'default' has no section 'summry' (sections: summary, impact" postmortem INC-1 edit summry --text x
refused_wf "give the section's text with --text T or --file F" postmortem INC-1 edit summary
refused_wf "unknown template 'long'" postmortem INC-1 use long
refused_wf "unknown checklist stage 'testing'" checklist INC-1 done testing
refused_wf "--clarity: expected a whole number from 1 to 5, got '9'" feedback INC-1 --clarity 9 --usefulness 1 --time-efficiency 1
refused_wf "--usefulness 1-5 is required" feedback INC-1 --clarity 3 --time-efficiency 1
refused_wf "the decision must not be empty" decide INC-1 ""
printf 'name: bad name\n[x] X\n' >"$T/bad.tmpl"
refused_wf "$T/bad.tmpl:1: the name may hold only a-z" template add "$T/bad.tmpl"
printf 'name: dup\n[a] A\n[a] Again\n' >"$T/dup.tmpl"
refused_wf "$T/dup.tmpl:3: section 'a' is defined twice" template add "$T/dup.tmpl"
printf 'name: default\n[a] A\n' >"$T/def.tmpl"
refused_wf "the name 'default' is the built-in template's" template add "$T/def.tmpl"

begin "experiments: a rate gets a two-proportion z-test, an average Welch's t-test"
W2="--from 2026-03-04T12:00:00Z --to 2026-03-04T13:00:00Z"
run experiment add INC-1 "android vs web: purchases per view" \
    --metric "(count() where event = 'purchase_completed') / (count() where event = 'product_viewed')" \
    --control "platform = 'web'" --treatment "platform = 'android'" $W2 --json
expect_rc 0
expect_json '.kind == "rate" and .test == "two-proportion z-test" and .control.successes == 1 and .control.trials == 2'
expect_json '.treatment.successes == 1 and .treatment.trials == 1 and .effect == 0.5 and .id == 1'
run experiment add INC-1 "android vs web latency" --metric "avg(latency_ms)" \
    --control "platform = 'web'" --treatment "platform = 'android'" $W2 --json
expect_rc 0
expect_json '.kind == "mean" and .test == "Welch'"'"'s t-test" and .control.n == 4 and .treatment.n == 3'
expect_json '.control.mean == 295 and .treatment.mean == 200 and .effect == -95 and .valid == true'
expect_json '.df > 3 and .p_value > 0.05 and .significant == false and (.ci95 | length) == 2'
run experiment list INC-1 --json
expect_json 'length == 2 and .[1].result.kind == "mean"'
run experiment list INC-1
expect_out "Welch's t-test: p = "
expect_out "not significant at 5%"
run log INC-1 --json
expect_json 'any(.[]; .action == "experiment" and .field == "android vs web latency")'
end

refused_wf "an experiment compares a rate" experiment add INC-1 "x" --metric "sum(revenue)" --control "platform = 'web'" --treatment "platform = 'ios'" --from 2026-03-04 --to 2026-03-05
refused_wf "--treatment: column 1: unknown property 'platfrm'" experiment add INC-1 "x" --metric "avg(latency_ms)" --control "platform = 'web'" --treatment "platfrm = 'ios'" --from 2026-03-04 --to 2026-03-05
refused_wf "--control 'CONDITION' is required" experiment add INC-1 "x" --metric "avg(latency_ms)" --treatment "platform = 'ios'" --from 2026-03-04 --to 2026-03-05
