/* series_baseline.h: one metric expression read with days of history before its window, and
 * the expected value of every bucket (analytics/baseline.h): what the diagnosis's deviations
 * and the charts' baselines both stand on. */
#ifndef APP_SERIES_BASELINE_H
#define APP_SERIES_BASELINE_H

#include "app/app.h"

struct baselined {
    double *values, *expected; /* n buckets from the first of the history; owned */
    size_t n, skip;            /* the window starts at bucket skip */
    int64_t from, bucket_ms;   /* from: the window's first bucket */
    size_t period;             /* buckets per day, 0 when the bucket does not divide a day */
};

/* The previous days whose same bucket the baseline takes the median of. */
#define SERIES_BASELINE_DAYS 4

/* Where history is short, the baseline is the median of the buckets of the hour before (at
 * least 3 buckets): the same span whatever the bucket, for the diagnosis and the charts. */
size_t series_baseline_local(int64_t bucket_ms);

/* Reads expr (its first group) over [from - SERIES_BASELINE_DAYS days, to) and fills *ret.
 * ERR_INVALID (the query refused it: the caller notes why) passes through; ret->n is 0 when the
 * window has no bucket. */
int series_baselined(struct app *a, const char *expr, int64_t from, int64_t to, int64_t bucket,
                     struct baselined *ret, struct err *e);
void baselined_release(struct baselined *b);

#endif
