/* store_query.c: reading evidence back for queries: event chunks and columns, metric series
 * and points, event field names, saved metric definitions. */
#include "store/store_impl.h"

#include "core/xalloc.h"
#include "store/event_chunk.h"

#include <stdlib.h>
#include <string.h>

int store_event_chunks(struct store *s, int64_t from, int64_t to, struct chunk_ref **ret_list,
                       size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT id, min_ts, max_ts, rows FROM event_chunks "
                               "WHERE max_ts >= ? AND min_ts < ? ORDER BY min_ts, id", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    struct chunk_ref *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        list[n++] = (struct chunk_ref){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                                       sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3)};
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read events");
    sqlite3_finalize(st);
    if (rc < 0) {
        free(list);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

int store_event_column_raw(struct store *s, int64_t chunk_id, const char *name, void **ret_blob,
                           size_t *ret_len, bool *ret_found, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__cached(s, "SELECT data FROM event_columns WHERE chunk_id = ? AND name = ?",
                           &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, chunk_id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    *ret_found = step == SQLITE_ROW;
    if (step == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        void *copy = xmalloc(len ? len : 1);
        if (len)
            memcpy(copy, sqlite3_column_blob(st, 0), len);
        *ret_blob = copy;
        *ret_len = len;
    } else if (step != SQLITE_DONE) {
        rc = store__fail(s, e, "read events");
    }
    sqlite3_reset(st);
    return rc;
}

int store_event_column(struct store *s, int64_t chunk_id, const char *name,
                       struct col_data *ret, bool *ret_found, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__cached(s, "SELECT data FROM event_columns WHERE chunk_id = ? AND name = ?",
                           &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, chunk_id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        *ret_found = false;
    } else if (step == SQLITE_ROW) {
        const void *blob = sqlite3_column_blob(st, 0);
        int len = sqlite3_column_bytes(st, 0);
        rc = event_col_decode(blob, (size_t)len, ret, e);
        *ret_found = rc == ERR_OK;
    } else {
        rc = store__fail(s, e, "read events");
    }
    sqlite3_reset(st);
    return rc;
}

int store_event_fields(struct store *s, struct field_info **ret_list, size_t *ret_n,
                       struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT name, CASE WHEN min(type) = max(type) THEN min(type) "
                               "ELSE -1 END, count(*) FROM event_columns GROUP BY name "
                               "ORDER BY name", &st, e);
    if (rc < 0)
        return rc;
    struct field_info *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        list[n].name = store__column_strdup(st, 0);
        list[n].type = sqlite3_column_int(st, 1);
        list[n].chunks = sqlite3_column_int64(st, 2);
        n++;
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "list event fields");
    sqlite3_finalize(st);
    if (rc < 0) {
        field_infos_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

void metric_series_free(struct metric_series_ref *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].name);
        free(list[i].labels);
    }
    free(list);
}

int store_metric_series(struct store *s, const char *name, struct metric_series_ref **ret_list,
                        size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT id, name, labels FROM metric_series WHERE name = ? "
                               "ORDER BY labels", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    struct metric_series_ref *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        list[n].id = sqlite3_column_int64(st, 0);
        list[n].name = store__column_strdup(st, 1);
        list[n].labels = store__column_strdup(st, 2);
        n++;
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read metric series");
    sqlite3_finalize(st);
    if (rc < 0) {
        metric_series_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

int store_metric_points(struct store *s, int64_t series_id, int64_t from, int64_t to,
                        void (*fn)(void *ctx, int64_t ts, double value), void *ctx,
                        struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__cached(s, "SELECT ts, value FROM metric_points WHERE series_id = ? AND "
                              "ts >= ? AND ts < ? ORDER BY ts", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, series_id);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1));
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read metric points");
    sqlite3_reset(st);
    return rc;
}

int store_saved_metric_put(struct store *s, const struct saved_metric *m, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT OR REPLACE INTO saved_metrics (name, expr, unit, "
                               "description, created_at, actor) VALUES (?, ?, ?, ?, ?, ?)", &st,
                            e);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, m->name);
    store__bind_text(st, 2, m->expr);
    store__bind_text(st, 3, m->unit);
    store__bind_text(st, 4, m->description);
    sqlite3_bind_int64(st, 5, m->created_at);
    store__bind_text(st, 6, m->actor);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "save a metric");
    sqlite3_finalize(st);
    return rc;
}

static void read_saved(sqlite3_stmt *st, struct saved_metric *m)
{
    m->name = store__column_strdup(st, 0);
    m->expr = store__column_strdup(st, 1);
    m->unit = store__column_strdup(st, 2);
    m->description = store__column_strdup(st, 3);
    m->created_at = sqlite3_column_int64(st, 4);
    m->actor = store__column_strdup(st, 5);
}

int store_saved_metric_get(struct store *s, const char *name, struct saved_metric *ret,
                           bool *ret_found, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT name, expr, unit, description, created_at, actor FROM "
                               "saved_metrics WHERE name = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    *ret_found = step == SQLITE_ROW;
    if (step == SQLITE_ROW)
        read_saved(st, ret);
    else if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read a saved metric");
    sqlite3_finalize(st);
    return rc;
}

int store_saved_metric_list(struct store *s, struct saved_metric **ret_list, size_t *ret_n,
                            struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT name, expr, unit, description, created_at, actor FROM "
                               "saved_metrics ORDER BY name", &st, e);
    if (rc < 0)
        return rc;
    struct saved_metric *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        read_saved(st, &list[n++]);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "list saved metrics");
    sqlite3_finalize(st);
    if (rc < 0) {
        saved_metrics_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}
