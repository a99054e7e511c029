/* action_views.c: what the rules say about actions now: priority order, blocked, overdue,
 * stalled, escalated (and to whom), the dependency graph's critical path; and the teams that
 * escalation follows. */
#include "app/workflow.h"

#include "app/incidents.h"
#include "core/xalloc.h"
#include "model/depgraph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void action_views_free(struct action_view *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        action_release(&list[i].action);
        free(list[i].escalated_to);
    }
    free(list);
}

/* Who an escalation goes to: level 1 the lead of the owner's team, level 2 the team's
 * escalation contact; the incident's owner when those are not configured. */
static int escalation_target(struct app *a, const struct action *act, int level,
                             const struct incident *inc, char **ret, struct err *e)
{
    char *team = NULL;
    int rc = store_person_team(a->store, act->owner, &team, e);
    if (rc < 0)
        return rc;
    struct team *teams = NULL;
    size_t n = 0;
    const char *who = NULL;
    if (team && (rc = store_team_list(a->store, &teams, &n, e)) == ERR_OK) {
        for (size_t i = 0; i < n; i++)
            if (strcmp(teams[i].name, team) == 0)
                who = level == 1 ? teams[i].lead : teams[i].escalation;
    }
    if (!who)
        who = inc->owner;
    *ret = who ? xstrdup(who) : xstrdup("(nobody: hindsight person add OWNER --team T)");
    teams_free(teams, n);
    free(team);
    return rc;
}

static int cmp_views(const void *pa, const void *pb)
{
    const struct action_view *x = pa, *y = pb;
    bool cx = action_status_closed(x->action.status), cy = action_status_closed(y->action.status);
    if (cx != cy)
        return cx ? 1 : -1; /* open actions first */
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    if (x->action.due_at != y->action.due_at)
        return x->action.due_at < y->action.due_at ? -1 : 1;
    return (x->action.id > y->action.id) - (x->action.id < y->action.id);
}

/* Fills the derived fields of views[i] (blocked needs the incident's other actions). */
static int derive(struct app *a, struct action_view *v, const struct action *siblings, size_t n,
                  struct err *e)
{
    const struct action *act = &v->action;
    const struct action_policy *p = &a->policies.actions;
    v->priority = action_priority(act);
    v->overdue = action_overdue(act, a->now);
    v->stalled = action_stalled(p, act, a->now);
    v->escalation_level = action_escalation_level(p, act, a->now);
    struct dep_node *nodes = xcalloc(n ? n : 1, sizeof(*nodes));
    size_t self = 0;
    for (size_t i = 0; i < n; i++) {
        nodes[i] = (struct dep_node){siblings[i].id, action_status_closed(siblings[i].status),
                                     siblings[i].effort, siblings[i].depends_on,
                                     siblings[i].n_depends};
        if (siblings[i].id == act->id)
            self = i;
    }
    v->blocked = n && depgraph_blocked(nodes, n, self);
    free(nodes);
    struct incident inc;
    incident_init(&inc);
    int rc = store_incident_get_by_id(a->store, act->incident_id, &inc, e);
    if (rc == ERR_OK) {
        incident_key(inc.seq, v->incident_key);
        if (v->escalation_level)
            rc = escalation_target(a, act, v->escalation_level, &inc, &v->escalated_to, e);
    }
    incident_release(&inc);
    return rc;
}

int app_action_list(struct app *a, const struct action_filter *f, struct action_view **ret_list,
                    size_t *ret_n, struct err *e)
{
    int64_t incident_id = 0;
    if (f->incident_key) {
        struct incident inc;
        incident_init(&inc);
        int rc = app_incident_get(a, f->incident_key, &inc, e);
        incident_id = inc.id;
        incident_release(&inc);
        if (rc < 0)
            return rc;
    }
    struct action *acts = NULL, *all = NULL;
    size_t n = 0, n_all = 0;
    int rc = store_action_list(a->store, incident_id, f->owner, &acts, &n, e);
    if (rc == ERR_OK)
        rc = store_action_list(a->store, 0, NULL, &all, &n_all, e);
    struct action_view *views = xcalloc(n ? n : 1, sizeof(*views));
    size_t out = 0;
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        struct action_view *v = &views[out];
        v->action = acts[i];
        memset(&acts[i], 0, sizeof(acts[i]));
        rc = derive(a, v, all, n_all, e);
        bool keep = (!f->overdue_only || v->overdue) && (!f->stalled_only || v->stalled) &&
                    (!f->escalated_only || v->escalation_level > 0);
        if (keep) {
            out++;
        } else {
            action_release(&v->action);
            free(v->escalated_to);
            v->escalated_to = NULL;
        }
    }
    actions_free(acts, n);
    actions_free(all, n_all);
    if (rc < 0) {
        action_views_free(views, out);
        return rc;
    }
    qsort(views, out, sizeof(*views), cmp_views);
    *ret_list = views;
    *ret_n = out;
    return ERR_OK;
}

int app_action_graph(struct app *a, const char *incident_key, struct action_graph *ret,
                     struct err *e)
{
    memset(ret, 0, sizeof(*ret));
    struct action_filter f = {incident_key, NULL, false, false, false};
    int rc = app_action_list(a, &f, &ret->actions, &ret->n, e);
    if (rc < 0)
        return rc;
    struct dep_node *nodes = xcalloc(ret->n ? ret->n : 1, sizeof(*nodes));
    for (size_t i = 0; i < ret->n; i++) {
        const struct action *act = &ret->actions[i].action;
        nodes[i] = (struct dep_node){act->id, action_status_closed(act->status), act->effort,
                                     act->depends_on, act->n_depends};
    }
    ret->critical = xcalloc(ret->n ? ret->n : 1, sizeof(*ret->critical));
    ret->n_critical = depgraph_critical_path(nodes, ret->n, ret->critical,
                                             &ret->critical_effort);
    free(nodes);
    return ERR_OK;
}

void action_graph_release(struct action_graph *g)
{
    action_views_free(g->actions, g->n);
    free(g->critical);
    memset(g, 0, sizeof(*g));
}

int app_team_add(struct app *a, const char *name, const char *lead, const char *escalation,
                 struct err *e)
{
    int rc;
    if (!lead)
        return err_set(e, ERR_INVALID, "--lead is required: the team lead is the first step of "
                       "an escalation");
    if ((rc = text_check("the team's name", name, NAME_MAX_LEN, false, e)) < 0 ||
        (rc = text_check("--lead", lead, NAME_MAX_LEN, false, e)) < 0 ||
        (escalation && (rc = text_check("--escalation", escalation, NAME_MAX_LEN, false, e)) < 0))
        return rc;
    struct team t = {(char *)name, (char *)lead, (char *)escalation};
    if ((rc = store_begin(a->store, e)) < 0)
        return rc;
    char record[160], what[300];
    snprintf(record, sizeof(record), "team %s", name);
    snprintf(what, sizeof(what), "lead %s%s%s", lead, escalation ? ", escalation " : "",
             escalation ? escalation : "");
    rc = store_team_put(a->store, &t, e);
    if (rc == ERR_OK)
        rc = app_audit(a, 0, record, "set", "team", NULL, what, e);
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0)
        store_rollback(a->store);
    return rc;
}

int app_person_add(struct app *a, const char *who, const char *team, struct err *e)
{
    int rc;
    if (!team)
        return err_set(e, ERR_INVALID, "--team is required");
    if ((rc = text_check("the person's name", who, NAME_MAX_LEN, false, e)) < 0)
        return rc;
    if ((rc = store_begin(a->store, e)) < 0)
        return rc;
    char record[160];
    snprintf(record, sizeof(record), "person %s", who);
    rc = store_person_put(a->store, who, team, e);
    if (rc == ERR_OK)
        rc = app_audit(a, 0, record, "set", "team", NULL, team, e);
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0)
        store_rollback(a->store);
    return rc;
}
