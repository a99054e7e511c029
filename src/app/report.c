/* report.c: gathering everything the postmortem report shows (see report.h). */
#include "app/report.h"

#include "app/analyze.h"
#include "app/experiment.h"
#include "app/incidents.h"
#include "app/postmortem.h"
#include "app/workflow.h"
#include "core/xalloc.h"
#include "render/incident_text.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static double num_or_nan(const json_t *v)
{
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static int gather_sections(struct app *a, const char *key, struct report *r, struct err *e)
{
    struct postmortem_doc d;
    int rc = app_postmortem_get(a, key, &d, e);
    if (rc < 0)
        return rc;
    r->template_name = xstrdup(d.tmpl.name);
    r->sections = xcalloc(d.tmpl.n ? d.tmpl.n : 1, sizeof(*r->sections));
    r->n_sections = d.tmpl.n;
    for (size_t i = 0; i < d.tmpl.n; i++) {
        const struct template_section *s = &d.tmpl.sections[i];
        r->sections[i] = (struct report_section){xstrdup(s->id), xstrdup(s->title),
                                                 dup_or_null(s->prompt), dup_or_null(d.texts[i]),
                                                 s->required};
    }
    postmortem_doc_release(&d);
    return ERR_OK;
}

static int gather_findings(struct app *a, const char *key, struct report *r, struct err *e)
{
    struct finding *list = NULL;
    size_t n = 0;
    int rc = app_findings_list(a, key, &list, &n, e);
    if (rc < 0)
        return rc;
    r->findings = xcalloc(n ? n : 1, sizeof(*r->findings));
    r->n_findings = n;
    for (size_t i = 0; i < n; i++)
        r->findings[i] = (struct report_finding){xstrdup(list[i].kind), xstrdup(list[i].text),
                                                 list[i].score};
    findings_free(list, n);
    return ERR_OK;
}

static int gather_actions(struct app *a, const char *key, struct report *r, struct err *e)
{
    struct action_graph g;
    int rc = app_action_graph(a, key, &g, e);
    if (rc < 0)
        return rc;
    r->actions = xcalloc(g.n ? g.n : 1, sizeof(*r->actions));
    r->n_actions = g.n;
    for (size_t i = 0; i < g.n; i++) {
        struct action_view *v = &g.actions[i];
        r->actions[i].action = v->action; /* moved */
        memset(&v->action, 0, sizeof(v->action));
        r->actions[i].priority = v->priority;
        r->actions[i].blocked = v->blocked;
        r->actions[i].overdue = v->overdue;
    }
    r->critical = xcalloc(g.n_critical ? g.n_critical : 1, sizeof(*r->critical));
    if (g.n_critical)
        memcpy(r->critical, g.critical, g.n_critical * sizeof(*r->critical));
    r->n_critical = g.n_critical;
    r->critical_effort = g.critical_effort;
    action_graph_release(&g);
    return ERR_OK;
}

static int gather_checklist(struct app *a, const char *key, struct report *r, struct err *e)
{
    struct checklist_item items[STAGE__COUNT];
    int rc = app_checklist(a, key, items, e);
    if (rc < 0)
        return rc;
    for (int s = 0; s < STAGE__COUNT; s++)
        r->checklist[s] = (struct report_check){items[s].stage, items[s].done, items[s].holds,
                                                items[s].done_at, dup_or_null(items[s].done_by),
                                                xstrdup(items[s].missing ? items[s].missing : "")};
    checklist_items_release(items);
    return ERR_OK;
}

static int gather_decisions(struct app *a, struct report *r, struct err *e)
{
    struct pm_row *rows = NULL;
    size_t n = 0;
    int rc = store_decisions(a->store, r->inc.id, &rows, &n, e);
    if (rc < 0)
        return rc;
    r->decisions = xcalloc(n ? n : 1, sizeof(*r->decisions));
    r->n_decisions = n;
    for (size_t i = 0; i < n; i++)
        r->decisions[i] = (struct report_decision){rows[i].id, rows[i].at,
                                                   dup_or_null(rows[i].actor),
                                                   xstrdup(rows[i].text ? rows[i].text : "")};
    pm_rows_free(rows, n);
    return ERR_OK;
}

static int gather_experiments(struct app *a, const char *key, struct report *r, struct err *e)
{
    json_t *arr = NULL;
    int rc = app_experiment_list(a, key, &arr, e);
    if (rc < 0)
        return rc;
    size_t n = json_array_size(arr), i;
    json_t *x;
    r->experiments = xcalloc(n ? n : 1, sizeof(*r->experiments));
    r->n_experiments = n;
    json_array_foreach(arr, i, x) {
        const json_t *res = json_object_get(x, "result");
        const json_t *ci = json_object_get(res, "ci95");
        const char *text = json_string_value(json_object_get(x, "text"));
        r->experiments[i] = (struct report_experiment){
            json_integer_value(json_object_get(x, "id")), xstrdup(text ? text : ""),
            dup_or_null(json_string_value(json_object_get(res, "test"))),
            num_or_nan(json_object_get(res, "effect")), num_or_nan(json_array_get(ci, 0)),
            num_or_nan(json_array_get(ci, 1)), num_or_nan(json_object_get(res, "p_value")),
            json_is_true(json_object_get(res, "valid")),
            json_is_true(json_object_get(res, "significant"))};
    }
    json_decref(arr);
    return ERR_OK;
}

int app_report_gather(struct app *a, const char *key, struct report *ret, struct err *e)
{
    memset(ret, 0, sizeof(*ret));
    incident_init(&ret->inc);
    int rc = app_incident_get(a, key, &ret->inc, e);
    if (rc < 0)
        goto done;
    incident_key(ret->inc.seq, ret->key);
    ret->postmortem_due = cadence_postmortem_due(&a->policies.cadence, &ret->inc);
    render_postmortem_state(ret->postmortem_state, sizeof(ret->postmortem_state), &ret->inc,
                            &a->policies.cadence, a->now);
    if ((rc = gather_sections(a, ret->key, ret, e)) < 0 ||
        (rc = store_timeline_list(a->store, ret->inc.id, &ret->timeline, &ret->n_timeline, e)) <
            0 ||
        (rc = gather_findings(a, ret->key, ret, e)) < 0 ||
        (rc = app_hypothesis_list(a, ret->key, &ret->hypotheses, &ret->n_hypotheses,
                                  &ret->evidence, &ret->n_evidence, e)) < 0 ||
        (rc = gather_actions(a, ret->key, ret, e)) < 0 ||
        (rc = gather_checklist(a, ret->key, ret, e)) < 0 ||
        (rc = gather_decisions(a, ret, e)) < 0 ||
        (rc = gather_experiments(a, ret->key, ret, e)) < 0)
        goto done;
done:
    if (rc < 0)
        report_release(ret);
    return rc;
}

void report_release(struct report *r)
{
    incident_release(&r->inc);
    free(r->template_name);
    for (size_t i = 0; i < r->n_sections; i++) {
        free(r->sections[i].id);
        free(r->sections[i].title);
        free(r->sections[i].prompt);
        free(r->sections[i].text);
    }
    free(r->sections);
    timeline_entries_free(r->timeline, r->n_timeline);
    for (size_t i = 0; i < r->n_findings; i++) {
        free(r->findings[i].kind);
        free(r->findings[i].text);
    }
    free(r->findings);
    hypotheses_free(r->hypotheses, r->n_hypotheses);
    evidence_list_free(r->evidence, r->n_evidence);
    for (size_t i = 0; i < r->n_actions; i++)
        action_release(&r->actions[i].action);
    free(r->actions);
    free(r->critical);
    for (int s = 0; s < STAGE__COUNT; s++) {
        free(r->checklist[s].done_by);
        free(r->checklist[s].missing);
    }
    for (size_t i = 0; i < r->n_decisions; i++) {
        free(r->decisions[i].actor);
        free(r->decisions[i].text);
    }
    free(r->decisions);
    for (size_t i = 0; i < r->n_experiments; i++) {
        free(r->experiments[i].text);
        free(r->experiments[i].test);
    }
    free(r->experiments);
    memset(r, 0, sizeof(*r));
    incident_init(&r->inc);
}
