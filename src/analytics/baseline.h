/* baseline.h: the expected value of every bucket of a series, and how far each bucket is from
 * it (docs/diagnosis.md, "Baselines").
 *
 * Seasonal: the median of the same bucket on up to `seasons` previous periods (days or weeks),
 * so one bad day in the history does not move the expectation. Where fewer than two previous
 * periods have a value, a local fit: the median of the `local` buckets just before. The scale
 * of normal variation is the median absolute deviation of the residuals over the buckets
 * before `eval_from`, so the incident itself does not widen it. Pure: arrays in, arrays out. */
#ifndef ANALYTICS_BASELINE_H
#define ANALYTICS_BASELINE_H

#include "core/common.h"

struct baseline_params {
    size_t period;  /* buckets per season (a day of 1 minute buckets: 1440); 0: no seasonality */
    size_t seasons; /* how many previous seasons to take the median of (e.g. 4) */
    size_t local;   /* buckets before, for the local fit (e.g. 60) */
    size_t week_period; /* a longer season tried first (a week: 7 x period); 0: none */
    size_t weeks;       /* how many of those to take the median of */
};

/* Fills expected[i] for i in [0, n) (NAN when nothing is known yet): the median of the same
 * bucket on the previous weeks when at least two have a value, else on the previous seasons
 * (days) when two have, else the local median. Missing values are NAN. */
void baseline_expected(const double *values, size_t n, const struct baseline_params *p,
                       double *expected);

/* Robust scale of values - expected over [0, eval_from): 1.4826 x the median absolute residual,
 * NAN when fewer than 3 residuals are known. */
double baseline_scale(const double *values, const double *expected, size_t eval_from);

/* Median of the non-NAN values in v (reordered); NAN when there is none. */
double median_inplace(double *v, size_t n);

#endif
