/* migrations.c: the store's schema, as numbered migrations.
 *
 * Migration N takes a store from schema version N-1 to N. They are applied in order inside one
 * transaction, and PRAGMA user_version records the result. Never edit a released migration:
 * add a new one. docs/store.md describes the tables. */
#include "store/store_impl.h"

#include <stdio.h>

static const char *const migrations[] = {
    /* 1: incidents, their lists, timeline, audit log, settings */
    "CREATE TABLE incidents ("
    "  id INTEGER PRIMARY KEY,"
    "  seq INTEGER NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  summary TEXT,"
    "  owner TEXT,"
    "  severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),"
    "  status TEXT NOT NULL CHECK (status IN ('open','mitigated','resolved','postmortem',"
    "                                         'review','complete')),"
    "  started_at INTEGER NOT NULL,"
    "  detected_at INTEGER,"
    "  acknowledged_at INTEGER,"
    "  mitigated_at INTEGER,"
    "  resolved_at INTEGER,"
    "  reopen_count INTEGER NOT NULL DEFAULT 0,"
    "  affected_users INTEGER,"
    "  revenue_lost REAL,"
    "  support_tickets INTEGER,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX incidents_started ON incidents(started_at);"
    "CREATE TABLE incident_services ("
    "  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  PRIMARY KEY (incident_id, name)"
    ");"
    "CREATE TABLE incident_segments ("
    "  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  segment TEXT NOT NULL,"
    "  PRIMARY KEY (incident_id, segment)"
    ");"
    "CREATE TABLE incident_tags ("
    "  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  tag TEXT NOT NULL,"
    "  PRIMARY KEY (incident_id, tag)"
    ");"
    "CREATE INDEX incident_tags_tag ON incident_tags(tag);"
    "CREATE TABLE incident_signals ("
    "  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  fired_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX incident_signals_incident ON incident_signals(incident_id);"
    "CREATE TABLE timeline ("
    "  id INTEGER PRIMARY KEY,"
    "  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  text TEXT NOT NULL,"
    "  author TEXT,"
    "  created_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX timeline_incident ON timeline(incident_id, at);"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  incident_id INTEGER REFERENCES incidents(id),"
    "  record TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  field TEXT,"
    "  old_value TEXT,"
    "  new_value TEXT"
    ");"
    "CREATE INDEX audit_incident ON audit(incident_id, id);"
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ");",

    /* 2: evidence: ingested sources, event column chunks, metrics, logs, changes, saved
     * metric definitions */
    "CREATE TABLE sources ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('events','metrics','logs','changes')),"
    "  name TEXT NOT NULL,"
    "  path TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  format TEXT NOT NULL,"
    "  bytes INTEGER NOT NULL,"
    "  rows INTEGER NOT NULL DEFAULT 0,"
    "  bad_rows INTEGER NOT NULL DEFAULT 0,"
    "  min_ts INTEGER,"
    "  max_ts INTEGER,"
    "  ingested_at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL"
    ");"
    "CREATE INDEX sources_sha ON sources(sha256);"
    "CREATE TABLE event_chunks ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  min_ts INTEGER NOT NULL,"
    "  max_ts INTEGER NOT NULL,"
    "  rows INTEGER NOT NULL"
    ");"
    "CREATE INDEX event_chunks_time ON event_chunks(min_ts, max_ts);"
    "CREATE INDEX event_chunks_source ON event_chunks(source_id);"
    "CREATE TABLE event_columns ("
    "  chunk_id INTEGER NOT NULL REFERENCES event_chunks(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  type INTEGER NOT NULL,"
    "  raw_bytes INTEGER NOT NULL,"
    "  data BLOB NOT NULL,"
    "  PRIMARY KEY (chunk_id, name)"
    ") WITHOUT ROWID;"
    "CREATE TABLE metric_series ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  labels TEXT NOT NULL,"
    "  UNIQUE (name, labels)"
    ");"
    "CREATE TABLE metric_points ("
    "  series_id INTEGER NOT NULL REFERENCES metric_series(id),"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  ts INTEGER NOT NULL,"
    "  value REAL NOT NULL"
    ");"
    "CREATE INDEX metric_points_series ON metric_points(series_id, ts);"
    "CREATE INDEX metric_points_source ON metric_points(source_id);"
    "CREATE TABLE logs ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  ts INTEGER NOT NULL,"
    "  level TEXT,"
    "  service TEXT,"
    "  message TEXT NOT NULL,"
    "  trace_id TEXT"
    ");"
    "CREATE INDEX logs_ts ON logs(ts);"
    "CREATE INDEX logs_source ON logs(source_id);"
    "CREATE TABLE changes ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
    "  change_id TEXT NOT NULL,"
    "  ts INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  service TEXT,"
    "  version TEXT,"
    "  description TEXT,"
    "  segment TEXT"
    ");"
    "CREATE INDEX changes_ts ON changes(ts);"
    "CREATE INDEX changes_source ON changes(source_id);"
    "CREATE TABLE saved_metrics ("
    "  name TEXT PRIMARY KEY,"
    "  expr TEXT NOT NULL,"
    "  unit TEXT,"
    "  description TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL"
    ");",
};

int store_schema_version_supported(void)
{
    return (int)(sizeof(migrations) / sizeof(migrations[0]));
}

int store__migrate(struct store *s, int from_version, struct err *e)
{
    int to = store_schema_version_supported();
    for (int v = from_version; v < to; v++) {
        char *msg = NULL;
        if (sqlite3_exec(s->db, migrations[v], NULL, NULL, &msg) != SQLITE_OK) {
            err_set(e, ERR_STORE, "cannot migrate store '%s' to schema version %d: %s", s->path,
                    v + 1, msg ? msg : sqlite3_errmsg(s->db));
            sqlite3_free(msg);
            return ERR_STORE;
        }
    }
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", to);
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store__fail(s, e, "record the schema version");
    s->schema_version = to;
    return ERR_OK;
}
