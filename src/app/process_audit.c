/* process_audit.c: findings about the postmortem process (app/process_audit.h).
 *
 * Each finding kind is one function over the records read once at the start (incidents and
 * actions); the others read what only they need (sections, sources, evidence, feedback). The
 * overdue postmortems come from app_due, so `audit` and `due` can never disagree. */
#include "app/process_audit.h"

#include "app/postmortem.h"
#include "core/buf.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
    struct app *a;
    struct process_audit *p;
    struct incident *incs;
    size_t n_incs;
    struct action *acts;
    size_t n_acts;
};

size_t audit_word_count(const char *s)
{
    size_t n = 0;
    bool in_word = false;
    for (; s && *s; s++) {
        bool space = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
        n += !space && !in_word;
        in_word = !space;
    }
    return n;
}

/* "INC-3" of the incident with store row id; "INC-?" when it is gone. */
static void key_of(const struct run *r, int64_t incident_id, char out[INCIDENT_KEY_MAX])
{
    for (size_t i = 0; i < r->n_incs; i++)
        if (r->incs[i].id == incident_id) {
            incident_key(r->incs[i].seq, out);
            return;
        }
    snprintf(out, INCIDENT_KEY_MAX, "INC-?");
}

/* ======== thin sections ======== */

struct thin {
    char *id, *title;
    bool required;
    size_t missing, short_, order;
    struct strlist records;
};

static struct thin *thin_slot(struct thin **list, size_t *n, size_t *cap,
                              const struct template_section *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i].id, s->id) == 0)
            return &(*list)[i];
    xgrow((void **)list, cap, *n + 1, sizeof(**list));
    struct thin *t = &(*list)[(*n)++];
    *t = (struct thin){xstrdup(s->id), xstrdup(s->title), s->required, 0, 0, *n - 1,
                       STRLIST_INIT};
    return t;
}

static int cmp_thin(const void *pa, const void *pb)
{
    const struct thin *x = pa, *y = pb;
    size_t nx = x->missing + x->short_, ny = y->missing + y->short_;
    if (nx != ny)
        return nx > ny ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* Checks every section of one incident's template against its written text. */
static int thin_of_incident(struct run *r, const struct incident *inc, struct thin **list,
                            size_t *n, size_t *cap, struct err *e)
{
    char *name = NULL;
    struct pm_row *rows = NULL;
    size_t n_rows = 0;
    struct template tmpl = {0};
    int rc = store_incident_template(r->a->store, inc->id, &name, e);
    if (rc == ERR_OK)
        rc = app_template_get(r->a, name ? name : TEMPLATE_DEFAULT_NAME, &tmpl, e);
    if (rc == ERR_OK)
        rc = store_sections(r->a->store, inc->id, &rows, &n_rows, e);
    char key[INCIDENT_KEY_MAX];
    incident_key(inc->seq, key);
    for (size_t k = 0; rc == ERR_OK && k < tmpl.n; k++) {
        const char *text = NULL;
        for (size_t j = 0; j < n_rows; j++)
            if (rows[j].key && strcmp(rows[j].key, tmpl.sections[k].id) == 0)
                text = rows[j].text;
        size_t words = audit_word_count(text);
        /* An optional section left out is a choice, not a thin postmortem; written but short,
         * it counts like a required one. */
        if (words >= AUDIT_THIN_WORDS || (words == 0 && !tmpl.sections[k].required))
            continue;
        struct thin *t = thin_slot(list, n, cap, &tmpl.sections[k]);
        if (words == 0)
            t->missing++;
        else
            t->short_++;
        strlist_push(&t->records, key);
    }
    template_release(&tmpl);
    pm_rows_free(rows, n_rows);
    free(name);
    return rc;
}

static int find_thin_sections(struct run *r, struct err *e)
{
    struct thin *list = NULL;
    size_t n = 0, cap = 0;
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < r->n_incs; i++) {
        enum incident_status s = r->incs[i].status;
        if (s != ST_POSTMORTEM && s != ST_REVIEW && s != ST_COMPLETE)
            continue;
        r->p->postmortems++;
        rc = thin_of_incident(r, &r->incs[i], &list, &n, &cap, e);
    }
    if (n > 1)
        qsort(list, n, sizeof(*list), cmp_thin);
    for (size_t i = 0; i < n; i++) {
        struct thin *t = &list[i];
        char text[512];
        snprintf(text, sizeof(text), "section '%.60s' (%.120s, %s) thin in %zu of %zu "
                 "postmortems: %zu missing, %zu under %d words", t->id, t->title,
                 t->required ? "required" : "optional", t->missing + t->short_,
                 r->p->postmortems, t->missing, t->short_, AUDIT_THIN_WORDS);
        if (rc == ERR_OK) {
            struct audit_finding *f = process_audit_add(r->p, AUDIT_THIN_SECTION, text,
                                                        t->missing + t->short_);
            f->records = t->records;
        } else {
            strlist_release(&t->records);
        }
        free(t->id);
        free(t->title);
    }
    free(list);
    return rc;
}

/* ======== actions ======== */

static void find_no_success(struct run *r)
{
    for (size_t i = 0; i < r->n_acts; i++) {
        const struct action *act = &r->acts[i];
        if (act->success.expr || !act->no_success_reason || act->status == AS_WONTFIX)
            continue;
        char key[32], inc[INCIDENT_KEY_MAX], text[800];
        action_key(act->id, key);
        key_of(r, act->incident_id, inc);
        snprintf(text, sizeof(text), "%s (%s, owner %.80s, %s): no success criterion because: "
                 "%.500s", key, inc, act->owner ? act->owner : "nobody",
                 action_status_name(act->status), act->no_success_reason);
        struct audit_finding *f = process_audit_add(r->p, AUDIT_NO_SUCCESS, text, 1);
        strlist_push(&f->records, key);
        strlist_push(&f->records, inc);
    }
}

struct owner_group {
    const char *owner;
    int64_t oldest; /* the earliest last update among the group's actions */
    struct strlist records;
};

static int cmp_group(const void *pa, const void *pb)
{
    const struct owner_group *x = pa, *y = pb;
    if (x->records.n != y->records.n)
        return x->records.n > y->records.n ? -1 : 1;
    return strcmp(x->owner, y->owner);
}

/* Open actions with nothing recorded for the stall interval (model/action.h), by owner. */
static void find_no_update(struct run *r)
{
    const struct action_policy *pol = &r->a->policies.actions;
    struct owner_group *g = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < r->n_acts; i++) {
        const struct action *act = &r->acts[i];
        if (!action_stalled(pol, act, r->a->now))
            continue;
        const char *owner = act->owner ? act->owner : "nobody";
        size_t k = 0;
        while (k < n && strcmp(g[k].owner, owner) != 0)
            k++;
        if (k == n) {
            xgrow((void **)&g, &cap, n + 1, sizeof(*g));
            g[n++] = (struct owner_group){owner, act->last_update, STRLIST_INIT};
        }
        char key[32];
        action_key(act->id, key);
        strlist_push(&g[k].records, key);
        if (act->last_update < g[k].oldest)
            g[k].oldest = act->last_update;
    }
    if (n > 1)
        qsort(g, n, sizeof(*g), cmp_group);
    for (size_t k = 0; k < n; k++) {
        char text[400], d[DURATION_STR_MAX], t[TIME_STR_MAX];
        snprintf(text, sizeof(text), "%.120s: %zu open action%s without an update for %s or "
                 "more (the oldest last updated %s)", g[k].owner, g[k].records.n,
                 g[k].records.n == 1 ? "" : "s", time_format_duration(pol->stalled_after_ms, d),
                 time_format_rfc3339(g[k].oldest, t));
        struct audit_finding *f = process_audit_add(r->p, AUDIT_NO_UPDATE, text,
                                                    g[k].records.n);
        f->records = g[k].records;
    }
    free(g);
}

/* ======== overdue postmortems ======== */

static int find_overdue(struct run *r, struct err *e)
{
    struct due_item *list = NULL;
    size_t n = 0;
    int rc = app_due(r->a, 0, &list, &n, e);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const struct due_item *it = &list[i];
        if (!it->overdue)
            continue;
        char text[400], d[DURATION_STR_MAX], t[TIME_STR_MAX];
        snprintf(text, sizeof(text), "%s: %s overdue by %s (due %s%s%.80s): %.160s", it->key,
                 it->what, time_format_duration(r->a->now - it->due_at, d),
                 time_format_rfc3339(it->due_at, t), it->owner ? ", owner " : ", no owner",
                 it->owner ? it->owner : "", it->title ? it->title : "");
        struct audit_finding *f = process_audit_add(r->p, AUDIT_POSTMORTEM_OVERDUE, text, 1);
        strlist_push(&f->records, it->key);
    }
    due_items_free(list, n);
    return ERR_OK;
}

/* ======== unused sources ======== */

static bool overlaps(int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
    return a0 <= b1 && b0 <= a1;
}

/* Used: an incident's window overlaps the source's time range, a query evidence's range
 * overlaps it, or a file evidence has its content (the same SHA-256). */
static bool source_used(const struct run *r, const struct source_info *src,
                        const struct evidence *ev, size_t n_ev)
{
    for (size_t i = 0; i < n_ev; i++)
        if (ev[i].kind == EV_FILE && ev[i].file_sha256 && src->sha256 &&
            strcmp(ev[i].file_sha256, src->sha256) == 0)
            return true;
    if (src->min_ts == TIME_UNSET || src->max_ts == TIME_UNSET)
        return false;
    for (size_t i = 0; i < r->n_incs; i++) {
        const struct incident *inc = &r->incs[i];
        int64_t end = inc->times[T_RESOLVED] != TIME_UNSET ? inc->times[T_RESOLVED] : r->a->now;
        if (overlaps(src->min_ts, src->max_ts, inc->times[T_STARTED] - AUDIT_SOURCE_MARGIN_MS,
                     end + AUDIT_SOURCE_MARGIN_MS))
            return true;
    }
    for (size_t i = 0; i < n_ev; i++)
        if (ev[i].kind == EV_QUERY && ev[i].from < ev[i].to &&
            overlaps(src->min_ts, src->max_ts, ev[i].from, ev[i].to - 1))
            return true;
    return false;
}

/* Every evidence item of every incident, in one list. */
static int all_evidence(const struct run *r, struct evidence **ret, size_t *ret_n, struct err *e)
{
    struct evidence *all = NULL;
    size_t n = 0;
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < r->n_incs; i++) {
        struct evidence *ev = NULL;
        size_t k = 0;
        if ((rc = store_evidence_list(r->a->store, r->incs[i].id, &ev, &k, e)) < 0)
            break;
        all = xreallocarray(all, n + k + 1, sizeof(*all));
        if (k) /* the items move; their strings come along */
            memcpy(all + n, ev, k * sizeof(*ev));
        n += k;
        free(ev);
    }
    if (rc < 0) {
        evidence_list_free(all, n);
        return rc;
    }
    *ret = all;
    *ret_n = n;
    return ERR_OK;
}

static int find_unused_sources(struct run *r, struct err *e)
{
    struct source_info *src = NULL;
    size_t n = 0, n_ev = 0;
    struct evidence *ev = NULL;
    int rc = store_source_list(r->a->store, &src, &n, e);
    if (rc == ERR_OK)
        rc = all_evidence(r, &ev, &n_ev, e);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        if (source_used(r, &src[i], ev, n_ev))
            continue;
        char text[600], a[TIME_STR_MAX], b[TIME_STR_MAX], key[48];
        snprintf(key, sizeof(key), "source %lld", (long long)src[i].id);
        if (src[i].min_ts == TIME_UNSET)
            snprintf(text, sizeof(text), "%s (%.20s %.200s) has no rows", key,
                     src[i].kind ? src[i].kind : "", src[i].name ? src[i].name : "");
        else
            snprintf(text, sizeof(text), "%s (%.20s %.200s, %s to %s): no incident window and "
                     "no evidence covers it", key, src[i].kind ? src[i].kind : "",
                     src[i].name ? src[i].name : "", time_format_rfc3339(src[i].min_ts, a),
                     time_format_rfc3339(src[i].max_ts, b));
        struct audit_finding *f = process_audit_add(r->p, AUDIT_UNUSED_SOURCE, text, 1);
        strlist_push(&f->records, key);
    }
    evidence_list_free(ev, n_ev);
    source_infos_free(src, n);
    return rc;
}

/* ======== feedback ======== */

struct comment {
    char key[INCIDENT_KEY_MAX];
    struct pm_row row;
};

static int cmp_comment(const void *pa, const void *pb)
{
    const struct comment *x = pa, *y = pb;
    int sx = x->row.ratings[0] + x->row.ratings[1] + x->row.ratings[2];
    int sy = y->row.ratings[0] + y->row.ratings[1] + y->row.ratings[2];
    if (sx != sy)
        return sx < sy ? -1 : 1;
    return (x->row.at > y->row.at) - (x->row.at < y->row.at);
}

static void add_comments(struct run *r, struct comment *c, size_t n)
{
    if (n > 1)
        qsort(c, n, sizeof(*c), cmp_comment);
    for (size_t i = 0; i < n; i++) {
        const struct pm_row *row = &c[i].row;
        char text[800], t[TIME_STR_MAX];
        snprintf(text, sizeof(text), "%s, clarity %d, usefulness %d, time efficiency %d (%.80s, "
                 "%s): %.600s", c[i].key, row->ratings[0], row->ratings[1], row->ratings[2],
                 row->actor ? row->actor : "", time_format_rfc3339(row->at, t), row->text);
        struct audit_finding *f = process_audit_add(r->p, AUDIT_FEEDBACK, text, 1);
        strlist_push(&f->records, c[i].key);
    }
}

static int find_feedback(struct run *r, struct err *e)
{
    struct comment *c = NULL;
    size_t n = 0, cap = 0;
    int rc = ERR_OK;
    for (size_t i = 0; rc == ERR_OK && i < r->n_incs; i++) {
        struct pm_row *rows = NULL;
        size_t k = 0;
        if ((rc = store_feedback(r->a->store, r->incs[i].id, &rows, &k, e)) < 0)
            break;
        for (size_t j = 0; j < k; j++) {
            if (!rows[j].text || audit_word_count(rows[j].text) == 0)
                continue;
            xgrow((void **)&c, &cap, n + 1, sizeof(*c));
            incident_key(r->incs[i].seq, c[n].key);
            c[n].row = rows[j];
            memset(&rows[j], 0, sizeof(rows[j])); /* its strings now belong to c[n] */
            n++;
        }
        pm_rows_free(rows, k);
    }
    if (rc == ERR_OK)
        add_comments(r, c, n);
    for (size_t i = 0; i < n; i++) {
        free(c[i].row.actor);
        free(c[i].row.key);
        free(c[i].row.text);
    }
    free(c);
    return rc;
}

int app_process_audit(struct app *a, struct process_audit *ret, struct err *e)
{
    struct process_audit p = {0};
    p.thin_words = AUDIT_THIN_WORDS;
    p.stalled_ms = a->policies.actions.stalled_after_ms;
    struct run r = {a, &p, NULL, 0, NULL, 0};
    struct incident_filter f = INCIDENT_FILTER_INIT;
    int rc = store_incident_list(a->store, &f, &r.incs, &r.n_incs, e);
    if (rc == ERR_OK)
        rc = store_action_list(a->store, 0, NULL, &r.acts, &r.n_acts, e);
    if (rc == ERR_OK)
        rc = find_thin_sections(&r, e);
    if (rc == ERR_OK) {
        find_no_success(&r);
        find_no_update(&r);
        rc = find_overdue(&r, e);
    }
    if (rc == ERR_OK)
        rc = find_unused_sources(&r, e);
    if (rc == ERR_OK)
        rc = find_feedback(&r, e);
    incidents_free(r.incs, r.n_incs);
    actions_free(r.acts, r.n_acts);
    if (rc < 0) {
        process_audit_release(&p);
        return rc;
    }
    *ret = p;
    return ERR_OK;
}
