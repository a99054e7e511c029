/* export_json.c: the JSON document of `hindsight export` (docs/export.md).
 *
 * Each element of a list is built by one json_pack call, which fails only when a string is not
 * valid UTF-8; the caller is then told which element it was. */
#include "render/export_json.h"

#include "core/base64.h"
#include "core/num.h"
#include "core/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static json_t *time_json(int64_t ms)
{
    char s[TIME_STR_MAX];
    return ms == TIME_UNSET ? json_null() : json_string(time_format_rfc3339(ms, s));
}

static json_t *count_json(int64_t v)
{
    return v < 0 ? json_null() : json_integer(v);
}

static json_t *real_json(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

/* Builds element i of a list of ctx; NULL when a text of it is not valid UTF-8. */
typedef json_t *(*item_fn)(const void *ctx, size_t i);

/* The array of the n items of ctx, or NULL (with *ret_failed, when not NULL, the index of the
 * element that failed). */
static json_t *array_of(const void *ctx, size_t n, item_fn item, size_t *ret_failed)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        if (json_array_append_new(a, item(ctx, i)) < 0) {
            if (ret_failed)
                *ret_failed = i;
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *string_item(const void *ctx, size_t i)
{
    return json_string(((const struct strlist *)ctx)->items[i]);
}

static json_t *signal_item(const void *ctx, size_t i)
{
    const struct signal *s = &((const struct incident *)ctx)->signals[i];
    return json_pack("{s:s, s:o}", "name", s->name, "at", time_json(s->at));
}

static json_t *incident_json(const struct record *r)
{
    const struct incident *inc = &r->inc;
    char key[INCIDENT_KEY_MAX];
    incident_key(inc->seq, key);
    /* json_pack steals the "o" values even when it fails, so the lists may be NULL here: a
     * NULL "o" argument makes the whole pack fail, which is what we want. */
    return json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:o, s:o,"
                     " s:o, s:o, s:o, s:o, s:o, s:s?, s:o, s:o}",
                     "key", key, "title", inc->title, "summary", inc->summary,
                     "owner", inc->owner, "severity", severity_name(inc->severity),
                     "status", status_name(inc->status),
                     "started_at", time_json(inc->times[T_STARTED]),
                     "detected_at", time_json(inc->times[T_DETECTED]),
                     "acknowledged_at", time_json(inc->times[T_ACKNOWLEDGED]),
                     "mitigated_at", time_json(inc->times[T_MITIGATED]),
                     "resolved_at", time_json(inc->times[T_RESOLVED]),
                     "reopen_count", (json_int_t)inc->reopen_count,
                     "affected_users", count_json(inc->affected_users),
                     "revenue_lost", real_json(inc->revenue_lost),
                     "support_tickets", count_json(inc->support_tickets),
                     "services", array_of(&inc->services, inc->services.n, string_item, NULL),
                     "segments", array_of(&inc->segments, inc->segments.n, string_item, NULL),
                     "tags", array_of(&inc->tags, inc->tags.n, string_item, NULL),
                     "signals", array_of(inc, inc->n_signals, signal_item, NULL),
                     "template", r->template_name,
                     "created_at", time_json(inc->created_at),
                     "updated_at", time_json(inc->updated_at));
}

static json_t *timeline_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    const struct timeline_entry *t = &r->timeline[i];
    return json_pack("{s:o, s:s, s:s, s:s?, s:o}", "at", time_json(t->at),
                     "kind", timeline_kind_name(t->kind), "text", t->text,
                     "author", t->author, "created_at", time_json(t->created_at));
}

static json_t *section_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    const struct record_section *s = &r->sections[i];
    return json_pack("{s:s, s:s, s:o, s:s}", "section", s->section, "text", s->text,
                     "updated_at", time_json(s->updated_at), "actor", s->actor);
}

static json_t *finding_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    const struct record_finding *f = &r->findings[i];
    return json_pack("{s:s, s:s, s:f, s:s, s:o}", "kind", f->kind, "text", f->text,
                     "score", f->score, "evidence", f->evidence,
                     "created_at", time_json(f->created_at));
}

static json_t *ref_json(char prefix, int64_t number)
{
    char ref[32];
    snprintf(ref, sizeof(ref), "%c%lld", prefix, (long long)number);
    return json_string(ref);
}

static json_t *evidence_query(const struct evidence *ev)
{
    if (!ev->query)
        return json_null();
    return json_pack("{s:s, s:o, s:o, s:o, s:s?}", "expr", ev->query, "from", time_json(ev->from),
                     "to", time_json(ev->to), "bucket_ms", count_json(ev->bucket_ms),
                     "result", ev->result);
}

static json_t *evidence_file(const struct record_evidence *x)
{
    if (!x->ev.file_name)
        return json_null();
    char *data = x->data ? base64_encode(x->data, x->len) : NULL;
    json_t *o = json_pack("{s:s, s:s?, s:o, s:s?}", "name", x->ev.file_name,
                          "sha256", x->ev.file_sha256, "bytes", count_json(x->ev.file_bytes),
                          "data", data);
    free(data);
    return o;
}

static json_t *evidence_item(const void *ctx, size_t i)
{
    const struct record_evidence *x = &((const struct record_hypothesis *)ctx)->evidence[i];
    /* A query evidence keeps its result inside "query"; a note evidence has neither. */
    return json_pack("{s:s, s:s, s:s?, s:o, s:o, s:s, s:o}",
                     "kind", evidence_kind_name(x->ev.kind),
                     "stance", x->ev.supports ? "supports" : "refutes",
                     "note", x->ev.note, "query", evidence_query(&x->ev),
                     "file", evidence_file(x), "actor", x->ev.actor,
                     "created_at", time_json(x->ev.created_at));
}

static json_t *hypothesis_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    const struct record_hypothesis *x = &r->hypotheses[i];
    const struct hypothesis *h = &x->h;
    return json_pack("{s:o, s:s, s:s?, s:i, s:i, s:s, s:o, s:o, s:o, s:o}",
                     "ref", ref_json('H', (int64_t)i + 1), "text", h->text, "owner", h->owner,
                     "likelihood", h->likelihood, "impact", h->impact,
                     "status", hypo_status_name(h->status),
                     "explained_share", real_json(h->explained_share),
                     "created_at", time_json(h->created_at),
                     "updated_at", time_json(h->updated_at),
                     "evidence", array_of(x, x->n_evidence, evidence_item, NULL));
}

static json_t *success_json(const struct success *s)
{
    if (!s->expr)
        return json_null();
    return json_pack("{s:s, s:s, s:f, s:I}", "expr", s->expr, "op", cmp_kind_name(s->op),
                     "value", s->value, "window_ms", (json_int_t)s->window_ms);
}

static json_t *note_item(const void *ctx, size_t i)
{
    const struct record_note *n = &((const struct record_action *)ctx)->notes[i];
    return json_pack("{s:o, s:s, s:s}", "at", time_json(n->at), "actor", n->actor,
                     "text", n->text);
}

static json_t *action_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    const struct record_action *x = &r->actions[i];
    const struct action *a = &x->a;
    json_t *deps = json_array();
    for (size_t k = 0; k < a->n_depends; k++)
        json_array_append_new(deps, ref_json('A', a->depends_on[k]));
    return json_pack("{s:o, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:s?, s:s?, s:i, s:i, s:i, s:o,"
                     " s:o, s:o, s:o, s:o, s:o}",
                     "ref", ref_json('A', (int64_t)i + 1), "text", a->text,
                     "kind", action_kind_name(a->kind), "owner", a->owner,
                     "due_at", time_json(a->due_at), "status", action_status_name(a->status),
                     "mitigates", a->mitigates > 0 ? ref_json('H', a->mitigates) : json_null(),
                     "success", success_json(&a->success),
                     "no_success_reason", a->no_success_reason,
                     "wontfix_reason", a->wontfix_reason, "recurrence", a->recurrence,
                     "severity", a->severity, "effort", a->effort, "depends_on", deps,
                     "done_at", time_json(a->done_at), "last_update", time_json(a->last_update),
                     "created_at", time_json(a->created_at),
                     "updated_at", time_json(a->updated_at),
                     "notes", array_of(x, x->n_notes, note_item, NULL));
}

static json_t *check_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    const struct record_check *c = &r->checklist[i];
    return json_pack("{s:s, s:o, s:s}", "stage", c->stage, "done_at", time_json(c->done_at),
                     "actor", c->actor);
}

static json_t *decision_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    const struct record_decision *d = &r->decisions[i];
    return json_pack("{s:o, s:s, s:s}", "at", time_json(d->at), "actor", d->actor,
                     "text", d->text);
}

static json_t *feedback_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    const struct record_feedback *f = &r->feedback[i];
    return json_pack("{s:o, s:s, s:i, s:i, s:i, s:s?}", "at", time_json(f->at),
                     "actor", f->actor, "clarity", f->ratings[0], "usefulness", f->ratings[1],
                     "time_efficiency", f->ratings[2], "comment", f->comment);
}

static json_t *experiment_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    const struct record_experiment *x = &r->experiments[i];
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:s}", "text", x->text,
                     "metric", x->metric, "control", x->control, "treatment", x->treatment,
                     "from", time_json(x->from), "to", time_json(x->to), "result", x->result,
                     "created_at", time_json(x->created_at), "actor", x->actor);
}

static json_t *audit_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    const struct audit_entry *a = &r->audit[i];
    return json_pack("{s:o, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "at", time_json(a->at),
                     "actor", a->actor, "record", a->record, "action", a->action,
                     "field", a->field, "old_value", a->old_value, "new_value", a->new_value);
}

static json_t *person_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    return json_pack("{s:s, s:s}", "name", r->people[i].name, "team", r->people[i].team);
}

static json_t *team_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    const struct record_team *t = &r->teams[i];
    return json_pack("{s:s, s:s, s:s?}", "name", t->name, "lead", t->lead,
                     "escalation", t->escalation);
}

static json_t *template_item(const void *ctx, size_t i)
{
    const struct record *r = ctx;
    const struct record_template *t = &r->templates[i];
    return json_pack("{s:s, s:s, s:o, s:s}", "name", t->name, "body", t->body,
                     "created_at", time_json(t->created_at), "actor", t->actor);
}

/* One list of the document: name, how many, and how to build element i. */
struct part {
    const char *name;
    size_t n;
    item_fn item;
};

/* Adds the list p to doc; on failure names the element in where and returns false. */
static bool add_list(json_t *doc, const struct record *r, const struct part *p,
                     char where[EXPORT_WHERE_MAX])
{
    size_t failed = 0;
    json_t *a = array_of(r, p->n, p->item, &failed);
    if (!a) {
        snprintf(where, EXPORT_WHERE_MAX, "%s[%zu]", p->name, failed);
        return false;
    }
    json_object_set_new(doc, p->name, a);
    return true;
}

json_t *record_to_json(const struct record *r, char ret_where[EXPORT_WHERE_MAX])
{
    const struct part parts[] = {
        {"timeline", r->n_timeline, timeline_item},
        {"sections", r->n_sections, section_item},
        {"findings", r->n_findings, finding_item},
        {"hypotheses", r->n_hypotheses, hypothesis_item},
        {"actions", r->n_actions, action_item},
        {"checklist", r->n_checklist, check_item},
        {"decisions", r->n_decisions, decision_item},
        {"feedback", r->n_feedback, feedback_item},
        {"experiments", r->n_experiments, experiment_item},
        {"audit", r->n_audit, audit_item},
        {"people", r->n_people, person_item},
        {"teams", r->n_teams, team_item},
        {"templates", r->n_templates, template_item},
    };
    json_t *doc = json_pack("{s:s, s:i, s:o, s:s?}", "format", RECORD_FORMAT,
                            "version", RECORD_VERSION, "exported_at", time_json(r->exported_at),
                            "exported_by", r->exported_by);
    json_t *inc = incident_json(r);
    if (!doc || !inc) {
        snprintf(ret_where, EXPORT_WHERE_MAX, doc ? "incident" : "exported_by");
        json_decref(doc);
        json_decref(inc);
        return NULL;
    }
    json_object_set_new(doc, "incident", inc);
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (!add_list(doc, r, &parts[i], ret_where)) {
            json_decref(doc);
            return NULL;
        }
    }
    return doc;
}

/* ---- writing ---- */

/* Whether every real number in v prints back to itself with prec significant digits. */
static bool reals_survive(const json_t *v, int prec)
{
    if (json_is_real(v)) {
        char s[64];
        double back;
        snprintf(s, sizeof(s), "%.*g", prec, json_real_value(v));
        return num_parse_double(s, &back) == ERR_OK && back == json_real_value(v);
    }
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++)
            if (!reals_survive(json_array_get(v, i), prec))
                return false;
    }
    if (json_is_object(v)) {
        const char *key;
        json_t *item;
        json_object_foreach((json_t *)v, key, item)
            if (!reals_survive(item, prec))
                return false;
    }
    return true;
}

void export_json_write(struct sink *out, const json_t *doc)
{
    int prec = 15;
    while (prec < 17 && !reals_survive(doc, prec))
        prec++;
    char *s = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(prec));
    if (!s) {
        out->failed = true;
        return;
    }
    sink_puts(out, s);
    sink_puts(out, "\n");
    free(s);
}
