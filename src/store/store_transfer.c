/* store_transfer.c: the few reads and writes that moving a whole incident between stores needs
 * beyond the everyday ones: experiments with all their columns, the content of file evidence,
 * and giving an imported incident the key it had. */
#include "store/store_impl.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

void experiment_records_free(struct experiment_record *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct experiment_record *x = &list[i];
        free(x->text), free(x->metric), free(x->control), free(x->treatment);
        free(x->result), free(x->actor);
    }
    free(list);
}

int store_experiment_records(struct store *s, int64_t incident_id,
                             struct experiment_record **ret_list, size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT text, metric, control, treatment, result, actor, from_ts, "
                               "to_ts, created_at FROM experiments WHERE incident_id = ? "
                               "ORDER BY id", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    struct experiment_record *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        struct experiment_record *x = &list[n++];
        x->text = store__column_strdup(st, 0);
        x->metric = store__column_strdup(st, 1);
        x->control = store__column_strdup(st, 2);
        x->treatment = store__column_strdup(st, 3);
        x->result = store__column_strdup(st, 4);
        x->actor = store__column_strdup(st, 5);
        x->from = sqlite3_column_int64(st, 6);
        x->to = sqlite3_column_int64(st, 7);
        x->created_at = sqlite3_column_int64(st, 8);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read experiments");
    sqlite3_finalize(st);
    if (rc < 0) {
        experiment_records_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

int store_evidence_file_data(struct store *s, int64_t evidence_id, void **ret_data,
                             size_t *ret_len, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT file_data FROM evidence WHERE id = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, evidence_id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const void *blob = sqlite3_column_blob(st, 0);
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        void *copy = NULL;
        /* An empty file is kept as a zero-length blob: give back an allocation, not NULL, so
         * that "no content kept" and "an empty file" stay different. */
        if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
            copy = xmalloc(len ? len : 1);
            if (len)
                memcpy(copy, blob, len);
        }
        *ret_data = copy;
        *ret_len = copy ? len : 0;
    } else if (step == SQLITE_DONE) {
        rc = err_set(e, ERR_NOT_FOUND, "unknown evidence 'E-%lld'", (long long)evidence_id);
    } else {
        rc = store__fail(s, e, "read evidence");
    }
    sqlite3_finalize(st);
    return rc;
}

int store_incident_set_seq(struct store *s, int64_t incident_id, int64_t seq, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "UPDATE incidents SET seq = ? WHERE id = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, incident_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "set an incident's key");
    sqlite3_finalize(st);
    return rc;
}
