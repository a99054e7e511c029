/* series.h: evaluating a metric expression into time series.
 *
 * The window [from, to) is widened to whole buckets (from rounded down, to rounded up to a
 * multiple of the bucket from the epoch, so that 1m buckets start on the minute and 1d buckets
 * at midnight UTC). With --by dimensions, every combination of values seen in the window is
 * a group; every group has a value in every bucket: 0 for counts, sums and uniq when nothing
 * fell in it, empty (NAN) for averages, minimums, maximums, quantiles and for divisions by
 * zero. */
#ifndef QUERY_SERIES_H
#define QUERY_SERIES_H

#include "core/common.h"
#include "core/err.h"
#include "model/series.h"
#include "store/store.h"

#define SERIES_MAX_BUCKETS 2000000

struct series_request {
    const char *expr;
    int64_t from, to;
    int64_t bucket_ms; /* ignored with single_bucket */
    const char *const *by;
    size_t n_by;
    bool single_bucket; /* one bucket of exactly [from, to), not aligned (for experiments) */
};

/* Evaluates rq on the store. Errors: ERR_INVALID for a syntax error (e->column set), an
 * unknown field, metric or saved metric, or a bad window; ERR_STORE for the store. */
int query_series(struct store *s, const struct series_request *rq, struct series_result *ret,
                 struct err *e);

/* expr over [from, to) as one value (its first group, one bucket of exactly the window): NAN
 * when the window holds nothing. Errors as query_series. */
int query_value(struct store *s, const char *expr, int64_t from, int64_t to, double *ret,
                struct err *e);

struct qnode;
/* Parses text and replaces saved metrics by their expressions (filters pushed down). The
 * caller frees the tree with query_free. NULL on error. */
struct qnode *query_expand_text(struct store *s, const char *text, struct err *e);

/* Checks that text parses and that the saved metrics it names exist (for metric define). */
int query_check(struct store *s, const char *text, struct err *e);

#endif
