/* series_baseline.h: one metric expression read with days of history before its window, and
 * the expected value of every bucket (analytics/baseline.h): what the diagnosis's deviations
 * and the charts' baselines both stand on. */
#ifndef APP_SERIES_BASELINE_H
#define APP_SERIES_BASELINE_H

#include "analytics/baseline.h"
#include "app/app.h"

struct baselined {
    double *values, *expected; /* n buckets from the first of the history; owned */
    size_t n, skip;            /* the window starts at bucket skip */
    int64_t from, bucket_ms;   /* from: the window's first bucket */
    size_t period;             /* buckets per day, 0 when the bucket does not divide a day */
};

/* The previous days whose same bucket the baseline takes the median of, and read by default. */
#define SERIES_BASELINE_DAYS 4
/* With at least this many days of history read, the same bucket on previous weeks (up to 4)
 * comes first: weekly seasonality (weekends) needs two weeks to be seen. */
#define SERIES_BASELINE_WEEKLY_DAYS 14
#define SERIES_BASELINE_MAX_DAYS 35

/* Where history is short, the baseline is the median of the buckets of the hour before (at
 * least 3 buckets): the same span whatever the bucket, for the diagnosis and the charts. */
size_t series_baseline_local(int64_t bucket_ms);

/* The baseline's parameters for a bucket and history_days of history read (0: the default
 * SERIES_BASELINE_DAYS): daily seasons, and weekly ones from SERIES_BASELINE_WEEKLY_DAYS. */
void series_baseline_params(int64_t bucket_ms, size_t history_days, struct baseline_params *ret);

/* Reads expr (its first group) over [from - history_days days, to) (0: SERIES_BASELINE_DAYS)
 * and fills *ret. ERR_INVALID (the query refused it: the caller notes why) passes through;
 * ret->n is 0 when the window has no bucket. */
int series_baselined(struct app *a, const char *expr, int64_t from, int64_t to, int64_t bucket,
                     size_t history_days, struct baselined *ret, struct err *e);
void baselined_release(struct baselined *b);

#endif
