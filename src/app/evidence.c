/* evidence.c: series, saved metrics, sources and fields: the thin layer between the commands
 * and the store/query layers, where option values are parsed and writes are audited. */
#include "app/evidence.h"

#include "core/num.h"
#include "core/timefmt.h"
#include "query/series.h"

#include <stdio.h>
#include <string.h>

int app_series(struct app *a, const struct series_query *q, struct series_result *ret,
               struct err *e)
{
    struct series_request rq = {q->expr, 0, 0, MS_PER_MINUTE, q->by, q->n_by, false};
    int rc;
    if (!q->from || !q->to)
        return err_set(e, ERR_INVALID, "--from and --to are required (RFC 3339 times)");
    if ((rc = app_parse_time(a, "--from", q->from, &rq.from, e)) < 0 ||
        (rc = app_parse_time(a, "--to", q->to, &rq.to, e)) < 0)
        return rc;
    if (q->bucket && (rc = time_parse_duration(q->bucket, &rq.bucket_ms, e)) < 0)
        return err_prefix(e, "--bucket: ");
    return query_series(a->store, &rq, ret, e);
}

/* Metric names: a letter or '_', then letters, digits, '_' or '.'; never a function name. */
static int check_metric_name(const char *name, struct err *e)
{
    static const char *const reserved[] = {"count", "uniq", "sum", "avg", "min", "max",
                                           "quantile", "metric", "where", "and", "or", "not",
                                           "in"};
    bool ok = (name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
              name[0] == '_';
    for (const char *p = name; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
             *p == '_' || *p == '.';
    if (!ok || strlen(name) > 64)
        return err_set(e, ERR_INVALID, "invalid metric name '%.64s' (letters, digits, '_' and "
                       "'.', starting with a letter; at most 64)", name);
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (strcmp(name, reserved[i]) == 0)
            return err_set(e, ERR_INVALID, "'%s' is a word of the expression language and cannot "
                           "name a metric", name);
    return ERR_OK;
}

int app_metric_define(struct app *a, const char *name, const char *expr, const char *unit,
                      const char *description, bool *ret_replaced, struct err *e)
{
    int rc = check_metric_name(name, e);
    if (rc < 0)
        return rc;
    if ((rc = query_check(a->store, expr, e)) < 0)
        return rc;
    struct saved_metric old = {0};
    bool found = false;
    if ((rc = store_saved_metric_get(a->store, name, &old, &found, e)) < 0)
        return rc;
    struct saved_metric m = {(char *)name, (char *)expr, (char *)unit, (char *)description,
                             a->actor, a->now};
    if ((rc = store_begin(a->store, e)) == ERR_OK) {
        rc = store_saved_metric_put(a->store, &m, e);
        if (rc == ERR_OK) {
            char record[96];
            snprintf(record, sizeof(record), "metric %s", name);
            rc = app_audit(a, 0, record, found ? "update" : "define", "expr",
                           found ? old.expr : NULL, expr, e);
        }
        if (rc == ERR_OK)
            rc = store_commit(a->store, e);
        if (rc < 0)
            store_rollback(a->store);
    }
    saved_metric_release(&old);
    if (rc == ERR_OK && ret_replaced)
        *ret_replaced = found;
    return rc;
}

int app_metric_list(struct app *a, struct saved_metric **ret_list, size_t *ret_n,
                    struct err *e)
{
    return store_saved_metric_list(a->store, ret_list, ret_n, e);
}

int app_sources(struct app *a, struct source_info **ret_list, size_t *ret_n, struct err *e)
{
    return store_source_list(a->store, ret_list, ret_n, e);
}

int app_source_remove(struct app *a, const char *id_text, struct err *e)
{
    int64_t id;
    if (num_parse_i64_range(id_text, 1, INT64_MAX, &id) < 0)
        return err_set(e, ERR_INVALID, "invalid source id '%.32s' (see 'hindsight sources')",
                       id_text);
    struct source_info *list = NULL;
    size_t n = 0;
    int rc = store_source_list(a->store, &list, &n, e);
    const struct source_info *src = NULL;
    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        if (list[i].id == id)
            src = &list[i];
    if (rc == ERR_OK && !src)
        rc = err_set(e, ERR_NOT_FOUND, "unknown source %lld (see 'hindsight sources')",
                     (long long)id);
    if (rc == ERR_OK && (rc = store_begin(a->store, e)) == ERR_OK) {
        char record[48], what[600];
        snprintf(record, sizeof(record), "source %lld", (long long)id);
        snprintf(what, sizeof(what), "%s %s (%lld rows)", src->kind, src->path,
                 (long long)src->rows);
        rc = store_source_remove(a->store, id, e);
        if (rc == ERR_OK)
            rc = app_audit(a, 0, record, "remove", "source", what, NULL, e);
        if (rc == ERR_OK)
            rc = store_commit(a->store, e);
        if (rc < 0)
            store_rollback(a->store);
    }
    source_infos_free(list, n);
    return rc;
}

int app_fields(struct app *a, struct field_info **ret_list, size_t *ret_n, struct err *e)
{
    return store_event_fields(a->store, ret_list, ret_n, e);
}
