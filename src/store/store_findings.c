/* store_findings.c: what the automatic diagnosis reads and writes: the changes of a window,
 * the names of the ingested metrics, and the findings (hindsight analyze). */
#include "store/store_impl.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

void change_infos_free(struct change_info *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].id);
        free(list[i].kind);
        free(list[i].service);
        free(list[i].version);
        free(list[i].description);
        free(list[i].segment);
    }
    free(list);
}

int store_changes_between(struct store *s, int64_t from, int64_t to,
                          struct change_info **ret_list, size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT change_id, kind, service, version, description, segment, "
                               "ts FROM changes WHERE ts >= ? AND ts < ? ORDER BY ts, id",
                            &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    struct change_info *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        struct change_info *c = &list[n++];
        c->id = store__column_strdup(st, 0);
        c->kind = store__column_strdup(st, 1);
        c->service = store__column_strdup(st, 2);
        c->version = store__column_strdup(st, 3);
        c->description = store__column_strdup(st, 4);
        c->segment = store__column_strdup(st, 5);
        c->ts = sqlite3_column_int64(st, 6);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read changes");
    sqlite3_finalize(st);
    if (rc < 0) {
        change_infos_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

int store_metric_names(struct store *s, struct strlist *ret, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT DISTINCT name FROM metric_series ORDER BY name", &st, e);
    if (rc < 0)
        return rc;
    struct strlist l = {0};
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        strlist_push(&l, (const char *)sqlite3_column_text(st, 0));
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read metric names");
    sqlite3_finalize(st);
    if (rc < 0) {
        strlist_release(&l);
        return rc;
    }
    *ret = l;
    return ERR_OK;
}

void findings_free(struct finding *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].kind);
        free(list[i].text);
        free(list[i].evidence);
    }
    free(list);
}

int store_findings_clear(struct store *s, int64_t incident_id, size_t *ret_deleted,
                         struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "DELETE FROM findings WHERE incident_id = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "delete findings");
    else
        *ret_deleted = (size_t)sqlite3_changes(s->db);
    sqlite3_finalize(st);
    return rc;
}

int store_finding_insert(struct store *s, struct finding *f, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO findings (incident_id, kind, text, score, evidence, "
                               "created_at) VALUES (?, ?, ?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, f->incident_id);
    store__bind_text(st, 2, f->kind);
    store__bind_text(st, 3, f->text);
    sqlite3_bind_double(st, 4, f->score);
    store__bind_text(st, 5, f->evidence);
    sqlite3_bind_int64(st, 6, f->created_at);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "add a finding");
    else
        f->id = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(st);
    return rc;
}

#define FINDING_COLUMNS "id, incident_id, kind, text, score, evidence, created_at"

static void read_finding(sqlite3_stmt *st, struct finding *f)
{
    f->id = sqlite3_column_int64(st, 0);
    f->incident_id = sqlite3_column_int64(st, 1);
    f->kind = store__column_strdup(st, 2);
    f->text = store__column_strdup(st, 3);
    f->score = sqlite3_column_double(st, 4);
    f->evidence = store__column_strdup(st, 5);
    f->created_at = sqlite3_column_int64(st, 6);
}


int store_findings_list(struct store *s, int64_t incident_id, struct finding **ret_list,
                        size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT " FINDING_COLUMNS " FROM findings WHERE incident_id = ? "
                               "ORDER BY score DESC, id", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    struct finding *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        read_finding(st, &list[n++]);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "list findings");
    sqlite3_finalize(st);
    if (rc < 0) {
        findings_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}
