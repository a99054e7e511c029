# t_charts.sh: the report's charts on the generated demo incident: the Markdown report with its
# SVG files beside it, the self-contained HTML page, `chart` on its own, `summary`, and that
# none of them changes the store.

export HINDSIGHT_NOW=2026-03-08T00:00:00Z
hs init >/dev/null
demo_data --seed 2 --scale 1 --days 7
hs incident new --title "Android <payments> & \"checkout\"" --severity SEV2 \
    --started "$(truth start)" --mitigated "$(truth end)" --resolved "$(truth recovered_at)" \
    --owner maria --service payments --segment platform=android --segment app_version=5.2 \
    --tag failure-mode:bad-deploy --affected-users 2140 >/dev/null
hs postmortem INC-1 edit summary --text "Payments failed. <script>alert(1)</script> [click](javascript:alert(2))" >/dev/null
hs action add INC-1 "Canary payments releases" --kind process --owner tomas \
    --due 2026-03-20T00:00:00Z --no-success "a process change" >/dev/null
hs analyze INC-1 >/dev/null

begin "report --out DIR: the Markdown with five charts as SVG files beside it"
snapshot
run report INC-1 --out "$T/rep/"
expect_rc 0
expect_err "wrote $T/rep/INC-1.md"
for c in panels periods latency funnel segments; do
    f="$T/rep/INC-1-$c.svg"
    [ -s "$f" ] || { fail "no $c chart"; continue; }
    xmllint --noout "$f" 2>/dev/null || fail "$c: not well-formed XML"
    grep -qF "](INC-1-$c.svg)" "$T/rep/INC-1.md" || fail "the report does not show $c"
    grep -q 'nan\|inf"' "$f" && fail "$c: a NaN or an infinity in the SVG"
done
grep -qF 'class="change"' "$T/rep/INC-1-panels.svg" || fail "no change marked on the panels"
grep -qF 'chg-22' "$T/rep/INC-1-panels.svg" || fail "the causing change chg-22 is not labelled"
grep -qF 'broken' "$T/rep/INC-1-funnel.svg" || fail "the broken step is not marked"
grep -qF 'app_version=5.2' "$T/rep/INC-1-segments.svg" || fail "the segment is not named"
[ -z "$(ls "$T/rep" | grep tmp)" ] || fail "a temporary file was left"
expect_store_unchanged
end

begin "report --format html: one well-formed page, charts inline, nothing external"
snapshot
run report INC-1 --format html
expect_rc 0
xmllint --noout "$T/out" 2>/dev/null || fail "the page does not parse"
[ "$(grep -o '<svg ' "$T/out" | wc -l)" -eq 5 ] || fail "not 5 inline charts"
expect_out '<meta name="viewport"'
expect_out '@media print'
expect_out '<th>Fact</th>'
expect_out '<title>INC-1: Android &lt;payments&gt; &amp; &quot;checkout&quot;</title>'
expect_no_out '<script'
expect_no_out 'javascript:'
expect_no_out '<img'
[ -z "$(grep -o 'https\?://[^"]*' "$T/out" | grep -v '^http://www.w3.org/')" ] ||
    fail "an external reference: $(grep -o 'https\?://[^"]*' "$T/out" | grep -v w3.org | head -n 1)"
run report INC-1 --format html --out "$T/page.html"
expect_rc 0
[ -s "$T/page.html" ] || fail "--out FILE wrote nothing"
expect_store_unchanged
end

begin "report --tz shifts the axis labels; a bad offset or format is refused"
run report INC-1 --format html --tz +02:00
expect_rc 0
expect_out 'UTC+02:00'
snapshot
run report INC-1 --format html --tz CET
expect_rc 1
expect_err_one_line
expect_err "--tz: 'CET' is not a UTC offset"
run report INC-1 --format pdf
expect_rc 1
expect_err_one_line
expect_store_unchanged
end

begin "chart KEY SERIES...: panels of the named series, incident shaded, changes marked"
snapshot
run chart INC-1 http_error_rate "count() where event = 'purchase_completed'" --out "$T/c.svg"
expect_rc 0
xmllint --noout "$T/c.svg" 2>/dev/null || fail "not well-formed"
[ "$(grep -o 'class="actual"' "$T/c.svg" | wc -l)" -ge 2 ] || fail "not two series drawn"
grep -qF 'class="incident"' "$T/c.svg" || fail "the incident is not shaded"
grep -qF 'chg-22' "$T/c.svg" || fail "chg-22 not marked"
grep -qF 'baseline' "$T/c.svg" || fail "no baseline"
run chart INC-1 "count() where event = '<b>&\"x'" --out "$T/markup.svg"
expect_rc 0
xmllint --noout "$T/markup.svg" 2>/dev/null || fail "a series name with markup broke the SVG"
grep -qF "&lt;b&gt;&amp;" "$T/markup.svg" || fail "the series name is not escaped"
run chart INC-1 nope
expect_rc 1
expect_err_one_line
expect_err "unknown metric 'nope'"
run chart INC-1
expect_rc 1
expect_err_one_line
run chart INC-1 http_error_rate --width 10
expect_rc 1
expect_err "--width"
run chart INC-9 http_error_rate
expect_rc 1
expect_err_one_line
expect_store_unchanged
end

begin "summary: exec gets the figures and actions, customers no internal identifiers"
snapshot
run summary INC-1
expect_rc 0
expect_out "## What happened"
expect_out "a SEV2 incident"
expect_out "2140 users affected"
expect_out "Canary payments releases (tomas, due 2026-03-20, todo)"
run summary INC-1 --audience customer --format text
expect_rc 0
expect_out "About 2140 customers were affected, those using android and app version 5.2."
expect_out "The cause was a faulty software update."
expect_out "We have planned 1 improvement to prevent this"
for word in INC-1 chg- tomas maria platform= SEV2 "A-1" "#"; do
    grep -qF -- "$word" "$T/out" && fail "the customer summary shows '$word'"
done
run summary INC-1 --audience customer --format html
expect_rc 0
xmllint --noout "$T/out" 2>/dev/null || fail "the summary page does not parse"
expect_no_out "INC-1"
run summary INC-1 --audience board
expect_rc 1
expect_err_one_line
expect_store_unchanged
end
