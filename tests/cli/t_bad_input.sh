# t_bad_input.sh: every bad input gives one clear line on stderr, exit status 1, and leaves the
# store exactly as it was.

hs init >/dev/null
hs incident new --title "Payments down" --severity SEV1 --started 2026-03-04T10:00:00Z \
    --detected 2026-03-04T10:05:00Z >/dev/null
hs incident new --title "Resolved one" --severity SEV3 --started 2026-03-01T10:00:00Z \
    --mitigated 2026-03-01T11:00:00Z --resolved 2026-03-01T12:00:00Z >/dev/null

# refused MESSAGE ARGS...: runs ARGS, expects exit 1, one stderr line containing MESSAGE, and
# the store unchanged.
refused() {
    msg=$1
    shift
    begin "refused: $* ($msg)"
    snapshot
    run "$@"
    expect_rc 1
    expect_err_one_line
    expect_err "$msg"
    expect_store_unchanged
    end
}

refused "unknown incident 'INC-9'" incident show INC-9
refused "unknown incident 'INC-9'" incident update INC-9 --title x
refused "invalid incident key 'FOO-1'" incident show FOO-1
refused "unknown severity 'SEV5'" incident new --title t --severity SEV5 --started 2026-03-04T10:00:00Z
refused "unknown severity 'high'" incident update INC-1 --severity high
refused "unknown status 'closed'" incident update INC-1 --status closed
refused "unknown status 'closed'" incident list --status closed
refused "invalid time '2026-13-01T00:00:00Z': month out of range" incident update INC-1 --detected 2026-13-01T00:00:00Z
refused "missing time zone offset" incident update INC-1 --detected 2026-03-04T10:00:00
refused "--started: invalid time 'yesterday'" incident new --title t --severity SEV2 --started yesterday
refused "detected time 2026-03-04T09:00:00Z is before started time 2026-03-04T10:00:00Z" incident update INC-1 --detected 2026-03-04T09:00:00Z
refused "mitigated time 2026-03-04T10:01:00Z is before acknowledged time" incident update INC-1 --mitigated 2026-03-04T10:01:00Z --acknowledged 2026-03-04T10:06:00Z
refused "cannot move INC-1 from open to review (allowed: mitigated)" incident update INC-1 --status review
refused "cannot move INC-2 from resolved to complete (allowed: open (reopen), postmortem)" incident update INC-2 --status complete
refused "cannot resolve INC-1 while it is open" incident update INC-1 --resolved 2026-03-04T12:00:00Z
refused "cannot clear the resolved time of INC-2 while it is resolved" incident update INC-2 --clear resolved
refused "--title is required" incident new --severity SEV2 --started 2026-03-04T10:00:00Z
refused "--severity is required" incident new --title t --started 2026-03-04T10:00:00Z
refused "--started is required" incident new --title t --severity SEV2
refused "invalid tag 'checkout'" incident update INC-1 --tag checkout
refused "invalid segment 'platform'" incident update INC-1 --segment platform
refused "INC-1 has no tag 'service:x'" incident update INC-1 --remove-tag service:x
refused "title contains a control character" incident update INC-1 --title "$(printf 'a\033[31mred')"
refused "title must not be empty" incident update INC-1 --title ""
refused "--affected-users: expected a whole number >= 0, got '-3'" incident update INC-1 --affected-users -3
refused "--revenue-lost: expected an amount >= 0, got 'lots'" incident update INC-1 --revenue-lost lots
refused "invalid signal 'nosignal'" incident update INC-1 --signal nosignal
refused "incident new: unknown option '--colour'" incident new --colour red
refused "option '--title' needs a value" incident update INC-1 --title
refused "unknown timeline kind 'party'" timeline add INC-1 --at 2026-03-04T10:00:00Z --kind party "x"
refused "--at is required" timeline add INC-1 --kind note "x"
refused "unknown setting 'postmortem.due.sev9'" config set postmortem.due.sev9 1h
refused "postmortem.due.sev1: invalid duration '3 days'" config set postmortem.due.sev1 "3 days"
refused "unknown command 'frobnicate'" frobnicate
refused "incident: unknown command 'delete'" incident delete INC-1

begin "an invalid HINDSIGHT_NOW is refused"
snapshot
HINDSIGHT_NOW=soon run incident list
expect_rc 1
expect_err "HINDSIGHT_NOW: invalid time 'soon'"
expect_store_unchanged
end

begin "a corrupt store file is refused and left as it was"
head -c 8192 /dev/urandom >"$T/garbage.db"
cp "$T/garbage.db" "$T/garbage.orig"
run incident list --db "$T/garbage.db"
expect_rc 1
expect_err_one_line
expect_err "not a hindsight store, or damaged"
cmp -s "$T/garbage.db" "$T/garbage.orig" || fail "the corrupt file was modified"
run init --db "$T/garbage.db"
expect_rc 1
cmp -s "$T/garbage.db" "$T/garbage.orig" || fail "init modified the corrupt file"
end

begin "a damaged store (truncated hindsight file) is refused"
cp "$HINDSIGHT_DB" "$T/trunc.db"
sqlite3 "$T/trunc.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
head -c 1000 "$T/trunc.db" >"$T/trunc2.db"
run incident list --db "$T/trunc2.db"
expect_rc 1
expect_err_one_line
end

begin "an SQLite database of another program is refused untouched"
sqlite3 "$T/foreign.db" 'CREATE TABLE t (x); INSERT INTO t VALUES (1);'
cp "$T/foreign.db" "$T/foreign.orig"
run init --db "$T/foreign.db"
expect_rc 1
expect_err "not a hindsight store (an SQLite database of another program)"
cmp -s "$T/foreign.db" "$T/foreign.orig" || fail "the foreign database was modified"
end

begin "a store from a newer hindsight is refused untouched"
hs init --db "$T/newer.db" >/dev/null
sqlite3 "$T/newer.db" 'PRAGMA user_version = 99'
cp "$T/newer.db" "$T/newer.orig"
run incident list --db "$T/newer.db"
expect_rc 1
expect_err_one_line
expect_err "has schema version 99, newer than this hindsight understands ($("$HINDSIGHT" version | sed -n 's/.*(store schema \([0-9]*\)).*/\1/p'))"
cmp -s "$T/newer.db" "$T/newer.orig" || fail "the newer store was modified"
run incident new --db "$T/newer.db" --title x --severity SEV1 --started 2026-03-04T10:00:00Z
expect_rc 1
cmp -s "$T/newer.db" "$T/newer.orig" || fail "the newer store was modified by a write"
end

begin "a store that cannot be created is refused"
run init --db "$T/no/such/dir/h.db"
expect_rc 1
expect_err_one_line
expect_err "cannot create store '$T/no/such/dir/h.db'"
run init --db "$T"
expect_rc 1
expect_err "it is a directory"
end

# An unwritable store: as root, file modes do not stop writes, so run as an unprivileged user
# when that is possible; otherwise use chmod as that user.
unwritable_cmd=""
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
    unwritable_cmd="runuser -u nobody --"
elif [ "$(id -u)" != 0 ]; then
    unwritable_cmd="env"
fi
if [ -n "$unwritable_cmd" ]; then
    begin "an unwritable store file: reads work, writes fail cleanly and change nothing"
    mkdir -p "$T/ro"
    cp "$HINDSIGHT_DB" "$T/ro/h.db"
    chmod o+x "$T" "$(dirname "$T")"
    chmod 777 "$T/ro"      # the folder stays writable (WAL needs it); the file does not
    chmod 444 "$T/ro/h.db"
    cp "$T/ro/h.db" "$T/ro.orig"
    $unwritable_cmd "$HINDSIGHT" incident list --db "$T/ro/h.db" >"$T/out" 2>"$T/err"
    RC=$?
    expect_rc 0
    expect_out "Payments down"
    $unwritable_cmd "$HINDSIGHT" incident update INC-1 --db "$T/ro/h.db" --title changed \
        >"$T/out" 2>"$T/err"
    RC=$?
    expect_rc 1
    expect_err_one_line
    expect_err "in store '$T/ro/h.db': attempt to write a readonly database"
    cmp -s "$T/ro/h.db" "$T/ro.orig" || fail "the unwritable store was modified"
    end

fi

begin "an incident time in the future is refused"
snapshot
run incident update INC-1 --acknowledged 2026-03-06T09:10:00Z
expect_rc 1
expect_err "--acknowledged: 2026-03-06T09:10:00Z is in the future (now is 2026-03-06T09:00:00Z)"
expect_store_unchanged
run incident update INC-1 --acknowledged 2026-03-06T09:04:00Z
expect_rc 0
end
