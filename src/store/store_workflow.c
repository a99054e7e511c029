/* store_workflow.c: hypotheses, evidence, actions (with dependencies and notes), teams and
 * people. */
#include "store/store_impl.h"

#include "core/timefmt.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Runs a prepared statement to completion; fills e on failure. */
static int run(struct store *s, sqlite3_stmt *st, const char *what, struct err *e)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? ERR_OK : store__fail(s, e, what);
    sqlite3_finalize(st);
    return rc;
}

/* ---- hypotheses ---- */

#define HYPO_COLUMNS "id, incident_id, text, owner, likelihood, impact, status, " \
                     "explained_share, created_at, updated_at"

static void bind_hypothesis(sqlite3_stmt *st, const struct hypothesis *h)
{
    sqlite3_bind_int64(st, 1, h->incident_id);
    store__bind_text(st, 2, h->text);
    store__bind_text(st, 3, h->owner);
    sqlite3_bind_int(st, 4, h->likelihood);
    sqlite3_bind_int(st, 5, h->impact);
    sqlite3_bind_text(st, 6, hypo_status_name(h->status), -1, SQLITE_STATIC);
    if (isnan(h->explained_share))
        sqlite3_bind_null(st, 7);
    else
        sqlite3_bind_double(st, 7, h->explained_share);
    sqlite3_bind_int64(st, 8, h->created_at);
    sqlite3_bind_int64(st, 9, h->updated_at);
}

int store_hypothesis_insert(struct store *s, struct hypothesis *h, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO hypotheses (incident_id, text, owner, likelihood, "
                               "impact, status, explained_share, created_at, updated_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    bind_hypothesis(st, h);
    if ((rc = run(s, st, "add a hypothesis", e)) == ERR_OK)
        h->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_hypothesis_save(struct store *s, const struct hypothesis *h, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "UPDATE hypotheses SET incident_id = ?1, text = ?2, owner = ?3, "
                               "likelihood = ?4, impact = ?5, status = ?6, explained_share = ?7, "
                               "created_at = ?8, updated_at = ?9 WHERE id = ?10", &st, e);
    if (rc < 0)
        return rc;
    bind_hypothesis(st, h);
    sqlite3_bind_int64(st, 10, h->id);
    return run(s, st, "update a hypothesis", e);
}

static void read_hypothesis(sqlite3_stmt *st, struct hypothesis *h)
{
    h->id = sqlite3_column_int64(st, 0);
    h->incident_id = sqlite3_column_int64(st, 1);
    h->text = store__column_strdup(st, 2);
    h->owner = store__column_strdup(st, 3);
    h->likelihood = sqlite3_column_int(st, 4);
    h->impact = sqlite3_column_int(st, 5);
    enum hypo_status status = HS_PROPOSED;
    hypo_status_parse((const char *)sqlite3_column_text(st, 6), &status, NULL);
    h->status = status;
    h->explained_share = sqlite3_column_type(st, 7) == SQLITE_NULL
                             ? NAN : sqlite3_column_double(st, 7);
    h->created_at = sqlite3_column_int64(st, 8);
    h->updated_at = sqlite3_column_int64(st, 9);
}

int store_hypothesis_get(struct store *s, int64_t id, struct hypothesis *ret, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT " HYPO_COLUMNS " FROM hypotheses WHERE id = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        read_hypothesis(st, ret);
    else if (step == SQLITE_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "unknown hypothesis 'H-%lld'", (long long)id);
    else
        rc = store__fail(s, e, "read a hypothesis");
    sqlite3_finalize(st);
    return rc;
}

int store_hypothesis_list(struct store *s, int64_t incident_id, struct hypothesis **ret_list,
                          size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT " HYPO_COLUMNS " FROM hypotheses WHERE incident_id = ? "
                               "ORDER BY id", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    struct hypothesis *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        memset(&list[n], 0, sizeof(list[n]));
        read_hypothesis(st, &list[n++]);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "list hypotheses");
    sqlite3_finalize(st);
    if (rc < 0) {
        hypotheses_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

int store_evidence_insert(struct store *s, struct evidence *ev, const void *file_data,
                          size_t file_len, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO evidence (hypothesis_id, kind, supports, note, "
                               "query, from_ts, to_ts, bucket_ms, result, file_name, "
                               "file_sha256, file_bytes, file_data, actor, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, ev->hypothesis_id);
    sqlite3_bind_text(st, 2, evidence_kind_name(ev->kind), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, ev->supports ? 1 : 0);
    store__bind_text(st, 4, ev->note);
    store__bind_text(st, 5, ev->query);
    store__bind_time(st, 6, ev->query ? ev->from : TIME_UNSET);
    store__bind_time(st, 7, ev->query ? ev->to : TIME_UNSET);
    store__bind_time(st, 8, ev->query ? ev->bucket_ms : TIME_UNSET);
    store__bind_text(st, 9, ev->result);
    store__bind_text(st, 10, ev->file_name);
    store__bind_text(st, 11, ev->file_sha256);
    if (ev->file_name)
        sqlite3_bind_int64(st, 12, ev->file_bytes);
    else
        sqlite3_bind_null(st, 12);
    if (file_data)
        sqlite3_bind_blob64(st, 13, file_data, file_len, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 13);
    store__bind_text(st, 14, ev->actor);
    sqlite3_bind_int64(st, 15, ev->created_at);
    if ((rc = run(s, st, "add evidence", e)) == ERR_OK)
        ev->id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store_evidence_list(struct store *s, int64_t incident_id, struct evidence **ret_list,
                        size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT e.id, e.hypothesis_id, e.kind, e.supports, e.note, "
                               "e.query, e.from_ts, e.to_ts, e.bucket_ms, e.result, e.file_name, "
                               "e.file_sha256, e.file_bytes, e.actor, e.created_at FROM evidence "
                               "e JOIN hypotheses h ON h.id = e.hypothesis_id WHERE "
                               "h.incident_id = ? ORDER BY e.id", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    struct evidence *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        struct evidence *ev = &list[n++];
        memset(ev, 0, sizeof(*ev));
        ev->id = sqlite3_column_int64(st, 0);
        ev->hypothesis_id = sqlite3_column_int64(st, 1);
        enum evidence_kind kind = EV_NOTE;
        evidence_kind_parse((const char *)sqlite3_column_text(st, 2), &kind);
        ev->kind = kind;
        ev->supports = sqlite3_column_int(st, 3) != 0;
        ev->note = store__column_strdup(st, 4);
        ev->query = store__column_strdup(st, 5);
        ev->from = store__column_time(st, 6);
        ev->to = store__column_time(st, 7);
        ev->bucket_ms = store__column_time(st, 8);
        ev->result = store__column_strdup(st, 9);
        ev->file_name = store__column_strdup(st, 10);
        ev->file_sha256 = store__column_strdup(st, 11);
        ev->file_bytes = store__column_count(st, 12);
        ev->actor = store__column_strdup(st, 13);
        ev->created_at = sqlite3_column_int64(st, 14);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "list evidence");
    sqlite3_finalize(st);
    if (rc < 0) {
        evidence_list_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

/* ---- actions ---- */

#define ACTION_COLUMNS "id, incident_id, text, kind, owner, due_at, status, mitigates, " \
                       "success_expr, success_op, success_value, success_window_ms, "    \
                       "no_success_reason, wontfix_reason, recurrence, severity, effort, " \
                       "done_at, last_update, created_at, updated_at"

static void bind_action(sqlite3_stmt *st, const struct action *a)
{
    sqlite3_bind_int64(st, 1, a->incident_id);
    store__bind_text(st, 2, a->text);
    sqlite3_bind_text(st, 3, action_kind_name(a->kind), -1, SQLITE_STATIC);
    store__bind_text(st, 4, a->owner);
    sqlite3_bind_int64(st, 5, a->due_at);
    sqlite3_bind_text(st, 6, action_status_name(a->status), -1, SQLITE_STATIC);
    if (a->mitigates > 0)
        sqlite3_bind_int64(st, 7, a->mitigates);
    else
        sqlite3_bind_null(st, 7);
    store__bind_text(st, 8, a->success.expr);
    if (a->success.expr) {
        sqlite3_bind_text(st, 9, cmp_kind_name(a->success.op), -1, SQLITE_STATIC);
        sqlite3_bind_double(st, 10, a->success.value);
        sqlite3_bind_int64(st, 11, a->success.window_ms);
    } else {
        sqlite3_bind_null(st, 9);
        sqlite3_bind_null(st, 10);
        sqlite3_bind_null(st, 11);
    }
    store__bind_text(st, 12, a->no_success_reason);
    store__bind_text(st, 13, a->wontfix_reason);
    sqlite3_bind_int(st, 14, a->recurrence);
    sqlite3_bind_int(st, 15, a->severity);
    sqlite3_bind_int(st, 16, a->effort);
    store__bind_time(st, 17, a->done_at);
    sqlite3_bind_int64(st, 18, a->last_update);
    sqlite3_bind_int64(st, 19, a->created_at);
    sqlite3_bind_int64(st, 20, a->updated_at);
}

static int write_deps(struct store *s, const struct action *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "DELETE FROM action_deps WHERE action_id = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, a->id);
    if ((rc = run(s, st, "write action dependencies", e)) < 0)
        return rc;
    for (size_t i = 0; i < a->n_depends && rc == ERR_OK; i++) {
        if ((rc = store__prepare(s, "INSERT OR IGNORE INTO action_deps (action_id, depends_on) "
                                    "VALUES (?, ?)", &st, e)) < 0)
            break;
        sqlite3_bind_int64(st, 1, a->id);
        sqlite3_bind_int64(st, 2, a->depends_on[i]);
        rc = run(s, st, "write action dependencies", e);
    }
    return rc;
}

int store_action_insert(struct store *s, struct action *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO actions (incident_id, text, kind, owner, due_at, "
                               "status, mitigates, success_expr, success_op, success_value, "
                               "success_window_ms, no_success_reason, wontfix_reason, "
                               "recurrence, severity, effort, done_at, last_update, created_at, "
                               "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                               "?, ?, ?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    bind_action(st, a);
    if ((rc = run(s, st, "add an action", e)) < 0)
        return rc;
    a->id = sqlite3_last_insert_rowid(s->db);
    return write_deps(s, a, e);
}

int store_action_save(struct store *s, const struct action *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "UPDATE actions SET incident_id = ?1, text = ?2, kind = ?3, "
                               "owner = ?4, due_at = ?5, status = ?6, mitigates = ?7, "
                               "success_expr = ?8, success_op = ?9, success_value = ?10, "
                               "success_window_ms = ?11, no_success_reason = ?12, "
                               "wontfix_reason = ?13, recurrence = ?14, severity = ?15, "
                               "effort = ?16, done_at = ?17, last_update = ?18, created_at = ?19,"
                               " updated_at = ?20 WHERE id = ?21", &st, e);
    if (rc < 0)
        return rc;
    bind_action(st, a);
    sqlite3_bind_int64(st, 21, a->id);
    if ((rc = run(s, st, "update an action", e)) < 0)
        return rc;
    return write_deps(s, a, e);
}

static void read_action(sqlite3_stmt *st, struct action *a)
{
    memset(a, 0, sizeof(*a));
    a->id = sqlite3_column_int64(st, 0);
    a->incident_id = sqlite3_column_int64(st, 1);
    a->text = store__column_strdup(st, 2);
    enum action_kind kind = AK_PROCESS;
    action_kind_parse((const char *)sqlite3_column_text(st, 3), &kind, NULL);
    a->kind = kind;
    a->owner = store__column_strdup(st, 4);
    a->due_at = sqlite3_column_int64(st, 5);
    enum action_status status = AS_TODO;
    action_status_parse((const char *)sqlite3_column_text(st, 6), &status, NULL);
    a->status = status;
    a->mitigates = store__column_count(st, 7) > 0 ? sqlite3_column_int64(st, 7) : 0;
    a->success.expr = store__column_strdup(st, 8);
    if (a->success.expr) {
        const char *op = (const char *)sqlite3_column_text(st, 9);
        static const char *const ops[] = {"<", "<=", ">", ">=", "=", "!="};
        for (int k = 0; op && k < 6; k++)
            if (strcmp(op, ops[k]) == 0)
                a->success.op = (enum cmp_kind)k;
        a->success.value = sqlite3_column_double(st, 10);
        a->success.window_ms = sqlite3_column_int64(st, 11);
    }
    a->no_success_reason = store__column_strdup(st, 12);
    a->wontfix_reason = store__column_strdup(st, 13);
    a->recurrence = sqlite3_column_int(st, 14);
    a->severity = sqlite3_column_int(st, 15);
    a->effort = sqlite3_column_int(st, 16);
    a->done_at = store__column_time(st, 17);
    a->last_update = sqlite3_column_int64(st, 18);
    a->created_at = sqlite3_column_int64(st, 19);
    a->updated_at = sqlite3_column_int64(st, 20);
}

static int read_deps(struct store *s, struct action *a, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT depends_on FROM action_deps WHERE action_id = ? "
                               "ORDER BY depends_on", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, a->id);
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&a->depends_on, &cap, a->n_depends + 1, sizeof(*a->depends_on));
        a->depends_on[a->n_depends++] = sqlite3_column_int64(st, 0);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read action dependencies");
    sqlite3_finalize(st);
    return rc;
}

int store_action_get(struct store *s, int64_t id, struct action *ret, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT " ACTION_COLUMNS " FROM actions WHERE id = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    struct action a;
    memset(&a, 0, sizeof(a));
    if (step == SQLITE_ROW)
        read_action(st, &a);
    else if (step == SQLITE_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "unknown action 'A-%lld'", (long long)id);
    else
        rc = store__fail(s, e, "read an action");
    sqlite3_finalize(st);
    if (rc == ERR_OK)
        rc = read_deps(s, &a, e);
    if (rc < 0) {
        action_release(&a);
        return rc;
    }
    *ret = a;
    return ERR_OK;
}

int store_action_list(struct store *s, int64_t incident_id, const char *owner,
                      struct action **ret_list, size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    /* One text per case: with "?1 = 0 OR incident_id = ?1" SQLite cannot use the index. */
    int rc = store__prepare(s, incident_id
                                   ? "SELECT " ACTION_COLUMNS " FROM actions WHERE incident_id = "
                                     "?1 AND (?2 IS NULL OR owner = ?2) ORDER BY id"
                                   : "SELECT " ACTION_COLUMNS " FROM actions WHERE ?1 = 0 AND "
                                     "(?2 IS NULL OR owner = ?2) ORDER BY id",
                            &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, incident_id);
    store__bind_text(st, 2, owner);
    struct action *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        read_action(st, &list[n++]);
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "list actions");
    sqlite3_finalize(st);
    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        rc = read_deps(s, &list[i], e);
    if (rc < 0) {
        actions_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

int store_action_note_add(struct store *s, int64_t action_id, int64_t at, const char *actor,
                          const char *text, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO action_notes (action_id, at, actor, text) VALUES "
                               "(?, ?, ?, ?)", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, action_id);
    sqlite3_bind_int64(st, 2, at);
    store__bind_text(st, 3, actor);
    store__bind_text(st, 4, text);
    return run(s, st, "add a progress note", e);
}

void action_notes_free(struct action_note *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].actor);
        free(list[i].text);
    }
    free(list);
}

int store_action_notes(struct store *s, int64_t action_id, struct action_note **ret_list,
                       size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT at, actor, text FROM action_notes WHERE action_id = ? "
                               "ORDER BY at, id", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, action_id);
    struct action_note *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        list[n].at = sqlite3_column_int64(st, 0);
        list[n].actor = store__column_strdup(st, 1);
        list[n].text = store__column_strdup(st, 2);
        n++;
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read progress notes");
    sqlite3_finalize(st);
    if (rc < 0) {
        action_notes_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

/* ---- teams and people ---- */

void teams_free(struct team *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].name);
        free(list[i].lead);
        free(list[i].escalation);
    }
    free(list);
}

int store_team_put(struct store *s, const struct team *t, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "INSERT INTO teams (name, lead, escalation) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (name) DO UPDATE SET lead = ?2, escalation = ?3",
                            &st, e);
    if (rc < 0)
        return rc;
    store__bind_text(st, 1, t->name);
    store__bind_text(st, 2, t->lead);
    store__bind_text(st, 3, t->escalation);
    return run(s, st, "write a team", e);
}

int store_team_list(struct store *s, struct team **ret_list, size_t *ret_n, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT name, lead, escalation FROM teams ORDER BY name", &st, e);
    if (rc < 0)
        return rc;
    struct team *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        list[n].name = store__column_strdup(st, 0);
        list[n].lead = store__column_strdup(st, 1);
        list[n].escalation = store__column_strdup(st, 2);
        n++;
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "list teams");
    sqlite3_finalize(st);
    if (rc < 0) {
        teams_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

int store_person_put(struct store *s, const char *name, const char *team, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT 1 FROM teams WHERE name = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, team, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_ROW)
        return err_set(e, ERR_NOT_FOUND, "unknown team '%.64s' (hindsight team add NAME --lead "
                       "WHO)", team);
    if ((rc = store__prepare(s, "INSERT INTO people (name, team) VALUES (?1, ?2) ON CONFLICT "
                                "(name) DO UPDATE SET team = ?2", &st, e)) < 0)
        return rc;
    store__bind_text(st, 1, name);
    store__bind_text(st, 2, team);
    return run(s, st, "write a person", e);
}

int store_person_team(struct store *s, const char *name, char **ret_team, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT team FROM people WHERE name = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(st);
    *ret_team = step == SQLITE_ROW ? store__column_strdup(st, 0) : NULL;
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = store__fail(s, e, "read a person");
    sqlite3_finalize(st);
    return rc;
}
