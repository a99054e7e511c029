# t_report.sh: hindsight report: the Markdown postmortem with its facts, sections, timeline,
# hypotheses, actions and critical path, checklist and decisions; escaping; --out; refusals.

hs init >/dev/null
hs incident new --title "Checkout | broken on Android" --severity SEV2 \
    --started 2026-03-04T14:00:00Z --owner maria --service payments >/dev/null
hs incident update INC-1 --detected 2026-03-04T14:10:00Z --mitigated 2026-03-04T15:00:00Z \
    --resolved 2026-03-04T16:00:00Z --affected-users 120 >/dev/null
hs timeline add INC-1 --at 2026-03-04T14:05:00Z --kind signal "payment alerts | fired" >/dev/null
hs timeline add INC-1 --at 2026-03-04T14:50:00Z --kind response "rolled back 5.2" >/dev/null
hs postmortem INC-1 edit summary --text "# not a heading
Payments failed on Android after the 5.2 release." >/dev/null
hs hypothesis add INC-1 "The 5.2 release broke payments" --likelihood 5 --impact 4 >/dev/null
hs evidence add H-1 --note "crash logs point at 5.2" --supports >/dev/null
hs action add INC-1 "Roll back 5.2" --kind process --owner maria --due 2026-03-10T00:00:00Z \
    --no-success "a one-off rollback" --effort 1 >/dev/null
hs action add INC-1 "Alert on payment failures" --kind monitoring --owner dana \
    --due 2026-03-20T00:00:00Z --success "count() >= 1 over 7d" --depends-on A-1 >/dev/null
hs decide INC-1 "Freeze Android releases for a week" >/dev/null
hs incident new --title "Bare" --severity SEV3 --started 2026-03-05T10:00:00Z >/dev/null

begin "the title line and the key facts"
run report INC-1
expect_rc 0
head -n 1 "$T/out" | grep -qxF '# INC-1: Checkout \| broken on Android' || fail "title line: $(head -n 1 "$T/out")"
expect_out "| Severity | SEV2 |"
expect_out "| Status | resolved |"
expect_out "| Owner | maria |"
expect_out "| Services | payments |"
expect_out "| Detected | 2026-03-04T14:10:00Z (time to detect 10m) |"
expect_out "| Mitigated | 2026-03-04T15:00:00Z (time to mitigate 1h) |"
expect_out "| Resolved | 2026-03-04T16:00:00Z (time to resolve 2h) |"
expect_out "| Postmortem due | 2026-03-06T16:00:00Z (due in 7h) |"
expect_out "| Impact | 120 users affected |"
end

begin "template sections: written text (a leading # escaped) and what an unwritten one asks"
run report INC-1
expect_out '\# not a heading'
expect_out "Payments failed on Android after the 5.2 release."
expect_out "_Not written yet (required). Why it mattered"
grep -q '^# not a heading' "$T/out" && fail "a section line became a heading"
[ "$(grep -c '^# ' "$T/out")" -eq 1 ] || fail "more than one top-level heading"
end

begin "timeline rows with escaped pipes, and no analysis yet"
run report INC-1
expect_out "| Time | Kind | What |"
expect_out '| 2026-03-04T14:05:00Z | signal | payment alerts \| fired |'
expect_out "| 2026-03-04T14:50:00Z | response | rolled back 5.2 |"
expect_out "_No analysis yet (hindsight analyze INC-1)._"
end

begin "hypotheses with score, parts and evidence"
run report INC-1
expect_out "### 1. H-1: The 5.2 release broke payments"
expect_out "Status proposed, score 58.7 = 40 x prior 0.80 (likelihood 5 x impact 4 / 25)"
expect_out "- E-1 supports (note): crash logs point at 5.2"
end

begin "action items with priority labels, dependency and critical path"
run report INC-1
expect_out "| A-1 | P1 | Roll back 5.2 | process | maria | 2026-03-10T00:00:00Z | todo | none: a one-off rollback | - |"
expect_out "| A-2 | P3 | Alert on payment failures | monitoring | dana | 2026-03-20T00:00:00Z | todo (blocked) | count() >= 1 over 7d | A-1 |"
expect_out "Critical path: A-1 -> A-2 (effort 4)."
end

begin "checklist stages and decisions"
run report INC-1
expect_out "- [ ] data-access: missing: "
expect_out "- [ ] implementation: missing: actions not done: A-1 (todo), A-2 (todo)"
expect_out "- [ ] post-implementation-review: missing: "
expect_out "(tester): Freeze Android releases for a week"
expect_out "_No experiments yet"
end

begin "the sections come in the document's order"
run report INC-1
order=$(grep -n '^## \(Summary\|Lessons learned\|Timeline entries\|Diagnosis\|Hypotheses\|Action item tracker\|Checklist\|Decisions\|Experiments\)$' "$T/out" | cut -d: -f2 | tr '\n' ',')
[ "$order" = "## Summary,## Lessons learned,## Timeline entries,## Diagnosis,## Hypotheses,## Action item tracker,## Checklist,## Decisions,## Experiments," ] || fail "order: $order"
end

begin "--out writes the same bytes as stdout, atomically"
run report INC-1
cp "$T/out" "$T/stdout.md"
run report INC-1 --out "$T/report.md"
expect_rc 0
cmp -s "$T/stdout.md" "$T/report.md" || fail "--out differs from stdout"
[ ! -s "$T/out" ] || fail "--out also printed to stdout"
[ -z "$(ls "$T" | grep 'report.md.tmp')" ] || fail "a temporary file was left"
run report 1 --format md
cmp -s "$T/stdout.md" "$T/out" || fail "report 1 --format md differs"
end

begin "an unknown format is refused; --help names the formats"
snapshot
run report INC-1 --format pdf
expect_rc 1
expect_err_one_line
expect_err "--format: 'pdf' is not one of"
expect_store_unchanged
run report --help
expect_rc 0
expect_out "md|html|json"
end

begin "HTML of an incident without evidence: well-formed, saying what is missing"
snapshot
run report INC-2 --format html
expect_rc 0
xmllint --noout "$T/out" 2>/dev/null || fail "the page does not parse"
expect_out "<h1>INC-2: Bare</h1>"
expect_out "No analysis yet (hindsight analyze INC-2)."
expect_out "time panels: no series with data in the window"
expect_store_unchanged
run report INC-1 --format html
expect_out "<h1>INC-1: Checkout | broken on Android</h1>"
expect_out "<p># not a heading"
end

begin "an unknown key is refused"
snapshot
run report INC-9
expect_rc 1
expect_err_one_line
[ ! -s "$T/out" ] || fail "stdout not empty"
run report INC-1 --out "$T/nodir/report.md"
expect_rc 1
expect_err_one_line
expect_store_unchanged
end

begin "an incident with nothing else still renders, saying what is not there yet"
run report INC-2
expect_rc 0
expect_out "# INC-2: Bare"
expect_out "| Owner | - |"
expect_out "| Postmortem due | - (not resolved yet) |"
expect_out "_Not written yet (required). What happened"
expect_out "_No timeline entries yet"
expect_out "_No analysis yet (hindsight analyze INC-2)._"
expect_out "_No hypotheses yet"
expect_out "_No action items yet"
expect_out "_No decisions recorded yet"
expect_out "- [ ] data-access: missing: "
end

begin "report --format json is the export document"
run report INC-1 --format json
expect_rc 0
expect_json '.format == "hindsight-incident" and .incident.key == "INC-1"'
jq -S 'del(.exported_at)' "$T/out" >"$T/report.json"
run export INC-1
expect_rc 0
jq -S 'del(.exported_at)' "$T/out" >"$T/export.json"
cmp -s "$T/report.json" "$T/export.json" || fail "report --format json differs from export"
end
