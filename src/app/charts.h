/* charts.h: gathering the data behind an incident's charts (docs/charts.md), read only.
 *
 * The window is the incident with a margin on each side (twice its length, at least 3 hours),
 * cut into about 240 buckets of a round length. Each series is read with four days of history
 * before the window so that its baseline is the median of the same time on the previous days
 * (analytics/baseline.h); change points are found on the drawn series itself; the changes
 * (deploys, flags) are those the diagnosis ranks, and the funnel and the segments are the
 * diagnosis's, computed afresh without touching the stored findings. */
#ifndef APP_CHARTS_H
#define APP_CHARTS_H

#include "app/app.h"
#include "model/chart.h"

#define CHARTS_MAX_PANELS 6     /* default panels: the broken step and up to 5 metrics */
#define CHARTS_MAX_CHANGES 4    /* changes marked on the time axis, best first */
#define CHARTS_TARGET_BUCKETS 240

/* Fills *ret for the incident named key. exprs (n_exprs of them) are the series to draw as
 * panels: expressions or metric names; NULL for the default (the broken funnel step's
 * conversion, then the ingested and saved metrics). The periods, heatmap, funnel and segments
 * are filled only with the default (exprs NULL). */
int app_charts_gather(struct app *a, const char *key, const char *const *exprs, size_t n_exprs,
                      struct chart_set *ret, struct err *e);

/* The bucket for a window of span ms: the smallest of 1m, 2m, 5m, 10m, 15m, 30m, 1h, 2h, 3h,
 * 6h, 12h, 1d that cuts it into at most `target` buckets (1d when none does). */
int64_t charts_bucket_for(int64_t span, size_t target);

#endif
