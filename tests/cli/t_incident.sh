# t_incident.sh: the incident record end to end: create, update through the lifecycle, show,
# list with filters, timeline, audit log, settings.

hs init >/dev/null

begin "incident new prints sequential keys"
run incident new --title "Checkout errors on Android" --severity SEV2 \
    --started 2026-03-04T15:02:00+01:00 --detected 2026-03-04T14:09:00Z \
    --service checkout --service payments --tag failure-mode:bad-deploy \
    --tag service:checkout --segment platform=android --signal "checkout-5xx@2026-03-04T14:07:30Z" \
    --owner bob --affected-users 12400 --summary "Android 5.2 users could not pay."
expect_rc 0
[ "$(cat "$T/out")" = "INC-1" ] || fail "first key is not INC-1"
run incident new --title "Search latency" --severity sev3 --started 2026-03-05T10:00:00Z
expect_rc 0
[ "$(cat "$T/out")" = "INC-2" ] || fail "second key is not INC-2"
end

begin "times are stored as UTC and derived figures computed"
run incident show INC-1 --json
expect_rc 0
expect_json '.key == "INC-1" and .started_at == "2026-03-04T14:02:00Z" and .detected_at == "2026-03-04T14:09:00Z"'
expect_json '.time_to_detect_s == 420 and .time_to_resolve_s == null and .resolved_at == null'
expect_json '.severity == "SEV2" and .status == "open" and .postmortem_due_at == null'
expect_json '.tags == ["failure-mode:bad-deploy", "service:checkout"] and .services == ["checkout", "payments"]'
expect_json '.impact.affected_users == 12400 and .impact.affected_segments == ["platform=android"]'
expect_json '.signals[0].name == "checkout-5xx" and .signals[0].at == "2026-03-04T14:07:30Z"'
end

begin "a mitigated time moves open to mitigated; a resolved time moves it to resolved"
run incident update INC-1 --acknowledged 2026-03-04T14:12:00Z --mitigated 2026-03-04T14:50:00Z
expect_rc 0
expect_out "INC-1 updated (3 fields changed; status mitigated)"
run incident update inc-1 --resolved 2026-03-04T15:22:00Z --json
expect_rc 0
expect_json '.status == "resolved" and .time_to_mitigate_s == 2880 and .time_to_resolve_s == 4800'
expect_json '.postmortem_due_at == "2026-03-06T15:22:00Z" and .review_due_at == "2026-04-05T15:22:00Z"'
expect_json '.postmortem_overdue == false'
end

begin "the postmortem is overdue after its due time (HINDSIGHT_NOW)"
HINDSIGHT_NOW=2026-03-07T09:00:00Z run incident show INC-1 --json
expect_json '.postmortem_overdue == true'
HINDSIGHT_NOW=2026-03-07T09:00:00Z run incident list --overdue
expect_out "INC-1"
expect_out "overdue by 17h 38m"
expect_no_out "INC-2"
run incident list --overdue
expect_out "no incidents"
end

begin "the due interval is configurable per severity"
run config set postmortem.due.sev2 12h
expect_rc 0
expect_out "postmortem.due.sev2 = 12h"
run incident show INC-1 --json
expect_json '.postmortem_due_at == "2026-03-05T03:22:00Z" and .postmortem_overdue == true'
run config unset postmortem.due.sev2
expect_out "postmortem.due.sev2 = 48h (default)"
run config list
expect_out "review.after"
end

begin "status walks the lifecycle; review needs the required sections, complete the checklist"
run incident update INC-1 --status postmortem
expect_rc 0
expect_out "status postmortem"
run incident update INC-1 --status review
expect_rc 1
expect_err "cannot move INC-1 to review: required sections not written: summary, impact"
for s in summary impact timeline root-causes detection resolution action-items lessons-learned; do
    hs postmortem INC-1 edit $s --text "the $s" >/dev/null
done
run incident update INC-1 --status review
expect_rc 0
expect_out "status review"
run incident update INC-1 --status complete
expect_rc 1
expect_err "cannot complete INC-1: checklist stages not done: data-access"
end

begin "a reopen clears mitigated and resolved and counts"
run incident update INC-1 --status reopened --json
expect_rc 0
expect_json '.status == "open" and .reopen_count == 1 and .mitigated_at == null and .resolved_at == null'
run incident update INC-1 --status mitigated --json
expect_json '.status == "mitigated" and .mitigated_at == "2026-03-06T09:00:00Z"'
end

begin "list filters by status, severity, tag, service, time and text"
run incident list --json
expect_json 'length == 2 and .[0].key == "INC-2" and .[1].key == "INC-1"'
run incident list --status mitigated --json
expect_json 'length == 1 and .[0].key == "INC-1"'
run incident list --severity SEV3 --json
expect_json 'length == 1 and .[0].key == "INC-2"'
run incident list --tag failure-mode:bad-deploy --json
expect_json 'length == 1 and .[0].key == "INC-1"'
run incident list --service payments --json
expect_json 'length == 1'
run incident list --since 2026-03-05 --json
expect_json 'length == 1 and .[0].key == "INC-2"'
run incident list --until 2026-03-05T00:00:00Z --json
expect_json 'length == 1 and .[0].key == "INC-1"'
run incident list --search "ANDROID" --json
expect_json 'length == 1 and .[0].key == "INC-1"'
run incident list --search "could not pay" --json
expect_json 'length == 1'
run incident list --status complete
expect_out "no incidents"
end

begin "lists can be edited and fields cleared"
run incident update INC-2 --tag service:search --service search --owner carol --json
expect_json '.tags == ["service:search"] and .owner == "carol"'
run incident update INC-2 --remove-tag service:search --clear owner --json
expect_json '.tags == [] and .owner == null'
end

begin "timeline entries are kept in time order"
run timeline add INC-1 --at 2026-03-04T14:50:00Z --kind response "Flag payments.new_sdk off"
expect_rc 0
expect_out "added timeline entry 1"
run timeline add INC-1 --at 2026-03-04T13:58:00Z --kind change "Release 5.2-build41 to android"
expect_rc 0
run timeline INC-1 --json
expect_json 'length == 2 and .[0].kind == "change" and .[1].text == "Flag payments.new_sdk off"'
expect_json '.[0].author == "tester"'
run incident show INC-1
expect_out "Release 5.2-build41 to android"
expect_out "time to detect 7m"
end

begin "the log says who changed what from what to what"
run log INC-1 --json
expect_rc 0
expect_json 'map(select(.field == "status")) | length >= 5'
expect_json 'any(.[]; .field == "status" and .old == "open" and .new == "mitigated" and .actor == "tester")'
expect_json 'any(.[]; .action == "reopen" and .old == "review" and .new == "open")'
expect_json 'any(.[]; .record == "INC-1 postmortem" and .action == "write" and .field == "summary")'
expect_json 'any(.[]; .action == "create" and .field == "title" and .new == "Checkout errors on Android")'
expect_json 'any(.[]; .field == "timeline" and .action == "add")'
HINDSIGHT_USER=dana run incident update INC-2 --title "Search latency p99 over 2s"
run log INC-2
expect_out "dana"
expect_out "title: Search latency -> Search latency p99 over 2s"
run log --json
expect_json 'any(.[]; .record == "config" and .field == "postmortem.due.sev2" and .new == "12h")'
end

begin "an update that changes nothing writes nothing"
snapshot
run incident update INC-2 --title "Search latency p99 over 2s"
expect_rc 0
expect_out "INC-2 unchanged"
expect_store_unchanged
end
