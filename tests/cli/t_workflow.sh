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
