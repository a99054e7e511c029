/* analyze_series.c: the diagnosis's series: every series gets a baseline (the median of the
 * same time on the previous days, analytics/baseline.h) and its deviation during the incident,
 * and change points from two methods, PELT (exact, penalised) and BOCPD (Bayesian, online),
 * merged where they agree; then what moved first. docs/diagnosis.md, steps 1 to 3. */
#include "app/analyze.h"

#include "analytics/baseline.h"
#include "analytics/changepoint.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "app/series_baseline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AGREE_BUCKETS 2      /* PELT and BOCPD agree when this close */

static void add_cp(struct analysis *an, const char *name, int64_t at, int64_t width,
                   const struct cp_point *p, const char *method)
{
    an->cps = xreallocarray(an->cps, an->n_cps + 1, sizeof(*an->cps));
    struct an_cp *c = &an->cps[an->n_cps++];
    c->series = xstrdup(name);
    c->at = at;
    c->width = width;
    c->direction = p->direction;
    c->magnitude = p->magnitude;
    c->confidence = p->confidence;
    c->method = method;
}

/* For each PELT point, the index of the nearest BOCPD point within AGREE_BUCKETS, or
 * SIZE_MAX. */
static void match_cps(const struct cp_result *pelt, const struct cp_result *bocpd,
                      size_t *ret_match)
{
    for (size_t i = 0; i < pelt->n_points; i++) {
        size_t best = SIZE_MAX, dist = AGREE_BUCKETS + 1;
        for (size_t k = 0; k < bocpd->n_points; k++) {
            size_t a = pelt->points[i].index, b = bocpd->points[k].index;
            size_t d = a > b ? a - b : b - a;
            if (d < dist) {
                dist = d;
                best = k;
            }
        }
        ret_match[i] = best;
    }
}

/* Change points of values[0..n) with both methods; a point both find (within AGREE_BUCKETS)
 * is kept once, at PELT's index (the exact optimum), with the larger confidence. */
static void detect(struct analysis *an, const char *name, const double *values, size_t n,
                   int64_t from, int64_t bucket)
{
    struct cp_params pp, bp;
    cp_params_default(&pp, CP_PELT);
    cp_params_default(&bp, CP_BOCPD);
    struct cp_result pr, br;
    struct err e = ERR_INIT;
    memset(&pr, 0, sizeof(pr));
    memset(&br, 0, sizeof(br));
    if (cp_detect(values, n, 1, &pp, &pr, &e) < 0 || cp_detect(values, n, 1, &bp, &br, &e) < 0) {
        char text[600];
        snprintf(text, sizeof(text), "%.200s: %.380s", name, e.msg);
        analyze_note(an, "change points: %s", text);
        goto done;
    }
    if (pr.status != CP_STATUS_OK) {
        char text[600];
        snprintf(text, sizeof(text), "%.200s: %s", name, cp_status_name(pr.status));
        analyze_note(an, "change points: series %s", text);
        goto done;
    }
    size_t *match = xcalloc(pr.n_points ? pr.n_points : 1, sizeof(*match));
    bool *used = xcalloc(br.n_points ? br.n_points : 1, sizeof(*used));
    match_cps(&pr, &br, match);
    for (size_t i = 0; i < pr.n_points; i++) {
        struct cp_point p = pr.points[i];
        const char *method = "pelt";
        if (match[i] != SIZE_MAX && !used[match[i]]) {
            used[match[i]] = true;
            method = "both";
            if (br.points[match[i]].confidence > p.confidence)
                p.confidence = br.points[match[i]].confidence;
        }
        add_cp(an, name, from + (int64_t)p.index * bucket, bucket, &p, method);
    }
    for (size_t k = 0; k < br.n_points; k++)
        if (!used[k])
            add_cp(an, name, from + (int64_t)br.points[k].index * bucket, bucket, &br.points[k],
                   "bocpd");
    free(match);
    free(used);
done:
    cp_result_release(&pr);
    cp_result_release(&br);
}

/* How far the incident strays from the series' baseline. */
static void deviation(struct analysis *an, const char *name, const struct baselined *bs)
{
    const double *values = bs->values, *expected = bs->expected;
    size_t n = bs->n, skip = bs->skip;
    int64_t from = bs->from, bucket = bs->bucket_ms;
    size_t start = skip + (size_t)((an->started - from) / bucket);
    size_t end = skip + (size_t)((an->end - from + bucket - 1) / bucket);
    if (start > n)
        start = n;
    if (end > n)
        end = n;
    struct an_baseline b = {xstrdup(name), NAN, NAN, NAN, TIME_UNSET, false};
    double obs = 0, exp_sum = 0;
    size_t k = 0, seasonal = 0;
    double scale = baseline_scale(values, expected, start);
    for (size_t i = start; i < end; i++) {
        if (isnan(values[i]) || isnan(expected[i]))
            continue;
        obs += values[i];
        exp_sum += expected[i];
        k++;
        double z = scale > 0 ? (values[i] - expected[i]) / scale : NAN;
        if (!isnan(z) && (isnan(b.z_max) || fabs(z) > fabs(b.z_max))) {
            b.z_max = z;
            b.at_max = from + ((int64_t)i - (int64_t)skip) * bucket;
        }
        if (bs->period && i >= 2 * bs->period)
            seasonal++;
    }
    b.observed = k ? obs / (double)k : NAN;
    b.expected = k ? exp_sum / (double)k : NAN;
    b.seasonal = k && seasonal == k;
    an->baselines = xreallocarray(an->baselines, an->n_baselines + 1, sizeof(*an->baselines));
    an->baselines[an->n_baselines++] = b;
}

/* One series: read with an->history_days of history (for its baseline), then change points on the
 * window only. A series the query refuses becomes a note. */
static int analyze_one(struct app *a, struct analysis *an, const char *name, const char *expr,
                       int64_t bucket, struct err *e)
{
    struct baselined bs;
    int rc = series_baselined(a, expr, an->from, an->to, bucket, an->history_days, &bs, e);
    if (rc == ERR_INVALID) {
        char text[600];
        snprintf(text, sizeof(text), "%.200s: %.380s", name, e->msg);
        analyze_note(an, "change points: %s", text);
        *e = (struct err)ERR_INIT;
        return ERR_OK;
    }
    if (rc < 0)
        return rc;
    if (bs.n) {
        deviation(an, name, &bs);
        detect(an, name, bs.values + bs.skip, bs.n - bs.skip, bs.from, bs.bucket_ms);
    }
    baselined_release(&bs);
    return ERR_OK;
}

int analyze_changepoints(struct app *a, struct analysis *an, int64_t bucket, struct err *e)
{
    int rc = ERR_OK;
    struct strlist names = {0};
    struct saved_metric *saved = NULL;
    size_t n_saved = 0;
    an->first = -1;
    if (an->broken >= 0) {
        const struct an_step *s = &an->steps[an->broken];
        char name[128], expr[256];
        snprintf(name, sizeof(name), "%s -> %s", s->from, s->to);
        snprintf(expr, sizeof(expr), "(count() where event = '%s') / (count() where event = "
                 "'%s')", s->to, s->from);
        if ((rc = analyze_one(a, an, name, expr, ANALYZE_CONV_BUCKET_MS, e)) < 0)
            goto done;
    }
    if ((rc = store_metric_names(a->store, &names, e)) < 0)
        goto done;
    for (size_t i = 0; i < names.n; i++) {
        char expr[300];
        if (strchr(names.items[i], '\'') || strlen(names.items[i]) > 200)
            continue;
        snprintf(expr, sizeof(expr), "metric('%s')", names.items[i]);
        if ((rc = analyze_one(a, an, names.items[i], names.items[i][0] ? expr : "0", bucket,
                              e)) < 0)
            goto done;
    }
    if ((rc = store_saved_metric_list(a->store, &saved, &n_saved, e)) < 0)
        goto done;
    for (size_t i = 0; i < n_saved; i++)
        if ((rc = analyze_one(a, an, saved[i].name, saved[i].name, ANALYZE_CONV_BUCKET_MS,
                              e)) < 0)
            goto done;
    if (an->n_cps == 0 && !names.n && an->broken < 0 && !n_saved)
        analyze_note(an, "change points: %s", "no series to analyse (no broken step, no "
                                              "ingested or saved metric)");
    /* What moved first: of the change points from ANALYZE_LEAD_MS before the start to the end
     * of the incident, the one that had surely moved earliest: the end of its first changed
     * bucket (a 10-minute series that changed in [14:00, 14:10) did not move before a
     * one-minute series that changed at 14:05); then the earlier start; then the one both
     * methods found. */
    int64_t lo = an->started - ANALYZE_LEAD_MS > an->from ? an->started - ANALYZE_LEAD_MS
                                                           : an->from;
    for (size_t i = 0; i < an->n_cps; i++) {
        const struct an_cp *c = &an->cps[i];
        if (c->at < lo || c->at >= an->end)
            continue;
        const struct an_cp *f = an->first >= 0 ? &an->cps[an->first] : NULL;
        if (!f || c->at + c->width < f->at + f->width ||
            (c->at + c->width == f->at + f->width &&
             (c->at < f->at || (c->at == f->at && !strcmp(c->method, "both") &&
                                strcmp(f->method, "both")))))
            an->first = (int)i;
    }
    if (an->n_cps && an->first < 0)
        analyze_note(an, "change points: %s", "none near the incident (from 30 minutes "
                                              "before its start to its end)");
done:
    strlist_release(&names);
    saved_metrics_free(saved, n_saved);
    return rc;
}
