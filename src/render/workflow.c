/* workflow.c: renderings of hypotheses and actions. */
#include "render/workflow.h"

#include "core/timefmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *time_json(int64_t ms)
{
    char t[TIME_STR_MAX];
    return ms == TIME_UNSET ? json_null() : json_string(time_format_rfc3339(ms, t));
}

static double round2(double v)
{
    return round(v * 100.0) / 100.0;
}

static json_t *evidence_json(const struct evidence *ev)
{
    char key[32];
    json_t *o = json_object();
    snprintf(key, sizeof(key), "E-%lld", (long long)ev->id);
    json_object_set_new(o, "id", json_string(key));
    json_object_set_new(o, "kind", json_string(evidence_kind_name(ev->kind)));
    json_object_set_new(o, "stance", json_string(ev->supports ? "supports" : "refutes"));
    json_object_set_new(o, "note", str_or_null(ev->note));
    if (ev->kind == EV_QUERY) {
        json_object_set_new(o, "query", str_or_null(ev->query));
        json_object_set_new(o, "from", time_json(ev->from));
        json_object_set_new(o, "to", time_json(ev->to));
        json_t *result = ev->result ? json_loads(ev->result, 0, NULL) : NULL;
        json_object_set_new(o, "result", result ? result : json_null());
    }
    if (ev->kind == EV_FILE)
        json_object_set_new(o, "file", json_pack("{s:s?, s:s?, s:I}", "name", ev->file_name,
                                                 "sha256", ev->file_sha256, "bytes",
                                                 (json_int_t)ev->file_bytes));
    json_object_set_new(o, "actor", str_or_null(ev->actor));
    json_object_set_new(o, "at", time_json(ev->created_at));
    return o;
}

json_t *hypotheses_to_json(const struct hypothesis *list, size_t n, const struct evidence *ev,
                           size_t n_ev)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct hypothesis *h = &list[i];
        struct hypo_score s = hypothesis_score(h, ev, n_ev);
        char key[32];
        hypothesis_key(h->id, key);
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(key));
        json_object_set_new(o, "text", json_string(h->text));
        json_object_set_new(o, "status", json_string(hypo_status_name(h->status)));
        json_object_set_new(o, "owner", str_or_null(h->owner));
        json_object_set_new(o, "likelihood", json_integer(h->likelihood));
        json_object_set_new(o, "impact", json_integer(h->impact));
        json_object_set_new(o, "score", json_real(round2(s.total)));
        json_object_set_new(o, "score_parts",
                            json_pack("{s:f, s:f, s:f, s:f, s:f}", "prior", round2(s.prior),
                                      "evidence_balance", round2(s.balance), "explained_share",
                                      round2(s.share), "supporting", s.supporting, "refuting",
                                      s.refuting));
        json_t *evs = json_array();
        for (size_t k = 0; k < n_ev; k++)
            if (ev[k].hypothesis_id == h->id)
                json_array_append_new(evs, evidence_json(&ev[k]));
        json_object_set_new(o, "evidence", evs);
        json_array_append_new(arr, o);
    }
    return arr;
}

void render_hypotheses(struct sink *out, const struct hypothesis *list, size_t n,
                       const struct evidence *ev, size_t n_ev)
{
    if (n == 0) {
        sink_puts(out, "no hypotheses (hindsight hypothesis add KEY TEXT)\n");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct hypothesis *h = &list[i];
        struct hypo_score s = hypothesis_score(h, ev, n_ev);
        char key[32];
        hypothesis_key(h->id, key);
        sink_printf(out, "%-5s %5.1f  %-9s %s\n", key, s.total, hypo_status_name(h->status),
                    h->text);
        sink_printf(out, "      score = 40 x prior %.2f (likelihood %d x impact %d / 25) + 40 x "
                         "evidence %.2f (%.2g for, %.2g against, balance %+.2f) + 20 x share "
                         "%.2f%s%s\n", s.prior, h->likelihood, h->impact, (s.balance + 1) / 2,
                    s.supporting, s.refuting, s.balance, s.share, h->owner ? "; owner " : "",
                    h->owner ? h->owner : "");
        for (size_t k = 0; k < n_ev; k++) {
            const struct evidence *e = &ev[k];
            if (e->hypothesis_id != h->id)
                continue;
            const char *what = e->kind == EV_QUERY ? e->query
                               : e->kind == EV_FILE ? e->file_name : e->note;
            sink_printf(out, "      %s E-%lld %-5s %s%s%s\n", e->supports ? "+" : "-",
                        (long long)e->id, evidence_kind_name(e->kind), what ? what : "",
                        e->kind != EV_NOTE && e->note ? ": " : "",
                        e->kind != EV_NOTE && e->note ? e->note : "");
        }
    }
}

static void deps_text(const struct action *a, char *out, size_t size)
{
    size_t off = 0;
    out[0] = '\0';
    for (size_t i = 0; i < a->n_depends && off + 24 < size; i++)
        off += (size_t)snprintf(out + off, size - off, "%sA-%lld", i ? "," : "",
                                (long long)a->depends_on[i]);
}

json_t *action_to_json(const struct action *a, const struct action_facts *f)
{
    char key[32], hkey[32];
    action_key(a->id, key);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(key));
    json_object_set_new(o, "incident", str_or_null(f->incident_key));
    json_object_set_new(o, "text", json_string(a->text));
    json_object_set_new(o, "kind", json_string(action_kind_name(a->kind)));
    json_object_set_new(o, "owner", json_string(a->owner));
    json_object_set_new(o, "due_at", time_json(a->due_at));
    json_object_set_new(o, "status", json_string(action_status_name(a->status)));
    json_object_set_new(o, "priority", json_real(round2(f->priority)));
    json_object_set_new(o, "priority_label", json_string(action_priority_label(f->priority)));
    json_object_set_new(o, "recurrence", json_integer(a->recurrence));
    json_object_set_new(o, "severity", json_integer(a->severity));
    json_object_set_new(o, "effort", json_integer(a->effort));
    json_t *deps = json_array();
    for (size_t i = 0; i < a->n_depends; i++) {
        char d[32];
        action_key(a->depends_on[i], d);
        json_array_append_new(deps, json_string(d));
    }
    json_object_set_new(o, "depends_on", deps);
    json_object_set_new(o, "blocked", json_boolean(f->blocked));
    json_object_set_new(o, "overdue", json_boolean(f->overdue));
    json_object_set_new(o, "stalled", json_boolean(f->stalled));
    json_object_set_new(o, "escalation_level", json_integer(f->escalation_level));
    json_object_set_new(o, "escalated_to", str_or_null(f->escalated_to));
    char *success = success_text(&a->success);
    json_object_set_new(o, "success", a->success.expr ? json_string(success) : json_null());
    free(success);
    json_object_set_new(o, "no_success_reason", str_or_null(a->no_success_reason));
    json_object_set_new(o, "wontfix_reason", str_or_null(a->wontfix_reason));
    if (a->mitigates)
        hypothesis_key(a->mitigates, hkey);
    json_object_set_new(o, "mitigates", a->mitigates ? json_string(hkey) : json_null());
    json_object_set_new(o, "done_at", time_json(a->done_at));
    json_object_set_new(o, "last_update", time_json(a->last_update));
    return o;
}

static void flags_text(const struct action_facts *f, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s%s", f->blocked ? " blocked" : "", f->overdue ? " overdue" : "",
             f->stalled ? " stalled" : "", f->escalation_level ? " escalated" : "");
}

void render_actions(struct sink *out, const struct action *const *acts,
                    const struct action_facts *facts, size_t n, int64_t now)
{
    (void)now;
    if (n == 0) {
        sink_puts(out, "no actions\n");
        return;
    }
    sink_printf(out, "%-6s %-3s %5s %-8s %-12s %-10s %-20s %-9s %s\n", "ID", "PRI", "SCORE",
                "STATUS", "OWNER", "INCIDENT", "DUE", "DEPENDS", "ACTION");
    for (size_t i = 0; i < n; i++) {
        const struct action *a = acts[i];
        const struct action_facts *f = &facts[i];
        char key[32], t[TIME_STR_MAX], deps[128], flags[64];
        action_key(a->id, key);
        deps_text(a, deps, sizeof(deps));
        flags_text(f, flags, sizeof(flags));
        sink_printf(out, "%-6s %-3s %5.1f %-8s %-12s %-10s %-20s %-9s %s\n", key,
                    action_priority_label(f->priority), f->priority,
                    action_status_name(a->status), a->owner, f->incident_key,
                    time_format_rfc3339(a->due_at, t), *deps ? deps : "-", a->text);
        if (*flags)
            sink_printf(out, "      %s%s%s\n", flags, f->escalated_to ? " -> " : "",
                        f->escalated_to ? f->escalated_to : "");
    }
}

void render_action_graph(struct sink *out, const struct action *const *acts,
                         const struct action_facts *facts, size_t n, const int64_t *critical,
                         size_t n_critical, int critical_effort)
{
    if (n == 0) {
        sink_puts(out, "no actions\n");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct action *a = acts[i];
        char key[32];
        action_key(a->id, key);
        sink_printf(out, "%-6s %-8s %s%s\n", key, action_status_name(a->status), a->text,
                    facts[i].blocked ? "  [blocked]" : "");
        for (size_t k = 0; k < a->n_depends; k++) {
            const char *st = "?";
            for (size_t j = 0; j < n; j++)
                if (acts[j]->id == a->depends_on[k])
                    st = action_status_name(acts[j]->status);
            sink_printf(out, "       waits for A-%lld (%s)\n", (long long)a->depends_on[k], st);
        }
    }
    if (n_critical == 0) {
        sink_puts(out, "\ncritical path: none (every action is closed)\n");
        return;
    }
    sink_puts(out, "\ncritical path:");
    for (size_t i = 0; i < n_critical; i++)
        sink_printf(out, "%s A-%lld", i ? " ->" : "", (long long)critical[i]);
    sink_printf(out, " (effort %d)\n", critical_effort);
}
