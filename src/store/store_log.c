/* store_log.c: timeline entries, the audit log and settings. */
#include "store/store_impl.h"

#include "core/xalloc.h"

#include <stdlib.h>

int store_timeline_add(struct store *s, const struct timeline_entry *t, int64_t *ret_id,
                       struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO timeline (incident_id, at, kind, text, author, "
                               "created_at) VALUES (?, ?, ?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, t->incident_id);
    sqlite3_bind_int64(st, 2, t->at);
    sqlite3_bind_text(st, 3, timeline_kind_name(t->kind), -1, SQLITE_STATIC);
    store__bind_text(st, 4, t->text);
    store__bind_text(st, 5, t->author);
    sqlite3_bind_int64(st, 6, t->created_at);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "add a timeline entry");
    else if (ret_id)
        *ret_id = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(st);
    return rc;
}

int store_timeline_list(struct store *s, int64_t incident_id, struct timeline_entry **ret_list,
                        size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT id, incident_id, at, kind, text, author, created_at "
                               "FROM timeline WHERE incident_id = ? ORDER BY at, id", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    struct timeline_entry *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        struct timeline_entry *t = &list[n++];
        t->id = sqlite3_column_int64(st, 0);
        t->incident_id = sqlite3_column_int64(st, 1);
        t->at = sqlite3_column_int64(st, 2);
        enum timeline_kind kind = TL_NOTE;
        timeline_kind_parse((const char *)sqlite3_column_text(st, 3), &kind, NULL);
        t->kind = kind;
        t->text = store__column_strdup(st, 4);
        t->author = store__column_strdup(st, 5);
        t->created_at = sqlite3_column_int64(st, 6);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read the timeline");
    sqlite3_finalize(st);
    if (rc < 0) {
        timeline_entries_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

int store_audit_append(struct store *s, int64_t incident_id, const struct audit_entry *a,
                       struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO audit (at, actor, incident_id, record, action, "
                               "field, old_value, new_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, a->at);
    store__bind_text(st, 2, a->actor);
    if (incident_id > 0)
        sqlite3_bind_int64(st, 3, incident_id);
    else
        sqlite3_bind_null(st, 3);
    store__bind_text(st, 4, a->record);
    store__bind_text(st, 5, a->action);
    store__bind_text(st, 6, a->field);
    store__bind_text(st, 7, a->old_value);
    store__bind_text(st, 8, a->new_value);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "append to the audit log");
    sqlite3_finalize(st);
    return rc;
}

int store_audit_list(struct store *s, int64_t incident_id, struct audit_entry **ret_list,
                     size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    /* Two texts, not "?1 = 0 OR incident_id = ?1": with the OR SQLite cannot use the index,
     * and one incident's log would scan the whole audit table. */
    int rc = store__prepare(s, incident_id
                                   ? "SELECT id, at, actor, record, action, field, old_value, "
                                     "new_value FROM audit WHERE incident_id = ?1 ORDER BY id"
                                   : "SELECT id, at, actor, record, action, field, old_value, "
                                     "new_value FROM audit WHERE ?1 = 0 ORDER BY id",
                            &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    struct audit_entry *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        struct audit_entry *a = &list[n++];
        a->id = sqlite3_column_int64(st, 0);
        a->at = sqlite3_column_int64(st, 1);
        a->actor = store__column_strdup(st, 2);
        a->record = store__column_strdup(st, 3);
        a->action = store__column_strdup(st, 4);
        a->field = store__column_strdup(st, 5);
        a->old_value = store__column_strdup(st, 6);
        a->new_value = store__column_strdup(st, 7);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read the audit log");
    sqlite3_finalize(st);
    if (rc < 0) {
        audit_entries_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

int store_setting_get(struct store *s, const char *key, char **ret_value, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT value FROM settings WHERE key = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *ret_value = store__column_strdup(st, 0);
    else if (step == SQLITE_DONE)
        *ret_value = NULL;
    else
        rc = store__fail(s, e, "read a setting");
    sqlite3_finalize(st);
    return rc;
}

int store_setting_set(struct store *s, const char *key, const char *value, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, value ? "INSERT INTO settings (key, value) VALUES (?1, ?2) "
                                       "ON CONFLICT (key) DO UPDATE SET value = ?2"
                                     : "DELETE FROM settings WHERE key = ?1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    if (value)
        sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "write a setting");
    sqlite3_finalize(st);
    return rc;
}
