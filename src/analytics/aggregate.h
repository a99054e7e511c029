/* aggregate.h: aggregation cells for time series: one cell per (group, time bucket).
 *
 * count, sum, avg, min, max, exact uniq and exact quantiles, accumulated value by value and
 * read back per cell. Pure: no I/O, arrays in, numbers out.
 *  - uniq counts distinct 64-bit hashes of the values (core/hash.h); two different values
 *    count as one only if their hashes collide, which for a billion distinct values happens
 *    with probability about 3e-11 per pair (docs/query.md).
 *  - quantile(q) keeps every value of the cell and returns the linear interpolation between
 *    the closest ranks (R's type 7, numpy's default): exact, memory 8 bytes per value. */
#ifndef ANALYTICS_AGGREGATE_H
#define ANALYTICS_AGGREGATE_H

#include "core/common.h"

enum cell_fn {
    CELL_COUNT,
    CELL_SUM,
    CELL_AVG,
    CELL_MIN,
    CELL_MAX,
    CELL_UNIQ,
    CELL_QUANTILE,
    CELL_STDDEV, /* sample standard deviation, Welford's running mean and M2 */
};

struct u64set {
    uint64_t *slots; /* 0 marks an empty slot; the value 0 is kept in has_zero */
    uint32_t n, cap;
    bool has_zero;
};

struct dvec {
    double *v;
    uint32_t n, cap;
};

struct agg_group {
    bool touched;         /* some value was added to one of its cells */
    double *acc;          /* count, sum, min or max per bucket */
    double *cnt;          /* CELL_AVG, CELL_STDDEV: values per bucket */
    double *m2;           /* CELL_STDDEV: sum of squared deviations (acc holds the mean) */
    struct u64set *sets;  /* CELL_UNIQ */
    struct dvec *vals;    /* CELL_QUANTILE */
};

struct agg_cells {
    enum cell_fn fn;
    double q;
    size_t n_buckets;
    struct agg_group *groups;
    size_t n_groups;
};

void agg_cells_init(struct agg_cells *c, enum cell_fn fn, double q, size_t n_buckets);
void agg_cells_release(struct agg_cells *c);
/* Adds every cell of src into dst (same function and buckets): the partial results of two
 * threads that scanned different rows become one. src is left empty. */
void agg_cells_merge(struct agg_cells *dst, struct agg_cells *src);

/* Makes sure group g exists (groups are dense, 0..g). */
void agg_cells_ensure(struct agg_cells *c, size_t g);

/* Adds one value to a cell (group g must exist). For CELL_COUNT the value is ignored; for
 * CELL_UNIQ hash is counted instead of the value. */
static inline void agg_cells_add(struct agg_cells *c, size_t g, size_t bucket, double value,
                                 uint64_t hash);
/* The cell's result; NAN when it has no value (except count, sum and uniq, which are 0).
 * For quantiles this reorders the cell's values in place. */
double agg_cells_value(struct agg_cells *c, size_t g, size_t bucket);

/* True when a value was added to some cell of group g. */
static inline bool agg_cells_touched(const struct agg_cells *c, size_t g)
{
    return g < c->n_groups && c->groups[g].touched;
}

/* The value an empty cell reads as: 0 for count, sum and uniq, NAN for the others. */
double agg_cells_empty_value(enum cell_fn fn);

/* ---- internals of the inline adder ---- */
void agg__set_add(struct u64set *s, uint64_t h);
void agg__vec_add(struct dvec *v, double x);

static inline void agg_cells_add(struct agg_cells *c, size_t g, size_t bucket, double value,
                                 uint64_t hash)
{
    struct agg_group *gr = &c->groups[g];
    gr->touched = true;
    switch (c->fn) {
    case CELL_COUNT: gr->acc[bucket] += 1; break;
    case CELL_SUM: gr->acc[bucket] += value; break;
    case CELL_AVG:
        gr->acc[bucket] += value;
        gr->cnt[bucket] += 1;
        break;
    case CELL_MIN:
        if (!(gr->acc[bucket] <= value)) /* NaN (empty) or larger */
            gr->acc[bucket] = value;
        break;
    case CELL_MAX:
        if (!(gr->acc[bucket] >= value))
            gr->acc[bucket] = value;
        break;
    case CELL_UNIQ: agg__set_add(&gr->sets[bucket], hash); break;
    case CELL_QUANTILE: agg__vec_add(&gr->vals[bucket], value); break;
    case CELL_STDDEV: {
        double n = ++gr->cnt[bucket];
        double delta = value - gr->acc[bucket];
        gr->acc[bucket] += delta / n;
        gr->m2[bucket] += delta * (value - gr->acc[bucket]);
        break;
    }
    }
}

/* The q-quantile of v[0..n) with linear interpolation (reorders v). NAN when n is 0. */
double quantile_linear(double *v, size_t n, double q);

#endif
