/* series_baseline.c: a series with its baseline (series_baseline.h). */
#include "app/series_baseline.h"

#include "analytics/baseline.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "query/series.h"

#include <stdlib.h>
#include <string.h>

size_t series_baseline_local(int64_t bucket_ms)
{
    int64_t n = bucket_ms > 0 ? (MS_PER_HOUR + bucket_ms - 1) / bucket_ms : 3;
    return n > 3 ? (size_t)n : 3;
}

void series_baseline_params(int64_t bucket_ms, size_t history_days, struct baseline_params *ret)
{
    size_t days = history_days ? history_days : SERIES_BASELINE_DAYS;
    memset(ret, 0, sizeof(*ret));
    ret->local = series_baseline_local(bucket_ms);
    if (bucket_ms <= 0 || MS_PER_DAY % bucket_ms != 0)
        return;
    ret->period = (size_t)(MS_PER_DAY / bucket_ms);
    ret->seasons = SERIES_BASELINE_DAYS;
    if (days >= SERIES_BASELINE_WEEKLY_DAYS) {
        ret->week_period = 7 * ret->period;
        ret->weeks = days / 7 < 4 ? days / 7 : 4;
    }
}

int series_baselined(struct app *a, const char *expr, int64_t from, int64_t to, int64_t bucket,
                     size_t history_days, struct baselined *ret, struct err *e)
{
    memset(ret, 0, sizeof(*ret));
    size_t days = history_days ? history_days : SERIES_BASELINE_DAYS;
    int64_t history = MS_PER_DAY % bucket == 0 ? (int64_t)days * MS_PER_DAY : 0;
    struct series_request rq = {expr, from - history, to, bucket, NULL, 0, false};
    struct series_result r;
    memset(&r, 0, sizeof(r));
    int rc = query_series(a->store, &rq, &r, e);
    if (rc < 0)
        return rc;
    /* the window's first bucket: the one holding from */
    size_t skip = from > r.from ? (size_t)((from - r.from) / r.bucket_ms) : 0;
    if (r.n_groups >= 1 && r.n_buckets > skip) {
        ret->n = r.n_buckets;
        ret->skip = skip;
        ret->bucket_ms = r.bucket_ms;
        ret->from = r.from + (int64_t)skip * r.bucket_ms;
        ret->period = history ? (size_t)(MS_PER_DAY / r.bucket_ms) : 0;
        ret->values = xcalloc(r.n_buckets, sizeof(*ret->values));
        memcpy(ret->values, r.values, r.n_buckets * sizeof(*ret->values));
        ret->expected = xcalloc(r.n_buckets, sizeof(*ret->expected));
        struct baseline_params bp;
        series_baseline_params(r.bucket_ms, days, &bp);
        baseline_expected(ret->values, r.n_buckets, &bp, ret->expected);
    }
    series_result_release(&r);
    return ERR_OK;
}

void baselined_release(struct baselined *b)
{
    free(b->values);
    free(b->expected);
    memset(b, 0, sizeof(*b));
}
