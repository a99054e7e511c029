/* aggregate.c: cells of time-bucketed aggregates. */
#include "analytics/aggregate.h"

#include "analytics/select.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void agg_cells_init(struct agg_cells *c, enum cell_fn fn, double q, size_t n_buckets)
{
    memset(c, 0, sizeof(*c));
    c->fn = fn;
    c->q = q;
    c->n_buckets = n_buckets;
}

static void group_release(struct agg_group *g, size_t n_buckets)
{
    free(g->acc);
    free(g->cnt);
    free(g->m2);
    if (g->sets)
        for (size_t b = 0; b < n_buckets; b++)
            free(g->sets[b].slots);
    free(g->sets);
    if (g->vals)
        for (size_t b = 0; b < n_buckets; b++)
            free(g->vals[b].v);
    free(g->vals);
}

void agg_cells_release(struct agg_cells *c)
{
    for (size_t g = 0; g < c->n_groups; g++)
        group_release(&c->groups[g], c->n_buckets);
    free(c->groups);
    memset(c, 0, sizeof(*c));
}

void agg_cells_ensure(struct agg_cells *c, size_t g)
{
    if (g < c->n_groups)
        return;
    c->groups = xreallocarray(c->groups, g + 1, sizeof(*c->groups));
    size_t nb = c->n_buckets ? c->n_buckets : 1;
    for (size_t i = c->n_groups; i <= g; i++) {
        struct agg_group *gr = &c->groups[i];
        memset(gr, 0, sizeof(*gr));
        switch (c->fn) {
        case CELL_COUNT:
        case CELL_SUM:
            gr->acc = xcalloc(nb, sizeof(*gr->acc));
            break;
        case CELL_AVG:
            gr->acc = xcalloc(nb, sizeof(*gr->acc));
            gr->cnt = xcalloc(nb, sizeof(*gr->cnt));
            break;
        case CELL_MIN:
        case CELL_MAX:
            gr->acc = xmallocarray(nb, sizeof(*gr->acc));
            for (size_t b = 0; b < nb; b++)
                gr->acc[b] = NAN;
            break;
        case CELL_UNIQ:
            gr->sets = xcalloc(nb, sizeof(*gr->sets));
            break;
        case CELL_QUANTILE:
            gr->vals = xcalloc(nb, sizeof(*gr->vals));
            break;
        case CELL_STDDEV:
            gr->acc = xcalloc(nb, sizeof(*gr->acc));
            gr->cnt = xcalloc(nb, sizeof(*gr->cnt));
            gr->m2 = xcalloc(nb, sizeof(*gr->m2));
            break;
        }
    }
    c->n_groups = g + 1;
}

static void set_grow(struct u64set *s);

static void merge_group(struct agg_cells *c, struct agg_group *d, struct agg_group *s)
{
    if (!s->touched)
        return;
    d->touched = true;
    for (size_t b = 0; b < c->n_buckets; b++) {
        switch (c->fn) {
        case CELL_COUNT:
        case CELL_SUM:
            d->acc[b] += s->acc[b];
            break;
        case CELL_AVG:
            d->acc[b] += s->acc[b];
            d->cnt[b] += s->cnt[b];
            break;
        case CELL_MIN:
            if (!(d->acc[b] <= s->acc[b]) && !isnan(s->acc[b]))
                d->acc[b] = s->acc[b];
            break;
        case CELL_MAX:
            if (!(d->acc[b] >= s->acc[b]) && !isnan(s->acc[b]))
                d->acc[b] = s->acc[b];
            break;
        case CELL_UNIQ:
            for (uint32_t i = 0; i < s->sets[b].cap; i++)
                if (s->sets[b].slots[i])
                    agg__set_add(&d->sets[b], s->sets[b].slots[i]);
            if (s->sets[b].has_zero)
                d->sets[b].has_zero = true;
            break;
        case CELL_QUANTILE:
            for (uint32_t i = 0; i < s->vals[b].n; i++)
                agg__vec_add(&d->vals[b], s->vals[b].v[i]);
            break;
        case CELL_STDDEV: { /* Chan et al.'s parallel combination of mean and M2 */
            double na = d->cnt[b], nb = s->cnt[b], n = na + nb;
            if (nb == 0)
                break;
            double delta = s->acc[b] - d->acc[b];
            d->acc[b] += delta * nb / n;
            d->m2[b] += s->m2[b] + delta * delta * na * nb / n;
            d->cnt[b] = n;
            break;
        }
        }
    }
}

void agg_cells_merge(struct agg_cells *dst, struct agg_cells *src)
{
    if (src->n_groups)
        agg_cells_ensure(dst, src->n_groups - 1);
    for (size_t g = 0; g < src->n_groups; g++)
        merge_group(dst, &dst->groups[g], &src->groups[g]);
    agg_cells_release(src);
}

static void set_grow(struct u64set *s)
{
    uint32_t cap = s->cap ? s->cap * 2 : 16;
    uint64_t *slots = xcalloc(cap, sizeof(*slots));
    for (uint32_t i = 0; i < s->cap; i++) {
        uint64_t h = s->slots[i];
        if (!h)
            continue;
        uint32_t at = (uint32_t)h & (cap - 1);
        while (slots[at])
            at = (at + 1) & (cap - 1);
        slots[at] = h;
    }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
}

void agg__set_add(struct u64set *s, uint64_t h)
{
    if (h == 0) {
        s->has_zero = true;
        return;
    }
    if ((s->n + 1) * 2 > s->cap)
        set_grow(s);
    uint32_t at = (uint32_t)h & (s->cap - 1);
    while (s->slots[at]) {
        if (s->slots[at] == h)
            return;
        at = (at + 1) & (s->cap - 1);
    }
    s->slots[at] = h;
    s->n++;
}

void agg__vec_add(struct dvec *v, double x)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->v = xreallocarray(v->v, v->cap, sizeof(*v->v));
    }
    v->v[v->n++] = x;
}

double quantile_linear(double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double h = q * (double)(n - 1);
    size_t lo = (size_t)floor(h);
    if (lo >= n)
        lo = n - 1;
    select_kth(v, n, lo);
    double below = v[lo];
    if (lo + 1 >= n || h == (double)lo)
        return below;
    double above = v[lo + 1]; /* the smallest value after position lo */
    for (size_t i = lo + 2; i < n; i++)
        if (v[i] < above)
            above = v[i];
    return below + (h - (double)lo) * (above - below);
}

double agg_cells_empty_value(enum cell_fn fn)
{
    return fn == CELL_COUNT || fn == CELL_SUM || fn == CELL_UNIQ ? 0.0 : NAN;
}

double agg_cells_value(struct agg_cells *c, size_t g, size_t bucket)
{
    if (g >= c->n_groups || bucket >= c->n_buckets)
        return agg_cells_empty_value(c->fn);
    struct agg_group *gr = &c->groups[g];
    switch (c->fn) {
    case CELL_COUNT:
    case CELL_SUM:
    case CELL_MIN:
    case CELL_MAX:
        return gr->acc[bucket];
    case CELL_AVG:
        return gr->cnt[bucket] > 0 ? gr->acc[bucket] / gr->cnt[bucket] : NAN;
    case CELL_UNIQ:
        return (double)gr->sets[bucket].n + (gr->sets[bucket].has_zero ? 1 : 0);
    case CELL_QUANTILE:
        return quantile_linear(gr->vals[bucket].v, gr->vals[bucket].n, c->q);
    case CELL_STDDEV:
        return gr->cnt[bucket] >= 2 ? sqrt(gr->m2[bucket] / (gr->cnt[bucket] - 1)) : NAN;
    }
    return NAN;
}
