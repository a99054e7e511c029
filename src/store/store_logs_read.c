/* store_logs_read.c: reading ingested log lines back, by time window (for the diagnosis's log
 * templates). Lines are read through the logs_ts index, so a window costs what it holds, not
 * what the store holds. */
#include "store/store_impl.h"

#include "core/xalloc.h"

#include <stdlib.h>

void log_rows_free(struct log_row *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].level);
        free(list[i].service);
        free(list[i].message);
    }
    free(list);
}

int store_logs_between(struct store *s, int64_t from, int64_t to, size_t max,
                       struct log_row **ret_list, size_t *ret_n, bool *ret_more, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT ts, level, service, message FROM logs INDEXED BY logs_ts "
                               "WHERE ts >= ? AND ts < ? ORDER BY ts, id", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    struct log_row *list = NULL;
    size_t n = 0, cap = 0;
    bool more = false;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (max && n == max) {
            more = true;
            step = SQLITE_DONE;
            break;
        }
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        struct log_row *r = &list[n++];
        r->ts = sqlite3_column_int64(st, 0);
        r->level = store__column_strdup(st, 1);
        r->service = store__column_strdup(st, 2);
        r->message = store__column_strdup(st, 3);
        if (!r->message)
            r->message = xstrdup("");
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read logs");
    sqlite3_finalize(st);
    if (rc < 0) {
        log_rows_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    *ret_more = more;
    return ERR_OK;
}

int store_logs_any(struct store *s, bool *ret, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT EXISTS (SELECT 1 FROM logs)", &st, e);
    if (rc < 0)
        return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *ret = sqlite3_column_int(st, 0) != 0;
    else
        rc = store__fail(s, e, "read logs");
    sqlite3_finalize(st);
    return rc;
}
