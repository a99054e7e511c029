/* verify_apply.c: `hindsight verify --apply`: the actions whose criterion is met and whose
 * verdict is recovered move from done to verified, with the figures in the audit log, all in
 * one transaction. */
#include "app/verify_internal.h"

#include "core/buf.h"

#include "app/workflow.h"
#include "core/timefmt.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- --apply ---- */

static bool eligible(const struct verify_result *r, const struct action *act)
{
    return r->met == MET_YES && r->verdict && strcmp(r->verdict, "recovered") == 0 &&
           act->status == AS_DONE;
}

static char *why_not_applied(const struct verify_result *r, const struct action *act)
{
    if (act->status == AS_VERIFIED)
        return xstrdup("already verified");
    if (act->status != AS_DONE)
        return buf_format("it is %s, not done", action_status_name(act->status));
    if (r->error)
        return xstrdup("its criterion could not be evaluated");
    if (r->met != MET_YES)
        return xstrdup(r->met == MET_NO ? "the criterion is not met"
                                        : "the criterion cannot be judged yet");
    return buf_format("the verdict is %s, not recovered", r->verdict ? r->verdict : "missing");
}

static int audit_figures(struct app *a, const struct action *act, const struct verify_result *r,
                         struct err *e)
{
    char bucket[DURATION_STR_MAX];
    time_format_duration_exact(r->bucket_ms, bucket);
    const struct verify_effect *p = &r->post, *i = &r->incident;
    int pct = (int)lround(100 * (1 - r->alpha));
    char *texts[5] = {
        buf_format("%.6g (%s: met)", r->criterion_value, r->criterion),
        buf_format("%+.4g per %s bucket after the fix, %d%% CI [%.4g, %.4g], cumulative %+.4g",
               p->point, bucket, pct, p->ci_low, p->ci_high, p->cumulative),
        buf_format("%.4g (two-sided), placebo rate %.2f", p->p_value, r->placebo_rate),
        i->valid ? buf_format("%+.4g per %s bucket during the incident, %d%% CI [%.4g, %.4g]",
                          i->point, bucket, pct, i->ci_low, i->ci_high)
                 : xstrdup("not measured"),
        buf_format("recovered: %s", r->verdict_reason),
    };
    static const char *const fields[5] = {"criterion", "effect", "p_value", "incident_effect",
                                          "verdict"};
    int rc = ERR_OK;
    for (size_t k = 0; k < 5; k++) {
        if (rc == ERR_OK)
            rc = app_audit_field(a, act->incident_id, r->id, "verify", fields[k], NULL,
                                 texts[k], e);
        free(texts[k]);
    }
    return rc;
}

/* Moves one action from done to verified (the rule and audit entry of a status update), then
 * records the figures behind it. */
static int mark_verified(struct app *a, const struct action *act, const struct verify_result *r,
                         struct err *e)
{
    int rc = app_action_mark_verified(a, act->id, e);
    if (rc == ERR_OK)
        rc = audit_figures(a, act, r, e);
    return rc;
}

int verify_apply(struct app *a, const struct action *acts, struct verify_result *res, size_t n,
                 struct err *e)
{
    size_t todo = 0;
    for (size_t i = 0; i < n; i++) {
        if (eligible(&res[i], &acts[i]))
            todo++;
        else
            res[i].apply_reason = why_not_applied(&res[i], &acts[i]);
    }
    if (!todo)
        return ERR_OK;
    int rc = store_begin(a->store, e);
    for (size_t i = 0; rc == ERR_OK && i < n; i++)
        if (eligible(&res[i], &acts[i]))
            rc = mark_verified(a, &acts[i], &res[i], e);
    if (rc == ERR_OK)
        rc = store_commit(a->store, e);
    if (rc < 0) {
        store_rollback(a->store);
        return rc;
    }
    for (size_t i = 0; i < n; i++)
        if (eligible(&res[i], &acts[i])) {
            res[i].applied = true;
            res[i].status = action_status_name(AS_VERIFIED);
        }
    return ERR_OK;
}
