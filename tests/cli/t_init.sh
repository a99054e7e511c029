# t_init.sh: creating and identifying the store.

# The schema version this build writes (each migration raises it).
CUR=$("$HINDSIGHT" version | sed -n 's/.*(store schema \([0-9]*\)).*/\1/p')

begin "init creates a store at the current schema version in WAL mode"
run init
expect_rc 0
expect_out "created store $HINDSIGHT_DB (schema version $CUR)"
[ "$(sqlite3 "$HINDSIGHT_DB" 'PRAGMA journal_mode')" = wal ] || fail "journal mode is not wal"
[ -n "$CUR" ] && [ "$CUR" -ge 4 ] || fail "no schema version in 'hindsight version'"
[ "$(sqlite3 "$HINDSIGHT_DB" 'PRAGMA user_version')" = "$CUR" ] || fail "user_version is not $CUR"
[ "$(sqlite3 "$HINDSIGHT_DB" 'PRAGMA application_id')" = 1213417300 ] || fail "application_id"
end

begin "init on an existing store leaves it as it is"
snapshot
run init
expect_rc 0
expect_out "already exists (schema version $CUR)"
expect_store_unchanged
end

begin "init --json reports path, created and version"
run init --json --db "$T/other.db"
expect_rc 0
expect_json ".created == true and .schema_version == $CUR and (.path | endswith(\"other.db\"))"
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
expect_out "hindsight 0.1.0 (store schema $CUR)"
run help
expect_rc 0
expect_out "incident"
expect_out "HINDSIGHT_NOW"
run incident new --help
expect_rc 0
expect_out "--severity SEV"
end

begin "a store of schema version 1 is migrated on open, keeping its records"
hs init --db "$T/old.db" >/dev/null
hs incident new --db "$T/old.db" --title "Old one" --severity SEV3 --started 2026-03-01T10:00:00Z >/dev/null
sqlite3 "$T/old.db" "DROP TABLE findings; DROP TABLE experiments; DROP TABLE feedback; DROP TABLE decisions;
  DROP TABLE checklist; DROP TABLE postmortem_sections; DROP TABLE templates;
  ALTER TABLE incidents DROP COLUMN template;
  DROP TABLE people; DROP TABLE teams; DROP TABLE action_notes;
  DROP TABLE action_deps; DROP TABLE actions; DROP TABLE evidence; DROP TABLE hypotheses;
  DROP TABLE saved_metrics; DROP TABLE changes; DROP TABLE logs;
  DROP TABLE metric_points; DROP TABLE metric_series; DROP TABLE event_columns;
  DROP TABLE event_chunks; DROP TABLE sources; PRAGMA user_version = 1;"
run incident list --db "$T/old.db" --json
expect_rc 0
expect_json 'length == 1 and .[0].title == "Old one"'
[ "$(sqlite3 "$T/old.db" 'PRAGMA user_version')" = "$CUR" ] || fail "not migrated to version $CUR"
sqlite3 "$T/old.db" 'SELECT count(*) FROM sources, actions' >/dev/null 2>&1 || fail "no sources or actions table"
end
