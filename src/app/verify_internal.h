/* verify_internal.h: what the files of `hindsight verify` share (verify.c runs the use case,
 * verify_controls.c builds the control series, verify_apply.c writes --apply); not part of the
 * app API. */
#ifndef APP_VERIFY_INTERNAL_H
#define APP_VERIFY_INTERNAL_H

#include "analytics/counterfactual.h"
#include "app/verify.h"
#include "core/common.h"
#include "model/action.h"
#include "model/incident.h"

/* A control with more empty buckets than this share is left out. */
#define CONTROL_MAX_EMPTY 0.05
/* A control whose own incident effect has a two-sided p below this moved with the incident. */
#define CONTROL_MOVED_P 0.01
/* Bootstrap streams of the two windows (the placebo run uses its own). */
#define STREAM_INCIDENT 1
#define STREAM_POST 2

struct verify_ctx {
    struct app *a;
    struct cf_params params;
    double delta;             /* NAN: the baseline's MAD */
    int64_t bucket;           /* 0: chosen from the data */
    int64_t data_from, data_to; /* events and metrics ingested: [from, to); TIME_UNSET: none */
};

struct series_data {
    double *y;
    size_t n;
    int64_t from, bucket; /* bucket i starts at from + i * bucket */
};

/* The windows of one action, as times and as bucket ranges. */
struct windows {
    int64_t b_from, b_to, i_from, i_to, p_from, p_to; /* TIME_UNSET when absent */
    int64_t span_from, span_to;
    size_t b0, b1, i0, i1, p0, p1;
};

struct controls {
    double **x;
    size_t k;
};

/* Adds a note to r's notes. */
PRINTF_LIKE(2, 3) void verify_note(struct verify_result *r, const char *fmt, ...);

void series_data_release(struct series_data *s);
/* expr in buckets over [from, to) (its first group): ERR_INVALID when the query refuses it or
 * it would take more than MAX_BUCKETS buckets. */
int fetch(struct app *a, const char *expr, int64_t from, int64_t to, int64_t bucket,
          struct series_data *ret, struct err *e);
/* The buckets whose middle lies in [from, to): [*ret_from, *ret_to). */
void window_range(const struct series_data *s, int64_t from, int64_t to, size_t *ret_from,
                  size_t *ret_to);
size_t count_empty(const double *v, size_t from, size_t to);

/* The controls of expr for inc's segments, read like the target y, with a note for each one
 * left out; ret is released with controls_release. */
int read_controls(struct verify_ctx *c, const struct incident *inc, const char *expr,
                  const struct cf_input *target, const struct windows *w,
                  const struct series_data *y, struct controls *ret, struct verify_result *r,
                  struct err *e);
void controls_release(struct controls *cs);

/* --apply over the n results of acts (verify_apply.c). */
int verify_apply(struct app *a, const struct action *acts, struct verify_result *res, size_t n,
                 struct err *e);

#endif
