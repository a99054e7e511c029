/* lifecycle.c: the incident status machine. */
#include "model/lifecycle.h"

#include "core/buf.h"

#include <string.h>
#include <strings.h>

static const char *const names[ST__COUNT] = {
    "open", "mitigated", "resolved", "postmortem", "review", "complete",
};

const char *status_name(enum incident_status s)
{
    return (unsigned)s < ST__COUNT ? names[s] : "?";
}

int status_parse(const char *s, enum incident_status *ret, struct err *e)
{
    for (int i = 0; i < ST__COUNT; i++) {
        if (strcasecmp(s, names[i]) == 0) {
            *ret = (enum incident_status)i;
            return ERR_OK;
        }
    }
    if (strcasecmp(s, "reopened") == 0 || strcasecmp(s, "reopen") == 0) {
        *ret = ST_OPEN;
        return ERR_OK;
    }
    return err_set(e, ERR_INVALID, "unknown status '%.64s' (expected open, mitigated, resolved, "
                   "postmortem, review, complete or reopened)", s);
}

bool lifecycle_is_reopen(enum incident_status from, enum incident_status to)
{
    return to == ST_OPEN && from != ST_OPEN && from < ST__COUNT;
}

bool lifecycle_can_move(enum incident_status from, enum incident_status to)
{
    if ((unsigned)from >= ST__COUNT || (unsigned)to >= ST__COUNT)
        return false;
    return to == from + 1 || lifecycle_is_reopen(from, to);
}

size_t lifecycle_allowed(enum incident_status from, enum incident_status out[])
{
    size_t n = 0;
    for (int to = 0; to < ST__COUNT; to++)
        if (lifecycle_can_move(from, (enum incident_status)to))
            out[n++] = (enum incident_status)to;
    return n;
}

int lifecycle_check_move(const char *key, enum incident_status from, enum incident_status to,
                         struct err *e)
{
    if (lifecycle_can_move(from, to))
        return ERR_OK;
    enum incident_status allowed[ST__COUNT];
    size_t n = lifecycle_allowed(from, allowed);
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_puts(&b, ", ");
        buf_puts(&b, allowed[i] == ST_OPEN ? "open (reopen)" : status_name(allowed[i]));
    }
    if (from == to)
        err_set(e, ERR_CONFLICT, "%s%sis already %s (allowed: %s)", key ? key : "",
                key ? " " : "", status_name(from), buf_str(&b));
    else
        err_set(e, ERR_CONFLICT, "cannot move %s%sfrom %s to %s (allowed: %s)", key ? key : "",
                key ? " " : "", status_name(from), status_name(to), buf_str(&b));
    buf_release(&b);
    return ERR_CONFLICT;
}

bool status_is_active(enum incident_status s)
{
    return s == ST_OPEN || s == ST_MITIGATED;
}
