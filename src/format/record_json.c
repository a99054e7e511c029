/* record_json.c: the reader of `hindsight export` documents (record_json.h, docs/export.md).
 *
 * The document is parsed whole by jansson, its version checked first, then every part is
 * read into the record through the path-naming getters of record_json_get.c. References
 * between parts ("mitigates": "H1", "depends_on": ["A2"]) are resolved last, when every
 * hypothesis and action is known, and the dependency graph is checked for cycles. */
#include "format/record_json.h"

#include "core/base64.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "format/jsonl.h"
#include "format/record_json_impl.h"
#include "model/checklist.h"
#include "model/depgraph.h"
#include "model/template.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* The refs of the record's hypotheses and actions, in order: ref k names number k + 1. */
struct refs {
    struct strlist hyp, act;
};

/* Names of the enumerations, indexed from 0, for rj_enum. */
static const char *severity_n(int k) { return severity_name((enum severity)(k + 1)); }
static const char *status_n(int k) { return status_name((enum incident_status)k); }
static const char *timeline_n(int k) { return timeline_kind_name((enum timeline_kind)k); }
static const char *hypo_n(int k) { return hypo_status_name((enum hypo_status)k); }
static const char *evkind_n(int k) { return evidence_kind_name((enum evidence_kind)k); }
static const char *stance_n(int k) { return k ? "refutes" : "supports"; }
static const char *akind_n(int k) { return action_kind_name((enum action_kind)k); }
static const char *astatus_n(int k) { return action_status_name((enum action_status)k); }
static const char *op_n(int k) { return cmp_kind_name((enum cmp_kind)k); }
static const char *stage_n(int k) { return stage_name((enum stage)k); }

/* Refuses the value of the string member at offset off of item i when an earlier item of the
 * same array (items are elem bytes apart) has it too. */
static void unique(struct rj *c, const char *key, const void *item, size_t i, size_t elem,
                   size_t off)
{
    const char *mine = *(char *const *)((const char *)item + off);
    for (size_t k = 0; k < i && mine && c->rc == ERR_OK; k++) {
        const char *other = *(char *const *)((const char *)item - (i - k) * elem + off);
        if (other && strcmp(other, mine) == 0)
            rj_fail(c, key, "'%.64s' is used twice", mine);
    }
}

/* ---- the incident ---- */

static void signal_item(struct rj *c, json_t *o, void *item, size_t i)
{
    (void)i;
    struct signal *s = item;
    rj_str(c, o, "name", false, &s->name);
    rj_time(c, o, "at", false, &s->at);
}

static void incident_times(struct rj *c, json_t *o, struct incident *inc)
{
    for (int t = 0; t < T__COUNT; t++) {
        char name[32];
        snprintf(name, sizeof(name), "%s_at", incident_time_name((enum incident_time)t));
        rj_time(c, o, name, t != T_STARTED, &inc->times[t]);
    }
}

static void incident_key_field(struct rj *c, json_t *o, struct incident *inc)
{
    char *key = NULL;
    rj_str(c, o, "key", false, &key);
    struct err why = ERR_INIT;
    if (key && incident_key_parse(key, &inc->seq, &why) < 0)
        rj_fail(c, "key", "%s", why.msg);
    free(key);
}

static void read_incident(struct rj *c, json_t *root, struct record *r)
{
    static const char *const keys[] = {
        "key", "title", "summary", "owner", "severity", "status", "started_at", "detected_at",
        "acknowledged_at", "mitigated_at", "resolved_at", "reopen_count", "affected_users",
        "revenue_lost", "support_tickets", "services", "segments", "tags", "signals",
        "template", "created_at", "updated_at", NULL};
    json_t *o = rj_object(c, root, "incident", false);
    if (!o)
        return;
    size_t mark = rj_enter_key(c, "incident");
    struct incident *inc = &r->inc;
    int sev = 0, status = 0;
    rj_known_keys(c, o, keys);
    incident_key_field(c, o, inc);
    rj_str(c, o, "title", false, &inc->title);
    rj_str(c, o, "summary", true, &inc->summary);
    rj_str(c, o, "owner", true, &inc->owner);
    rj_enum(c, o, "severity", severity_n, SEV_MAX, &sev);
    rj_enum(c, o, "status", status_n, ST__COUNT, &status);
    inc->severity = (enum severity)(sev + 1);
    inc->status = (enum incident_status)status;
    incident_times(c, o, inc);
    rj_int(c, o, "reopen_count", 0, INT64_MAX, false, &inc->reopen_count);
    rj_int(c, o, "affected_users", 0, INT64_MAX, true, &inc->affected_users);
    rj_real(c, o, "revenue_lost", true, &inc->revenue_lost);
    rj_int(c, o, "support_tickets", 0, INT64_MAX, true, &inc->support_tickets);
    rj_strlist(c, o, "services", &inc->services);
    rj_strlist(c, o, "segments", &inc->segments);
    rj_strlist(c, o, "tags", &inc->tags);
    static const char *const signal_keys[] = {"name", "at", NULL};
    inc->signals = rj_list(c, o, "signals", sizeof(struct signal), signal_keys, signal_item,
                           &inc->n_signals);
    inc->cap_signals = inc->n_signals;
    rj_str(c, o, "template", true, &r->template_name);
    rj_time(c, o, "created_at", false, &inc->created_at);
    rj_time(c, o, "updated_at", false, &inc->updated_at);
    struct err why = ERR_INIT;
    if (c->rc == ERR_OK && incident_validate(inc, &why) < 0)
        rj_fail(c, NULL, "%s", why.msg);
    rj_leave(c, mark);
}

/* ---- the simple lists ---- */

static void timeline_item(struct rj *c, json_t *o, void *item, size_t i)
{
    (void)i;
    struct timeline_entry *t = item;
    int kind = 0;
    rj_time(c, o, "at", false, &t->at);
    rj_enum(c, o, "kind", timeline_n, TL__COUNT, &kind);
    t->kind = (enum timeline_kind)kind;
    rj_str(c, o, "text", false, &t->text);
    rj_str(c, o, "author", true, &t->author);
    rj_time(c, o, "created_at", false, &t->created_at);
}

static void section_item(struct rj *c, json_t *o, void *item, size_t i)
{
    struct record_section *s = item;
    rj_str(c, o, "section", false, &s->section);
    unique(c, "section", item, i, sizeof(*s), offsetof(struct record_section, section));
    rj_str(c, o, "text", false, &s->text);
    rj_time(c, o, "updated_at", false, &s->updated_at);
    rj_str(c, o, "actor", false, &s->actor);
}

static void finding_item(struct rj *c, json_t *o, void *item, size_t i)
{
    (void)i;
    struct record_finding *f = item;
    rj_str(c, o, "kind", false, &f->kind);
    rj_str(c, o, "text", false, &f->text);
    rj_real(c, o, "score", false, &f->score);
    rj_str(c, o, "evidence", false, &f->evidence);
    rj_time(c, o, "created_at", false, &f->created_at);
}

static void check_item(struct rj *c, json_t *o, void *item, size_t i)
{
    struct record_check *k = item;
    int stage = 0;
    rj_enum(c, o, "stage", stage_n, STAGE__COUNT, &stage);
    if (c->rc == ERR_OK)
        k->stage = xstrdup(stage_name((enum stage)stage));
    unique(c, "stage", item, i, sizeof(*k), offsetof(struct record_check, stage));
    rj_time(c, o, "done_at", false, &k->done_at);
    rj_str(c, o, "actor", false, &k->actor);
}

static void decision_item(struct rj *c, json_t *o, void *item, size_t i)
{
    (void)i;
    struct record_decision *d = item;
    rj_time(c, o, "at", false, &d->at);
    rj_str(c, o, "actor", false, &d->actor);
    rj_str(c, o, "text", false, &d->text);
}

static void feedback_item(struct rj *c, json_t *o, void *item, size_t i)
{
    (void)i;
    struct record_feedback *f = item;
    rj_time(c, o, "at", false, &f->at);
    rj_str(c, o, "actor", false, &f->actor);
    rj_rating(c, o, "clarity", &f->ratings[0]);
    rj_rating(c, o, "usefulness", &f->ratings[1]);
    rj_rating(c, o, "time_efficiency", &f->ratings[2]);
    rj_str(c, o, "comment", true, &f->comment);
}

static void experiment_item(struct rj *c, json_t *o, void *item, size_t i)
{
    (void)i;
    struct record_experiment *x = item;
    rj_str(c, o, "text", false, &x->text);
    rj_str(c, o, "metric", false, &x->metric);
    rj_str(c, o, "control", false, &x->control);
    rj_str(c, o, "treatment", false, &x->treatment);
    rj_time(c, o, "from", false, &x->from);
    rj_time(c, o, "to", false, &x->to);
    rj_str(c, o, "result", false, &x->result);
    rj_time(c, o, "created_at", false, &x->created_at);
    rj_str(c, o, "actor", false, &x->actor);
}

static void audit_item(struct rj *c, json_t *o, void *item, size_t i)
{
    (void)i;
    struct audit_entry *a = item;
    rj_time(c, o, "at", false, &a->at);
    rj_str(c, o, "actor", false, &a->actor);
    rj_str(c, o, "record", false, &a->record);
    rj_str(c, o, "action", false, &a->action);
    rj_str(c, o, "field", true, &a->field);
    rj_str(c, o, "old_value", true, &a->old_value);
    rj_str(c, o, "new_value", true, &a->new_value);
}

static void person_item(struct rj *c, json_t *o, void *item, size_t i)
{
    struct record_person *p = item;
    rj_str(c, o, "name", false, &p->name);
    unique(c, "name", item, i, sizeof(*p), offsetof(struct record_person, name));
    rj_str(c, o, "team", false, &p->team);
}

static void team_item(struct rj *c, json_t *o, void *item, size_t i)
{
    struct record_team *t = item;
    rj_str(c, o, "name", false, &t->name);
    unique(c, "name", item, i, sizeof(*t), offsetof(struct record_team, name));
    rj_str(c, o, "lead", false, &t->lead);
    rj_str(c, o, "escalation", true, &t->escalation);
}

static void template_item(struct rj *c, json_t *o, void *item, size_t i)
{
    struct record_template *t = item;
    rj_str(c, o, "name", false, &t->name);
    unique(c, "name", item, i, sizeof(*t), offsetof(struct record_template, name));
    rj_str(c, o, "body", false, &t->body);
    rj_time(c, o, "created_at", false, &t->created_at);
    rj_str(c, o, "actor", false, &t->actor);
    struct template parsed;
    struct err why = ERR_INIT;
    if (c->rc == ERR_OK && template_parse(t->body, &parsed, &why) < 0)
        rj_fail(c, "body", "line %u: %s", why.line, why.msg);
    else if (c->rc == ERR_OK)
        template_release(&parsed);
}

/* ---- hypotheses and their evidence ---- */

/* Registers ref (a heap string, freed here) as the next of list. */
static void add_ref(struct rj *c, struct strlist *list, char *ref)
{
    if (ref && !strlist_add_unique(list, ref))
        rj_fail(c, "ref", "'%.64s' is used twice", ref);
    free(ref);
}

static void evidence_query(struct rj *c, json_t *o, struct evidence *ev)
{
    static const char *const keys[] = {"expr", "from", "to", "bucket_ms", "result", NULL};
    json_t *q = rj_object(c, o, "query", true);
    if (!q)
        return;
    size_t mark = rj_enter_key(c, "query");
    rj_known_keys(c, q, keys);
    rj_str(c, q, "expr", false, &ev->query);
    rj_time(c, q, "from", false, &ev->from);
    rj_time(c, q, "to", false, &ev->to);
    rj_int(c, q, "bucket_ms", 1, INT64_MAX, true, &ev->bucket_ms);
    if (ev->bucket_ms < 0)
        ev->bucket_ms = TIME_UNSET; /* the store's "not set" for a duration */
    rj_str(c, q, "result", true, &ev->result);
    rj_leave(c, mark);
}

static void evidence_data(struct rj *c, json_t *f, struct record_evidence *x)
{
    char *data = NULL;
    rj_str(c, f, "data", true, &data);
    struct err why = ERR_INIT;
    if (data && base64_decode(data, strlen(data), &x->data, &x->len, &why) < 0)
        rj_fail(c, "data", "%s", why.msg);
    else if (data && !x->data)
        x->data = xmalloc(1); /* an empty file: kept, so not NULL (model/record.h) */
    else if (data && x->ev.file_bytes >= 0 && (int64_t)x->len != x->ev.file_bytes)
        rj_fail(c, "data", "%zu bytes, but \"bytes\" says %lld", x->len,
                (long long)x->ev.file_bytes);
    free(data);
}

static void evidence_file(struct rj *c, json_t *o, struct record_evidence *x)
{
    static const char *const keys[] = {"name", "sha256", "bytes", "data", NULL};
    json_t *f = rj_object(c, o, "file", true);
    if (!f)
        return;
    size_t mark = rj_enter_key(c, "file");
    rj_known_keys(c, f, keys);
    rj_str(c, f, "name", false, &x->ev.file_name);
    rj_str(c, f, "sha256", true, &x->ev.file_sha256);
    rj_int(c, f, "bytes", 0, INT64_MAX, true, &x->ev.file_bytes);
    evidence_data(c, f, x);
    rj_leave(c, mark);
}

static void evidence_item(struct rj *c, json_t *o, void *item, size_t i)
{
    (void)i;
    struct record_evidence *x = item;
    int kind = 0, stance = 0;
    rj_enum(c, o, "kind", evkind_n, EV__COUNT, &kind);
    rj_enum(c, o, "stance", stance_n, 2, &stance);
    x->ev.kind = (enum evidence_kind)kind;
    x->ev.supports = stance == 0;
    x->ev.from = x->ev.to = x->ev.bucket_ms = TIME_UNSET;
    x->ev.file_bytes = -1;
    rj_str(c, o, "note", true, &x->ev.note);
    evidence_query(c, o, &x->ev);
    evidence_file(c, o, x);
    rj_str(c, o, "actor", false, &x->ev.actor);
    rj_time(c, o, "created_at", false, &x->ev.created_at);
    if (c->rc == ERR_OK && (kind == EV_QUERY) != (x->ev.query != NULL))
        rj_fail(c, "query", "a query is required with kind query, and only with it");
    else if (c->rc == ERR_OK && (kind == EV_FILE) != (x->ev.file_name != NULL))
        rj_fail(c, "file", "a file is required with kind file, and only with it");
    else if (c->rc == ERR_OK && kind == EV_NOTE && !x->ev.note)
        rj_fail(c, "note", "a note evidence needs its note");
}

static void hypothesis_item(struct rj *c, json_t *o, void *item, size_t i)
{
    (void)i;
    static const char *const ev_keys[] = {"kind", "stance", "note", "query", "file", "actor",
                                          "created_at", NULL};
    struct record_hypothesis *x = item;
    struct refs *refs = c->user;
    char *ref = NULL;
    int status = 0;
    rj_str(c, o, "ref", false, &ref);
    add_ref(c, &refs->hyp, ref);
    rj_str(c, o, "text", false, &x->h.text);
    rj_str(c, o, "owner", true, &x->h.owner);
    rj_rating(c, o, "likelihood", &x->h.likelihood);
    rj_rating(c, o, "impact", &x->h.impact);
    rj_enum(c, o, "status", hypo_n, HS__COUNT, &status);
    x->h.status = (enum hypo_status)status;
    rj_real(c, o, "explained_share", true, &x->h.explained_share);
    rj_time(c, o, "created_at", false, &x->h.created_at);
    rj_time(c, o, "updated_at", false, &x->h.updated_at);
    x->evidence = rj_list(c, o, "evidence", sizeof(*x->evidence), ev_keys, evidence_item,
                          &x->n_evidence);
}

/* ---- actions ---- */

static void action_success(struct rj *c, json_t *o, struct action *a)
{
    static const char *const keys[] = {"expr", "op", "value", "window_ms", NULL};
    json_t *s = rj_object(c, o, "success", true);
    if (!s)
        return;
    size_t mark = rj_enter_key(c, "success");
    int op = 0;
    rj_known_keys(c, s, keys);
    rj_str(c, s, "expr", false, &a->success.expr);
    rj_enum(c, s, "op", op_n, CMP_NE + 1, &op);
    a->success.op = (enum cmp_kind)op;
    rj_real(c, s, "value", false, &a->success.value);
    rj_int(c, s, "window_ms", 0, INT64_MAX, false, &a->success.window_ms);
    rj_leave(c, mark);
}

static void note_item(struct rj *c, json_t *o, void *item, size_t i)
{
    (void)i;
    struct record_note *n = item;
    rj_time(c, o, "at", false, &n->at);
    rj_str(c, o, "actor", false, &n->actor);
    rj_str(c, o, "text", false, &n->text);
}

/* The fields of an action but its references (resolve_action does those). */
static void action_item(struct rj *c, json_t *o, void *item, size_t i)
{
    (void)i;
    static const char *const note_keys[] = {"at", "actor", "text", NULL};
    struct record_action *x = item;
    struct action *a = &x->a;
    struct refs *refs = c->user;
    char *ref = NULL;
    int kind = 0, status = 0;
    rj_str(c, o, "ref", false, &ref);
    add_ref(c, &refs->act, ref);
    rj_str(c, o, "text", false, &a->text);
    rj_enum(c, o, "kind", akind_n, AK__COUNT, &kind);
    a->kind = (enum action_kind)kind;
    rj_str(c, o, "owner", false, &a->owner);
    rj_time(c, o, "due_at", false, &a->due_at);
    rj_enum(c, o, "status", astatus_n, AS__COUNT, &status);
    a->status = (enum action_status)status;
    action_success(c, o, a);
    rj_str(c, o, "no_success_reason", true, &a->no_success_reason);
    rj_str(c, o, "wontfix_reason", true, &a->wontfix_reason);
    if (c->rc == ERR_OK && !a->success.expr && !a->no_success_reason)
        rj_fail(c, "success", "an action needs success criteria or a no_success_reason");
    rj_rating(c, o, "recurrence", &a->recurrence);
    rj_rating(c, o, "severity", &a->severity);
    rj_rating(c, o, "effort", &a->effort);
    rj_time(c, o, "done_at", true, &a->done_at);
    rj_time(c, o, "last_update", false, &a->last_update);
    rj_time(c, o, "created_at", false, &a->created_at);
    rj_time(c, o, "updated_at", false, &a->updated_at);
    x->notes = rj_list(c, o, "notes", sizeof(*x->notes), note_keys, note_item, &x->n_notes);
}

/* The number (from 1) that ref has in list, or 0 after recording an error. */
static int64_t lookup_ref(struct rj *c, const struct strlist *list, json_t *v, const char *what)
{
    if (!json_is_string(v)) {
        rj_fail(c, NULL, "expected the ref of %s, got %s", what, jsonl_type_name(v));
        return 0;
    }
    for (size_t k = 0; k < list->n; k++)
        if (strcmp(list->items[k], json_string_value(v)) == 0)
            return (int64_t)k + 1;
    rj_fail(c, NULL, "no %s has the ref '%.64s'", what, json_string_value(v));
    return 0;
}

static void resolve_action(struct rj *c, json_t *o, struct action *a, const struct refs *refs)
{
    json_t *m = json_object_get(o, "mitigates"), *deps = json_object_get(o, "depends_on");
    if (!m || !deps) {
        rj_fail(c, NULL, "missing key '%s'", m ? "depends_on" : "mitigates");
        return;
    }
    size_t mark = rj_enter_key(c, "mitigates");
    if (!json_is_null(m))
        a->mitigates = lookup_ref(c, &refs->hyp, m, "hypothesis");
    rj_leave(c, mark);
    if (!json_is_array(deps)) {
        rj_fail(c, "depends_on", "expected an array of action refs, got %s",
                jsonl_type_name(deps));
        return;
    }
    size_t n = json_array_size(deps);
    a->depends_on = n ? xcalloc(n, sizeof(*a->depends_on)) : NULL;
    mark = rj_enter_key(c, "depends_on");
    for (size_t k = 0; k < n && c->rc == ERR_OK; k++) {
        size_t at = rj_enter_index(c, k);
        a->depends_on[k] = lookup_ref(c, &refs->act, json_array_get(deps, k), "action");
        a->n_depends = k + 1;
        for (size_t j = 0; j < k && c->rc == ERR_OK; j++)
            if (a->depends_on[j] == a->depends_on[k])
                rj_fail(c, NULL, "'%.64s' is listed twice",
                        json_string_value(json_array_get(deps, k)));
        rj_leave(c, at);
    }
    rj_leave(c, mark);
}

/* Refuses a dependency cycle: an edge a -> d closes one exactly when d already reaches a. */
static void check_cycles(struct rj *c, struct record *r)
{
    struct dep_node *nodes = r->n_actions ? xcalloc(r->n_actions, sizeof(*nodes)) : NULL;
    for (size_t i = 0; i < r->n_actions; i++)
        nodes[i] = (struct dep_node){(int64_t)i + 1, false, 1, r->actions[i].a.depends_on,
                                     r->actions[i].a.n_depends};
    struct err why = ERR_INIT;
    for (size_t i = 0; i < r->n_actions && c->rc == ERR_OK; i++)
        for (size_t k = 0; k < nodes[i].n_deps && c->rc == ERR_OK; k++)
            if (depgraph_check_edge(nodes, r->n_actions, nodes[i].id, nodes[i].deps[k], &why)
                < 0)
                rj_fail(c, NULL, "actions[%zu].depends_on[%zu]: %s", i, k, why.msg);
    free(nodes);
}

static void read_actions(struct rj *c, json_t *root, struct record *r)
{
    static const char *const keys[] = {
        "ref", "text", "kind", "owner", "due_at", "status", "mitigates", "success",
        "no_success_reason", "wontfix_reason", "recurrence", "severity", "effort",
        "depends_on", "done_at", "last_update", "created_at", "updated_at", "notes", NULL};
    r->actions = rj_list(c, root, "actions", sizeof(*r->actions), keys, action_item,
                         &r->n_actions);
    json_t *list = json_object_get(root, "actions");
    size_t mark = rj_enter_key(c, "actions");
    for (size_t i = 0; i < r->n_actions && c->rc == ERR_OK; i++) {
        size_t at = rj_enter_index(c, i);
        resolve_action(c, json_array_get(list, i), &r->actions[i].a, c->user);
        rj_leave(c, at);
    }
    rj_leave(c, mark);
    check_cycles(c, r);
}

/* ---- the document ---- */

#define LIST(r, field, keys, fn) \
    ((r)->field = rj_list(c, root, #field, sizeof(*(r)->field), keys, fn, &(r)->n_##field))

static void read_lists(struct rj *c, json_t *root, struct record *r)
{
    static const char *const timeline_keys[] = {"at", "kind", "text", "author", "created_at",
                                                NULL};
    static const char *const section_keys[] = {"section", "text", "updated_at", "actor", NULL};
    static const char *const finding_keys[] = {"kind", "text", "score", "evidence",
                                               "created_at", NULL};
    static const char *const hypothesis_keys[] = {
        "ref", "text", "owner", "likelihood", "impact", "status", "explained_share",
        "created_at", "updated_at", "evidence", NULL};
    static const char *const check_keys[] = {"stage", "done_at", "actor", NULL};
    static const char *const decision_keys[] = {"at", "actor", "text", NULL};
    static const char *const feedback_keys[] = {"at", "actor", "clarity", "usefulness",
                                                "time_efficiency", "comment", NULL};
    static const char *const experiment_keys[] = {"text", "metric", "control", "treatment",
                                                  "from", "to", "result", "created_at", "actor",
                                                  NULL};
    static const char *const audit_keys[] = {"at", "actor", "record", "action", "field",
                                             "old_value", "new_value", NULL};
    static const char *const person_keys[] = {"name", "team", NULL};
    static const char *const team_keys[] = {"name", "lead", "escalation", NULL};
    static const char *const template_keys[] = {"name", "body", "created_at", "actor", NULL};
    LIST(r, timeline, timeline_keys, timeline_item);
    LIST(r, sections, section_keys, section_item);
    LIST(r, findings, finding_keys, finding_item);
    LIST(r, hypotheses, hypothesis_keys, hypothesis_item);
    read_actions(c, root, r);
    LIST(r, checklist, check_keys, check_item);
    LIST(r, decisions, decision_keys, decision_item);
    LIST(r, feedback, feedback_keys, feedback_item);
    LIST(r, experiments, experiment_keys, experiment_item);
    LIST(r, audit, audit_keys, audit_item);
    LIST(r, people, person_keys, person_item);
    LIST(r, teams, team_keys, team_item);
    LIST(r, templates, template_keys, template_item);
}

/* Every person's team comes with the record. */
static void check_people(struct rj *c, const struct record *r)
{
    for (size_t i = 0; i < r->n_people && c->rc == ERR_OK; i++) {
        bool found = false;
        for (size_t k = 0; k < r->n_teams && !found; k++)
            found = strcmp(r->teams[k].name, r->people[i].team) == 0;
        if (!found)
            rj_fail(c, NULL, "people[%zu].team: '%.64s' is not among the teams", i,
                    r->people[i].team);
    }
}

static void read_document(struct rj *c, json_t *root, struct record *r)
{
    static const char *const keys[] = {
        "format", "version", "exported_at", "exported_by", "incident", "timeline", "sections",
        "findings", "hypotheses", "actions", "checklist", "decisions", "feedback",
        "experiments", "audit", "people", "teams", "templates", NULL};
    rj_known_keys(c, root, keys);
    rj_time(c, root, "exported_at", false, &r->exported_at);
    rj_str(c, root, "exported_by", false, &r->exported_by);
    read_incident(c, root, r);
    read_lists(c, root, r);
    check_people(c, r);
}

/* The format and version, before anything else: another version is refused for that alone. */
static int check_version(json_t *root, struct err *e)
{
    if (!json_is_object(root))
        return err_set(e, ERR_INVALID, "expected an incident export (a JSON object), got %s",
                       jsonl_type_name(root));
    const char *format = json_string_value(json_object_get(root, "format"));
    if (!format || strcmp(format, RECORD_FORMAT) != 0)
        return err_set(e, ERR_INVALID, "not a hindsight incident export (\"format\" is not "
                       "\"%s\")", RECORD_FORMAT);
    json_t *v = json_object_get(root, "version");
    if (!json_is_integer(v))
        return err_set(e, ERR_INVALID, "version: expected an integer, got %s",
                       v ? jsonl_type_name(v) : "nothing");
    if (json_integer_value(v) != RECORD_VERSION)
        return err_set(e, ERR_INVALID, "export format version %lld, this hindsight reads "
                       "version %d", (long long)json_integer_value(v), RECORD_VERSION);
    return ERR_OK;
}

static json_t *load(const char *text, size_t len, struct err *e)
{
    if (len > RECORD_JSON_MAX) {
        err_set(e, ERR_INVALID, "document too large: %zu bytes (the limit is %zu MiB)", len,
                RECORD_JSON_MAX >> 20);
        return NULL;
    }
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        err_set(e, ERR_INVALID, "invalid JSON: %s", jerr.text);
        if (e) {
            e->line = jerr.line > 0 ? (unsigned)jerr.line : 0;
            e->column = jerr.column > 0 ? (unsigned)jerr.column : 0;
        }
    }
    return root;
}

int record_json_parse(const char *text, size_t len, struct record *ret, struct err *e)
{
    json_t *root = load(text, len, e);
    if (!root)
        return ERR_INVALID;
    struct record r;
    record_init(&r);
    struct refs refs = {STRLIST_INIT, STRLIST_INIT};
    struct rj c = {.e = e, .rc = check_version(root, e), .user = &refs};
    if (c.rc == ERR_OK)
        read_document(&c, root, &r);
    json_decref(root);
    strlist_release(&refs.hyp);
    strlist_release(&refs.act);
    if (c.rc < 0) {
        record_release(&r);
        return c.rc;
    }
    record_release(ret);
    *ret = r;
    return ERR_OK;
}
