/* analyze_saved_where.c: where a saved metric that strays from its baseline strays, over the
 * event dimensions (docs/diagnosis.md, "Where, for metrics").
 *
 * Only additive metrics are localised: counts and sums of events, and sums of those
 * (`count() where ...`, `sum(revenue) + ...`). Their value over a segment is the sum of its
 * leaves', so a cube of leaves with real and expected values means what it means for the
 * broken step, and the localiser's own noise fit (a count's dispersion) applies. A ratio or a
 * difference of counts, an average or a quantile is not additive: splitting it over segments
 * would need a model of its own, so such a metric gets a note, not a made-up answer.
 *
 * A leaf's real value is the metric over the incident [started, end) as one bucket; its
 * expected value the median of the same window on the previous days (up to 4, those with
 * data). Dimensions: the text properties of "where", of which the CUBE_DIMS whose values alone
 * stray most (sum of (r - e)^2 / e) make the cube, as for the broken step. */
#include "app/analyze.h"

#include "analytics/baseline.h"
#include "analytics/localize.h"
#include "core/strdict.h"
#include "core/timefmt.h"
#include "core/xalloc.h"
#include "query/ast.h"
#include "query/series.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAVED_Z_MIN 6.0  /* the metric strays this many robust deviations (its baselines row) */
#define CUBE_DIMS 2
#define PREVIOUS_DAYS 4

/* count() or sum() of events, or a sum of additive terms. */
static bool additive(const struct qnode *n)
{
    if (!n)
        return false;
    if (n->kind == Q_AGG)
        return n->fn == AGG_COUNT || n->fn == AGG_SUM;
    if (n->kind == Q_BINARY)
        return n->op == '+' && additive(n->left) && additive(n->right);
    return false;
}

/* The cube of expr over dims (an_cube): m[0] the incident, m[1 + d] the previous day d + 1;
 * one leaf per combination seen in any of them (0 where a leaf has no value). */
#define REAL 0
#define PREV(d) (1 + (d))
_Static_assert(1 + PREVIOUS_DAYS <= AN_CUBE_MEASURES, "the cube holds the previous days");

static int build(struct app *a, const struct analysis *an, const char *expr,
                 const struct strlist *dims, struct an_cube *c, struct err *e)
{
    an_cube_init(c, dims->n);
    int rc = ERR_OK;
    for (int slot = -1; rc == ERR_OK && slot < PREVIOUS_DAYS; slot++) {
        int64_t shift = slot < 0 ? 0 : (int64_t)(slot + 1) * MS_PER_DAY;
        struct series_request rq = {expr, an->started - shift, an->end - shift, 0,
                                    (const char *const *)dims->items, dims->n, true};
        struct series_result r;
        memset(&r, 0, sizeof(r));
        if ((rc = query_series(a->store, &rq, &r, e)) < 0)
            break;
        for (size_t g = 0; g < r.n_groups && r.n_buckets; g++) {
            double v = series_value(&r, g, 0);
            if (isnan(v) || (v == 0 && r.n_by == 0))
                continue;
            uint32_t leaf = an_cube_leaf(c, &r, g); /* first: it may move the measures */
            c->m[slot < 0 ? REAL : PREV(slot)][leaf] = v;
        }
        series_result_release(&r);
    }
    return rc;
}

/* A leaf's expected value: the median of the previous days that had data in the store. */
static double expected_of(const struct an_cube *c, size_t leaf, const bool *day_has_data)
{
    double v[PREVIOUS_DAYS];
    size_t k = 0;
    for (int d = 0; d < PREVIOUS_DAYS; d++)
        if (day_has_data[d])
            v[k++] = c->m[PREV(d)][leaf];
    return k ? median_inplace(v, k) : NAN;
}

/* Which previous days have data at all (a day before the first event has none, and counting
 * it as 0 would make everything look like a rise). */
static void days_with_data(const struct an_cube *c, bool *ret)
{
    for (int d = 0; d < PREVIOUS_DAYS; d++) {
        ret[d] = false;
        for (size_t i = 0; i < c->leaves.n && !ret[d]; i++)
            ret[d] = c->m[PREV(d)][i] != 0;
    }
}

static double dim_score(const struct an_cube *c)
{
    bool has[PREVIOUS_DAYS];
    days_with_data(c, has);
    double s = 0;
    for (size_t i = 0; i < c->leaves.n; i++) {
        double ex = expected_of(c, i, has);
        if (isnan(ex))
            continue;
        s += (c->m[REAL][i] - ex) * (c->m[REAL][i] - ex) / (ex > 1 ? ex : 1);
    }
    return s;
}

static int localise(struct app *a, struct analysis *an, const char *name,
                    const struct strlist *dims, struct err *e)
{
    double score[ANALYZE_MAX_DIMS] = {0};
    int rc = ERR_OK;
    for (size_t d = 0; rc == ERR_OK && d < dims->n && d < ANALYZE_MAX_DIMS; d++) {
        struct strlist one = {0};
        strlist_push(&one, dims->items[d]);
        struct an_cube c;
        if ((rc = build(a, an, name, &one, &c, e)) == ERR_OK)
            score[d] = dim_score(&c);
        an_cube_release(&c);
        strlist_release(&one);
    }
    struct strlist keep = {0};
    for (size_t k = 0; rc == ERR_OK && k < CUBE_DIMS && k < dims->n; k++) {
        size_t best = SIZE_MAX;
        for (size_t d = 0; d < dims->n && d < ANALYZE_MAX_DIMS; d++)
            if (!strlist_contains(&keep, dims->items[d]) &&
                (best == SIZE_MAX || score[d] > score[best]))
                best = d;
        strlist_push(&keep, dims->items[best]);
    }
    struct an_cube c;
    an_cube_init(&c, 0);
    double *expected = NULL;
    uint32_t *card = NULL;
    struct loc_result lr;
    memset(&lr, 0, sizeof(lr));
    bool have_lr = false;
    an_cube_release(&c);
    if (rc < 0 || !keep.n || (rc = build(a, an, name, &keep, &c, e)) < 0)
        goto done;
    bool has[PREVIOUS_DAYS];
    days_with_data(&c, has);
    size_t n = c.leaves.n;
    expected = xcalloc(n ? n : 1, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        double ex = expected_of(&c, i, has);
        if (isnan(ex)) { /* no previous day with data: nothing to compare with */
            analyze_note(an, "where: %s not localised (no previous day with data)", name);
            goto done;
        }
        expected[i] = ex;
    }
    card = xcalloc(keep.n, sizeof(uint32_t));
    for (size_t d = 0; d < keep.n; d++)
        card[d] = (uint32_t)(c.values[d].n ? c.values[d].n : 1);
    struct loc_cube cube = {n, keep.n, c.codes, card, c.m[REAL], expected};
    struct loc_options lo = {0, 0};
    if (n < 2 || (rc = localize(&cube, &lo, &lr, e)) < 0)
        goto done;
    have_lr = true;
    if (lr.status != LOC_FOUND)
        goto done;
    analyze_add_metric_causes(an, name, &lr, &keep, c.values);
done:
    if (have_lr)
        loc_result_release(&lr);
    free(expected);
    free(card);
    an_cube_release(&c);
    strlist_release(&keep);
    return rc;
}

int analyze_saved_where(struct app *a, struct analysis *an, struct err *e)
{
    struct saved_metric *saved = NULL;
    size_t n_saved = 0;
    struct strlist dims = {0};
    int rc = store_saved_metric_list(a->store, &saved, &n_saved, e);
    for (size_t i = 0; rc == ERR_OK && i < n_saved; i++) {
        bool strays = false;
        for (size_t b = 0; b < an->n_baselines && !strays; b++)
            strays = strcmp(an->baselines[b].series, saved[i].name) == 0 &&
                     fabs(an->baselines[b].z_max) >= SAVED_Z_MIN;
        if (!strays)
            continue;
        struct err qe = ERR_INIT;
        struct qnode *tree = query_expand_text(a->store, saved[i].name, &qe);
        bool add = additive(tree);
        query_free(tree);
        if (!add) {
            analyze_note(an, "where: %s strays but is not a count or a sum of events, so it is "
                             "not split over segments", saved[i].name);
            continue;
        }
        if (!dims.n && (rc = analyze_pick_dims(a, an, &dims, e)) < 0)
            break;
        if (dims.n)
            rc = localise(a, an, saved[i].name, &dims, e);
    }
    strlist_release(&dims);
    saved_metrics_free(saved, n_saved);
    return rc;
}
