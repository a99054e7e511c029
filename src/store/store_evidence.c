/* store_evidence.c: sources and the rows ingested from them (event chunks, metric points,
 * logs, changes). Every row refers to its source, so removing a source removes its rows
 * (ON DELETE CASCADE). */
#include "store/store_impl.h"

#include "core/timefmt.h"
#include "core/xalloc.h"
#include "store/event_chunk.h"

#include <stdlib.h>
#include <string.h>

int store_source_add(struct store *s, const struct source_info *info, int64_t *ret_id,
                     struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO sources (kind, name, path, sha256, format, bytes, "
                               "ingested_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, info->kind);
    store__bind_text(st, 2, info->name);
    store__bind_text(st, 3, info->path);
    store__bind_text(st, 4, info->sha256);
    store__bind_text(st, 5, info->format);
    sqlite3_bind_int64(st, 6, info->bytes);
    sqlite3_bind_int64(st, 7, info->ingested_at);
    store__bind_text(st, 8, info->actor);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "record a source");
    else
        *ret_id = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(st);
    return rc;
}

int store_source_finish(struct store *s, int64_t id, const char *sha256, int64_t rows,
                        int64_t bad_rows, int64_t min_ts, int64_t max_ts, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "UPDATE sources SET rows = ?, bad_rows = ?, min_ts = ?, "
                               "max_ts = ?, sha256 = ? WHERE id = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, rows);
    sqlite3_bind_int64(st, 2, bad_rows);
    store__bind_time(st, 3, min_ts);
    store__bind_time(st, 4, max_ts);
    store__bind_text(st, 5, sha256);
    sqlite3_bind_int64(st, 6, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "record a source");
    sqlite3_finalize(st);
    return rc;
}

int store_source_find_hash(struct store *s, const char *kind, const char *sha256,
                           int64_t *ret_id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT id FROM sources WHERE kind = ? AND sha256 = ? "
                               "ORDER BY id LIMIT 1", &st, e);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, kind);
    store__bind_text(st, 2, sha256);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *ret_id = sqlite3_column_int64(st, 0);
    else if (step == SQLITE_DONE)
        *ret_id = 0;
    else
        rc = store__fail(s, e, "look up a source");
    sqlite3_finalize(st);
    return rc;
}

int store_source_list(struct store *s, struct source_info **ret_list, size_t *ret_n,
                      struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT id, kind, name, path, sha256, format, bytes, rows, "
                               "bad_rows, min_ts, max_ts, ingested_at, actor FROM sources "
                               "ORDER BY id", &st, e);
    if (rc < 0)
        return rc;
    struct source_info *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        struct source_info *x = &list[n++];
        x->id = sqlite3_column_int64(st, 0);
        x->kind = store__column_strdup(st, 1);
        x->name = store__column_strdup(st, 2);
        x->path = store__column_strdup(st, 3);
        x->sha256 = store__column_strdup(st, 4);
        x->format = store__column_strdup(st, 5);
        x->bytes = sqlite3_column_int64(st, 6);
        x->rows = sqlite3_column_int64(st, 7);
        x->bad_rows = sqlite3_column_int64(st, 8);
        x->min_ts = store__column_time(st, 9);
        x->max_ts = store__column_time(st, 10);
        x->ingested_at = sqlite3_column_int64(st, 11);
        x->actor = store__column_strdup(st, 12);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "list sources");
    sqlite3_finalize(st);
    if (rc < 0) {
        source_infos_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

int store_source_remove(struct store *s, int64_t id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "DELETE FROM sources WHERE id = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "remove a source");
    else if (sqlite3_changes(s->db) == 0)
        rc = err_set(e, ERR_NOT_FOUND, "unknown source %lld (see 'hindsight sources')",
                     (long long)id);
    sqlite3_finalize(st);
    if (rc == ERR_OK) /* series left without points are dropped with their source */
        rc = sqlite3_exec(s->db, "DELETE FROM metric_series WHERE id NOT IN "
                                 "(SELECT DISTINCT series_id FROM metric_points)", NULL, NULL,
                          NULL) == SQLITE_OK ? ERR_OK : store__fail(s, e, "remove a source");
    return rc;
}

int store_event_chunk_add(struct store *s, int64_t source_id, const struct encoded_chunk *c,
                          struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__cached(s, "INSERT INTO event_chunks (source_id, min_ts, max_ts, rows) "
                              "VALUES (?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, source_id);
    sqlite3_bind_int64(st, 2, c->min_ts);
    sqlite3_bind_int64(st, 3, c->max_ts);
    sqlite3_bind_int64(st, 4, (int64_t)c->rows);
    if (sqlite3_step(st) != SQLITE_DONE)
        return store__fail(s, e, "store events");
    int64_t chunk_id = sqlite3_last_insert_rowid(s->db);
    if ((rc = store__cached(s, "INSERT INTO event_columns (chunk_id, name, type, raw_bytes, "
                               "data) VALUES (?, ?, ?, ?, ?)", &st, e)) < 0)
        return rc;
    for (size_t i = 0; i < c->n_cols; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, chunk_id);
        sqlite3_bind_text(st, 2, c->cols[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, (int)c->cols[i].type);
        sqlite3_bind_int64(st, 4, (int64_t)c->cols[i].raw_len);
        sqlite3_bind_blob(st, 5, c->cols[i].blob, (int)c->cols[i].len, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            return store__fail(s, e, "store events");
    }
    sqlite3_reset(st);
    return ERR_OK;
}

/* The id of the series (name, labels), created when new; remembered for the run. */
static int series_id(struct store *s, const char *name, const char *labels, int64_t *ret,
                     struct err *e)
{
    if (!labels)
        labels = "";
    size_t nl = strlen(name), ll = strlen(labels);
    char small[256];
    char *key = nl + ll + 1 <= sizeof(small) ? small : xmalloc(nl + ll + 1);
    memcpy(key, name, nl);
    key[nl] = '\0';
    memcpy(key + nl + 1, labels, ll);
    uint32_t code = strdict_find(&s->series_keys, key, nl + 1 + ll);
    int rc = ERR_OK;
    if (code) {
        *ret = s->series_ids[code - 1];
        goto done;
    }
    sqlite3_stmt *st = NULL;
    if ((rc = store__cached(s, "INSERT INTO metric_series (name, labels) VALUES (?, ?) "
                               "ON CONFLICT (name, labels) DO UPDATE SET name = name "
                               "RETURNING id", &st, e)) < 0)
        goto done;
    store__bind_text(st, 1, name);
    store__bind_text(st, 2, labels);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = store__fail(s, e, "store a metric series");
        goto done;
    }
    *ret = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    code = strdict_intern(&s->series_keys, key, nl + 1 + ll);
    xgrow((void **)&s->series_ids, &s->cap_series_ids, code, sizeof(*s->series_ids));
    s->series_ids[code - 1] = *ret;
done:
    if (key != small)
        free(key);
    return rc;
}

int store_metric_point_add(struct store *s, int64_t source_id, const char *name,
                           const char *labels, int64_t ts, double value, struct err *e)
{
    int64_t sid = 0;
    int rc = series_id(s, name, labels, &sid, e);
    sqlite3_stmt *st = NULL;
    if (rc == ERR_OK)
        rc = store__cached(s, "INSERT INTO metric_points (series_id, source_id, ts, value) "
                              "VALUES (?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, sid);
    sqlite3_bind_int64(st, 2, source_id);
    sqlite3_bind_int64(st, 3, ts);
    sqlite3_bind_double(st, 4, value);
    if (sqlite3_step(st) != SQLITE_DONE)
        return store__fail(s, e, "store a metric point");
    sqlite3_reset(st);
    return ERR_OK;
}

int store_log_add(struct store *s, int64_t source_id, int64_t ts, const char *level,
                  const char *service, const char *message, const char *trace_id,
                  struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__cached(s, "INSERT INTO logs (source_id, ts, level, service, message, "
                              "trace_id) VALUES (?, ?, ?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, source_id);
    sqlite3_bind_int64(st, 2, ts);
    store__bind_text(st, 3, level);
    store__bind_text(st, 4, service);
    store__bind_text(st, 5, message);
    store__bind_text(st, 6, trace_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        return store__fail(s, e, "store a log line");
    sqlite3_reset(st);
    return ERR_OK;
}

int store_change_add(struct store *s, int64_t source_id, const struct change_row *c,
                     struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__cached(s, "INSERT INTO changes (source_id, change_id, ts, kind, service, "
                              "version, description, segment) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, source_id);
    store__bind_text(st, 2, c->id);
    sqlite3_bind_int64(st, 3, c->ts);
    store__bind_text(st, 4, c->kind);
    store__bind_text(st, 5, c->service);
    store__bind_text(st, 6, c->version);
    store__bind_text(st, 7, c->description);
    store__bind_text(st, 8, c->segment);
    if (sqlite3_step(st) != SQLITE_DONE)
        return store__fail(s, e, "store a change");
    sqlite3_reset(st);
    return ERR_OK;
}
