/* incidents.c: creating and changing incident records, with their audit trail.
 *
 * A change is applied to a copy of the stored record; the copy is validated as a whole (times
 * ordered, fields well formed, status move allowed), then saved, and every field that differs
 * from the stored record becomes one audit entry "field: old -> new". */
#include "app/incidents.h"

#include "app/postmortem.h"
#include "core/num.h"
#include "core/timefmt.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Milestones later than now are typing mistakes; a few minutes are allowed for clock skew
 * between the machine and whatever the time was read from. */
#define FUTURE_TOLERANCE_MS (5 * MS_PER_MINUTE)

void incident_change_init(struct incident_change *c)
{
    memset(c, 0, sizeof(*c));
}

void incident_change_release(struct incident_change *c)
{
    strlist_release(&c->add_services);
    strlist_release(&c->remove_services);
    strlist_release(&c->add_tags);
    strlist_release(&c->remove_tags);
    strlist_release(&c->add_segments);
    strlist_release(&c->remove_segments);
    strlist_release(&c->add_signals);
    strlist_release(&c->remove_signals);
    strlist_release(&c->clear);
}

static void replace_str(char **slot, const char *value)
{
    free(*slot);
    *slot = xstrdup(value);
}

static int parse_count(const char *option, const char *s, int64_t *ret, struct err *e)
{
    if (num_parse_i64_range(s, 0, INT64_MAX, ret) < 0)
        return err_set(e, ERR_INVALID, "%s: expected a whole number >= 0, got '%.64s'", option, s);
    return ERR_OK;
}

static int parse_money(const char *option, const char *s, double *ret, struct err *e)
{
    if (num_parse_double(s, ret) < 0 || *ret < 0)
        return err_set(e, ERR_INVALID, "%s: expected an amount >= 0, got '%.64s'", option, s);
    return ERR_OK;
}

/* Removes then adds list items; check validates an added item. */
static int edit_list(struct strlist *l, const struct strlist *removals, const struct strlist *adds,
                     const char *what, const char *key, int (*check)(const char *, struct err *),
                     struct err *e)
{
    for (size_t i = 0; i < removals->n; i++)
        if (!strlist_remove(l, removals->items[i]))
            return err_set(e, ERR_NOT_FOUND, "%s has no %s '%.64s'", key, what,
                           removals->items[i]);
    for (size_t i = 0; i < adds->n; i++) {
        int rc = check(adds->items[i], e);
        if (rc < 0)
            return rc;
        strlist_add_unique(l, adds->items[i]);
    }
    return ERR_OK;
}

static int service_check(const char *s, struct err *e)
{
    return text_check("service", s, NAME_MAX_LEN, false, e);
}

static int apply_signals(struct app *a, struct incident *inc, const struct incident_change *c,
                         const char *key, struct err *e)
{
    (void)a;
    for (size_t i = 0; i < c->remove_signals.n; i++)
        if (!incident_remove_signal(inc, c->remove_signals.items[i]))
            return err_set(e, ERR_NOT_FOUND, "%s has no signal '%.64s'", key,
                           c->remove_signals.items[i]);
    for (size_t i = 0; i < c->add_signals.n; i++) {
        struct signal sig;
        int rc = signal_parse(c->add_signals.items[i], &sig, e);
        if (rc < 0)
            return err_prefix(e, "--signal: ");
        incident_add_signal(inc, sig.name, sig.at);
        free(sig.name);
    }
    return ERR_OK;
}

/* Unsets the fields named in c->clear. Mitigated and resolved times can only be cleared while
 * the status has not passed them (reopening is the way back). */
static int apply_clear(struct incident *inc, const struct incident_change *c, const char *key,
                       struct err *e)
{
    for (size_t i = 0; i < c->clear.n; i++) {
        const char *f = c->clear.items[i];
        if (strcmp(f, "summary") == 0) {
            replace_str(&inc->summary, NULL);
        } else if (strcmp(f, "owner") == 0) {
            replace_str(&inc->owner, NULL);
        } else if (strcmp(f, "detected") == 0) {
            inc->times[T_DETECTED] = TIME_UNSET;
        } else if (strcmp(f, "acknowledged") == 0) {
            inc->times[T_ACKNOWLEDGED] = TIME_UNSET;
        } else if (strcmp(f, "mitigated") == 0 || strcmp(f, "resolved") == 0) {
            enum incident_time t = f[0] == 'm' ? T_MITIGATED : T_RESOLVED;
            enum incident_status reached = t == T_MITIGATED ? ST_MITIGATED : ST_RESOLVED;
            if (inc->status >= reached)
                return err_set(e, ERR_CONFLICT, "cannot clear the %s time of %s while it is %s "
                               "(reopen it instead: --status open)", f, key,
                               status_name(inc->status));
            inc->times[t] = TIME_UNSET;
        } else if (strcmp(f, "affected-users") == 0) {
            inc->affected_users = -1;
        } else if (strcmp(f, "revenue-lost") == 0) {
            inc->revenue_lost = NAN;
        } else if (strcmp(f, "support-tickets") == 0) {
            inc->support_tickets = -1;
        } else {
            return err_set(e, ERR_INVALID, "--clear: cannot clear '%.64s' (clearable: summary, "
                           "owner, detected, acknowledged, mitigated, resolved, affected-users, "
                           "revenue-lost, support-tickets)", f);
        }
    }
    return ERR_OK;
}

/* Moves the status as the given times and the requested status say:
 * a mitigated time moves open to mitigated, a resolved time moves mitigated to resolved, then an
 * explicit status is checked against the lifecycle from there. A reopen clears the mitigated and
 * resolved times and counts the reopen. */
static int apply_status(struct app *a, struct incident *inc, const struct incident_change *c,
                        const char *key, struct err *e)
{
    enum incident_status st = inc->status;
    if (c->times[T_MITIGATED] && st == ST_OPEN)
        st = ST_MITIGATED;
    if (c->times[T_RESOLVED]) {
        if (st == ST_OPEN)
            return err_set(e, ERR_CONFLICT, "cannot resolve %s while it is open: give its "
                           "mitigated time too (open -> mitigated -> resolved)", key);
        if (st == ST_MITIGATED)
            st = ST_RESOLVED;
    }
    if (c->status) {
        enum incident_status target;
        int rc = status_parse(c->status, &target, e);
        if (rc < 0)
            return rc;
        if (target != st) {
            if ((rc = lifecycle_check_move(key, st, target, e)) < 0)
                return rc;
            if (lifecycle_is_reopen(st, target)) {
                if (c->times[T_MITIGATED] || c->times[T_RESOLVED])
                    return err_set(e, ERR_CONFLICT, "cannot reopen %s and set its mitigated or "
                                   "resolved time in one change", key);
                inc->times[T_MITIGATED] = inc->times[T_RESOLVED] = TIME_UNSET;
                inc->reopen_count++;
            }
            if (target == ST_MITIGATED && inc->times[T_MITIGATED] == TIME_UNSET)
                inc->times[T_MITIGATED] = a->now;
            if (target == ST_RESOLVED && inc->times[T_RESOLVED] == TIME_UNSET)
                inc->times[T_RESOLVED] = a->now;
            st = target;
        }
    }
    inc->status = st;
    return ERR_OK;
}

static int apply_scalars(struct app *a, struct incident *inc, const struct incident_change *c,
                         struct err *e)
{
    int rc;
    if (c->title)
        replace_str(&inc->title, c->title);
    if (c->summary)
        replace_str(&inc->summary, c->summary);
    if (c->owner)
        replace_str(&inc->owner, c->owner);
    if (c->severity && (rc = severity_parse(c->severity, &inc->severity, e)) < 0)
        return rc;
    for (int t = 0; t < T__COUNT; t++) {
        if (!c->times[t])
            continue;
        char option[32];
        snprintf(option, sizeof(option), "--%s", incident_time_name((enum incident_time)t));
        if ((rc = app_parse_time(a, option, c->times[t], &inc->times[t], e)) < 0)
            return rc;
        if (inc->times[t] > a->now + FUTURE_TOLERANCE_MS) {
            char ts[TIME_STR_MAX], now[TIME_STR_MAX];
            return err_set(e, ERR_INVALID, "%s: %s is in the future (now is %s)", option,
                           time_format_rfc3339(inc->times[t], ts),
                           time_format_rfc3339(a->now, now));
        }
    }
    if (c->affected_users &&
        (rc = parse_count("--affected-users", c->affected_users, &inc->affected_users, e)) < 0)
        return rc;
    if (c->support_tickets &&
        (rc = parse_count("--support-tickets", c->support_tickets, &inc->support_tickets, e)) < 0)
        return rc;
    if (c->revenue_lost &&
        (rc = parse_money("--revenue-lost", c->revenue_lost, &inc->revenue_lost, e)) < 0)
        return rc;
    return ERR_OK;
}

static int apply_change(struct app *a, struct incident *inc, const struct incident_change *c,
                        const char *key, struct err *e)
{
    int rc = apply_clear(inc, c, key, e);
    if (rc == ERR_OK)
        rc = apply_scalars(a, inc, c, e);
    if (rc == ERR_OK)
        rc = edit_list(&inc->services, &c->remove_services, &c->add_services, "service", key,
                       service_check, e);
    if (rc == ERR_OK)
        rc = edit_list(&inc->tags, &c->remove_tags, &c->add_tags, "tag", key, tag_check, e);
    if (rc == ERR_OK)
        rc = edit_list(&inc->segments, &c->remove_segments, &c->add_segments, "segment", key,
                       segment_check, e);
    if (rc == ERR_OK)
        rc = apply_signals(a, inc, c, key, e);
    if (rc == ERR_OK)
        rc = apply_status(a, inc, c, key, e);
    if (rc == ERR_OK)
        rc = incident_validate(inc, e);
    return rc;
}

/* Appends one audit entry per field that differs between before and after. */
static int audit_diff(struct app *a, const struct incident *before, const struct incident *after,
                      const char *key, const char *action, size_t *ret_changed, struct err *e)
{
    size_t changed = 0;
    int rc = ERR_OK;
    for (int f = 0; f < F__COUNT && rc == ERR_OK; f++) {
        char *old = incident_field_text(before, (enum incident_field)f);
        char *new = incident_field_text(after, (enum incident_field)f);
        if (strcmp(old, new) != 0) {
            const char *act = action;
            if (f == F_STATUS && strcmp(action, "update") == 0)
                act = lifecycle_is_reopen(before->status, after->status) ? "reopen" : "status";
            rc = app_audit(a, after->id, key, act, incident_field_name((enum incident_field)f),
                           *old ? old : NULL, *new ? new : NULL, e);
            changed++;
        }
        free(old);
        free(new);
    }
    *ret_changed = changed;
    return rc;
}

int app_incident_new(struct app *a, const struct incident_change *c, int64_t *ret_seq,
                     struct err *e)
{
    struct incident empty, inc;
    incident_init(&empty);
    incident_init(&inc);
    int rc = ERR_OK;
    if (!c->title)
        rc = err_set(e, ERR_INVALID, "--title is required");
    else if (!c->severity)
        rc = err_set(e, ERR_INVALID, "--severity is required (SEV1, SEV2, SEV3 or SEV4)");
    else if (!c->times[T_STARTED])
        rc = err_set(e, ERR_INVALID, "--started is required (when the incident began, RFC 3339)");
    if (rc == ERR_OK)
        rc = apply_change(a, &inc, c, "the new incident", e);
    if (rc < 0)
        goto done;
    inc.created_at = inc.updated_at = a->now;
    if ((rc = store_begin(a->store, e)) < 0)
        goto done;
    rc = store_incident_insert(a->store, &inc, e);
    char key[INCIDENT_KEY_MAX];
    incident_key(inc.seq, key);
    size_t changed;
    if (rc == ERR_OK)
        rc = audit_diff(a, &empty, &inc, key, "create", &changed, e);
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0) {
        store_rollback(a->store);
        goto done;
    }
    *ret_seq = inc.seq;
done:
    incident_release(&inc);
    incident_release(&empty);
    return rc;
}

int app_incident_get(struct app *a, const char *key, struct incident *ret, struct err *e)
{
    int64_t seq;
    int rc = incident_key_parse(key, &seq, e);
    if (rc < 0)
        return rc;
    return store_incident_get(a->store, seq, ret, e);
}

int app_incident_update(struct app *a, const char *key, const struct incident_change *c,
                        size_t *ret_changed, struct err *e)
{
    struct incident before, after;
    incident_init(&before);
    incident_init(&after);
    char canonical[INCIDENT_KEY_MAX];
    size_t changed = 0;
    int rc = app_incident_get(a, key, &before, e);
    if (rc < 0)
        goto done;
    incident_key(before.seq, canonical);
    incident_copy(&after, &before);
    if ((rc = apply_change(a, &after, c, canonical, e)) < 0)
        goto done;
    if (after.status != before.status &&
        (rc = app_postmortem_gate(a, after.id, canonical, (int)after.status, e)) < 0)
        goto done;
    after.updated_at = a->now;
    if ((rc = store_begin(a->store, e)) < 0)
        goto done;
    rc = audit_diff(a, &before, &after, canonical, "update", &changed, e);
    if (rc == ERR_OK && changed)
        rc = store_incident_save(a->store, &after, e);
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0)
        store_rollback(a->store);
    else
        *ret_changed = changed;
done:
    incident_release(&before);
    incident_release(&after);
    return rc;
}

int app_incident_list(struct app *a, const struct incident_filter *f, bool overdue_only,
                      struct incident **ret_list, size_t *ret_n, struct err *e)
{
    struct incident *list = NULL;
    size_t n = 0;
    int rc = store_incident_list(a->store, f, &list, &n, e);
    if (rc < 0)
        return rc;
    if (overdue_only) {
        size_t out = 0;
        for (size_t i = 0; i < n; i++) {
            if (cadence_postmortem_overdue(&a->policies.cadence, &list[i], a->now))
                list[out++] = list[i];
            else
                incident_release(&list[i]);
        }
        n = out;
    }
    *ret_list = list;
    *ret_n = n;
    return ERR_OK;
}

int app_timeline_add(struct app *a, const char *key, const char *at, const char *kind,
                     const char *text, int64_t *ret_id, struct err *e)
{
    struct incident inc;
    incident_init(&inc);
    struct timeline_entry t = {0};
    int rc = app_incident_get(a, key, &inc, e);
    if (rc < 0)
        goto done;
    if (!at) {
        rc = err_set(e, ERR_INVALID, "--at is required (when it happened, RFC 3339 or now)");
        goto done;
    }
    if (!kind) {
        rc = err_set(e, ERR_INVALID, "--kind is required (signal, detection, change, response, "
                     "communication or note)");
        goto done;
    }
    if ((rc = app_parse_time(a, "--at", at, &t.at, e)) < 0 ||
        (rc = timeline_kind_parse(kind, &t.kind, e)) < 0 ||
        (rc = text_check("the entry's text", text ? text : "", TEXT_MAX, true, e)) < 0)
        goto done;
    t.incident_id = inc.id;
    t.text = (char *)text;
    t.author = a->actor;
    t.created_at = a->now;
    char record[INCIDENT_KEY_MAX + 32], when[TIME_STR_MAX];
    if ((rc = store_begin(a->store, e)) < 0)
        goto done;
    int64_t id = 0;
    rc = store_timeline_add(a->store, &t, &id, e);
    incident_key(inc.seq, record);
    size_t len = strlen(record);
    snprintf(record + len, sizeof(record) - len, " timeline %lld", (long long)id);
    char *summary = NULL;
    if (rc == ERR_OK) {
        size_t n = strlen(text) + 64;
        summary = xmalloc(n);
        snprintf(summary, n, "%s %s %s", time_format_rfc3339(t.at, when),
                 timeline_kind_name(t.kind), text);
        rc = app_audit(a, inc.id, record, "add", "timeline", NULL, summary, e);
        free(summary);
    }
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0)
        store_rollback(a->store);
    else if (ret_id)
        *ret_id = id;
done:
    incident_release(&inc);
    return rc;
}
