/* verify.h: "did the fix work?": an action's success criterion measured after the fix, and
 * the incident's effect and the residual after the fix against a counterfactual fitted on a
 * healthy baseline (analytics/counterfactual.h; docs/verify.md).
 *
 * Reading only, unless apply: then every action whose criterion is met, whose verdict is
 * "recovered" and which is done moves to verified, with the figures in the audit log, in one
 * transaction. */
#ifndef APP_VERIFY_H
#define APP_VERIFY_H

#include "app/app.h"
#include "render/verify.h"

struct verify_request {
    const char *target; /* "A-3" (one action) or an incident key (its actions with a criterion) */
    const char *bucket; /* a duration, NULL: chosen from the data */
    const char *alpha;  /* NULL: 0.05 */
    const char *delta;  /* the equivalence tolerance per bucket, NULL: the baseline's MAD */
    bool apply;
};

/* Fills *ret_list with one result per action. An unknown action or incident, or bad options,
 * fail the call (ERR_NOT_FOUND, ERR_INVALID). For one action, a criterion the query refuses
 * (an unknown metric or field) fails the call with the query's message prefixed by the
 * action's id; for an incident, it is that action's result's error and the others go on.
 * Missing data, a short baseline or an action not done yet are results with reasons, not
 * errors. */
int app_verify(struct app *a, const struct verify_request *rq, struct verify_result **ret_list,
               size_t *ret_n, struct err *e);

#endif
