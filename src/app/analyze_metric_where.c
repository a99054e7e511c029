/* analyze_metric_where.c: where an ingested metric that strays from its baseline strays: a
 * cube over its labels (service, region, ...), one leaf per label set, localised with
 * analytics/localize.h like the broken step (docs/diagnosis.md, "Where, for metrics").
 *
 * A leaf's real value is its sum over the incident's buckets and its expected value the sum of
 * its own baseline there (the same bucket on previous days, or the hour before: the baseline
 * of every series). A metric is not a count, so both are put in a count's units before the
 * localisation: scaled by k = E / (n s^2), with n the incident's buckets and s the leaf's robust
 * scale on the buckets before the incident, the leaf's noise over the incident (n s^2) becomes
 * the Poisson noise of a count whose mean is its expectation (k E). A leaf that moved by many
 * of its own deviations then scores like a count that moved by as many. */
#include "app/analyze.h"

#include "analytics/baseline.h"
#include "analytics/localize.h"
#include "app/series_baseline.h"
#include "core/strdict.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "query/series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A metric is localised when some bucket of the incident strays this many robust deviations
 * from its baseline (in the all-labels series of the baselines section). */
#define METRIC_Z_MIN 6.0

/* The label keys of metric name, in order of first appearance ("service", "region"). */
static int label_keys(struct app *a, const char *name, struct strlist *ret, struct err *e)
{
    struct metric_series_ref *list = NULL;
    size_t n = 0;
    int rc = store_metric_series(a->store, name, &list, &n, e);
    for (size_t i = 0; rc == ERR_OK && i < n; i++) {
        const char *p = list[i].labels ? list[i].labels : "";
        while (*p) {
            const char *eq = strchr(p, '='), *comma = strchr(p, ',');
            if (!eq || (comma && comma < eq))
                break;
            char key[128];
            snprintf(key, sizeof(key), "%.*s", (int)(eq - p), p);
            if (ret->n < LOC_MAX_ATTRS && !strchr(key, '`'))
                strlist_add_unique(ret, key);
            p = comma ? comma + 1 : eq + strlen(eq);
        }
    }
    metric_series_free(list, n);
    return rc;
}

struct leaf_cube {
    size_t n, n_attrs;
    uint32_t *codes, *card;
    double *real, *expected;
    struct strdict *values; /* per attribute */
};

static void leaf_cube_release(struct leaf_cube *c)
{
    for (size_t d = 0; c->values && d < c->n_attrs; d++)
        strdict_release(&c->values[d]);
    free(c->values);
    free(c->codes);
    free(c->card);
    free(c->real);
    free(c->expected);
    memset(c, 0, sizeof(*c));
}

/* Group g of r as a leaf: its sums over the incident's buckets [i0, i1), scaled to a count's
 * units. False when the leaf has no baseline or no spread to measure it by. */
static bool leaf_values(const struct series_result *r, size_t g, size_t i0, size_t i1,
                        int64_t bucket, size_t history_days, double *ret_real,
                        double *ret_expected)
{
    const double *v = r->values + g * r->n_buckets;
    double *exp = xcalloc(r->n_buckets ? r->n_buckets : 1, sizeof(double));
    struct baseline_params bp;
    series_baseline_params(bucket, history_days, &bp);
    baseline_expected(v, r->n_buckets, &bp, exp);
    double s = baseline_scale(v, exp, i0);
    double real = 0, expected = 0;
    size_t n = 0;
    for (size_t i = i0; i < i1; i++) {
        if (isnan(v[i]) || isnan(exp[i]))
            continue;
        real += v[i];
        expected += exp[i];
        n++;
    }
    free(exp);
    if (!n || !(s > 0) || !(expected > 0) || real < 0)
        return false;
    double k = expected / ((double)n * s * s);
    *ret_real = k * real;
    *ret_expected = k * expected;
    return true;
}

void analyze_add_metric_causes(struct analysis *an, const char *name, const struct loc_result *lr,
                               const struct strlist *dims, const struct strdict *values,
                               const struct an_cube *cube, const bool *active)
{
    an->metric_causes = xreallocarray(an->metric_causes, an->n_metric_causes + lr->n + 1,
                                      sizeof(*an->metric_causes));
    for (size_t k = 0; k < lr->n; k++) {
        struct an_cause *ac = &an->metric_causes[an->n_metric_causes++];
        memset(ac, 0, sizeof(*ac));
        ac->metric = xstrdup(name);
        ac->share = lr->causes[k].share;
        ac->direction = lr->causes[k].real >= lr->causes[k].expected ? 1 : -1;
        if (cube) { /* the event dimensions: with those the segment implies */
            uint32_t fixed[ANALYZE_MAX_DIMS];
            for (size_t d = 0; d < cube->n_dims && d < ANALYZE_MAX_DIMS; d++)
                fixed[d] = lr->causes[k].values[d];
            an_cube_add_implied(cube, active, fixed);
            an_cube_push_segment(cube, dims, fixed, &ac->keys, &ac->values);
            continue;
        }
        for (size_t d = 0; d < dims->n; d++) {
            if (lr->causes[k].values[d] == LOC_ANY)
                continue;
            size_t len;
            const char *v = strdict_str(&values[d], lr->causes[k].values[d] + 1, &len);
            char *val = xstrndup(v, len);
            strlist_push(&ac->keys, dims->items[d]);
            strlist_push(&ac->values, val);
            free(val);
        }
    }
}

/* Localises metric name over its labels; adds its causes to an->metric_causes. */
static int localise_metric(struct app *a, struct analysis *an, const char *name, int64_t bucket,
                           struct err *e)
{
    struct strlist keys = {0};
    struct series_result r;
    memset(&r, 0, sizeof(r));
    struct leaf_cube c;
    memset(&c, 0, sizeof(c));
    struct loc_result lr;
    memset(&lr, 0, sizeof(lr));
    bool have_lr = false;
    int rc = label_keys(a, name, &keys, e);
    if (rc < 0 || keys.n == 0)
        goto done;
    char expr[300];
    snprintf(expr, sizeof(expr), "metric('%s')", name);
    int64_t days = an->history_days ? (int64_t)an->history_days : SERIES_BASELINE_DAYS;
    int64_t history = MS_PER_DAY % bucket == 0 ? days * MS_PER_DAY : 0;
    struct series_request rq = {expr, an->started - history - MS_PER_HOUR, an->end, bucket,
                                (const char *const *)keys.items, keys.n, false};
    if ((rc = query_series(a->store, &rq, &r, e)) < 0) {
        if (rc == ERR_INVALID) { /* a name the language cannot take: say so, go on */
            analyze_note(an, "where: metric %s not localised", e->msg);
            *e = (struct err)ERR_INIT;
            rc = ERR_OK;
        }
        goto done;
    }
    size_t i0 = (size_t)((an->started - r.from) / r.bucket_ms);
    size_t i1 = (size_t)((an->end - r.from + r.bucket_ms - 1) / r.bucket_ms);
    if (i1 > r.n_buckets)
        i1 = r.n_buckets;
    c.n_attrs = keys.n;
    c.values = xcalloc(keys.n, sizeof(*c.values));
    for (size_t d = 0; d < keys.n; d++)
        c.values[d] = (struct strdict)STRDICT_INIT;
    c.codes = xcalloc(r.n_groups * keys.n + 1, sizeof(uint32_t));
    c.real = xcalloc(r.n_groups + 1, sizeof(double));
    c.expected = xcalloc(r.n_groups + 1, sizeof(double));
    for (size_t g = 0; g < r.n_groups && i1 > i0; g++) {
        double real, expected;
        if (!leaf_values(&r, g, i0, i1, r.bucket_ms, an->history_days, &real, &expected))
            continue;
        for (size_t d = 0; d < keys.n; d++) {
            const char *v = r.group_keys[g * r.n_by + d] ? r.group_keys[g * r.n_by + d] : "";
            c.codes[c.n * keys.n + d] = strdict_intern(&c.values[d], v, strlen(v)) - 1;
        }
        c.real[c.n] = real;
        c.expected[c.n++] = expected;
    }
    if (c.n < 2)
        goto done; /* one label set: nothing to tell apart */
    c.card = xcalloc(keys.n, sizeof(uint32_t));
    for (size_t d = 0; d < keys.n; d++)
        c.card[d] = (uint32_t)(c.values[d].n ? c.values[d].n : 1);
    struct loc_cube cube = {c.n, keys.n, c.codes, c.card, c.real, c.expected};
    struct loc_options lo = {0, 0};
    if ((rc = localize(&cube, &lo, &lr, e)) < 0)
        goto done;
    have_lr = true;
    if (lr.status != LOC_FOUND)
        goto done;
    analyze_add_metric_causes(an, name, &lr, &keys, c.values, NULL, NULL);
done:
    if (have_lr)
        loc_result_release(&lr);
    leaf_cube_release(&c);
    series_result_release(&r);
    strlist_release(&keys);
    return rc;
}

int analyze_metric_where(struct app *a, struct analysis *an, int64_t bucket, struct err *e)
{
    struct strlist names = {0};
    int rc = store_metric_names(a->store, &names, e);
    for (size_t i = 0; rc == ERR_OK && i < names.n; i++) {
        const char *name = names.items[i];
        if (!name[0] || strchr(name, '\'') || strlen(name) > 200)
            continue;
        bool strays = false;
        for (size_t b = 0; b < an->n_baselines && !strays; b++)
            strays = strcmp(an->baselines[b].series, name) == 0 &&
                     fabs(an->baselines[b].z_max) >= METRIC_Z_MIN;
        if (strays)
            rc = localise_metric(a, an, name, bucket, e);
    }
    strlist_release(&names);
    return rc;
}
