# t_analyze_logs.sh: what the logs say and replays in the diagnosis of the generated demo
# incident: the injected error template is new and aligned with what moved first; replays show
# android 5.2 users who submitted a payment and never completed it; an incident without logs in
# its window says so.

export HINDSIGHT_NOW=2026-03-08T00:00:00Z
hs init >/dev/null
demo_data --with-logs --scale 2 --days 7
hs incident new --title "Android payments" --severity SEV2 --started "$(truth start)" \
    --mitigated "$(truth end)" --resolved "$(truth recovered_at)" >/dev/null
hs incident new --title "Long ago" --severity SEV3 --started 2025-01-01T10:00:00Z \
    --mitigated 2025-01-01T11:00:00Z --resolved 2025-01-01T12:00:00Z >/dev/null

begin "the injected error template is new, during the incident, aligned with what moved first"
run analyze INC-1 --json
expect_rc 0
cp "$T/out" "$T/inc1.json"
expect_json '.log_templates | length >= 1 and length <= 10'
expect_json '[.log_templates[] | select(.template | startswith("payment provider timeout"))] | length == 1'
expect_json '.log_templates[0].template == "payment provider timeout sdk=5.2 code=504 order=<*>"'
expect_json '.log_templates[0] | .new and .before == 0 and .during >= 5 and .level == "error" and .service == "payments"'
expect_json '.log_templates[0] as $t | (($t.first_seen | sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601) - (.first_moved.at | fromdateiso8601) | fabs) <= 600'
expect_json '.log_templates[0].nearest_change_point | (.lead_s | fabs) <= 600 and (.series | length) > 0'
end

begin "replays: android 5.2 users who submitted a payment and did not complete it"
cp "$T/inc1.json" "$T/out"
expect_json '.replays | length >= 1 and length <= 3'
expect_json 'all(.replays[]; .segment.platform == "android" and .segment.app_version == "5.2")'
expect_json 'all(.replays[]; (.events | length) <= 20 and any(.events[]; .event == "payment_submitted") and all(.events[]; .event != "purchase_completed"))'
expect_json 'all(.replays[].events[]; .platform == "android" and .app_version == "5.2")'
expect_json '[.replays[].user] | length == (unique | length)'
end

begin "findings cite the template and the replays; the log finding ranks below the change"
cp "$T/inc1.json" "$T/out"
expect_json '.hypotheses[0].kind == "change" and (.hypotheses[0].evidence.templates | index("payment provider timeout sdk=5.2 code=504 order=<*>")) != null'
expect_json '(.hypotheses[0].evidence.replays | length) == (.replays | length)'
expect_json '[.hypotheses[] | select(.kind == "log")] | length == 1'
expect_json '([.hypotheses[] | select(.kind == "log")][0].score) < .hypotheses[0].score'
end

begin "the plain diagnosis has readable log and replay sections"
run analyze INC-1
expect_rc 0
expect_out "What the logs say"
expect_out "payment provider timeout sdk=5.2 code=504 order=<*>"
expect_out "Replays"
expect_out "<- failed here"
end

begin "an incident without logs in its window: a note, no templates, exit 0"
run analyze INC-2 --json
expect_rc 0
expect_json '(.log_templates | length) == 0 and (.replays | length) == 0'
expect_json 'any(.not_analysed[]; startswith("logs: no log line in the incident"))'
end

begin "no log line before the start: nothing to compare with"
run analyze INC-1 --window-before 1s --window-after 1s --json
expect_rc 0
expect_json '(.log_templates | length) == 0'
expect_json 'any(.not_analysed[]; startswith("logs: no log line before"))'
end
