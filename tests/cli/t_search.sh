# t_search.sh: hindsight search (full text, ranked, snippets, tag filters, FTS syntax typed by
# people, imported and upgraded stores) and hindsight similar (a recorded repeat ranks first,
# what is shared, a failed fix). Neither command writes: the store stays byte-for-byte as it was.

# A small history. INC-1 is the first bad deploy; its action is verified on 2026-02-10.
# INC-3 is its repeat (same failure mode, service, segment, similar title); INC-2 and INC-4 are
# unrelated, INC-4 mentions checkout in a timeline entry only.
hs init >/dev/null
HINDSIGHT_NOW=2026-02-02T00:00:00Z hs incident new --title "Checkout payments timeout on Android" \
    --severity SEV2 --started 2026-02-01T10:00:00Z --tag failure-mode:bad-deploy \
    --tag team:payments --service payments --segment platform=android \
    --summary "The card SDK 5.2 release broke payment submission." >/dev/null
HINDSIGHT_NOW=2026-02-02T00:00:00Z hs timeline add INC-1 --at 2026-02-01T10:05:00Z \
    --kind response "rolled back the card sdk" >/dev/null
HINDSIGHT_NOW=2026-02-02T00:00:00Z hs hypothesis add INC-1 \
    "The 5.2 SDK release broke card tokenisation" >/dev/null
HINDSIGHT_NOW=2026-02-02T00:00:00Z hs evidence add H-1 \
    --note "tokenisation errors spiked with 5.2" --supports >/dev/null
HINDSIGHT_NOW=2026-02-02T00:00:00Z hs action add INC-1 "Canary every SDK release per platform" \
    --kind process --owner ana --due 2026-02-20T00:00:00Z --no-success "a process change" \
    >/dev/null
HINDSIGHT_NOW=2026-02-05T00:00:00Z hs action update A-1 --status done \
    --note "canary rollout finished" >/dev/null
HINDSIGHT_NOW=2026-02-10T00:00:00Z hs action update A-1 --status verified >/dev/null
hs postmortem INC-1 edit root-causes --text "A missing null check in the tokeniser.
It only failed on Android." >/dev/null
hs decide INC-1 "Freeze mobile releases during sales" >/dev/null
hs incident new --title "Search latency regression" --severity SEV3 \
    --started 2026-02-15T10:00:00Z --tag failure-mode:capacity --service search \
    --segment region=eu >/dev/null
hs incident new --title "Checkout payments failing on Android again" --severity SEV2 \
    --started 2026-03-01T10:00:00Z --tag failure-mode:bad-deploy --service payments \
    --segment platform=android >/dev/null
hs incident new --title "Office wifi outage" --severity SEV4 --started 2026-02-20T10:00:00Z \
    --tag failure-mode:network --service office >/dev/null
hs timeline add INC-4 --at 2026-02-20T10:10:00Z --kind note \
    "the checkout team lent us a router" >/dev/null

begin "search finds every kind of record, with its key and the match marked"
snapshot
for want in 'checkout|incident|INC-1|[Checkout] payments timeout on Android' \
    'submission|incident|INC-1|broke payment [submission]' \
    'rolled|timeline|timeline 1|[rolled] back the card sdk' \
    'tokenisation|hypothesis|H-1|broke card [tokenisation]' \
    'spiked|evidence|E-1|tokenisation errors [spiked] with 5.2' \
    'canary|action|A-1|[Canary] every SDK release per platform' \
    'rollout|action_note|A-1|canary [rollout] finished' \
    '"null check"|section|root-causes|A missing [null check] in the tokeniser. It only' \
    'freeze|decision|decision 1|[Freeze] mobile releases during sales'; do
    q=${want%%|*}; rest=${want#*|}; kind=${rest%%|*}; rest=${rest#*|}; ref=${rest%%|*}
    snip=${rest#*|}
    run search "$q" --json
    expect_rc 0
    jq -e --arg k "$kind" --arg r "$ref" --arg s "$snip" \
        'any(.results[]; .kind == $k and .ref == $r and (.snippet | contains($s)))' "$T/out" \
        >/dev/null || fail "'$q': no $kind $ref with '$snip': $(jq -c '.results' "$T/out")"
done
run search tokenisation --json
expect_json '.query == "tokenisation" and (.results | length) == 3'
expect_json 'all(.results[]; .key == "INC-1" and .title == "Checkout payments timeout on Android")'
expect_json '[.results[].score] == ([.results[].score] | sort | reverse) and .results[0].score > 0'
expect_store_unchanged
end

begin "the text output groups the matches by incident, best incident first"
run search checkout
expect_rc 0
expect_out "3 matches for 'checkout' in 3 incidents, best first"
expect_out "INC-1  2026-02-01  Checkout payments timeout on Android"
expect_out "  incident    INC-1"
expect_out "[Checkout] payments timeout on Android"
expect_out "  timeline    timeline 2"
run search "nothing-like-this"
expect_rc 0
expect_out "no match for 'nothing-like-this'"
end

begin "a title hit ranks above a body hit"
run search checkout --json
expect_json '(.results | length) == 3'
expect_json '.results[0].kind == "incident" and .results[1].kind == "incident"'
expect_json '.results[2].key == "INC-4" and .results[2].kind == "timeline"'
expect_json '.results[0].score > .results[2].score and .results[1].score > .results[2].score'
end

begin "--tag keeps the incidents with every tag given"
run search checkout --tag failure-mode:bad-deploy --json
expect_rc 0
expect_json '(.results | length) == 2 and all(.results[]; .key == "INC-1" or .key == "INC-3")'
run search checkout --tag failure-mode:bad-deploy --tag team:payments --json
expect_json '(.results | length) == 1 and .results[0].key == "INC-1"'
run search checkout --tag failure-mode:network --tag team:payments --json
expect_json '.results == []'
run search checkout --tag payments
expect_rc 1
expect_err_one_line
expect_err "--tag: invalid tag 'payments' (expected namespace:value"
end

begin "phrases, prefixes, OR and exclusion"
run search '"card sdk"' --json
expect_json '(.results | length) == 2 and all(.results[]; .key == "INC-1")'
run search 'tokenis*' --json
expect_json '(.results | length) >= 3'
run search 'wifi OR router' --json
expect_json '(.results | length) == 2 and all(.results[]; .key == "INC-4")'
run search 'checkout -android' --json
expect_json '(.results | length) == 1 and .results[0].key == "INC-4"'
run search checkout --limit 1 --json
expect_json '(.results | length) == 1'
run search checkout --limit 0
expect_rc 1
expect_err "--limit: '0' is not a whole number from 1 to 1000"
end

begin "FTS syntax typed in a query gives results or a clear error, never a crash"
snapshot
for q in 'checkout AND (' '"unbalanced checkout' 'NEAR(checkout android)' 'title:checkout' \
    'checkout^' "it's checkout" '{checkout}' 'checkout OR' 'checkout NOT' 'a"b"c' \
    'check*out' 'ünïcødé checkout'; do
    run search "$q" --json
    [ "$RC" -eq 0 ] || fail "'$q': exit $RC: $(cat "$T/err")"
    jq -e '.results | type == "array"' "$T/out" >/dev/null 2>&1 || fail "'$q': no JSON results"
done
run search 'checkout AND (' --json
expect_json '(.results | length) == 3'
for q in '(' ')' ':' '*' '-' '"' 'AND OR NOT' '' '   '; do
    run search "$q"
    [ "$RC" -eq 1 ] || fail "'$q': exit $RC, expected 1"
    expect_err_one_line
    grep -q "search query" "$T/err" || fail "'$q': unclear error: $(cat "$T/err")"
done
run search -- -checkout
expect_rc 1
expect_err "search query '-checkout' has no word to look for (it only excludes words)"
run search
expect_rc 1
expect_err "missing the query"
expect_store_unchanged
end

begin "an imported incident is searchable"
hs export INC-1 --out "$T/inc1.json" >/dev/null
hs init --db "$T/other.db" >/dev/null
hs import --db "$T/other.db" "$T/inc1.json" >/dev/null
hs incident new --db "$T/other.db" --title "Local one" --severity SEV3 \
    --started 2026-01-01T00:00:00Z >/dev/null
run search --db "$T/other.db" tokenisation --json
expect_rc 0
expect_json '(.results | length) == 3 and all(.results[]; .key == "INC-1")'
run search --db "$T/other.db" '"null check" OR rollout OR freeze OR rolled OR submission' --json
expect_json '([.results[].kind] | sort) == ["action_note", "decision", "incident", "section", "timeline"]'
end

begin "a store of schema 5 is upgraded and its old records are found"
cp "$T/other.db" "$T/old.db"
triggers=$(sqlite3 "$T/old.db" "SELECT group_concat('DROP TRIGGER ' || name, ';') FROM sqlite_master
    WHERE type = 'trigger' AND name LIKE 'search%'")
sqlite3 "$T/old.db" "$triggers; DROP TABLE search_index; PRAGMA user_version = 5;"
run search --db "$T/old.db" local --json
expect_rc 0
expect_json '.results[0].key == "INC-2" and .results[0].kind == "incident"'
[ "$(sqlite3 "$T/old.db" 'PRAGMA user_version')" -ge 6 ] || fail "not upgraded"
run search --db "$T/old.db" tokenisation --json
expect_json '(.results | length) == 3'
end

begin "similar ranks the recorded repeat first and names what is shared"
snapshot
run similar INC-3 --json
expect_rc 0
expect_json '.key == "INC-3" and .compared == 3 and .results[0].key == "INC-1"'
expect_json '.results[0].shared | index("failure-mode:bad-deploy") != null'
expect_json '.results[0].shared | index("service payments") != null'
expect_json '.results[0].shared | index("segment platform=android") != null'
expect_json '.results[0].shared | any(.[]; startswith("text: ") and contains("checkout"))'
expect_json '.results[0].score > 0.5 and .results[0].score <= 1'
expect_json 'all(.results[1:][]; .score < .results[0].score)'
expect_json '.results[0].started_at == "2026-02-01T10:00:00Z"'
expect_json '.results[0].title == "Checkout payments timeout on Android"'
expect_json 'all(.results[]; .key != "INC-2")'
expect_store_unchanged
end

begin "similar says when a failure mode whose actions were verified has come back"
run similar INC-3 --json
expect_json '(.failed_fixes | length) == 1 and .failed_fixes[0].key == "INC-1"'
expect_json '.failed_fixes[0].actions == ["A-1"] and .failed_fixes[0].failure_mode == "failure-mode:bad-deploy"'
expect_json '.failed_fixes[0].verified_at == "2026-02-10T00:00:00Z"'
run similar INC-3
expect_rc 0
expect_out "Past incidents like INC-3 (Checkout payments failing on Android again"
expect_out "  INC-1   0."
expect_out "shares: failure-mode:bad-deploy; service payments; segment platform=android; text: "
expect_out "Failed fix: failure-mode:bad-deploy is back. INC-1 (Checkout payments timeout on Android) had it"
expect_out "A-1    verified 2026-02-10T00:00:00Z  Canary every SDK release per platform"
end

begin "similar reads an imported action's verification from its incident's log, as trends does"
# In a store that already has an action A-1, the imported incident's action becomes A-2 while
# its log still says A-1; a note on it a month later moves its last update past the repeat.
hs init --db "$T/third.db" >/dev/null
HINDSIGHT_NOW=2026-01-02T00:00:00Z hs incident new --db "$T/third.db" --title "Local one" \
    --severity SEV3 --started 2026-01-01T00:00:00Z >/dev/null
HINDSIGHT_NOW=2026-01-02T00:00:00Z hs action add --db "$T/third.db" INC-1 "Local action" \
    --kind process --owner ana --due 2026-02-01T00:00:00Z --no-success "local" >/dev/null
hs import --db "$T/third.db" --new-key "$T/inc1.json" >/dev/null
HINDSIGHT_NOW=2026-03-05T00:00:00Z hs action update --db "$T/third.db" A-2 \
    --note "still holding" >/dev/null
hs incident new --db "$T/third.db" --title "Checkout payments failing on Android again" \
    --severity SEV2 --started 2026-03-01T10:00:00Z --tag failure-mode:bad-deploy >/dev/null
run similar --db "$T/third.db" INC-3 --json
expect_rc 0
expect_json '(.failed_fixes | length) == 1 and .failed_fixes[0].key == "INC-2"'
expect_json '.failed_fixes[0].actions == ["A-2"] and .failed_fixes[0].verified_at == "2026-02-10T00:00:00Z"'
run trends --db "$T/third.db" --since 2026-02-01 --until 2026-04-01 --json
expect_json '.periods[0].fix_efficacy == 1 and .periods[1].fix_efficacy == 0'
end

begin "similar: no past incident, nothing shared, unknown key"
run similar INC-1
expect_rc 0
expect_out "INC-1 (Checkout payments timeout on Android) is the earliest incident in this store"
run similar INC-1 --json
expect_json '.results == [] and .failed_fixes == [] and .compared == 0'
run similar INC-2 --json
expect_json '.compared == 1 and .results == []'
run similar INC-2
expect_out "no incident before INC-2 (Search latency regression) shares anything with it (1 compared)"
run similar INC-99
expect_rc 1
expect_err_one_line
expect_err "unknown incident 'INC-99'"
run similar nonsense
expect_rc 1
run similar INC-3 --limit x
expect_rc 1
expect_err "--limit"
end
