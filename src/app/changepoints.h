/* changepoints.h: the change point use case: read a series from a file, detect where its
 * regime changes (analytics/changepoint.h), and hand back what the command prints. It needs no
 * store. */
#ifndef APP_CHANGEPOINTS_H
#define APP_CHANGEPOINTS_H

#include "analytics/changepoint.h"
#include "core/common.h"
#include "core/err.h"

struct changepoints_request {
    const char *path;   /* the series file */
    const char *format; /* "csv", "tcpd", or NULL: guessed from the name (.json is tcpd) */
    const char *method; /* "bocpd", "pelt", or NULL: bocpd (the more accurate, see docs) */
};

/* The answer. Owns result.points; the strings are static. */
struct changepoints_answer {
    const char *method; /* "pelt" or "bocpd" */
    const char *status; /* "ok", "empty", "all-missing", "too-short" or "constant" */
    const char *reason; /* why there was nothing to analyse; NULL when status is "ok" */
    size_t dims;        /* dimensions of the series */
    size_t missing;     /* missing cells in the file */
    struct cp_result result;
};

void changepoints_answer_release(struct changepoints_answer *a);

/* Reads the series and detects its change points with the method's default configuration.
 * ERR_INVALID for an unknown format or method, or a file that is not a series (the message
 * names the file and line); ERR_IO when the file cannot be read. A series with nothing to
 * analyse (empty after missing values, constant, too short) is not an error: see status. */
int app_changepoints(const struct changepoints_request *q, struct changepoints_answer *ret,
                     struct err *e);

#endif
