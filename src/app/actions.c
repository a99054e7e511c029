/* actions.c: corrective actions: creation with its rules (owner, due date, success criterion
 * or a reason for none, dependencies without cycles), progress and status changes, the
 * priority-ordered list with overdue, stalled and escalated flags, the dependency graph, and
 * the teams that escalation follows. */
#include "app/workflow.h"

#include "app/incidents.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "model/depgraph.h"
#include "query/series.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parses and checks a success criterion: its expression must parse and name only saved
 * metrics that exist. */
static int parse_success(struct app *a, const char *text, struct success *ret, struct err *e)
{
    int rc = success_parse(text, ret, e);
    if (rc < 0)
        return rc;
    if ((rc = query_check(a->store, ret->expr, e)) < 0) {
        success_release(ret);
        return err_prefix(e, "--success: ");
    }
    return ERR_OK;
}

/* The actions of one incident as dependency-graph nodes (deps point into acts). */
static struct dep_node *graph_nodes(const struct action *acts, size_t n)
{
    struct dep_node *nodes = xcalloc(n ? n : 1, sizeof(*nodes));
    for (size_t i = 0; i < n; i++)
        nodes[i] = (struct dep_node){acts[i].id, action_status_closed(acts[i].status),
                                     acts[i].effort, acts[i].depends_on, acts[i].n_depends};
    return nodes;
}

/* Adds dependencies (A-IDs) to act, checking that each exists in the same incident and that
 * no cycle forms. siblings are the incident's other actions. */
static int add_dependencies(struct action *act, const struct strlist *ids,
                            const struct action *siblings, size_t n, struct err *e)
{
    for (size_t i = 0; ids && i < ids->n; i++) {
        int64_t dep;
        int rc = action_key_parse(ids->items[i], &dep, e);
        if (rc < 0)
            return err_prefix(e, "--depends-on: ");
        bool found = false;
        for (size_t k = 0; k < n; k++)
            found |= siblings[k].id == dep;
        if (!found)
            return err_set(e, ERR_NOT_FOUND, "--depends-on: no action 'A-%lld' in this "
                           "incident", (long long)dep);
        bool have = false;
        for (size_t k = 0; k < act->n_depends; k++)
            have |= act->depends_on[k] == dep;
        if (have)
            continue;
        /* Check the cycle on the graph as it would be with this edge's source updated. */
        struct dep_node *nodes = graph_nodes(siblings, n);
        for (size_t k = 0; k < n; k++)
            if (nodes[k].id == act->id)
                nodes[k].deps = act->depends_on, nodes[k].n_deps = act->n_depends;
        rc = depgraph_check_edge(nodes, n, act->id, dep, e);
        free(nodes);
        if (rc < 0)
            return rc;
        act->depends_on = xreallocarray(act->depends_on, act->n_depends + 1,
                                        sizeof(*act->depends_on));
        act->depends_on[act->n_depends++] = dep;
    }
    return ERR_OK;
}

static int parse_rating(const char *option, const char *text, int *slot, struct err *e)
{
    return text ? rating_parse(option, text, slot, e) : ERR_OK;
}

/* The hypothesis an action mitigates must belong to the action's incident. */
static int parse_mitigates(struct app *a, const char *text, int64_t incident_id, int64_t *ret,
                           struct err *e)
{
    int64_t hid;
    int rc = hypothesis_key_parse(text, &hid, e);
    if (rc < 0)
        return err_prefix(e, "--mitigates: ");
    struct hypothesis h = {0};
    if ((rc = store_hypothesis_get(a->store, hid, &h, e)) < 0)
        return err_prefix(e, "--mitigates: ");
    bool same = h.incident_id == incident_id;
    hypothesis_release(&h);
    if (!same)
        return err_set(e, ERR_INVALID, "--mitigates: H-%lld belongs to another incident",
                       (long long)hid);
    *ret = hid;
    return ERR_OK;
}

static int check_new_action(struct app *a, const struct action_input *in, struct err *e)
{
    int rc;
    if (!in->kind)
        return err_set(e, ERR_INVALID, "--kind is required (process, architecture, monitoring "
                       "or policy)");
    if (!in->owner)
        return err_set(e, ERR_INVALID, "--owner is required: every action has an owner");
    if (!in->due)
        return err_set(e, ERR_INVALID, "--due is required (RFC 3339 time)");
    if (!in->success && !in->no_success)
        return err_set(e, ERR_INVALID, "give --success \"EXPR <op> VALUE over WINDOW\" or "
                       "--no-success REASON: every action says how its success is measured, "
                       "or why it cannot be");
    if (in->success && in->no_success)
        return err_set(e, ERR_INVALID, "give --success or --no-success, not both");
    if ((rc = text_check("the action", in->text ? in->text : "", TEXT_MAX, true, e)) < 0 ||
        (rc = text_check("--owner", in->owner, NAME_MAX_LEN, false, e)) < 0)
        return rc;
    if (in->no_success)
        return text_check("--no-success", in->no_success, TEXT_MAX, true, e);
    (void)a;
    return ERR_OK;
}

static int fill_new_action(struct app *a, const struct incident *inc,
                           const struct action_input *in, struct action *act, struct err *e)
{
    int rc = check_new_action(a, in, e);
    if (rc < 0)
        return rc;
    act->incident_id = inc->id;
    act->text = xstrdup(in->text);
    act->owner = xstrdup(in->owner);
    act->no_success_reason = xstrdup(in->no_success);
    act->status = AS_TODO;
    act->recurrence = 3;
    act->severity = action_severity_from_incident(inc->severity);
    act->effort = 3;
    act->done_at = TIME_UNSET;
    act->created_at = act->updated_at = act->last_update = a->now;
    if ((rc = action_kind_parse(in->kind, &act->kind, e)) < 0 ||
        (rc = app_parse_time(a, "--due", in->due, &act->due_at, e)) < 0 ||
        (rc = parse_rating("--recurrence", in->recurrence, &act->recurrence, e)) < 0 ||
        (rc = parse_rating("--severity", in->severity, &act->severity, e)) < 0 ||
        (rc = parse_rating("--effort", in->effort, &act->effort, e)) < 0)
        return rc;
    if (act->due_at <= a->now) {
        char t[TIME_STR_MAX], n[TIME_STR_MAX];
        return err_set(e, ERR_INVALID, "--due: %s is not in the future (now is %s)",
                       time_format_rfc3339(act->due_at, t), time_format_rfc3339(a->now, n));
    }
    if (in->success && (rc = parse_success(a, in->success, &act->success, e)) < 0)
        return rc;
    if (in->mitigates && (rc = parse_mitigates(a, in->mitigates, inc->id, &act->mitigates, e)) < 0)
        return rc;
    return ERR_OK;
}

static int audit_new_action(struct app *a, const struct action *act, struct err *e)
{
    char key[32], t[TIME_STR_MAX], rating[64];
    action_key(act->id, key);
    snprintf(rating, sizeof(rating), "recurrence %d, severity %d, effort %d: %s", act->recurrence,
             act->severity, act->effort, action_priority_label(action_priority(act)));
    char *success = success_text(&act->success);
    int rc = app_audit_field(a, act->incident_id, key, "create", "action", NULL, act->text, e);
    if (rc == ERR_OK)
        rc = app_audit_field(a, act->incident_id, key, "create", "owner", NULL, act->owner, e);
    if (rc == ERR_OK)
        rc = app_audit_field(a, act->incident_id, key, "create", "due",
                         NULL, time_format_rfc3339(act->due_at, t), e);
    if (rc == ERR_OK)
        rc = app_audit_field(a, act->incident_id, key, "create", "priority", NULL, rating, e);
    if (rc == ERR_OK)
        rc = app_audit_field(a, act->incident_id, key, "create",
                         act->success.expr ? "success" : "no_success", NULL,
                         act->success.expr ? success : act->no_success_reason, e);
    free(success);
    return rc;
}

int app_action_add(struct app *a, const char *incident_key, const struct action_input *in,
                   int64_t *ret_id, struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    struct action act = {0};
    struct action *siblings = NULL;
    size_t n = 0;
    int rc = app_incident_get(a, incident_key, &inc, e);
    if (rc == ERR_OK)
        rc = fill_new_action(a, &inc, in, &act, e);
    if (rc == ERR_OK)
        rc = store_action_list(a->store, inc.id, NULL, &siblings, &n, e);
    if (rc == ERR_OK)
        rc = add_dependencies(&act, in->depends_on, siblings, n, e);
    if (rc < 0)
        goto done;
    if ((rc = store_begin(a->store, e)) < 0)
        goto done;
    rc = store_action_insert(a->store, &act, e);
    if (rc == ERR_OK)
        rc = audit_new_action(a, &act, e);
    for (size_t i = 0; rc == ERR_OK && i < act.n_depends; i++) {
        char key[32], dep[32];
        action_key(act.id, key);
        action_key(act.depends_on[i], dep);
        rc = app_audit_field(a, inc.id, key, "create", "depends_on", NULL, dep, e);
    }
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0)
        store_rollback(a->store);
    else
        *ret_id = act.id;
done:
    actions_free(siblings, n);
    action_release(&act);
    incident_release(&inc);
    return rc;
}

/* ---- updates ---- */

/* Status moves: work moves freely among todo, doing and blocked; done needs every
 * dependency closed; verified needs done first; wontfix needs a reason; a closed action can be
 * reopened to todo or doing. */
static int check_status_move(const struct action *act, enum action_status to, const char *reason,
                             const struct action *siblings, size_t n, struct err *e)
{
    char key[32];
    action_key(act->id, key);
    if (to == AS_VERIFIED && act->status != AS_DONE)
        return err_set(e, ERR_CONFLICT, "cannot mark %s verified: it is %s (done first, then "
                       "verified once its success is measured)", key,
                       action_status_name(act->status));
    if (to == AS_WONTFIX && !reason)
        return err_set(e, ERR_INVALID, "wontfix needs --reason: why the action will not be "
                       "done");
    if (action_status_closed(act->status) && to == AS_BLOCKED)
        return err_set(e, ERR_CONFLICT, "cannot move %s from %s to blocked (reopen it to todo "
                       "or doing first)", key, action_status_name(act->status));
    if (to == AS_DONE) {
        for (size_t k = 0; k < act->n_depends; k++)
            for (size_t i = 0; i < n; i++)
                if (siblings[i].id == act->depends_on[k] &&
                    !action_status_closed(siblings[i].status))
                    return err_set(e, ERR_CONFLICT, "cannot mark %s done: it depends on A-%lld, "
                                   "which is %s", key, (long long)siblings[i].id,
                                   action_status_name(siblings[i].status));
    }
    return ERR_OK;
}

struct update_run {
    struct app *a;
    struct action *act;
    char key[32];
    size_t changed;
    struct err *e;
};

static int changed_field(struct update_run *u, const char *action, const char *field,
                         const char *old, const char *new)
{
    u->changed++;
    return app_audit_field(u->a, u->act->incident_id, u->key, action, field, old, new, u->e);
}

static int update_text_fields(struct update_run *u, const struct action_change *c)
{
    struct action *act = u->act;
    int rc = ERR_OK;
    if (c->text && strcmp(c->text, act->text) != 0) {
        if ((rc = text_check("--text", c->text, TEXT_MAX, true, u->e)) < 0 ||
            (rc = changed_field(u, "update", "text", act->text, c->text)) < 0)
            return rc;
        free(act->text);
        act->text = xstrdup(c->text);
    }
    if (c->owner && strcmp(c->owner, act->owner) != 0) {
        if ((rc = text_check("--owner", c->owner, NAME_MAX_LEN, false, u->e)) < 0 ||
            (rc = changed_field(u, "update", "owner", act->owner, c->owner)) < 0)
            return rc;
        free(act->owner);
        act->owner = xstrdup(c->owner);
    }
    if (c->kind) {
        enum action_kind k;
        if ((rc = action_kind_parse(c->kind, &k, u->e)) < 0)
            return rc;
        if (k != act->kind &&
            (rc = changed_field(u, "update", "kind", action_kind_name(act->kind),
                                action_kind_name(k))) < 0)
            return rc;
        act->kind = k;
    }
    return ERR_OK;
}

static int update_numbers(struct update_run *u, const struct action_change *c)
{
    struct action *act = u->act;
    const char *names[3] = {"recurrence", "severity", "effort"};
    const char *values[3] = {c->recurrence, c->severity, c->effort};
    int *slots[3] = {&act->recurrence, &act->severity, &act->effort};
    for (int i = 0; i < 3; i++) {
        if (!values[i])
            continue;
        char option[32], old[16], new[16];
        int v;
        snprintf(option, sizeof(option), "--%s", names[i]);
        int rc = rating_parse(option, values[i], &v, u->e);
        if (rc < 0)
            return rc;
        if (v == *slots[i])
            continue;
        snprintf(old, sizeof(old), "%d", *slots[i]);
        snprintf(new, sizeof(new), "%d", v);
        if ((rc = changed_field(u, "update", names[i], old, new)) < 0)
            return rc;
        *slots[i] = v;
    }
    if (c->due) {
        int64_t due;
        char t1[TIME_STR_MAX], t2[TIME_STR_MAX];
        int rc = app_parse_time(u->a, "--due", c->due, &due, u->e);
        if (rc < 0)
            return rc;
        if (due != act->due_at &&
            (rc = changed_field(u, "update", "due", time_format_rfc3339(act->due_at, t1),
                                time_format_rfc3339(due, t2))) < 0)
            return rc;
        act->due_at = due;
    }
    return ERR_OK;
}

static int update_success(struct update_run *u, const struct action_change *c)
{
    struct action *act = u->act;
    if (c->success && c->no_success)
        return err_set(u->e, ERR_INVALID, "give --success or --no-success, not both");
    int rc = ERR_OK;
    char *old = act->success.expr ? success_text(&act->success) : xstrdup(act->no_success_reason);
    if (c->success) {
        struct success s = {0};
        if ((rc = parse_success(u->a, c->success, &s, u->e)) == ERR_OK) {
            success_release(&act->success);
            act->success = s;
            free(act->no_success_reason);
            act->no_success_reason = NULL;
            char *new = success_text(&s);
            rc = changed_field(u, "update", "success", old, new);
            free(new);
        }
    } else if (c->no_success) {
        if ((rc = text_check("--no-success", c->no_success, TEXT_MAX, true, u->e)) == ERR_OK) {
            success_release(&act->success);
            free(act->no_success_reason);
            act->no_success_reason = xstrdup(c->no_success);
            rc = changed_field(u, "update", "no_success", old, c->no_success);
        }
    }
    free(old);
    return rc;
}

static int update_status(struct update_run *u, const struct action_change *c,
                         const struct action *siblings, size_t n)
{
    struct action *act = u->act;
    if (c->reason && (!c->status || strcmp(c->status, "wontfix") != 0))
        return err_set(u->e, ERR_INVALID, "--reason goes with --status wontfix");
    if (!c->status)
        return ERR_OK;
    enum action_status to;
    int rc = action_status_parse(c->status, &to, u->e);
    if (rc < 0 || to == act->status)
        return rc;
    if (c->reason && (rc = text_check("--reason", c->reason, TEXT_MAX, true, u->e)) < 0)
        return rc;
    if ((rc = check_status_move(act, to, c->reason, siblings, n, u->e)) < 0)
        return rc;
    if ((rc = changed_field(u, "status", "status", action_status_name(act->status),
                            action_status_name(to))) < 0)
        return rc;
    if (to == AS_WONTFIX) {
        free(act->wontfix_reason);
        act->wontfix_reason = xstrdup(c->reason);
        if ((rc = changed_field(u, "update", "wontfix_reason", NULL, c->reason)) < 0)
            return rc;
    }
    if (to == AS_DONE)
        act->done_at = u->a->now;
    else if (!action_status_closed(to))
        act->done_at = TIME_UNSET;
    act->status = to;
    return ERR_OK;
}

static int update_dependencies(struct update_run *u, const struct action_change *c,
                               const struct action *siblings, size_t n)
{
    struct action *act = u->act;
    for (size_t i = 0; c->remove_depends_on && i < c->remove_depends_on->n; i++) {
        int64_t dep;
        int rc = action_key_parse(c->remove_depends_on->items[i], &dep, u->e);
        if (rc < 0)
            return err_prefix(u->e, "--remove-depends-on: ");
        size_t out = 0;
        for (size_t k = 0; k < act->n_depends; k++)
            if (act->depends_on[k] != dep)
                act->depends_on[out++] = act->depends_on[k];
        if (out == act->n_depends)
            return err_set(u->e, ERR_NOT_FOUND, "%s does not depend on A-%lld", u->key,
                           (long long)dep);
        act->n_depends = out;
        char d[32];
        action_key(dep, d);
        if ((rc = changed_field(u, "update", "depends_on", d, NULL)) < 0)
            return rc;
    }
    size_t before = act->n_depends;
    int rc = add_dependencies(act, c->depends_on, siblings, n, u->e);
    for (size_t k = before; rc == ERR_OK && k < act->n_depends; k++) {
        char d[32];
        action_key(act->depends_on[k], d);
        rc = changed_field(u, "update", "depends_on", NULL, d);
    }
    return rc;
}

int app_action_mark_verified(struct app *a, int64_t id, struct err *e)
{
    struct action act = {0};
    int rc = store_action_get(a->store, id, &act, e);
    char key[32];
    action_key(id, key);
    if (rc == ERR_OK)
        rc = check_status_move(&act, AS_VERIFIED, NULL, NULL, 0, e);
    if (rc == ERR_OK)
        rc = app_audit_field(a, act.incident_id, key, "status", "status",
                             action_status_name(act.status), action_status_name(AS_VERIFIED), e);
    if (rc == ERR_OK) {
        act.status = AS_VERIFIED;
        act.updated_at = act.last_update = a->now;
        rc = store_action_save(a->store, &act, e);
    }
    action_release(&act);
    return rc;
}

int app_action_update(struct app *a, const char *aid, const struct action_change *c,
                      size_t *ret_changed, struct err *e)
{
    int64_t id;
    struct action act = {0};
    struct action *siblings = NULL;
    size_t n = 0;
    int rc = action_key_parse(aid, &id, e);
    if (rc == ERR_OK)
        rc = store_action_get(a->store, id, &act, e);
    if (rc == ERR_OK)
        rc = store_action_list(a->store, act.incident_id, NULL, &siblings, &n, e);
    if (rc == ERR_OK && c->note)
        rc = text_check("--note", c->note, TEXT_MAX, true, e);
    if (rc < 0 || (rc = store_begin(a->store, e)) < 0)
        goto done;
    struct update_run u = {a, &act, "", 0, e};
    action_key(act.id, u.key);
    rc = update_text_fields(&u, c);
    if (rc == ERR_OK)
        rc = update_numbers(&u, c);
    if (rc == ERR_OK)
        rc = update_success(&u, c);
    if (rc == ERR_OK)
        rc = update_dependencies(&u, c, siblings, n);
    if (rc == ERR_OK)
        rc = update_status(&u, c, siblings, n);
    if (rc == ERR_OK && c->mitigates) {
        int64_t hid;
        rc = parse_mitigates(a, c->mitigates, act.incident_id, &hid, e);
        if (rc == ERR_OK && hid != act.mitigates) {
            char old[32] = "", new[32];
            if (act.mitigates)
                hypothesis_key(act.mitigates, old);
            hypothesis_key(hid, new);
            rc = changed_field(&u, "update", "mitigates", old, new);
            act.mitigates = hid;
        }
    }
    if (rc == ERR_OK && c->note) {
        rc = store_action_note_add(a->store, act.id, a->now, a->actor, c->note, e);
        if (rc == ERR_OK)
            rc = changed_field(&u, "note", "progress", NULL, c->note);
    }
    if (rc == ERR_OK && u.changed) {
        act.updated_at = act.last_update = a->now;
        rc = store_action_save(a->store, &act, e);
    }
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0)
        store_rollback(a->store);
    else
        *ret_changed = u.changed;
done:
    actions_free(siblings, n);
    action_release(&act);
    return rc;
}
