/* postmortem.c: templates, sections, the checklist with its gates, what is due, decisions and
 * feedback. */
#define _POSIX_C_SOURCE 200809L
#include "app/postmortem.h"

#include "app/incidents.h"
#include "app/workflow.h"
#include "core/buf.h"
#include "core/timefmt.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Reads a small text file whole (the cap keeps a wrong path from loading a huge file). */
static int read_text(const char *option, const char *path, size_t cap, char **ret,
                     struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(e, ERR_IO, "%s: cannot open '%s': %s", option, path, strerror(errno));
    struct buf b = BUF_INIT;
    b.cap = cap;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_append(&b, chunk, n);
    int rc = ERR_OK;
    if (ferror(f))
        rc = err_set(e, ERR_IO, "%s: cannot read '%s'", option, path);
    else if (buf_failed(&b))
        rc = err_set(e, ERR_INVALID, "%s: '%s' is larger than %zu kB", option, path, cap >> 10);
    else if (memchr(buf_str(&b), '\0', b.len))
        rc = err_set(e, ERR_INVALID, "%s: '%s' is not a text file (NUL byte)", option, path);
    fclose(f);
    if (rc < 0) {
        buf_release(&b);
        return rc;
    }
    *ret = buf_detach(&b);
    return ERR_OK;
}

int app_template_add(struct app *a, const char *path, char **ret_name, struct err *e)
{
    char *body = NULL;
    struct template t = {0};
    int rc = read_text("template", path, TEMPLATE_MAX_BYTES, &body, e);
    if (rc == ERR_OK && (rc = template_parse(body, &t, e)) < 0)
        err_prefix(e, "%s:%u: ", path, e->line);
    if (rc == ERR_OK && strcmp(t.name, TEMPLATE_DEFAULT_NAME) == 0)
        rc = err_set(e, ERR_CONFLICT, "%s: the name 'default' is the built-in template's",
                     path);
    if (rc == ERR_OK && (rc = store_begin(a->store, e)) == ERR_OK) {
        char *canonical = template_to_text(&t), record[96];
        snprintf(record, sizeof(record), "template %s", t.name);
        rc = store_template_put(a->store, t.name, canonical, a->now, a->actor, e);
        if (rc == ERR_OK)
            rc = app_audit(a, 0, record, "set", "template", NULL, path, e);
        if (rc == ERR_OK)
            rc = store_commit(a->store, e);
        if (rc < 0)
            store_rollback(a->store);
        free(canonical);
    }
    if (rc == ERR_OK)
        *ret_name = xstrdup(t.name);
    template_release(&t);
    free(body);
    return rc;
}

int app_template_get(struct app *a, const char *name, struct template *ret, struct err *e)
{
    if (!name || strcmp(name, TEMPLATE_DEFAULT_NAME) == 0) {
        template_default(ret);
        return ERR_OK;
    }
    char *body = NULL;
    int rc = store_template_get(a->store, name, &body, e);
    if (rc == ERR_OK && !body)
        rc = err_set(e, ERR_NOT_FOUND, "unknown template '%.64s' (hindsight template list)",
                     name);
    if (rc == ERR_OK && (rc = template_parse(body, ret, e)) < 0)
        err_prefix(e, "stored template '%s' is damaged: ", name);
    free(body);
    return rc;
}

int app_template_names(struct app *a, char ***ret_names, size_t *ret_n, struct err *e)
{
    struct pm_row *rows = NULL;
    size_t n = 0;
    int rc = store_template_list(a->store, &rows, &n, e);
    if (rc < 0)
        return rc;
    char **names = xcalloc(n + 1, sizeof(*names));
    names[0] = xstrdup(TEMPLATE_DEFAULT_NAME);
    for (size_t i = 0; i < n; i++)
        names[i + 1] = xstrdup(rows[i].key);
    pm_rows_free(rows, n);
    *ret_names = names;
    *ret_n = n + 1;
    return ERR_OK;
}

int app_postmortem_use(struct app *a, const char *key, const char *template_name,
                       struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    struct template t = {0};
    char *old = NULL;
    int rc = app_incident_get(a, key, &inc, e);
    if (rc == ERR_OK)
        rc = app_template_get(a, template_name, &t, e);
    if (rc == ERR_OK)
        rc = store_incident_template(a->store, inc.id, &old, e);
    if (rc == ERR_OK && (rc = store_begin(a->store, e)) == ERR_OK) {
        char k[INCIDENT_KEY_MAX];
        incident_key(inc.seq, k);
        const char *name = strcmp(template_name, TEMPLATE_DEFAULT_NAME) == 0 ? NULL
                                                                              : template_name;
        rc = store_incident_set_template(a->store, inc.id, name, e);
        if (rc == ERR_OK)
            rc = app_audit(a, inc.id, k, "update", "template",
                           old ? old : TEMPLATE_DEFAULT_NAME, template_name, e);
        if (rc == ERR_OK)
            rc = store_commit(a->store, e);
        if (rc < 0)
            store_rollback(a->store);
    }
    free(old);
    template_release(&t);
    incident_release(&inc);
    return rc;
}

/* The template of an incident's postmortem. */
static int incident_template(struct app *a, int64_t incident_id, struct template *ret,
                             struct err *e)
{
    char *name = NULL;
    int rc = store_incident_template(a->store, incident_id, &name, e);
    if (rc == ERR_OK)
        rc = app_template_get(a, name, ret, e);
    free(name);
    return rc;
}

int app_postmortem_edit(struct app *a, const char *key, const char *section, const char *text,
                        const char *file, struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    struct template t = {0};
    char *body = NULL;
    struct pm_row *rows = NULL;
    size_t n = 0;
    int rc = app_incident_get(a, key, &inc, e);
    if (rc == ERR_OK && (text != NULL) == (file != NULL))
        rc = err_set(e, ERR_INVALID, "give the section's text with --text T or --file F");
    if (rc == ERR_OK && file)
        rc = read_text("--file", file, (size_t)TEXT_MAX, &body, e);
    if (rc == ERR_OK)
        rc = text_check("the section", body ? body : text, TEXT_MAX, true, e);
    if (rc == ERR_OK)
        rc = incident_template(a, inc.id, &t, e);
    if (rc == ERR_OK && !template_section(&t, section)) {
        struct buf ids = BUF_INIT;
        for (size_t i = 0; i < t.n; i++)
            buf_printf(&ids, "%s%s", i ? ", " : "", t.sections[i].id);
        rc = err_set(e, ERR_INVALID, "template '%s' has no section '%.40s' (sections: %s)",
                     t.name, section, buf_str(&ids));
        buf_release(&ids);
    }
    if (rc == ERR_OK)
        rc = store_sections(a->store, inc.id, &rows, &n, e);
    if (rc == ERR_OK && (rc = store_begin(a->store, e)) == ERR_OK) {
        const char *old = NULL;
        for (size_t i = 0; i < n; i++)
            if (strcmp(rows[i].key, section) == 0)
                old = rows[i].text;
        char record[64];
        snprintf(record, sizeof(record), "INC-%lld postmortem", (long long)inc.seq);
        const char *new = body ? body : text;
        rc = store_section_put(a->store, inc.id, section, new, a->now, a->actor, e);
        if (rc == ERR_OK)
            rc = app_audit(a, inc.id, record, old ? "edit" : "write", section, old, new, e);
        if (rc == ERR_OK)
            rc = store_commit(a->store, e);
        if (rc < 0)
            store_rollback(a->store);
    }
    pm_rows_free(rows, n);
    free(body);
    template_release(&t);
    incident_release(&inc);
    return rc;
}

int app_postmortem_get(struct app *a, const char *key, struct postmortem_doc *ret,
                       struct err *e)
{
    memset(ret, 0, sizeof(*ret));
    struct incident inc;
    incident_init(&inc);
    struct pm_row *rows = NULL;
    size_t n = 0;
    int rc = app_incident_get(a, key, &inc, e);
    if (rc == ERR_OK)
        rc = incident_template(a, inc.id, &ret->tmpl, e);
    if (rc == ERR_OK)
        rc = store_sections(a->store, inc.id, &rows, &n, e);
    if (rc == ERR_OK) {
        size_t k = ret->tmpl.n ? ret->tmpl.n : 1;
        ret->texts = xcalloc(k, sizeof(*ret->texts));
        ret->authors = xcalloc(k, sizeof(*ret->authors));
        ret->updated = xmallocarray(k, sizeof(*ret->updated));
        for (size_t i = 0; i < ret->tmpl.n; i++) {
            ret->updated[i] = TIME_UNSET;
            for (size_t j = 0; j < n; j++) {
                if (strcmp(rows[j].key, ret->tmpl.sections[i].id) != 0)
                    continue;
                ret->texts[i] = xstrdup(rows[j].text);
                ret->authors[i] = xstrdup(rows[j].actor);
                ret->updated[i] = rows[j].at;
            }
        }
    }
    pm_rows_free(rows, n);
    incident_release(&inc);
    if (rc < 0)
        postmortem_doc_release(ret);
    return rc;
}

void postmortem_doc_release(struct postmortem_doc *d)
{
    for (size_t i = 0; d->texts && i < d->tmpl.n; i++) {
        free(d->texts[i]);
        free(d->authors[i]);
    }
    free(d->texts);
    free(d->authors);
    free(d->updated);
    template_release(&d->tmpl);
    memset(d, 0, sizeof(*d));
}

/* ---- checklist ---- */

/* Gathers what the stage conditions look at. */
static int gather_facts(struct app *a, const struct incident *inc, struct checklist_facts *f,
                        struct err *e)
{
    memset(f, 0, sizeof(*f));
    char key[INCIDENT_KEY_MAX];
    incident_key(inc->seq, key);
    int64_t end = inc->times[T_RESOLVED] != TIME_UNSET ? inc->times[T_RESOLVED] : a->now;
    int rc = store_evidence_overlaps(a->store, inc->times[T_STARTED] - MS_PER_DAY,
                                     end + MS_PER_DAY, &f->evidence_in_window, e);
    struct hypothesis *hs = NULL;
    struct evidence *ev = NULL;
    size_t nh = 0, nev = 0;
    if (rc == ERR_OK)
        rc = store_hypothesis_list(a->store, inc->id, &hs, &nh, e);
    if (rc == ERR_OK)
        rc = store_evidence_list(a->store, inc->id, &ev, &nev, e);
    for (size_t i = 0; rc == ERR_OK && i < nev; i++) {
        f->query_evidence |= ev[i].kind == EV_QUERY;
        for (size_t k = 0; k < nh; k++)
            if (hs[k].id == ev[i].hypothesis_id && hs[k].status == HS_CONFIRMED && ev[i].supports)
                f->confirmed_with_support = true;
    }
    hypotheses_free(hs, nh);
    evidence_list_free(ev, nev);
    struct action *acts = NULL;
    size_t na = 0;
    if (rc == ERR_OK)
        rc = store_action_list(a->store, inc->id, NULL, &acts, &na, e);
    for (size_t i = 0; rc == ERR_OK && i < na; i++) {
        const struct action *x = &acts[i];
        f->actions++;
        if (action_status_closed(x->status))
            f->actions_closed++;
        else
            buf_printf(&f->open_actions, "%sA-%lld (%s)", f->open_actions.len ? ", " : "",
                       (long long)x->id, action_status_name(x->status));
        if ((x->status == AS_DONE || x->status == AS_VERIFIED) &&
            (x->success.expr || x->kind == AK_MONITORING))
            f->measured_or_monitoring = true;
        if (x->success.expr && x->status != AS_WONTFIX) {
            f->success_actions++;
            if (x->status == AS_VERIFIED)
                f->success_verified++;
            else
                buf_printf(&f->unverified, "%sA-%lld (%s)", f->unverified.len ? ", " : "",
                           (long long)x->id, action_status_name(x->status));
        }
    }
    actions_free(acts, na);
    return rc;
}

static void release_facts(struct checklist_facts *f)
{
    buf_release(&f->open_actions);
    buf_release(&f->unverified);
}

static int checklist_of(struct app *a, const struct incident *inc,
                        struct checklist_item items[STAGE__COUNT], struct err *e)
{
    struct checklist_facts f;
    struct pm_row *rows = NULL;
    size_t n = 0;
    memset(items, 0, sizeof(*items) * STAGE__COUNT);
    int rc = gather_facts(a, inc, &f, e);
    if (rc == ERR_OK)
        rc = store_checklist(a->store, inc->id, &rows, &n, e);
    struct buf missing = BUF_INIT;
    for (int s = 0; rc == ERR_OK && s < STAGE__COUNT; s++) {
        items[s].stage = (enum stage)s;
        items[s].holds = checklist_condition((enum stage)s, &f, &missing);
        items[s].missing = xstrdup(buf_str(&missing));
        for (size_t k = 0; k < n; k++) {
            if (strcmp(rows[k].key, stage_name((enum stage)s)) == 0) {
                items[s].done = true;
                items[s].done_at = rows[k].at;
                items[s].done_by = xstrdup(rows[k].actor);
            }
        }
    }
    buf_release(&missing);
    pm_rows_free(rows, n);
    release_facts(&f);
    return rc;
}

void checklist_items_release(struct checklist_item items[STAGE__COUNT])
{
    for (int s = 0; s < STAGE__COUNT; s++) {
        free(items[s].done_by);
        free(items[s].missing);
        items[s].done_by = items[s].missing = NULL;
    }
}

int app_checklist(struct app *a, const char *key, struct checklist_item ret[STAGE__COUNT],
                  struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    int rc = app_incident_get(a, key, &inc, e);
    if (rc == ERR_OK)
        rc = checklist_of(a, &inc, ret, e);
    incident_release(&inc);
    return rc;
}

int app_checklist_done(struct app *a, const char *key, const char *stage_text, struct err *e)
{
    enum stage stage;
    struct incident inc;
    incident_init(&inc);
    struct checklist_item items[STAGE__COUNT];
    memset(items, 0, sizeof(items));
    int rc = stage_parse(stage_text, &stage, e);
    if (rc == ERR_OK)
        rc = app_incident_get(a, key, &inc, e);
    if (rc == ERR_OK)
        rc = checklist_of(a, &inc, items, e);
    char k[INCIDENT_KEY_MAX];
    incident_key(inc.seq, k);
    if (rc == ERR_OK && !items[stage].holds)
        rc = err_set(e, ERR_CONFLICT, "cannot mark %s's %s done: %s", k, stage_name(stage),
                     items[stage].missing);
    if (rc == ERR_OK && !items[stage].done && (rc = store_begin(a->store, e)) == ERR_OK) {
        char record[64];
        snprintf(record, sizeof(record), "%s checklist", k);
        rc = store_checklist_mark(a->store, inc.id, stage_name(stage), a->now, a->actor, e);
        if (rc == ERR_OK)
            rc = app_audit(a, inc.id, record, "done", stage_name(stage), NULL, "done", e);
        if (rc == ERR_OK)
            rc = store_commit(a->store, e);
        if (rc < 0)
            store_rollback(a->store);
    }
    checklist_items_release(items);
    incident_release(&inc);
    return rc;
}

int app_postmortem_gate(struct app *a, int64_t incident_id, const char *key, int to_status,
                        struct err *e)
{
    if (to_status != ST_REVIEW && to_status != ST_COMPLETE)
        return ERR_OK;
    struct incident inc;
    incident_init(&inc);
    struct buf missing = BUF_INIT;
    int rc = store_incident_get_by_id(a->store, incident_id, &inc, e);
    if (rc == ERR_OK && to_status == ST_REVIEW) {
        struct postmortem_doc doc;
        if ((rc = app_postmortem_get(a, key, &doc, e)) == ERR_OK) {
            for (size_t i = 0; i < doc.tmpl.n; i++)
                if (doc.tmpl.sections[i].required && !doc.texts[i])
                    buf_printf(&missing, "%s%s", missing.len ? ", " : "",
                               doc.tmpl.sections[i].id);
            postmortem_doc_release(&doc);
        }
        if (rc == ERR_OK && missing.len)
            rc = err_set(e, ERR_CONFLICT, "cannot move %s to review: required sections not "
                         "written: %s (hindsight postmortem %s edit SECTION --text T)", key,
                         buf_str(&missing), key);
    } else if (rc == ERR_OK) {
        struct checklist_item items[STAGE__COUNT];
        if ((rc = checklist_of(a, &inc, items, e)) == ERR_OK) {
            for (int s = 0; s < STAGE__COUNT; s++)
                if (!items[s].done)
                    buf_printf(&missing, "%s%s", missing.len ? ", " : "",
                               stage_name((enum stage)s));
        }
        checklist_items_release(items);
        if (rc == ERR_OK && missing.len)
            rc = err_set(e, ERR_CONFLICT, "cannot complete %s: checklist stages not done: %s "
                         "(hindsight checklist %s)", key, buf_str(&missing), key);
    }
    buf_release(&missing);
    incident_release(&inc);
    return rc;
}

/* ---- cadence ---- */

void due_items_free(struct due_item *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].title);
        free(list[i].owner);
    }
    free(list);
}

static void add_due(struct due_item **list, size_t *n, size_t *cap, const struct incident *inc,
                    const char *what, int64_t due, int64_t now)
{
    xgrow((void **)list, cap, *n + 1, sizeof(**list));
    struct due_item *d = &(*list)[(*n)++];
    memset(d, 0, sizeof(*d));
    incident_key(inc->seq, d->key);
    d->title = xstrdup(inc->title);
    d->what = what;
    d->due_at = due;
    d->overdue = now > due;
    d->owner = xstrdup(inc->owner);
}

static int cmp_due(const void *pa, const void *pb)
{
    const struct due_item *x = pa, *y = pb;
    return (x->due_at > y->due_at) - (x->due_at < y->due_at);
}

int app_due(struct app *a, int64_t within_ms, struct due_item **ret_list, size_t *ret_n,
            struct err *e)
{
    struct incident_filter f = INCIDENT_FILTER_INIT;
    struct incident *incs = NULL;
    size_t n = 0, out = 0, cap = 0;
    struct due_item *list = NULL;
    int rc = store_incident_list(a->store, &f, &incs, &n, e);
    const struct cadence_policy *p = &a->policies.cadence;
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        const struct incident *inc = &incs[i];
        if (inc->status == ST_RESOLVED || inc->status == ST_POSTMORTEM) {
            int64_t due = cadence_postmortem_due(p, inc);
            if (due != TIME_UNSET && due - a->now <= within_ms)
                add_due(&list, &out, &cap, inc, "postmortem", due, a->now);
        } else if (inc->status == ST_REVIEW || inc->status == ST_COMPLETE) {
            struct checklist_item items[STAGE__COUNT];
            int64_t due = cadence_review_due(p, inc);
            if ((rc = checklist_of(a, inc, items, e)) == ERR_OK && !items[STAGE_REVIEW].done &&
                due != TIME_UNSET && due - a->now <= within_ms)
                add_due(&list, &out, &cap, inc, "follow-up review", due, a->now);
            checklist_items_release(items);
        }
    }
    incidents_free(incs, n);
    if (rc < 0) {
        due_items_free(list, out);
        return rc;
    }
    if (out > 1)
        qsort(list, out, sizeof(*list), cmp_due);
    *ret_list = list;
    *ret_n = out;
    return ERR_OK;
}

/* ---- decisions and feedback ---- */

int app_decide(struct app *a, const char *key, const char *text, int64_t *ret_id,
               struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    int rc = app_incident_get(a, key, &inc, e);
    if (rc == ERR_OK)
        rc = text_check("the decision", text ? text : "", TEXT_MAX, true, e);
    if (rc == ERR_OK && (rc = store_begin(a->store, e)) == ERR_OK) {
        char k[INCIDENT_KEY_MAX];
        incident_key(inc.seq, k);
        rc = store_decision_add(a->store, inc.id, a->now, a->actor, text, ret_id, e);
        if (rc == ERR_OK)
            rc = app_audit(a, inc.id, k, "decide", "decision", NULL, text, e);
        if (rc == ERR_OK)
            rc = store_commit(a->store, e);
        if (rc < 0)
            store_rollback(a->store);
    }
    incident_release(&inc);
    return rc;
}

int app_feedback(struct app *a, const char *key, const char *clarity, const char *usefulness,
                 const char *time_efficiency, const char *comment, int64_t *ret_id,
                 struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    int ratings[3];
    const char *values[3] = {clarity, usefulness, time_efficiency};
    const char *options[3] = {"--clarity", "--usefulness", "--time-efficiency"};
    int rc = app_incident_get(a, key, &inc, e);
    for (int k = 0; rc == ERR_OK && k < 3; k++) {
        if (!values[k])
            rc = err_set(e, ERR_INVALID, "%s 1-5 is required", options[k]);
        else
            rc = rating_parse(options[k], values[k], &ratings[k], e);
    }
    if (rc == ERR_OK && comment)
        rc = text_check("--comment", comment, TEXT_MAX, true, e);
    if (rc == ERR_OK && (rc = store_begin(a->store, e)) == ERR_OK) {
        char k[INCIDENT_KEY_MAX], what[64];
        incident_key(inc.seq, k);
        snprintf(what, sizeof(what), "clarity %d, usefulness %d, time efficiency %d",
                 ratings[0], ratings[1], ratings[2]);
        rc = store_feedback_add(a->store, inc.id, a->now, a->actor, ratings, comment, ret_id,
                                e);
        if (rc == ERR_OK)
            rc = app_audit(a, inc.id, k, "feedback", "feedback", NULL, what, e);
        if (rc == ERR_OK)
            rc = store_commit(a->store, e);
        if (rc < 0)
            store_rollback(a->store);
    }
    incident_release(&inc);
    return rc;
}
