/* test_aggregate.c: aggregation cells against brute-force references on random data (fixed
 * seed), exact quantiles against numpy's default (type 7) computed by hand, uniq's handling of
 * the zero hash and of colliding slots, and the values of empty cells. */
#include "analytics/aggregate.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GROUPS 10
#define BUCKETS 50
#define VALUES 20000

/* A small deterministic generator (splitmix64), so the data is the same on every run. */
static uint64_t next_u64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

struct sample {
    size_t g, b;
    double v;
    uint64_t h;
};

/* Random samples. Groups leave some buckets empty (bucket b of group g is skipped when
 * (b + g) % 7 == 0); values are small integers and fractions so that uniq sees repeats, and
 * hashes include 0 and values that share their low 32 bits. */
static struct sample *samples(void)
{
    struct sample *s = calloc(VALUES, sizeof(*s));
    cr_assert_not_null(s);
    uint64_t st = 20260304;
    for (size_t i = 0; i < VALUES; i++) {
        size_t g, b;
        do {
            g = (size_t)(next_u64(&st) % GROUPS);
            b = (size_t)(next_u64(&st) % BUCKETS);
        } while ((b + g) % 7 == 0);
        uint64_t r = next_u64(&st);
        s[i].g = g;
        s[i].b = b;
        s[i].v = (double)(int64_t)(r % 2001) / 4.0 - 250.0; /* -250 .. 250 in quarters */
        uint64_t k = (r >> 20) % 97;
        s[i].h = k == 0 ? 0 : k < 40 ? k << 32 : k * UINT64_C(0x9e3779b97f4a7c15);
    }
    return s;
}

/* ---- the reference: every cell's values, in order ---- */

struct ref_cell {
    double *v;
    uint64_t *h;
    size_t n;
};

static struct ref_cell *reference(const struct sample *s)
{
    struct ref_cell *cells = calloc(GROUPS * BUCKETS, sizeof(*cells));
    cr_assert_not_null(cells);
    for (size_t c = 0; c < GROUPS * BUCKETS; c++) {
        cells[c].v = malloc(VALUES * sizeof(double));
        cells[c].h = malloc(VALUES * sizeof(uint64_t));
        cr_assert(cells[c].v && cells[c].h);
    }
    for (size_t i = 0; i < VALUES; i++) {
        struct ref_cell *c = &cells[s[i].g * BUCKETS + s[i].b];
        c->v[c->n] = s[i].v;
        c->h[c->n] = s[i].h;
        c->n++;
    }
    return cells;
}

static void reference_free(struct ref_cell *cells)
{
    for (size_t c = 0; c < GROUPS * BUCKETS; c++) {
        free(cells[c].v);
        free(cells[c].h);
    }
    free(cells);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The expected value of fn over one cell, computed the slow way. */
static double expected(enum cell_fn fn, double q, const struct ref_cell *c)
{
    if (c->n == 0)
        return fn == CELL_COUNT || fn == CELL_SUM || fn == CELL_UNIQ ? 0 : NAN;
    double acc = 0;
    switch (fn) {
    case CELL_COUNT: return (double)c->n;
    case CELL_SUM:
    case CELL_AVG:
        for (size_t i = 0; i < c->n; i++)
            acc += c->v[i];
        return fn == CELL_SUM ? acc : acc / (double)c->n;
    case CELL_MIN:
    case CELL_MAX:
        acc = c->v[0];
        for (size_t i = 1; i < c->n; i++)
            if (fn == CELL_MIN ? c->v[i] < acc : c->v[i] > acc)
                acc = c->v[i];
        return acc;
    case CELL_UNIQ: {
        size_t distinct = 0;
        for (size_t i = 0; i < c->n; i++) {
            bool seen = false;
            for (size_t j = 0; j < i && !seen; j++)
                seen = c->h[j] == c->h[i];
            distinct += !seen;
        }
        return (double)distinct;
    }
    case CELL_QUANTILE: {
        double *v = malloc(c->n * sizeof(*v));
        cr_assert_not_null(v);
        memcpy(v, c->v, c->n * sizeof(*v));
        qsort(v, c->n, sizeof(*v), cmp_d);
        /* numpy type 7: position q * (n - 1), interpolated between its neighbours. */
        double pos = q * (double)(c->n - 1);
        size_t lo = (size_t)pos;
        double r = lo + 1 < c->n ? v[lo] + (pos - (double)lo) * (v[lo + 1] - v[lo]) : v[lo];
        free(v);
        return r;
    }
    case CELL_STDDEV: { /* two passes: the mean, then the squared deviations */
        if (c->n < 2)
            return NAN;
        for (size_t i = 0; i < c->n; i++)
            acc += c->v[i];
        double mean = acc / (double)c->n, ss = 0;
        for (size_t i = 0; i < c->n; i++)
            ss += (c->v[i] - mean) * (c->v[i] - mean);
        return sqrt(ss / (double)(c->n - 1));
    }
    }
    return NAN;
}

static bool same_value(double got, double want)
{
    if (isnan(want))
        return isnan(got);
    return fabs(got - want) <= 1e-9 * (1 + fabs(want));
}

static void check_fn(enum cell_fn fn, double q)
{
    struct sample *s = samples();
    struct ref_cell *ref = reference(s);
    struct agg_cells cells;
    agg_cells_init(&cells, fn, q, BUCKETS);
    for (size_t i = 0; i < VALUES; i++) {
        agg_cells_ensure(&cells, s[i].g);
        agg_cells_add(&cells, s[i].g, s[i].b, s[i].v, s[i].h);
    }
    cr_assert_eq(cells.n_groups, GROUPS);
    size_t empty = 0;
    for (size_t g = 0; g < GROUPS; g++) {
        for (size_t b = 0; b < BUCKETS; b++) {
            const struct ref_cell *c = &ref[g * BUCKETS + b];
            double want = expected(fn, q, c);
            double got = agg_cells_value(&cells, g, b);
            cr_assert(same_value(got, want), "fn %d q %g group %zu bucket %zu (%zu values): %.17g, "
                      "expected %.17g", fn, q, g, b, c->n, got, want);
            if (c->n == 0) {
                empty++;
                double e = agg_cells_empty_value(fn);
                cr_assert(isnan(e) ? isnan(got) : got == e, "empty cell");
            }
        }
    }
    cr_assert_gt(empty, 0, "the data leaves some cells empty");
    /* Out of range reads as empty. */
    double e = agg_cells_empty_value(fn);
    double outside[] = {agg_cells_value(&cells, GROUPS, 0), agg_cells_value(&cells, 0, BUCKETS)};
    for (size_t i = 0; i < 2; i++)
        cr_assert(isnan(e) ? isnan(outside[i]) : outside[i] == e);
    agg_cells_release(&cells);
    reference_free(ref);
    free(s);
}

Test(analytics_aggregate, count) { check_fn(CELL_COUNT, 0); }
Test(analytics_aggregate, sum) { check_fn(CELL_SUM, 0); }
Test(analytics_aggregate, avg) { check_fn(CELL_AVG, 0); }
Test(analytics_aggregate, min) { check_fn(CELL_MIN, 0); }
Test(analytics_aggregate, max) { check_fn(CELL_MAX, 0); }
Test(analytics_aggregate, uniq) { check_fn(CELL_UNIQ, 0); }
Test(analytics_aggregate, stddev) { check_fn(CELL_STDDEV, 0); }

Test(analytics_aggregate, quantiles_random)
{
    static const double qs[] = {0, 0.01, 0.25, 0.5, 0.9, 0.99, 1};
    for (size_t i = 0; i < ARRAY_SIZE(qs); i++)
        check_fn(CELL_QUANTILE, qs[i]);
}

Test(analytics_aggregate, empty_values)
{
    cr_assert_eq(agg_cells_empty_value(CELL_COUNT), 0);
    cr_assert_eq(agg_cells_empty_value(CELL_SUM), 0);
    cr_assert_eq(agg_cells_empty_value(CELL_UNIQ), 0);
    cr_assert(isnan(agg_cells_empty_value(CELL_AVG)));
    cr_assert(isnan(agg_cells_empty_value(CELL_MIN)));
    cr_assert(isnan(agg_cells_empty_value(CELL_MAX)));
    cr_assert(isnan(agg_cells_empty_value(CELL_QUANTILE)));
    /* A group that exists but never got a value. */
    static const enum cell_fn fns[] = {CELL_COUNT, CELL_SUM, CELL_AVG, CELL_MIN,
                                       CELL_MAX, CELL_UNIQ, CELL_QUANTILE};
    for (size_t i = 0; i < ARRAY_SIZE(fns); i++) {
        struct agg_cells c;
        agg_cells_init(&c, fns[i], 0.5, 3);
        agg_cells_ensure(&c, 2);
        cr_assert_eq(c.n_groups, 3, "groups are dense");
        agg_cells_ensure(&c, 1);
        cr_assert_eq(c.n_groups, 3, "ensuring an existing group changes nothing");
        for (size_t g = 0; g < 3; g++)
            for (size_t b = 0; b < 3; b++) {
                double v = agg_cells_value(&c, g, b), e = agg_cells_empty_value(fns[i]);
                cr_assert(isnan(e) ? isnan(v) : v == e, "fn %d", fns[i]);
            }
        agg_cells_release(&c);
    }
}

Test(analytics_aggregate, min_max_negative_and_single)
{
    struct agg_cells mn, mx;
    agg_cells_init(&mn, CELL_MIN, 0, 2);
    agg_cells_init(&mx, CELL_MAX, 0, 2);
    agg_cells_ensure(&mn, 0);
    agg_cells_ensure(&mx, 0);
    static const double v[] = {-3, -7.5, -1, -7.5, 0};
    for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
        agg_cells_add(&mn, 0, 0, v[i], 0);
        agg_cells_add(&mx, 0, 0, v[i], 0);
    }
    agg_cells_add(&mn, 0, 1, 42, 0);
    agg_cells_add(&mx, 0, 1, 42, 0);
    cr_assert_eq(agg_cells_value(&mn, 0, 0), -7.5);
    cr_assert_eq(agg_cells_value(&mx, 0, 0), 0);
    cr_assert_eq(agg_cells_value(&mn, 0, 1), 42);
    cr_assert_eq(agg_cells_value(&mx, 0, 1), 42);
    agg_cells_release(&mn);
    agg_cells_release(&mx);
}

Test(analytics_aggregate, uniq_zero_hash_and_collisions)
{
    struct agg_cells c;
    agg_cells_init(&c, CELL_UNIQ, 0, 1);
    agg_cells_ensure(&c, 0);
    agg_cells_add(&c, 0, 0, 0, 0);
    cr_assert_eq(agg_cells_value(&c, 0, 0), 1, "the zero hash is a value");
    agg_cells_add(&c, 0, 0, 0, 0);
    cr_assert_eq(agg_cells_value(&c, 0, 0), 1, "counted once");
    /* 1000 hashes whose low 32 bits are all 0 (one long probe chain), each added twice. */
    for (int round = 0; round < 2; round++)
        for (uint64_t k = 1; k <= 1000; k++)
            agg_cells_add(&c, 0, 0, 0, k << 32);
    cr_assert_eq(agg_cells_value(&c, 0, 0), 1001);
    agg_cells_add(&c, 0, 0, 0, UINT64_MAX);
    agg_cells_add(&c, 0, 0, 0, 1);
    cr_assert_eq(agg_cells_value(&c, 0, 0), 1003);
    agg_cells_release(&c);
}

static double quantile_of(const double *v, size_t n, double q)
{
    double tmp[16];
    cr_assert(n <= ARRAY_SIZE(tmp));
    memcpy(tmp, v, n * sizeof(*v));
    return quantile_linear(tmp, n, q);
}

Test(analytics_aggregate, quantile_linear_type7_by_hand)
{
    static const double a[] = {4, 1, 3, 2}; /* unsorted on purpose */
    cr_assert_eq(quantile_of(a, 4, 0.5), 2.5);
    cr_assert_eq(quantile_of(a, 4, 0), 1, "q=0 is the minimum");
    cr_assert_eq(quantile_of(a, 4, 1), 4, "q=1 is the maximum");
    cr_assert_eq(quantile_of(a, 4, 0.25), 1.75);
    cr_assert_eq(quantile_of(a, 4, 0.75), 3.25);
    static const double b[] = {10, 20, 30, 40, 50};
    cr_assert_float_eq(quantile_of(b, 5, 0.9), 46, 1e-12);
    cr_assert_eq(quantile_of(b, 5, 0.5), 30);
    cr_assert_float_eq(quantile_of(b, 5, 0.1), 14, 1e-12);
    static const double one[] = {7.25};
    cr_assert_eq(quantile_of(one, 1, 0), 7.25);
    cr_assert_eq(quantile_of(one, 1, 0.5), 7.25);
    cr_assert_eq(quantile_of(one, 1, 1), 7.25);
    static const double dup[] = {1, 1, 1, 5};
    cr_assert_eq(quantile_of(dup, 4, 0.5), 1);
    cr_assert_eq(quantile_of(dup, 4, 1), 5);
    static const double neg[] = {-2, -10, 6};
    cr_assert_eq(quantile_of(neg, 3, 0.5), -2);
    cr_assert_eq(quantile_of(neg, 3, 0.25), -6);
    cr_assert(isnan(quantile_linear(NULL, 0, 0.5)), "no values: empty");

    double hundred[100];
    for (int i = 0; i < 100; i++)
        hundred[i] = 100 - i; /* 1..100 reversed */
    cr_assert_float_eq(quantile_linear(hundred, 100, 0.99), 99.01, 1e-9);
    cr_assert_eq(hundred[0], 1, "sorted in place");
    cr_assert_eq(hundred[99], 100);

    /* Through the cells: values spread over buckets. */
    struct agg_cells c;
    agg_cells_init(&c, CELL_QUANTILE, 0.5, 2);
    agg_cells_ensure(&c, 0);
    for (size_t i = 0; i < 4; i++)
        agg_cells_add(&c, 0, 1, a[i], 0);
    cr_assert_eq(agg_cells_value(&c, 0, 1), 2.5);
    cr_assert(isnan(agg_cells_value(&c, 0, 0)));
    agg_cells_release(&c);
}
