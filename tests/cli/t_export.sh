# t_export.sh: hindsight export / import: a rich incident goes to another store and comes back
# as the same document (except the fields docs/export.md names); key conflicts, --new-key,
# other versions, broken and wrong-typed documents, tampered files, conflicting teams; every
# refusal leaves the store byte-for-byte unchanged.

# The source store: an unrelated incident first, so that the rich one (INC-2) has hypotheses,
# actions and evidence whose store ids differ from their numbers in the record.
hs init >/dev/null
hs incident new --title "Earlier" --severity SEV4 --started 2026-02-01T10:00:00Z >/dev/null
hs hypothesis add INC-1 "Unrelated cause" >/dev/null
hs action add INC-1 "Unrelated fix" --kind process --owner ops --due 2026-04-01T00:00:00Z \
    --no-success "n/a" >/dev/null
hs ingest events "$FIX/events_small.jsonl" >/dev/null
TAB=$(printf '\t')
TITLE='Checkout <b>"broken"</b> & <script>x</script> | \ on Android — ünïcødé'
hs incident new --title "$TITLE" --severity SEV2 --started 2026-03-04T12:00:00Z \
    --detected 2026-03-04T12:05:00.250Z --owner maria --service payments --service checkout \
    --tag failure-mode:bad-deploy --segment platform=android --signal "error rate@2026-03-04T12:03:00Z" \
    --summary "Android 5.2 users could not pay.
Second line with a${TAB}tab." --affected-users 120 --revenue-lost 1234.5 \
    --support-tickets 7 >/dev/null
hs incident update INC-2 --mitigated 2026-03-04T12:50:00Z --resolved 2026-03-04T13:00:00Z \
    --acknowledged 2026-03-04T12:06:00Z >/dev/null
hs timeline add INC-2 --at 2026-03-04T12:03:00Z --kind signal "alerts | fired <i>now</i>" >/dev/null
hs timeline add INC-2 --at 2026-03-04T12:40:00Z --kind response "rolled back
in two${TAB}steps" >/dev/null
cat >"$T/short.tmpl" <<'TMPL'
name: short
description: Three questions
[what] What happened (required)
In one paragraph.
[why] Why (required)
[next] What next
TMPL
hs template add "$T/short.tmpl" >/dev/null
hs postmortem INC-2 use short >/dev/null
hs postmortem INC-2 edit what --text "# Not a heading
| a | table |
<img src=x onerror=alert(1)>" >/dev/null
hs hypothesis add INC-2 "The 5.2 release broke payments" --owner maria --likelihood 5 \
    --impact 5 >/dev/null
hs hypothesis add INC-2 "A search config change" --likelihood 2 --impact 3 >/dev/null
hs evidence add H-2 --query "count() where platform = 'android'" --from 2026-03-04T12:00:00Z \
    --to 2026-03-04T13:00:00Z --supports --note "all android events" >/dev/null
printf 'latency looked normal\n\001binary\377\n' >"$T/graph.txt"
hs evidence add H-3 --file "$T/graph.txt" --refutes --note "search dashboard" >/dev/null
: >"$T/empty.txt"
hs evidence add H-3 --file "$T/empty.txt" --refutes >/dev/null
hs evidence add H-3 --note "search p99 normal" --refutes >/dev/null
hs hypothesis update H-3 --status refuted >/dev/null
hs hypothesis update H-2 --status confirmed >/dev/null
hs action add INC-2 "Canary per segment" --kind process --owner tomas --due 2026-03-20T00:00:00Z \
    --no-success "a process change" >/dev/null
hs action add INC-2 "Roll back the SDK" --kind architecture --owner maria \
    --due 2026-03-08T00:00:00Z --mitigates H-2 --depends-on A-2 \
    --success "count() where event = 'purchase_completed' >= 0.8 over 7d" --effort 2 >/dev/null
hs action update A-3 --status doing --note "rollback started" >/dev/null
hs action update A-2 --status done --note "canaries live" >/dev/null
hs team add payments --lead lena --escalation cto-office >/dev/null
hs person add maria --team payments >/dev/null
hs checklist INC-2 done data-access >/dev/null
hs decide INC-2 "Freeze SDK upgrades <until> canaries exist" >/dev/null
hs feedback INC-2 --clarity 4 --usefulness 5 --time-efficiency 3 --comment "timeline & co" >/dev/null
hs experiment add INC-2 "android vs web" \
    --metric "(count() where event = 'purchase_completed') / (count() where event = 'product_viewed')" \
    --control "platform = 'web'" --treatment "platform = 'android'" \
    --from 2026-03-04T12:00:00Z --to 2026-03-04T13:00:00Z >/dev/null
# hindsight analyze needs a week of data to find anything; one stored finding (with a score
# that needs all 17 digits) stands in for its output here.
sqlite3 "$HINDSIGHT_DB" "INSERT INTO findings (incident_id, kind, text, score, evidence, \
    created_at) SELECT id, 'change', 'chg-1 lines up', 0.12345678901234568, \
    '{\"change\":\"chg-1\"}', 1772625600000 FROM incidents WHERE seq = 2"
SRC_DB=$HINDSIGHT_DB
DST_DB="$T/other.db"
HINDSIGHT_DB=$DST_DB hs init >/dev/null

# The documented fields that differ between an export and the export of its import: when and
# by whom it was exported, and the import's own audit entry at the end.
same_but_documented() {
    jq -S 'del(.exported_at, .exported_by)' "$1" >"$T/cmp.a"
    jq -S 'del(.exported_at, .exported_by) | .audit |= .[:-1]' "$2" >"$T/cmp.b"
    if ! cmp -s "$T/cmp.a" "$T/cmp.b"; then
        fail "$1 and $2 differ: $(diff "$T/cmp.a" "$T/cmp.b" | head -n 12)"
    fi
}

begin "export writes the versioned document with every part of the incident"
run export INC-2
expect_rc 0
cp "$T/out" "$T/a.json"
expect_json '.format == "hindsight-incident" and .version == 1'
expect_json '.exported_at == "2026-03-06T09:00:00Z" and .exported_by == "tester"'
expect_json '.incident.key == "INC-2" and .incident.detected_at == "2026-03-04T12:05:00.250Z"'
expect_json '.incident.template == "short" and .incident.revenue_lost == 1234.5'
expect_json '[.timeline, .sections, .findings, .hypotheses, .actions, .checklist, .decisions, .feedback, .experiments, .people, .teams, .templates] | map(length) == [2, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1]'
expect_json '.hypotheses[0].ref == "H1" and .hypotheses[0].evidence[0].query.expr == "count() where platform = '"'"'android'"'"'"'
expect_json '.hypotheses[1].evidence | map(.kind) == ["file", "file", "note"]'
expect_json ".hypotheses[1].evidence[0].file.data == \"$(base64 -w0 <"$T/graph.txt")\""
expect_json '.hypotheses[1].evidence[1].file.data == "" and .hypotheses[1].evidence[1].file.bytes == 0'
expect_json '.actions[1].mitigates == "H1" and .actions[1].depends_on == ["A1"]'
expect_json '.actions[0].notes[0].text == "canaries live" and .actions[1].success.value == 0.8'
expect_json '.findings[0].score == 0.12345678901234568'
expect_json '.people == [{"name": "maria", "team": "payments"}] and .teams[0].lead == "lena"'
expect_json '[.audit[].record] | index("INC-2") == 0'
grep -q '"score": 0.12345678901234568' "$T/out" || fail "the score lost digits"
end

begin "export is stable: the same store gives the same bytes, --out the same as stdout"
run export INC-2 --out "$T/a2.json"
expect_rc 0
[ ! -s "$T/out" ] || fail "--out also printed"
cmp -s "$T/a.json" "$T/a2.json" || fail "two exports differ"
run export 2
cmp -s "$T/a.json" "$T/out" || fail "export 2 differs from export INC-2"
end

begin "import into an empty store keeps the key; exporting there gives the same document"
HINDSIGHT_DB=$DST_DB HINDSIGHT_NOW=2026-03-07T10:00:00Z HINDSIGHT_USER=ana run import "$T/a.json"
expect_rc 0
[ "$(cat "$T/out")" = "imported INC-2 (from INC-2 exported 2026-03-06T09:00:00Z)" ] ||
    fail "output: $(cat "$T/out")"
HINDSIGHT_DB=$DST_DB HINDSIGHT_NOW=2026-03-07T10:00:00Z HINDSIGHT_USER=ana run export INC-2
expect_rc 0
cp "$T/out" "$T/b.json"
same_but_documented "$T/a.json" "$T/b.json"
expect_json '.exported_by == "ana"'
[ "$(jq '.audit | length' "$T/b.json")" -eq $(($(jq '.audit | length' "$T/a.json") + 1)) ] ||
    fail "not one more audit entry"
jq -e '.audit[-1] == {"at": "2026-03-07T10:00:00Z", "actor": "ana", "record": "INC-2", "action": "import", "field": "from", "old_value": null, "new_value": "INC-2 exported 2026-03-06T09:00:00Z by tester"}' \
    "$T/b.json" >/dev/null || fail "the import's audit entry: $(jq -c '.audit[-1]' "$T/b.json")"
end

begin "the imported record works with the other commands: names, markup, tabs and files intact"
HINDSIGHT_DB=$DST_DB run incident show INC-2 --json
expect_rc 0
[ "$(jq -r .title "$T/out")" = "$TITLE" ] || fail "title: $(jq -r .title "$T/out")"
HINDSIGHT_DB=$DST_DB run timeline INC-2 --json
expect_json '.[1].text == "rolled back\nin two\tsteps"'
HINDSIGHT_DB=$DST_DB run action graph INC-2 --json
expect_rc 0
HINDSIGHT_DB=$DST_DB run checklist INC-2 --json
expect_rc 0
[ "$(sqlite3 "$DST_DB" "SELECT hex(file_data) FROM evidence WHERE file_name LIKE '%graph.txt'")" = \
  "$(sqlite3 "$SRC_DB" "SELECT hex(file_data) FROM evidence WHERE file_name LIKE '%graph.txt'")" ] ||
    fail "the file evidence's content differs"
end

begin "importing the same key again is refused, naming it; the store is unchanged"
HINDSIGHT_DB=$DST_DB
snapshot
run import "$T/a.json"
expect_rc 1
expect_err_one_line
expect_err "$T/a.json: this store already has an incident INC-2 (import with --new-key"
expect_store_unchanged
HINDSIGHT_DB=$SRC_DB
end

begin "--new-key gives the next free key; the rest of the record is the same"
HINDSIGHT_DB=$DST_DB HINDSIGHT_USER=ana run import "$T/a.json" --new-key
expect_rc 0
expect_out "imported INC-3 (from INC-2 exported 2026-03-06T09:00:00Z)"
HINDSIGHT_DB=$DST_DB HINDSIGHT_USER=ana run export INC-3
jq '.incident.key = "INC-2" | .audit[-1].record = "INC-2"' "$T/out" >"$T/c.json"
same_but_documented "$T/a.json" "$T/c.json"
end

begin "standard input works as the file '-'"
HINDSIGHT_DB="$T/stdin.db" hs init >/dev/null
HINDSIGHT_DB="$T/stdin.db" "$HINDSIGHT" import - <"$T/a.json" >"$T/out" 2>"$T/err"
RC=$?
expect_rc 0
expect_out "imported INC-2"
end

# refused FILE MESSAGE: importing FILE into the second store fails with MESSAGE (one line, exit
# 1) and leaves that store byte-for-byte unchanged.
refused_import() {
    begin "refused: $2"
    saved_db=$HINDSIGHT_DB
    HINDSIGHT_DB="$T/refuse.db"
    [ -f "$HINDSIGHT_DB" ] || hs init >/dev/null
    snapshot
    run import "$1"
    expect_rc 1
    expect_err_one_line
    expect_err "$2"
    expect_store_unchanged
    HINDSIGHT_DB=$saved_db
    end
}

jq '.version = 2' "$T/a.json" >"$T/v2.json"
refused_import "$T/v2.json" "$T/v2.json: export format version 2, this hindsight reads version 1"
jq '.format = "something-else"' "$T/a.json" >"$T/fmt.json"
refused_import "$T/fmt.json" 'not a hindsight incident export ("format" is not "hindsight-incident")'
# Cut in the middle of a line: jansson reports the end of the input, on the last (partial)
# line, as line:column.
head -c 2000 "$T/a.json" >"$T/cut.json"
refused_import "$T/cut.json" \
    "$T/cut.json:$(($(wc -l <"$T/cut.json") + 1)):$(($(tail -n 1 "$T/cut.json" | wc -c))): invalid JSON: "
printf 'not json' >"$T/junk.json"
refused_import "$T/junk.json" "$T/junk.json:1:3: invalid JSON: '[' or '{' expected"
jq '.actions[1].due_at = 5' "$T/a.json" >"$T/type.json"
refused_import "$T/type.json" "$T/type.json: actions[1].due_at: expected an RFC 3339 time, got a number"
jq '.hypotheses[0].likelihood = "high"' "$T/a.json" >"$T/type2.json"
refused_import "$T/type2.json" "hypotheses[0].likelihood: expected an integer, got a string"
jq '.timeline[0].colour = "red"' "$T/a.json" >"$T/unknown.json"
refused_import "$T/unknown.json" "timeline[0]: unknown key 'colour'"
jq 'del(.incident.title)' "$T/a.json" >"$T/missing.json"
refused_import "$T/missing.json" "incident: missing key 'title'"
jq '.actions[1].depends_on = ["A9"]' "$T/a.json" >"$T/ref.json"
refused_import "$T/ref.json" "actions[1].depends_on[0]: no action has the ref 'A9'"
jq '.actions[0].depends_on = ["A2"]' "$T/a.json" >"$T/cycle.json"
refused_import "$T/cycle.json" "actions[0].depends_on[0]: "
jq '.incident.status = "Closed"' "$T/a.json" >"$T/enum.json"
refused_import "$T/enum.json" "incident.status: unknown value 'Closed' (expected open, mitigated"
other=$(printf 'latency looked NORMAL\n\001binary\377\n' | base64 -w0)
jq ".hypotheses[1].evidence[0].file.data = \"$other\"" "$T/a.json" >"$T/tampered.json"
refused_import "$T/tampered.json" "hypotheses[1].evidence[0].file.data: the content does not match its sha256"

begin "a same-named team that differs is refused; an identical one is reused"
HINDSIGHT_DB="$T/teams.db" hs init >/dev/null
HINDSIGHT_DB="$T/teams.db" hs team add payments --lead bob >/dev/null
HINDSIGHT_DB="$T/teams.db" run import "$T/a.json"
expect_rc 1
expect_err "team 'payments' differs in this store (lead 'bob', escalation 'none') from the export's (lead 'lena', escalation 'cto-office')"
HINDSIGHT_DB="$T/teams.db" hs team add payments --lead lena --escalation cto-office >/dev/null
HINDSIGHT_DB="$T/teams.db" run import "$T/a.json"
expect_rc 0
[ "$(sqlite3 "$T/teams.db" 'SELECT count(*) FROM teams')" = 1 ] || fail "the team was duplicated"
end

begin "import of several files: all in one transaction, or none"
HINDSIGHT_DB="$T/many.db" hs init >/dev/null
jq '.incident.title = "the second one"' "$T/a.json" >"$T/second.json"
HINDSIGHT_DB="$T/many.db" run import "$T/a.json" "$T/second.json" --new-key
expect_rc 0
src=$(jq -r .incident.key "$T/a.json")
expect_out "imported INC-1 (from $src"
expect_out "imported INC-2 (from $src"
[ "$(sqlite3 "$T/many.db" "SELECT title FROM incidents WHERE seq = 2")" = "the second one" ] ||
    fail "the second file did not become INC-2"
cp "$T/many.db" "$T/many.before"
HINDSIGHT_DB="$T/many.db" run import "$T/a.json" "$T/enum.json" --new-key
expect_rc 1
expect_err_one_line
expect_err "$T/enum.json: incident.status: unknown value 'Closed'"
cmp -s "$T/many.db" "$T/many.before" || fail "a refused second file left the first imported"
HINDSIGHT_DB="$T/many.db" run import "$T/a.json" "$T/second.json"
expect_rc 1
expect_err "this store already has an incident $src"
cmp -s "$T/many.db" "$T/many.before" || fail "a refused import changed the store"
end

begin "export of an unknown key is refused"
run export INC-9
expect_rc 1
expect_err_one_line
expect_err "unknown incident 'INC-9'"
[ ! -s "$T/out" ] || fail "stdout not empty"
run export
expect_rc 1
run import "$T/nothere.json"
expect_rc 1
expect_err "cannot open '$T/nothere.json'"
end
