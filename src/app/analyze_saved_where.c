/* analyze_saved_where.c: where a saved metric that strays from its baseline strays, over the
 * event dimensions (docs/diagnosis.md, "Where, for metrics").
 *
 * Two kinds of metric are localised:
 *  - additive ones: counts and sums of events, and sums of those (`count() where ...`,
 *    `sum(revenue) + ...`). Their value over a segment is the sum of its leaves', so a cube of
 *    leaves with real and expected values means what it means for the broken step, and the
 *    localiser's own noise fit (a count's dispersion) applies. A leaf's expected value is the
 *    median of the same window on the previous days (up to 4, those with data);
 *  - ratios of two additive ones (`(count() where event = 'purchase') / (count() where event =
 *    'payment')`, times or over a constant), as Squeeze localises a derived measure: through
 *    its numerator, the denominator held at its real value. A leaf's real value is its
 *    numerator over the incident, its expected value its real denominator times its ratio on
 *    the previous days (pooled over the days with data, shrunk towards the whole cube's with a
 *    weight of RATIO_PRIOR denominator units, so a leaf with little history takes the common
 *    ratio), as the history layout of `hindsight localize` does. A deviation then means the
 *    ratio moved in those segments, not their traffic.
 * A difference, an average or a quantile is not split: that would need a model of its own, so
 * such a metric gets a note, not a made-up answer; so does a metric with negative values.
 *
 * The incident is [started, end) as one bucket. Dimensions: the text properties of "where", of
 * which the CUBE_DIMS whose values alone stray most (sum of (r - e)^2 / e) make the cube, as
 * for the broken step. */
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
#define RATIO_PRIOR 10.0 /* a leaf's ratio is shrunk to the cube's by this many denominator units */

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

/* n without a constant factor (`100 * x`, `x * 100`, `x / 100`): where it moves, not how
 * much, is what is localised. */
static const struct qnode *unscaled(const struct qnode *n)
{
    while (n && n->kind == Q_BINARY && (n->op == '*' || n->op == '/')) {
        if (n->right && n->right->kind == Q_NUMBER)
            n = n->left;
        else if (n->op == '*' && n->left && n->left->kind == Q_NUMBER)
            n = n->right;
        else
            break;
    }
    return n;
}

/* The texts of a metric's numerator and denominator when it is a ratio of additive terms
 * (times or over a constant); *den is NULL for an additive metric; false for anything else. */
static bool split_metric(const struct qnode *tree, char **num, char **den)
{
    const struct qnode *n = unscaled(tree);
    *num = *den = NULL;
    if (additive(n)) {
        *num = query_to_text(n);
        return true;
    }
    if (n && n->kind == Q_BINARY && n->op == '/' && additive(unscaled(n->left)) &&
        additive(unscaled(n->right))) {
        *num = query_to_text(unscaled(n->left));
        *den = query_to_text(unscaled(n->right));
        return true;
    }
    return false;
}

/* The cube over dims (an_cube): m[NUM] the numerator (or the additive metric) over the
 * incident, m[NUM_PREV(d)] over the same window on the previous day d + 1, and the same for
 * the denominator of a ratio; one leaf per combination seen in any of them (0 where a leaf
 * has no value). */
#define NUM 0
#define NUM_PREV(d) (1 + (d))
#define DEN (1 + PREVIOUS_DAYS)
#define DEN_PREV(d) (DEN + 1 + (d))
_Static_assert(2 * (1 + PREVIOUS_DAYS) <= AN_CUBE_MEASURES, "the cube holds both terms' days");

struct metric_terms {
    const char *num, *den; /* den NULL: additive */
};

static int build_term(struct app *a, const struct analysis *an, const char *expr, int first,
                      const struct strlist *dims, struct an_cube *c, struct err *e)
{
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
            c->m[first + (slot < 0 ? 0 : 1 + slot)][leaf] = v;
        }
        series_result_release(&r);
    }
    return rc;
}

static int build(struct app *a, const struct analysis *an, const struct metric_terms *t,
                 const struct strlist *dims, struct an_cube *c, struct err *e)
{
    an_cube_init(c, dims->n);
    int rc = build_term(a, an, t->num, NUM, dims, c, e);
    if (rc == ERR_OK && t->den)
        rc = build_term(a, an, t->den, DEN, dims, c, e);
    return rc;
}

/* Which previous days have data at all (a day before the first event has none, and counting
 * it as 0 would make everything look like a rise): those where a leaf of measure first's
 * days is not 0. */
static void days_with_data(const struct an_cube *c, int first, bool *ret)
{
    for (int d = 0; d < PREVIOUS_DAYS; d++) {
        ret[d] = false;
        for (size_t i = 0; i < c->leaves.n && !ret[d]; i++)
            ret[d] = c->m[first + 1 + d][i] != 0;
    }
}

/* Every leaf's expected value (see the top of the file); false when no previous day has data
 * (nothing to compare with). */
static bool expectations(const struct an_cube *c, bool ratio, double *expected)
{
    bool has[PREVIOUS_DAYS];
    days_with_data(c, ratio ? DEN : NUM, has);
    size_t days = 0;
    for (int d = 0; d < PREVIOUS_DAYS; d++)
        days += has[d];
    if (!days)
        return false;
    size_t n = c->leaves.n;
    if (!ratio) {
        for (size_t i = 0; i < n; i++) {
            double v[PREVIOUS_DAYS];
            size_t k = 0;
            for (int d = 0; d < PREVIOUS_DAYS; d++)
                if (has[d])
                    v[k++] = c->m[NUM_PREV(d)][i];
            expected[i] = median_inplace(v, k);
        }
        return true;
    }
    double all_num = 0, all_den = 0;
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < PREVIOUS_DAYS; d++)
            if (has[d]) {
                all_num += c->m[NUM_PREV(d)][i];
                all_den += c->m[DEN_PREV(d)][i];
            }
    if (all_den <= 0)
        return false;
    double common = all_num / all_den;
    for (size_t i = 0; i < n; i++) {
        double num = 0, den = 0;
        for (int d = 0; d < PREVIOUS_DAYS; d++)
            if (has[d]) {
                num += c->m[NUM_PREV(d)][i];
                den += c->m[DEN_PREV(d)][i];
            }
        expected[i] = c->m[DEN][i] * (num + RATIO_PRIOR * common) / (den + RATIO_PRIOR);
    }
    return true;
}

static double dim_score(const struct an_cube *c, bool ratio)
{
    size_t n = c->leaves.n;
    double *ex = xcalloc(n ? n : 1, sizeof(double)), s = 0;
    if (expectations(c, ratio, ex))
        for (size_t i = 0; i < n; i++)
            s += (c->m[NUM][i] - ex[i]) * (c->m[NUM][i] - ex[i]) / (ex[i] > 1 ? ex[i] : 1);
    free(ex);
    return s;
}

/* True when every real and expected value can be a leaf's (finite, >= 0). */
static bool cube_values_ok(const double *real, const double *expected, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(real[i] >= 0) || !(expected[i] >= 0) || !isfinite(real[i]) ||
            !isfinite(expected[i]))
            return false;
    return true;
}

/* The deviation of a ratio over the incident as a whole, in deviations: its numerator against
 * its denominator times the ratio of the previous days (pooled), with the day-to-day
 * dispersion of those days (at least a count's). A ratio's value per bucket is noisy where its
 * denominator is small per bucket (a few payments a minute), so its baselines row can miss a
 * fall the incident shows plainly; the whole window is the test. *z is 0 when no previous day
 * has data. */
static int ratio_deviation(struct app *a, const struct analysis *an, const struct metric_terms *t,
                           double *z, struct err *e)
{
    struct strlist none = {0};
    struct an_cube c;
    *z = 0;
    int rc = build(a, an, t, &none, &c, e);
    bool has[PREVIOUS_DAYS];
    days_with_data(&c, DEN, has);
    double num = 0, den = 0, d_num[PREVIOUS_DAYS] = {0}, d_den[PREVIOUS_DAYS] = {0};
    double prev_num = 0, prev_den = 0;
    size_t days = 0;
    for (size_t i = 0; rc == ERR_OK && i < c.leaves.n; i++) {
        num += c.m[NUM][i];
        den += c.m[DEN][i];
        for (int d = 0; d < PREVIOUS_DAYS; d++) {
            d_num[d] += c.m[NUM_PREV(d)][i];
            d_den[d] += c.m[DEN_PREV(d)][i];
        }
    }
    for (int d = 0; d < PREVIOUS_DAYS; d++)
        if (has[d]) {
            prev_num += d_num[d];
            prev_den += d_den[d];
            days++;
        }
    if (rc == ERR_OK && prev_den > 0 && den > 0) {
        double ratio = prev_num / prev_den, phi = 0;
        for (int d = 0; d < PREVIOUS_DAYS; d++) {
            double ex = d_den[d] * ratio;
            if (has[d] && ex > 0)
                phi += (d_num[d] - ex) * (d_num[d] - ex) / ex;
        }
        phi = days >= 2 ? fmax(1, phi / (double)(days - 1)) : 1;
        double expected = den * ratio;
        if (expected > 0)
            *z = (num - expected) / sqrt(phi * expected);
    }
    an_cube_release(&c);
    return rc;
}

static int localise(struct app *a, struct analysis *an, const char *name,
                    const struct metric_terms *t, const struct strlist *dims, struct err *e)
{
    double score[ANALYZE_MAX_DIMS] = {0};
    int rc = ERR_OK;
    for (size_t d = 0; rc == ERR_OK && d < dims->n && d < ANALYZE_MAX_DIMS; d++) {
        struct strlist one = {0};
        strlist_push(&one, dims->items[d]);
        struct an_cube c;
        if ((rc = build(a, an, t, &one, &c, e)) == ERR_OK)
            score[d] = dim_score(&c, t->den != NULL);
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
    memset(&c, 0, sizeof(c)); /* empty until built: releasing it is a no-op */
    double *expected = NULL;
    bool *active = NULL;
    uint32_t *card = NULL;
    struct loc_result lr;
    memset(&lr, 0, sizeof(lr));
    bool have_lr = false;
    if (rc < 0 || !keep.n || (rc = build(a, an, t, &keep, &c, e)) < 0)
        goto done;
    size_t n = c.leaves.n;
    expected = xcalloc(n ? n : 1, sizeof(double));
    if (!expectations(&c, t->den != NULL, expected)) {
        analyze_note(an, "where: %s not localised (no previous day with data)", name);
        goto done;
    }
    if (!cube_values_ok(c.m[NUM], expected, n)) {
        analyze_note(an, "where: %s not localised (a segment has a negative value)", name);
        goto done;
    }
    card = xcalloc(keep.n, sizeof(uint32_t));
    for (size_t d = 0; d < keep.n; d++)
        card[d] = (uint32_t)(c.values[d].n ? c.values[d].n : 1);
    struct loc_cube cube = {n, keep.n, c.codes, card, c.m[NUM], expected};
    struct loc_options lo = {0, 0};
    if (n < 2 || (rc = localize(&cube, &lo, &lr, e)) < 0)
        goto done;
    have_lr = true;
    if (lr.status != LOC_FOUND)
        goto done;
    active = xcalloc(n ? n : 1, sizeof(bool));
    for (size_t i = 0; i < n; i++) /* the leaves seen during the incident */
        active[i] = c.m[NUM][i] > 0 || (t->den && c.m[DEN][i] > 0);
    analyze_add_metric_causes(an, name, &lr, &keep, c.values, &c, active);
done:
    if (have_lr)
        loc_result_release(&lr);
    free(expected);
    free(card);
    free(active);
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
        struct err qe = ERR_INIT;
        struct qnode *tree = query_expand_text(a->store, saved[i].name, &qe);
        char *num = NULL, *den = NULL;
        bool split = split_metric(tree, &num, &den);
        query_free(tree);
        struct metric_terms t = {num, den};
        double z = 0;
        if (split && den && !strays && (rc = ratio_deviation(a, an, &t, &z, e)) == ERR_OK)
            strays = fabs(z) >= SAVED_Z_MIN;
        if (rc == ERR_OK && strays && !split) {
            analyze_note(an, "where: %s strays but is not a count, a sum or a ratio of those, "
                             "so it is not split over segments", saved[i].name);
        } else if (rc == ERR_OK && strays) {
            if (!dims.n)
                rc = analyze_pick_dims(a, an, &dims, e);
            if (rc == ERR_OK && dims.n)
                rc = localise(a, an, saved[i].name, &t, &dims, e);
        }
        free(num);
        free(den);
    }
    strlist_release(&dims);
    saved_metrics_free(saved, n_saved);
    return rc;
}
