/* store_postmortem.c: templates, postmortem sections, the checklist, decisions, feedback and
 * experiments. Rows are returned as struct pm_row, one shape for these small records. */
#include "store/store_impl.h"

#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

void pm_rows_free(struct pm_row *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].actor);
        free(list[i].key);
        free(list[i].text);
    }
    free(list);
}

static int run(struct store *s, sqlite3_stmt *st, const char *what, struct err *e)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? ERR_OK : store__fail(s, e, what);
    sqlite3_finalize(st);
    return rc;
}

/* Runs a query whose columns are (id, at, actor, key, text, r1, r2, r3), any of them NULL. */
static int rows(struct store *s, const char *sql, int64_t bind, struct pm_row **ret_list,
                size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, sql, &st, e);
    if (rc < 0)
        return rc;
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, bind);
    struct pm_row *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        struct pm_row *r = &list[n++];
        memset(r, 0, sizeof(*r));
        r->id = sqlite3_column_int64(st, 0);
        r->at = sqlite3_column_int64(st, 1);
        r->actor = store__column_strdup(st, 2);
        r->key = store__column_strdup(st, 3);
        r->text = store__column_strdup(st, 4);
        for (int k = 0; k < 3; k++)
            r->ratings[k] = sqlite3_column_int(st, 5 + k);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read postmortem records");
    sqlite3_finalize(st);
    if (rc < 0) {
        pm_rows_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

int store_template_put(struct store *s, const char *name, const char *body, int64_t at,
                       const char *actor, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO templates (name, body, created_at, actor) VALUES "
                               "(?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE SET body = ?2, "
                               "created_at = ?3, actor = ?4", &st, e);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, name);
    store__bind_text(st, 2, body);
    sqlite3_bind_int64(st, 3, at);
    store__bind_text(st, 4, actor);
    return run(s, st, "store a template", e);
}

int store_template_get(struct store *s, const char *name, char **ret_body, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT body FROM templates WHERE name = ?", &st, e);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, name);
    int step = sqlite3_step(st);
    *ret_body = step == SQLITE_ROW ? store__column_strdup(st, 0) : NULL;
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = store__fail(s, e, "read a template");
    sqlite3_finalize(st);
    return rc;
}

int store_template_list(struct store *s, struct pm_row **ret_list, size_t *ret_n,
                        struct err *e)
{
    return rows(s, "SELECT 0, created_at, actor, name, body, 0, 0, 0 FROM templates "
                   "ORDER BY name", 0, ret_list, ret_n, e);
}

int store_incident_template(struct store *s, int64_t incident_id, char **ret_name,
                            struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT template FROM incidents WHERE id = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    int step = sqlite3_step(st);
    *ret_name = step == SQLITE_ROW ? store__column_strdup(st, 0) : NULL;
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = store__fail(s, e, "read an incident");
    sqlite3_finalize(st);
    return rc;
}

int store_incident_set_template(struct store *s, int64_t incident_id, const char *name,
                                struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "UPDATE incidents SET template = ? WHERE id = ?", &st, e);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, name);
    sqlite3_bind_int64(st, 2, incident_id);
    return run(s, st, "set the template", e);
}

int store_section_put(struct store *s, int64_t incident_id, const char *section,
                      const char *text, int64_t at, const char *actor, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO postmortem_sections (incident_id, section, text, "
                               "updated_at, actor) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT "
                               "(incident_id, section) DO UPDATE SET text = ?3, updated_at = ?4,"
                               " actor = ?5", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    store__bind_text(st, 2, section);
    store__bind_text(st, 3, text);
    sqlite3_bind_int64(st, 4, at);
    store__bind_text(st, 5, actor);
    return run(s, st, "write a section", e);
}

int store_sections(struct store *s, int64_t incident_id, struct pm_row **ret_list,
                   size_t *ret_n, struct err *e)
{
    return rows(s, "SELECT 0, updated_at, actor, section, text, 0, 0, 0 FROM postmortem_sections "
                   "WHERE incident_id = ?1 ORDER BY section", incident_id, ret_list, ret_n, e);
}

int store_checklist_mark(struct store *s, int64_t incident_id, const char *stage, int64_t at,
                         const char *actor, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT OR REPLACE INTO checklist (incident_id, stage, done_at, "
                               "actor) VALUES (?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    store__bind_text(st, 2, stage);
    sqlite3_bind_int64(st, 3, at);
    store__bind_text(st, 4, actor);
    return run(s, st, "mark a checklist stage", e);
}

int store_checklist(struct store *s, int64_t incident_id, struct pm_row **ret_list,
                    size_t *ret_n, struct err *e)
{
    return rows(s, "SELECT 0, done_at, actor, stage, NULL, 0, 0, 0 FROM checklist WHERE "
                   "incident_id = ?1", incident_id, ret_list, ret_n, e);
}

int store_decision_add(struct store *s, int64_t incident_id, int64_t at, const char *actor,
                       const char *text, int64_t *ret_id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO decisions (incident_id, at, actor, text) VALUES "
                               "(?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    sqlite3_bind_int64(st, 2, at);
    store__bind_text(st, 3, actor);
    store__bind_text(st, 4, text);
    if ((rc = run(s, st, "record a decision", e)) == ERR_OK)
        *ret_id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_decisions(struct store *s, int64_t incident_id, struct pm_row **ret_list,
                    size_t *ret_n, struct err *e)
{
    return rows(s, "SELECT id, at, actor, NULL, text, 0, 0, 0 FROM decisions WHERE "
                   "incident_id = ?1 ORDER BY at, id", incident_id, ret_list, ret_n, e);
}

int store_feedback_add(struct store *s, int64_t incident_id, int64_t at, const char *actor,
                       const int ratings[3], const char *comment, int64_t *ret_id,
                       struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO feedback (incident_id, at, actor, clarity, "
                               "usefulness, time_efficiency, comment) VALUES (?, ?, ?, ?, ?, ?, "
                               "?)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    sqlite3_bind_int64(st, 2, at);
    store__bind_text(st, 3, actor);
    for (int k = 0; k < 3; k++)
        sqlite3_bind_int(st, 4 + k, ratings[k]);
    store__bind_text(st, 7, comment);
    if ((rc = run(s, st, "record feedback", e)) == ERR_OK)
        *ret_id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_feedback(struct store *s, int64_t incident_id, struct pm_row **ret_list,
                   size_t *ret_n, struct err *e)
{
    return rows(s, incident_id ? "SELECT id, at, actor, NULL, comment, clarity, usefulness, "
                                 "time_efficiency FROM feedback WHERE incident_id = ?1 "
                                 "ORDER BY at, id"
                               : "SELECT id, at, actor, NULL, comment, clarity, usefulness, "
                                 "time_efficiency FROM feedback WHERE ?1 = 0 ORDER BY at, id",
                incident_id, ret_list, ret_n, e);
}

int store_experiment_add(struct store *s, int64_t incident_id, const struct experiment_row *x,
                         int64_t at, const char *actor, int64_t *ret_id, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO experiments (incident_id, text, metric, control, "
                               "treatment, from_ts, to_ts, result, created_at, actor) VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    store__bind_text(st, 2, x->text);
    store__bind_text(st, 3, x->metric);
    store__bind_text(st, 4, x->control);
    store__bind_text(st, 5, x->treatment);
    sqlite3_bind_int64(st, 6, x->from);
    sqlite3_bind_int64(st, 7, x->to);
    store__bind_text(st, 8, x->result);
    sqlite3_bind_int64(st, 9, at);
    store__bind_text(st, 10, actor);
    if ((rc = run(s, st, "record an experiment", e)) == ERR_OK)
        *ret_id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_experiments(struct store *s, int64_t incident_id, struct pm_row **ret_list,
                      size_t *ret_n, struct err *e)
{
    return rows(s, "SELECT id, created_at, actor, text, result, 0, 0, 0 FROM experiments WHERE "
                   "incident_id = ?1 ORDER BY id", incident_id, ret_list, ret_n, e);
}

int store_evidence_overlaps(struct store *s, int64_t from, int64_t to, bool *ret, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT 1 FROM sources WHERE kind IN ('events', 'metrics') AND "
                               "max_ts >= ? AND min_ts <= ? LIMIT 1", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int step = sqlite3_step(st);
    *ret = step == SQLITE_ROW;
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = store__fail(s, e, "look up sources");
    sqlite3_finalize(st);
    return rc;
}
