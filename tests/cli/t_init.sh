# t_init.sh: creating and identifying the store.

begin "init creates a store with schema version 1 in WAL mode"
run init
expect_rc 0
expect_out "created store $HINDSIGHT_DB (schema version 1)"
[ "$(sqlite3 "$HINDSIGHT_DB" 'PRAGMA journal_mode')" = wal ] || fail "journal mode is not wal"
[ "$(sqlite3 "$HINDSIGHT_DB" 'PRAGMA user_version')" = 1 ] || fail "user_version is not 1"
[ "$(sqlite3 "$HINDSIGHT_DB" 'PRAGMA application_id')" = 1213417300 ] || fail "application_id"
end

begin "init on an existing store leaves it as it is"
snapshot
run init
expect_rc 0
expect_out "already exists (schema version 1)"
expect_store_unchanged
end

begin "init --json reports path, created and version"
run init --json --db "$T/other.db"
expect_rc 0
expect_json '.created == true and .schema_version == 1 and (.path | endswith("other.db"))'
end

begin "--db wins over HINDSIGHT_DB, which wins over ./hindsight.db"
mkdir -p "$T/cwd"
(cd "$T/cwd" && HINDSIGHT_DB= "$HINDSIGHT" init >/dev/null 2>&1)
[ -f "$T/cwd/hindsight.db" ] || fail "no ./hindsight.db without --db or HINDSIGHT_DB"
(cd "$T/cwd" && HINDSIGHT_DB="$T/env.db" "$HINDSIGHT" init >/dev/null 2>&1)
[ -f "$T/env.db" ] || fail "HINDSIGHT_DB not used"
(cd "$T/cwd" && HINDSIGHT_DB="$T/env.db" "$HINDSIGHT" init --db "$T/flag.db" >/dev/null 2>&1)
[ -f "$T/flag.db" ] || fail "--db not used"
end

begin "commands other than init need an existing store"
run incident list --db "$T/missing.db"
expect_rc 1
expect_err_one_line
expect_err "no store at '$T/missing.db'"
[ ! -e "$T/missing.db" ] || fail "a store was created by a read command"
end

begin "version and help"
run version
expect_rc 0
expect_out "hindsight 0.1.0 (store schema 1)"
run help
expect_rc 0
expect_out "incident"
expect_out "HINDSIGHT_NOW"
run incident new --help
expect_rc 0
expect_out "--severity SEV"
end
