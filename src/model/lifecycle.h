/* lifecycle.h: the statuses of an incident and the moves between them.
 *
 *   open -> mitigated -> resolved -> postmortem -> review -> complete
 *
 * and from any status after open, a reopen back to open. Every other move is refused. */
#ifndef MODEL_LIFECYCLE_H
#define MODEL_LIFECYCLE_H

#include "core/common.h"
#include "core/err.h"

enum incident_status {
    ST_OPEN,
    ST_MITIGATED,
    ST_RESOLVED,
    ST_POSTMORTEM,
    ST_REVIEW,
    ST_COMPLETE,
    ST__COUNT
};

const char *status_name(enum incident_status s);
/* Accepts the names above; "reopened" is accepted and means open (a reopen). */
int status_parse(const char *s, enum incident_status *ret, struct err *e);

/* True when from -> to is a permitted move (the same status is not a move). */
bool lifecycle_can_move(enum incident_status from, enum incident_status to);
/* True when from -> to is a reopen (to open from a later status). */
bool lifecycle_is_reopen(enum incident_status from, enum incident_status to);
/* Writes into out (at least ST__COUNT entries) the statuses reachable from from; returns how
 * many. */
size_t lifecycle_allowed(enum incident_status from, enum incident_status out[]);
/* Checks from -> to; on refusal the message names both and the allowed moves:
 * "cannot move INC-3 from open to review (allowed: mitigated)". key may be NULL. */
int lifecycle_check_move(const char *key, enum incident_status from, enum incident_status to,
                         struct err *e);

/* True for the statuses in which the incident is still being handled (open, mitigated). */
bool status_is_active(enum incident_status s);

#endif
