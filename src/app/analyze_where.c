/* analyze_where.c: where the broken step broke: a cube over the events' low-cardinality text
 * properties, real = completions during the incident, expected = the previous step during the
 * incident times the leaf's conversion before it (shrunk towards the whole funnel's), localised
 * with analytics/localize.h. */
#include "app/analyze.h"

#include "analytics/localize.h"
#include "core/strdict.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "query/series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CUBE_DIMS 2        /* the cube keeps the two most deviating dimensions */
#define SHRINK_WEIGHT 10.0 /* a leaf's conversion before counts as this many extra trials */

/* The text properties with 2 .. ANALYZE_MAX_DIM_VALUES distinct values in the window. */
int analyze_pick_dims(struct app *a, const struct analysis *an, struct strlist *dims,
                     struct err *e)
{
    struct field_info *fields = NULL;
    size_t n = 0;
    int rc = store_event_fields(a->store, &fields, &n, e);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n && dims->n < ANALYZE_MAX_DIMS; i++) {
        const char *name = fields[i].name;
        if (fields[i].type != 1 || !strcmp(name, "event") || strchr(name, '`') ||
            strlen(name) > 200)
            continue;
        char expr[256];
        snprintf(expr, sizeof(expr), "uniq(`%s`)", name);
        struct series_request rq = {expr, an->from, an->to, MS_PER_MINUTE, NULL, 0, true};
        struct series_result r;
        memset(&r, 0, sizeof(r));
        if ((rc = query_series(a->store, &rq, &r, e)) < 0)
            break;
        double v = r.n_buckets ? series_value(&r, 0, 0) : 0;
        if (v >= 2 && v <= ANALYZE_MAX_DIM_VALUES)
            strlist_push(dims, name);
        series_result_release(&r);
    }
    field_infos_free(fields, n);
    return rc;
}

static int add_counts(struct app *a, struct an_cube *cb, const struct strlist *dims,
                      const char *event, int64_t from, int64_t to, int which, struct err *e)
{
    char expr[128];
    snprintf(expr, sizeof(expr), "count() where event = '%s'", event);
    struct series_request rq = {expr, from, to, MS_PER_MINUTE, (const char *const *)dims->items,
                                dims->n, true};
    struct series_result r;
    memset(&r, 0, sizeof(r));
    int rc = query_series(a->store, &rq, &r, e);
    if (rc < 0)
        return rc;
    for (size_t g = 0; g < r.n_groups && r.n_buckets; g++) {
        double v = series_value(&r, g, 0);
        if (isnan(v) || v <= 0)
            continue;
        uint32_t leaf = an_cube_leaf(cb, &r, g); /* first: it may move the measures */
        cb->m[which][leaf] += v;
    }
    series_result_release(&r);
    return ERR_OK;
}

/* The leaves that saw the step during the incident (measures 2 and 3): those a segment's
 * implied dimensions are read from. */
static bool *step_active(const struct an_cube *cb)
{
    bool *active = xcalloc(cb->leaves.n ? cb->leaves.n : 1, sizeof(bool));
    for (size_t i = 0; i < cb->leaves.n; i++)
        active[i] = cb->m[2][i] + cb->m[3][i] > 0;
    return active;
}

/* When the cube's localisation finds nothing beyond its noise but the segment-level funnel test
 * (analyze_segstep.c) found the step broken in one dimension=value, that segment is the answer:
 * the test was corrected for every step x dimension=value it tried, so it is significant on
 * its own. Its share is its part of the lost completions beyond the expected (clipped to 0..1);
 * the dimensions it implies are added to its name. Returns whether a cause was added. */
static bool segment_test_cause(struct analysis *an, const struct strlist *dims,
                               const struct an_cube *cb, const double *expected)
{
    if (!an->broken_by || strcmp(an->broken_by, "segment") != 0)
        return false;
    size_t d = 0;
    while (d < dims->n && strcmp(dims->items[d], an->broken_dim) != 0)
        d++;
    if (d == dims->n)
        return false;
    double in = 0, all = 0;
    uint32_t fixed[ANALYZE_MAX_DIMS];
    for (size_t k = 0; k < dims->n; k++)
        fixed[k] = LOC_ANY;
    for (size_t i = 0; i < cb->leaves.n; i++) {
        double excess = expected[i] - cb->m[3][i]; /* completions lost beyond the expected */
        size_t len;
        uint32_t code = cb->codes[i * dims->n + d];
        const char *v = strdict_str(&cb->values[d], code + 1, &len);
        if (len == strlen(an->broken_value) && memcmp(v, an->broken_value, len) == 0) {
            in += excess;
            fixed[d] = code;
        }
        all += excess > 0 ? excess : 0;
    }
    if (fixed[d] == LOC_ANY)
        return false;
    bool *active = step_active(cb);
    an_cube_add_implied(cb, active, fixed);
    free(active);
    const struct an_step *s = &an->steps[an->broken];
    char metric[128];
    snprintf(metric, sizeof(metric), "%s -> %s", s->from, s->to);
    an->causes = xcalloc(1, sizeof(*an->causes));
    struct an_cause *ac = &an->causes[an->n_causes++];
    ac->metric = xstrdup(metric);
    ac->share = all > 0 ? (in <= 0 ? 0 : in >= all ? 1 : in / all) : 1;
    an_cube_push_segment(cb, dims, fixed, &ac->keys, &ac->values);
    strlist_push(&an->notes, "where: the cube shows no deviation beyond its noise; the segment "
                             "is the one the segment-level funnel test found");
    return true;
}

int analyze_where(struct app *a, struct analysis *an, struct err *e)
{
    struct strlist dims = {0};
    struct an_cube cb;
    memset(&cb, 0, sizeof(cb)); /* empty until the dimensions are known: releasing it is a no-op */
    double *expected = NULL;
    uint32_t *card = NULL, *ccodes = NULL;
    double *creal = NULL, *cexp = NULL;
    bool *active = NULL;
    struct loc_result lr;
    memset(&lr, 0, sizeof(lr));
    bool have_lr = false;
    int rc = ERR_OK;
    if (an->broken < 0) {
        strlist_push(&an->notes, "where: not localised (no broken funnel step)");
        goto done;
    }
    const struct an_step *s = &an->steps[an->broken];
    if ((rc = analyze_pick_dims(a, an, &dims, e)) < 0)
        goto done;
    if (dims.n == 0) {
        strlist_push(&an->notes, "where: no text property with 2 to 50 distinct values");
        goto done;
    }
    an_cube_init(&cb, dims.n);
    if ((rc = add_counts(a, &cb, &dims, s->from, an->from, an->started, 0, e)) < 0 ||
        (rc = add_counts(a, &cb, &dims, s->to, an->from, an->started, 1, e)) < 0 ||
        (rc = add_counts(a, &cb, &dims, s->from, an->started, an->end, 2, e)) < 0 ||
        (rc = add_counts(a, &cb, &dims, s->to, an->started, an->end, 3, e)) < 0)
        goto done;
    size_t n = cb.leaves.n;
    double prev_all = 0, next_all = 0;
    for (size_t i = 0; i < n; i++) {
        prev_all += cb.m[0][i];
        next_all += cb.m[1][i];
    }
    double p_all = prev_all > 0 ? next_all / prev_all : 0;
    if (p_all > 1)
        p_all = 1;
    expected = xmallocarray(n ? n : 1, sizeof(*expected));
    for (size_t i = 0; i < n; i++)
        expected[i] = cb.m[2][i] * (cb.m[1][i] + SHRINK_WEIGHT * p_all) /
                      (cb.m[0][i] + SHRINK_WEIGHT);
    /* Keep the CUBE_DIMS dimensions whose marginal deviation is largest (chi-square like);
     * a cube of every property is too sparse for counts of a few per leaf. */
    double score[ANALYZE_MAX_DIMS] = {0};
    for (size_t d = 0; d < dims.n; d++) {
        size_t nv = cb.values[d].n;
        double *rv = xcalloc(nv ? nv : 1, sizeof(double)), *fv = xcalloc(nv ? nv : 1,
                                                                          sizeof(double));
        for (size_t i = 0; i < n; i++) {
            rv[cb.codes[i * dims.n + d]] += cb.m[3][i];
            fv[cb.codes[i * dims.n + d]] += expected[i];
        }
        for (size_t v = 0; v < nv; v++)
            score[d] += (rv[v] - fv[v]) * (rv[v] - fv[v]) / (fv[v] > 1 ? fv[v] : 1);
        free(rv);
        free(fv);
    }
    size_t keep[CUBE_DIMS], n_keep = 0;
    for (size_t k = 0; k < CUBE_DIMS && k < dims.n; k++) {
        size_t best = SIZE_MAX;
        for (size_t d = 0; d < dims.n; d++) {
            bool used = false;
            for (size_t j = 0; j < n_keep; j++)
                used = used || keep[j] == d;
            if (!used && (best == SIZE_MAX || score[d] > score[best]))
                best = d;
        }
        keep[n_keep++] = best;
    }
    /* The collapsed cube. */
    struct strdict cl = STRDICT_INIT;
    size_t cap = n ? n : 1;
    ccodes = xmallocarray(cap * n_keep, sizeof(*ccodes));
    creal = xcalloc(cap, sizeof(double));
    cexp = xcalloc(cap, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        uint32_t key[CUBE_DIMS];
        for (size_t k = 0; k < n_keep; k++)
            key[k] = cb.codes[i * dims.n + keep[k]];
        size_t before = cl.n;
        uint32_t c = strdict_intern(&cl, (const char *)key, n_keep * sizeof(key[0])) - 1;
        if (cl.n > before)
            memcpy(ccodes + (size_t)c * n_keep, key, n_keep * sizeof(key[0]));
        /* In lost completions (previous step minus completions): the count noise is on the
         * small number, so a drop is far more significant than on the completions. */
        double lost = cb.m[2][i] - cb.m[3][i], lost_exp = cb.m[2][i] - expected[i];
        creal[c] += lost > 0 ? lost : 0;
        cexp[c] += lost_exp > 0 ? lost_exp : 0;
    }
    size_t nc = cl.n;
    strdict_release(&cl);
    card = xmallocarray(n_keep, sizeof(*card));
    for (size_t k = 0; k < n_keep; k++)
        card[k] = (uint32_t)(cb.values[keep[k]].n ? cb.values[keep[k]].n : 1);
    struct loc_cube cube = {nc, n_keep, ccodes, card, creal, cexp};
    struct loc_options lo = {0, 0};
    if ((rc = localize(&cube, &lo, &lr, e)) < 0)
        goto done;
    have_lr = true;
    if (lr.status != LOC_FOUND && segment_test_cause(an, &dims, &cb, expected))
        goto done;
    if (lr.status != LOC_FOUND) {
        strlist_push(&an->notes, lr.status == LOC_NO_DEVIATION
                                     ? "where: no segment deviates beyond the noise"
                                     : "where: no small set of segments explains the drop");
        goto done;
    }
    an->causes = xcalloc(lr.n ? lr.n : 1, sizeof(*an->causes));
    active = step_active(&cb);
    for (size_t c = 0; c < lr.n; c++) {
        struct an_cause *ac = &an->causes[an->n_causes++];
        char metric[128];
        snprintf(metric, sizeof(metric), "%s -> %s", s->from, s->to);
        ac->metric = xstrdup(metric);
        ac->share = lr.causes[c].share;
        /* fixed[d]: the segment's code in dimension d, LOC_ANY when free */
        uint32_t fixed[ANALYZE_MAX_DIMS];
        for (size_t d = 0; d < dims.n; d++)
            fixed[d] = LOC_ANY;
        for (size_t k = 0; k < n_keep; k++)
            fixed[keep[k]] = lr.causes[c].values[k];
        an_cube_add_implied(&cb, active, fixed);
        an_cube_push_segment(&cb, &dims, fixed, &ac->keys, &ac->values);
    }
done:
    if (have_lr)
        loc_result_release(&lr);
    an_cube_release(&cb);
    free(expected);
    free(card);
    free(ccodes);
    free(creal);
    free(cexp);
    free(active);
    strlist_release(&dims);
    return rc;
}
