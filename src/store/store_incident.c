/* store_incident.c: incidents and their lists (services, segments, tags, signals). */
#include "store/store_impl.h"

#include "core/buf.h"
#include "core/timefmt.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INCIDENT_COLUMNS                                                                       \
    "id, seq, title, summary, owner, severity, status, started_at, detected_at, "              \
    "acknowledged_at, mitigated_at, resolved_at, reopen_count, affected_users, revenue_lost, " \
    "support_tickets, created_at, updated_at"

/* Binds the fields shared by INSERT and UPDATE, from parameter 1 on (15 parameters). */
static void bind_fields(sqlite3_stmt *st, const struct incident *inc)
{
    store__bind_text(st, 1, inc->title);
    store__bind_text(st, 2, inc->summary);
    store__bind_text(st, 3, inc->owner);
    sqlite3_bind_int(st, 4, (int)inc->severity);
    sqlite3_bind_text(st, 5, status_name(inc->status), -1, SQLITE_STATIC);
    for (int t = 0; t < T__COUNT; t++)
        store__bind_time(st, 6 + t, inc->times[t]);
    sqlite3_bind_int64(st, 11, inc->reopen_count);
    store__bind_count(st, 12, inc->affected_users);
    if (isnan(inc->revenue_lost))
        sqlite3_bind_null(st, 13);
    else
        sqlite3_bind_double(st, 13, inc->revenue_lost);
    store__bind_count(st, 14, inc->support_tickets);
    sqlite3_bind_int64(st, 15, inc->updated_at);
}

/* Writes one list table for the incident: rows (incident_id, pos, <column>). */
static int write_list(struct store *s, int64_t id, const char *table, const char *column,
                      const struct strlist *l, struct err *e)
{
    char sql[160];
    sqlite3_stmt *st = NULL;
    snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE incident_id = ?", table);
    int rc = store__prepare(s, sql, &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "write an incident");
    sqlite3_finalize(st);
    if (rc < 0)
        return rc;
    snprintf(sql, sizeof(sql), "INSERT INTO %s (incident_id, pos, %s) VALUES (?, ?, ?)", table,
             column);
    if ((rc = store__prepare(s, sql, &st, e)) < 0)
        return rc;
    for (size_t i = 0; i < l->n && rc == ERR_OK; i++) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (int64_t)i);
        store__bind_text(st, 3, l->items[i]);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = store__fail(s, e, "write an incident");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

static int write_signals(struct store *s, const struct incident *inc, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "DELETE FROM incident_signals WHERE incident_id = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, inc->id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "write an incident");
    sqlite3_finalize(st);
    if (rc < 0)
        return rc;
    if ((rc = store__prepare(s, "INSERT INTO incident_signals (incident_id, pos, name, fired_at)"
                                " VALUES (?, ?, ?, ?)", &st, e)) < 0)
        return rc;
    for (size_t i = 0; i < inc->n_signals && rc == ERR_OK; i++) {
        sqlite3_bind_int64(st, 1, inc->id);
        sqlite3_bind_int64(st, 2, (int64_t)i);
        store__bind_text(st, 3, inc->signals[i].name);
        sqlite3_bind_int64(st, 4, inc->signals[i].at);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = store__fail(s, e, "write an incident");
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

static int write_children(struct store *s, const struct incident *inc, struct err *e)
{
    int rc = write_list(s, inc->id, "incident_services", "name", &inc->services, e);
    if (rc == ERR_OK)
        rc = write_list(s, inc->id, "incident_segments", "segment", &inc->segments, e);
    if (rc == ERR_OK)
        rc = write_list(s, inc->id, "incident_tags", "tag", &inc->tags, e);
    if (rc == ERR_OK)
        rc = write_signals(s, inc, e);
    return rc;
}

int store_incident_insert(struct store *s, struct incident *inc, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s,
        "INSERT INTO incidents (title, summary, owner, severity, status, started_at, "
        "detected_at, acknowledged_at, mitigated_at, resolved_at, reopen_count, affected_users, "
        "revenue_lost, support_tickets, updated_at, created_at, seq) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
        "(SELECT coalesce(max(seq), 0) + 1 FROM incidents)) RETURNING id, seq", &st, e);
    if (rc < 0)
        return rc;
    bind_fields(st, inc);
    sqlite3_bind_int64(st, 16, inc->created_at);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = store__fail(s, e, "create an incident");
        sqlite3_finalize(st);
        return rc;
    }
    int64_t id = sqlite3_column_int64(st, 0), seq = sqlite3_column_int64(st, 1);
    sqlite3_step(st); /* finish the statement so the row is complete before children refer to it */
    sqlite3_finalize(st);
    inc->id = id;
    inc->seq = seq;
    return write_children(s, inc, e);
}

int store_incident_save(struct store *s, const struct incident *inc, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s,
        "UPDATE incidents SET title = ?1, summary = ?2, owner = ?3, severity = ?4, status = ?5, "
        "started_at = ?6, detected_at = ?7, acknowledged_at = ?8, mitigated_at = ?9, "
        "resolved_at = ?10, reopen_count = ?11, affected_users = ?12, revenue_lost = ?13, "
        "support_tickets = ?14, updated_at = ?15 WHERE id = ?16", &st, e);
    if (rc < 0)
        return rc;
    bind_fields(st, inc);
    sqlite3_bind_int64(st, 16, inc->id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = store__fail(s, e, "update an incident");
    else if (sqlite3_changes(s->db) != 1)
        rc = err_set(e, ERR_NOT_FOUND, "incident row %lld vanished", (long long)inc->id);
    sqlite3_finalize(st);
    return rc == ERR_OK ? write_children(s, inc, e) : rc;
}

static void read_row(sqlite3_stmt *st, struct incident *inc)
{
    inc->id = sqlite3_column_int64(st, 0);
    inc->seq = sqlite3_column_int64(st, 1);
    inc->title = store__column_strdup(st, 2);
    inc->summary = store__column_strdup(st, 3);
    inc->owner = store__column_strdup(st, 4);
    inc->severity = (enum severity)sqlite3_column_int(st, 5);
    const char *status = (const char *)sqlite3_column_text(st, 6);
    enum incident_status parsed = ST_OPEN;
    if (status)
        status_parse(status, &parsed, NULL);
    inc->status = parsed;
    for (int t = 0; t < T__COUNT; t++)
        inc->times[t] = store__column_time(st, 7 + t);
    inc->reopen_count = sqlite3_column_int64(st, 12);
    inc->affected_users = store__column_count(st, 13);
    inc->revenue_lost = sqlite3_column_type(st, 14) == SQLITE_NULL ? NAN
                                                                    : sqlite3_column_double(st, 14);
    inc->support_tickets = store__column_count(st, 15);
    inc->created_at = sqlite3_column_int64(st, 16);
    inc->updated_at = sqlite3_column_int64(st, 17);
}

static int read_list(struct store *s, int64_t id, const char *table, const char *column,
                     struct strlist *out, struct err *e)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE incident_id = ? ORDER BY pos", column,
             table);
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, sql, &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        strlist_push(out, (const char *)sqlite3_column_text(st, 0));
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read an incident");
    sqlite3_finalize(st);
    return rc;
}

static int read_signals(struct store *s, struct incident *inc, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT name, fired_at FROM incident_signals "
                               "WHERE incident_id = ? ORDER BY pos", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, inc->id);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        incident_add_signal(inc, (const char *)sqlite3_column_text(st, 0),
                            sqlite3_column_int64(st, 1));
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "read an incident");
    sqlite3_finalize(st);
    return rc;
}

static int read_children(struct store *s, struct incident *inc, struct err *e)
{
    int rc = read_list(s, inc->id, "incident_services", "name", &inc->services, e);
    if (rc == ERR_OK)
        rc = read_list(s, inc->id, "incident_segments", "segment", &inc->segments, e);
    if (rc == ERR_OK)
        rc = read_list(s, inc->id, "incident_tags", "tag", &inc->tags, e);
    if (rc == ERR_OK)
        rc = read_signals(s, inc, e);
    return rc;
}

/* Index from row id to position in a listed array, for attaching child rows. */
struct id_pos {
    int64_t id;
    size_t pos;
};

static int cmp_id_pos(const void *a, const void *b)
{
    int64_t x = ((const struct id_pos *)a)->id, y = ((const struct id_pos *)b)->id;
    return (x > y) - (x < y);
}

static struct incident *find_listed(struct id_pos *index, size_t n, struct incident *list,
                                    int64_t id)
{
    struct id_pos key = {id, 0};
    struct id_pos *hit = bsearch(&key, index, n, sizeof(*index), cmp_id_pos);
    return hit ? &list[hit->pos] : NULL;
}

/* Loads the lists of every listed incident with one scan per list table, instead of four
 * queries per incident: listing thousands of incidents stays a handful of statements. */
static int read_children_of_list(struct store *s, struct incident *list, size_t n,
                                 struct err *e)
{
    static const char *const sql[] = {
        "SELECT incident_id, name, 0 FROM incident_services ORDER BY incident_id, pos",
        "SELECT incident_id, segment, 0 FROM incident_segments ORDER BY incident_id, pos",
        "SELECT incident_id, tag, 0 FROM incident_tags ORDER BY incident_id, pos",
        "SELECT incident_id, name, fired_at FROM incident_signals ORDER BY incident_id, pos",
    };
    if (n == 0)
        return ERR_OK;
    struct id_pos *index = xmallocarray(n, sizeof(*index));
    for (size_t i = 0; i < n; i++)
        index[i] = (struct id_pos){list[i].id, i};
    qsort(index, n, sizeof(*index), cmp_id_pos);
    int rc = ERR_OK;
    for (size_t q = 0; q < sizeof(sql) / sizeof(sql[0]) && rc == ERR_OK; q++) {
        sqlite3_stmt *st = NULL;
        if ((rc = store__prepare(s, sql[q], &st, e)) < 0)
            break;
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            struct incident *inc = find_listed(index, n, list, sqlite3_column_int64(st, 0));
            const char *value = (const char *)sqlite3_column_text(st, 1);
            if (!inc || !value)
                continue;
            if (q == 0)
                strlist_push(&inc->services, value);
            else if (q == 1)
                strlist_push(&inc->segments, value);
            else if (q == 2)
                strlist_push(&inc->tags, value);
            else
                incident_add_signal(inc, value, sqlite3_column_int64(st, 2));
        }
        if (step != SQLITE_DONE)
            rc = store__fail(s, e, "list incidents");
        sqlite3_finalize(st);
    }
    free(index);
    return rc;
}

int store_incident_get(struct store *s, int64_t seq, struct incident *ret, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT " INCIDENT_COLUMNS " FROM incidents WHERE seq = ?", &st,
                            e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, seq);
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE) {
        sqlite3_finalize(st);
        return err_set(e, ERR_NOT_FOUND, "unknown incident 'INC-%lld'", (long long)seq);
    }
    if (step != SQLITE_ROW) {
        rc = store__fail(s, e, "read an incident");
        sqlite3_finalize(st);
        return rc;
    }
    struct incident inc;
    incident_init(&inc);
    read_row(st, &inc);
    sqlite3_finalize(st);
    if ((rc = read_children(s, &inc, e)) < 0) {
        incident_release(&inc);
        return rc;
    }
    incident_release(ret);
    *ret = inc;
    return ERR_OK;
}

int store_incident_get_by_id(struct store *s, int64_t id, struct incident *ret, struct err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, "SELECT seq FROM incidents WHERE id = ?", &st, e);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    int64_t seq = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (step == SQLITE_DONE)
        rc = err_set(e, ERR_NOT_FOUND, "unknown incident row %lld", (long long)id);
    else if (step != SQLITE_ROW)
        rc = store__fail(s, e, "read an incident");
    sqlite3_finalize(st);
    return rc < 0 ? rc : store_incident_get(s, seq, ret, e);
}

void incidents_free(struct incident *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        incident_release(&list[i]);
    free(list);
}

/* Builds the WHERE clause; parameters are bound in the same order by bind_filter. */
static void filter_sql(const struct incident_filter *f, struct buf *sql)
{
    buf_puts(sql, "SELECT " INCIDENT_COLUMNS " FROM incidents WHERE 1");
    if (f->status >= 0)
        buf_puts(sql, " AND status = ?");
    if (f->severity > 0)
        buf_puts(sql, " AND severity = ?");
    if (f->tag)
        buf_puts(sql, " AND id IN (SELECT incident_id FROM incident_tags WHERE tag = ?)");
    if (f->service)
        buf_puts(sql, " AND id IN (SELECT incident_id FROM incident_services WHERE name = ?)");
    if (f->since != TIME_UNSET)
        buf_puts(sql, " AND started_at >= ?");
    if (f->until != TIME_UNSET)
        buf_puts(sql, " AND started_at < ?");
    if (f->search)
        buf_puts(sql, " AND (instr(lower('INC-' || seq), lower(?1000)) OR "
                      "instr(lower(title), lower(?1000)) OR "
                      "instr(lower(coalesce(summary, '')), lower(?1000)))");
    buf_puts(sql, " ORDER BY started_at DESC, seq DESC");
}

static void bind_filter(sqlite3_stmt *st, const struct incident_filter *f)
{
    int i = 1;
    if (f->status >= 0)
        sqlite3_bind_text(st, i++, status_name((enum incident_status)f->status), -1,
                          SQLITE_STATIC);
    if (f->severity > 0)
        sqlite3_bind_int(st, i++, f->severity);
    if (f->tag)
        sqlite3_bind_text(st, i++, f->tag, -1, SQLITE_TRANSIENT);
    if (f->service)
        sqlite3_bind_text(st, i++, f->service, -1, SQLITE_TRANSIENT);
    if (f->since != TIME_UNSET)
        sqlite3_bind_int64(st, i++, f->since);
    if (f->until != TIME_UNSET)
        sqlite3_bind_int64(st, i++, f->until);
    if (f->search)
        sqlite3_bind_text(st, 1000, f->search, -1, SQLITE_TRANSIENT);
}

int store_incident_list(struct store *s, const struct incident_filter *f,
                        struct incident **ret_list, size_t *ret_n, struct err *e)
{
    struct buf sql = BUF_INIT;
    filter_sql(f, &sql);
    sqlite3_stmt *st = NULL;
    int rc = store__prepare(s, buf_str(&sql), &st, e);
    buf_release(&sql);
    if (rc < 0)
        return rc;
    bind_filter(st, f);
    struct incident *list = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        xgrow((void **)&list, &cap, n + 1, sizeof(*list));
        incident_init(&list[n]);
        read_row(st, &list[n]);
        n++;
    }
    if (step != SQLITE_DONE)
        rc = store__fail(s, e, "list incidents");
    sqlite3_finalize(st);
    if (rc == ERR_OK)
        rc = read_children_of_list(s, list, n, e);
    if (rc < 0) {
        incidents_free(list, n);
        return rc;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}
